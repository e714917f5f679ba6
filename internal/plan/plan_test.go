package plan

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

func date(s string) inventory.Date {
	d, err := inventory.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func entered(s string) inventory.DateValue { return inventory.DateValue{Date: date(s)} }

func eur(v float64) inventory.Money { return inventory.Money(v*100 + 0.5) }

// today is the plan's day in every test: the plan starts 2027-01-01.
var today = date("2026-11-26")

type dev = inventory.Device

func camera(id string, k inventory.Known) dev {
	k.Class = inventory.ClassCamera
	if k.Name == "" {
		k.Name = id
	}
	return dev{ID: id, Known: k, Discovered: inventory.Discovered{Manufacturer: "Axis", Model: "P3265-LVE"}}
}

func item(t *testing.T, pl Plan, id string) Item {
	t.Helper()
	for _, it := range pl.Items {
		if it.DeviceID == id {
			return it
		}
	}
	t.Fatalf("no item for %s in %+v", id, pl.Items)
	return Item{}
}

// TestStrategies: each strategy's date, quarter, reason and estimates.
func TestStrategies(t *testing.T) {
	firstSeen := time.Date(2022, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		strategy  inventory.Strategy
		d         dev
		eos       string
		offline   bool
		want      string // replace_in, "" for not in the plan
		reason    string
		estimated bool
	}{
		{"warranty entered", inventory.StrategyWarranty, camera("a", inventory.Known{WarrantyEnd: entered("2027-07-15")}), "", false, "2027-Q3", "Warranty ends on 2027-07-15", false},
		{"warranty already over: first quarter", inventory.StrategyWarranty, camera("a", inventory.Known{WarrantyEnd: entered("2025-02-01")}), "", false, "2027-Q1", "Warranty ended on 2025-02-01; already due", false},
		{"warranty from the maker's standard term and the first-seen day", inventory.StrategyWarranty,
			dev{ID: "a", Discovered: inventory.Discovered{Manufacturer: "AXIS", FirstSeen: firstSeen, Class: inventory.ClassCamera}}, "", false, "2027-Q1", "Warranty ends on 2027-03-01", true},
		{"warranty unknown maker: not planned", inventory.StrategyWarranty,
			dev{ID: "a", Known: inventory.Known{InstallDate: entered("2024-01-01")}, Discovered: inventory.Discovered{Manufacturer: "Acme"}}, "", false, "", "no standard warranty for its maker", false},
		{"warranty ends before the plan starts", inventory.StrategyWarranty, camera("a", inventory.Known{WarrantyEnd: entered("2026-12-31")}), "", false, "2027-Q1", "Warranty ends on 2026-12-31; that is before the plan starts", false},
		{"warranty after the plan", inventory.StrategyWarranty, camera("a", inventory.Known{WarrantyEnd: entered("2035-01-01")}), "", false, "", "after this plan", false},
		{"support", inventory.StrategySupport, camera("a", inventory.Known{}), "2028-06-30", false, "2028-Q2", "Firmware support ends on 2028-06-30", false},
		{"support over", inventory.StrategySupport, camera("a", inventory.Known{}), "2024-12-31", false, "2027-Q1", "Firmware support ended on 2024-12-31; already due", false},
		{"support unknown", inventory.StrategySupport, camera("a", inventory.Known{}), "", false, "", "End of firmware support not known", false},
		{"age by class", inventory.StrategyAge, camera("a", inventory.Known{InstallDate: entered("2021-05-10")}), "", false, "2028-Q2", "The usual 7-year life ends on 2028-05-10", false},
		{"age of its own", inventory.StrategyAge, camera("a", inventory.Known{InstallDate: entered("2021-05-10"), ExpectedLifeYears: 10}), "", false, "2031-Q2", "Its 10-year life ends on 2031-05-10", false},
		{"age estimated install date", inventory.StrategyAge, camera("a", inventory.Known{InstallDate: inventory.DateValue{Date: date("2020-01-01"), Estimated: true}}), "", false, "2027-Q1", "life ends on 2027-01-01", true},
		{"failure: offline now is replaced now", inventory.StrategyFailure, camera("a", inventory.Known{}), "", true, "2027-Q1", "Offline since", false},
		{"failure: working is not dated", inventory.StrategyFailure, camera("a", inventory.Known{}), "", false, "", "replaced when it fails", false},
		{"earliest: support before warranty", inventory.StrategyEarliest, camera("a", inventory.Known{WarrantyEnd: entered("2029-01-01"), InstallDate: entered("2026-01-01")}), "2027-09-30", false, "2027-Q3", "Firmware support ends on 2027-09-30", false},
		{"earliest: nothing known", inventory.StrategyEarliest, dev{ID: "a"}, "", false, "", "No warranty end or install date known", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Devices: []dev{tt.d}, Today: today, EndOfSupport: map[string]inventory.Date{}}
			if tt.eos != "" {
				in.EndOfSupport["a"] = date(tt.eos)
			}
			if tt.offline {
				in.Statuses = map[string]inventory.DeviceStatus{"a": {Health: inventory.HealthOffline, Since: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)}}
			}
			pl, err := Make(in, Policy{Strategy: tt.strategy, Years: 5})
			if err != nil {
				t.Fatal(err)
			}
			it := item(t, pl, "a")
			if it.ReplaceIn.String() != tt.want || !strings.Contains(it.Reason, tt.reason) || it.Estimated != tt.estimated {
				t.Errorf("replace_in %q, reason %q, estimated %v (%q); want %q, %q, %v", it.ReplaceIn, it.Reason, it.Estimated, it.Estimates, tt.want, tt.reason, tt.estimated)
			}
		})
	}
}

