package discovery

import (
	"slices"
	"strings"

	"github.com/endobit/oui"

	"sitekeeper/internal/inventory"
)

// merger gathers one scan's findings — WS-Discovery replies identified over
// ONVIF, mDNS services — into devices. A finding joins the device it shares
// an identity with, tried strongest first as inventory.Reconcile does:
// manufacturer and serial, MAC, WS-Discovery endpoint reference, then an
// address. Within one scan an address is a sound key: two devices cannot
// hold the same IPv4 address on one LAN at the same moment (a conflict
// makes one of them unreachable anyway). It is not safe for concurrent use.
type merger struct {
	devices []*Device
	keys    map[string]int // identity key -> index in devices
}

func newMerger() *merger { return &merger{keys: map[string]int{}} }

// add merges f into the device it matches, or adds it, and returns the
// device as it now stands, with Key set and Update true when it was known.
func (m *merger) add(f Device) Device {
	fillVendor(&f.Discovered)
	i, ok := m.match(&f)
	if !ok {
		i = len(m.devices)
		f.Key = i
		f.Update = false
		m.devices = append(m.devices, &f)
	} else {
		mergeInto(m.devices[i], &f)
		m.devices[i].Update = true
	}
	m.index(i)
	return m.devices[i].clone()
}

// all returns every device found, in the order first found.
func (m *merger) all() []Device {
	out := make([]Device, len(m.devices))
	for i, d := range m.devices {
		out[i] = d.clone()
		out[i].Update = false
	}
	return out
}

// identityKeys are the keys f can be matched by, strongest first.
func identityKeys(f *inventory.Discovered) []string {
	var keys []string
	if f.Serial != "" {
		keys = append(keys, "serial\x00"+strings.ToLower(f.Manufacturer)+"\x00"+strings.ToLower(f.Serial))
	}
	if f.MAC != "" {
		keys = append(keys, "mac\x00"+f.MAC)
	}
	if f.EndpointRef != "" {
		keys = append(keys, "epr\x00"+f.EndpointRef)
	}
	for _, ip := range f.IPs {
		keys = append(keys, "ip\x00"+ip)
	}
	return keys
}

func (m *merger) match(f *Device) (int, bool) {
	for _, k := range identityKeys(&f.Discovered) {
		if i, ok := m.keys[k]; ok {
			return i, true
		}
	}
	return 0, false
}

// index records device i's keys. A key already held by another device
// stays with it: two findings that each match a different device are not
// fused (rare, and fusing could join two real devices through one bad hint).
func (m *merger) index(i int) {
	for _, k := range identityKeys(&m.devices[i].Discovered) {
		if _, ok := m.keys[k]; !ok {
			m.keys[k] = i
		}
	}
}

// mergeInto adds what f says to d. What a device said of itself over ONVIF
// outranks hints (a scope naming the hardware, an mDNS TXT model); a hint
// only fills a blank. The identification flags come from the finding that
// asked the device over ONVIF; an mDNS finding never changes them.
func mergeInto(d, f *Device) {
	o, n := &d.Discovered, &f.Discovered
	selfReported := slices.Contains(n.Sources, inventory.SourceSelfReported) &&
		!slices.Contains(o.Sources, inventory.SourceSelfReported)
	identity := func(dst *string, v string) {
		if v != "" && (*dst == "" || selfReported) {
			*dst = v
		}
	}
	identity(&o.Manufacturer, n.Manufacturer)
	identity(&o.Model, n.Model)
	identity(&o.Serial, n.Serial)
	identity(&o.HardwareID, n.HardwareID)
	identity(&o.Firmware, n.Firmware)
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&o.MAC, n.MAC)
	fill(&o.MACVendor, n.MACVendor)
	fill(&o.EndpointRef, n.EndpointRef)
	fill(&o.Interface, n.Interface)
	if o.Class == "" || o.Class == inventory.ClassOther {
		o.Class = n.Class
	}
	o.IPs = appendNew(o.IPs, n.IPs)
	o.Hostnames = appendNew(o.Hostnames, n.Hostnames)
	o.XAddrs = appendNew(o.XAddrs, n.XAddrs)
	o.Services = appendNew(o.Services, n.Services)
	o.Sources = appendNew(o.Sources, n.Sources)
	if f.asked {
		d.asked = true
		d.NeedsCredentials, d.NoAnswer, d.Err = f.NeedsCredentials, f.NoAnswer, f.Err
	}
}

// appendNew appends b's values missing from a, in b's order.
func appendNew(a, b []string) []string {
	for _, v := range b {
		if v != "" && !slices.Contains(a, v) {
			a = append(a, v)
		}
	}
	return a
}

// fillVendor sets the MAC's IEEE vendor when the MAC is known. Locally
// administered addresses (randomised phones, virtual machines, bridges)
// have no vendor.
func fillVendor(d *inventory.Discovered) {
	if d.MAC == "" || d.MACVendor != "" {
		return
	}
	d.MACVendor = oui.Vendor(d.MAC)
}

func (d *Device) clone() Device {
	c := *d
	c.Discovered = inventory.Device{Discovered: d.Discovered}.Clone().Discovered
	return c
}
