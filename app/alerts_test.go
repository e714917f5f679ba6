package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"sitekeeper/internal/alert"
	"sitekeeper/internal/inventory"
)

// TestAlertsFromStatusChanges: a camera going offline becomes an alert in
// the Alerts view (with a count on its tab) that a person acknowledges.
func TestAlertsFromStatusChanges(t *testing.T) {
	ctx := context.Background()
	st := inventory.NewMemory()
	res, err := st.Reconcile(ctx, []inventory.Discovered{{IPs: []string{"198.18.1.10"}, MAC: "00:40:8c:00:00:10", Class: inventory.ClassCamera}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, st, nil)
	prev, _ := st.Statuses(ctx)
	change := []inventory.StatusChange{{DeviceID: res.IDs[0], At: time.Now().Add(-time.Minute), To: inventory.HealthOffline, Cause: "no answer to ping"}}
	if err := st.RecordStatus(ctx, change); err != nil {
		t.Fatal(err)
	}
	if h := u.devices.rows[0].cells[colHealth]; h != "Not checked yet" {
		t.Fatalf("Health before the change = %q", h)
	}
	u.raise(ctx, change, prev)
	u.wait()
	if h := u.devices.rows[0].cells[colHealth]; h != "Offline" {
		t.Errorf("Health column after the change = %q; want it refreshed to Offline", h)
	}
	if u.alerts.tab.Text != "Alerts (1)" {
		t.Errorf("tab = %q; want Alerts (1)", u.alerts.tab.Text)
	}
	u.tabs.Select(u.alerts.tab)
	if !hasText(u, " — Offline\n") || !hasText(u, "198.18.1.10") || !hasText(u, "Recordings from it may be missing") {
		t.Error("the alert is not listed in words")
	}
	test.Tap(findButton(u, "Acknowledge"))
	u.wait()
	if n, _ := st.UnacknowledgedAlerts(ctx); n != 0 || u.alerts.tab.Text != "Alerts" {
		t.Errorf("after Acknowledge: %d unacknowledged, tab %q", n, u.alerts.tab.Text)
	}
}

// TestAlertSettingsWebhookTest: the webhook address is checked as typed,
// saved with the settings, and "Send a test" posts a test alert there.
func TestAlertSettingsWebhookTest(t *testing.T) {
	var mu sync.Mutex
	var got alert.WebhookPayload
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		_ = json.NewDecoder(r.Body).Decode(&got)
	}))
	defer srv.Close()
	st := inventory.NewMemory()
	u := newTestUI(t, st, nil)
	s := u.settings
	s.webhook.SetText("hooks.example.com/x")
	if s.saveAlerts.Disabled() == false || !s.webhookMsg.Visible() {
		t.Error("a webhook address without https:// is accepted")
	}
	s.webhook.SetText(srv.URL)
	if s.saveAlerts.Disabled() || s.webhookMsg.Visible() {
		t.Error("a good webhook address is refused")
	}
	test.Tap(s.test)
	u.wait()
	mu.Lock()
	if len(got.Alerts) != 1 || got.Alerts[0].Kind != alert.KindTest {
		t.Errorf("webhook got %+v; want one test alert", got)
	}
	mu.Unlock()
	if !strings.Contains(s.alertResult.Text, "was sent") {
		t.Errorf("result = %q", s.alertResult.Text)
	}
	test.Tap(s.saveAlerts)
	u.wait()
	if v, _ := st.Settings(context.Background()); v.WebhookURL != srv.URL {
		t.Errorf("saved webhook = %q", v.WebhookURL)
	}
}
