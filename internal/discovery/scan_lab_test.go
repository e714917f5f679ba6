//go:build linux

package discovery_test

import (
	"context"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/lab"
)

// labFamily is the lab.PIDPrefix family of this package's lab namespaces.
const labFamily = "ski"

// upLab brings up the simulated site (see lab.StartForTest).
func upLab(tb testing.TB, n int) (*lab.Lab, *lab.SOAPServers) {
	tb.Helper()
	return lab.StartForTest(tb, labFamily, n)
}

// scannerDial dials from inside the lab's scanner namespace: the socket is
// created there and stays there, whichever goroutine uses it.
func scannerDial(l *lab.Lab) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		var c net.Conn
		err := l.InScanner(func() error {
			var err error
			c, err = (&net.Dialer{}).DialContext(ctx, network, addr)
			return err
		})
		return c, err
	}
}

// wantManufacturer is what each lab vendor's GetDeviceInformation says.
var wantManufacturer = map[string]struct{ manufacturer, model, firmware string }{
	"Axis":      {"AXIS", "AXIS Q6045-E", "5.55.1.2"},
	"Hikvision": {"HIKVISION", "DS-2CD2012-I", "V5.2.0 build 140721"},
	"Pelco":     {"Pelco", "D6230L", "2.9.0.4.9340-A0.0"},
	"TRENDnet":  {"TRENDnet", "TV-IP320PI", "V5.3.4 build 160830"},
}

func TestLabScanIdentifies(t *testing.T) {
	const n = 30
	l, soap := upLab(t, n)

	var (
		mu  sync.Mutex
		got = map[string]discovery.Device{}
		dup []string
	)
	cfg := discovery.Config{
		WSD:      wsd.Config{Wait: 2 * time.Second},
		Identify: discovery.IdentifyConfig{Dial: scannerDial(l)},
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	start := time.Now()
	var stats discovery.Stats
	err := l.InScanner(func() error {
		var err error
		stats, err = discovery.Scan(ctx, cfg, func(d discovery.Device) {
			mu.Lock()
			defer mu.Unlock()
			if _, ok := got[d.EndpointRef]; ok {
				dup = append(dup, d.EndpointRef)
			}
			got[d.EndpointRef] = d
		})
		return err
	})
	if err != nil {
		t.Fatalf("Scan = %v", err)
	}
	t.Logf("scan took %v; stats %+v (wsd received %d); onvif requests/faults %v",
		time.Since(start), stats, stats.WSD.Received, func() []int64 { a, b := soap.Requests(); return []int64{a, b} }())
	if len(dup) > 0 {
		t.Errorf("reported twice: %q", dup)
	}
	if len(got) != n || stats.Devices != n || stats.Identified != n {
		t.Errorf("%d devices found, %d reported, %d identified; want %d", len(got), stats.Devices, stats.Identified, n)
	}
	serials := map[string]int{}
	for i := range n {
		ld := l.Device(i)
		d, ok := got[ld.EndpointRef]
		if !ok {
			t.Errorf("device %d (%s) not found", i, ld.Addr)
			continue
		}
		if d.Err != nil {
			t.Errorf("device %d (%s): %v", i, ld.Vendor.Name, d.Err)
			continue
		}
		want := wantManufacturer[ld.Vendor.Name]
		if d.Manufacturer != want.manufacturer || d.Model != want.model || d.Firmware != want.firmware {
			t.Errorf("device %d: %q %q %q; want %q %q %q", i, d.Manufacturer, d.Model, d.Firmware, want.manufacturer, want.model, want.firmware)
		}
		if d.MAC != ld.MAC.String() {
			t.Errorf("device %d: MAC = %s; want %s", i, d.MAC, ld.MAC)
		}
		if d.Serial != lab.DeviceSerial(ld) {
			t.Errorf("device %d: Serial = %q; want %q", i, d.Serial, lab.DeviceSerial(ld))
		}
		serials[d.Serial]++
		if !slices.Equal(d.IPs, []string{ld.Addr.String()}) || d.Interface != "eth0" ||
			!slices.Equal(d.Sources, []string{"wsd", "onvif"}) || !slices.Equal(d.XAddrs, []string{ld.XAddr}) {
			t.Errorf("device %d: ips %q iface %q sources %q xaddrs %q; want %s, eth0, wsd+onvif, %s",
				i, d.IPs, d.Interface, d.Sources, d.XAddrs, ld.Addr, ld.XAddr)
		}
		if strings.Contains(d.HardwareID, ":") && d.HardwareID != ld.MAC.String() {
			t.Errorf("device %d: MAC-shaped HardwareID %q; want its own MAC %s", i, d.HardwareID, ld.MAC)
		}
	}
	if len(serials) != n {
		t.Errorf("%d distinct serials; want %d", len(serials), n)
	}
}
