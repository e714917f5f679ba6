package cli

import (
	"errors"
	"strings"
	"testing"

	"sitekeeper/internal/credentials"
	"sitekeeper/internal/discovery"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/transfer"
)

func TestResolveLogins(t *testing.T) {
	v := credentials.NewSession(nil)
	for _, s := range []credentials.Set{
		{Username: "admin", Password: "a"},
		{Username: "north", Password: "n", Scope: credentials.Scope{Site: "North"}},
		{Username: "south", Password: "s", Scope: credentials.Scope{Site: "South"}},
		{Username: "gate", Password: "g", Scope: credentials.Scope{Device: "d1"}},
	} {
		if _, err := v.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	file := []discovery.Credential{{Username: "onvif", Password: "b"}, {Username: "admin", Password: "a"}}
	known := []inventory.Device{{ID: "d1", Known: inventory.Known{Site: "North"}, Discovered: inventory.Discovered{IPs: []string{"198.18.1.10"}}}}
	l := resolveLogins(v, file, known)
	if l.fromFile != 2 || l.saved != 3 || l.persisted || l.storeErr == nil {
		t.Errorf("resolveLogins: file %d, saved %d, persisted %v, store error %v; want 2, 3 (admin once), false, the session's", l.fromFile, l.saved, l.persisted, l.storeErr)
	}
	for _, c := range []struct {
		name string
		ip   string
		want string
	}{
		{"the known device", "198.18.1.10", "onvif,admin,gate,north"},
		{"a new device", "198.18.1.99", "onvif,admin,north,south"},
	} {
		var users []string
		for _, cr := range l.forDevice(inventory.Discovered{IPs: []string{c.ip}}) {
			users = append(users, cr.Username)
		}
		if got := strings.Join(users, ","); got != c.want {
			t.Errorf("%s: forDevice(%s) = %s; want %s", c.name, c.ip, got, c.want)
		}
	}

	// With --no-save, no device is known: every site's after all sites'.
	l = resolveLogins(v, nil, nil)
	if l.fromFile != 0 || l.saved != 3 {
		t.Errorf("resolveLogins(no devices): file %d, saved %d; want 0, 3 (gate's device unknown)", l.fromFile, l.saved)
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
		{"tried", scanLogins{persisted: true, saved: 2, fromFile: 1}, []string{
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
