package alert

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

// TestRaise: a camera going offline is stored as an alert and posted to
// the webhook the settings name; without a webhook nothing is posted.
func TestRaise(t *testing.T) {
	ctx := context.Background()
	var posted []WebhookPayload
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p WebhookPayload
		_ = json.NewDecoder(r.Body).Decode(&p)
		posted = append(posted, p)
	}))
	defer srv.Close()
	st := inventory.NewMemory()
	res, err := st.Reconcile(ctx, []inventory.Discovered{{IPs: []string{"198.18.1.10"}, MAC: "00:40:8c:00:00:10", Class: inventory.ClassCamera}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	prev := map[string]inventory.DeviceStatus{}
	now := time.Now()
	down := []inventory.StatusChange{{DeviceID: res.IDs[0], At: now.Add(-time.Minute), To: inventory.HealthOffline, Cause: "no answer to ping"}}

	out, _, err := Raise(ctx, st, down, prev, now)
	if err != nil || len(out) != 1 || out[0].Address != "198.18.1.10" || len(posted) != 0 {
		t.Fatalf("Raise without a webhook = %+v, %v; posted %d", out, err, len(posted))
	}
	if err := st.PutSettings(ctx, inventory.Settings{WebhookURL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	up := []inventory.StatusChange{{DeviceID: res.IDs[0], At: now, To: inventory.HealthOnline}}
	if out, _, err = Raise(ctx, st, up, prev, now.Add(time.Second)); err != nil || len(out) != 1 {
		t.Fatalf("Raise = %+v, %v", out, err)
	}
	if len(posted) != 1 || len(posted[0].Alerts) != 1 || posted[0].Alerts[0].Kind != KindOnline {
		t.Errorf("posted %+v; want the back-online alert", posted)
	}
	if all, _ := st.Alerts(ctx, 0); len(all) != 2 {
		t.Errorf("%d alerts stored; want 2", len(all))
	}
}
