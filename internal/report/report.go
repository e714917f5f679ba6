// Package report writes SiteKeeper's reports: a plain PDF for the facility
// manager (OT), a detailed one for IT, and CSV and XLSX exports of the plan
// and the inventory. The output is a function of its input alone: the same
// Data and Options give the same bytes (the generation time is an option,
// not the clock), which the golden tests hold it to.
package report

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"sitekeeper/internal/firmware"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
)

// Audiences of a PDF report.
const (
	AudienceOT = "ot"
	AudienceIT = "it"
)

// Options shape a report.
type Options struct {
	// PageSize is "A4" (the default) or "Letter".
	PageSize string
	// Organisation and Site head every page; Site "" means every site.
	Organisation string
	Site         string
	// Consultant and Logo (PNG or JPEG) brand the report for a consultant
	// who made it; both optional.
	Consultant string
	Logo       []byte
	// Generated is when the report is made, printed in the footer.
	Generated time.Time
	// Currency is the inventory's (EUR when empty).
	Currency string
}

// Data is what a report shows.
type Data struct {
	// In is the inventory the plan was made from (devices, sites,
	// statuses, outages); Plan the plan under the chosen strategy.
	In   plan.Input
	Plan plan.Plan
	// Compare is every strategy side by side (IT report).
	Compare []plan.Comparison
	// Firmware is each active device's firmware status, by ID.
	Firmware map[string]firmware.Assessment
	// Upcoming are the dates falling due soon.
	Upcoming []plan.Reminder
	// OutagesFrom is the start of the outage log (IT report).
	OutagesFrom time.Time
}

// Gather reads Data for a report of site ("" for all) from the store as
// of now, with the plan made under policy.
func Gather(ctx context.Context, st plan.Store, cat *firmware.Catalog, policy plan.Policy, site string, now time.Time) (Data, error) {
	in, err := plan.Gather(ctx, st, cat, now)
	if err != nil {
		return Data{}, err
	}
	if site != "" {
		in.Devices = slices.DeleteFunc(in.Devices, func(d inventory.Device) bool { return !strings.EqualFold(d.Known.Site, site) })
		if len(in.Devices) == 0 {
			return Data{}, fmt.Errorf("no device is at a site called %q; check the name (sites are listed in the Devices view)", site)
		}
	}
	data := Data{In: in, Firmware: map[string]firmware.Assessment{}, OutagesFrom: now.AddDate(0, 0, -90)}
	if data.Plan, err = plan.Make(in, policy); err != nil {
		return Data{}, err
	}
	if data.Compare, err = plan.Compare(in, policy); err != nil {
		return Data{}, err
	}
	fleet := firmware.NewBaseline(in.Devices)
	for _, d := range in.Devices {
		if d.State() == inventory.StateActive {
			data.Firmware[d.ID] = firmware.Assess(d, cat, fleet, in.Today)
		}
	}
	data.Upcoming = plan.Upcoming(in, policy, 90)
	return data, nil
}

// Write writes the PDF for audience (AudienceOT or AudienceIT).
func Write(w io.Writer, audience string, data Data, opt Options) error {
	switch strings.ToLower(audience) {
	case AudienceOT:
		return WriteOT(w, data, opt)
	case AudienceIT:
		return WriteIT(w, data, opt)
	}
	return fmt.Errorf("%q is not an audience: use ot (the facility manager's report) or it (IT's)", audience)
}

// finish writes the document, or the first error it met.
func finish(w io.Writer, d *doc) error {
	if d.Err() {
		return fmt.Errorf("the report could not be made: %w", d.Error())
	}
	return d.Output(w)
}

// money is an amount for people: "€12,345" (whole units; cents add
// nothing to a budget), in the inventory's currency.
func money(m inventory.Money, currency string) string {
	units := int64(math.Round(float64(m) / 100))
	neg := units < 0
	if neg {
		units = -units
	}
	s := strconv.FormatInt(units, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	n := b.String()
	if neg {
		n = "-" + n
	}
	switch strings.ToUpper(cmp.Or(currency, inventory.DefaultCurrency)) {
	case "EUR":
		return "€" + n
	case "USD":
		return "$" + n
	case "GBP":
		return "£" + n
	case "JPY":
		return "¥" + n
	case "CHF":
		return "CHF " + n
	}
	return n + " " + strings.ToUpper(currency)
}

// activeDevices are the devices in service, by name.
func activeDevices(in plan.Input) []inventory.Device {
	out := make([]inventory.Device, 0, len(in.Devices))
	for _, d := range in.Devices {
		if d.State() == inventory.StateActive {
			out = append(out, d)
		}
	}
	sortDevices(out)
	return out
}

// sortDevices sorts by site, then name (in any case), then ID. It sorts
// keys made once per device rather than the devices themselves: moving
// whole Devices and lowering names on every comparison took a quarter of
// a 10,000-device report's time.
func sortDevices(ds []inventory.Device) {
	type key struct {
		site, name, id string
		i              int
	}
	keys := make([]key, len(ds))
	for i := range ds {
		keys[i] = key{strings.ToLower(ds[i].Known.Site), strings.ToLower(ds[i].DisplayName()), ds[i].ID, i}
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.site, b.site), cmp.Compare(a.name, b.name), cmp.Compare(a.id, b.id))
	})
	sorted := make([]inventory.Device, len(ds))
	for j, k := range keys {
		sorted[j] = ds[k.i]
	}
	copy(ds, sorted)
}

// healthWord is a device's health in a word for the lists.
func healthWord(in plan.Input, d *inventory.Device) string {
	switch in.Statuses[d.ID].Health {
	case inventory.HealthOnline:
		return "Online"
	case inventory.HealthDegraded:
		return "Needs attention"
	case inventory.HealthOffline:
		return "Offline"
	}
	return "Not checked"
}

// counts are the active devices by health.
type counts struct{ online, attention, offline, unchecked int }

func countHealth(in plan.Input) counts {
	var c counts
	for i := range in.Devices { // counts need no order
		d := &in.Devices[i]
		if d.State() != inventory.StateActive {
			continue
		}
		switch in.Statuses[d.ID].Health {
		case inventory.HealthOnline:
			c.online++
		case inventory.HealthDegraded:
			c.attention++
		case inventory.HealthOffline:
			c.offline++
		default:
			c.unchecked++
		}
	}
	return c
}

// siteOf is the device's site, or "No site".
func siteOf(d *inventory.Device) string { return cmp.Or(d.Known.Site, "No site") }

// plural is "1 device" or "3 devices".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// strategyWords names a strategy for people; "" is each device's own.
func strategyWords(s inventory.Strategy) string {
	if s == "" {
		return "each device's own strategy"
	}
	return strings.ToLower(s.Label())
}

// dateWords is "26 November 2026".
func dateWords(d inventory.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2 January 2006")
}
