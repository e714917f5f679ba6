package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

// alertTests are the stored-alert cases, run by Run with the others.
var alertTests = []struct {
	name string
	fn   func(t *testing.T, st inventory.Store)
}{
	{"AlertsNewestFirst", testAlertsNewestFirst},
	{"AlertsAcknowledge", testAlertsAcknowledge},
	{"AlertsRefuseBadOnes", testAlertsRefuseBad},
	{"AlertsKeptWhenDeviceDeleted", testAlertsOutliveDelete},
	{"AlertsBounded", testAlertsBounded},
}

func alertAt(kind string, at time.Time, deviceID, msg string) inventory.Alert {
	return inventory.Alert{Kind: kind, At: at, DeviceID: deviceID, Message: msg}
}

func messages(as []inventory.Alert) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Message
	}
	return out
}

func testAlertsNewestFirst(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	if got := must(st.Alerts(ctx, 0)); len(got) != 0 {
		t.Errorf("Alerts() of an empty store = %+v; want none", got)
	}
	m := time.Minute
	// Added out of time order, two at the same time.
	added := must(st.AddAlerts(ctx, []inventory.Alert{
		alertAt("offline", t0.Add(10*m), "d1", "b"),
		alertAt("offline", t0, "d1", "a"),
		alertAt("online", t0.Add(20*m), "d1", "c"),
		alertAt("degraded", t0.Add(20*m), "d2", "d"),
	}))
	if got := messages(added); !slices.Equal(got, []string{"b", "a", "c", "d"}) {
		t.Errorf("AddAlerts() returned %v; want them in the order given", got)
	}
	ids := map[string]bool{}
	for _, a := range added {
		if a.ID == "" || ids[a.ID] {
			t.Errorf("AddAlerts() gave ID %q; want unique, non-empty IDs", a.ID)
		}
		ids[a.ID] = true
	}
	later := must(st.AddAlerts(ctx, []inventory.Alert{alertAt("test", t0.Add(5*m), "", "e")}))
	tests := []struct {
		limit int
		want  []string
	}{
		{0, []string{"d", "c", "b", "e", "a"}},
		{2, []string{"d", "c"}},
		{9, []string{"d", "c", "b", "e", "a"}},
	}
	for _, tc := range tests {
		if got := messages(must(st.Alerts(ctx, tc.limit))); !slices.Equal(got, tc.want) {
			t.Errorf("Alerts(%d) = %v; want %v (newest first; same time: last added first)", tc.limit, got, tc.want)
		}
	}
	all := must(st.Alerts(ctx, 0))
	if got := all[3]; got != later[0] || !got.At.Equal(t0.Add(5*m)) || got.Kind != "test" || got.DeviceID != "" {
		t.Errorf("Alerts()[3] = %+v; want %+v as added", got, later[0])
	}
	if n := must(st.UnacknowledgedAlerts(ctx)); n != 5 {
		t.Errorf("UnacknowledgedAlerts() = %d; want 5", n)
	}
	// An alert without a time is dated when it is added.
	before := time.Now()
	now := must(st.AddAlerts(ctx, []inventory.Alert{{Kind: "test", Message: "now"}}))[0]
	if now.At.Before(before.Add(-time.Second)) || now.At.After(time.Now().Add(time.Second)) {
		t.Errorf("AddAlerts(no time).At = %v; want about now", now.At)
	}
}

