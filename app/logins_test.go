package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/credentials"
	"sitekeeper/internal/discovery"
	"sitekeeper/internal/inventory"
)

// memKeyring is a credential store in memory, so that no test touches the
// real one.
type memKeyring map[string]string

func (m memKeyring) Get(_, account string) (string, error) {
	v, ok := m[account]
	if !ok {
		return "", errors.New("not found") // never asked for a missing item here but the index
	}
	return v, nil
}
func (m memKeyring) Set(_, account, value string) error { m[account] = value; return nil }
func (m memKeyring) Delete(_, account string) error     { delete(m, account); return nil }

// savedVault is a persistent vault over an in-memory store.
func savedVault(t *testing.T) *credentials.Vault {
	t.Helper()
	m := memKeyring{"index": `{"version":1,"sets":[]}`}
	v := credentials.Open(context.Background(), credentials.Options{Keyring: m})
	if !v.Persistent() {
		t.Fatalf("vault over memory is not persistent: %v", v.StoreErr())
	}
	return v
}

// fillLogin fills the open Add dialog and saves.
func fillLogin(t *testing.T, u *testUI, label, user, password, scope string) {
	t.Helper()
	f := u.logins.adding
	if f == nil {
		t.Fatal("the Add a login dialog is not open")
	}
	f.label.SetText(label)
	f.user.SetText(user)
	f.password.SetText(password)
	f.scope.SetSelected(scope)
	f.dlg.Submit()
	u.wait()
}

// noLabelShows fails when a shown label contains s.
func noLabelShows(t *testing.T, u *testUI, s string) {
	t.Helper()
	if hasText(u, s) {
		t.Errorf("a label shows %q", s)
	}
}

func TestLoginsAddListRemove(t *testing.T) {
	v := savedVault(t)
	u := newTestUIOpt(t, newStore(t, sampleDevices(6)), nil, Options{Logins: v})
	u.showSettings()
	if !hasText(u, "No logins saved yet.") || hasText(u, "Saved for this session only") {
		t.Error("Settings does not say that no login is saved, or warns of a session store that is not")
	}

	test.Tap(findButton(u, "Add a login"))
	u.wait()
	if got, want := u.logins.adding.scope.Options, []string{"All sites", "Head office", "Retail Park", "Warehouse North"}; !slices.Equal(got, want) {
		t.Errorf("scope choices = %q; want %q", got, want)
	}
	if !u.logins.adding.password.Password {
		t.Error("the password is typed in clear")
	}
	fillLogin(t, u, "Warehouse cameras", "onvif", "Wh-s3cret!", "Warehouse North")
	test.Tap(findButton(u, "Add a login"))
	u.wait()
	fillLogin(t, u, "", "admin", "hunter22", "All sites")

	sets := v.List()
	if len(sets) != 2 || sets[0].Scope.Site != "Warehouse North" || !sets[1].Scope.AllSites() || sets[1].Label != "admin" {
		t.Fatalf("saved sets = %+v", sets)
	}
	if got := v.For("Warehouse North", ""); !slices.Equal(got, []discovery.Credential{{Username: "onvif", Password: "Wh-s3cret!"}, {Username: "admin", Password: "hunter22"}}) {
		t.Errorf("For(Warehouse North) = %+v; want the site's login, then the one for all sites", got)
	}
	for _, s := range []string{"Warehouse cameras", "User onvif", "Site Warehouse North", "User admin", "All sites", "Saved “admin”."} {
		if !hasText(u, s) {
			t.Errorf("the logins list does not show %q", s)
		}
	}
	noLabelShows(t, u, "Wh-s3cret!")
	noLabelShows(t, u, "hunter22")

	test.Tap(findRemove(t, u, 0))
	if !overlayHasText(u, "SiteKeeper will no longer try “Warehouse cameras” (user onvif) on site Warehouse North.") {
		t.Fatal("Remove does not ask first, naming the login")
	}
	tapOverlayButton(t, u, "Remove")
	u.wait()
	if sets := v.List(); len(sets) != 1 || sets[0].Username != "admin" {
		t.Errorf("after Remove the vault holds %+v; want admin only", sets)
	}
	if len(u.logins.rows.Objects) != 1 || !hasText(u, "Removed “Warehouse cameras”.") {
		t.Error("the removed login is still listed, or its removal is not confirmed")
	}
}

// findRemove returns the Remove button of the i-th saved login.
func findRemove(t *testing.T, u *testUI, i int) *widget.Button {
	t.Helper()
	var bs []*widget.Button
	walk(u.logins.rows, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Remove" {
			bs = append(bs, b)
		}
	})
	if i >= len(bs) {
		t.Fatalf("%d Remove buttons; want at least %d", len(bs), i+1)
	}
	return bs[i]
}

func TestLoginsAddRefusesEmpty(t *testing.T) {
	u := newTestUIOpt(t, newStore(t, nil), nil, Options{Logins: savedVault(t)})
	u.showSettings()
	test.Tap(findButton(u, "Add a login"))
	u.wait()
	f := u.logins.adding
	f.user.SetText("admin")
	if f.password.Validate() == nil {
		t.Error("an empty password passes")
	}
	if f.user.Validate() != nil {
		t.Error("a user name is refused")
	}
	if f.scopeItem.HintText != "Give devices a site in their form to choose one here." {
		t.Error("with no sites, the dialog does not say how to get one")
	}
}

