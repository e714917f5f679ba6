package health

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"
)

// loopbackDial dials only 127.0.0.1: a unit test that tried to reach
// anything else (a redirect followed off the device, say) fails instead of
// sending a packet on this machine's network.
func loopbackDial(tb testing.TB) DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		ap, err := netip.ParseAddrPort(addr)
		if err != nil || !ap.Addr().IsLoopback() {
			tb.Errorf("dial %s %s: not loopback", network, addr)
			return nil, errors.New("test refuses to dial " + addr)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
}

// loopTarget is a Target for 127.0.0.1 with a short timeout.
func loopTarget(tb testing.TB) Target {
	return Target{Addr: netip.MustParseAddr("127.0.0.1"), Dial: loopbackDial(tb), Timeout: 2 * time.Second, ICMP: ICMPOff}
}

// listen opens a TCP listener on 127.0.0.1 and serves each connection with
// fn until the test ends.
func listen(tb testing.TB, fn func(net.Conn)) uint16 {
	tb.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan struct{})
	tb.Cleanup(func() { _ = ln.Close(); <-done })
	go func() { // exits when the listener closes at cleanup
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { // exits when fn returns
				defer c.Close()
				fn(c)
			}()
		}
	}()
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}

// closedPort returns a loopback port with nothing listening.
func closedPort(tb testing.TB) uint16 {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := uint16(ln.Addr().(*net.TCPAddr).Port)
	_ = ln.Close()
	return p
}

// hangUp reads everything and never answers.
func hangUp(c net.Conn) { _, _ = io.Copy(io.Discard, c) }

func itoa16(p uint16) string { return strconv.Itoa(int(p)) }