func testAlertsAcknowledge(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	as := must(st.AddAlerts(ctx, []inventory.Alert{
		alertAt("offline", t0, "d1", "a"),
		alertAt("online", t0.Add(time.Hour), "d1", "b"),
		alertAt("degraded", t0.Add(2*time.Hour), "d2", "c"),
	}))
	first := t0.Add(3 * time.Hour)
	must(0, st.AcknowledgeAlerts(ctx, []string{as[0].ID, as[2].ID}, first))
	if n := must(st.UnacknowledgedAlerts(ctx)); n != 1 {
		t.Errorf("UnacknowledgedAlerts() = %d; want 1", n)
	}
	// Acknowledged again, later, with the third: the first time is kept.
	must(0, st.AcknowledgeAlerts(ctx, []string{as[0].ID, as[1].ID}, first.Add(time.Hour)))
	want := map[string]time.Time{"a": first, "b": first.Add(time.Hour), "c": first}
	for _, a := range must(st.Alerts(ctx, 0)) {
		if !a.Acknowledged.Equal(want[a.Message]) {
			t.Errorf("alert %s acknowledged at %v; want %v", a.Message, a.Acknowledged, want[a.Message])
		}
	}
	// An unknown ID refuses the batch and is named.
	fresh := must(st.AddAlerts(ctx, []inventory.Alert{alertAt("offline", t0.Add(5*time.Hour), "d1", "d")}))[0]
	for _, bad := range []string{"00000000000000000000000000000099", "not-an-id", ""} {
		err := st.AcknowledgeAlerts(ctx, []string{fresh.ID, bad}, first)
		if !errors.Is(err, inventory.ErrNotFound) || !strings.Contains(err.Error(), "alert "+bad) {
			t.Errorf("AcknowledgeAlerts(%q) error = %v; want ErrNotFound naming it", bad, err)
		}
	}
	if n := must(st.UnacknowledgedAlerts(ctx)); n != 1 {
		t.Errorf("UnacknowledgedAlerts() after a refused batch = %d; want 1 (nothing of it kept)", n)
	}
}

func testAlertsRefuseBad(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	tests := []struct {
		name string
		a    inventory.Alert
	}{
		{"no kind", alertAt("", t0, "d1", "words")},
		{"no message", alertAt("offline", t0, "d1", " ")},
		{"before 1970", alertAt("offline", time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), "d1", "words")},
	}
	for _, tc := range tests {
		if _, err := st.AddAlerts(ctx, []inventory.Alert{alertAt("offline", t0, "d1", "fine"), tc.a}); err == nil {
			t.Errorf("%s: AddAlerts succeeded; want it refused", tc.name)
		}
	}
	if got := must(st.Alerts(ctx, 0)); len(got) != 0 {
		t.Errorf("refused batches stored %+v", got)
	}
}

func testAlertsOutliveDelete(t *testing.T, st inventory.Store) {
	ctx := context.Background()
	d := must(st.Create(ctx, camera("Gate camera")))
	must(st.AddAlerts(ctx, []inventory.Alert{alertAt("offline", t0, d.ID, "Gate camera stopped answering")}))
	must(0, st.Delete(ctx, d.ID))
	got := must(st.Alerts(ctx, 0))
	if len(got) != 1 || got[0].DeviceID != d.ID {
		t.Errorf("Alerts() after Delete = %+v; want the deleted device's alert kept", got)
	}
}

func testAlertsBounded(t *testing.T, st inventory.Store) {
	if testing.Short() {
		t.Skip("writes MaxAlerts alerts")
	}
	ctx := context.Background()
	batch := make([]inventory.Alert, inventory.MaxAlerts)
	for i := range batch {
		batch[i] = alertAt("offline", t0.Add(time.Duration(i)*time.Second), "d1", fmt.Sprint(i))
	}
	added := must(st.AddAlerts(ctx, batch))
	// Two acknowledged in the middle go first, then the oldest.
	must(0, st.AcknowledgeAlerts(ctx, []string{added[500].ID, added[700].ID}, t0.Add(24*time.Hour)))
	later := t0.Add(time.Duration(inventory.MaxAlerts) * time.Second)
	must(st.AddAlerts(ctx, []inventory.Alert{
		alertAt("online", later, "d1", "new 1"),
		alertAt("online", later, "d1", "new 2"),
		alertAt("online", later, "d1", "new 3"),
	}))
	all := must(st.Alerts(ctx, 0))
	if len(all) != inventory.MaxAlerts {
		t.Fatalf("Alerts() holds %d; want MaxAlerts (%d)", len(all), inventory.MaxAlerts)
	}
	kept := map[string]bool{}
	for _, a := range all {
		kept[a.Message] = true
	}
	for msg, want := range map[string]bool{"500": false, "700": false, "0": false, "1": true, "new 3": true, "9999": true} {
		if kept[msg] != want {
			t.Errorf("alert %q kept = %v; want %v (acknowledged first, then the oldest)", msg, kept[msg], want)
		}
	}
	if n := must(st.UnacknowledgedAlerts(ctx)); n != inventory.MaxAlerts {
		t.Errorf("UnacknowledgedAlerts() = %d; want %d", n, inventory.MaxAlerts)
	}
}
