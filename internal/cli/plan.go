package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
	"sitekeeper/internal/report"
)

// policyFlags are the options plan and report share: how to plan.
type policyFlags struct {
	strategy      *string
	years         *int
	from          *string
	capPercent    *float64
	capAmount     *string
	priceIncrease *float64
	riseSet       bool // --price-increase was given
}

func addPolicyFlags(fs *cmdFlags) *policyFlags {
	return &policyFlags{
		strategy:      fs.String("strategy", "", "warranty, support, age, failure or earliest, for every device\n(default: each device's own strategy)"),
		years:         fs.Int("years", 5, fmt.Sprintf("how many budget years to plan, 1 to %d", plan.MaxYears)),
		from:          fs.String("from", "", "the first day of the plan, like 2027-01-01 (default: the first day\nof next quarter)"),
		capPercent:    fs.Float64("cap-percent", 0, "replace at most this share of the devices in a year, in percent;\nthe rest moves to the next year, least risky first (0: no cap)"),
		capAmount:     fs.String("cap-amount", "", "spend at most this much a year per budget owner, like OT:5000,IT:3000;\nthe rest moves to the next year, least risky first"),
		priceIncrease: fs.Float64("price-increase", 0, "yearly price rise in percent, compounded from the first year"),
	}
}

// policy turns the flags into a plan.Policy; a value a person got wrong is
// a usage error that says what to give instead.
func (p *policyFlags) policy(fs *cmdFlags) (plan.Policy, error) {
	var pol plan.Policy
	fs.Visit(func(f *flag.Flag) { p.riseSet = p.riseSet || f.Name == "price-increase" })
	s, err := inventory.ParseStrategy(*p.strategy)
	if err != nil {
		return pol, usagef("--strategy %q is not a replacement strategy: give warranty, support, age, failure or earliest (or leave it out for each device's own)", *p.strategy)
	}
	pol.Strategy = s
	if *p.years < 1 || *p.years > plan.MaxYears {
		return pol, usagef("--years must be 1 to %d, not %d", plan.MaxYears, *p.years)
	}
	pol.Years = *p.years
	if *p.from != "" {
		d, err := inventory.ParseDate(*p.from)
		if err != nil {
			return pol, usagef("--from %q is not a date: write it like 2027-01-01", *p.from)
		}
		pol.From = d
	}
	if c := *p.capPercent; c < 0 || c > 100 || math.IsNaN(c) {
		return pol, usagef("--cap-percent must be 0 to 100 (a share of the devices), not %g", c)
	}
	pol.CapPercent = *p.capPercent
	if *p.capAmount != "" {
		caps, err := parseCapAmount(*p.capAmount)
		if err != nil {
			return pol, err
		}
		pol.CapAmount = caps
	}
	if v := *p.priceIncrease; v < 0 || v > 100 || math.IsNaN(v) {
		return pol, usagef("--price-increase must be 0 to 100 (percent a year), not %g", v)
	}
	pol.PriceIncrease = *p.priceIncrease
	return pol, nil
}

// parseCapAmount reads "OT:5000,IT:3000" (either owner alone, in any
// case, "=" for ":" too) into amounts per owner.
func parseCapAmount(v string) (map[string]inventory.Money, error) {
	bad := usagef("--cap-amount %q is not a yearly limit per budget owner: write it like OT:5000,IT:3000", v)
	caps := map[string]inventory.Money{}
	for _, part := range strings.Split(v, ",") {
		owner, amount, ok := strings.Cut(strings.ReplaceAll(strings.TrimSpace(part), "=", ":"), ":")
		owner = strings.ToUpper(strings.TrimSpace(owner))
		if !ok || (owner != plan.OwnerOT && owner != plan.OwnerIT) {
			return nil, bad
		}
		if _, dup := caps[owner]; dup {
			return nil, bad
		}
		m, err := inventory.ParseMoney(strings.TrimSpace(amount))
		if err != nil || m < 0 {
			return nil, bad
		}
		caps[owner] = m
	}
	return caps, nil
}

