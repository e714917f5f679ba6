//go:build linux

package lab

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"sitekeeper/internal/discovery/wsd"
)

// scannerReadBuffer is the scanner socket's SO_RCVBUF request, capped by
// net.core.rmem_max (4 MiB here).
const scannerReadBuffer = 4 << 20

// testFamily is the PIDPrefix family of the lab tests' namespaces.
const testFamily = "skt"

// requireLab skips tb unless lab tests were asked for and can run: they
// create network namespaces, which needs root and iproute2.
func requireLab(tb testing.TB) {
	tb.Helper()
	if os.Getenv("SITEKEEPER_LAB") != "1" {
		tb.Skip("lab test skipped: set SITEKEEPER_LAB=1 and run as root to create network namespaces")
	}
	if os.Geteuid() != 0 {
		tb.Skip("lab test skipped: needs root to create network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		tb.Skip("lab test skipped: iproute2's ip is not installed")
	}
}

// upLab brings up a lab of n devices that is removed when tb ends, even if
// it fails; leftovers of killed earlier test runs go first.
func upLab(tb testing.TB, n int) *Lab {
	tb.Helper()
	requireLab(tb)
	if err := CleanupStale(testFamily); err != nil {
		tb.Fatalf("CleanupStale(%q) = %v", testFamily, err)
	}
	prefix := PIDPrefix(testFamily)
	tb.Cleanup(func() {
		if err := Cleanup(prefix); err != nil {
			tb.Errorf("Cleanup(%q) = %v", prefix, err)
		}
	})
	l, err := Up(context.Background(), Config{Prefix: prefix, Devices: n})
	if err != nil {
		tb.Fatalf("Up(%d devices) = %v", n, err)
	}
	return l
}

// serveResponder listens and serves the lab's devices until tb ends.
func serveResponder(tb testing.TB, l *Lab, cfg ResponderConfig) *Responder {
	tb.Helper()
	r, err := l.Listen(cfg)
	if err != nil {
		tb.Fatalf("Listen = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Serve(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			tb.Errorf("Serve = %v; want context.Canceled", err)
		}
	})
	return r
}

// scannerConn opens a UDP socket in the scanner's namespace with
// IP_MULTICAST_IF set to the scanner's eth0 address, as the app will.
func scannerConn(tb testing.TB, l *Lab) *net.UDPConn {
	tb.Helper()
	var c *net.UDPConn
	err := l.InScanner(func() error {
		var err error
		c, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4zero})
		if err != nil {
			return err
		}
		// 250 devices answering at once overflow the default 208 KiB
		// (RcvbufErrors in the scanner's /proc/net/snmp); the app's
		// scanner needs the same.
		if err := c.SetReadBuffer(scannerReadBuffer); err != nil {
			return err
		}
		rc, err := c.SyscallConn()
		if err != nil {
			return err
		}
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInet4Addr(int(fd), unix.IPPROTO_IP, unix.IP_MULTICAST_IF, l.ScannerAddr().As4())
		}); err != nil {
			return err
		}
		return serr
	})
	if err != nil {
		if c != nil {
			c.Close()
		}
		tb.Fatalf("scanner socket: %v", err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// sendProbe multicasts a Probe for types from c and returns its MessageID.
func sendProbe(tb testing.TB, c *net.UDPConn, types ...wsd.Type) string {
	tb.Helper()
	id := wsd.NewMessageID()
	to := netip.AddrPortFrom(wsdGroup, wsdPort)
	if _, err := c.WriteToUDPAddrPort(wsd.Probe(types, id), to); err != nil {
		tb.Fatalf("sending probe to %s: %v", to, err)
	}
	return id
}

// reply is one datagram the scanner received.
type reply struct {
	from netip.AddrPort
	msg  wsd.Message
}

// readReplies reads from c until want datagrams arrived or timeout passed
// (a read deadline, not a sleep). Malformed datagrams fail the test.
func readReplies(tb testing.TB, c *net.UDPConn, want int, timeout time.Duration) []reply {
	tb.Helper()
	if err := c.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		tb.Fatal(err)
	}
	buf := make([]byte, wsd.MaxDatagram)
	var got []reply
	for len(got) < want {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			break
		}
		if err != nil {
			tb.Fatalf("reading replies: %v", err)
		}
		msg, err := wsd.Parse(buf[:n])
		if err != nil {
			tb.Fatalf("reply from %s: wsd.Parse = %v", from, err)
		}
		got = append(got, reply{from, msg})
	}
	return got
}
