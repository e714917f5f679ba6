package cli

import (
	"context"
	"fmt"
	"strings"

	"sitekeeper/internal/credentials"
	"sitekeeper/internal/discovery"
	"sitekeeper/internal/inventory"
)

// scanLogins is what a scan tries on devices that refuse anonymous calls,
// and where it came from, for the summary.
type scanLogins struct {
	// forDevice gives the logins for one device: the file's, then the
	// saved ones that apply to it (credentials.Resolver.For).
	forDevice func(inventory.Discovered) []discovery.Credential
	fromFile  int // distinct logins from --credentials FILE
	saved     int // distinct logins saved in SiteKeeper that some device may be asked with
	storeErr  error
	persisted bool
}

// count is how many distinct logins the scan may try, on one device or another.
func (l scanLogins) count() int { return l.fromFile + l.saved }

// loginsForScan opens the saved logins (the OS credential store; session
// only, and empty, when there is none) and gives each device the
// --credentials file's lines first (a person named them for this scan),
// then the saved ones for it, found in devices (the inventory's): its own,
// its site's, all sites' (credentials.Vault.ForDevices). A login in both
// is tried once. The Identifier asks each device with at most
// discovery.MaxCredentialTries of them.
func loginsForScan(ctx context.Context, file []discovery.Credential, devices []inventory.Device) scanLogins {
	v := credentials.Open(ctx, credentials.Options{})
	return resolveLogins(v, file, devices)
}

func resolveLogins(v *credentials.Vault, file []discovery.Credential, devices []inventory.Device) scanLogins {
	r := v.ForDevices(devices, file)
	l := scanLogins{forDevice: r.For, storeErr: v.StoreErr(), persisted: v.Persistent()}
	l.fromFile, l.saved = r.Counts()
	return l
}

// loginSources is "2 saved in SiteKeeper, 1 from the file".
func loginSources(l scanLogins) string {
	var parts []string
	if l.saved > 0 {
		parts = append(parts, fmt.Sprintf("%d saved in SiteKeeper", l.saved))
	}
	if l.fromFile > 0 {
		parts = append(parts, fmt.Sprintf("%d from the file", l.fromFile))
	}
	return strings.Join(parts, ", ")
}
