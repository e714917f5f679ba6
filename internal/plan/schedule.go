package plan

import (
	"fmt"
	"strings"

	"sitekeeper/internal/inventory"
)

// due is when one strategy makes a device due, in words, with the
// estimates it rests on; ok is false when no date is known.
type due struct {
	date      inventory.Date
	reason    string
	estimates []string
	ok        bool
}

// schedule sets it's due date, reason, estimates and quarter.
func schedule(it *Item, d *inventory.Device, in Input, p Policy, h horizon) {
	var dd due
	switch it.Strategy {
	case inventory.StrategyFailure:
		if st, ok := in.Statuses[d.ID]; ok && st.Health == inventory.HealthOffline {
			it.Failed = true
			dd = due{date: in.Today, ok: true,
				reason: fmt.Sprintf("Offline since %s: under run to failure it is replaced now", inventory.DateOf(st.Since))}
		} else {
			dd.reason = "Run to failure: replaced when it fails, not on a date"
		}
	case inventory.StrategyEarliest:
		dd = earliest(d, in, p)
	default:
		dd = dueBy(it.Strategy, d, in, p)
	}
	it.Due, it.Reason = dd.date, dd.reason
	it.Estimates = append(it.Estimates, dd.estimates...)
	it.Estimated = len(it.Estimates) > 0
	if !dd.ok {
		return
	}
	q, inPlan := h.clamp(dd.date)
	switch {
	case !inPlan:
		it.Reason += "; that is after this plan"
	case dd.date.Before(in.Today) && !it.Failed:
		it.ReplaceIn = q
		it.Reason += "; already due, so it is planned in the first quarter"
	case dd.date.Before(p.From) && !it.Failed:
		it.ReplaceIn = q
		it.Reason += "; that is before the plan starts, so it is planned in its first quarter"
	default:
		it.ReplaceIn = q
	}
}

// dueBy is the due date under one dated strategy.
func dueBy(s inventory.Strategy, d *inventory.Device, in Input, p Policy) due {
	switch s {
	case inventory.StrategyWarranty:
		return dueWarranty(d, in.Today)
	case inventory.StrategySupport:
		return dueSupport(d, in)
	case inventory.StrategyAge:
		return dueAge(d, in.Today, p.Life)
	}
	return due{reason: fmt.Sprintf("Strategy %q has no date", s)}
}

// earliest is the earliest due date of p.Earliest's strategies; without
// any, it says which dates are missing.
func earliest(d *inventory.Device, in Input, p Policy) due {
	var best due
	var missing []string
	for _, s := range p.Earliest {
		dd := dueBy(s, d, in, p)
		if !dd.ok {
			missing = append(missing, dd.reason)
			continue
		}
		if !best.ok || dd.date.Before(best.date) {
			best = dd
		}
	}
	if !best.ok {
		return due{reason: strings.Join(missing, "; ")}
	}
	return best
}

// tense is "ended" or "ends" as on is before today or not.
func tense(on, today inventory.Date, past, future string) string {
	if on.Before(today) {
		return past
	}
	return future
}

func dueWarranty(d *inventory.Device, today inventory.Date) due {
	if w := d.Known.WarrantyEnd; !w.IsZero() {
		dd := due{date: w.Date, ok: true, reason: fmt.Sprintf("Warranty %s on %s", tense(w.Date, today, "ended", "ends"), w.Date)}
		if w.Estimated {
			dd.estimates = []string{"warranty end entered as an estimate"}
		}
		return dd
	}
	install, est := installDate(d)
	std, ok := StandardWarranty(d.Manufacturer())
	switch {
	case install.IsZero():
		return due{reason: "No warranty end or install date known: enter one for this device"}
	case !ok:
		return due{reason: "No warranty end known, and SiteKeeper has no standard warranty for its maker: enter the warranty end"}
	}
	end := install.AddYears(std.Years)
	dd := due{date: end, ok: true, reason: fmt.Sprintf("Warranty %s on %s", tense(end, today, "ended", "ends"), end)}
	if est != "" {
		dd.estimates = append(dd.estimates, est)
	}
	dd.estimates = append(dd.estimates, fmt.Sprintf("warranty end estimated from %s's standard %d-year warranty", std.Maker, std.Years))
	return dd
}

func dueSupport(d *inventory.Device, in Input) due {
	eos := in.EndOfSupport[d.ID]
	if eos.IsZero() {
		return due{reason: "End of firmware support not known: load a firmware catalog or enter the date for this device"}
	}
	dd := due{date: eos, ok: true, reason: fmt.Sprintf("Firmware support %s on %s", tense(eos, in.Today, "ended", "ends"), eos)}
	if own := d.Known.EndOfSupport; own.Estimated && own.Date == eos {
		dd.estimates = []string{"end of support entered as an estimate"}
	}
	return dd
}

func dueAge(d *inventory.Device, today inventory.Date, life map[inventory.Class]int) due {
	install, est := installDate(d)
	if install.IsZero() {
		return due{reason: "Install date not known: enter it for this device"}
	}
	years, whose := d.Known.ExpectedLifeYears, "its"
	if years <= 0 {
		years, whose = lifeOf(d.Class(), life), "the usual"
	}
	end := install.AddYears(years)
	dd := due{date: end, ok: true, reason: fmt.Sprintf("%s %d-year life %s on %s", capital(whose), years, tense(end, today, "ended", "ends"), end)}
	if est != "" {
		dd.estimates = []string{est}
	}
	return dd
}

// installDate is the device's install date, else the day it was first
// seen, with the estimate that is in words ("" when entered).
func installDate(d *inventory.Device) (inventory.Date, string) {
	if v := d.Known.InstallDate; !v.IsZero() {
		if v.Estimated {
			return v.Date, "install date entered as an estimate"
		}
		return v.Date, ""
	}
	if !d.Discovered.FirstSeen.IsZero() {
		return inventory.DateOf(d.Discovered.FirstSeen), "install date unknown; taken as the day SiteKeeper first saw it"
	}
	return inventory.Date{}, ""
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Planned is when the plan would replace d under its own strategy (the
// policy's, if it sets one), in words, whatever d's lifecycle state: the
// reports set a device retired against what the plan said. ok is false
// under run to failure or when no date is known.
func Planned(d *inventory.Device, in Input, p Policy) (inventory.Date, string, bool) {
	p, err := p.withDefaults(in.Today)
	if err != nil {
		return inventory.Date{}, "", false
	}
	s, _ := inventory.EffectiveStrategy(d, siteIndex(in.Sites)[strings.ToLower(d.Known.Site)])
	if p.Strategy != "" {
		s = p.Strategy
	}
	var dd due
	switch s {
	case inventory.StrategyFailure:
		return inventory.Date{}, "", false
	case inventory.StrategyEarliest:
		dd = earliest(d, in, p)
	default:
		dd = dueBy(s, d, in, p)
	}
	return dd.date, dd.reason, dd.ok
}
