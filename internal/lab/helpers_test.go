//go:build linux

package lab

import (
	"errors"
	"net"
	"net/netip"
	"os"
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

// requireLab skips tb unless lab tests can run (see SkipUnlessLab).
func requireLab(tb testing.TB) {
	tb.Helper()
	SkipUnlessLab(tb)
}

// upLab brings up a lab of n devices for a test (see UpForTest).
func upLab(tb testing.TB, n int) *Lab {
	tb.Helper()
	return UpForTest(tb, testFamily, n)
}

// serveResponder answers probes until tb ends (see ServeForTest).
func serveResponder(tb testing.TB, l *Lab, cfg ResponderConfig) *Responder {
	tb.Helper()
	return ServeForTest(tb, l, cfg)
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

// replyTimeout bounds the wait for replies that should all arrive within
// milliseconds; it is long because CI machines are busy, and readReplies
// returns as soon as all are in.
const replyTimeout = 5 * time.Second

// settledStats returns r's stats once it has counted replies replies: a
// reply can be read by the test before the responder's goroutine counts it.
func settledStats(r *Responder, replies int64) ResponderStats {
	deadline := time.Now().Add(replyTimeout)
	for s := r.Stats(); ; s = r.Stats() {
		if s.Replies >= replies || time.Now().After(deadline) {
			return s
		}
		time.Sleep(time.Millisecond)
	}
}
