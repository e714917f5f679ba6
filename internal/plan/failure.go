package plan

import (
	"math"
	"strings"

	"sitekeeper/internal/inventory"
)

// priorDeviceYears is how much experience the prior failure rates count as:
// a fleet's own history outweighs them once it covers more device-years.
const priorDeviceYears = 20

// failureWords mark a retirement as a failure in its reason.
var failureWords = []string{"fail", "broke", "dead", "defect", "fault", "burn", "water", "damage", "vandal"}

// failureRates estimates each class's yearly failure rate from the fleet:
// devices retired for a failure over the device-years SiteKeeper has
// watched the class (from each device's first sighting: a failure before
// it could not have been recorded), with PriorFailureRate counted as
// priorDeviceYears of experience. History raises the rate freely but
// lowers it at most to half the prior: a failure nobody recorded looks
// like no failure, and run to failure must not look free for want of
// records.
func failureRates(devs []inventory.Device, today inventory.Date) map[inventory.Class]float64 {
	failures := map[inventory.Class]float64{}
	exposure := map[inventory.Class]float64{}
	classes := map[inventory.Class]bool{}
	for i := range devs {
		d := &devs[i]
		c := d.Class()
		classes[c] = true
		start := inventory.DateOf(d.Discovered.FirstSeen)
		end := today
		if st := d.State(); st == inventory.StateReplaced || st == inventory.StateDecommissioned {
			if !d.Lifecycle.Date.IsZero() {
				end = d.Lifecycle.Date
			}
			if isFailure(d.Lifecycle.Reason) {
				failures[c]++
			}
		} else if st == inventory.StateSpare {
			continue // on a shelf: not running
		}
		if !d.Discovered.FirstSeen.IsZero() && start.Before(end) {
			exposure[c] += math.Min(end.Time().Sub(start.Time()).Hours()/24/365.25, 20)
		}
	}
	out := make(map[inventory.Class]float64, len(classes))
	for c := range classes {
		prior, ok := PriorFailureRate[c]
		if !ok {
			prior = fallbackFailureRate
		}
		out[c] = max(prior/2, (prior*priorDeviceYears+failures[c])/(priorDeviceYears+exposure[c]))
	}
	return out
}

func isFailure(reason string) bool {
	r := strings.ToLower(reason)
	for _, w := range failureWords {
		if strings.Contains(r, w) {
			return true
		}
	}
	return false
}

// spareLead is the share of a year a failed device waits for a new one:
// spares cover a quarter's failures.
const spareLead = 0.25

// spareConfidence is how likely the spares suffice for a quarter.
const spareConfidence = 0.95

// spares recommends spare devices per class: enough to cover a quarter's
// failures of the active devices with 95% confidence (Poisson).
func spares(items []Item, rates map[inventory.Class]float64) map[inventory.Class]int {
	n := map[inventory.Class]int{}
	for i := range items {
		n[items[i].Class]++
	}
	out := map[inventory.Class]int{}
	for c, count := range n {
		if k := poissonQuantile(rates[c]*float64(count)*spareLead, spareConfidence); k > 0 {
			out[c] = k
		}
	}
	return out
}

// poissonQuantile is the smallest k with P(X ≤ k) ≥ q for X ~ Poisson(λ).
func poissonQuantile(lambda, q float64) int {
	if lambda <= 0 {
		return 0
	}
	p := math.Exp(-lambda)
	cdf := p
	k := 0
	for cdf < q && k < 10000 {
		k++
		p *= lambda / float64(k)
		cdf += p
	}
	return k
}
