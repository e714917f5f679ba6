package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"sitekeeper/internal/firmware"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
)

// WriteIT writes IT's report: the inventory with identity, network and
// firmware; findings; the outage log; the per-device plan; the budget
// split between OT and IT; the strategies compared; and what was retired.
func WriteIT(w io.Writer, data Data, opt Options) error {
	d, err := newDoc("Devices, findings and replacement plan — IT report", opt)
	if err != nil {
		return err
	}
	d.AddPage()
	d.h1("IT report")
	active := activeDevices(data.In)
	c := countHealth(data.In)
	findings := Findings(data)
	d.para(fmt.Sprintf("%s in service: %d online, %d needing attention, %d offline, %d not checked yet. %s. Plan: %s from %s over %s.",
		plural(len(active), "device", "devices"), c.online, c.attention, c.offline, c.unchecked,
		plural(len(findings), "finding", "findings"), strategyWords(data.Plan.Strategy), dateWords(data.Plan.From), plural(len(data.Plan.Years), "year", "years")))
	d.note("Contents: 1 Inventory · 2 Findings · 3 Outage log · 4 Replacement plan · 5 Budget by owner, site and type · 6 Strategies compared · 7 Retired devices. Values marked * are estimates; section 4 says what each rests on.")

	d.h2("1  Inventory")
	rows := make([][]string, len(active))
	for i, dv := range active {
		fw := dv.Firmware()
		if a, ok := data.Firmware[dv.ID]; ok && fw != "" && (a.Status == firmware.StatusBehind || a.Status == firmware.StatusUnsupported) {
			fw += " (" + string(a.Status) + ")"
		}
		rows[i] = []string{dv.DisplayName(), dv.Known.Site, dv.Class().Label(), dv.Manufacturer(), dv.Model(), fw, ips(&dv), dv.MAC(), dv.Serial()}
	}
	d.table([]col{{"Device", 0.15, "L"}, {"Site", 0.08, "L"}, {"Type", 0.08, "L"}, {"Maker", 0.08, "L"}, {"Model", 0.12, "L"},
		{"Firmware", 0.12, "L"}, {"IP", 0.12, "L"}, {"MAC", 0.15, "L"}, {"Serial", 0.1, "L"}}, rows, nil)

	d.h2("2  Findings")
	if len(findings) == 0 {
		d.para("No findings: no unsupported or outdated firmware, clock drift, expiring certificate, plain-text management service or offline device was recorded.")
	} else {
		rows = make([][]string, len(findings))
		for i, f := range findings {
			rows[i] = []string{[]string{"", "Low", "Medium", "High"}[f.Severity], f.Device, f.Site, f.What, f.Detail}
		}
		d.table([]col{{"Severity", 0.08, "L"}, {"Device", 0.19, "L"}, {"Site", 0.1, "L"}, {"Finding", 0.13, "L"}, {"Detail", 0.5, "L"}}, rows, func(i int) *rgb {
			if findings[i].Severity == 3 {
				return &badCol
			}
			return nil
		})
		d.note("Telnet and FTP are reported where a scan heard the device announce them; SiteKeeper does not port-scan.")
	}

	d.h2("3  Outage log since " + data.OutagesFrom.In(opt.Generated.Location()).Format("2 January 2006"))
	names := map[string]*inventory.Device{}
	for i := range data.In.Devices {
		names[data.In.Devices[i].ID] = &data.In.Devices[i]
	}
	var outages [][]string
	for _, o := range data.In.Outages {
		if !o.End.IsZero() && o.End.Before(data.OutagesFrom) {
			continue
		}
		dv := names[o.DeviceID]
		if dv == nil {
			continue // removed from the inventory, or at another site
		}
		end, took := "still", opt.Generated.Sub(o.Start)
		if !o.End.IsZero() {
			end, took = o.End.In(opt.Generated.Location()).Format("2 Jan 15:04"), o.End.Sub(o.Start)
		}
		state := "Offline"
		if o.Health == inventory.HealthDegraded {
			state = "Needs attention"
		}
		outages = append(outages, []string{o.Start.In(opt.Generated.Location()).Format("2 Jan 2006 15:04"), end, durationWords(took), dv.NameAndAddress(), dv.Known.Site, state, upperFirst(o.Cause)})
	}
	if len(outages) == 0 {
		d.para("No outage was recorded in this period.")
	} else {
		d.table([]col{{"From", 0.13, "L"}, {"To", 0.1, "L"}, {"Lasted", 0.1, "L"}, {"Device", 0.18, "L"}, {"Site", 0.1, "L"}, {"State", 0.1, "L"}, {"Cause", 0.29, "L"}}, outages, nil)
	}

	d.h2("4  Replacement plan: " + strategyWords(data.Plan.Strategy))
	rows = make([][]string, len(data.Plan.Items))
	for i, it := range data.Plan.Items {
		when := it.ReplaceIn.String()
		if when == "" {
			when = "—"
		}
		reason := it.Reason
		if len(it.Estimates) > 0 {
			reason += " [* " + strings.Join(it.Estimates, "; ") + "]"
		}
		rows[i] = []string{it.Name, it.Site, string(it.Strategy), when, costCell(it, opt.Currency), ownerWords(it.Owner), reason}
	}
	d.table([]col{{"Device", 0.18, "L"}, {"Site", 0.1, "L"}, {"Strategy", 0.09, "L"}, {"When", 0.08, "L"}, {"Cost", 0.08, "R"}, {"Budget", 0.09, "L"}, {"Why", 0.38, "L"}}, rows, nil)
	if n := len(data.Plan.NoCost); n > 0 {
		d.note(fmt.Sprintf("%s no replacement cost and %s counted apart, not as zero: enter a cost per device, or a default per model.", plural(n, "device has", "devices have"), map[bool]string{true: "is", false: "are"}[n == 1]))
	}
	if used := warrantiesUsed(data); len(used) > 0 {
		d.note("Standard warranties used for estimates (the shortest term each maker publishes): " + strings.Join(used, "; ") + ".")
	}
	if len(data.Plan.Spares) > 0 {
		var parts []string
		for _, cl := range inventory.Classes {
			if k := data.Plan.Spares[cl]; k > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", k, strings.ToLower(cl.Label())))
			}
		}
		d.note("Spares worth keeping (enough for a quarter's expected failures, 95% of the time): " + strings.Join(parts, ", ") + ".")
	}

	d.h2("5  Budget by owner, site and type")
	rows = nil
	for _, y := range data.Plan.Years {
		rows = append(rows, []string{fmt.Sprint(y.Year), fmt.Sprint(y.Devices), money(y.ByOwner[plan.OwnerOT], opt.Currency), money(y.ByOwner[plan.OwnerIT], opt.Currency),
			money(y.ByOwner[plan.OwnerUnassigned], opt.Currency), money(y.Cost, opt.Currency), fmt.Sprint(y.UnknownCost), fmt.Sprint(y.Deferred)})
	}
	d.table([]col{{"Year", 0.08, "L"}, {"Devices", 0.09, "R"}, {"OT", 0.14, "R"}, {"IT", 0.14, "R"}, {"No owner set", 0.14, "R"}, {"Total", 0.15, "R"}, {"Without cost", 0.13, "R"}, {"Deferred", 0.13, "R"}}, rows, nil)
	d.yearTable("Site", data.Plan.Years, func(y plan.Year) map[string]inventory.Money { return y.BySite }, opt.Currency)
	d.yearTable("Type", data.Plan.Years, func(y plan.Year) map[string]inventory.Money { return y.ByClass }, opt.Currency)

	d.h2("6  Strategies compared")
	d.para(fmt.Sprintf("Each strategy applied to every device in service, over %s from %s.", plural(len(data.Plan.Years), "year", "years"), dateWords(data.Plan.From)))
	rows = nil
	for _, cmp := range data.Compare {
		rows = append(rows, []string{cmp.Strategy.Label(), fmt.Sprint(cmp.Devices), money(cmp.Total, opt.Currency), fmt.Sprint(cmp.UnknownCost),
			fmt.Sprintf("%.1f", cmp.ExpectedFailures), fmt.Sprintf("%.1f", cmp.UnsupportedDeviceYears)})
	}
	d.table([]col{{"Strategy", 0.25, "L"}, {"Replaced", 0.11, "R"}, {"Total cost", 0.16, "R"}, {"Without cost", 0.13, "R"}, {"Expected failures", 0.16, "R"}, {"Years unsupported", 0.19, "R"}}, rows, nil)
	if len(data.Compare) > 0 {
		head := []col{{"Strategy", 0.25, "L"}}
		share := 0.75 / float64(len(data.Compare[0].Years))
		for _, y := range data.Compare[0].Years {
			head = append(head, col{fmt.Sprint(y.Year), share, "R"})
		}
		rows = nil
		for _, cmp := range data.Compare {
			r := []string{cmp.Strategy.Label()}
			for _, y := range cmp.Years {
				r = append(r, money(y.Cost, opt.Currency))
			}
			rows = append(rows, r)
		}
		d.table(head, rows, nil)
		d.note("Run to failure replaces devices as they fail: its cost is the expected cost of the failures, from the fleet's own failure history with typical rates per type as the starting point.")
	}

	d.h2("7  Retired devices")
	gone := retired(data.In)
	if len(gone) == 0 {
		d.para("No device has been marked replaced or decommissioned.")
	} else {
		rows = make([][]string, len(gone))
		for i, dv := range gone {
			succ := ""
			if s := names[dv.Lifecycle.Successor]; s != nil {
				succ = s.NameAndAddress()
			}
			planned := "—"
			if on, _, ok := plan.Planned(&dv, data.In, plan.Policy{Strategy: data.Plan.Strategy}); ok {
				planned = on.String()
			}
			rows[i] = []string{dv.NameAndAddress(), dv.Known.Site, dv.State().Label(), dv.Lifecycle.Date.String(), planned, dv.Lifecycle.Reason, succ, money(dv.Known.ReplacementCost, opt.Currency)}
		}
		d.table([]col{{"Device", 0.17, "L"}, {"Site", 0.1, "L"}, {"State", 0.1, "L"}, {"On", 0.1, "L"}, {"Plan said", 0.1, "L"}, {"Reason", 0.2, "L"}, {"Replaced by", 0.15, "L"}, {"Cost", 0.08, "R"}}, rows, nil)
		d.note("Plan said: when the plan would have replaced it, under its own strategy, for comparing what happened with what was planned.")
	}
	return finish(w, d)
}

