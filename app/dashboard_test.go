package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

// TestDashboard: counts in colour, what is offline and since when, what
// needs attention; a device never checked is counted apart.
func TestDashboard(t *testing.T) {
	ctx := context.Background()
	st := inventory.NewMemory()
	found := []inventory.Discovered{
		{IPs: []string{"198.18.1.10"}, MAC: "00:40:8c:00:00:10", Class: inventory.ClassCamera, Manufacturer: "AXIS", Model: "P3265-LVE", Firmware: "11.9.60"},
		{IPs: []string{"198.18.1.11"}, MAC: "00:40:8c:00:00:11", Class: inventory.ClassCamera, Manufacturer: "AXIS", Model: "P3265-LVE", Firmware: "11.8.64"},
		{IPs: []string{"198.18.1.12"}, MAC: "00:40:8c:00:00:12", Class: inventory.ClassRecorder},
		{IPs: []string{"198.18.1.13"}, MAC: "00:40:8c:00:00:13", Class: inventory.ClassCamera},
	}
	res, err := st.Reconcile(ctx, found, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	gate, _ := st.Device(ctx, res.IDs[1])
	gate.Known.Name, gate.Known.Site = "Gate camera", "Head office"
	if err := st.Save(ctx, gate); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().Add(-30 * time.Minute)
	err = st.RecordStatus(ctx, []inventory.StatusChange{
		{DeviceID: res.IDs[0], At: t0, To: inventory.HealthOnline},
		{DeviceID: res.IDs[1], At: t0, To: inventory.HealthOffline, Cause: "no answer to ping"},
		{DeviceID: res.IDs[2], At: t0, To: inventory.HealthDegraded, Cause: "its clock is 2 h 0 min ahead"},
	})
	if err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, st, nil)
	u.tabs.SelectIndex(0)
	u.wait()
	for _, s := range []string{"online", "need attention", "offline", "not checked yet",
		"Gate camera (198.18.1.11) at Head office — offline since", "No answer to ping. Recordings from it may be missing",
		"Its clock is 2 h 0 min ahead.", "Firmware", "1 behind",
		"Recording gaps in", "Head office: Gate camera (198.18.1.11): ", "still offline"} {
		if !hasText(u, s) {
			t.Errorf("the dashboard does not show %q", s)
		}
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"the device does not answer at all (icmp: no answer; onvif: timeout (3 s))": "The device does not answer at all.",
		"its clock is 2 h ahead; point it at a time (NTP) server":                   "Its clock is 2 h ahead; point it at a time (NTP) server.",
		"no answer to ping": "No answer to ping.",
		"":                  "",
	} {
		if got := sentence(in); got != want {
			t.Errorf("sentence(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestHealthColumn(t *testing.T) {
	devs := []inventory.Device{
		{ID: "a", Discovered: inventory.Discovered{IPs: []string{"198.18.1.10"}}},
		{ID: "b", Discovered: inventory.Discovered{IPs: []string{"198.18.1.11"}}},
		{ID: "c", Discovered: inventory.Discovered{IPs: []string{"198.18.1.12"}}},
		{ID: "d", Known: inventory.Known{Name: "Typed in, no address"}},
	}
	rows := buildRows(devs, inventory.Date{Year: 2026, Month: 11, Day: 26}, map[string]inventory.DeviceStatus{
		"a": {Health: inventory.HealthOnline}, "b": {Health: inventory.HealthOffline},
	})
	for i, want := range []string{"Online", "Offline", "Not checked yet", ""} {
		if got := rows[i].cells[colHealth]; got != want {
			t.Errorf("device %s: Health %q; want %q", devs[i].ID, got, want)
		}
	}
	if rows[1].keys[colHealth] >= rows[0].keys[colHealth] {
		t.Error("offline does not sort before online")
	}
}

// TestAvailabilityText: the History tab's line says how much of the last
// days a device answered; a device never checked gets none.
func TestAvailabilityText(t *testing.T) {
	ctx := context.Background()
	st := inventory.NewMemory()
	res, err := st.Reconcile(ctx, []inventory.Discovered{{IPs: []string{"198.18.1.10"}, MAC: "00:40:8c:00:00:10"}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	id := res.IDs[0]
	now := time.Now()
	if got := availabilityText(ctx, st, id, now); got != "" {
		t.Errorf("never checked: %q; want none", got)
	}
	err = st.RecordStatus(ctx, []inventory.StatusChange{
		{DeviceID: id, At: now.Add(-4 * time.Hour), To: inventory.HealthOnline},
		{DeviceID: id, At: now.Add(-2 * time.Hour), To: inventory.HealthOffline},
		{DeviceID: id, At: now.Add(-time.Hour), To: inventory.HealthOnline},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := availabilityText(ctx, st, id, now), "Answering 75 % of the last 7 days, 75 % of the last 30 days, 75 % of the last 90 days"; !strings.HasPrefix(got, want) {
		t.Errorf("availabilityText = %q; want it to start %q", got, want)
	}
}

// TestDashboardSaysTheInterval: before the first results, the Dashboard
// says how often the checks run, as set in Settings.
func TestDashboardSaysTheInterval(t *testing.T) {
	st := newStore(t, sampleDevices(3))
	if err := st.PutSettings(context.Background(), inventory.Settings{Checks: inventory.CheckSettings{IntervalSeconds: 900}}); err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, st, nil)
	u.tabs.SelectIndex(0)
	u.wait()
	if !hasText(u, "checks every device with an address every 15 minutes while it is open") {
		t.Error("the Dashboard does not say the interval set in Settings")
	}
}
