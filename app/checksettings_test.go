package app

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

// fakeChecks records the settings applied to the running checks.
type fakeChecks struct {
	mu  sync.Mutex
	got []inventory.CheckSettings
}

func (f *fakeChecks) Apply(s inventory.CheckSettings) {
	f.mu.Lock()
	f.got = append(f.got, s)
	f.mu.Unlock()
}

func (f *fakeChecks) last(t *testing.T) inventory.CheckSettings {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.got) == 0 {
		t.Fatal("no check settings applied")
	}
	return f.got[len(f.got)-1]
}

// resumeButtons returns the Resume now buttons of the pauses listed.
func resumeButtons(c *checkSection) []*widget.Button {
	var out []*widget.Button
	for _, o := range test.LaidOutObjects(c.pauses) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Resume now" {
			out = append(out, b)
		}
	}
	return out
}

func pauseTexts(c *checkSection) string {
	var out []string
	for _, o := range test.LaidOutObjects(c.pauses) {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, "\n")
}

// TestCheckSettings: changing the interval and the SNMP community saves
// them and applies them to the running checks; a pause of a site is saved
// and applied at once, listed, and ended with Resume now.
func TestCheckSettings(t *testing.T) {
	ctx := context.Background()
	cam := inventory.Device{}
	cam.Known.Name, cam.Known.Site = "Gate camera", "Plant"
	st := newStore(t, []inventory.Device{cam})
	if err := st.PutSettings(ctx, inventory.Settings{Organisation: "Northwind"}); err != nil {
		t.Fatal(err)
	}
	checks := &fakeChecks{}
	u := newTestUIOpt(t, st, nil, Options{Checks: checks})
	u.win.Resize(fyne.NewSize(1100, 2000))
	c := u.settings.checks
	if got := checks.last(t); got.IntervalSeconds != 0 || len(got.Pauses) != 0 {
		t.Errorf("applied at start %+v; want the defaults", got)
	}
	if c.interval.Selected != "1 minute (recommended)" || !c.save.Disabled() {
		t.Errorf("interval %q, Save disabled %v at start", c.interval.Selected, c.save.Disabled())
	}

	c.interval.SetSelected("5 minutes")
	c.community.SetText(" plant-ro ")
	if c.save.Disabled() {
		t.Fatal("Save disabled after changing the interval")
	}
	test.Tap(c.save)
	u.wait()
	got, err := st.Settings(ctx)
	if err != nil || got.Checks.IntervalSeconds != 300 || got.Checks.SNMPCommunity != "plant-ro" || got.Organisation != "Northwind" {
		t.Errorf("stored settings = %+v, %v; want every 300 s, community plant-ro, organisation kept", got, err)
	}
	if a := checks.last(t); a.IntervalSeconds != 300 || a.SNMPCommunity != "plant-ro" {
		t.Errorf("applied %+v; want every 300 s with community plant-ro", a)
	}
	if !c.save.Disabled() || !strings.HasPrefix(c.result.Text, "Saved.") {
		t.Errorf("after saving: Save disabled %v, result %q", c.save.Disabled(), c.result.Text)
	}

	// An unsaved change elsewhere survives a pause.
	u.settings.org.SetText("Northwind Facilities")
	if !containsString(c.target.Options, "Plant") {
		t.Fatalf("pause targets = %v; want Plant listed", c.target.Options)
	}
	c.target.SetSelected("Plant")
	c.length.SetSelected(pause4Hours)
	c.reason.SetText("power work")
	before := time.Now()
	test.Tap(c.pause)
	u.wait()
	got, _ = st.Settings(ctx)
	if ps := got.Checks.Pauses; len(ps) != 1 || ps[0].Site != "Plant" || ps[0].All || ps[0].Reason != "power work" ||
		ps[0].Until.Before(before.Add(4*time.Hour)) || ps[0].Until.After(time.Now().Add(4*time.Hour)) {
		t.Errorf("stored pauses = %+v; want Plant for 4 hours, for power work", ps)
	}
	if got.Organisation != "Northwind" || u.settings.org.Text != "Northwind Facilities" {
		t.Errorf("organisation stored %q, shown %q; a pause must not save or undo other inputs", got.Organisation, u.settings.org.Text)
	}
	if a := checks.last(t); len(a.Pauses) != 1 || a.Pauses[0].Site != "Plant" || a.IntervalSeconds != 300 {
		t.Errorf("applied %+v; want the Plant pause with the saved interval", a)
	}
	if txt := pauseTexts(c); !strings.Contains(txt, "Checks paused for site Plant until") || !strings.Contains(txt, "power work") {
		t.Errorf("pauses listed %q", txt)
	}

	rb := resumeButtons(c)
	if len(rb) != 1 {
		t.Fatalf("%d Resume now buttons; want 1", len(rb))
	}
	test.Tap(rb[0])
	u.wait()
	got, _ = st.Settings(ctx)
	if len(got.Checks.Pauses) != 0 {
		t.Errorf("stored pauses after Resume now = %+v; want none", got.Checks.Pauses)
	}
	if a := checks.last(t); len(a.Pauses) != 0 {
		t.Errorf("applied %+v after Resume now; want no pauses", a)
	}
	if len(resumeButtons(c)) != 0 {
		t.Error("the resumed pause is still listed")
	}

	// All devices until tomorrow 08:00.
	c.target.SetSelected(allDevices)
	c.length.SetSelected(pauseTomorrow)
	test.Tap(c.pause)
	u.wait()
	got, _ = st.Settings(ctx)
	if ps := got.Checks.Pauses; len(ps) != 1 || !ps[0].All || ps[0].Until.Local().Hour() != 8 || !ps[0].Until.After(time.Now()) {
		t.Errorf("stored pauses = %+v; want all devices until 08:00 tomorrow", ps)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestPauseUntil(t *testing.T) {
	now := time.Date(2026, 11, 26, 22, 30, 0, 0, time.Local)
	tests := []struct {
		length string
		want   time.Time
	}{
		{pauseHour, now.Add(time.Hour)},
		{pause4Hours, now.Add(4 * time.Hour)},
		{pauseTomorrow, time.Date(2026, 11, 27, 8, 0, 0, 0, time.Local)},
		{pauseWeek, time.Date(2026, 12, 3, 22, 30, 0, 0, time.Local)},
	}
	for _, tt := range tests {
		if got := pauseUntil(tt.length, now); !got.Equal(tt.want) {
			t.Errorf("pauseUntil(%q, %v) = %v; want %v", tt.length, now, got, tt.want)
		}
	}
}

// TestCheckSettingsElsewhere: an interval set outside the window (10
// minutes) is shown as it is and kept when other settings are saved.
func TestCheckSettingsElsewhere(t *testing.T) {
	ctx := context.Background()
	st := newStore(t, nil)
	if err := st.PutSettings(ctx, inventory.Settings{Checks: inventory.CheckSettings{IntervalSeconds: 600}}); err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, st, nil)
	c := u.settings.checks
	if c.interval.Selected != "10 minutes (set elsewhere)" {
		t.Errorf("interval shown %q; want 10 minutes, set elsewhere", c.interval.Selected)
	}
	u.settings.org.SetText("Acme")
	test.Tap(u.settings.save)
	u.wait()
	if got, _ := st.Settings(ctx); got.Checks.IntervalSeconds != 600 || got.Organisation != "Acme" {
		t.Errorf("stored %+v; want the 10 minutes kept", got)
	}
}

// TestDashboardPauses: the Dashboard says which checks are paused until
// when, and where to resume them; an ended pause is not shown.
func TestDashboardPauses(t *testing.T) {
	ctx := context.Background()
	st := newStore(t, nil)
	now := time.Now()
	err := st.PutSettings(ctx, inventory.Settings{Checks: inventory.CheckSettings{Pauses: []inventory.Pause{
		{Site: "Plant", Until: now.Add(2 * time.Hour), Reason: "power work"},
		{Site: "Yard", Until: now.Add(-time.Minute)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, st, nil)
	u.tabs.SelectIndex(0)
	u.dashboard.reload()
	u.wait()
	if !hasText(u, "Checks paused for site Plant until") || !hasText(u, "resume the checks in Settings") {
		t.Error("the dashboard does not show the Plant pause")
	}
	if hasText(u, "site Yard") {
		t.Error("the dashboard shows a pause that ended")
	}
}

// TestPauseDevice: a device's form pauses its checks, which is saved,
// applied to the running checks and listed in Settings by its name.
func TestPauseDevice(t *testing.T) {
	ctx := context.Background()
	cam := inventory.Device{}
	cam.Known.Name, cam.Discovered.IPs = "Gate camera", []string{"198.18.1.11"}
	st := newStore(t, []inventory.Device{cam})
	checks := &fakeChecks{}
	u := newTestUIOpt(t, st, nil, Options{Checks: checks})
	f := openFirst(t, u)
	b := findButton(u, "Pause checks")
	if b == nil {
		t.Fatal("no Pause checks button on the device's form")
	}
	test.Tap(b)
	tapOverlayButton(t, u, "Pause checks")
	u.wait()
	got, _ := st.Settings(ctx)
	if ps := got.Checks.Pauses; len(ps) != 1 || ps[0].DeviceID != f.dev.ID || !ps[0].Until.After(time.Now().Add(59*time.Minute)) {
		t.Errorf("stored pauses = %+v; want %s for an hour", ps, f.dev.ID)
	}
	if a := checks.last(t); len(a.Pauses) != 1 || a.Pauses[0].DeviceID != f.dev.ID {
		t.Errorf("applied %+v; want the device's pause", a)
	}
	if !overlayHasText(u, "Checks paused for Gate camera (198.18.1.11) until") {
		t.Error("no word that the checks are paused")
	}
	if txt := pauseTexts(u.settings.checks); !strings.Contains(txt, "Gate camera (198.18.1.11)") {
		t.Errorf("Settings lists %q; want the device by name", txt)
	}
}