// TestInheritance: device, then its site's strategy for its class, then
// its site's, then the default (warranty); a policy strategy wins over all.
func TestInheritance(t *testing.T) {
	k := inventory.Known{Site: "Head office", WarrantyEnd: entered("2027-05-01"), InstallDate: entered("2018-01-01")}
	own := camera("own", k)
	own.Known.Strategy = inventory.StrategyAge
	cls := camera("cls", k)
	rec := camera("rec", k)
	rec.Known.Class = inventory.ClassRecorder
	other := camera("other", k)
	other.Known.Site = "Warehouse"
	in := Input{Today: today, Devices: []dev{own, cls, rec, other},
		Sites: []inventory.Site{{Name: "head office", Strategy: inventory.StrategySupport,
			ClassStrategy: map[inventory.Class]inventory.Strategy{inventory.ClassCamera: inventory.StrategyFailure}}}}
	pl, err := Make(in, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"own": "age/device", "cls": "failure/class", "rec": "support/site", "other": "warranty/default"} {
		if it := item(t, pl, id); string(it.Strategy)+"/"+it.StrategyFrom != want {
			t.Errorf("%s: %s/%s; want %s", id, it.Strategy, it.StrategyFrom, want)
		}
	}
	pl, _ = Make(in, Policy{Strategy: inventory.StrategyWarranty})
	if it := item(t, pl, "own"); it.Strategy != inventory.StrategyWarranty || it.StrategyFrom != "plan" {
		t.Errorf("policy strategy: %s/%s; want warranty/plan", it.Strategy, it.StrategyFrom)
	}
}

