package alert

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
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

// TestRaiseFirmware: a device past its end of support is told about once;
// a supported one and a retired one are not.
func TestRaiseFirmware(t *testing.T) {
	ctx := context.Background()
	st := inventory.NewMemory()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	mk := func(name, ip string, eos inventory.Date, state inventory.State) {
		d := inventory.Device{Known: inventory.Known{Name: name, EndOfSupport: inventory.DateValue{Date: eos}},
			Discovered: inventory.Discovered{IPs: []string{ip}, Firmware: "5.55.1.2"}, Lifecycle: inventory.Lifecycle{State: state}}
		if _, err := st.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	mk("Old gate camera", "198.18.1.10", inventory.Date{Year: 2025, Month: 6, Day: 30}, inventory.StateActive)
	mk("New lobby camera", "198.18.1.11", inventory.Date{Year: 2030, Month: 1, Day: 1}, inventory.StateActive)
	mk("Spare", "198.18.1.12", inventory.Date{Year: 2024, Month: 1, Day: 1}, inventory.StateSpare)

	out, _, err := RaiseDated(ctx, st, nil, now)
	if err != nil || len(out) != 1 || out[0].Kind != KindFirmwareUnsupported || !strings.Contains(out[0].Message, "Old gate camera (198.18.1.10): its firmware is no longer supported") {
		t.Fatalf("RaiseDated = %+v, %v; want one alert for the old gate camera", out, err)
	}
	if out, _, err = RaiseDated(ctx, st, nil, now.Add(time.Hour)); err != nil || len(out) != 0 {
		t.Errorf("second RaiseDated = %+v, %v; want nothing new", out, err)
	}
}

// TestRaiseDatedDueSoon: a warranty ending within 90 days is told about
// once, with whether the device's strategy replaces it then; one ending
// later is not told yet.
func TestRaiseDatedDueSoon(t *testing.T) {
	ctx := context.Background()
	st := inventory.NewMemory()
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	for _, d := range []inventory.Device{
		{Known: inventory.Known{Name: "Gate camera", Site: "Head office", WarrantyEnd: inventory.DateValue{Date: inventory.Date{Year: 2027, Month: 1, Day: 20}}}},
		{Known: inventory.Known{Name: "Lobby camera", WarrantyEnd: inventory.DateValue{Date: inventory.Date{Year: 2027, Month: 9, Day: 1}}}},
		{Known: inventory.Known{Name: "Door", Strategy: inventory.StrategyFailure, WarrantyEnd: inventory.DateValue{Date: inventory.Date{Year: 2026, Month: 12, Day: 24}}}},
	} {
		if _, err := st.Create(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err := RaiseDated(ctx, st, nil, now)
	if err != nil || len(out) != 2 {
		t.Fatalf("RaiseDated = %+v, %v; want two alerts", out, err)
	}
	if out[0].Kind != KindDueSoon || out[0].Message != "Door: its warranty ends on 24 December 2026. Decide whether to replace it, extend it, or let it run; the Plan view shows what each choice costs." {
		t.Errorf("first = %q %q", out[0].Kind, out[0].Message)
	}
	if out[1].Message != "Gate camera at Head office: its warranty ends on 20 January 2027. Its replacement is planned then: order it in time." {
		t.Errorf("second = %q", out[1].Message)
	}
	if out, _, err = RaiseDated(ctx, st, nil, now.Add(24*time.Hour)); err != nil || len(out) != 0 {
		t.Errorf("the next day RaiseDated = %+v, %v; want nothing new", out, err)
	}
}
