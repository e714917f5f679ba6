// Package plan works out when each device of an inventory should be
// replaced under a strategy (at warranty end, at end of firmware support,
// at the end of its expected life, run to failure, or the earliest of a
// chosen set), what that costs per year and per budget owner (OT, IT), and
// what each strategy would mean side by side. Everything here is a pure
// function of its Input: the same inventory and policy give the same plan.
//
// Values SiteKeeper had to estimate (an install date taken from when a
// device was first seen, a warranty end from the maker's standard warranty,
// a cost from other devices of the model) are marked as estimated on each
// Item, all the way into the reports. A missing cost is never counted as
// zero: it is counted apart.
package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"sitekeeper/internal/inventory"
)

// Owners of a budget, as Year.ByOwner names them. Unassigned collects the
// devices no one has said who pays for.
const (
	OwnerOT         = "OT"
	OwnerIT         = "IT"
	OwnerUnassigned = "Unassigned"
)

// MaxYears bounds the horizon.
const MaxYears = 10

// Input is what a plan is made from.
type Input struct {
	Devices []inventory.Device
	Sites   []inventory.Site
	// EndOfSupport is each device's end of firmware support when known
	// (the date entered for it, else the firmware catalog's), by ID.
	EndOfSupport map[string]inventory.Date
	// Statuses are the checks' current health by device ID: a device
	// offline now counts as failed for the run-to-failure strategy.
	Statuses map[string]inventory.DeviceStatus
	// Outages are the fleet's outages, for the risk of deferring a device.
	Outages []inventory.Outage
	// Today is the day the plan is made.
	Today inventory.Date
}

// Policy is how to plan.
type Policy struct {
	// Strategy applies to every device; "" uses each device's own
	// (inventory.EffectiveStrategy: device, its site's for its class, its
	// site's, the default).
	Strategy inventory.Strategy
	// Earliest is the set StrategyEarliest takes the earliest of (nil:
	// warranty, support and age).
	Earliest []inventory.Strategy
	// From is the first day of the plan (zero: the first day of the
	// quarter after Today); Years its length, 1..MaxYears (0: 5).
	From  inventory.Date
	Years int
	// Life is the expected life in years by class where a device has none
	// of its own (nil: DefaultLife).
	Life map[inventory.Class]int
	// ClassCost is the replacement cost by class for devices without one
	// of their own or of their model; it counts as estimated.
	ClassCost map[inventory.Class]inventory.Money
	// PriceIncrease is the yearly price rise in percent, compounded from
	// the plan's first year.
	PriceIncrease float64
	// CapPercent, when above zero, replaces at most that share of the
	// active fleet in a budget year; CapAmount at most that amount per
	// owner (OwnerOT, OwnerIT) a year. What does not fit is deferred to
	// the next year, least risky first.
	CapPercent float64
	CapAmount  map[string]inventory.Money
}

// Item is one device in the plan.
type Item struct {
	DeviceID string             `json:"id"`
	Name     string             `json:"name"`
	Site     string             `json:"site,omitempty"`
	Class    inventory.Class    `json:"class,omitempty"`
	Strategy inventory.Strategy `json:"strategy"`
	// StrategyFrom says where the strategy came from: "device", "class",
	// "site", "default", or "plan" when the policy set it for all.
	StrategyFrom string `json:"strategy_from"`
	// ReplaceIn is the quarter of the replacement; zero when it falls after
	// the plan or no date is known (Reason says which).
	ReplaceIn Period `json:"replace_in"`
	// Due is the date that makes it due (a warranty end, an end of
	// support); zero when none is known.
	Due    inventory.Date `json:"due,omitzero"`
	Reason string         `json:"reason"`
	// Estimated is true when Due or Cost rests on an estimate; Estimates
	// say which, in words.
	Estimated bool     `json:"estimated"`
	Estimates []string `json:"estimates,omitempty"`
	// Cost is the replacement cost in ReplaceIn's year, price rise
	// included; CostKnown is false when no cost is known (Cost is zero
	// then and counted apart, never as zero).
	Cost      inventory.Money       `json:"cost"`
	CostKnown bool                  `json:"cost_known"`
	Owner     inventory.BudgetSplit `json:"owner,omitzero"`
	// Deferred: the cap moved it from DeferredFrom to ReplaceIn (or past
	// the plan, ReplaceIn zero). Risk and RiskWhy are why it went later
	// than others or not.
	Deferred     bool     `json:"deferred,omitempty"`
	DeferredFrom Period   `json:"deferred_from,omitzero"`
	Risk         int      `json:"risk"`
	RiskWhy      []string `json:"risk_why,omitempty"`
	// Failed is true for a device offline now under run to failure.
	Failed bool `json:"failed,omitempty"`

	unsupportedFrom inventory.Date // end of support, if known
	baseCost        inventory.Money
}

// Scheduled reports whether the item is replaced within the plan.
func (it *Item) Scheduled() bool { return !it.ReplaceIn.IsZero() }

