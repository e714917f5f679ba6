// Package watch is the scheduler of SiteKeeper's background checks: it
// checks each active device at its own interval, within a bounded number of
// workers and packet rates gentle to fragile OT devices, turns the results
// into debounced health changes (online, degraded, offline, with flapping
// held back) and records those changes and daily check tallies in the store.
//
// The rules, in one place:
//
//   - Interval: the device's own, else its class's, else its site's, else
//     Config.Interval (60 s). The first checks are spread over the first
//     interval; later ones are jittered by ±10 %, except while a device is
//     failing, so that "3 failures over 2 minutes" means exactly that.
//   - Worse is debounced, better is immediate. A device goes offline after
//     Config.OfflineAfter consecutive Down results spanning at least
//     Config.OfflineSpan (3 over 2 minutes), and degraded after as many
//     consecutive results that are not Up (Degraded or Down) over the same
//     span. One Up brings it online; one Degraded brings an offline device
//     to degraded, because it answers again. A change's At is the first
//     check of the run that caused it: the best estimate of when an outage
//     began, which is what the recording-gap view needs.
//   - Flapping: the change that would be the (FlapChanges+1)th within
//     FlapWindow (more than 4 in an hour: a third outage within the hour)
//     is recorded with "flapping" in its cause, and the device's health is
//     then held there — no further changes recorded, so one alert instead
//     of a storm — until its debounced state has been steady for FlapQuiet
//     (30 minutes); then the steady state is recorded if it differs.
//   - Snooze (maintenance): a snoozed device, or every device of a snoozed
//     site, is not checked and has no changes or tallies recorded until the
//     snooze ends; then it is checked at once and its debounce starts
//     afresh. Its health stays what it was. Once still checks it, because
//     a person who asks for a check wants the answer.
//   - Rate: at most Config.PacketsPerSecond packets (1,000) in any one
//     second overall and Config.HostPacketsPerSecond (40) to any one
//     address, counted with the packets a device's last check sent (an
//     estimate before its first) and corrected by Outcome.Packets after.
//   - Tallies: OK counts Up and Degraded results (the device answered),
//     Failed counts Down, as inventory's Availability counts degraded as
//     available. They are added to the store every Config.FlushEvery and
//     when Run stops, with a heartbeat per checked device (a change to the
//     health it has, which moves the store's LastCheck); health changes
//     are written within a second of happening.
package watch

import (
	"context"
	"maps"
	"sync"
	"time"

	"sitekeeper/internal/inventory"
)

// Probe is what one check found.
type Probe uint8

// The probe results. The zero value is not a result: the scheduler treats
// it as Down.
const (
	Up Probe = iota + 1
	Degraded
	Down
)

// String names the result.
func (p Probe) String() string {
	switch p {
	case Up:
		return "up"
	case Degraded:
		return "degraded"
	case Down:
		return "down"
	}
	return "none"
}

// Health is the health one result would mean with no debounce, as Once
// reports it.
func (p Probe) Health() Health {
	switch p {
	case Up:
		return HealthOnline
	case Degraded:
		return HealthDegraded
	}
	return HealthOffline
}

// Outcome is the result of checking one device.
type Outcome struct {
	State Probe
	// Cause says in plain words what was found ("no answer to ping",
	// "RTSP port 554 refused").
	Cause string
	// Problems are the kinds of problem behind a Degraded result
	// (health.Problem*), passed on with the change they cause.
	Problems []string
	// Packets is how many packets the check sent, for the rate limits.
	Packets int
}

// Checker checks a device. Check is called from many goroutines at once,
// never twice at once for the same device; it must return soon after ctx
// ends (the scheduler bounds each check with Config.CheckTimeout). A
// failure to reach the device is an Outcome, not a panic or a hang.
type Checker interface {
	Check(ctx context.Context, d inventory.Device) Outcome
}

