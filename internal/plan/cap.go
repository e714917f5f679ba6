package plan

import (
	"cmp"
	"math"
	"slices"

	"sitekeeper/internal/inventory"
)

// applyCap holds each budget year to the policy's caps: at most
// CapPercent of the fleet's devices, at most CapAmount per owner. Devices
// that do not fit move to the next year, the least risky first (a failed
// device first of all stays); past the plan's last year they are deferred
// out of it. items are sorted by quarter; fleet is the active devices.
func applyCap(items []Item, p Policy, h horizon, fleet int) {
	if p.CapPercent <= 0 && len(p.CapAmount) == 0 {
		return
	}
	maxDevices := math.MaxInt
	if p.CapPercent > 0 {
		maxDevices = max(1, int(math.Floor(float64(fleet)*p.CapPercent/100+1e-9)))
	}
	for y := range p.Years {
		var in []*Item
		for i := range items {
			if it := &items[i]; it.Scheduled() && h.year(it.ReplaceIn) == y {
				in = append(in, it)
			}
		}
		slices.SortStableFunc(in, func(a, b *Item) int {
			return cmp.Or(-cmp.Compare(boolInt(a.Failed), boolInt(b.Failed)), -cmp.Compare(a.Risk, b.Risk),
				cmp.Compare(a.ReplaceIn.index(), b.ReplaceIn.index()), compareDates(a.Due, b.Due), cmp.Compare(a.DeviceID, b.DeviceID))
		})
		spent := map[string]inventory.Money{}
		kept := 0
		for _, it := range in {
			cost := inflate(it.baseCost, p.PriceIncrease, y)
			if kept < maxDevices && fits(spent, p.CapAmount, it, cost) {
				kept++
				if it.CostKnown {
					addSplit(spent, it.Owner, cost)
				}
				continue
			}
			if !it.Deferred {
				it.Deferred, it.DeferredFrom = true, it.ReplaceIn
				it.Reason += "; deferred by the yearly cap"
			}
			if y+1 < p.Years {
				it.ReplaceIn = periodAt(h.first + 4*(y+1))
			} else {
				it.ReplaceIn = Period{}
				it.Reason += " to after this plan"
			}
		}
	}
	slices.SortStableFunc(items, func(a, b Item) int {
		return cmp.Or(cmp.Compare(sortIndex(a.ReplaceIn), sortIndex(b.ReplaceIn)), cmp.Compare(a.Site, b.Site), cmp.Compare(a.Name, b.Name), cmp.Compare(a.DeviceID, b.DeviceID))
	})
}

// fits reports whether it, at cost, stays within every owner's cap.
func fits(spent, caps map[string]inventory.Money, it *Item, cost inventory.Money) bool {
	if !it.CostKnown || len(caps) == 0 {
		return true
	}
	add := map[string]inventory.Money{}
	addSplit(add, it.Owner, cost)
	for owner, v := range add {
		if c, ok := caps[owner]; ok && spent[owner]+v > c {
			return false
		}
	}
	return true
}

// sortIndex orders unscheduled items last.
func sortIndex(p Period) int {
	if p.IsZero() {
		return math.MaxInt
	}
	return p.index()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// compareDates orders dates, the zero date first.
func compareDates(a, b inventory.Date) int {
	return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Month, b.Month), cmp.Compare(a.Day, b.Day))
}
