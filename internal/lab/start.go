//go:build linux

package lab

import (
	"context"
	"os"
	"os/exec"
	"testing"
)

// StartForTest skips tb unless SITEKEEPER_LAB=1 and root, then brings up a
// lab of n devices in the PIDPrefix family family, answering WS-Discovery
// with real-world timing and ONVIF with their vendors' captures. Everything
// is removed when tb ends: the devices' sockets first, then the namespaces.
// It is for tests in any package that need the whole simulated site.
func StartForTest(tb testing.TB, family string, n int) (*Lab, *SOAPServers) {
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
	if err := CleanupStale(family); err != nil {
		tb.Fatalf("CleanupStale = %v", err)
	}
	prefix := PIDPrefix(family)
	tb.Cleanup(func() {
		if err := Cleanup(prefix); err != nil {
			tb.Errorf("Cleanup(%s) = %v", prefix, err)
		}
	})
	l, err := Up(context.Background(), Config{Prefix: prefix, Devices: n})
	if err != nil {
		tb.Fatalf("lab.Up(%d) = %v", n, err)
	}
	r, err := l.Listen(RealTiming())
	if err != nil {
		tb.Fatalf("Listen = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	soap, err := l.ServeONVIF(ctx, SOAPConfig{})
	if err != nil {
		cancel()
		r.Close()
		tb.Fatalf("ServeONVIF = %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Serve(ctx) }()
	// Registered after the namespaces' Cleanup, so it runs first.
	tb.Cleanup(func() {
		cancel()
		soap.Close()
		<-done
	})
	return l, soap
}