// withSettings is pol over the inventory's plan settings (cost and
// expected life per type, and the price rise unless --price-increase was
// given, 0 included).
func (p *policyFlags) withSettings(pol plan.Policy, s inventory.PlanSettings) plan.Policy {
	own := pol.PriceIncrease
	pol = pol.WithSettings(s)
	if p.riseSet {
		pol.PriceIncrease = own
	}
	return pol
}

// planOutput is `plan --json`: the plan under the chosen strategy
// ("inherit" when each device's own is used), money as JSON numbers in the
// inventory's currency, and every strategy compared.
type planOutput struct {
	Strategy    string            `json:"strategy"`
	Currency    string            `json:"currency"`
	From        inventory.Date    `json:"from"`
	Years       []plan.Year       `json:"years"`
	Devices     []planDevice      `json:"devices"`
	Unscheduled int               `json:"unscheduled"`
	NoCost      []string          `json:"no_cost"`
	Comparison  []plan.Comparison `json:"comparison"`
}

// planDevice is one device of the plan; its cost is null when none is
// known (a missing cost is never zero).
type planDevice struct {
	plan.Item
	Cost *inventory.Money `json:"cost"`
}

func newPlanOutput(pl plan.Plan, cmps []plan.Comparison, currency string) planOutput {
	out := planOutput{
		Strategy: cmp.Or(string(pl.Strategy), "inherit"), Currency: currency, From: pl.From,
		Years: make([]plan.Year, len(pl.Years)), Devices: make([]planDevice, len(pl.Items)),
		Unscheduled: pl.Unscheduled, NoCost: pl.NoCost, Comparison: cmps,
	}
	if out.NoCost == nil {
		out.NoCost = []string{}
	}
	for i, y := range pl.Years {
		owners := map[string]inventory.Money{plan.OwnerOT: 0, plan.OwnerIT: 0}
		for k, v := range y.ByOwner {
			owners[k] = v
		}
		y.ByOwner = owners
		out.Years[i] = y
	}
	for i := range pl.Items {
		it := pl.Items[i]
		out.Devices[i] = planDevice{Item: it}
		if it.CostKnown {
			out.Devices[i].Cost = &it.Cost
		}
	}
	return out
}

func runPlan(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "plan", "[--strategy S] [--years N] [--from DATE] [--cap-percent P] [--cap-amount OT:X,IT:Y] [--price-increase P] [--json | --csv]",
		"Plans when each active device is replaced and what that costs each\nbudget year, for OT and for IT, and compares the strategies. Devices\nwithout a replacement cost are counted apart, never as zero.")
	pf := addPolicyFlags(fs)
	asJSON := fs.Bool("json", false, "print one JSON document")
	asCSV := fs.Bool("csv", false, "print the plan as CSV, one device a row")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *asJSON && *asCSV {
		return usagef("choose one of --json and --csv")
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q", fs.Arg(0))
	}
	pol, err := pf.policy(fs)
	if err != nil {
		return err
	}
	st, err := env.openExisting()
	if err != nil {
		return err
	}
	defer st.Close()
	settings, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	pol = pf.withSettings(pol, settings.Plan)
	cat, err := loadCatalog(env)
	if err != nil {
		return err
	}
	in, err := plan.Gather(ctx, st, cat, env.now())
	if err != nil {
		return err
	}
	pl, err := plan.Make(in, pol)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(env.Stdout)
	currency := cmp.Or(settings.Currency, inventory.DefaultCurrency)
	switch {
	case *asCSV:
		err = report.WritePlanCSV(out, pl)
	default:
		var cmps []plan.Comparison
		if cmps, err = plan.Compare(in, pol); err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(out)
			enc.SetIndent("", "  ")
			err = enc.Encode(newPlanOutput(pl, cmps, currency))
		} else {
			err = writePlanText(out, pl, cmps, currency)
		}
	}
	if err != nil {
		return err
	}
	return out.Flush()
}

