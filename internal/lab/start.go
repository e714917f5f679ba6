//go:build linux

package lab

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
)

// SkipUnlessLab skips tb unless lab tests were asked for and can run: they
// create network namespaces, which needs SITEKEEPER_LAB=1, root and iproute2.
func SkipUnlessLab(tb testing.TB) {
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

// UpForTest skips tb unless lab tests were asked for and can run
// (SITEKEEPER_LAB=1, root, iproute2), removes leftovers of killed earlier
// runs of the PIDPrefix family, and brings up a lab of n devices that is
// removed when tb ends, even if it fails. It is for tests in any package.
func UpForTest(tb testing.TB, family string, n int) *Lab {
	tb.Helper()
	SkipUnlessLab(tb)
	if err := CleanupStale(family); err != nil {
		tb.Fatalf("CleanupStale(%q) = %v", family, err)
	}
	prefix := PIDPrefix(family)
	tb.Cleanup(func() {
		if err := Cleanup(prefix); err != nil {
			tb.Errorf("Cleanup(%q) = %v", prefix, err)
		}
	})
	l, err := Up(context.Background(), Config{Prefix: prefix, Devices: n})
	if err != nil {
		tb.Fatalf("lab.Up(%d devices) = %v", n, err)
	}
	return l
}

// ServeForTest answers WS-Discovery probes for l's devices with cfg until tb
// ends. Its cleanup runs before UpForTest's, so the devices' sockets close
// before their namespaces go.
func ServeForTest(tb testing.TB, l *Lab, cfg ResponderConfig) *Responder {
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

// StartForTest is the whole simulated site: UpForTest, ServeForTest with
// real-world timing, and ONVIF answered from the vendors' captures.
func StartForTest(tb testing.TB, family string, n int) (*Lab, *SOAPServers) {
	tb.Helper()
	l := UpForTest(tb, family, n)
	ServeForTest(tb, l, RealTiming())
	ctx, cancel := context.WithCancel(context.Background())
	soap, err := l.ServeONVIF(ctx, SOAPConfig{})
	if err != nil {
		cancel()
		tb.Fatalf("ServeONVIF = %v", err)
	}
	tb.Cleanup(func() {
		cancel()
		soap.Close()
	})
	return l, soap
}
