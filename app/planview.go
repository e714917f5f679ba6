package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
	"sitekeeper/internal/report"
)

// planView is the replacement plan: what to replace when under a strategy,
// what that costs each year and who pays, every strategy side by side, and
// the device-by-device schedule. A facility manager reads the chart and
// the summary; the tables are for whoever prepares the budget.
type planView struct {
	u       *UI
	content fyne.CanvasObject

	strategy, years, limit, rise *widget.Select
	// spend are the yearly spending limits of OT and IT ("" for none).
	spendOT, spendIT *widget.Entry

	chart    *costChart
	summary  *widget.Label
	noteCost *widget.Label
	compare  *widget.Table
	schedule *widget.Table
	scroll   *container.Scroll

	// What the tables show, from the last plan made, and the inventory it
	// was made from (read-only: background plans share it).
	in    *plan.Input
	pl    plan.Plan
	cmps  []plan.Comparison
	rows  []scheduleRow
	ready bool
	// gen drops a slow plan that a later change of the controls overtook;
	// cancel stops its reading of the inventory.
	gen    uint64
	cancel context.CancelFunc
	// now is the clock the plan starts from; tests fix it.
	now func() time.Time
}

// Choices the controls offer, in the order shown.
const (
	ownStrategy  = "Each device's own strategy"
	riseSettings = "As set in Settings"
)

var (
	yearChoices  = []string{"1 year", "2 years", "3 years", "4 years", "5 years", "6 years", "7 years", "8 years", "9 years", "10 years"}
	limitChoices = map[string]float64{"No limit": 0, "10 % of devices": 10, "15 % of devices": 15, "20 % of devices": 20, "25 % of devices": 25}
	limitOrder   = []string{"No limit", "10 % of devices", "15 % of devices", "20 % of devices", "25 % of devices"}
	riseChoices  = map[string]float64{"Not at all": 0, "2 % a year": 2, "3 % a year": 3, "5 % a year": 5, "10 % a year": 10}
	riseOrder    = []string{riseSettings, "Not at all", "2 % a year", "3 % a year", "5 % a year", "10 % a year"}
)

// strategyChoices are the strategy select's options: each device's own,
// then every strategy by its label.
func strategyChoices() []string {
	out := []string{ownStrategy}
	for _, s := range inventory.Strategies {
		out = append(out, s.Label())
	}
	return out
}

// strategyByChoice is the strategy an option of strategyChoices names; ""
// for each device's own.
func strategyByChoice(s string) inventory.Strategy {
	for _, k := range inventory.Strategies {
		if k.Label() == s {
			return k
		}
	}
	return ""
}

func newPlanView(u *UI) *planView {
	v := &planView{u: u, now: time.Now}
	changed := func(string) { v.replan(false) }
	v.strategy = widget.NewSelect(strategyChoices(), changed)
	v.years = widget.NewSelect(yearChoices, changed)
	v.limit = widget.NewSelect(limitOrder, changed)
	v.rise = widget.NewSelect(riseOrder, changed)
	// Set before the callbacks matter: reload runs when the view is shown.
	v.strategy.Selected = ownStrategy
	v.years.Selected = "5 years"
	v.limit.Selected = limitOrder[0]
	v.rise.Selected = riseOrder[0]
	v.spendOT, v.spendIT = spendEntry(func() { v.replan(false) }), spendEntry(func() { v.replan(false) })

	controls := container.New(layout.NewFormLayout(),
		rightLabel("Replace devices"), container.NewHBox(sized(330, v.strategy),
			rightLabel("over the next"), sized(130, v.years)),
		rightLabel("Replace at most"), container.NewHBox(sized(200, v.limit), widget.NewLabel("a year"),
			rightLabel("Prices rise"), sized(190, v.rise)),
		rightLabel("Spend at most"), container.NewHBox(widget.NewLabel("OT"), sized(130, v.spendOT), widget.NewLabel("IT"), sized(130, v.spendIT),
			widget.NewLabel("a year (empty: no limit)")),
	)

	v.chart = newCostChart()
	v.summary = para("Working out the plan…")
	v.noteCost = para("")
	v.noteCost.Importance = widget.WarningImportance
	v.noteCost.Hide()
	v.compare = v.buildCompare()
	v.schedule = v.buildSchedule()

	page := container.NewVBox(
		heading("Cost per year and who pays"),
		v.chart,
		v.summary,
		v.noteCost,
		heading("Every strategy side by side"),
		para("The same devices planned each way over the same years. Years on unsupported firmware add up the years devices would run without security fixes from their maker; deferred counts the devices the yearly limit puts off to a later year. Click a row to plan that way."),
		container.New(&fixedHeight{h: 6*40 + 8}, v.compare),
		heading("Device by device"),
		para("Sorted by when each device is due. * marks an estimate: click the device to enter the real date or cost."),
		container.New(&fixedHeight{h: 420}, v.schedule),
	)
	v.scroll = container.NewVScroll(container.NewPadded(page))
	v.content = container.NewBorder(container.NewPadded(controls), nil, nil, nil, v.scroll)
	return v
}

