package inventory

import (
	"cmp"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"
	"unicode"
)

// keyKind is a way to recognise a device, strongest first.
type keyKind int

const (
	keySerial keyKind = iota // manufacturer + serial number
	keyMAC
	keyEPR // WS-Discovery endpoint reference
	keyIP  // weakest: addresses move
)

var indexBucket = [...][]byte{keySerial: bucketIdxSerial, keyMAC: bucketIdxMAC, keyEPR: bucketIdxEPR, keyIP: bucketIdxIP}

var keyName = [...]string{keySerial: "serial number", keyMAC: "MAC address", keyEPR: "endpoint reference", keyIP: "IP address"}

// CanonicalManufacturer folds the ways one vendor names itself ("AXIS",
// "Axis Communications AB", "HIKVISION", "Hikvision Digital Technology")
// to one token: the first word, lower case, letters and digits only. Two
// devices with the same canonical manufacturer and serial are one device.
func CanonicalManufacturer(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// canonicalEPR strips the urn:uuid: / uuid: prefixes devices disagree on.
func canonicalEPR(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "urn:")
	return strings.TrimPrefix(s, "uuid:")
}

// matchKeys returns the keys a device (or a finding) can be recognised by.
func matchKeys(mfr, serial, mac, epr string, ips []string) [4][]string {
	var k [4][]string
	if m, s := CanonicalManufacturer(mfr), strings.ToLower(strings.TrimSpace(serial)); m != "" && s != "" {
		k[keySerial] = []string{m + "\x00" + s}
	}
	if n, err := ParseMAC(mac); err == nil && n != "" {
		k[keyMAC] = []string{n}
	}
	if e := canonicalEPR(epr); e != "" {
		k[keyEPR] = []string{e}
	}
	for _, ip := range ips {
		if p := net.ParseIP(strings.TrimSpace(ip)); p != nil {
			k[keyIP] = append(k[keyIP], p.String())
		}
	}
	return k
}

func deviceKeys(d *Device) [4][]string {
	if d == nil {
		return [4][]string{}
	}
	return matchKeys(d.Manufacturer(), d.Serial(), d.MAC(), d.Discovered.EndpointRef, d.Discovered.IPs)
}