// Store is what the scheduler reads and writes. Methods are called from
// the scheduler's own goroutines, one call at a time per method.
type Store interface {
	// Devices lists every device; only active ones are checked.
	Devices(ctx context.Context) ([]inventory.Device, error)
	// RecordStatus stores health changes. A change to the health a device
	// already has is a heartbeat that moves its LastCheck; a change dated
	// before its current status began, or of a device not in the store
	// (inventory.ErrNotFound), refuses the batch.
	RecordStatus(ctx context.Context, changes []StatusChange) error
	// RecordChecks adds each tally's counts to the counts already stored
	// for that device and day (the scheduler sends only what is new); a
	// device not in the store (inventory.ErrNotFound) refuses the batch.
	RecordChecks(ctx context.Context, tallies []CheckTally) error
	// Statuses returns every device's last recorded health, by device ID.
	Statuses(ctx context.Context) (map[string]DeviceStatus, error)
}

// Defaults for the zero Config.
const (
	DefaultInterval             = 60 * time.Second
	DefaultWorkers              = 32
	DefaultPacketsPerSecond     = 1000 // runZero's safe default, overall
	DefaultHostPacketsPerSecond = 40   // runZero's safe default, per host
	DefaultPacketsPerCheck      = 20
	DefaultOfflineAfter         = 3
	DefaultOfflineSpan          = 2 * time.Minute
	DefaultFlapChanges          = 4
	DefaultFlapWindow           = time.Hour
	DefaultFlapQuiet            = 30 * time.Minute
	DefaultCheckTimeout         = 30 * time.Second
	DefaultFlushEvery           = 5 * time.Minute
	DefaultRefreshEvery         = time.Minute
)

const (
	jitter      = 0.10             // ± share of the interval
	batchWindow = time.Second      // changes are written at most this late
	finalWrite  = 10 * time.Second // the writes after Run's ctx ended
	busyRetry   = time.Second      // a device Once is checking is tried again this late
)

