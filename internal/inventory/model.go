// Package inventory is SiteKeeper's model of a site's devices and the bbolt
// store that keeps it: devices with what the network says about them
// (Discovered) and what people know about them (Known), sites, lifecycle,
// per-device event history, and Reconcile, which folds a scan's results into
// the inventory without ever overwriting what a person entered.
package inventory

import (
	"slices"
	"strings"
	"time"
)

// Class is what kind of device something is.
type Class string

// The device classes. The zero value means "not known yet".
const (
	ClassCamera        Class = "camera"
	ClassRecorder      Class = "recorder"
	ClassAccessControl Class = "access_control"
	ClassIntercom      Class = "intercom"
	ClassIO            Class = "io"
	ClassPrinter       Class = "printer"
	ClassComputer      Class = "computer"
	ClassNetwork       Class = "network"
	ClassOther         Class = "other"
)

// Classes lists every class in the order people expect to see them.
var Classes = []Class{
	ClassCamera, ClassRecorder, ClassAccessControl, ClassIntercom, ClassIO,
	ClassPrinter, ClassComputer, ClassNetwork, ClassOther,
}

// Label is the class as a person reads it.
func (c Class) Label() string {
	switch c {
	case ClassCamera:
		return "Camera"
	case ClassRecorder:
		return "Recorder"
	case ClassAccessControl:
		return "Access control"
	case ClassIntercom:
		return "Intercom"
	case ClassIO:
		return "I/O module"
	case ClassPrinter:
		return "Printer"
	case ClassComputer:
		return "Computer"
	case ClassNetwork:
		return "Network"
	case ClassOther:
		return "Other"
	}
	return "Unknown"
}

var classSeparators = strings.NewReplacer(" ", "_", "-", "_", "/", "")

// ParseClass accepts a class name or its label, in any case ("Access control",
// "access_control", "access-control").
func ParseClass(s string) (Class, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	if k == "" {
		return "", nil
	}
	k = classSeparators.Replace(k)
	for _, c := range Classes {
		if k == string(c) || k == strings.ReplaceAll(strings.ToLower(c.Label()), " ", "_") {
			return c, nil
		}
	}
	switch k {
	case "nvr", "dvr", "vms":
		return ClassRecorder, nil
	case "door", "door_controller", "access":
		return ClassAccessControl, nil
	case "io_module", "sensor":
		return ClassIO, nil
	}
	return "", &FieldError{Field: "class", Value: s, Reason: "is not a device class (camera, recorder, access control, intercom, I/O module, printer, computer, network, other)"}
}

// State is where a device is in its life.
type State string

// The lifecycle states. Checks and the plan skip everything but StateActive;
// reports keep them all.
const (
	StateActive         State = "active"
	StateSpare          State = "spare"
	StateReplaced       State = "replaced"
	StateDecommissioned State = "decommissioned"
)

// States lists the lifecycle states.
var States = []State{StateActive, StateSpare, StateReplaced, StateDecommissioned}

// Label is the state as a person reads it.
func (s State) Label() string {
	switch s {
	case StateSpare:
		return "Spare"
	case StateReplaced:
		return "Replaced"
	case StateDecommissioned:
		return "Decommissioned"
	}
	return "Active"
}

// ParseState accepts a state name in any case; empty means active.
func ParseState(s string) (State, error) {
	k := State(strings.ToLower(strings.TrimSpace(s)))
	if k == "" {
		return StateActive, nil
	}
	if slices.Contains(States, k) {
		return k, nil
	}
	return "", &FieldError{Field: "status", Value: s, Reason: "is not a lifecycle state (active, spare, replaced, decommissioned)"}
}

// Strategy is how a device is planned for replacement. The empty strategy
// inherits: device -> class -> site (see EffectiveStrategy).
type Strategy string

// The replacement strategies.
const (
	StrategyWarranty Strategy = "warranty"
	StrategySupport  Strategy = "support"
	StrategyAge      Strategy = "age"
	StrategyFailure  Strategy = "failure"
	StrategyEarliest Strategy = "earliest"
)

// Strategies lists the replacement strategies.
var Strategies = []Strategy{StrategyWarranty, StrategySupport, StrategyAge, StrategyFailure, StrategyEarliest}

