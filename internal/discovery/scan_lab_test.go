//go:build linux

package discovery_test

import (
	"context"
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

// scanLab runs discovery.Scan with cfg in l's scanner namespace, the only
// way this package's lab tests scan. It sets cfg.Identify.Dial to
// l.ScannerDial and refuses a cfg that brings its own: the identifier
// dials from its own goroutines, and any other dialer (the default above
// all) would connect from the default namespace, onto this machine's
// network. soap, when not nil, must then have seen every connection come
// from the scanner's address.
func scanLab(tb testing.TB, ctx context.Context, l *lab.Lab, soap *lab.SOAPServers, cfg discovery.Config, onFound func(discovery.Device)) (discovery.Stats, error) {
	tb.Helper()
	if cfg.Identify.Dial != nil {
		tb.Fatal("scanLab: cfg.Identify.Dial is set; lab scans always dial with l.ScannerDial")
	}
	cfg.Identify.Dial = l.ScannerDial
	var stats discovery.Stats
	err := l.InScanner(func() error {
		var err error
		stats, err = discovery.Scan(ctx, cfg, onFound)
		return err
	})
	if soap != nil {
		for i := range l.Devices() {
			if st := soap.Stats(i); st.Foreign != 0 {
				tb.Errorf("device %d: %d connections not from the scanner (%+v)", i, st.Foreign, st)
			}
		}
	}
	return stats, err
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
	cfg := discovery.Config{WSD: wsd.Config{Wait: 2 * time.Second}}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	start := time.Now()
	stats, err := scanLab(t, ctx, l, soap, cfg, func(d discovery.Device) {
		mu.Lock()
		defer mu.Unlock()
		if _, ok := got[d.EndpointRef]; ok {
			dup = append(dup, d.EndpointRef)
		}
		got[d.EndpointRef] = d
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
