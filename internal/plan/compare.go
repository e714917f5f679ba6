package plan

import (
	"cmp"
	"slices"
	"strings"

	"sitekeeper/internal/inventory"
)

// Comparison is one strategy applied to every device, summed up for a
// side-by-side view.
type Comparison struct {
	Strategy inventory.Strategy `json:"strategy"`
	// Years are the plan's years under this strategy.
	Years []Year `json:"years"`
	// Total is the known cost over the plan; Devices the replacements in
	// it; UnknownCost those without a cost.
	Total       inventory.Money `json:"total"`
	Devices     int             `json:"devices"`
	UnknownCost int             `json:"unknown_cost"`
	Deferred    int             `json:"deferred"`
	// UnsupportedDeviceYears is the device-years run on firmware without
	// fixes; ExpectedFailures the failures expected of devices in service.
	UnsupportedDeviceYears float64 `json:"unsupported_device_years"`
	ExpectedFailures       float64 `json:"expected_failures"`
}

// Compare makes the plan under each strategy in turn (p.Strategy is
// ignored) and sums each up.
func Compare(in Input, p Policy) ([]Comparison, error) {
	out := make([]Comparison, 0, len(inventory.Strategies))
	for _, s := range inventory.Strategies {
		p.Strategy = s
		pl, err := Make(in, p)
		if err != nil {
			return nil, err
		}
		c := Comparison{Strategy: s, Years: pl.Years}
		for _, y := range pl.Years {
			c.Total += y.Cost
			c.Devices += y.Devices
			c.UnknownCost += y.UnknownCost
			c.Deferred += y.Deferred
			c.UnsupportedDeviceYears += y.UnsupportedDeviceYears
			c.ExpectedFailures += y.ExpectedFailures
		}
		out = append(out, c)
	}
	return out, nil
}

// Reminder is a date coming up for one device.
type Reminder struct {
	DeviceID string         `json:"id"`
	Name     string         `json:"name"`
	Site     string         `json:"site,omitempty"`
	What     string         `json:"what"` // "Warranty ends", "Firmware support ends", "Expected life ends"
	On       inventory.Date `json:"on"`
	// Planned is true when the device's strategy replaces it on this date.
	Planned   bool `json:"planned"`
	Estimated bool `json:"estimated"`
}

// Upcoming lists the warranty ends, ends of firmware support and ends of
// expected life of active devices from in.Today to days later, soonest
// first, each saying whether the device's own strategy replaces it then.
func Upcoming(in Input, p Policy, days int) []Reminder {
	p, err := p.withDefaults(in.Today)
	if err != nil {
		p = Policy{Life: DefaultLife}
	}
	last := addDays(in.Today, days)
	sites := siteIndex(in.Sites)
	var out []Reminder
	for i := range in.Devices {
		d := &in.Devices[i]
		if d.State() != inventory.StateActive {
			continue
		}
		strategy, _ := inventory.EffectiveStrategy(d, sites[strings.ToLower(d.Known.Site)])
		for _, k := range []struct {
			s    inventory.Strategy
			what string
		}{
			{inventory.StrategyWarranty, "Warranty ends"},
			{inventory.StrategySupport, "Firmware support ends"},
			{inventory.StrategyAge, "Expected life ends"},
		} {
			dd := dueBy(k.s, d, in, p)
			if !dd.ok || dd.date.Before(in.Today) || last.Before(dd.date) {
				continue
			}
			planned := strategy == k.s
			if strategy == inventory.StrategyEarliest {
				e := earliest(d, in, p)
				planned = e.ok && e.date == dd.date
			}
			out = append(out, Reminder{DeviceID: d.ID, Name: d.NameAndAddress(), Site: d.Known.Site, What: k.what,
				On: dd.date, Planned: planned, Estimated: len(dd.estimates) > 0})
		}
	}
	slices.SortFunc(out, func(a, b Reminder) int {
		return cmp.Or(compareDates(a.On, b.On), cmp.Compare(a.Name, b.Name), cmp.Compare(a.What, b.What))
	})
	return out
}
