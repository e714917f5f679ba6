package plan

import (
	"fmt"
	"time"

	"sitekeeper/internal/inventory"
)

// riskBook scores how risky it is to keep a device in service longer: what
// the cap defers first is what risks least.
type riskBook struct {
	outages  map[string]int // offline outages in the last year, by device
	statuses map[string]inventory.DeviceStatus
	eos      map[string]inventory.Date
	life     map[inventory.Class]int
}

func newRiskBook(in Input, life map[inventory.Class]int) riskBook {
	yearAgo := in.Today.Time().AddDate(-1, 0, 0)
	n := map[string]int{}
	for _, o := range in.Outages {
		if o.Health == inventory.HealthOffline && (o.End.IsZero() || o.End.After(yearAgo)) {
			n[o.DeviceID]++
		}
	}
	return riskBook{outages: n, statuses: in.Statuses, eos: in.EndOfSupport, life: life}
}

// of is d's risk score and its reasons in words, worst first.
func (r riskBook) of(d *inventory.Device, today inventory.Date) (int, []string) {
	score := 0
	var why []string
	add := func(n int, s string) {
		score += n
		why = append(why, s)
	}
	if st, ok := r.statuses[d.ID]; ok && st.Health == inventory.HealthOffline {
		add(5, "offline now")
	}
	if eos := r.eos[d.ID]; !eos.IsZero() {
		switch {
		case eos.Before(today):
			add(3, "firmware no longer supported")
		case eos.Before(today.AddYears(1)):
			add(1, "firmware support ends within a year")
		}
	}
	if n := r.outages[d.ID]; n > 0 {
		add(min(n, 3), fmt.Sprintf("%d outage%s in the last year", n, plural(n)))
	}
	if install, _ := installDate(d); !install.IsZero() {
		life := d.Known.ExpectedLifeYears
		if life <= 0 {
			life = lifeOf(d.Class(), r.life)
		}
		if over := yearsBetween(install.AddYears(life), today); over >= 1 {
			add(min(over, 3), fmt.Sprintf("%d year%s past its expected life", over, plural(over)))
		}
	}
	if w := d.Known.WarrantyEnd; !w.IsZero() && w.Date.Before(today) {
		add(1, "out of warranty")
	}
	return score, why
}

// yearsBetween is the whole years from a to b (0 if b is not after a).
func yearsBetween(a, b inventory.Date) int {
	if !a.Before(b) {
		return 0
	}
	return int(b.Time().Sub(a.Time()) / (time.Hour * 24 * 365))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