// ips is the device's addresses, the first with the count of the others.
func ips(d *inventory.Device) string {
	s := d.IP()
	if n := len(d.Discovered.IPs); n > 1 {
		s += fmt.Sprintf(" (+%d)", n-1)
	}
	return s
}

// ownerWords is "OT", "IT", "OT 60 / IT 40" or "not set".
func ownerWords(b inventory.BudgetSplit) string {
	switch {
	case b.IsZero():
		return "not set"
	case b.OT == 100:
		return "OT"
	case b.IT == 100:
		return "IT"
	}
	return fmt.Sprintf("OT %d / IT %d", b.OT, b.IT)
}

// durationWords is "35 min", "5 h 10 min", "3 days".
func durationWords(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d days %d h", int(d.Hours())/24, int(d.Hours())%24)
}

// warrantiesUsed names the makers' standard warranties the plan's
// estimates rest on, with their sources.
func warrantiesUsed(data Data) []string {
	seen := map[string]bool{}
	var out []string
	for _, dv := range activeDevices(data.In) {
		if !dv.Known.WarrantyEnd.IsZero() {
			continue
		}
		if w, ok := plan.StandardWarranty(dv.Manufacturer()); ok && !seen[w.Maker] {
			seen[w.Maker] = true
			out = append(out, fmt.Sprintf("%s %s, %s", w.Maker, plural(w.Years, "year", "years"), w.Source))
		}
	}
	return out
}

// yearTable is the plan's cost per year split by what of picks (site,
// type), one row each, in name order.
func (d *doc) yearTable(what string, years []plan.Year, of func(plan.Year) map[string]inventory.Money, currency string) {
	var names []string
	for _, y := range years {
		for k := range of(y) {
			if !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
	}
	if len(names) == 0 {
		return
	}
	slices.Sort(names)
	cols := []col{{what, 0.25, "L"}}
	share := 0.75 / float64(len(years))
	for _, y := range years {
		cols = append(cols, col{fmt.Sprint(y.Year), share, "R"})
	}
	rows := make([][]string, len(names))
	for i, n := range names {
		rows[i] = []string{n}
		for _, y := range years {
			rows[i] = append(rows[i], money(of(y)[n], currency))
		}
	}
	d.table(cols, rows, nil)
}