// Label is the strategy as a person reads it.
func (s Strategy) Label() string {
	switch s {
	case StrategyWarranty:
		return "At warranty end"
	case StrategySupport:
		return "At end of firmware support"
	case StrategyAge:
		return "At end of expected life"
	case StrategyFailure:
		return "Run to failure"
	case StrategyEarliest:
		return "Earliest of these"
	}
	return "Inherit"
}

// ParseStrategy accepts a strategy name in any case; empty means inherit.
func ParseStrategy(s string) (Strategy, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = classSeparators.Replace(k)
	switch k {
	case "", "inherit":
		return "", nil
	case "run_to_failure":
		return StrategyFailure, nil
	}
	if slices.Contains(Strategies, Strategy(k)) {
		return Strategy(k), nil
	}
	return "", &FieldError{Field: "strategy", Value: s, Reason: "is not a replacement strategy (warranty, support, age, failure, earliest)"}
}

// Owner is a team and how to reach it.
type Owner struct {
	Team    string `json:"team,omitempty"`
	Contact string `json:"contact,omitempty"`
}

// IsZero reports whether no owner is set.
func (o Owner) IsZero() bool { return o.Team == "" && o.Contact == "" }

// String renders an owner as "Team <contact>", the form ParseOwner reads.
func (o Owner) String() string {
	switch {
	case o.Contact == "":
		return o.Team
	case o.Team == "":
		return "<" + o.Contact + ">"
	}
	return o.Team + " <" + o.Contact + ">"
}

// ParseOwner reads "Team", "Team <contact>" or "<contact>".
func ParseOwner(s string) Owner {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '<'); i >= 0 && strings.HasSuffix(s, ">") {
		return Owner{Team: strings.TrimSpace(s[:i]), Contact: strings.TrimSpace(s[i+1 : len(s)-1])}
	}
	return Owner{Team: s}
}

// DateValue is a lifecycle date and whether a person entered it or SiteKeeper
// estimated it. Estimates stay marked as such all the way into reports.
type DateValue struct {
	Date      Date `json:"date"`
	Estimated bool `json:"estimated,omitempty"`
}

// IsZero reports whether no date is set.
func (v DateValue) IsZero() bool { return v.Date.IsZero() }

// Discovered is what the network says about a device. Only Reconcile writes
// it (and import, for a device's first observation); a person's values live in
// Known and win where both are set.
type Discovered struct {
	IPs []string `json:"ips,omitempty"`
	MAC string   `json:"mac,omitempty"`
	// MACVendor is the organisation the IEEE assigned the MAC's prefix to:
	// the network card's maker, often but not always the device's.
	MACVendor    string    `json:"mac_vendor,omitempty"`
	Hostnames    []string  `json:"hostnames,omitempty"`
	Manufacturer string    `json:"manufacturer,omitempty"`
	Model        string    `json:"model,omitempty"`
	Firmware     string    `json:"firmware,omitempty"`
	Serial       string    `json:"serial,omitempty"`
	HardwareID   string    `json:"hardware_id,omitempty"`
	Class        Class     `json:"class,omitempty"`
	EndpointRef  string    `json:"endpoint_ref,omitempty"`
	XAddrs       []string  `json:"xaddrs,omitempty"`
	Services     []string  `json:"services,omitempty"`
	Sources      []string  `json:"sources,omitempty"`
	Interface    string    `json:"interface,omitempty"`
	FirstSeen    time.Time `json:"first_seen,omitzero"`
	LastSeen     time.Time `json:"last_seen,omitzero"`
}

// SourceSelfReported is the Discovered.Sources entry of findings in which
// the device itself said what it is (ONVIF GetDeviceInformation): only such
// findings may change a known manufacturer, model or serial.
const SourceSelfReported = "onvif"

// Known is what people know about a device. Nothing but a person (the device
// form, an import, the command line) writes it.
type Known struct {
	Name     string `json:"name,omitempty"`
	Site     string `json:"site,omitempty"`
	Location string `json:"location,omitempty"`

	// A person's word on identity; each overrides its Discovered twin.
	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
	Serial       string `json:"serial,omitempty"`
	MAC          string `json:"mac,omitempty"`
	Class        Class  `json:"class,omitempty"`

	OTOwner     Owner       `json:"ot_owner,omitzero"`
	ITOwner     Owner       `json:"it_owner,omitzero"`
	BudgetOwner BudgetSplit `json:"budget_owner,omitzero"`

	InstallDate       DateValue `json:"install_date,omitzero"`
	PurchaseDate      DateValue `json:"purchase_date,omitzero"`
	WarrantyEnd       DateValue `json:"warranty_end,omitzero"`
	EndOfSupport      DateValue `json:"end_of_support,omitzero"`
	ExpectedLifeYears int       `json:"expected_life_years,omitempty"`

	ReplacementCost          Money    `json:"replacement_cost,omitzero"`
	ReplacementCostEstimated bool     `json:"replacement_cost_estimated,omitempty"`
	Strategy                 Strategy `json:"strategy,omitempty"`
	Notes                    string   `json:"notes,omitempty"`
}

