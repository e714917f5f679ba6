package credentials

import (
	"net/netip"
	"slices"
	"strings"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/inventory"
)

// Resolver gives a scan the logins to try on each device it finds
// (discovery.IdentifyConfig.CredentialsFor is its For): a login saved for
// one device is tried on that device only, a site's on the devices of that
// site, the explicit ones (the --credentials file) on every device, first.
// Vault.ForDevices makes one at the start of a scan from the inventory's
// devices; it holds the sets saved at that moment, so that a login added
// during a scan waits for the next. It never changes after it is made, so
// For is safe for concurrent use.
type Resolver struct {
	first   []discovery.Credential
	sets    []Set
	devices []knownDevice
	// Indexes into devices by endpoint reference, MAC and IP address,
	// normalised (keysOf); ambiguous marks a key that two devices share.
	byEPR, byMAC, byIP map[string]int
}

// ambiguous is an index entry shared by two devices: it names neither.
const ambiguous = -1

type knownDevice struct {
	id, site string
	epr, mac string // normalised; "" when unknown
}

// ForDevices returns the Resolver of a scan: first (the logins a person
// named for this scan) go first on every device, then the sets saved in v
// that apply to the device, found in devices (the inventory's, by
// inventory.Store.Devices) by what WS-Discovery says of it:
//
//   - a known device with a site: its own sets, its site's, those for all
//     sites (For(site, id));
//   - a known device without a site, and a device not in the inventory:
//     its own sets (if known), those for all sites, then every site's:
//     its site is not known, and a site's login must
//     still open the devices that a scan finds before anyone gives them
//     a site;
//
// each login once. Replaced and decommissioned devices are left out: their
// address or endpoint may now be another device's. v may be nil (first
// only).
func (v *Vault) ForDevices(devices []inventory.Device, first []discovery.Credential) *Resolver {
	r := &Resolver{
		first: slices.Clone(first),
		byEPR: map[string]int{},
		byMAC: map[string]int{},
		byIP:  map[string]int{},
	}
	if v != nil {
		v.mu.Lock()
		r.sets = slices.Clone(v.sets)
		v.mu.Unlock()
	}
	for i := range devices {
		d := &devices[i]
		if s := d.State(); s == inventory.StateReplaced || s == inventory.StateDecommissioned {
			continue
		}
		epr, mac, ips := keysOf(d.Discovered.EndpointRef, d.MAC(), d.Discovered.IPs)
		n := len(r.devices)
		r.devices = append(r.devices, knownDevice{id: d.ID, site: strings.TrimSpace(d.Known.Site), epr: epr, mac: mac})
		index(r.byEPR, epr, n)
		index(r.byMAC, mac, n)
		for _, ip := range ips {
			index(r.byIP, ip, n)
		}
	}
	return r
}

func index(m map[string]int, key string, n int) {
	if key == "" {
		return
	}
	if j, ok := m[key]; ok && j != n {
		n = ambiguous
	}
	m[key] = n
}

// For returns the logins to try on the device that WS-Discovery describes
// as d (its endpoint reference, the MAC of its scopes, its address), most
// likely first. The scan tries at most discovery.MaxCredentialTries of them.
func (r *Resolver) For(d inventory.Discovered) []discovery.Credential {
	k, ok := r.lookup(d)
	switch {
	case ok && k.site != "":
		return pick(r.first, r.sets, ofDevice(k.id), ofSite(k.site), Scope.AllSites)
	case ok:
		return pick(r.first, r.sets, ofDevice(k.id), Scope.AllSites, ofAnySite)
	default:
		return pick(r.first, r.sets, Scope.AllSites, ofAnySite)
	}
}

// lookup finds the inventory's device that d describes: by endpoint
// reference, then MAC, then IP address, the most trusted first. A candidate
// whose MAC differs from d's is another device (a cloned configuration, a
// reused address), and so is one found by address whose endpoint reference
// differs: a device's own login must not be sent to its successor.
func (r *Resolver) lookup(d inventory.Discovered) (knownDevice, bool) {
	epr, mac, ips := keysOf(d.EndpointRef, d.MAC, d.IPs)
	differs := func(a, b string) bool { return a != "" && b != "" && a != b }
	if i, ok := r.byEPR[epr]; ok && i != ambiguous && !differs(r.devices[i].mac, mac) {
		return r.devices[i], true
	}
	if i, ok := r.byMAC[mac]; ok && i != ambiguous {
		return r.devices[i], true
	}
	for _, ip := range ips {
		if i, ok := r.byIP[ip]; ok && i != ambiguous && !differs(r.devices[i].mac, mac) && !differs(r.devices[i].epr, epr) {
			return r.devices[i], true
		}
	}
	return knownDevice{}, false
}

// keysOf normalises what identifies a device as the inventory does: the
// endpoint reference without its urn:uuid: prefix and in lower case, the
// MAC as inventory.ParseMAC writes it ("" when malformed), the addresses
// without IPv4-in-IPv6 mapping or zone.
func keysOf(epr, mac string, ips []string) (string, string, []string) {
	epr = strings.ToLower(strings.TrimSpace(epr))
	epr = strings.TrimPrefix(strings.TrimPrefix(epr, "urn:"), "uuid:")
	mac, err := inventory.ParseMAC(mac)
	if err != nil {
		mac = ""
	}
	var out []string
	for _, ip := range ips {
		if a, err := netip.ParseAddr(strings.TrimSpace(ip)); err == nil {
			out = append(out, a.Unmap().WithZone("").String())
		}
	}
	return epr, mac, out
}

// Counts returns how many distinct logins the scan may try: first, those
// given first, and saved, the sets saved in the Vault that are not among
// them. A set for a device that is not in the inventory (or is retired) is
// not counted: no device is asked with it.
func (r *Resolver) Counts() (first, saved int) {
	seen := map[discovery.Credential]bool{}
	for _, c := range r.first {
		if !seen[c] {
			seen[c] = true
			first++
		}
	}
	for _, s := range r.sets {
		c := credentialOf(s)
		if seen[c] || (s.Scope.Device != "" && !slices.ContainsFunc(r.devices, func(k knownDevice) bool { return k.id == s.Scope.Device })) {
			continue
		}
		seen[c] = true
		saved++
	}
	return first, saved
}
