package plan

import (
	"strings"

	"sitekeeper/internal/inventory"
)

// DefaultLife is the expected service life in years by class, where a
// device has none of its own. These are SiteKeeper's planning assumptions,
// not vendor data (docs/decisions.md says where they come from); a person
// overrides them per device, or per class in the plan's settings.
var DefaultLife = map[inventory.Class]int{
	inventory.ClassCamera:        7,
	inventory.ClassRecorder:      5,
	inventory.ClassAccessControl: 10,
	inventory.ClassIntercom:      10,
	inventory.ClassIO:            10,
	inventory.ClassPrinter:       5,
	inventory.ClassComputer:      5,
	inventory.ClassNetwork:       7,
	inventory.ClassOther:         7,
}

// fallbackLife is the life of a device whose class is unknown.
const fallbackLife = 7

func lifeOf(c inventory.Class, life map[inventory.Class]int) int {
	if y := life[c]; y > 0 {
		return y
	}
	if y := DefaultLife[c]; y > 0 {
		return y
	}
	return fallbackLife
}

// PriorFailureRate is the share of devices of a class assumed to fail in a
// year before the fleet's own history says otherwise (failureRates weighs
// it as priorDeviceYears of experience). Planning assumptions, written down
// in docs/decisions.md.
var PriorFailureRate = map[inventory.Class]float64{
	inventory.ClassCamera:        0.03,
	inventory.ClassRecorder:      0.05, // disks
	inventory.ClassAccessControl: 0.02,
	inventory.ClassIntercom:      0.03,
	inventory.ClassIO:            0.02,
	inventory.ClassPrinter:       0.08,
	inventory.ClassComputer:      0.05,
	inventory.ClassNetwork:       0.03,
	inventory.ClassOther:         0.04,
}

const fallbackFailureRate = 0.04

// Warranty is a maker's standard hardware warranty, with where it is
// published.
type Warranty struct {
	Maker  string
	Years  int
	Source string
}

// warranties are the standard warranties SiteKeeper knows, each with a
// public source; a maker not here gets no estimate (the plan says to enter
// the warranty end). Keys are lower-case maker names as devices report
// them.
//
// Where a maker's warranty differs by product line, region or year of sale,
// the shortest standard term is used: an estimate that errs towards
// planning a replacement early, never late. Sources were read on
// 2026-11-26; docs/decisions.md quotes them.
var warranties = func() map[string]Warranty {
	ws := []struct {
		names []string
		w     Warranty
	}{
		{[]string{"axis", "axis communications", "axis communications ab"},
			Warranty{"Axis", 5, "https://www.axis.com/en-ph/support/warranty/general-support-policy-after-discontinuation-date"}},
		// 5 years for IP cameras and NVRs shipped from 1 July 2023
		// (hanwhavision.com/en-sa/support/warranty/); 3 before that.
		{[]string{"hanwha", "hanwha vision", "hanwha techwin", "samsung techwin", "wisenet"},
			Warranty{"Hanwha Vision", 3, "https://support.hanwhavisionamerica.com/hc/en-us/articles/4409141918491-What-is-the-Warranty-on-my-Hanwha-Vision-America-Camera-or-Recorder"}},
		// 36 months for value cameras, 7-series NVRs, access control and
		// intercoms; 60 for professional lines.
		{[]string{"hikvision", "hangzhou hikvision digital technology co., ltd.", "hikvision digital technology"},
			Warranty{"Hikvision", 3, "https://www.hikvision.com/ca-en/support/rma/"}},
		{[]string{"dahua", "dahua technology", "zhejiang dahua technology co., ltd."},
			Warranty{"Dahua", 3, "https://www.dahuasecurity.com/ceen/support/warrantyRma"}},
		// "three-year or five-year"; five for fixed optical cameras.
		{[]string{"bosch", "bosch security systems", "bosch security"},
			Warranty{"Bosch", 3, "https://www.boschsecurity.com/id/en/support/after-sales-services/warranty/"}},
		{[]string{"avigilon", "avigilon corporation"},
			Warranty{"Avigilon", 3, "https://avigilon.com/support/warranty-unity"}},
		{[]string{"2n", "2n telekomunikace", "2n telekomunikace a.s."},
			Warranty{"2N", 3, "https://wiki.2n.com/faqrma/cs/2n-servisni-opravy-100565972.html"}},
	}
	m := map[string]Warranty{}
	for _, e := range ws {
		for _, n := range e.names {
			m[n] = e.w
		}
	}
	return m
}()

// StandardWarranty is the standard warranty of a maker, if SiteKeeper
// knows one with a source.
func StandardWarranty(maker string) (Warranty, bool) {
	w, ok := warranties[strings.ToLower(strings.TrimSpace(maker))]
	return w, ok
}

// WithSettings is p with the inventory's plan defaults: the cost and
// expected life per class a person set (the life of a class not set stays
// DefaultLife's), and the yearly price increase unless p sets its own.
func (p Policy) WithSettings(s inventory.PlanSettings) Policy {
	if len(s.ClassCost) > 0 {
		p.ClassCost = s.ClassCost
	}
	if len(s.ClassLifeYears) > 0 {
		life := make(map[inventory.Class]int, len(DefaultLife))
		for c, y := range DefaultLife {
			life[c] = y
		}
		for c, y := range s.ClassLifeYears {
			if y > 0 {
				life[c] = y
			}
		}
		p.Life = life
	}
	if p.PriceIncrease == 0 {
		p.PriceIncrease = s.PriceIncreasePercent
	}
	return p
}