// Lifecycle is whether a device is in service, and if not, since when and why.
type Lifecycle struct {
	State     State  `json:"state,omitempty"`
	Date      Date   `json:"date,omitzero"`
	Reason    string `json:"reason,omitempty"`
	Successor string `json:"successor,omitempty"`
}

// Device is one thing on a site's network. ID is ours and never changes.
type Device struct {
	ID         string     `json:"id"`
	Discovered Discovered `json:"discovered,omitzero"`
	Known      Known      `json:"known,omitzero"`
	Lifecycle  Lifecycle  `json:"lifecycle,omitzero"`
}

func firstNonEmpty[T ~string](a, b T) T {
	if a != "" {
		return a
	}
	return b
}

// Manufacturer is the person's value if entered, else the discovered one.
func (d *Device) Manufacturer() string {
	return firstNonEmpty(d.Known.Manufacturer, d.Discovered.Manufacturer)
}

// Model is the person's value if entered, else the discovered one.
func (d *Device) Model() string { return firstNonEmpty(d.Known.Model, d.Discovered.Model) }

// Serial is the person's value if entered, else the discovered one.
func (d *Device) Serial() string { return firstNonEmpty(d.Known.Serial, d.Discovered.Serial) }

// MAC is the person's value if entered, else the discovered one.
func (d *Device) MAC() string { return firstNonEmpty(d.Known.MAC, d.Discovered.MAC) }

// Class is the person's value if entered, else the discovered one.
func (d *Device) Class() Class { return firstNonEmpty(d.Known.Class, d.Discovered.Class) }

// Firmware is the firmware version last read from the device.
func (d *Device) Firmware() string { return d.Discovered.Firmware }

// IP is the device's first known address, or "".
func (d *Device) IP() string {
	if len(d.Discovered.IPs) == 0 {
		return ""
	}
	return d.Discovered.IPs[0]
}

// State is the lifecycle state; a device without one is active.
func (d *Device) State() State { return firstNonEmpty(d.Lifecycle.State, StateActive) }

// NameAndAddress is DisplayName with the address beside a name that lacks
// it, "Gate camera (192.168.1.20)", for sentences that list devices.
func (d *Device) NameAndAddress() string {
	name, ip := d.DisplayName(), d.IP()
	if ip == "" || strings.Contains(name, ip) {
		return name
	}
	return name + " (" + ip + ")"
}

// DisplayName is what a person calls the device: its name, else model and
// address, else its address, so that no row in a list is blank.
func (d *Device) DisplayName() string {
	if d.Known.Name != "" {
		return d.Known.Name
	}
	parts := make([]string, 0, 2)
	if m := MakeAndModel(d.Manufacturer(), d.Model()); m != "" {
		parts = append(parts, m)
	}
	if ip := d.IP(); ip != "" {
		parts = append(parts, ip)
	} else if mac := d.MAC(); mac != "" {
		parts = append(parts, mac)
	}
	if len(parts) == 0 {
		return "Unnamed device " + d.ID
	}
	return strings.Join(parts, " at ")
}

// MakeAndModel joins a manufacturer and a model, once: "AXIS" and "AXIS
// Q6045-E" give "AXIS Q6045-E", not "AXIS AXIS Q6045-E".
func MakeAndModel(mfr, model string) string {
	mfr, model = strings.TrimSpace(mfr), strings.TrimSpace(model)
	if lm, lo := strings.ToLower(mfr), strings.ToLower(model); mfr != "" && (lo == lm || strings.HasPrefix(lo, lm+" ")) {
		return model // but "HP" and "HPE 1920" stay "HP HPE 1920"
	}
	return strings.TrimSpace(mfr + " " + model)
}