// TestBudget: costs by year and owner, a split, the price rise, a cost
// from the model's other devices, and a missing cost counted apart.
func TestBudget(t *testing.T) {
	devs := []dev{
		camera("ot", inventory.Known{Site: "A", WarrantyEnd: entered("2027-02-01"), ReplacementCost: eur(1000), BudgetOwner: inventory.BudgetSplit{OT: 100}}),
		camera("split", inventory.Known{Site: "A", WarrantyEnd: entered("2027-03-01"), ReplacementCost: eur(500), BudgetOwner: inventory.BudgetSplit{OT: 60, IT: 40}}),
		camera("later", inventory.Known{Site: "B", WarrantyEnd: entered("2028-08-01"), ReplacementCost: eur(1000), BudgetOwner: inventory.BudgetSplit{IT: 100}}),
		camera("nocost", inventory.Known{Site: "B", WarrantyEnd: entered("2027-04-01")}),
		{ID: "unknownmodel", Known: inventory.Known{Name: "Door", Class: inventory.ClassAccessControl, WarrantyEnd: entered("2027-04-01")}},
		camera("retired", inventory.Known{WarrantyEnd: entered("2027-04-01"), ReplacementCost: eur(999)}),
	}
	devs[5].Lifecycle.State = inventory.StateDecommissioned
	pl, err := Make(Input{Devices: devs, Today: today}, Policy{Years: 3, PriceIncrease: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Items) != 5 {
		t.Fatalf("%d items; want the 5 active devices", len(pl.Items))
	}
	y1, y2 := pl.Years[0], pl.Years[1]
	// nocost is priced from the other P3265-LVE devices (median 1000).
	if y1.Year != 2027 || y1.Devices != 4 || y1.Cost != eur(2500) || y1.UnknownCost != 1 {
		t.Errorf("2027 = %+v; want 4 devices, 2500 known, 1 without a cost", y1)
	}
	if got := y1.ByOwner; got[OwnerOT] != eur(1300) || got[OwnerIT] != eur(200) || got[OwnerUnassigned] != eur(1000) {
		t.Errorf("2027 by owner = %v; want OT 1300, IT 200, unassigned 1000", got)
	}
	if y2.Cost != eur(1100) || y2.ByOwner[OwnerIT] != eur(1100) || y2.Quarters != [4]int{0, 0, 1, 0} {
		t.Errorf("2028 = %+v; want 1100 for IT (10%% dearer) in Q3", y2)
	}
	if it := item(t, pl, "nocost"); !it.CostKnown || !it.Estimated || !strings.Contains(strings.Join(it.Estimates, ";"), "other P3265-LVE") {
		t.Errorf("nocost = %+v; want the model's cost, marked estimated", it)
	}
	if it := item(t, pl, "unknownmodel"); it.CostKnown || it.Cost != 0 {
		t.Errorf("unknownmodel = %+v; want no cost", it)
	}
	if !reflect.DeepEqual(pl.NoCost, []string{"unknownmodel"}) {
		t.Errorf("NoCost = %v; want [unknownmodel]", pl.NoCost)
	}
	if y1.BySite["A"] != eur(1500) || y1.BySite["B"] != eur(1000) || y1.ByClass["Camera"] != eur(2500) {
		t.Errorf("by site %v, by class %v", y1.BySite, y1.ByClass)
	}
}

// TestCap: at most 20% of a fleet of 10 a year; the riskiest go first, the
// rest move a year on, and past the plan's end out of it.
func TestCap(t *testing.T) {
	var devs []dev
	for i := range 10 {
		d := camera(string(rune('a'+i)), inventory.Known{WarrantyEnd: entered("2026-01-01"), ReplacementCost: eur(100)})
		devs = append(devs, d)
	}
	in := Input{Devices: devs, Today: today,
		EndOfSupport: map[string]inventory.Date{"j": date("2025-01-01")},
		Statuses:     map[string]inventory.DeviceStatus{"i": {Health: inventory.HealthOffline}}}
	pl, err := Make(in, Policy{Years: 3, CapPercent: 20})
	if err != nil {
		t.Fatal(err)
	}
	for y, want := range []int{2, 2, 2} {
		if pl.Years[y].Devices != want {
			t.Errorf("year %d: %d devices; want %d", pl.Years[y].Year, pl.Years[y].Devices, want)
		}
	}
	if pl.Years[0].Deferred != 8 || pl.Unscheduled != 4 {
		t.Errorf("deferred from 2027 %d, unscheduled %d; want 8 and 4", pl.Years[0].Deferred, pl.Unscheduled)
	}
	for _, id := range []string{"i", "j"} { // offline now; unsupported firmware
		if it := item(t, pl, id); it.Deferred || it.ReplaceIn.String() != "2027-Q1" {
			t.Errorf("%s = %+v; want kept in 2027-Q1 for its risk", id, it)
		}
	}
	last := pl.Items[len(pl.Items)-1]
	if !last.Deferred || !last.ReplaceIn.IsZero() || last.DeferredFrom.String() != "2027-Q1" || !strings.Contains(last.Reason, "deferred by the yearly cap to after this plan") {
		t.Errorf("last item = %+v; want deferred out of the plan", last)
	}

	// An amount cap per owner: OT pays at most 150 a year.
	for i := range devs {
		devs[i].Known.BudgetOwner = inventory.BudgetSplit{OT: 100}
	}
	pl, _ = Make(Input{Devices: devs, Today: today}, Policy{Years: 2, CapAmount: map[string]inventory.Money{OwnerOT: eur(150)}})
	if pl.Years[0].Devices != 1 || pl.Years[0].ByOwner[OwnerOT] != eur(100) {
		t.Errorf("2027 with an OT cap of 150 = %+v; want 1 device", pl.Years[0])
	}
}

// TestCompare: the same fleet under each strategy; the firmware that ran
// out of support is run longest under run to failure.
func TestCompare(t *testing.T) {
	devs := []dev{
		camera("a", inventory.Known{WarrantyEnd: entered("2029-01-15"), InstallDate: entered("2024-01-15"), ReplacementCost: eur(800)}),
		camera("b", inventory.Known{WarrantyEnd: entered("2027-06-01"), InstallDate: entered("2022-06-01"), ReplacementCost: eur(800)}),
	}
	in := Input{Devices: devs, Today: today, EndOfSupport: map[string]inventory.Date{"a": date("2027-03-31")}}
	cs, err := Compare(in, Policy{Years: 5})
	if err != nil {
		t.Fatal(err)
	}
	by := map[inventory.Strategy]Comparison{}
	for _, c := range cs {
		by[c.Strategy] = c
	}
	if len(cs) != 5 {
		t.Fatalf("%d comparisons; want 5", len(cs))
	}
	// a is unsupported from 2027-Q2; under warranty it runs so until 2029-Q1: 7 quarters.
	if got := by[inventory.StrategyWarranty].UnsupportedDeviceYears; got != 1.75 {
		t.Errorf("warranty: %.2f unsupported device-years; want 1.75", got)
	}
	if got := by[inventory.StrategySupport].UnsupportedDeviceYears; got != 0 {
		t.Errorf("support: %.2f unsupported device-years; want 0", got)
	}
	if got := by[inventory.StrategyFailure].UnsupportedDeviceYears; got != 4.75 {
		t.Errorf("run to failure: %.2f unsupported device-years; want 4.75 (to the plan's end)", got)
	}
	if f := by[inventory.StrategyFailure]; f.Devices != 0 || f.ExpectedFailures <= by[inventory.StrategyWarranty].ExpectedFailures || f.Total <= 0 {
		t.Errorf("run to failure = %+v; want no dated replacement, more expected failures, an expected cost", f)
	}
	for _, y := range by[inventory.StrategyFailure].Years {
		if sum := y.ByOwner[OwnerOT] + y.ByOwner[OwnerIT] + y.ByOwner[OwnerUnassigned]; sum != y.Cost || y.ExpectedFailureCost == 0 {
			t.Errorf("run to failure %d: owners add up to %v of %v (failures %v); want all of it", y.Year, sum, y.Cost, y.ExpectedFailureCost)
		}
	}
	if w := by[inventory.StrategyWarranty]; w.Devices != 2 || w.Total != eur(1600) {
		t.Errorf("warranty = %+v; want 2 devices for 1600", w)
	}
}

// TestUpcoming: what falls due in the next 90 days, soonest first, and
// whether the device's strategy replaces it then.
func TestUpcoming(t *testing.T) {
	devs := []dev{
		camera("soon", inventory.Known{WarrantyEnd: entered("2027-01-10")}),
		camera("eos", inventory.Known{}),
		camera("far", inventory.Known{WarrantyEnd: entered("2027-06-10")}),
		camera("past", inventory.Known{WarrantyEnd: entered("2026-01-10")}),
	}
	in := Input{Devices: devs, Today: today, EndOfSupport: map[string]inventory.Date{"eos": date("2026-12-31")}}
	got := Upcoming(in, Policy{}, 90)
	if len(got) != 2 || got[0].DeviceID != "eos" || got[0].What != "Firmware support ends" || got[0].Planned ||
		got[1].DeviceID != "soon" || got[1].What != "Warranty ends" || !got[1].Planned {
		t.Errorf("Upcoming = %+v; want eos (support, not planned) then soon (warranty, planned)", got)
	}
}

func TestPolicyErrors(t *testing.T) {
	for _, p := range []Policy{{Years: 11}, {Years: -1}, {Strategy: "sometimes"}, {CapPercent: 120}, {PriceIncrease: -5},
		{Strategy: inventory.StrategyEarliest, Earliest: []inventory.Strategy{inventory.StrategyEarliest}}} {
		if _, err := Make(Input{Today: today}, p); err == nil {
			t.Errorf("Make(%+v) accepted it", p)
		}
	}
}

func TestDeterministic(t *testing.T) {
	devs := []dev{camera("b", inventory.Known{WarrantyEnd: entered("2027-01-10"), ReplacementCost: eur(10)}), camera("a", inventory.Known{WarrantyEnd: entered("2027-01-10")})}
	a, _ := Make(Input{Devices: devs, Today: today}, Policy{CapPercent: 50})
	b, _ := Make(Input{Devices: devs, Today: today}, Policy{CapPercent: 50})
	if !reflect.DeepEqual(a, b) {
		t.Error("the same input gave two plans")
	}
}

func TestFailureRatesAndSpares(t *testing.T) {
	var devs []dev
	for i := range 100 {
		d := camera(string(rune(i)), inventory.Known{InstallDate: entered("2015-01-01")})
		d.Discovered.FirstSeen = time.Date(2021, 11, 26, 0, 0, 0, 0, time.UTC) // watched for 5 years
		devs = append(devs, d)
	}
	prior := failureRates(devs, today)[inventory.ClassCamera]
	// 500 device-years without a recorded failure lower the rate only to
	// half the prior: a failure nobody recorded looks like none.
	if prior != 0.015 {
		t.Errorf("rate with no failures recorded = %.4f; want half the prior, 0.015", prior)
	}
	// 10 cameras retired as failed over 500 device-years: well above the prior.
	for i := range 10 {
		devs[i].Lifecycle = inventory.Lifecycle{State: inventory.StateReplaced, Date: today, Reason: "Failed: water in the housing"}
	}
	got := failureRates(devs, today)[inventory.ClassCamera]
	if want := (0.03*20 + 10) / (20 + 500.0); got < want-0.001 || got > want+0.001 || prior >= got {
		t.Errorf("rate = %.4f (prior %.4f); want about %.4f", got, prior, want)
	}
	if k := poissonQuantile(0.75, 0.95); k != 2 {
		t.Errorf("poissonQuantile(0.75) = %d; want 2", k)
	}
	items := make([]Item, 100)
	for i := range items {
		items[i].Class = inventory.ClassCamera
	}
	if s := spares(items, map[inventory.Class]float64{inventory.ClassCamera: 0.03}); s[inventory.ClassCamera] != 2 {
		t.Errorf("spares for 100 cameras at 3%% = %v; want 2", s)
	}
}

// TestWithSettings: the inventory's defaults price a device without a
// cost (estimated) and set the life of a class.
func TestWithSettings(t *testing.T) {
	s := inventory.PlanSettings{ClassCost: map[inventory.Class]inventory.Money{inventory.ClassAccessControl: eur(900)},
		ClassLifeYears: map[inventory.Class]int{inventory.ClassCamera: 5}, PriceIncreasePercent: 4}
	door := dev{ID: "door", Known: inventory.Known{Class: inventory.ClassAccessControl, WarrantyEnd: entered("2027-05-01")}}
	cam := camera("cam", inventory.Known{InstallDate: entered("2022-03-01")})
	pl, err := Make(Input{Devices: []dev{door, cam}, Today: today}, Policy{Strategy: inventory.StrategyAge}.WithSettings(s))
	if err != nil {
		t.Fatal(err)
	}
	if it := item(t, pl, "cam"); it.ReplaceIn.String() != "2027-Q1" || !strings.Contains(it.Reason, "5-year life") {
		t.Errorf("camera = %+v; want its class's 5-year life", it)
	}
	pl, _ = Make(Input{Devices: []dev{door}, Today: today}, Policy{}.WithSettings(s))
	if it := item(t, pl, "door"); !it.CostKnown || it.Cost != eur(900) || !it.Estimated {
		t.Errorf("door = %+v; want the class cost, estimated", it)
	}
	if p := (Policy{PriceIncrease: 2}).WithSettings(s); p.PriceIncrease != 2 {
		t.Errorf("a policy's own price increase was replaced: %v", p.PriceIncrease)
	}
}

func TestPlanned(t *testing.T) {
	d := camera("old", inventory.Known{WarrantyEnd: entered("2026-09-01")})
	d.Lifecycle = inventory.Lifecycle{State: inventory.StateReplaced, Date: date("2026-10-02")}
	on, why, ok := Planned(&d, Input{Today: today}, Policy{})
	if !ok || on != date("2026-09-01") || !strings.Contains(why, "Warranty ended on 2026-09-01") {
		t.Errorf("Planned = %v %q %v", on, why, ok)
	}
	if _, _, ok := Planned(&d, Input{Today: today}, Policy{Strategy: inventory.StrategyFailure}); ok {
		t.Error("run to failure planned a date")
	}
}
