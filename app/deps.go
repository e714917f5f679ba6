// Package app is SiteKeeper's desktop GUI, built with Fyne. It is the only
// package that imports fyne.io; everything it shows comes from the inventory
// through the small Store interface below, and CSV import comes in through an
// Importer func, so that the whole GUI runs headless in tests against
// inventory.NewMemory() with a real or a fake importer.
//
// Threads: widgets are touched only on the UI goroutine. Anything that can
// take time (loading 10,000 devices, filtering them, saving, importing) runs
// in a goroutine and hands its result back with fyne.Do; each view drops the
// results of work that a newer request superseded.
package app

import (
	"context"
	"io"
	"time"

	"sitekeeper/internal/credentials"
	"sitekeeper/internal/discovery"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/transfer"
)

// Store is what the GUI needs from the inventory. inventory.Store (the bbolt
// file and inventory.Memory) satisfies it.
//
// Concurrency: the GUI calls it only from background goroutines, never from
// the UI goroutine, and may call it from several at once; implementations
// must be safe for concurrent use.
type Store interface {
	// Devices lists every device.
	Devices(ctx context.Context) ([]inventory.Device, error)
	// Device returns one device, or an error wrapping inventory.ErrNotFound.
	Device(ctx context.Context, id string) (inventory.Device, error)
	// Create adds a device a person entered and returns it with its ID.
	Create(ctx context.Context, d inventory.Device) (inventory.Device, error)
	// Save stores a person's edit of an existing device.
	Save(ctx context.Context, d inventory.Device) error
	// Events returns a device's history, oldest first.
	Events(ctx context.Context, id string) ([]inventory.Event, error)
	// Sites lists the sites that have their own record.
	Sites(ctx context.Context) ([]inventory.Site, error)
	// Settings returns the inventory-wide settings.
	Settings(ctx context.Context) (inventory.Settings, error)
	// PutSettings replaces the inventory-wide settings.
	PutSettings(ctx context.Context, s inventory.Settings) error
	// Reconcile merges what a scan found into the inventory in one
	// transaction, never changing what a person entered.
	Reconcile(ctx context.Context, found []inventory.Discovered, now time.Time) (inventory.ReconcileResult, error)
	// Statuses returns every checked device's current health, by ID.
	Statuses(ctx context.Context) (map[string]inventory.DeviceStatus, error)
	// Availability is the share of [from, to) a device was not offline
	// (inventory.ErrNotChecked when it was never checked then); Gaps are
	// the offline outages of a site's cameras and recorders in [from, to).
	Availability(ctx context.Context, deviceID string, from, to, now time.Time) (float64, error)
	Gaps(ctx context.Context, site string, from, to time.Time) ([]inventory.Outage, error)
	// Outages are the outages overlapping [from, to) of one device, or of
	// every device for deviceID "": the replacement plan weighs the risk
	// of deferring a device by them (plan.Gather).
	Outages(ctx context.Context, deviceID string, from, to time.Time) ([]inventory.Outage, error)
	// AddAlerts stores alerts and returns them with their IDs; Alerts
	// lists at most limit, newest first; AcknowledgeAlerts marks them seen.
	AddAlerts(ctx context.Context, alerts []inventory.Alert) ([]inventory.Alert, error)
	Alerts(ctx context.Context, limit int) ([]inventory.Alert, error)
	AcknowledgeAlerts(ctx context.Context, ids []string, at time.Time) error
}

var _ Store = inventory.Store(nil)

// Importer reads a CSV or JSON file of devices into the inventory, as
// transfer.Import does: name is the file's name (its extension tells CSV
// from JSON); with opt.SkipBad the rows that have problems are left out and
// listed in Summary.Skipped, without it any bad row means nothing is
// imported and the error is a *transfer.ImportError listing every problem.
// opt.Progress, if not nil, is called with the devices written so far.
//
// The GUI calls it from a background goroutine and cancels ctx when the
// person presses Stop. TransferImporter is the one main.go passes; tests
// pass fakes.
type Importer func(ctx context.Context, r io.Reader, name string, opt transfer.Options) (transfer.Summary, error)

// TransferImporter is the Importer that imports into st with transfer.Import.
func TransferImporter(st inventory.Store) Importer {
	return func(ctx context.Context, r io.Reader, name string, opt transfer.Options) (transfer.Summary, error) {
		return transfer.Import(ctx, st, r, name, opt)
	}
}

