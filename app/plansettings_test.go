package app

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sitekeeper/internal/inventory"
)

// TestPlanSettings: a cost and a life per type and a price increase are
// checked as typed and saved with the inventory's settings.
func TestPlanSettings(t *testing.T) {
	st := newStore(t, sampleDevices(3))
	u := newTestUI(t, st, nil)
	p := u.settings.plan
	test.Type(p.cost[inventory.ClassCamera], "abc")
	if p.msg.Hidden || p.save.Disabled() == false {
		t.Fatalf("a cost of abc: message %q shown %v, save enabled %v", p.msg.Text, !p.msg.Hidden, !p.save.Disabled())
	}
	p.cost[inventory.ClassCamera].SetText("1190")
	test.Type(p.life[inventory.ClassRecorder], "6")
	test.Type(p.rise, "3,5")
	if p.save.Disabled() {
		t.Fatalf("Save is off with good inputs (%q)", p.msg.Text)
	}
	u.tabs.Select(u.tabs.Items[len(u.tabs.Items)-1])
	u.win.Resize(fyne.NewSize(1100, 2700))
	capture(t, u, "settings-plan")
	test.Tap(p.save)
	u.wait()
	got, err := st.Settings(context.Background())
	want := inventory.PlanSettings{ClassCost: map[inventory.Class]inventory.Money{inventory.ClassCamera: 119000},
		ClassLifeYears: map[inventory.Class]int{inventory.ClassRecorder: 6}, PriceIncreasePercent: 3.5}
	if err != nil || got.Plan.PriceIncreasePercent != 3.5 || got.Plan.ClassCost[inventory.ClassCamera] != want.ClassCost[inventory.ClassCamera] || got.Plan.ClassLifeYears[inventory.ClassRecorder] != 6 {
		t.Errorf("stored plan settings = %+v, %v; want %+v", got.Plan, err, want)
	}
	if p.result.Text != "Saved." || !p.save.Disabled() {
		t.Errorf("after Save: %q, save enabled %v", p.result.Text, !p.save.Disabled())
	}
}

// TestDashboardComingUp: a warranty ending within 90 days is listed on the
// Dashboard with whether its replacement is planned then.
func TestDashboardComingUp(t *testing.T) {
	devs := sampleDevices(2)
	soon := inventory.DateOf(time.Now().AddDate(0, 0, 20))
	devs[0].Known.Name, devs[0].Known.WarrantyEnd = "Gate camera", inventory.DateValue{Date: soon}
	devs[1].Known.WarrantyEnd = inventory.DateValue{Date: inventory.DateOf(time.Now().AddDate(2, 0, 0))}
	u := newTestUI(t, newStore(t, devs), nil)
	u.tabs.SelectIndex(0)
	u.wait()
	if !hasText(u, "Coming up in the next 90 days") || !hasText(u, soon.Time().Format("2 Jan 2006")+" — Gate camera") || !hasText(u, "warranty ends. Its replacement is planned then.") {
		t.Error("the Dashboard does not list the warranty ending soon")
	}
}
