package inventory

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// Errors callers branch on.
var (
	// ErrNotFound: no device (or site) with that ID.
	ErrNotFound = errors.New("not found")
	// ErrLocked: another SiteKeeper (or another command) has the inventory
	// file open; bbolt allows one writer process at a time.
	ErrLocked = errors.New("another SiteKeeper is using this inventory")
	// ErrCorrupt: the file is not a readable SiteKeeper inventory.
	ErrCorrupt = errors.New("the inventory file is damaged or is not a SiteKeeper inventory")
	// ErrNewerSchema: the file was written by a newer SiteKeeper; it is left untouched.
	ErrNewerSchema = errors.New("the inventory was written by a newer version of SiteKeeper")
)

// Store keeps the inventory. Implementations are safe for concurrent use;
// every method that writes does so in one transaction, all of it or none.
// Returned values are copies: editing them changes nothing until Save.
type Store interface {
	// Devices lists every device, in ID order.
	Devices(ctx context.Context) ([]Device, error)
	// Device returns one device or ErrNotFound.
	Device(ctx context.Context, id string) (Device, error)
	// Create adds a device that a person entered, gives it an ID and
	// records its creation in the history.
	Create(ctx context.Context, d Device) (Device, error)
	// Save stores a person's edit of an existing device (Known and
	// Lifecycle; Discovered is the scan's and is kept as stored) and records
	// what changed as an EventEdited. ErrNotFound if the ID is unknown.
	Save(ctx context.Context, d Device) error
	// Import adds many devices in one transaction: all of them or none.
	// progress, if not nil, is called with the number written so far.
	Import(ctx context.Context, devices []Device, progress func(done, total int)) ([]Device, error)
	// Delete removes a device and its history. Lifecycle states are the way
	// to retire real devices; Delete is for entries made by mistake. The
	// device's alerts stay: they are the site's history of what people
	// were told.
	Delete(ctx context.Context, id string) error
	// Reconcile folds a scan's findings into the inventory in one transaction.
	Reconcile(ctx context.Context, found []Discovered, now time.Time) (ReconcileResult, error)
	// Snapshot returns the whole inventory — devices with their histories
	// in ID order, settings, sites — from one transaction: what a JSON
	// export holds.
	Snapshot(ctx context.Context) (Snapshot, error)
	// Restore writes a snapshot — records exactly as Records returned
	// them, histories and IDs included, and optionally settings and sites —
	// in one transaction; an ID already present is refused.
	Restore(ctx context.Context, snap Snapshot, progress func(done, total int)) error
	// Events returns a device's history, oldest first.
	Events(ctx context.Context, id string) ([]Event, error)
	// Sites lists the sites, by name.
	Sites(ctx context.Context) ([]Site, error)
	// PutSite adds or replaces a site.
	PutSite(ctx context.Context, s Site) error
	// Settings returns the inventory-wide settings.
	Settings(ctx context.Context) (Settings, error)
	// PutSettings replaces the inventory-wide settings.
	PutSettings(ctx context.Context, s Settings) error

	// Health history: the scheduler (internal/health) writes, the GUI
	// reads. Devices keep it when retired; Delete removes it.

	// RecordStatus stores debounced health changes in one transaction:
	// outages opened and closed, current status, history events. An
	// unknown device ID (ErrNotFound, naming it) refuses the batch.
	RecordStatus(ctx context.Context, changes []StatusChange) error
	// RecordChecks adds daily check counts to what is stored.
	RecordChecks(ctx context.Context, tallies []CheckTally) error
	// Checks returns a device's daily check counts for days from..to.
	Checks(ctx context.Context, deviceID string, from, to Date) ([]CheckTally, error)
	// Statuses returns the current status of every checked device.
	Statuses(ctx context.Context) (map[string]DeviceStatus, error)
	// Outages returns the outages overlapping [from, to) of one device,
	// or of every device for deviceID "", ordered by start.
	Outages(ctx context.Context, deviceID string, from, to time.Time) ([]Outage, error)
	// Availability is the share of [from, to) a device was not offline.
	Availability(ctx context.Context, deviceID string, from, to, now time.Time) (float64, error)
	// Gaps returns the offline outages of a site's cameras and recorders
	// (site "": every site) clipped to [from, to).
	Gaps(ctx context.Context, site string, from, to time.Time) ([]Outage, error)

	// Alerts: internal/alert words them, the watcher adds them, the GUI
	// lists and acknowledges them. At most MaxAlerts are kept.

	// AddAlerts stores alerts in one transaction and returns them with
	// their IDs. The device need not exist (alerts outlive Delete).
	AddAlerts(ctx context.Context, alerts []Alert) ([]Alert, error)
	// Alerts returns the newest alerts first, at most limit (0: all).
	Alerts(ctx context.Context, limit int) ([]Alert, error)
	// AcknowledgeAlerts marks alerts as seen at at, in one transaction; an
	// unknown ID refuses the batch (ErrNotFound, naming it), and an alert
	// already acknowledged keeps its first time.
	AcknowledgeAlerts(ctx context.Context, ids []string, at time.Time) error
	// UnacknowledgedAlerts counts the alerts not yet acknowledged.
	UnacknowledgedAlerts(ctx context.Context) (int, error)

	// Close releases the store.
	Close() error
}

