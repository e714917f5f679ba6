package app

import (
	"context"
	"fyne.io/fyne/v2/test"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

// planDevices are five cameras with known warranty ends and costs: two
// due in 2027 (OT and IT), one in 2028 without a cost, one in 2029 with no
// budget owner, one after the plan.
func planDevices() []inventory.Device {
	mk := func(i int, name string, warranty inventory.Date, cost int64, owner inventory.BudgetSplit) inventory.Device {
		return inventory.Device{
			Discovered: inventory.Discovered{
				IPs: []string{"198.18.7." + string(rune('1'+i))}, MAC: "00:40:8c:70:00:0" + string(rune('1'+i)),
				Class: inventory.ClassCamera, Manufacturer: "Axis", Model: "M-" + name,
			},
			Known: inventory.Known{Name: name, Site: "Head office", WarrantyEnd: inventory.DateValue{Date: warranty},
				ReplacementCost: inventory.MoneyFromCents(cost * 100), BudgetOwner: owner},
		}
	}
	return []inventory.Device{
		mk(0, "Gate camera", inventory.Date{Year: 2027, Month: 3, Day: 15}, 1000, inventory.BudgetSplit{OT: 100}),
		mk(1, "Server room camera", inventory.Date{Year: 2027, Month: 6, Day: 1}, 2000, inventory.BudgetSplit{IT: 100}),
		mk(2, "Car park camera", inventory.Date{Year: 2028, Month: 2, Day: 1}, 0, inventory.BudgetSplit{OT: 100}),
		mk(3, "Loading bay camera", inventory.Date{Year: 2029, Month: 5, Day: 1}, 500, inventory.BudgetSplit{}),
		mk(4, "Reception camera", inventory.Date{Year: 2035, Month: 1, Day: 1}, 700, inventory.BudgetSplit{OT: 100}),
	}
}

// planToday is the day the plan tests plan from.
var planToday = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// openPlan shows the Plan view of a UI over devs, planned as of planToday.
func openPlan(t *testing.T, devs []inventory.Device) *testUI {
	t.Helper()
	u := newTestUI(t, newStore(t, devs), nil)
	u.plan.now = func() time.Time { return planToday }
	u.win.Resize(fyne.NewSize(1100, 800))
	u.selectTab(u.plan.content)
	u.wait()
	return u
}

// cellTexts are the texts a table shows, row by row, as its data gives them.
func scheduleTexts(v *planView) []string {
	var out []string
	for _, r := range v.rows {
		out = append(out, strings.Join(r.cells[:], " | "))
	}
	return out
}

func TestPlanViewTotals(t *testing.T) {
	u := openPlan(t, planDevices())
	v := u.plan
	v.strategy.SetSelected(inventory.StrategyWarranty.Label())
	u.wait()
	for _, want := range []string{
		"Replacing each device when its warranty ends, 4 devices are due in 2027–2031, costing about €3,500 in all.",
		"The most is due in 2027: 2 devices, about €3,000 (€1,000 OT, €2,000 IT).",
		"1 device is not due within these years",
		"1 device has no replacement cost yet, so it is not in these totals. Enter the cost in the device form",
	} {
		if !hasText(u, want) {
			t.Errorf("the Plan view does not say %q; it says %q and %q", want, v.summary.Text, v.noteCost.Text)
		}
	}
	rows := scheduleTexts(v)
	wantRows := []string{
		"Gate camera (198.18.7.1) | Head office | 2027 Q1 | €1,000 | OT | Warranty ends on 2027-03-15.",
		"Server room camera (198.18.7.2) | Head office | 2027 Q2 | €2,000 | IT | Warranty ends on 2027-06-01.",
		"Car park camera (198.18.7.3) | Head office | 2028 Q1 | Not entered | OT | Warranty ends on 2028-02-01.",
		"Loading bay camera (198.18.7.4) | Head office | 2029 Q2 | €500 | Not decided | Warranty ends on 2029-05-01.",
		"Reception camera (198.18.7.5) | Head office | After 2031 | €700 | OT | Warranty ends on 2035-01-01; that is after this plan.",
	}
	if strings.Join(rows, "\n") != strings.Join(wantRows, "\n") {
		t.Errorf("schedule =\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(wantRows, "\n"))
	}
	bars := v.chart.bars
	if len(bars) != 5 || bars[0].year != 2027 || bars[0].parts[0] != inventory.MoneyFromCents(100000) || bars[0].parts[1] != inventory.MoneyFromCents(200000) || bars[2].parts[2] != inventory.MoneyFromCents(50000) {
		t.Errorf("chart bars = %+v; want 2027 with €1,000 OT and €2,000 IT, 2029 with €500 unowned", bars)
	}
	if len(v.cmps) != len(inventory.Strategies) {
		t.Fatalf("comparison has %d rows; want one per strategy (%d)", len(v.cmps), len(inventory.Strategies))
	}
	if text, bold := v.compareCell(widget.TableCellID{Row: 0, Col: 2}); text != "€3,500 + 1 not priced" || !bold {
		t.Errorf("comparison total under warranty = %q (bold %v); want €3,500 + 1 not priced, bold as the chosen strategy", text, bold)
	}
	capture(t, u, "plan")

	// Another strategy, other figures.
	v.strategy.SetSelected(inventory.StrategyFailure.Label())
	u.wait()
	if !strings.HasPrefix(v.summary.Text, "Running devices until they fail, nothing is replaced on a date.") {
		t.Errorf("under run to failure the summary says %q", v.summary.Text)
	}
	if got := v.rows[0].cells[2]; got != "When it fails" {
		t.Errorf("under run to failure a device is replaced %q; want When it fails", got)
	}
}

func TestPlanViewCap(t *testing.T) {
	u := openPlan(t, planDevices())
	v := u.plan
	v.strategy.SetSelected(inventory.StrategyWarranty.Label())
	v.limit.SetSelected("25 % of devices") // 25 % of 5 devices: 1 a year
	u.wait()
	if !strings.Contains(v.summary.Text, "The limit of 25 % a year puts off 3 devices to a later year") {
		t.Errorf("with a limit the summary says %q; want the replacements it moves", v.summary.Text)
	}
	deferred := 0
	for _, r := range v.rows {
		if strings.Contains(r.cells[5], "deferred by the yearly cap") {
			deferred++
		}
	}
	if deferred == 0 {
		t.Errorf("no schedule row says it was deferred:\n%s", strings.Join(scheduleTexts(v), "\n"))
	}
	if text, _ := v.compareCell(widget.TableCellID{Row: 0, Col: 5}); text == "0" {
		t.Errorf("the comparison shows no device moved by the limit under warranty")
	}
	capture(t, u, "plan-cap")
	v.scroll.ScrollToBottom()
	capture(t, u, "plan-schedule")
}

func TestPlanViewEmpty(t *testing.T) {
	u := openPlan(t, nil)
	if !strings.Contains(u.plan.summary.Text, "There are no devices in service to plan for.") {
		t.Errorf("an empty inventory's plan says %q", u.plan.summary.Text)
	}
}

// TestPlanViewSettings: the price increase set in Settings applies until
// the Plan view chooses its own.
func TestPlanViewSettings(t *testing.T) {
	st := newStore(t, planDevices())
	if err := st.PutSettings(context.Background(), inventory.Settings{Plan: inventory.PlanSettings{PriceIncreasePercent: 10}}); err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, st, nil)
	u.plan.now = func() time.Time { return planToday }
	u.selectTab(u.plan.content)
	u.wait()
	v := u.plan
	if !strings.Contains(v.summary.Text, "Prices rise by 10 % a year from 2027.") {
		t.Errorf("with 10 %% set in Settings the summary says %q", v.summary.Text)
	}
	v.rise.SetSelected("Not at all")
	u.wait()
	if strings.Contains(v.summary.Text, "Prices rise") {
		t.Errorf("with no price increase chosen the summary says %q", v.summary.Text)
	}
}

// TestPlanViewFleet: a fleet of 300 devices over ten years, for a look at
// the chart with every year filled.
func TestPlanViewFleet(t *testing.T) {
	u := openPlan(t, sampleDevices(300))
	v := u.plan
	v.years.SetSelected("10 years")
	v.strategy.SetSelected(inventory.StrategyEarliest.Label())
	v.rise.SetSelected("3 % a year")
	u.wait()
	if len(v.chart.bars) != 10 || len(v.rows) == 0 {
		t.Fatalf("chart has %d bars and the schedule %d rows; want 10 bars and rows", len(v.chart.bars), len(v.rows))
	}
	capture(t, u, "plan-fleet")
}

// TestPlanViewOpensDevice: clicking a device in the schedule opens its
// form; once it closes the plan is made again, so that a cost entered
// there counts at once.
func TestPlanViewOpensDevice(t *testing.T) {
	u := openPlan(t, planDevices())
	v := u.plan
	v.strategy.SetSelected(inventory.StrategyWarranty.Label())
	u.wait()
	row := -1
	for i, r := range v.rows {
		if strings.HasPrefix(r.cells[0], "Car park camera") {
			row = i
		}
	}
	if row < 0 || v.rows[row].cells[3] != "Not entered" {
		t.Fatalf("the schedule has no Car park camera without a cost:\n%s", strings.Join(scheduleTexts(v), "\n"))
	}
	v.schedule.OnSelected(widget.TableCellID{Row: row, Col: 0})
	u.wait()
	if u.form == nil || u.form.dev.ID != v.rows[row].id {
		t.Fatal("clicking the device did not open its form")
	}
	// What saving the form does to the store, then the form closes.
	d := u.form.dev
	d.Known.ReplacementCost = inventory.MoneyFromCents(80000)
	if err := u.st.Save(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	u.form.dlg.Hide()
	u.wait()
	if v.noteCost.Visible() || !strings.Contains(v.summary.Text, "costing about €4,300 in all") {
		t.Errorf("after the cost was entered the plan says %q / %q; want €4,300 and no device without a cost", v.summary.Text, v.noteCost.Text)
	}
}

// TestPlanViewSpendingLimit: IT spends at most 1,500 a year, so its 2,000
// camera moves out of the plan; a limit that is not an amount is marked
// and changes nothing.
func TestPlanViewSpendingLimit(t *testing.T) {
	u := openPlan(t, planDevices())
	v := u.plan
	v.strategy.SetSelected(inventory.StrategyWarranty.Label())
	u.wait()
	test.Type(v.spendIT, "1500")
	u.wait()
	if !strings.Contains(v.summary.Text, "The spending limit (IT €1,500 a year) puts off 1 device to a later year") {
		t.Errorf("with an IT limit the summary says %q", v.summary.Text)
	}
	for _, r := range v.rows {
		if strings.HasPrefix(r.cells[0], "Server room camera") && !strings.Contains(r.cells[5], "deferred by the yearly cap") {
			t.Errorf("the IT camera is not deferred: %q", r.cells)
		}
	}
	before := v.summary.Text
	v.spendOT.SetText("lots")
	u.wait()
	if v.spendOT.Validate() == nil || v.summary.Text != before {
		t.Errorf("a limit of %q: validation %v, summary changed to %q", "lots", v.spendOT.Validate(), v.summary.Text)
	}
}
