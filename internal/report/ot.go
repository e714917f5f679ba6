package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
)

// WriteOT writes the facility manager's report: a one-page summary (status
// at a glance, what is offline, what to replace this year and what it
// costs, what falls due soon, spend per year), then each site's devices.
func WriteOT(w io.Writer, data Data, opt Options) error {
	d, err := newDoc("Devices and replacement plan — summary", opt)
	if err != nil {
		return err
	}
	d.AddPage()
	d.h1("Your site's devices at a glance")
	c := countHealth(data.In)
	d.cards(c)

	offline := offlineNow(data.In)
	d.h2("Offline now")
	switch {
	case len(offline) == 0 && c.online+c.attention == 0:
		d.para("No device has been checked yet: SiteKeeper checks every device with an address while it runs, and this part fills in then.")
	case len(offline) == 0:
		d.para("Every checked device is answering.")
	default:
		lines := make([]string, 0, 6)
		for i, dv := range offline {
			if i == 5 {
				lines = append(lines, fmt.Sprintf("… and %d more, listed on the following pages.", len(offline)-5))
				break
			}
			st := data.In.Statuses[dv.ID]
			line := fmt.Sprintf("%s — not answering since %s.", where(&dv), st.Since.In(opt.Generated.Location()).Format("2 January 15:04"))
			if cl := dv.Class(); cl == inventory.ClassCamera || cl == inventory.ClassRecorder {
				line += " Recordings may be missing since then."
			}
			lines = append(lines, line)
		}
		d.bullets(lines)
	}

	first := data.Plan.Years[0]
	d.h2(fmt.Sprintf("To replace in %d", first.Year))
	d.para(thisYear(first, data.Plan, opt.Currency))
	var due []plan.Item
	for _, it := range data.Plan.Items {
		if it.Scheduled() && it.ReplaceIn.Start().Before(data.Plan.From.AddYears(1)) {
			due = append(due, it)
		}
	}
	if len(due) > 0 {
		lines := make([]string, 0, 6)
		for i, it := range due {
			if i == 5 {
				lines = append(lines, fmt.Sprintf("… and %d more, listed on the following pages.", len(due)-5))
				break
			}
			lines = append(lines, fmt.Sprintf("%s — %s: %s. %s.", it.Name, quarterWords(it.ReplaceIn), costWords(it, opt.Currency), it.Reason))
		}
		d.bullets(lines)
	}

	d.h2("Coming up in the next 90 days")
	if len(data.Upcoming) == 0 {
		d.para("No warranty, firmware support or expected life ends in the next 90 days.")
	} else {
		lines := make([]string, 0, 5)
		for i, r := range data.Upcoming {
			if i == 4 {
				lines = append(lines, fmt.Sprintf("… and %d more.", len(data.Upcoming)-4))
				break
			}
			s := fmt.Sprintf("%s: %s on %s", r.Name, strings.ToLower(r.What), dateWords(r.On))
			if r.Estimated {
				s += " (estimated)"
			}
			lines = append(lines, s+".")
		}
		d.bullets(lines)
	}

	d.h2("Spend per year")
	d.barChart(data.Plan.Years, opt.Currency)
	d.note(fmt.Sprintf("Plan: %s, from %s. Amounts marked * rest on estimates (an install date taken from when SiteKeeper first saw a device, a warranty taken from the maker's standard term, a cost taken from similar devices); the IT report lists each one.", strategyWords(data.Plan.Strategy), dateWords(data.Plan.From)))

	d.AddPage()
	d.h1("Devices by site")
	d.para("Every device in service, by site, with its state and when it is due for replacement under the plan.")
	bySite := map[string][]inventory.Device{}
	var sites []string
	for _, dv := range activeDevices(data.In) {
		s := siteOf(&dv)
		if _, ok := bySite[s]; !ok {
			sites = append(sites, s)
		}
		bySite[s] = append(bySite[s], dv)
	}
	items := map[string]plan.Item{}
	for _, it := range data.Plan.Items {
		items[it.DeviceID] = it
	}
	cols := []col{{"Device", 0.2, "L"}, {"Where", 0.14, "L"}, {"Type", 0.1, "L"}, {"Now", 0.1, "L"}, {"When", 0.09, "L"}, {"Cost", 0.09, "R"}, {"Why", 0.28, "L"}}
	for _, s := range sites {
		devs := bySite[s]
		d.h2(fmt.Sprintf("%s — %s", s, plural(len(devs), "device", "devices")))
		rows := make([][]string, len(devs))
		for i, dv := range devs {
			it := items[dv.ID]
			when := it.ReplaceIn.String()
			if when == "" {
				when = "—"
			}
			rows[i] = []string{dv.DisplayName(), dv.Known.Location, dv.Class().Label(), healthWord(data.In, &dv), when, costCell(it, opt.Currency), shortReason(it)}
		}
		d.table(cols, rows, func(i int) *rgb {
			if data.In.Statuses[devs[i].ID].Health == inventory.HealthOffline {
				return &badCol
			}
			return nil
		})
	}
	return finish(w, d)
}

