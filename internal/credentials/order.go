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
	site = strings.TrimSpace(site)
	return v.pick(
		func(s Scope) bool { return deviceID != "" && s.Device == deviceID },
		func(s Scope) bool { return site != "" && s.Device == "" && strings.EqualFold(s.Site, site) },
		Scope.AllSites,
	)
}

// ForScan returns the logins to try on every device of a scan that does
// not know which site a device belongs to: those for all sites first, then
// every site's, each group in the order saved. Sets for one device are
// left out: their password must not be sent to any other device.
func (v *Vault) ForScan() []discovery.Credential {
	return v.pick(
		Scope.AllSites,
		func(s Scope) bool { return s.Device == "" && s.Site != "" },
	)
}

// pick returns the credentials of the sets that match each group in turn,
// without repeating a user name and password.
func (v *Vault) pick(groups ...func(Scope) bool) []discovery.Credential {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []discovery.Credential
	seen := map[discovery.Credential]bool{}
	for _, in := range groups {
		for _, s := range v.sets {
			c := discovery.Credential{Username: s.Username, Password: string(s.Password)}
			if in(s.Scope) && !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}
