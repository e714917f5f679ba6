package transfer

import (
	"fmt"
	"strings"

	"sitekeeper/internal/inventory"
)

// identities finds rows that describe a device twice: two rows of the file
// with the same MAC address or the same manufacturer and serial number, or
// a row for a device the inventory already has. Import only adds devices,
// so such a row would make a second entry for one device, and a later scan
// would keep only one of them up to date; it is refused instead, with the
// way out.
type identities struct {
	existing map[string]string // key -> display name of the inventory's device
	inFile   map[string]int    // key -> line of the row that has it
}

func newIdentities(devices []inventory.Device) *identities {
	ids := &identities{existing: map[string]string{}, inFile: map[string]int{}}
	for i := range devices {
		d := &devices[i]
		for _, k := range identityKeys(d.Manufacturer(), d.Serial(), d.MAC()) {
			ids.existing[k.key] = d.DisplayName()
		}
	}
	return ids
}

type identityKey struct {
	key  string // for lookups
	what string // for people: `mac 00:1a:2b:3c:4d:5e`
}

// identityKeys are the strong keys of inventory.Reconcile: manufacturer and
// serial together, and the MAC address (already normalised).
func identityKeys(manufacturer, serial, mac string) []identityKey {
	var out []identityKey
	if mac != "" {
		out = append(out, identityKey{"mac\x00" + mac, "mac " + mac})
	}
	// The store's rule, so that the file is judged as the store will judge it.
	m, s := inventory.CanonicalManufacturer(manufacturer), strings.ToLower(strings.TrimSpace(serial))
	if m != "" && s != "" {
		out = append(out, identityKey{"serial\x00" + m + "\x00" + s, fmt.Sprintf("serial %q of %s", serial, manufacturer)})
	}
	return out
}

// check returns why d, from the row on line, is a device already seen, or
// nothing; a device that passes is remembered.
func (ids *identities) check(d *inventory.Device, line int) []string {
	keys := identityKeys(d.Manufacturer(), d.Serial(), d.MAC())
	var msgs []string
	for _, k := range keys {
		if name, ok := ids.existing[k.key]; ok {
			msgs = append(msgs, fmt.Sprintf("the inventory already has a device with %s (%q); edit that device instead, or remove this row", k.what, name))
		} else if other, ok := ids.inFile[k.key]; ok {
			msgs = append(msgs, fmt.Sprintf("%s is also on line %d; list each device once", k.what, other))
		}
	}
	if len(msgs) == 0 {
		for _, k := range keys {
			ids.inFile[k.key] = line
		}
	}
	return msgs
}

// known returns how d matches a device the inventory already has, if it
// does: `mac 00:1a:2b:3c:4d:5e` and that device's name.
func (ids *identities) known(d *inventory.Device) (what, name string, ok bool) {
	for _, k := range identityKeys(d.Manufacturer(), d.Serial(), d.MAC()) {
		if name, ok := ids.existing[k.key]; ok {
			return k.what, name, true
		}
	}
	return "", "", false
}
