package cli

import (
	"context"
	"fmt"
	"strings"

	"sitekeeper/internal/credentials"
	"sitekeeper/internal/discovery"
)

// scanLogins is what a scan tries on devices that refuse anonymous calls,
// and where it came from, for the summary.
type scanLogins struct {
	creds     []discovery.Credential
	fromFile  int // of creds, how many came from --credentials FILE
	saved     int // of creds, how many are saved in SiteKeeper
	storeErr  error
	persisted bool
}

// loginsForScan opens the saved logins (the OS credential store; session
// only, and empty, when there is none) and puts the --credentials file's
// lines first: a person named them for this scan. A login in both is tried
// once. The Identifier asks each device with at most
// discovery.MaxCredentialTries of them.
func loginsForScan(ctx context.Context, file []discovery.Credential) scanLogins {
	v := credentials.Open(ctx, credentials.Options{})
	l := mergeLogins(file, v.ForScan())
	l.storeErr, l.persisted = v.StoreErr(), v.Persistent()
	return l
}

func mergeLogins(file, saved []discovery.Credential) scanLogins {
	var l scanLogins
	seen := map[discovery.Credential]bool{}
	for i, list := range [][]discovery.Credential{file, saved} {
		for _, c := range list {
			if seen[c] {
				continue
			}
			seen[c] = true
			l.creds = append(l.creds, c)
			if i == 0 {
				l.fromFile++
			} else {
				l.saved++
			}
		}
	}
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