// sized is o at a fixed width, for selects whose options are short.
func sized(w float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

func rightLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Alignment = fyne.TextAlignTrailing
	return l
}

// planChoice is what the plan controls say; the inventory's plan settings
// fill in the rest (resolve).
type planChoice struct {
	policy plan.Policy
	// ownRise: the price increase was chosen here, not left to Settings.
	ownRise bool
}

// choice is what the controls say.
func (v *planView) choice() planChoice {
	years := 5
	for i, s := range yearChoices {
		if s == v.years.Selected {
			years = i + 1
		}
	}
	rise, own := riseChoices[v.rise.Selected]
	var caps map[string]inventory.Money
	for owner, e := range map[string]*widget.Entry{plan.OwnerOT: v.spendOT, plan.OwnerIT: v.spendIT} {
		if m, ok := spendLimit(e.Text); ok {
			if caps == nil {
				caps = map[string]inventory.Money{}
			}
			caps[owner] = m
		}
	}
	return planChoice{ownRise: own, policy: plan.Policy{
		Strategy:      strategyByChoice(v.strategy.Selected),
		Years:         years,
		CapPercent:    limitChoices[v.limit.Selected],
		CapAmount:     caps,
		PriceIncrease: rise,
	}}
}

// spendEntry is an entry for a yearly spending limit that plans again
// when it holds an amount or is emptied, and marks anything else.
func spendEntry(changed func()) *widget.Entry {
	e := widget.NewEntry()
	e.SetPlaceHolder("no limit")
	e.Validator = func(s string) error {
		if _, ok := spendLimit(s); !ok && strings.TrimSpace(s) != "" {
			return errors.New("write an amount, like 5000")
		}
		return nil
	}
	e.OnChanged = func(s string) {
		if _, ok := spendLimit(s); ok || strings.TrimSpace(s) == "" {
			changed()
		}
	}
	return e
}

// spendLimit reads a spending limit a person typed; ok is false for an
// empty or unreadable one (no limit).
func spendLimit(s string) (inventory.Money, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	m, err := inventory.ParseMoney(s)
	return m, err == nil && m >= 0
}

// resolve is the policy to plan by: the choice over the inventory's plan
// settings (cost and expected life per type, price increase).
func (c planChoice) resolve(s inventory.PlanSettings) plan.Policy {
	p := c.policy.WithSettings(s)
	if c.ownRise {
		p.PriceIncrease = c.policy.PriceIncrease
	}
	return p
}

// planResult is what one background run made.
type planResult struct {
	in   *plan.Input
	pl   plan.Plan
	cmps []plan.Comparison
	rows []scheduleRow
	text string
	cost string
}

// reload reads the inventory and makes the plan under the controls'
// choices in the background, then shows it; call it on the UI goroutine.
func (v *planView) reload() { v.replan(true) }

// replan makes the plan again, reading the inventory afresh when fresh
// (the view was brought forward) or reusing what the last plan read (a
// control changed): a plan of 10,000 devices then takes a fraction of a
// second instead of most of one.
func (v *planView) replan(fresh bool) {
	v.gen++
	gen := v.gen
	u := v.u
	if v.cancel != nil {
		v.cancel()
	}
	ctx, cancel := context.WithCancel(u.ctx)
	v.cancel = cancel
	choice := v.choice()
	cur := u.currency
	now := v.now()
	cached := v.in
	if fresh {
		cached = nil
	}
	u.background(func() func() {
		var r planResult
		var p plan.Policy
		s, err := u.st.Settings(ctx)
		if err == nil {
			p = choice.resolve(s.Plan)
			cur = cmp.Or(s.Currency, cur)
		}
		in := cached
		if err == nil && in == nil {
			var got plan.Input
			got, err = plan.Gather(ctx, u.st, loadCatalog(), now)
			in = &got
		}
		if err == nil {
			r.in = in
			r.pl, err = plan.Make(*in, p)
		}
		if err == nil && ctx.Err() == nil { // a newer plan is coming: skip the comparison
			r.cmps, err = plan.Compare(*in, p)
		}
		if err == nil {
			r.rows = scheduleRows(r.pl, cur)
			r.text, r.cost = planSummary(r.pl, p, cur)
		}
		return func() {
			if gen != v.gen {
				return
			}
			cancel()
			if err != nil {
				v.ready = false
				v.summary.SetText("The plan could not be made: " + Explain(err))
				return
			}
			v.show(r, cur)
		}
	})
}

// show puts a plan on screen.
func (v *planView) show(r planResult, currency string) {
	v.in, v.pl, v.cmps, v.rows, v.ready = r.in, r.pl, r.cmps, r.rows, true
	v.chart.setYears(r.pl.Years, currency)
	v.summary.SetText(r.text)
	v.noteCost.SetText(r.cost)
	if r.cost == "" {
		v.noteCost.Hide()
	} else {
		v.noteCost.Show()
	}
	v.compare.Refresh()
	v.schedule.Refresh()
}

