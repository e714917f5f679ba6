package credentials

import (
	"strings"

	"sitekeeper/internal/discovery"
)

// For returns the logins to try on one device, most specific first: the
// device's own sets, then its site's (site names match in any case, as the
// inventory's do), then those for all sites, each group in the order saved.
// A user name and password that two sets share is tried once. site and
// deviceID may be empty (a device not in the inventory yet).
//
// The scan asks a device with at most discovery.MaxCredentialTries of them,
// so the order decides which are tried.
func (v *Vault) For(site, deviceID string) []discovery.Credential {
	return v.pick(ofDevice(deviceID), ofSite(site), Scope.AllSites)
}

// ofDevice matches the sets for the device with this inventory ID.
func ofDevice(id string) func(Scope) bool {
	return func(s Scope) bool { return id != "" && s.Device == id }
}

// ofSite matches the sets for this site (in any case, as the inventory
// matches site names), not those for one of its devices.
func ofSite(site string) func(Scope) bool {
	site = strings.TrimSpace(site)
	return func(s Scope) bool { return site != "" && s.Device == "" && strings.EqualFold(s.Site, site) }
}

// ofAnySite matches the sets for one site, whichever it is.
func ofAnySite(s Scope) bool { return s.Device == "" && s.Site != "" }

// pick returns the credentials of the sets that match each group in turn,
// without repeating a user name and password.
func (v *Vault) pick(groups ...func(Scope) bool) []discovery.Credential {
	v.mu.Lock()
	defer v.mu.Unlock()
	return pick(nil, v.sets, groups...)
}

// pick returns first, then the credentials of the sets that match each
// group in turn, each user name and password once.
func pick(first []discovery.Credential, sets []Set, groups ...func(Scope) bool) []discovery.Credential {
	var out []discovery.Credential
	seen := map[discovery.Credential]bool{}
	add := func(c discovery.Credential) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, c := range first {
		add(c)
	}
	for _, in := range groups {
		for _, s := range sets {
			if in(s.Scope) {
				add(credentialOf(s))
			}
		}
	}
	return out
}

func credentialOf(s Set) discovery.Credential {
	return discovery.Credential{Username: s.Username, Password: string(s.Password)}
}
