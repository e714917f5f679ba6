package discovery

import (
	"net/netip"
	"slices"
	"testing"

	"sitekeeper/internal/inventory"
)

func finding(sources []string, ips ...string) Device {
	return Device{Discovered: inventory.Discovered{IPs: ips, Sources: sources}}
}

func TestMergeByAddressAcrossFinders(t *testing.T) {
	m := newMerger()

	// mDNS hears the camera first: a TXT model hint and its MAC.
	mdns := finding([]string{"mdns"}, "198.18.1.10")
	mdns.Model = "M3045"
	mdns.MAC = "ac:cc:8e:12:34:56"
	mdns.Hostnames = []string{"axis-accc8e123456.local"}
	mdns.Services = []string{"_axis-video._tcp:80"}
	mdns.Class = inventory.ClassCamera
	d := m.add(mdns)
	if d.Key != 0 || d.Update {
		t.Fatalf("first finding: Key %d Update %v; want 0 false", d.Key, d.Update)
	}
	if d.MACVendor != "Axis Communications AB" {
		t.Errorf("MACVendor = %q; want the IEEE name of AC:CC:8E", d.MACVendor)
	}

	// Then WS-Discovery + ONVIF identify it: what it says of itself wins.
	onvif := finding([]string{SourceWSD, SourceONVIF}, "198.18.1.10")
	onvif.asked = true
	onvif.Manufacturer, onvif.Model, onvif.Serial = "AXIS", "M3045-V", "ACCC8E123456"
	onvif.EndpointRef = "urn:uuid:1"
	d = m.add(onvif)
	if d.Key != 0 || !d.Update {
		t.Fatalf("second finding: Key %d Update %v; want 0 true", d.Key, d.Update)
	}
	if d.Model != "M3045-V" || d.Manufacturer != "AXIS" || d.Serial != "ACCC8E123456" {
		t.Errorf("identity = %q %q %q; want ONVIF's", d.Manufacturer, d.Model, d.Serial)
	}
	if d.MAC != "ac:cc:8e:12:34:56" || !slices.Equal(d.Sources, []string{"mdns", SourceWSD, SourceONVIF}) {
		t.Errorf("MAC %q Sources %v", d.MAC, d.Sources)
	}

	// A later mDNS hint neither changes ONVIF's identity nor its verdict.
	late := finding([]string{"mdns"}, "198.18.1.10")
	late.Model = "something else"
	late.Services = []string{"_rtsp._tcp:554"}
	d = m.add(late)
	if d.Model != "M3045-V" || d.Err != nil || !slices.Contains(d.Services, "_rtsp._tcp:554") {
		t.Errorf("after a late hint: Model %q Err %v Services %v", d.Model, d.Err, d.Services)
	}
	if all := m.all(); len(all) != 1 || all[0].Update {
		t.Fatalf("all() = %d devices (Update %v); want 1", len(all), all[0].Update)
	}
}

func TestMergeKeepsDistinctDevicesApart(t *testing.T) {
	m := newMerger()
	a := m.add(finding([]string{"mdns"}, "198.18.1.10"))
	b := m.add(finding([]string{"mdns"}, "198.18.1.11"))
	if a.Key == b.Key || b.Update {
		t.Fatalf("two addresses merged: %+v %+v", a, b)
	}
	// A finding matching a by MAC and b by address joins a (the stronger
	// key) and does not fuse the two.
	c := finding([]string{SourceWSD}, "198.18.1.11")
	c.MAC = "00:11:22:33:44:55"
	m.add(c) // b now has that MAC
	d := finding([]string{"mdns"}, "198.18.1.10")
	d.MAC = "00:11:22:33:44:55"
	got := m.add(d)
	if got.Key != b.Key {
		t.Errorf("finding with b's MAC and a's address joined %d; want b (%d): MAC outranks an address", got.Key, b.Key)
	}
	if n := len(m.all()); n != 2 {
		t.Errorf("%d devices; want 2", n)
	}
}

func TestMergeVerdictFromONVIFOnly(t *testing.T) {
	m := newMerger()
	locked := finding([]string{SourceWSD}, "198.18.1.12")
	locked.asked, locked.NeedsCredentials, locked.Err = true, true, errNoXAddr
	m.add(locked)
	d := m.add(finding([]string{"mdns"}, "198.18.1.12"))
	if !d.NeedsCredentials || d.Err == nil {
		t.Errorf("an mDNS finding cleared the ONVIF verdict: %+v", d)
	}
	var s Stats
	s.count(append(m.all(), m.add(finding([]string{"mdns"}, "198.18.1.13"))))
	if s.Devices != 2 || s.NeedCredentials != 1 || s.Identified != 0 {
		t.Errorf("count = %+v; want 2 devices, 1 needing credentials, none identified (mDNS-only is not asked)", s)
	}
}

func TestMergeLocallyAdministeredMACHasNoVendor(t *testing.T) {
	m := newMerger()
	f := finding(nil, "198.18.1.14")
	f.MAC = "02:42:ac:11:00:02" // a container's random address
	if d := m.add(f); d.MACVendor != "" {
		t.Errorf("MACVendor = %q; want none", d.MACVendor)
	}
}

func TestFillFromNeighbors(t *testing.T) {
	m := newMerger()
	locked := finding([]string{SourceWSD}, "198.18.1.10")
	locked.asked, locked.NeedsCredentials = true, true
	m.add(locked)
	known := finding([]string{SourceWSD}, "198.18.1.11")
	known.MAC = "00:11:22:33:44:55"
	m.add(known)
	m.add(finding([]string{"mdns"}, "198.18.1.12")) // not in the table

	var updates []Device
	table := map[netip.Addr]string{
		netip.MustParseAddr("198.18.1.10"): "44:19:b6:00:00:01",
		netip.MustParseAddr("198.18.1.11"): "66:66:66:66:66:66",
	}
	fillFromNeighbors(m, func() map[netip.Addr]string { return table }, func(f Device) { updates = append(updates, m.add(f)) })
	if len(updates) != 1 {
		t.Fatalf("%d updates; want 1 (only the device without a MAC that the table knows)", len(updates))
	}
	d := updates[0]
	if d.Key != 0 || !d.Update || d.MAC != "44:19:b6:00:00:01" || d.MACVendor == "" || !d.NeedsCredentials {
		t.Errorf("update = %+v; want device 0 with the table's MAC and vendor, still needing credentials", d)
	}
	if got := m.all()[1].MAC; got != "00:11:22:33:44:55" {
		t.Errorf("a MAC the device gave was replaced by %q", got)
	}
}
