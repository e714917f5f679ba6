package plan

import (
	"fmt"
	"slices"
	"strings"

	"sitekeeper/internal/inventory"
)

// costBook prices devices without a cost of their own: the median cost of
// the other devices of the same make and model, else the policy's cost for
// the class. Both are estimates, and say so.
type costBook struct {
	byModel map[string]inventory.Money
	byClass map[inventory.Class]inventory.Money
}

func modelKey(d *inventory.Device) string {
	m, n := strings.ToLower(strings.TrimSpace(d.Manufacturer())), strings.ToLower(strings.TrimSpace(d.Model()))
	if m == "" || n == "" {
		return ""
	}
	return m + "\x00" + n
}

func newCostBook(devs []inventory.Device, byClass map[inventory.Class]inventory.Money) costBook {
	seen := map[string][]inventory.Money{}
	for i := range devs {
		d := &devs[i]
		if k := modelKey(d); k != "" && d.Known.ReplacementCost > 0 && !d.Known.ReplacementCostEstimated {
			seen[k] = append(seen[k], d.Known.ReplacementCost)
		}
	}
	b := costBook{byModel: make(map[string]inventory.Money, len(seen)), byClass: byClass}
	for k, v := range seen {
		slices.Sort(v)
		b.byModel[k] = v[len(v)/2]
	}
	return b
}

// cost is d's replacement cost today and whether one is known; estimates
// are added to it.
func (b costBook) cost(d *inventory.Device, it *Item) (inventory.Money, bool) {
	if c := d.Known.ReplacementCost; c > 0 {
		if d.Known.ReplacementCostEstimated {
			it.Estimates = append(it.Estimates, "cost entered as an estimate")
			it.Estimated = true
		}
		return c, true
	}
	if c, ok := b.byModel[modelKey(d)]; ok {
		it.Estimates = append(it.Estimates, fmt.Sprintf("cost taken from other %s devices", d.Model()))
		it.Estimated = true
		return c, true
	}
	if c := b.byClass[d.Class()]; c > 0 {
		it.Estimates = append(it.Estimates, "cost is the plan's default for "+strings.ToLower(d.Class().Label())+"s")
		it.Estimated = true
		return c, true
	}
	return 0, false
}
