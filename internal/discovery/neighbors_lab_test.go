//go:build linux

package discovery_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/lab"
)

// TestLabMACFromNeighbors scans devices that answer WS-Discovery but have
// no ONVIF service (as a password-locked camera tells nothing): each still
// gets its MAC, from the scanner namespace's neighbour table.
func TestLabMACFromNeighbors(t *testing.T) {
	const n = 8
	l := lab.UpForTest(t, labFamily, n)
	lab.ServeForTest(t, l, lab.ResponderConfig{})
	got := map[int]discovery.Device{}
	stats, err := scanLab(t, t.Context(), l, nil, discovery.Config{
		WSD:      wsd.Config{Wait: time.Second},
		NoMDNS:   true,
		Identify: discovery.IdentifyConfig{CallTimeout: time.Second},
	}, func(d discovery.Device) { got[d.Key] = d })
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

// TestLabScanMergesFinders runs WS-Discovery, ONVIF and mDNS together on a
// site where camera 0 also runs a real avahi-daemon publishing its Axis
// services, and a printer publishes IPP: the camera is one device with
// what each finder knows, the printer is found by mDNS alone.
func TestLabScanMergesFinders(t *testing.T) {
	lab.SkipUnlessAvahi(t)
	const n = 4
	l, soap := upLab(t, n)
	cam := l.Device(0)
	macHex := strings.ToUpper(strings.ReplaceAll(cam.MAC.String(), ":", ""))
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	av, err := l.StartAvahi(ctx, lab.Host{Namespace: cam.Namespace, Addr: cam.Addr, MAC: cam.MAC}, lab.AvahiConfig{
		HostName: "axis-" + strings.ToLower(macHex),
		Services: []lab.AvahiService{
			{Name: "AXIS Q6045-E - " + macHex, Type: "_axis-video._tcp", Port: 80, TXT: []string{"macaddress=" + macHex}},
			{Name: "AXIS Q6045-E - " + macHex, Type: "_rtsp._tcp", Port: 554},
		},
	})
	if err != nil {
		t.Fatalf("StartAvahi on camera 0 = %v", err)
	}
	defer av.Stop()
	printer, _ := lab.AvahiForTest(t, l, nil, lab.AvahiConfig{
		HostName: "office-printer",
		Services: []lab.AvahiService{{Name: "HP LaserJet M404", Type: "_ipp._tcp", Port: 631,
			TXT: []string{"usb_MFG=HP", "usb_MDL=LaserJet Pro M404dn", "ty=HP LaserJet Pro M404dn"}}},
	})

	got := map[int]discovery.Device{}
	var updates int
	stats, err := scanLab(t, t.Context(), l, soap, discovery.Config{WSD: wsd.Config{Wait: 2 * time.Second}}, func(d discovery.Device) {
		if _, ok := got[d.Key]; ok != d.Update {
			t.Errorf("device %d: Update %v, seen before %v", d.Key, d.Update, ok)
		}
		if d.Update {
			updates++
		}
		got[d.Key] = d
	})
	if err != nil {
		t.Fatalf("Scan = %v", err)
	}
	if len(got) != n+1 || stats.Devices != n+1 || stats.Identified != n {
		t.Fatalf("%d devices (stats %+v); want %d, %d identified", len(got), stats, n+1, n)
	}
	if !slices.Contains(stats.MDNS.Interfaces, "eth0") || stats.MDNS.Replies["eth0"] < 3 || stats.MDNS.Err != nil {
		t.Errorf("MDNS stats = %+v; want eth0 browsed with 3 services", stats.MDNS)
	}
	byIP := map[string]discovery.Device{}
	for _, d := range got {
		if len(d.IPs) != 1 {
			t.Errorf("device %d: IPs %q; want one", d.Key, d.IPs)
		}
		byIP[d.IPs[0]] = d
	}
	c := byIP[cam.Addr.String()]
	for _, want := range []string{discovery.SourceWSD, discovery.SourceONVIF, discovery.SourceMDNS} {
		if !slices.Contains(c.Sources, want) {
			t.Errorf("camera 0: Sources %q lack %q", c.Sources, want)
		}
	}
	if c.Model != "AXIS Q6045-E" || c.MAC != cam.MAC.String() || c.Class != inventory.ClassCamera ||
		!slices.Contains(c.Services, "_axis-video._tcp:80") || !slices.Contains(c.Services, "_rtsp._tcp:554") {
		t.Errorf("camera 0 = %+v; want ONVIF's model, its MAC, camera, both mDNS services", c.Discovered)
	}
	p := byIP[printer.Addr.String()]
	if p.Class != inventory.ClassPrinter || p.Manufacturer != "HP" || p.MAC != printer.MAC.String() ||
		!slices.Equal(p.Sources, []string{discovery.SourceMDNS, discovery.SourceNeighbors}) {
		t.Errorf("printer = %+v; want an HP printer with its MAC from the neighbour table", p.Discovered)
	}
	if updates == 0 {
		t.Error("no updates: camera 0 was found by two finders")
	}
}