// writePlanText is the plan for a consultant at a terminal: the budget by
// year and owner, what is due in the first year, what has no cost, and the
// strategies in one line.
func writePlanText(w io.Writer, pl plan.Plan, cmps []plan.Comparison, currency string) error {
	if len(pl.Items) == 0 {
		_, err := fmt.Fprintln(w, "No active device to plan. Add devices with 'sitekeeper import FILE.csv', or scan the network.")
		return err
	}
	first, last := pl.Years[0].Year, pl.Years[len(pl.Years)-1].Year
	fmt.Fprintf(w, "Replacement plan %d–%d from %s, %s, %s.\n\n", first, last, pl.From.Time().Format("2 January 2006"),
		strategyText(pl.Strategy), plural(len(pl.Items), "active device", "active devices"))
	m := func(v inventory.Money) string { return report.Money(v, currency) }
	rows := [][]string{{"YEAR", "DEVICES", "COST", "OT", "IT", "NO OWNER", "WITHOUT COST"}}
	var total plan.Year
	total.ByOwner = map[string]inventory.Money{}
	for _, y := range pl.Years {
		rows = append(rows, []string{strconv.Itoa(y.Year), strconv.Itoa(y.Devices), m(y.Cost),
			m(y.ByOwner[plan.OwnerOT]), m(y.ByOwner[plan.OwnerIT]), m(y.ByOwner[plan.OwnerUnassigned]), strconv.Itoa(y.UnknownCost)})
		total.Devices += y.Devices
		total.Cost += y.Cost
		total.UnknownCost += y.UnknownCost
		for k, v := range y.ByOwner {
			total.ByOwner[k] += v
		}
	}
	rows = append(rows, []string{"Total", strconv.Itoa(total.Devices), m(total.Cost),
		m(total.ByOwner[plan.OwnerOT]), m(total.ByOwner[plan.OwnerIT]), m(total.ByOwner[plan.OwnerUnassigned]), strconv.Itoa(total.UnknownCost)})
	writeColumns(w, rows, map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true})
	if fails := pl.Years[0].ExpectedFailureCost; fails > 0 {
		fmt.Fprintf(w, "%d's cost includes %s for devices run to failure that are expected to fail that year.\n", first, m(fails))
	}

	var due []plan.Item
	for _, it := range pl.Items {
		if it.Scheduled() && it.ReplaceIn.Year == first {
			due = append(due, it)
		}
	}
	fmt.Fprintf(w, "\nDue in %d: %s\n", first, plural(len(due), "device", "devices"))
	if len(due) > 0 {
		rows = [][]string{{"WHEN", "DEVICE", "SITE", "COST", "WHY"}}
		for _, it := range due {
			cost := "no cost"
			if it.CostKnown {
				cost = m(it.Cost)
			}
			why := it.Reason
			if it.Estimated {
				why += " (estimated)"
			}
			rows = append(rows, []string{it.ReplaceIn.String(), truncate(it.Name, 40), truncate(it.Site, 20), cost, why})
		}
		writeColumns(w, rows, map[int]bool{3: true})
	}
	if n := len(pl.NoCost); n > 0 {
		fmt.Fprintf(w, "\n%s no replacement cost, so the totals leave %s out. Enter the costs in the window (or import a CSV with replacement_cost) to complete the budget.\n",
			plural(n, "device has", "devices have"), pick(n, "it", "them"))
	}
	if pl.Unscheduled > 0 {
		fmt.Fprintf(w, "%s not replaced within the plan (due later, or no date known).\n", plural(pl.Unscheduled, "device is", "devices are"))
	}
	if len(cmps) > 0 {
		parts := make([]string, len(cmps))
		for i, c := range cmps {
			parts[i] = fmt.Sprintf("%s %s (%s)", strings.ToLower(c.Strategy.Label()), m(c.Total), plural(c.Devices, "device", "devices"))
		}
		_, err := fmt.Fprintf(w, "\nEach strategy for every device over %d years (cost, devices replaced): %s.\n", len(pl.Years), strings.Join(parts, "; "))
		return err
	}
	return nil
}

// writeColumns prints rows as aligned columns; right aligns those columns.
func writeColumns(w io.Writer, rows [][]string, right map[int]bool) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			if right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
			if i < len(r)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func strategyText(s inventory.Strategy) string {
	if s == "" {
		return "each device by its own strategy"
	}
	return "every device " + strings.ToLower(s.Label())
}

// now is the clock of a command; tests fix it.
func (env *Env) now() time.Time {
	if env.Now != nil {
		return env.Now()
	}
	return time.Now()
}
