package firmware

import (
	"fmt"
	"strings"

	"sitekeeper/internal/inventory"
)

// Baseline is the newest firmware each manufacturer's model runs in the
// inventory: what a device of that model could run, where the catalog is
// silent. The zero Baseline knows no model.
type Baseline struct {
	newest map[string]FleetVersion
}

// FleetVersion is the newest version of one model in the inventory.
type FleetVersion struct {
	Version Version
	// Devices is the number of devices of the model whose firmware could
	// be read, Running the number of those that run Version.
	Devices, Running int
}

// NewBaseline finds the newest firmware per manufacturer and model among
// the devices in service (active or spare). Devices without a manufacturer,
// a model, or a firmware version Parse reads are left out; so are retired
// devices, whose firmware says nothing about what the site runs. Versions
// are only compared within one manufacturer's model (see Compare).
func NewBaseline(devices []inventory.Device) Baseline {
	b := Baseline{newest: map[string]FleetVersion{}}
	for i := range devices {
		d := &devices[i]
		if s := d.State(); s != inventory.StateActive && s != inventory.StateSpare {
			continue
		}
		k := modelKey(d.Manufacturer(), d.Model())
		v, err := Parse(d.Firmware())
		if k == "" || err != nil {
			continue
		}
		fv := b.newest[k]
		fv.Devices++
		switch c := Compare(v, fv.Version); {
		case fv.Version.IsZero() || c > 0:
			fv.Version, fv.Running = v, 1
		case c == 0:
			fv.Running++
		}
		b.newest[k] = fv
	}
	return b
}

// Newest returns the newest firmware seen on a manufacturer's model.
func (b Baseline) Newest(manufacturer, model string) (FleetVersion, bool) {
	fv, ok := b.newest[modelKey(manufacturer, model)]
	return fv, ok
}

// modelKey is the key of a manufacturer's model: the folded manufacturer
// and the model in lower case without the manufacturer's name in front.
func modelKey(manufacturer, model string) string {
	mfr, names := manufacturerKey(manufacturer), modelNames(manufacturer, model)
	if mfr == "" || len(names) == 0 {
		return ""
	}
	return mfr + "\x00" + names[len(names)-1]
}

// Status is how a device's firmware stands.
type Status string

// The statuses, from best to worst but for unknown.
const (
	// StatusCurrent: the device runs the latest version the catalog lists,
	// or, where it lists none, the newest its model runs in the inventory.
	StatusCurrent Status = "current"
	// StatusBehind: a newer version exists.
	StatusBehind Status = "behind"
	// StatusUnsupported: the manufacturer's support for the device has
	// ended, whatever firmware it runs: no more fixes will come.
	StatusUnsupported Status = "unsupported"
	// StatusUnknown: there is nothing to compare with, or nothing to compare.
	StatusUnknown Status = "unknown"
)

// Label is the status as a person reads it.
func (s Status) Label() string {
	switch s {
	case StatusCurrent:
		return "Current"
	case StatusBehind:
		return "Behind"
	case StatusUnsupported:
		return "Unsupported"
	}
	return "Unknown"
}

// Basis names what a device's firmware was compared with.
type Basis string

// The bases of an assessment.
const (
	BasisNone    Basis = ""
	BasisCatalog Basis = "catalog"
	BasisFleet   Basis = "fleet"
	BasisDevice  Basis = "device" // the end of support entered for the device
)

// Assessment is the state of one device's firmware and why.
type Assessment struct {
	Status Status
	// Reason says why, in a sentence a facility manager understands.
	Reason string
	// Installed is the firmware the device reported, as it said it.
	Installed string
	// Latest is what it was compared with, when anything: the catalog's
	// latest version or the fleet's newest.
	Latest string
	Basis  Basis
	// EndOfSupport is when support ends or ended, when known: the date
	// entered for the device, else the catalog's.
	EndOfSupport inventory.Date
	// SourceURL is the catalog entry's source, for a person to check.
	SourceURL string
}