// Config tunes a Watcher. Zero fields take the defaults above; interval
// overrides of zero or less are ignored.
type Config struct {
	Interval       time.Duration
	SiteInterval   map[string]time.Duration          // by site name
	ClassInterval  map[inventory.Class]time.Duration // by class
	DeviceInterval map[string]time.Duration          // by device ID

	// Workers bounds the checks running at once, Run's and Once's together.
	Workers int
	// PacketsPerSecond bounds the packets sent in any one second overall,
	// HostPacketsPerSecond those sent to any one address.
	PacketsPerSecond     int
	HostPacketsPerSecond int
	// PacketsPerCheck is the estimate used before a device's first check.
	PacketsPerCheck int
	// CheckTimeout bounds one check of one device.
	CheckTimeout time.Duration

	// OfflineAfter consecutive failures spanning at least OfflineSpan take
	// a device offline (or degraded; see the package comment).
	OfflineAfter int
	OfflineSpan  time.Duration
	// More than FlapChanges changes within FlapWindow is flapping; it ends
	// when the state has been steady for FlapQuiet.
	FlapChanges int
	FlapWindow  time.Duration
	FlapQuiet   time.Duration

	// FlushEvery is how often tallies are written; RefreshEvery how often
	// the device list is read again (Refresh asks for it at once).
	FlushEvery   time.Duration
	RefreshEvery time.Duration

	// Snoozes in force when the Watcher starts (see Watcher.Snooze).
	Snoozes []Snooze

	// OnChange, if set, is called with each batch of changes after the
	// store accepted it, from the writer goroutine; it must not block.
	OnChange func([]StatusChange)
	// OnError, if set, is told of errors Run carries on after (a failed
	// write is retried; a failed refresh keeps the old list). It is called
	// from the scheduler's goroutines and must not block.
	OnError func(error)
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

func (c Config) withDefaults() Config {
	c.Interval = orDefault(c.Interval, DefaultInterval)
	c.SiteInterval = maps.Clone(c.SiteInterval)
	c.ClassInterval = maps.Clone(c.ClassInterval)
	c.DeviceInterval = maps.Clone(c.DeviceInterval)
	c.Workers = orDefault(c.Workers, DefaultWorkers)
	c.PacketsPerSecond = orDefault(c.PacketsPerSecond, DefaultPacketsPerSecond)
	c.HostPacketsPerSecond = orDefault(c.HostPacketsPerSecond, DefaultHostPacketsPerSecond)
	c.PacketsPerCheck = orDefault(c.PacketsPerCheck, DefaultPacketsPerCheck)
	c.CheckTimeout = orDefault(c.CheckTimeout, DefaultCheckTimeout)
	c.OfflineAfter = orDefault(c.OfflineAfter, DefaultOfflineAfter)
	c.OfflineSpan = orDefault(c.OfflineSpan, DefaultOfflineSpan)
	c.FlapChanges = orDefault(c.FlapChanges, DefaultFlapChanges)
	c.FlapWindow = orDefault(c.FlapWindow, DefaultFlapWindow)
	c.FlapQuiet = orDefault(c.FlapQuiet, DefaultFlapQuiet)
	c.FlushEvery = orDefault(c.FlushEvery, DefaultFlushEvery)
	c.RefreshEvery = orDefault(c.RefreshEvery, DefaultRefreshEvery)
	return c
}

// interval resolves a device's interval: device, class, site, default.
func (c *Config) interval(d *inventory.Device) time.Duration {
	if v := c.DeviceInterval[d.ID]; v > 0 {
		return v
	}
	if v := c.ClassInterval[d.Class()]; v > 0 {
		return v
	}
	if v := c.SiteInterval[d.Known.Site]; v > 0 {
		return v
	}
	return c.Interval
}

// Result is one device's check by Once.
type Result struct {
	Device  inventory.Device
	Outcome Outcome
	At      time.Time     // when the check started
	Took    time.Duration // how long it ran
	// Snoozed: the device or its site is snoozed; Once checked it anyway.
	Snoozed bool
}

// Watcher schedules the checks. Its methods are safe for concurrent use;
// Run runs at most once at a time.
type Watcher struct {
	store   Store
	checker Checker
	cfg     Config
	limit   *limiter
	slots   chan struct{} // one per running check, Run's and Once's
	rand    func() float64
	wake    chan struct{} // snoozes changed
	refresh chan struct{} // Refresh was called

	mu      sync.Mutex
	busy    map[string]chan struct{} // devices being checked; closed when done
	snoozes map[snoozeKey]Snooze
	status  map[string]DeviceStatus
}

// New returns a Watcher that checks store's devices with checker.
func New(store Store, checker Checker, cfg Config) *Watcher {
	cfg = cfg.withDefaults()
	w := &Watcher{
		store:   store,
		checker: checker,
		cfg:     cfg,
		limit:   newLimiter(cfg.PacketsPerSecond, cfg.HostPacketsPerSecond),
		slots:   make(chan struct{}, cfg.Workers),
		rand:    randFloat,
		wake:    make(chan struct{}, 1),
		refresh: make(chan struct{}, 1),
		busy:    map[string]chan struct{}{},
		snoozes: map[snoozeKey]Snooze{},
		status:  map[string]DeviceStatus{},
	}
	for _, s := range cfg.Snoozes {
		w.Snooze(s)
	}
	return w
}

// Refresh asks a running Run to read the device list again now.
func (w *Watcher) Refresh() { signal(w.refresh) }

// Statuses returns each checked device's health as Run last judged it,
// by device ID: the stored status until Run has checked it.
func (w *Watcher) Statuses() map[string]DeviceStatus {
	w.mu.Lock()
	defer w.mu.Unlock()
	return maps.Clone(w.status)
}

func (w *Watcher) setStatus(id string, s DeviceStatus) {
	w.mu.Lock()
	w.status[id] = s
	w.mu.Unlock()
}

// tryLock marks a device as being checked, unless it already is.
func (w *Watcher) tryLock(id string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.busy[id]; ok {
		return false
	}
	w.busy[id] = make(chan struct{})
	return true
}

// lock waits until a device is not being checked and marks it as being.
func (w *Watcher) lock(ctx context.Context, id string) error {
	for {
		w.mu.Lock()
		done, ok := w.busy[id]
		if !ok {
			w.busy[id] = make(chan struct{})
			w.mu.Unlock()
			return nil
		}
		w.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (w *Watcher) unlock(id string) {
	w.mu.Lock()
	close(w.busy[id])
	delete(w.busy, id)
	w.mu.Unlock()
}

func (w *Watcher) report(err error) {
	if w.cfg.OnError != nil {
		w.cfg.OnError(err)
	}
}

// signal wakes a goroutine waiting on c without ever blocking.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