// Settings are inventory-wide: they travel with the file, so a consultant's
// per-site audit file carries its own organisation and currency.
type Settings struct {
	Organisation string `json:"organisation,omitempty"`
	// Currency is an ISO 4217 code such as EUR or USD; money in the
	// inventory is in this currency.
	Currency string `json:"currency,omitempty"`
	// Notify shows each alert as a desktop notification (off until a
	// person turns it on).
	Notify bool `json:"notify,omitempty"`
	// WebhookURL receives each alert as JSON, for IT's systems; empty
	// sends nothing (nothing leaves the machine unless a person sets it).
	WebhookURL string `json:"webhook_url,omitempty"`
	// Email mails each alert, for an owner without IT; a zero Email sends
	// nothing. Its password is in the OS credential store, never here.
	Email EmailSettings `json:"email,omitzero"`
	// Checks tune the background checks.
	Checks CheckSettings `json:"checks,omitzero"`
	// Plan holds the replacement plan's defaults.
	Plan PlanSettings `json:"plan,omitzero"`
}

// PlanSettings are the replacement plan's defaults, where devices say
// nothing of their own: a cost and an expected life per class, and a
// yearly price increase.
type PlanSettings struct {
	// ClassCost is the replacement cost by class, for devices with no
	// cost of their own or of their model; the plan marks it estimated.
	ClassCost map[Class]Money `json:"class_cost,omitempty"`
	// ClassLifeYears is the expected life by class (0 or missing: the
	// plan's default for the class).
	ClassLifeYears map[Class]int `json:"class_life_years,omitempty"`
	// PriceIncreasePercent is the yearly price rise, 0 to 100.
	PriceIncreasePercent float64 `json:"price_increase_percent,omitempty"`
}

// EmailSettings say where alerts are mailed.
type EmailSettings struct {
	// Server is the mail server as host:port ("smtp.example.com:587").
	Server string `json:"server,omitempty"`
	From   string `json:"from,omitempty"`
	// To are the addresses the alerts go to.
	To []string `json:"to,omitempty"`
	// Username logs in to the server ("" sends without logging in).
	Username string `json:"username,omitempty"`
}

// On reports whether alerts are to be mailed.
func (e EmailSettings) On() bool { return e.Server != "" && len(e.To) > 0 }

// CheckSettings tune the background checks. Intervals are in seconds; zero
// or less takes the next one out (device, class, site, the default).
type CheckSettings struct {
	// IntervalSeconds is how often each device is checked (0: every 60 s).
	IntervalSeconds      int            `json:"interval_seconds,omitempty"`
	SiteIntervalSeconds  map[string]int `json:"site_interval_seconds,omitempty"`
	ClassIntervalSeconds map[Class]int  `json:"class_interval_seconds,omitempty"`
	// DeviceIntervalSeconds are by device ID.
	DeviceIntervalSeconds map[string]int `json:"device_interval_seconds,omitempty"`
	// SNMPCommunity is the SNMP v2c read community the devices answer to
	// ("" skips the SNMP check).
	SNMPCommunity string `json:"snmp_community,omitempty"`
	// Pauses hold back a device's or a site's checks (maintenance); an
	// ended pause is dropped when the settings are next saved.
	Pauses []Pause `json:"pauses,omitempty"`
}

// Pause holds back the checks of one device (DeviceID), of every device
// of a site (Site) or of every device (All) until Until: maintenance, a
// planned outage.
type Pause struct {
	DeviceID string    `json:"device_id,omitempty"`
	Site     string    `json:"site,omitempty"`
	All      bool      `json:"all,omitempty"`
	Until    time.Time `json:"until"`
	Reason   string    `json:"reason,omitempty"`
}

// DefaultCurrency is used until a person picks one.
const DefaultCurrency = "EUR"

// Validate checks what a person can get wrong in a device: the form and the
// importers call it so that bad values never reach the store. It rewrites
// the MAC, class, strategy and lifecycle state it accepts in their
// canonical form.
func Validate(d *Device) error {
	var errs []error
	if d.Known.ReplacementCost < 0 {
		errs = append(errs, &FieldError{Field: "replacement_cost", Value: d.Known.ReplacementCost.String(), Reason: "is negative; a cost must be zero or more"})
	}
	if d.Known.ExpectedLifeYears < 0 || d.Known.ExpectedLifeYears > 50 {
		errs = append(errs, &FieldError{Field: "expected_life_years", Value: strconv.Itoa(d.Known.ExpectedLifeYears), Reason: "must be between 0 and 50 years"})
	}
	if b := d.Known.BudgetOwner; !b.IsZero() && (b.OT < 0 || b.IT < 0 || b.OT+b.IT != 100) {
		errs = append(errs, &FieldError{Field: "budget_owner", Value: b.String(), Reason: "must add up to 100%"})
	}
	if mac := d.Known.MAC; mac != "" {
		if n, err := ParseMAC(mac); err != nil {
			errs = append(errs, err)
		} else {
			d.Known.MAC = n
		}
	}
	// Store what the parsers accept in their canonical form, as for the
	// MAC: "Camera" or "WARRANTY" would pass and then match nothing
	// (EffectiveStrategy, State(), the plan's filters).
	if st, err := ParseState(string(d.Lifecycle.State)); err != nil {
		errs = append(errs, err)
	} else if d.Lifecycle.State != "" {
		d.Lifecycle.State = st
	}
	if s, err := ParseStrategy(string(d.Known.Strategy)); err != nil {
		errs = append(errs, err)
	} else {
		d.Known.Strategy = s
	}
	if d.Known.Class != "" {
		if c, err := ParseClass(string(d.Known.Class)); err != nil {
			errs = append(errs, err)
		} else {
			d.Known.Class = c
		}
	}
	w, i := d.Known.WarrantyEnd.Date, d.Known.InstallDate.Date
	if !w.IsZero() && !i.IsZero() && w.Before(i) {
		errs = append(errs, &FieldError{Field: "warranty_end", Value: w.String(), Reason: "is before the install date " + i.String()})
	}
	return errors.Join(errs...)
}
