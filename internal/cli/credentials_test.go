package cli

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"sitekeeper/internal/credentials"
	"sitekeeper/internal/discovery"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/transfer"
)

func TestMergeLogins(t *testing.T) {
	a := discovery.Credential{Username: "admin", Password: "a"}
	b := discovery.Credential{Username: "onvif", Password: "b"}
	c := discovery.Credential{Username: "root", Password: "c"}
	l := mergeLogins([]discovery.Credential{b, a}, []discovery.Credential{a, c})
	if want := []discovery.Credential{b, a, c}; !slices.Equal(l.creds, want) || l.fromFile != 2 || l.saved != 1 {
		t.Errorf("mergeLogins = %+v (file %d, saved %d); want %+v, 2, 1", l.creds, l.fromFile, l.saved, want)
	}
}

func TestSummaryOfLogins(t *testing.T) {
	report := scanReport{Devices: []transfer.DeviceView{}, NeedCredentials: []string{"198.18.1.12"}, Saved: true}
	for _, c := range []struct {
		name  string
		l     scanLogins
		wants []string
	}{
		{"none", scanLogins{persisted: true}, []string{
			"1 device would not say what it is without a user name and password: 198.18.1.12.",
			"Camera and recorder logins", "--credentials FILE"}},
		{"tried", scanLogins{persisted: true, saved: 2, fromFile: 1, creds: make([]discovery.Credential, 3)}, []string{
			"1 device would not say what it is with the logins tried (2 saved in SiteKeeper, 1 from the file; at most 3 per device): 198.18.1.12."}},
		{"no store", scanLogins{storeErr: &credentials.StoreError{Op: "open", Err: errors.New("no bus")}}, []string{
			"Logins saved in SiteKeeper were not used:"}},
	} {
		var b strings.Builder
		summarise(&b, report, inventory.ReconcileResult{}, c.l, discovery.Diagnosis{})
		for _, w := range c.wants {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: the summary does not say %q:\n%s", c.name, w, b.String())
			}
		}
		if strings.Contains(b.String(), "no bus") {
			t.Errorf("%s: the summary shows the store's error text:\n%s", c.name, b.String())
		}
	}
}
