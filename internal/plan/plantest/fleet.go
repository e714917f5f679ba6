// Package plantest generates inventories for the plan's and the reports'
// benchmarks: the same fleet for both, so their figures compare.
package plantest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
)

// Fleet is a generated inventory of n devices with a realistic mix:
// mostly cameras, then door controllers, recorders and the rest, at 20
// sites, installed over eleven years, most with a warranty end and a cost,
// some with a strategy of their own, a few replaced, some offline, and a
// year of outages. The seed is fixed, so every run plans the same fleet.
func Fleet(n int) plan.Input {
	r := rand.New(rand.NewPCG(5, 10000))
	classes := []struct {
		c      inventory.Class
		weight int
		cost   int64
	}{
		{inventory.ClassCamera, 60, 900}, {inventory.ClassAccessControl, 12, 850}, {inventory.ClassRecorder, 8, 3200},
		{inventory.ClassIntercom, 5, 1400}, {inventory.ClassIO, 5, 400}, {inventory.ClassPrinter, 5, 700}, {inventory.ClassNetwork, 5, 1100},
	}
	pick := func() (inventory.Class, int64) {
		w := r.IntN(100)
		for _, c := range classes {
			if w < c.weight {
				return c.c, c.cost
			}
			w -= c.weight
		}
		return inventory.ClassOther, 500
	}
	owners := []inventory.BudgetSplit{{OT: 100}, {OT: 100}, {IT: 100}, {OT: 60, IT: 40}, {}}
	strategies := []inventory.Strategy{inventory.StrategyAge, inventory.StrategySupport, inventory.StrategyFailure, inventory.StrategyEarliest}
	today := inventory.Date{Year: 2026, Month: time.November, Day: 26}
	in := plan.Input{Today: today, EndOfSupport: map[string]inventory.Date{}, Statuses: map[string]inventory.DeviceStatus{}}
	for s := range 20 {
		site := inventory.Site{Name: fmt.Sprintf("Site %02d", s)}
		if s%4 == 1 {
			site.Strategy = inventory.StrategyAge
		}
		in.Sites = append(in.Sites, site)
	}
	for i := range n {
		c, cost := pick()
		install := inventory.Date{Year: 2015 + r.IntN(12), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}
		k := inventory.Known{Name: fmt.Sprintf("%s %05d", c.Label(), i), Site: in.Sites[r.IntN(len(in.Sites))].Name, Class: c,
			InstallDate: inventory.DateValue{Date: install}, BudgetOwner: owners[r.IntN(len(owners))]}
		if r.IntN(10) < 8 {
			k.WarrantyEnd = inventory.DateValue{Date: install.AddYears(3 + r.IntN(3))}
		}
		if r.IntN(100) < 85 {
			k.ReplacementCost = inventory.Money((cost + int64(r.IntN(400)) - 200) * 100)
		}
		if r.IntN(10) == 0 {
			k.Strategy = strategies[r.IntN(len(strategies))]
		}
		d := inventory.Device{ID: fmt.Sprintf("d%05d", i), Known: k, Discovered: inventory.Discovered{
			IPs: []string{fmt.Sprintf("10.%d.%d.%d", i>>16, (i>>8)&255, i&255)}, Manufacturer: []string{"Axis", "Hanwha Vision", "Bosch", "Hikvision", "Dahua"}[r.IntN(5)],
			Model: fmt.Sprintf("M%02d", r.IntN(40)), Firmware: fmt.Sprintf("%d.%d.%d", 1+r.IntN(10), r.IntN(20), r.IntN(100))}}
		if r.IntN(50) == 0 {
			d.Lifecycle = inventory.Lifecycle{State: inventory.StateReplaced, Date: today}
		}
		if r.IntN(10) < 3 {
			in.EndOfSupport[d.ID] = install.AddYears(5 + r.IntN(5))
		}
		switch h := r.IntN(100); {
		case h < 5:
			in.Statuses[d.ID] = inventory.DeviceStatus{Health: inventory.HealthOffline}
		case h < 10:
			in.Statuses[d.ID] = inventory.DeviceStatus{Health: inventory.HealthDegraded}
		default:
			in.Statuses[d.ID] = inventory.DeviceStatus{Health: inventory.HealthOnline}
		}
		if r.IntN(50) == 0 {
			start := today.Time().AddDate(0, 0, -r.IntN(365))
			in.Outages = append(in.Outages, inventory.Outage{DeviceID: d.ID, Start: start, End: start.Add(time.Duration(1+r.IntN(600)) * time.Minute), Health: inventory.HealthOffline})
		}
		in.Devices = append(in.Devices, d)
	}
	return in
}
