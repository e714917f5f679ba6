package alert

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sitekeeper/internal/alert/smtptest"
	"sitekeeper/internal/inventory"
)

var fast = Retry{Attempts: 3, Backoff: time.Millisecond}

func sample() []Alert {
	at := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	return []Alert{
		{Alert: inventory.Alert{ID: "a1", Kind: KindOffline, At: at, DeviceID: "d1",
			Message: "Gate camera stopped answering at 09:30. Recordings from it may be missing since then. Check its power and cable."},
			Device: "Gate camera", Site: "Head office", Address: "192.168.1.20"},
		{Alert: inventory.Alert{ID: "a2", Kind: KindClockDrift, At: at, Message: "Its clock is 2 hours fast."}, Device: "Lobby recorder"},
	}
}

func TestWebhook(t *testing.T) {
	var calls atomic.Int32
	var got WebhookPayload
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
		}
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable) // retried
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Error(err)
		}
	}))
	defer srv.Close()
	err := Webhook{URL: srv.URL, Organisation: "Northwind", Retry: fast}.Send(context.Background(), sample())
	if err != nil || calls.Load() != 2 {
		t.Fatalf("Send = %v after %d calls; want nil after 2 (one retry)", err, calls.Load())
	}
	if got.Source != "SiteKeeper" || got.Organisation != "Northwind" || len(got.Alerts) != 2 || got.Alerts[0].Kind != KindOffline || got.Alerts[0].Site != "Head office" {
		t.Errorf("payload = %+v", got)
	}
}

func TestWebhookRefusedIsNotRetried(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusFound} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			if status == http.StatusFound {
				http.Redirect(w, r, "https://elsewhere.example/", status) // never followed
				return
			}
			w.WriteHeader(status)
		}))
		err := Webhook{URL: srv.URL, Retry: fast}.Send(context.Background(), sample())
		srv.Close()
		if err == nil || calls.Load() != 1 || !strings.Contains(err.Error(), "refused") {
			t.Errorf("status %d: Send = %v after %d calls; want a refusal after 1", status, err, calls.Load())
		}
	}
}

func TestWebhookBadURL(t *testing.T) {
	for _, u := range []string{"", "hooks.example.com/x", "ftp://x/y", "https://"} {
		if err := (Webhook{URL: u}).Send(context.Background(), sample()); err == nil {
			t.Errorf("Send to %q = nil; want an error", u)
		}
	}
	if err := (Webhook{}).Send(context.Background(), nil); err != nil {
		t.Errorf("Send of nothing = %v; want nil (nothing to send)", err)
	}
}

func TestEmailWithSTARTTLS(t *testing.T) {
	f := smtptest.Start(t, true)
	e := Email{Server: f.Addr(), From: "sitekeeper@northwind.example", To: []string{"owner@northwind.example"},
		Username: "sk", Password: "pw", Organisation: "Northwind", Retry: fast, TLS: f.ClientTLS()}
	alerts := sample()
	alerts[0].Device = "Caméra portail\r\nBcc: evil@example.com"
	if err := e.Send(context.Background(), alerts); err != nil {
		t.Fatalf("Send = %v", err)
	}
	if user, pw := f.Login(); user != "sk" || pw != "pw" || len(f.Recipients()) != 1 || len(f.Messages()) != 1 {
		t.Fatalf("login %q/%q, recipients %v, %d messages; want PLAIN auth after STARTTLS, one recipient, one message", user, pw, f.Recipients(), len(f.Messages()))
	}
	data := f.Messages()[0]
	head, body, _ := strings.Cut(data, "\r\n\r\n")
	if strings.Contains(head, "\r\nBcc:") || !strings.Contains(head, "Subject: =?utf-8?q?SiteKeeper:_Offline:_Cam=C3=A9ra_portail") {
		t.Errorf("header:\n%s\nwant an encoded subject and no injected header", head)
	}
	if strings.Contains(body, "\nBcc:") || !strings.Contains(head, "and_1_more") || !strings.Contains(body, "Recordings from it may be missing") || !strings.Contains(body, "Turn these e-mails off") {
		t.Errorf("message:\n%s", data)
	}
}

func TestEmailRefusesPasswordInClear(t *testing.T) {
	f := smtptest.Start(t, false)
	e := Email{Server: f.Addr(), From: "a@b.example", To: []string{"c@d.example"}, Username: "sk", Password: "pw", Retry: fast}
	err := e.Send(context.Background(), sample())
	if err == nil || !strings.Contains(err.Error(), "will not send it your password") {
		t.Errorf("Send = %v; want a refusal to send the password unencrypted", err)
	}
	// Without a login, a local relay without encryption is fine.
	e.Username, e.Password = "", ""
	if err := e.Send(context.Background(), sample()); err != nil {
		t.Errorf("Send without a login = %v", err)
	}
}

func TestEmailUnreachableIsRetried(t *testing.T) {
	var dials atomic.Int32
	e := Email{Server: "mail.example:587", From: "a@b.example", To: []string{"c@d.example"}, Retry: fast,
		Dial: func(context.Context, string, string) (net.Conn, error) {
			dials.Add(1)
			return nil, errors.New("connection refused")
		}}
	if err := e.Send(context.Background(), sample()); err == nil || dials.Load() != 3 {
		t.Errorf("Send = %v after %d dials; want an error after 3", err, dials.Load())
	}
}

func TestSubjectAndTest(t *testing.T) {
	a := sample()[0]
	if got := a.Subject(); got != "Offline: Gate camera (Head office)" {
		t.Errorf("Subject = %q", got)
	}
	tst := Test(time.Now(), "Northwind")
	if tst.Kind != KindTest || tst.Subject() != "Test from SiteKeeper" || !strings.Contains(tst.Message, "Northwind") {
		t.Errorf("Test = %+v (%q)", tst, tst.Subject())
	}
}