// Year is one budget year of a plan.
type Year struct {
	Year    int `json:"year"`
	Devices int `json:"devices"`
	// Cost is the known cost of the devices replaced; devices without a
	// cost are in UnknownCost, not counted as zero.
	Cost        inventory.Money            `json:"cost"`
	ByOwner     map[string]inventory.Money `json:"by_owner"`
	UnknownCost int                        `json:"unknown_cost"`
	BySite      map[string]inventory.Money `json:"by_site,omitempty"`
	ByClass     map[string]inventory.Money `json:"by_class,omitempty"`
	// Quarters are the devices replaced in each quarter.
	Quarters [4]int `json:"quarters"`
	// Deferred counts the devices the cap moved out of this year.
	Deferred int `json:"deferred,omitempty"`
	// ExpectedFailures is how many devices are expected to fail this year
	// while still in service (run to failure: the fleet's failure rate).
	ExpectedFailures float64 `json:"expected_failures"`
	// ExpectedFailureCost is their expected replacement cost, for run to
	// failure, where replacing them is the plan.
	ExpectedFailureCost inventory.Money `json:"expected_failure_cost,omitempty"`
	// UnsupportedDeviceYears is the device-years run this year on
	// firmware that no longer gets fixes.
	UnsupportedDeviceYears float64 `json:"unsupported_device_years"`
}

// Plan is the outcome of Make.
type Plan struct {
	Strategy inventory.Strategy `json:"strategy"` // "" : each device's own
	From     inventory.Date     `json:"from"`
	Years    []Year             `json:"years"`
	Items    []Item             `json:"devices"`
	// Unscheduled counts active devices with no replacement in the plan
	// (no date known, or due after it).
	Unscheduled int `json:"unscheduled"`
	// NoCost lists the devices (by ID) without a known cost, to fill in.
	NoCost []string `json:"no_cost,omitempty"`
	// Rates are the yearly failure rates used, by class; Spares the spare
	// devices worth keeping per class.
	Rates  map[inventory.Class]float64 `json:"failure_rates"`
	Spares map[inventory.Class]int     `json:"spares,omitempty"`
}

// withDefaults fills in the zero fields of p for in.
func (p Policy) withDefaults(today inventory.Date) (Policy, error) {
	if p.Years == 0 {
		p.Years = 5
	}
	if p.Years < 1 || p.Years > MaxYears {
		return p, fmt.Errorf("the plan can cover 1 to %d years, not %d", MaxYears, p.Years)
	}
	if p.From.IsZero() {
		q := QuarterOf(today)
		p.From = periodAt(q.index() + 1).Start()
	}
	if p.Strategy != "" && !slices.Contains(inventory.Strategies, p.Strategy) {
		return p, fmt.Errorf("%q is not a replacement strategy (warranty, support, age, failure, earliest)", p.Strategy)
	}
	if p.Earliest == nil {
		p.Earliest = []inventory.Strategy{inventory.StrategyWarranty, inventory.StrategySupport, inventory.StrategyAge}
	}
	for _, s := range p.Earliest {
		if s == inventory.StrategyEarliest || !slices.Contains(inventory.Strategies, s) {
			return p, fmt.Errorf("%q cannot be one of the strategies to take the earliest of", s)
		}
	}
	if p.Life == nil {
		p.Life = DefaultLife
	}
	if p.PriceIncrease < 0 || p.PriceIncrease > 100 {
		return p, fmt.Errorf("a yearly price increase of %g%% is not plausible; give 0 to 100", p.PriceIncrease)
	}
	if p.CapPercent < 0 || p.CapPercent > 100 {
		return p, fmt.Errorf("a cap of %g%% of the fleet is not possible; give 0 to 100", p.CapPercent)
	}
	return p, nil
}

// Make plans the replacement of in's active devices under p.
func Make(in Input, p Policy) (Plan, error) {
	p, err := p.withDefaults(in.Today)
	if err != nil {
		return Plan{}, err
	}
	h := horizon{first: QuarterOf(p.From).index(), years: p.Years}
	sites := siteIndex(in.Sites)
	costs := newCostBook(in.Devices, p.ClassCost)
	rates := failureRates(in.Devices, in.Today)
	risk := newRiskBook(in, p.Life)

	out := Plan{Strategy: p.Strategy, From: p.From, Rates: rates, Years: make([]Year, p.Years)}
	for y := range out.Years {
		out.Years[y].Year = h.label(y)
		out.Years[y].ByOwner = map[string]inventory.Money{}
	}
	for i := range in.Devices {
		d := &in.Devices[i]
		if d.State() != inventory.StateActive {
			continue
		}
		it := Item{DeviceID: d.ID, Name: d.NameAndAddress(), Site: d.Known.Site, Class: d.Class(), Owner: d.Known.BudgetOwner}
		it.Strategy, it.StrategyFrom = inventory.EffectiveStrategy(d, sites[strings.ToLower(d.Known.Site)])
		if p.Strategy != "" {
			it.Strategy, it.StrategyFrom = p.Strategy, "plan"
		}
		it.unsupportedFrom = in.EndOfSupport[d.ID]
		schedule(&it, d, in, p, h)
		it.baseCost, it.CostKnown = costs.cost(d, &it)
		it.Risk, it.RiskWhy = risk.of(d, in.Today)
		out.Items = append(out.Items, it)
	}
	slices.SortStableFunc(out.Items, func(a, b Item) int {
		return cmp.Or(cmp.Compare(sortIndex(a.ReplaceIn), sortIndex(b.ReplaceIn)), cmp.Compare(a.Site, b.Site), cmp.Compare(a.Name, b.Name), cmp.Compare(a.DeviceID, b.DeviceID))
	})
	applyCap(out.Items, p, h, len(out.Items))
	out.total(p, h)
	out.Spares = spares(out.Items, rates)
	return out, nil
}