func TestLoginsSessionOnlyNotice(t *testing.T) {
	noStore := credentials.NewSession(&credentials.StoreError{Op: "open", Err: errors.New("dbus: session bus not found")})
	u := newTestUIOpt(t, newStore(t, nil), nil, Options{Logins: noStore})
	u.showSettings()
	if !hasText(u, "Saved for this session only: this computer has no keyring running (GNOME Keyring or KWallet). To keep them, sign in to a desktop that runs one") {
		t.Error("a session-only store is not explained with what to do")
	}
	noLabelShows(t, u, "dbus")

	timeout := credentials.NewSession(&credentials.StoreError{Op: "open", Err: context.DeadlineExceeded})
	u = newTestUIOpt(t, newStore(t, nil), nil, Options{Logins: timeout})
	u.showSettings()
	if !hasText(u, "did not answer; it may be locked") {
		t.Error("a store that did not answer is not explained")
	}
}

func TestNoLoginsSectionWithoutVault(t *testing.T) {
	u := newTestUI(t, newStore(t, nil), nil)
	if hasText(u, "Camera and recorder logins") || findButton(u, "Add a login") != nil {
		t.Error("Settings offers logins without a vault")
	}
}

func TestScanTriesSavedLoginsAndOffersToAdd(t *testing.T) {
	v := savedVault(t)
	if _, err := v.Add(credentials.Set{Username: "admin", Password: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Add(credentials.Set{Username: "dev", Password: "y", Scope: credentials.Scope{Device: "d1"}}); err != nil {
		t.Fatal(err)
	}
	var got []discovery.Credential
	scan := func(ctx context.Context, loginsFor func(inventory.Discovered) []discovery.Credential, onFound func(discovery.Device)) (discovery.Stats, error) {
		got = loginsFor(inventory.Discovered{IPs: []string{"198.18.1.12"}}) // not in the inventory
		return fakeScanner(siteScan())(ctx, loginsFor, onFound)
	}
	u := newTestUIOpt(t, inventory.NewMemory(), nil, Options{Scanner: scan, Logins: v})
	test.Tap(findButton(u, "Scan the network"))
	u.wait()
	if want := []discovery.Credential{{Username: "admin", Password: "x"}}; !slices.Equal(got, want) {
		t.Errorf("the scan was given %+v; want %+v (never one device's login)", got, want)
	}
	if !hasText(u, "1 device would not say what it is with the saved login: 198.18.1.12. Add the login it uses and scan again.") {
		t.Error("the summary does not say which device wants a login and what to do")
	}
	add := findButton(u, "Add a login")
	if add == nil {
		t.Fatal("the summary offers no Add a login")
	}
	test.Tap(add)
	u.wait()
	if u.tabs.Selected().Content != u.settings.content || u.logins.adding == nil {
		t.Fatal("Add a login in the summary does not open the Add dialog in Settings")
	}
	fillLogin(t, u, "Gate", "gate", "g4te", "All sites")
	if !overlayHasText(u, "SiteKeeper can now try this login") {
		t.Error("after saving, SiteKeeper does not offer to scan again")
	}
}

func TestNeedLoginText(t *testing.T) {
	two := []string{"198.18.1.12", "198.18.1.13"}
	for _, c := range []struct {
		tried int
		want  string
	}{
		{0, "2 devices would not say what they are without a login: 198.18.1.12, 198.18.1.13. Add the login they use and scan again."},
		{2, "2 devices would not say what they are with the saved logins: 198.18.1.12, 198.18.1.13. Add the login they use and scan again."},
		{5, "with 3 of the 5 saved logins (SiteKeeper tries at most 3 on a device, so that no account gets locked)"},
	} {
		if got := needLoginText(two, c.tried, true); !strings.Contains(got, c.want) {
			t.Errorf("needLoginText(tried %d) = %q; want %q", c.tried, got, c.want)
		}
	}
}

func TestScreenshotLogins(t *testing.T) {
	if testing.Short() {
		t.Skip("captures are slow")
	}
	v := credentials.NewSession(&credentials.StoreError{Op: "open", Err: errors.New("no bus")})
	for _, s := range []credentials.Set{
		{Label: "Installer default", Username: "admin", Password: "x"},
		{Label: "Warehouse cameras", Username: "onvif", Password: "y", Scope: credentials.Scope{Site: "Warehouse North"}},
	} {
		if _, err := v.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	u := newTestUIOpt(t, newStore(t, sampleDevices(6)), nil, Options{Logins: v})
	u.showSettings()
	capture(t, u, "settings-logins")
	test.Tap(findButton(u, "Add a login"))
	u.wait()
	u.logins.adding.user.SetText("admin")
	u.logins.adding.password.SetText("secret")
	capture(t, u, "logins-add")

	u = newTestUIOpt(t, inventory.NewMemory(), nil, Options{Scanner: fakeScanner(siteScan()), Logins: v})
	test.Tap(findButton(u, "Scan the network"))
	u.wait()
	capture(t, u, "scan-summary-logins")
}
