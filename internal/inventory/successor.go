package inventory

import (
	"cmp"
	"slices"
	"strings"
)

// Succession is a device a scan found for the first time that looks like
// the one that took the place of a device a person marked replaced.
type Succession struct {
	Old, New Device
	// Why says in words what makes the pair likely.
	Why string
}

// Successions pairs the devices marked replaced that name no successor
// yet with devices just added (added, by ID): by the address the old one
// had, else by type and maker, else by type when there is one of each. A
// device is in at most one pair; the strongest matches are made first.
func Successions(all []Device, added []string) []Succession {
	isNew := map[string]bool{}
	for _, id := range added {
		isNew[id] = true
	}
	var olds, news []Device
	for _, d := range all {
		switch {
		case isNew[d.ID] && d.State() == StateActive:
			news = append(news, d)
		case d.State() == StateReplaced && d.Lifecycle.Successor == "":
			olds = append(olds, d)
		}
	}
	byID := func(a, b Device) int { return cmp.Compare(a.ID, b.ID) }
	slices.SortFunc(olds, byID)
	slices.SortFunc(news, byID)
	var out []Succession
	taken := map[string]bool{}
	pair := func(rule func(o, n *Device) (string, bool)) {
		for i := range olds {
			o := &olds[i]
			if taken[o.ID] {
				continue
			}
			var match *Device
			var why string
			count := 0
			for j := range news {
				n := &news[j]
				if taken[n.ID] {
					continue
				}
				if w, ok := rule(o, n); ok {
					count++
					if match == nil {
						match, why = n, w
					}
				}
			}
			if count == 1 { // an ambiguous match is no match
				taken[o.ID], taken[match.ID] = true, true
				out = append(out, Succession{Old: *o, New: *match, Why: why})
			}
		}
	}
	pair(func(o, n *Device) (string, bool) {
		return "it has the old one's address", o.IP() != "" && slices.Contains(n.Discovered.IPs, o.IP())
	})
	pair(func(o, n *Device) (string, bool) {
		return "same type and maker", o.Class() != "" && o.Class() == n.Class() && o.Manufacturer() != "" && strings.EqualFold(o.Manufacturer(), n.Manufacturer())
	})
	pair(func(o, n *Device) (string, bool) {
		return "the only new " + strings.ToLower(o.Class().Label()) + " found", o.Class() != "" && o.Class() == n.Class()
	})
	return out
}

// Succeed records that n took o's place: o names n as its successor, and
// n takes o's site, location, owners, budget owner and strategy where a
// person has not set n's own.
func Succeed(o, n *Device) {
	o.Lifecycle.Successor = n.ID
	k, ok := &n.Known, o.Known
	k.Site = cmp.Or(k.Site, ok.Site)
	k.Location = cmp.Or(k.Location, ok.Location)
	if k.OTOwner.IsZero() {
		k.OTOwner = ok.OTOwner
	}
	if k.ITOwner.IsZero() {
		k.ITOwner = ok.ITOwner
	}
	if k.BudgetOwner.IsZero() {
		k.BudgetOwner = ok.BudgetOwner
	}
	k.Strategy = cmp.Or(k.Strategy, ok.Strategy)
}