// cards draws the four counts in colour.
func (d *doc) cards(c counts) {
	l, _, _, _ := d.GetMargins()
	y := d.GetY()
	gap := 3.0
	w := (d.width() - 3*gap) / 4
	for i, k := range []struct {
		n     int
		label string
		c     rgb
	}{{c.online, "online", okColour}, {c.attention, "need attention", warnCol}, {c.offline, "offline", badCol}, {c.unchecked, "not checked yet", greyCol}} {
		x := l + float64(i)*(w+gap)
		d.fill(rgb{k.c.r + (255-k.c.r)*85/100, k.c.g + (255-k.c.g)*85/100, k.c.b + (255-k.c.b)*85/100})
		d.Rect(x, y, w, 20, "F")
		d.SetXY(x, y+2)
		d.font("B", 20)
		d.colour(k.c)
		d.CellFormat(w, 10, fmt.Sprint(k.n), "", 0, "C", false, 0, "")
		d.SetXY(x, y+12.5)
		d.font("", 9)
		d.colour(ink)
		d.CellFormat(w, 5, k.label, "", 0, "C", false, 0, "")
	}
	d.SetXY(l, y+23)
	d.font("", bodySize)
}

// barChart draws the plan's cost per year, stacked by budget owner, with
// the total above each bar.
func (d *doc) barChart(years []plan.Year, currency string) {
	const h, labelH = 48.0, 9.0
	d.room(h + labelH + 12)
	l, _, _, _ := d.GetMargins()
	top := d.GetY() + 5
	maxCost := inventory.Money(0)
	for _, y := range years {
		maxCost = max(maxCost, y.Cost)
	}
	slot := d.width() / float64(len(years))
	bw := math.Min(slot*0.6, 22)
	owners := []struct {
		key string
		c   rgb
	}{{plan.OwnerOT, otColour}, {plan.OwnerIT, itColour}, {plan.OwnerUnassigned, unColour}}
	d.draw(rule)
	d.SetLineWidth(0.2)
	d.Line(l, top+h, l+d.width(), top+h)
	for i, y := range years {
		x := l + float64(i)*slot + (slot-bw)/2
		base := top + h
		if maxCost > 0 {
			for _, o := range owners {
				v := y.ByOwner[o.key]
				if v <= 0 {
					continue
				}
				bh := h * float64(v) / float64(maxCost)
				d.fill(o.c)
				d.Rect(x, base-bh, bw, bh, "F")
				base -= bh
			}
			if rest := y.Cost - y.ByOwner[plan.OwnerOT] - y.ByOwner[plan.OwnerIT] - y.ByOwner[plan.OwnerUnassigned]; rest > 0 {
				bh := h * float64(rest) / float64(maxCost) // expected failures (run to failure)
				d.fill(band)
				d.Rect(x, base-bh, bw, bh, "F")
				base -= bh
			}
		}
		d.font("B", 7.5)
		d.colour(ink)
		d.SetXY(l+float64(i)*slot, base-4.5)
		d.CellFormat(slot, 4, money(y.Cost, currency), "", 0, "C", false, 0, "")
		d.font("", 8)
		d.SetXY(l+float64(i)*slot, top+h+1)
		d.CellFormat(slot, 4, fmt.Sprint(y.Year), "", 0, "C", false, 0, "")
		d.colour(muted)
		d.SetXY(l+float64(i)*slot, top+h+4.5)
		sub := plural(y.Devices, "device", "devices")
		if y.UnknownCost > 0 {
			sub += fmt.Sprintf(", %d without cost", y.UnknownCost)
		}
		d.font("", 6.5)
		d.CellFormat(slot, 3.5, fit(d, sub, slot-1), "", 0, "C", false, 0, "")
	}
	// Legend.
	d.SetXY(l, top+h+labelH+1)
	for _, o := range owners {
		d.fill(o.c)
		d.Rect(d.GetX(), d.GetY()+1, 3, 3, "F")
		d.SetX(d.GetX() + 4)
		d.font("", 7.5)
		d.colour(ink)
		label := map[string]string{plan.OwnerOT: "OT budget", plan.OwnerIT: "IT budget", plan.OwnerUnassigned: "no budget owner set"}[o.key]
		d.CellFormat(d.GetStringWidth(label)+6, 5, label, "", 0, "L", false, 0, "")
	}
	d.Ln(7)
	d.font("", bodySize)
}

