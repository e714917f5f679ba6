package alert

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/internal/alert/smtptest"
	"sitekeeper/internal/inventory"
)

// offlineChange stores one camera and returns a change that takes it offline.
func offlineChange(t *testing.T, st *inventory.Memory, now time.Time) []inventory.StatusChange {
	t.Helper()
	res, err := st.Reconcile(context.Background(), []inventory.Discovered{{IPs: []string{"198.18.1.10"}, MAC: "00:40:8c:00:00:10", Class: inventory.ClassCamera}}, now)
	if err != nil {
		t.Fatal(err)
	}
	return []inventory.StatusChange{{DeviceID: res.IDs[0], At: now.Add(-time.Minute), To: inventory.HealthOffline, Cause: "no answer to ping"}}
}

// TestRaiseMails: with e-mail on, Raise mails the alert through the
// store's Mail, logging in with the password it gives.
func TestRaiseMails(t *testing.T) {
	ctx := context.Background()
	f := smtptest.Start(t, true)
	st := inventory.NewMemory()
	now := time.Now()
	down := offlineChange(t, st, now)
	if err := st.PutSettings(ctx, inventory.Settings{Organisation: "Northwind", Email: inventory.EmailSettings{
		Server: f.Addr(), From: "sitekeeper@northwind.example", To: []string{"owner@northwind.example", "it@northwind.example"}, Username: "sk"}}); err != nil {
		t.Fatal(err)
	}
	asked := 0
	m := Mail{Password: func() (string, error) { asked++; return "s3cret", nil }, TLS: f.ClientTLS()}
	out, settings, err := Raise(ctx, WithMail(st, m), down, map[string]inventory.DeviceStatus{}, now)
	if err != nil || len(out) != 1 || !settings.Email.On() {
		t.Fatalf("Raise = %+v, %v; want one alert, no error", out, err)
	}
	if user, pw := f.Login(); user != "sk" || pw != "s3cret" || asked != 1 {
		t.Errorf("login %q/%q after %d password reads; want sk/s3cret after 1", user, pw, asked)
	}
	msgs := f.Messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "Recordings from it may be missing") || len(f.Recipients()) != 2 {
		t.Errorf("messages %q to %v; want the offline alert, to both addresses", msgs, f.Recipients())
	}
}

// TestRaiseMailFails: a mail server that refuses the login, or a password
// that cannot be read, leaves the alert stored and the webhook posted, and
// Raise says what failed.
func TestRaiseMailFails(t *testing.T) {
	for _, c := range []struct {
		name     string
		password func() (string, error)
		want     string
	}{
		{"login refused", func() (string, error) { return "wrong", nil }, "refused the user name or password"},
		{"no password saved", func() (string, error) { return "", nil }, ErrNoMailPassword.Error()},
		{"store fails", func() (string, error) { return "", errors.New("keyring locked") }, "keyring locked"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			f := smtptest.Start(t, true)
			f.RefuseLogins()
			var mu sync.Mutex
			posted := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var p WebhookPayload
				if json.NewDecoder(r.Body).Decode(&p) == nil && len(p.Alerts) == 1 {
					mu.Lock()
					posted++
					mu.Unlock()
				}
			}))
			defer srv.Close()
			st := inventory.NewMemory()
			now := time.Now()
			down := offlineChange(t, st, now)
			if err := st.PutSettings(ctx, inventory.Settings{WebhookURL: srv.URL, Email: inventory.EmailSettings{
				Server: f.Addr(), From: "a@northwind.example", To: []string{"b@northwind.example"}, Username: "sk"}}); err != nil {
				t.Fatal(err)
			}
			out, _, err := Raise(ctx, WithMail(st, Mail{Password: c.password, TLS: f.ClientTLS()}), down, map[string]inventory.DeviceStatus{}, now)
			if err == nil || !strings.Contains(err.Error(), c.want) || len(out) != 1 {
				t.Errorf("Raise = %d alerts, %v; want 1 and an error saying %q", len(out), err, c.want)
			}
			if all, _ := st.Alerts(ctx, 0); len(all) != 1 {
				t.Errorf("%d alerts stored; want 1", len(all))
			}
			mu.Lock()
			defer mu.Unlock()
			if posted != 1 {
				t.Errorf("webhook posted %d times; want 1", posted)
			}
			if n := len(f.Messages()); n != 0 {
				t.Errorf("%d messages accepted; want none", n)
			}
		})
	}
}

// TestSenders: each channel the settings turn on, and no other.
func TestSenders(t *testing.T) {
	mail := inventory.EmailSettings{Server: "smtp.example.com:587", To: []string{"a@example.com"}}
	for _, c := range []struct {
		name string
		s    inventory.Settings
		want int
	}{
		{"nothing", inventory.Settings{Notify: true}, 0},
		{"webhook", inventory.Settings{WebhookURL: "https://hooks.example.com/x"}, 1},
		{"e-mail", inventory.Settings{Email: mail}, 1},
		{"e-mail without a server", inventory.Settings{Email: inventory.EmailSettings{To: mail.To}}, 0},
		{"both", inventory.Settings{WebhookURL: "https://hooks.example.com/x", Email: mail}, 2},
	} {
		if got := len(Senders(c.s, Mail{})); got != c.want {
			t.Errorf("%s: len(Senders) = %d; want %d", c.name, got, c.want)
		}
	}
}