// Clone returns a deep copy, so that callers can edit without aliasing slices.
func (d Device) Clone() Device {
	d.Discovered.IPs = slices.Clone(d.Discovered.IPs)
	d.Discovered.Hostnames = slices.Clone(d.Discovered.Hostnames)
	d.Discovered.XAddrs = slices.Clone(d.Discovered.XAddrs)
	d.Discovered.Services = slices.Clone(d.Discovered.Services)
	d.Discovered.Sources = slices.Clone(d.Discovered.Sources)
	return d
}

// Site is a place devices belong to, with the site-wide replacement policy.
type Site struct {
	Name     string   `json:"name"`
	Address  string   `json:"address,omitempty"`
	Strategy Strategy `json:"strategy,omitempty"`
	// ClassStrategy overrides the site's strategy for a class of device.
	ClassStrategy map[Class]Strategy `json:"class_strategy,omitempty"`
	Notes         string             `json:"notes,omitempty"`
}

// DefaultStrategy is the strategy when neither device, class nor site sets
// one: replace when the warranty ends, the most common policy in practice.
const DefaultStrategy = StrategyWarranty

// EffectiveStrategy resolves a device's strategy: the device's own, else its
// site's for its class, else its site's, else DefaultStrategy. It reports
// where the answer came from ("device", "class", "site", "default").
func EffectiveStrategy(d *Device, site *Site) (Strategy, string) {
	if d.Known.Strategy != "" {
		return d.Known.Strategy, "device"
	}
	if site != nil {
		if s := site.ClassStrategy[d.Class()]; s != "" {
			return s, "class"
		}
		if site.Strategy != "" {
			return site.Strategy, "site"
		}
	}
	return DefaultStrategy, "default"
}

// EventKind names what happened to a device.
type EventKind string

// The event kinds. RecordStatus writes EventOffline, EventDegraded and
// EventOnline (back from either) when a device's health changes, with the
// cause as Detail.
const (
	EventFound           EventKind = "found"
	EventIPChanged       EventKind = "ip_changed"
	EventFirmwareChanged EventKind = "firmware_changed"
	EventConflict        EventKind = "conflict"
	EventOffline         EventKind = "offline"
	EventOnline          EventKind = "online"
	EventEdited          EventKind = "edited"
	EventAdded           EventKind = "added"
	EventImported        EventKind = "imported"
	EventReplaced        EventKind = "replaced"
	EventDecommissioned  EventKind = "decommissioned"
	EventDegraded        EventKind = "degraded"
)

// Event is one thing that happened to a device.
type Event struct {
	Time   time.Time `json:"time"`
	Kind   EventKind `json:"kind"`
	Detail string    `json:"detail,omitempty"`
	// Old and New hold the values on either side of a change, where one is.
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
}

// classWords are words in a device's name or model that give away its
// class, in the order they are tried ("NVR camera kit" is a recorder).
var classWords = []struct {
	class Class
	words []string
}{
	{ClassRecorder, []string{"nvr", "dvr", "recorder", "vms"}},
	{ClassIntercom, []string{"intercom", "door station", "doorbell"}},
	{ClassAccessControl, []string{"door controller", "access control", "card reader", "reader", "door"}},
	{ClassPrinter, []string{"printer", "mfp", "plotter"}},
	{ClassIO, []string{"i/o", "io module", "alarm input", "relay", "sensor"}},
	{ClassCamera, []string{"camera", "cam", "dome", "bullet", "ptz", "turret", "fisheye"}},
	{ClassNetwork, []string{"switch", "router", "access point", "firewall", "gateway"}},
	{ClassComputer, []string{"workstation", "server", "pc", "laptop"}},
}

// GuessClass names the class that words in a device's name or model point
// to, or "" when none does. Importers store the guess as a discovered (not
// a person's) value, so that a scan that knows better replaces it and a
// person's choice always wins.
func GuessClass(texts ...string) Class {
	t := " " + strings.ToLower(strings.Join(texts, " ")) + " "
	t = strings.NewReplacer("-", " ", "_", " ", ",", " ", "(", " ", ")", " ").Replace(t)
	for _, cw := range classWords {
		for _, w := range cw.words {
			if strings.Contains(t, " "+w+" ") || strings.Contains(t, " "+w+"s ") {
				return cw.class
			}
		}
	}
	return ""
}