// siteIndex finds sites by name in any case, as devices name them.
func siteIndex(sites []inventory.Site) map[string]*inventory.Site {
	m := make(map[string]*inventory.Site, len(sites))
	for i := range sites {
		m[strings.ToLower(sites[i].Name)] = &sites[i]
	}
	return m
}

// total prices the items in their years and adds up the years.
func (pl *Plan) total(p Policy, h horizon) {
	for i := range pl.Items {
		it := &pl.Items[i]
		if !it.CostKnown {
			pl.NoCost = append(pl.NoCost, it.DeviceID)
		}
		replaced := h.end() // quarter index from which the device is new
		if it.Scheduled() {
			replaced = it.ReplaceIn.index()
			y := h.year(it.ReplaceIn)
			it.Cost = inflate(it.baseCost, p.PriceIncrease, y)
			yr := &pl.Years[y]
			yr.Devices++
			yr.Quarters[it.ReplaceIn.Quarter-1]++
			if it.CostKnown {
				yr.Cost += it.Cost
				addSplit(yr.ByOwner, it.Owner, it.Cost)
				yr.BySite = addTo(yr.BySite, cmp.Or(it.Site, "No site"), it.Cost)
				yr.ByClass = addTo(yr.ByClass, it.Class.Label(), it.Cost)
			} else {
				yr.UnknownCost++
			}
		} else {
			it.Cost = it.baseCost // what it costs today, for the lists
			pl.Unscheduled++
		}
		if it.Deferred && !it.DeferredFrom.IsZero() {
			pl.Years[h.year(it.DeferredFrom)].Deferred++
		}
		// The device now in service runs until its quarter of replacement
		// (under run to failure, through the whole plan: it is replaced
		// only when it fails, which the failure rate prices).
		rate := pl.Rates[it.Class]
		unsupported := h.end()
		if !it.unsupportedFrom.IsZero() {
			unsupported = QuarterOf(addDays(it.unsupportedFrom, 1)).index()
		}
		for y := range pl.Years {
			from, to := h.first+4*y, h.first+4*y+4
			yr := &pl.Years[y]
			yr.ExpectedFailures += rate * float64(max(0, min(to, replaced)-from)) / 4
			if n := min(to, replaced) - max(from, unsupported); n > 0 {
				yr.UnsupportedDeviceYears += float64(n) / 4
			}
			if it.Strategy == inventory.StrategyFailure && !it.Failed && it.CostKnown {
				// Its owner pays for what its failures are expected to cost.
				exp := inventory.Money(float64(inflate(it.baseCost, p.PriceIncrease, y))*rate + 0.5)
				yr.ExpectedFailureCost += exp
				yr.Cost += exp
				addSplit(yr.ByOwner, it.Owner, exp)
				yr.BySite = addTo(yr.BySite, cmp.Or(it.Site, "No site"), exp)
				yr.ByClass = addTo(yr.ByClass, it.Class.Label(), exp)
			}
		}
	}
}

// inflate is base after y years of a yearly rise of pct percent.
func inflate(base inventory.Money, pct float64, y int) inventory.Money {
	if pct == 0 || y == 0 {
		return base
	}
	f := 1.0
	for range y {
		f *= 1 + pct/100
	}
	return inventory.Money(float64(base)*f + 0.5)
}

// addSplit adds amount to the owners of split, by share; the cents a split
// leaves over go to OT, so that the owners add up to the amount.
func addSplit(m map[string]inventory.Money, split inventory.BudgetSplit, amount inventory.Money) {
	if split.IsZero() {
		m[OwnerUnassigned] += amount
		return
	}
	it := amount * inventory.Money(split.IT) / 100
	if split.IT > 0 {
		m[OwnerIT] += it
	}
	if split.OT > 0 {
		m[OwnerOT] += amount - it
	}
}

func addTo(m map[string]inventory.Money, k string, v inventory.Money) map[string]inventory.Money {
	if m == nil {
		m = map[string]inventory.Money{}
	}
	m[k] += v
	return m
}

// addDays is d n days later.
func addDays(d inventory.Date, n int) inventory.Date {
	return inventory.DateOf(d.Time().AddDate(0, 0, n))
}
