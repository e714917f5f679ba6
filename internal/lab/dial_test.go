//go:build linux

package lab

import (
	"context"
	"net/http"
	"testing"
)

// TestScannerDialRefusesOutsideLab needs no lab: the address is checked
// before any namespace is entered or socket created.
func TestScannerDialRefusesOutsideLab(t *testing.T) {
	l := &Lab{prefix: "sktx", devices: 1}
	for _, addr := range []string{"192.0.2.2:80", "10.0.0.1:80", "localhost:80", "[2001:db8::1]:80", "198.20.0.1:80", "no-port"} {
		if c, err := l.ScannerDial(t.Context(), "tcp", addr); err == nil {
			c.Close()
			t.Errorf("ScannerDial(%s) connected; want refused", addr)
		}
	}
}

// TestScannerDial reaches a device's ONVIF service through ScannerDial; the
// device sees the connection come from the scanner's address.
func TestScannerDial(t *testing.T) {
	l := upLab(t, 2)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	soap, err := l.ServeONVIF(ctx, SOAPConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer soap.Close()
	if err := threadIn(l.ScannerNamespace()); err == nil {
		t.Fatal("threadIn(scanner) = nil on a test goroutine; want an error")
	}
	hc := &http.Client{Transport: &http.Transport{DialContext: l.ScannerDial, Proxy: nil}}
	defer hc.CloseIdleConnections()
	resp, err := hc.Get(l.Device(1).XAddr) // GET: 405, but it went through
	if err != nil {
		t.Fatalf("GET %s via ScannerDial: %v", l.Device(1).XAddr, err)
	}
	resp.Body.Close()
	if st := soap.Stats(1); st.Conns != 1 || st.Foreign != 0 {
		t.Errorf("device 1 stats %+v; want 1 connection, from the scanner", st)
	}
}
