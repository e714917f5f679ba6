package app

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"sitekeeper/internal/alert/smtptest"
	"sitekeeper/internal/credentials"
	"sitekeeper/internal/inventory"
)

// TestAlertSettingsEmail: the e-mail inputs are checked as typed; "Send a
// test" mails the test alert with the password typed; Save stores the
// settings without the password and the password in the credential store;
// then alerts and later tests use the saved password, and a refused login
// is said in plain words.
func TestAlertSettingsEmail(t *testing.T) {
	keyring.MockInit()
	ctx := context.Background()
	f := smtptest.Start(t, true)
	st := inventory.NewMemory()
	vault := credentials.Open(ctx, credentials.Options{})
	u := newTestUIOpt(t, st, nil, Options{Logins: vault})
	u.mail.TLS = f.ClientTLS() // trust the test server's certificate
	s, m := u.settings, u.settings.mail
	u.showSettings()
	if hasText(u, "The password is kept for this session only") {
		t.Error("a session-only notice over a working credential store")
	}

	m.server.SetText("smtp.example.com")
	m.to.SetText("owner@northwind.example, not an address")
	if !s.saveAlerts.Disabled() || !m.serverMsg.Visible() || !m.fromMsg.Visible() || !strings.Contains(m.toMsg.Text, "“not an address” is not an e-mail address") {
		t.Errorf("a server without a port, no from and a bad address: Save enabled %v, messages %q / %q / %q",
			!s.saveAlerts.Disabled(), m.serverMsg.Text, m.fromMsg.Text, m.toMsg.Text)
	}
	m.server.SetText(f.Addr())
	m.from.SetText("SiteKeeper <sitekeeper@northwind.example>")
	m.to.SetText("owner@northwind.example, IT <it@northwind.example>")
	m.user.SetText("sk")
	m.password.SetText("s3cret")
	if s.saveAlerts.Disabled() || m.serverMsg.Visible() || m.fromMsg.Visible() || m.toMsg.Visible() {
		t.Fatalf("good e-mail settings refused: %q / %q / %q", m.serverMsg.Text, m.fromMsg.Text, m.toMsg.Text)
	}

	test.Tap(s.test)
	u.wait()
	if user, pw := f.Login(); user != "sk" || pw != "s3cret" || len(f.Messages()) != 1 || !strings.Contains(f.Messages()[0], "Test from SiteKeeper") {
		t.Errorf("test mail: login %q/%q, %d messages; want sk/s3cret and the test alert", user, pw, len(f.Messages()))
	}
	if want := "E-mail: sent to owner@northwind.example, it@northwind.example."; !strings.Contains(s.alertResult.Text, want) {
		t.Errorf("result = %q; want %q", s.alertResult.Text, want)
	}

	test.Tap(s.saveAlerts)
	u.wait()
	saved, _ := st.Settings(ctx)
	want := inventory.EmailSettings{Server: f.Addr(), From: "sitekeeper@northwind.example",
		To: []string{"owner@northwind.example", "it@northwind.example"}, Username: "sk"}
	if !reflect.DeepEqual(saved.Email, want) {
		t.Errorf("saved e-mail settings = %+v; want %+v", saved.Email, want)
	}
	if b, _ := json.Marshal(saved); strings.Contains(string(b), "s3cret") {
		t.Errorf("the password is in the stored settings: %s", b)
	}
	if pw, err := credentials.Open(ctx, credentials.Options{}).LoadSecret(credentials.MailPassword); pw != "s3cret" || err != nil {
		t.Errorf("password in the credential store = %q, %v; want s3cret", pw, err)
	}
	if m.password.Text != "" || !s.saveAlerts.Disabled() {
		t.Errorf("after Save: password entry %q, Save enabled %v; want it emptied and Save disabled", m.password.Text, !s.saveAlerts.Disabled())
	}

	// An alert is mailed with the saved password.
	res, err := st.Reconcile(ctx, []inventory.Discovered{{IPs: []string{"198.18.1.10"}, Class: inventory.ClassCamera}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	prev, _ := st.Statuses(ctx)
	u.raise(ctx, []inventory.StatusChange{{DeviceID: res.IDs[0], At: time.Now(), To: inventory.HealthOffline, Cause: "no answer to ping"}}, prev)
	u.wait()
	if msgs := f.Messages(); len(msgs) != 2 || !strings.Contains(msgs[1], "198.18.1.10") {
		t.Errorf("%d messages after an alert; want the alert mailed", len(msgs))
	}

	// A refused login is said in words, with what to do.
	f.RefuseLogins()
	test.Tap(s.test)
	u.wait()
	if !strings.Contains(s.alertResult.Text, "E-mail: the mail server refused the user name or password. Check them and try again.") {
		t.Errorf("result = %q; want the refused login in words", s.alertResult.Text)
	}

	// Emptying the e-mail fields turns e-mail off and forgets the password.
	for _, e := range []*widget.Entry{m.server, m.from, m.to, m.user} {
		e.SetText("")
	}
	test.Tap(s.saveAlerts)
	u.wait()
	if saved, _ := st.Settings(ctx); saved.Email.On() {
		t.Errorf("e-mail still on after emptying its fields: %+v", saved.Email)
	}
	if pw, _ := vault.LoadSecret(credentials.MailPassword); pw != "" {
		t.Errorf("the password is still saved after e-mail was turned off")
	}
}

// TestAlertSettingsEmailSessionOnly: without a credential store the
// password field says it is kept for this session only, why, and what to
// do, in the words the logins use.
func TestAlertSettingsEmailSessionOnly(t *testing.T) {
	noStore := credentials.NewSession(&credentials.StoreError{Op: "open", Err: errors.New("dbus: session bus not found")})
	u := newTestUIOpt(t, inventory.NewMemory(), nil, Options{Logins: noStore})
	u.showSettings()
	if !hasText(u, "The password is kept for this session only: this computer has no keyring running (GNOME Keyring or KWallet). To keep it, sign in to a desktop that runs one") || !hasText(u, "then type the password again.") {
		t.Error("no session-only notice under the mail password")
	}
}

// TestCheckMailServer: a server needs a name and a port.
func TestCheckMailServer(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"smtp.example.com:587", true},
		{" mail.northwind.example:25 ", true},
		{"[2001:db8::1]:587", true},
		{"smtp.example.com", false},
		{":587", false},
		{"smtp.example.com:port", false},
		{"smtp.example.com:70000", false},
	} {
		if got := checkMailServer(c.in) == ""; got != c.ok {
			t.Errorf("checkMailServer(%q) ok = %v; want %v", c.in, got, c.ok)
		}
	}
}