// Assess says whether the firmware of d is current, behind, unsupported or
// unknown on today's date. cat may be nil (no catalog).
//
// Unsupported wins: once support has ended (the day after the end-of-support
// date), no firmware makes a device current. The end of support is the one
// entered for the device (Known.EndOfSupport, a person's word for this very
// device, perhaps under an extended support contract), else the catalog's
// for its model. Otherwise the firmware is compared with the catalog's
// latest version for the model, else with the newest version the model
// runs in fleet; a device is behind only when Older says so. With no
// catalog entry and no other device of the model to compare with, the
// status is unknown: one device is no baseline.
func Assess(d inventory.Device, cat *Catalog, fleet Baseline, today inventory.Date) Assessment {
	a := Assessment{Status: StatusUnknown, Installed: strings.TrimSpace(d.Firmware())}
	entry, inCatalog := cat.Lookup(d.Manufacturer(), d.Model())
	if inCatalog {
		a.SourceURL, a.EndOfSupport = entry.SourceURL, entry.EndOfSupport
	}
	eosBasis, whose := BasisCatalog, "model"
	if own := d.Known.EndOfSupport; !own.IsZero() {
		a.EndOfSupport, eosBasis, whose = own.Date, BasisDevice, "device"
	}
	if !a.EndOfSupport.IsZero() && a.EndOfSupport.Before(today) {
		a.Status, a.Basis = StatusUnsupported, eosBasis
		a.Reason = fmt.Sprintf("Support for this %s ended on %s", whose, a.EndOfSupport)
		if eosBasis == BasisDevice && d.Known.EndOfSupport.Estimated {
			a.Reason += " (an estimate)"
		}
		a.Reason += "; it gets no more security fixes, so plan its replacement"
		return a
	}

	installed, err := Parse(a.Installed)
	switch {
	case a.Installed == "":
		a.Reason = "Firmware unknown: the device did not say; a scan with the device's login can read it"
		return a
	case err != nil:
		a.Reason = fmt.Sprintf("Firmware %q is not a version number SiteKeeper can compare", a.Installed)
		return a
	case d.Manufacturer() == "" || d.Model() == "":
		a.Reason = fmt.Sprintf("Firmware %s cannot be compared: the device's manufacturer or model is not known", a.Installed)
		return a
	}

	if inCatalog {
		a.againstCatalog(installed, &entry)
	} else {
		fv, ok := fleet.Newest(d.Manufacturer(), d.Model())
		a.againstFleet(installed, fv, ok, inventory.MakeAndModel(d.Manufacturer(), d.Model()))
	}
	return a
}

// againstCatalog compares the installed firmware with the catalog's latest.
func (a *Assessment) againstCatalog(installed Version, e *Entry) {
	a.Basis, a.Latest, a.Status = BasisCatalog, e.LatestVersion, StatusCurrent
	released := ""
	if !e.ReleaseDate.IsZero() {
		released = fmt.Sprintf(" (released %s)", e.ReleaseDate)
	}
	switch {
	case Older(installed, e.Latest()):
		a.Status = StatusBehind
		a.Reason = fmt.Sprintf("Firmware %s is older than %s, the latest the catalog lists%s", a.Installed, e.LatestVersion, released)
	case Older(e.Latest(), installed):
		a.Reason = fmt.Sprintf("Firmware %s is newer than %s, the latest the catalog lists%s; the catalog may be out of date", a.Installed, e.LatestVersion, released)
	default:
		a.Reason = fmt.Sprintf("Firmware %s is the latest the catalog lists%s", a.Installed, released)
	}
}

// againstFleet compares the installed firmware with the newest its model
// runs in the inventory, when other devices of the model run any.
func (a *Assessment) againstFleet(installed Version, fv FleetVersion, ok bool, model string) {
	if !ok || fv.Devices < 2 {
		a.Reason = fmt.Sprintf("No catalog entry for the %s, and no other device of this model in the inventory to compare firmware %s with", model, a.Installed)
		return
	}
	a.Basis, a.Latest, a.Status = BasisFleet, fv.Version.String(), StatusCurrent
	if Older(installed, fv.Version) {
		a.Status = StatusBehind
		a.Reason = fmt.Sprintf("No catalog entry; newest in your fleet is %s (on %d of your %d devices of this model), and this device runs %s", fv.Version, fv.Running, fv.Devices, a.Installed)
		return
	}
	a.Reason = fmt.Sprintf("No catalog entry; %s is the newest firmware among your %d devices of this model (a newer one may exist)", a.Installed, fv.Devices)
}