// strategyWords is how the summary names a strategy.
func strategyWords(s inventory.Strategy) string {
	switch s {
	case inventory.StrategyWarranty:
		return "Replacing each device when its warranty ends"
	case inventory.StrategySupport:
		return "Replacing each device when its maker stops fixing its firmware"
	case inventory.StrategyAge:
		return "Replacing each device at the end of its expected life"
	case inventory.StrategyFailure:
		return "Running devices until they fail"
	case inventory.StrategyEarliest:
		return "Replacing each device at the earliest of warranty end, end of firmware support and end of expected life"
	}
	return "Replacing each device as its own strategy says"
}

// planSummary says in words what the plan means: how many devices are due
// and when, what that costs, and what is left to fill in (cost: the
// devices without a cost, "" when every device has one).
func planSummary(pl plan.Plan, p plan.Policy, currency string) (text, cost string) {
	if len(pl.Items) == 0 {
		return "There are no devices in service to plan for. Add devices in the Devices view; the plan then shows when to replace them and what it costs.", ""
	}
	var devices, deferred int
	var total inventory.Money
	var failures float64
	for i := range pl.Items {
		if pl.Items[i].Deferred {
			deferred++
		}
	}
	busiest := -1
	for i, y := range pl.Years {
		devices += y.Devices
		total += y.Cost
		failures += y.ExpectedFailures
		if y.Devices > 0 && (busiest < 0 || y.Cost > pl.Years[busiest].Cost) {
			busiest = i
		}
	}
	first, last := pl.Years[0].Year, pl.Years[len(pl.Years)-1].Year
	span := fmt.Sprintf("%d", first)
	if last != first {
		span = fmt.Sprintf("%d–%d", first, last)
	}
	var b strings.Builder
	money := func(m inventory.Money) string { return report.Money(m, currency) }
	switch {
	case p.Strategy == inventory.StrategyFailure && devices == 0:
		fmt.Fprintf(&b, "%s, nothing is replaced on a date. About %.0f devices are expected to fail in %s; replacing them would cost about %s.",
			strategyWords(p.Strategy), failures, span, money(total))
	case devices == 0:
		fmt.Fprintf(&b, "%s, no device is due in %s.", strategyWords(p.Strategy), span)
	default:
		y := pl.Years[busiest]
		fmt.Fprintf(&b, "%s, %s due in %s, costing about %s in all. The most is due in %d: %s, about %s",
			strategyWords(p.Strategy), plural(devices, "device is", "devices are"), span, money(total), y.Year, plural(y.Devices, "device", "devices"), money(y.Cost))
		if parts := ownerParts(y, currency); parts != "" {
			b.WriteString(" (" + parts + ")")
		}
		b.WriteString(".")
	}
	if pl.Unscheduled > 0 && p.Strategy != inventory.StrategyFailure {
		fmt.Fprintf(&b, " %s not due within these years, or %s no date to plan by.", plural(pl.Unscheduled, "device is", "devices are"), pickWord(pl.Unscheduled, "has", "have"))
	}
	if deferred > 0 {
		fmt.Fprintf(&b, " %s %s to a later year, the least risky first.", limitWords(p, currency), plural(deferred, "device", "devices"))
	}
	if p.PriceIncrease > 0 {
		fmt.Fprintf(&b, " Prices rise by %g %% a year from %d.", p.PriceIncrease, first)
	}
	if n := len(pl.NoCost); n > 0 {
		cost = fmt.Sprintf("%s no replacement cost yet, so %s not in these totals. Enter the cost in the device form (click the device below).",
			plural(n, "device has", "devices have"), pickWord(n, "it is", "they are"))
	}
	return b.String(), cost
}

// ownerParts is "€6,000 OT, €2,980 IT" for a year, in that order.
func ownerParts(y plan.Year, currency string) string {
	var parts []string
	for _, o := range []struct{ key, name string }{{plan.OwnerOT, "OT"}, {plan.OwnerIT, "IT"}, {plan.OwnerUnassigned, "no owner decided"}} {
		if m := y.ByOwner[o.key]; m > 0 {
			parts = append(parts, report.Money(m, currency)+" "+o.name)
		}
	}
	if len(parts) == 1 && y.ByOwner[plan.OwnerUnassigned] == 0 {
		for _, o := range []string{plan.OwnerOT, plan.OwnerIT} {
			if y.ByOwner[o] == y.Cost {
				return "all from the " + o + " budget"
			}
		}
	}
	return strings.Join(parts, ", ")
}

// limitWords names the yearly limits at work: "The limit of 25 % a year
// puts off", "The spending limit (OT €5,000, IT €3,000 a year) puts off".
func limitWords(p plan.Policy, currency string) string {
	var parts []string
	if p.CapPercent > 0 {
		parts = append(parts, fmt.Sprintf("the limit of %g %% a year", p.CapPercent))
	}
	var spend []string
	for _, owner := range []string{plan.OwnerOT, plan.OwnerIT} {
		if m, ok := p.CapAmount[owner]; ok {
			spend = append(spend, owner+" "+report.Money(m, currency))
		}
	}
	if len(spend) > 0 {
		parts = append(parts, "the spending limit ("+strings.Join(spend, ", ")+" a year)")
	}
	w := strings.Join(parts, " and ")
	return strings.ToUpper(w[:1]) + w[1:] + " puts off"
}