// reindex moves the index entries of device id from old's keys to d's.
// Either may be nil. An entry that another device has since taken over is
// left alone.
func reindex(tx kvTx, id string, old, d *Device) error {
	before, after := deviceKeys(old), deviceKeys(d)
	for kind := range before {
		for _, k := range before[kind] {
			if slices.Contains(after[kind], k) {
				continue
			}
			if string(tx.get(indexBucket[kind], []byte(k))) == id {
				if err := tx.del(indexBucket[kind], []byte(k)); err != nil {
					return err
				}
			}
		}
		for _, k := range after[kind] {
			if err := tx.put(indexBucket[kind], []byte(k), []byte(id)); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReconcileResult says what a reconcile did. IDs[i] is the device that
// found[i] was matched to or created as.
type ReconcileResult struct {
	Added     int
	Updated   int
	Unchanged int
	IDs       []string
	// AddedIDs are the devices the scan found for the first time.
	AddedIDs []string
}

// reconcile is the heart of "nothing a person typed is ever lost to a scan":
// each finding is matched to a device by the strongest key that agrees, and
// only the device's Discovered part is updated; differences from what a
// person entered are kept as conflict events, never written over.
func reconcile(tx kvTx, found []Discovered, now time.Time) (ReconcileResult, error) {
	res := ReconcileResult{IDs: make([]string, len(found))}
	for i := range found {
		f := normaliseFinding(found[i])
		id, err := match(tx, &f)
		if err != nil {
			return ReconcileResult{}, err
		}
		if id == "" {
			d := Device{ID: newID(), Lifecycle: Lifecycle{State: StateActive}}
			var evs []Event
			changedDiscovered(&d, &f, now, &evs)
			evs = append([]Event{{Time: now, Kind: EventFound, Detail: foundDetail(&f), New: d.IP()}}, evs...)
			if err := putDevice(tx, &d, nil); err != nil {
				return ReconcileResult{}, err
			}
			if err := addEvents(tx, d.ID, evs); err != nil {
				return ReconcileResult{}, err
			}
			res.Added++
			res.IDs[i] = d.ID
			res.AddedIDs = append(res.AddedIDs, d.ID)
			continue
		}
		old, err := getDevice(tx, id)
		if err != nil {
			return ReconcileResult{}, err
		}
		d := old.Clone()
		var evs []Event
		if changedDiscovered(&d, &f, now, &evs) {
			res.Updated++
		} else {
			res.Unchanged++
		}
		if err := putDevice(tx, &d, &old); err != nil {
			return ReconcileResult{}, err
		}
		if err := addEvents(tx, id, evs); err != nil {
			return ReconcileResult{}, err
		}
		res.IDs[i] = id
	}
	return res, nil
}

func addEvents(tx kvTx, id string, evs []Event) error {
	for _, ev := range evs {
		if err := addEvent(tx, id, ev); err != nil {
			return err
		}
	}
	return nil
}

func foundDetail(f *Discovered) string {
	how := "found"
	if len(f.Sources) > 0 {
		how += " by " + strings.Join(f.Sources, ", ")
	}
	if f.Interface != "" {
		how += " on " + f.Interface
	}
	return how
}

func normaliseFinding(f Discovered) Discovered {
	f = Device{Discovered: f}.Clone().Discovered
	if m, err := ParseMAC(f.MAC); err == nil {
		f.MAC = m
	} else {
		f.MAC = "" // a malformed MAC from the wire is no identity
	}
	ips := f.IPs[:0]
	for _, ip := range f.IPs {
		if p := net.ParseIP(strings.TrimSpace(ip)); p != nil && !slices.Contains(ips, p.String()) {
			ips = append(ips, p.String())
		}
	}
	f.IPs = ips
	return f
}

// match finds the device a finding belongs to, or "". A candidate found by a
// weak key (endpoint reference, IP) is refused when a strong key (serial,
// MAC) is known on both sides and differs: that is another device which has
// taken over the address, or a cloned configuration.
func match(tx kvTx, f *Discovered) (string, error) {
	fk := matchKeys(f.Manufacturer, f.Serial, f.MAC, f.EndpointRef, f.IPs)
	for kind := keySerial; kind <= keyIP; kind++ {
		for _, k := range fk[kind] {
			id := string(tx.get(indexBucket[kind], []byte(k)))
			if id == "" {
				continue
			}
			if kind < keyEPR {
				return id, nil
			}
			cand, err := getDevice(tx, id)
			if err != nil {
				return "", fmt.Errorf("index %s points at a missing device: %w", keyName[kind], err)
			}
			ck := deviceKeys(&cand)
			if conflicts(ck[keySerial], fk[keySerial]) || conflicts(ck[keyMAC], fk[keyMAC]) {
				continue
			}
			// Matched by IP alone, the finding knows no serial or MAC (a
			// device that wants a password), and its endpoint differs from
			// the candidate's, which does have a serial or MAC: a new
			// camera on an old camera's address. Merging them would give
			// the new one the old one's history and what people entered; a
			// second entry is the lesser harm.
			if kind == keyIP && len(fk[keySerial])+len(fk[keyMAC]) == 0 && len(ck[keySerial])+len(ck[keyMAC]) > 0 &&
				conflicts(ck[keyEPR], fk[keyEPR]) {
				continue
			}
			return id, nil
		}
	}
	return "", nil
}

func conflicts(a, b []string) bool {
	return len(a) > 0 && len(b) > 0 && a[0] != b[0]
}

// changedDiscovered merges a finding into d.Discovered, appends events for
// what changed, and reports whether anything but the sighting time did.
func changedDiscovered(d *Device, f *Discovered, now time.Time, evs *[]Event) bool {
	o := &d.Discovered
	changed := false
	set := func(dst *string, v string) {
		if v != "" && *dst != v {
			*dst = v
			changed = true
		}
	}
	if len(f.IPs) > 0 && !slices.Equal(o.IPs, f.IPs) {
		if len(o.IPs) > 0 {
			*evs = append(*evs, Event{Time: now, Kind: EventIPChanged, Old: strings.Join(o.IPs, " "), New: strings.Join(f.IPs, " ")})
		}
		o.IPs = f.IPs
		changed = true
	}
	if f.Firmware != "" && o.Firmware != "" && f.Firmware != o.Firmware {
		*evs = append(*evs, Event{Time: now, Kind: EventFirmwareChanged, Old: o.Firmware, New: f.Firmware})
	}
	conflict := func(field, entered, oldSeen, seen string) {
		if entered != "" && seen != "" && seen != oldSeen && !strings.EqualFold(entered, seen) {
			*evs = append(*evs, Event{Time: now, Kind: EventConflict,
				Detail: fmt.Sprintf("the network reports %s %q; kept the value a person entered", field, seen),
				Old:    entered, New: seen})
		}
	}
	conflict("manufacturer", d.Known.Manufacturer, o.Manufacturer, f.Manufacturer)
	conflict("model", d.Known.Model, o.Model, f.Model)
	conflict("serial number", d.Known.Serial, o.Serial, f.Serial)
	conflict("MAC address", d.Known.MAC, o.MAC, f.MAC)
	conflict("class", string(d.Known.Class), string(o.Class), string(f.Class))

	set(&o.Firmware, f.Firmware)
	set(&o.MAC, f.MAC)
	set(&o.MACVendor, f.MACVendor)
	// What the device says of itself (ONVIF GetDeviceInformation) is the
	// identity; a hint from elsewhere (a WS-Discovery scope naming the
	// hardware "Q6045-E") only fills a blank, so a scan in which the device
	// did not answer does not flip "AXIS Q6045-E" back and forth.
	setIdentity := set
	if !slices.Contains(f.Sources, SourceSelfReported) {
		setIdentity = func(dst *string, v string) {
			if *dst == "" {
				set(dst, v)
			}
		}
	}
	setIdentity(&o.Manufacturer, f.Manufacturer)
	setIdentity(&o.Model, f.Model)
	setIdentity(&o.Serial, f.Serial)
	setIdentity(&o.HardwareID, f.HardwareID)
	set((*string)(&o.Class), string(f.Class))
	set(&o.EndpointRef, f.EndpointRef)
	set(&o.Interface, f.Interface)
	if len(f.XAddrs) > 0 && !slices.Equal(o.XAddrs, f.XAddrs) {
		o.XAddrs = f.XAddrs
		changed = true
	}
	for _, l := range []struct{ dst, src *[]string }{{&o.Hostnames, &f.Hostnames}, {&o.Services, &f.Services}, {&o.Sources, &f.Sources}} {
		if u := union(*l.dst, *l.src); !slices.Equal(u, *l.dst) {
			*l.dst = u
			changed = true
		}
	}
	if o.FirstSeen.IsZero() {
		o.FirstSeen = now
	}
	o.LastSeen = now
	return changed
}

// union adds b's values missing from a, keeping a's order and sorting the
// newcomers, so the same finding always yields the same bytes.
func union(a, b []string) []string {
	var add []string
	for _, v := range b {
		if v != "" && !slices.Contains(a, v) && !slices.Contains(add, v) {
			add = append(add, v)
		}
	}
	if len(add) == 0 {
		return a
	}
	slices.SortFunc(add, cmp.Compare)
	return append(slices.Clone(a), add...)
}

// NotSeen returns the devices of devs that an earlier scan found but the
// scan reconciled as res did not: active devices with a sighting, whose ID
// is not in res.IDs, in devs' order. They may be switched off, moved to
// another segment, or on an adapter this scan did not search; a scan says
// so and changes nothing about them (watching whether they are down is the
// health checks' work).
func NotSeen(devs []Device, res ReconcileResult) []Device {
	seen := make(map[string]bool, len(res.IDs))
	for _, id := range res.IDs {
		seen[id] = true
	}
	var out []Device
	for _, d := range devs {
		if !seen[d.ID] && d.Lifecycle.State == StateActive && !d.Discovered.LastSeen.IsZero() {
			out = append(out, d)
		}
	}
	return out
}