// Scanner runs one network scan with default settings on every network
// adapter, as discovery.Scan does, calling onFound for each device found;
// loginsFor, when not nil, gives the logins to try on a device that refuses
// anonymous calls (discovery.IdentifyConfig.CredentialsFor: called with what
// WS-Discovery said of the device, from the scan's goroutines). onFound is
// called from a background goroutine, one call at a time, and returns
// quickly. The scan ends when it is done or when ctx is cancelled (the
// person pressed Stop); then its error is ctx's.
//
// The GUI calls it from a background goroutine. DiscoveryScanner is the
// one main.go passes; tests pass fakes, so that no test opens a socket.
type Scanner func(ctx context.Context, loginsFor func(inventory.Discovered) []discovery.Credential, onFound func(discovery.Device)) (discovery.Stats, error)

// DiscoveryScanner is the Scanner that runs discovery.Scan with its
// defaults: WS-Discovery on every usable adapter, then ONVIF identification,
// with loginsFor on the devices that refuse anonymous calls.
func DiscoveryScanner() Scanner {
	return func(ctx context.Context, loginsFor func(inventory.Discovered) []discovery.Credential, onFound func(discovery.Device)) (discovery.Stats, error) {
		return discovery.Scan(ctx, discovery.Config{Identify: discovery.IdentifyConfig{CredentialsFor: loginsFor}}, onFound)
	}
}

// Logins is what the GUI needs from the saved camera and recorder logins.
// *credentials.Vault satisfies it.
//
// Concurrency: List, Persistent and StoreErr are called on the UI
// goroutine and must not block; ForDevices is called from a background
// goroutine as a scan starts; Add and Remove talk to the OS credential
// store, which may wait for the person to unlock it, so the GUI calls them
// from background goroutines. Implementations must be safe for concurrent use.
type Logins interface {
	// List returns the saved logins without their passwords.
	List() []credentials.Set
	// Add saves a login and returns it with its ID, without its password.
	Add(s credentials.Set) (credentials.Set, error)
	// Remove deletes a saved login.
	Remove(id string) error
	// ForDevices returns what a scan asks each device with: first, then
	// the logins saved for the device, its site or all sites, the device
	// found among devices (the inventory's) by what WS-Discovery says.
	ForDevices(devices []inventory.Device, first []discovery.Credential) *credentials.Resolver
	// Persistent reports whether logins outlive the program.
	Persistent() bool
	// StoreErr is why they do not, or nil.
	StoreErr() error
	// Secrets keep the mail server's password beside the logins.
	Secrets
}

var _ Logins = (*credentials.Vault)(nil)

// Secrets keep the few passwords SiteKeeper itself needs, by name (the mail
// server's is credentials.MailPassword): in the OS credential store when
// Persistent, never in the inventory file. *credentials.Vault satisfies it.
//
// Concurrency: Persistent and StoreErr are called on the UI goroutine and
// must not block; SaveSecret, LoadSecret and DeleteSecret may wait for the
// person to unlock the credential store, so the GUI calls them from
// background goroutines. Implementations must be safe for concurrent use.
type Secrets interface {
	// SaveSecret keeps a secret; an empty one deletes it.
	SaveSecret(name string, value credentials.Secret) error
	// LoadSecret returns a secret, or "" when none is saved.
	LoadSecret(name string) (credentials.Secret, error)
	// DeleteSecret forgets a secret.
	DeleteSecret(name string) error
	// Persistent reports whether secrets outlive the program.
	Persistent() bool
	// StoreErr is why they do not, or nil.
	StoreErr() error
}

// Options configure the GUI.
type Options struct {
	// DBPath is the inventory file, shown in Settings.
	DBPath string
	// Version is the app version, shown in Settings.
	Version string
	// Scanner scans the network for devices; nil hides scanning.
	Scanner Scanner
	// Logins are the saved camera and recorder logins that a scan tries,
	// and the mail server's password; nil hides the logins and keeps the
	// password for this session only.
	Logins Logins
	// Watch runs the background health checks; nil runs none.
	Watch Watch
	// Checks takes the check settings saved in Settings into the running
	// checks; nil when there are none.
	Checks Checks
	// LandOnDashboard opens on the Dashboard when the inventory has
	// devices (main sets it; tests start on Devices).
	LandOnDashboard bool
}

// csvTemplate is the header line shown as a template on the empty Devices
// view: the columns of transfer's device list that most sites already keep
// in a spreadsheet. A test checks that transfer.Import reads every one.
const csvTemplate = "name,site,location,ip,mac,manufacturer,model,serial,install_date,warranty_end,replacement_cost,notes"
