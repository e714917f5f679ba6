//go:build linux

package discovery_test

import (
	"context"
	"net"
	"testing"
	"time"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/lab"
)

// TestLabMACFromNeighbors scans devices that answer WS-Discovery but have
// no ONVIF service (as a password-locked camera tells nothing): each still
// gets its MAC, from the scanner namespace's neighbour table.
func TestLabMACFromNeighbors(t *testing.T) {
	const n = 8
	l := lab.UpForTest(t, "skn", n)
	lab.ServeForTest(t, l, lab.ResponderConfig{})
	dial := func(ctx context.Context, network, addr string) (c net.Conn, err error) {
		err = l.InScanner(func() error {
			c, err = (&net.Dialer{}).DialContext(ctx, network, addr)
			return err
		})
		return c, err
	}
	got := map[int]discovery.Device{}
	var stats discovery.Stats
	err := l.InScanner(func() error {
		var err error
		stats, err = discovery.Scan(t.Context(), discovery.Config{
			WSD:      wsd.Config{Wait: time.Second},
			Identify: discovery.IdentifyConfig{Dial: dial, CallTimeout: time.Second},
		}, func(d discovery.Device) { got[d.Key] = d })
		return err
	})
	if err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if len(got) != n || stats.NoAnswer != n {
		t.Fatalf("%d devices, %d not answering ONVIF; want %d, %d (stats %+v)", len(got), stats.NoAnswer, n, n, stats)
	}
	macs := map[string]bool{}
	for i := range n {
		macs[l.Device(i).MAC.String()] = true
	}
	for _, d := range got {
		if !macs[d.MAC] || d.MACVendor == "" {
			t.Errorf("device %v: MAC %q vendor %q; want its lab MAC and vendor", d.IPs, d.MAC, d.MACVendor)
		}
	}
}