// offlineNow are the active devices offline now, longest first.
func offlineNow(in plan.Input) []inventory.Device {
	var out []inventory.Device
	for _, dv := range activeDevices(in) {
		if in.Statuses[dv.ID].Health == inventory.HealthOffline {
			out = append(out, dv)
		}
	}
	sortBySince(out, in)
	return out
}

func sortBySince(ds []inventory.Device, in plan.Input) {
	for i := 1; i < len(ds); i++ { // insertion sort: stable, and lists are short
		for j := i; j > 0 && in.Statuses[ds[j].ID].Since.Before(in.Statuses[ds[j-1].ID].Since); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// where is "Gate camera (192.168.1.20), Head office, car park".
func where(dv *inventory.Device) string {
	s := dv.NameAndAddress()
	if dv.Known.Site != "" {
		s += ", " + dv.Known.Site
	}
	if dv.Known.Location != "" {
		s += ", " + dv.Known.Location
	}
	return s
}

// thisYear sums up the plan's first year in a sentence or two.
func thisYear(y plan.Year, pl plan.Plan, currency string) string {
	if y.Devices == 0 && y.ExpectedFailures < 0.5 {
		return fmt.Sprintf("Nothing is due for replacement in %d under %s.", y.Year, strategyWords(pl.Strategy))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Under %s, %s due in %d", strategyWords(pl.Strategy), plural(y.Devices, "device is", "devices are"), y.Year)
	if y.Cost > 0 {
		fmt.Fprintf(&b, ", costing about %s", money(y.Cost, currency))
		var parts []string
		for _, o := range []struct{ key, words string }{{plan.OwnerOT, "OT"}, {plan.OwnerIT, "IT"}, {plan.OwnerUnassigned, "no owner set"}} {
			if v := y.ByOwner[o.key]; v > 0 {
				parts = append(parts, o.words+" "+money(v, currency))
			}
		}
		if len(parts) > 0 {
			b.WriteString(" (" + strings.Join(parts, ", ") + ")")
		}
	}
	b.WriteString(".")
	if y.ExpectedFailureCost > 0 {
		fmt.Fprintf(&b, " About %.0f devices are expected to fail and be replaced (%s of the total).", y.ExpectedFailures, money(y.ExpectedFailureCost, currency))
	}
	if y.UnknownCost > 0 {
		fmt.Fprintf(&b, " %s no cost yet and %s not counted: enter their replacement cost so the budget is complete.",
			plural(y.UnknownCost, "device has", "devices have"), map[bool]string{true: "is", false: "are"}[y.UnknownCost == 1])
	}
	if y.Deferred > 0 {
		fmt.Fprintf(&b, " The yearly cap moved %s to later years.", plural(y.Deferred, "device", "devices"))
	}
	return b.String()
}

// quarterWords is "April–June 2027" for 2027-Q2.
func quarterWords(p plan.Period) string {
	return [...]string{"January–March", "April–June", "July–September", "October–December"}[p.Quarter-1] + fmt.Sprintf(" %d", p.Year)
}

// costWords is "€1,190" or "€1,190 (estimated)" or "cost not known".
func costWords(it plan.Item, currency string) string {
	if !it.CostKnown {
		return "cost not known"
	}
	s := money(it.Cost, currency)
	if it.Estimated {
		s += " (estimated)"
	}
	return s
}

// costCell is a cost for a table: "€1,190", "€1,190*" when estimated, "?"
// when not known.
func costCell(it plan.Item, currency string) string {
	switch {
	case it.DeviceID == "":
		return ""
	case !it.CostKnown:
		return "not known"
	case it.Estimated:
		return money(it.Cost, currency) + "*"
	}
	return money(it.Cost, currency)
}

// shortReason is the item's reason up to its first clause.
func shortReason(it plan.Item) string {
	r, _, _ := strings.Cut(it.Reason, ";")
	if it.Deferred {
		r += " (deferred by the cap)"
	}
	return r
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
