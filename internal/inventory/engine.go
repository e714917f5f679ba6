package inventory

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// engine implements Store over a kvEngine; DB (bbolt) and Memory embed it,
// so both run the same code and differ only in where the bytes go.
type engine struct {
	kv  kvEngine
	now func() time.Time
}

func newEngine(kv kvEngine) *engine { return &engine{kv: kv, now: time.Now} }

var _ Store = (*engine)(nil)

// Close releases the store.
func (e *engine) Close() error { return e.kv.close() }

// Devices lists every device, in ID order. The raw records are copied out
// of the transaction and decoded on all cores: decoding is most of the time
// the window waits for at start.
func (e *engine) Devices(ctx context.Context) ([]Device, error) {
	var buf []byte
	var ends []int
	err := e.kv.view(ctx, func(tx kvTx) error {
		return tx.scan(bucketDevices, nil, func(_, v []byte) error {
			buf = append(buf, v...)
			ends = append(ends, len(buf))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	out := make([]Device, len(ends))
	workers := min(runtime.GOMAXPROCS(0), len(ends)/512+1)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * len(ends) / workers; i < (w+1)*len(ends)/workers; i++ {
				start := 0
				if i > 0 {
					start = ends[i-1]
				}
				if err := json.Unmarshal(buf[start:ends[i]], &out[i]); err != nil {
					errs[w] = fmt.Errorf("device record %d: %w: %v", i+1, ErrCorrupt, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// Device returns one device or ErrNotFound.
func (e *engine) Device(ctx context.Context, id string) (Device, error) {
	var d Device
	err := e.kv.view(ctx, func(tx kvTx) error {
		var err error
		d, err = getDevice(tx, id)
		return err
	})
	return d, err
}

func getDevice(tx kvTx, id string) (Device, error) {
	v := tx.get(bucketDevices, []byte(id))
	if v == nil {
		return Device{}, fmt.Errorf("device %s: %w", id, ErrNotFound)
	}
	var d Device
	if err := json.Unmarshal(v, &d); err != nil {
		return Device{}, fmt.Errorf("device %s: %w: %v", id, ErrCorrupt, err)
	}
	return d, nil
}

// putDevice writes d and keeps the match indexes in step with it; old is
// the stored version, or nil for a new device.
func putDevice(tx kvTx, d *Device, old *Device) error {
	v, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := tx.put(bucketDevices, []byte(d.ID), v); err != nil {
		return err
	}
	return reindex(tx, d.ID, old, d)
}

func addEvent(tx kvTx, id string, ev Event) error {
	seq, err := tx.nextSequence(bucketEvents)
	if err != nil {
		return err
	}
	v, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return tx.put(bucketEvents, eventKey(id, seq), v)
}

// newID returns a random 64-bit ID in hex: random rather than sequential so
// that devices from two inventories (a consultant's audits) never collide.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// prepare validates a person's device and fills what the store owns.
func prepare(d *Device) error {
	if err := Validate(d); err != nil {
		return err
	}
	if d.Lifecycle.State == "" {
		d.Lifecycle.State = StateActive
	}
	return nil
}

// Create adds a device that a person entered.
func (e *engine) Create(ctx context.Context, d Device) (Device, error) {
	out, err := e.add(ctx, []Device{d}, Event{Kind: EventAdded}, nil)
	if err != nil {
		return Device{}, err
	}
	return out[0], nil
}

// Import adds devices in one transaction. A device with an ID keeps it
// (that is how a JSON export comes back); ID clashes are refused.
func (e *engine) Import(ctx context.Context, devices []Device, progress func(done, total int)) ([]Device, error) {
	return e.add(ctx, devices, Event{Kind: EventImported}, progress)
}

// add writes new devices, each with the creation event ev, in one transaction.
func (e *engine) add(ctx context.Context, devices []Device, ev Event, progress func(done, total int)) ([]Device, error) {
	out := make([]Device, len(devices))
	for i := range devices {
		out[i] = devices[i].Clone()
		if err := prepare(&out[i]); err != nil {
			return nil, fmt.Errorf("device %d (%s): %w", i+1, out[i].DisplayName(), err)
		}
	}
	now := e.now().UTC()
	err := e.kv.update(ctx, func(tx kvTx) error {
		for i := range out {
			d := &out[i]
			if d.ID == "" {
				d.ID = newID()
			} else if err := checkID(d.ID); err != nil {
				return err
			} else if tx.get(bucketDevices, []byte(d.ID)) != nil {
				return fmt.Errorf("device %s (%s) is already in the inventory", d.ID, d.DisplayName())
			}
			if err := checkUnique(tx, d); err != nil {
				return fmt.Errorf("device %d (%s): %w", i+1, d.DisplayName(), err)
			}
			if err := putDevice(tx, d, nil); err != nil {
				return err
			}
			ev.Time = now
			if err := addEvent(tx, d.ID, ev); err != nil {
				return err
			}
			if progress != nil {
				progress(i+1, len(out))
			}
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// restoreDevice writes a device exactly as exported, with its history: the
// JSON import path, so that an export imported into an empty inventory
// reproduces it. It is refused if the ID exists.
func restoreDevice(tx kvTx, d *Device, events []Event) error {
	if tx.get(bucketDevices, []byte(d.ID)) != nil {
		return fmt.Errorf("device %s (%s) is already in the inventory", d.ID, d.DisplayName())
	}
	if err := putDevice(tx, d, nil); err != nil {
		return err
	}
	for _, ev := range events {
		if err := addEvent(tx, d.ID, ev); err != nil {
			return err
		}
	}
	return nil
}

// Snapshot is what a JSON import restores: devices with their histories,
// and optionally the inventory's settings and sites.
type Snapshot struct {
	Records  []Record
	Settings *Settings // nil: keep the inventory's
	Sites    []Site    // each added, or replacing the site of the same name
}

// Restore writes a snapshot — devices exactly as exported, with IDs and
// histories, then settings and sites — in one transaction: all or nothing.
// It stops, keeping nothing, when ctx ends.
func (e *engine) Restore(ctx context.Context, snap Snapshot, progress func(done, total int)) error {
	records := snap.Records
	for i := range records {
		if err := checkID(records[i].Device.ID); err != nil {
			return fmt.Errorf("record %d: %w", i+1, err)
		}
		if err := Validate(&records[i].Device); err != nil {
			return fmt.Errorf("device %s: %w", records[i].Device.ID, err)
		}
	}
	var settings []byte
	if snap.Settings != nil {
		s, err := normaliseSettings(*snap.Settings)
		if err != nil {
			return err
		}
		if settings, err = json.Marshal(s); err != nil {
			return err
		}
	}
	return e.kv.update(ctx, func(tx kvTx) error {
		for i := range records {
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := restoreDevice(tx, &records[i].Device, records[i].Events); err != nil {
				return err
			}
			if progress != nil {
				progress(i+1, len(records))
			}
		}
		if settings != nil {
			if err := tx.put(bucketMeta, keySettings, settings); err != nil {
				return err
			}
		}
		for _, site := range snap.Sites {
			if err := putSite(tx, site); err != nil {
				return err
			}
		}
		return ctx.Err()
	})
}

// checkID refuses IDs that could not have come from newID's family: event
// keys put a NUL after the ID, so an ID must never contain one, and
// people's scripts read IDs back, so they stay short and printable.
func checkID(id string) error {
	if id == "" || len(id) > 64 || strings.IndexFunc(id, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_' || r == '.')
	}) >= 0 {
		return &FieldError{Field: "id", Value: id, Reason: "is not a device ID (letters, digits, - _ . only, at most 64)"}
	}
	return nil
}

// checkUnique refuses a person's device whose serial number or MAC address
// is already another device's: a second entry for one device would split
// its history, and the next scan would update only one of them.
func checkUnique(tx kvTx, d *Device) error {
	keys := deviceKeys(d)
	for _, kind := range []keyKind{keySerial, keyMAC} {
		for _, k := range keys[kind] {
			other := string(tx.get(indexBucket[kind], []byte(k)))
			if other == "" || other == d.ID {
				continue
			}
			name := other
			if od, err := getDevice(tx, other); err == nil {
				name = od.DisplayName()
			}
			field, value := "mac", d.MAC()
			if kind == keySerial {
				field, value = "serial", d.Serial()
			}
			return &FieldError{Field: field, Value: value, Reason: fmt.Sprintf("already belongs to another device in the inventory (%s); change that device instead", name)}
		}
	}
	return nil
}

// Record is a device with its history: the unit of a JSON export.
type Record struct {
	Device
	Events []Event `json:"events,omitempty"`
}

// Snapshot returns the whole inventory — every device with its history in
// ID order, the settings and the sites — from one transaction, so that an
// export taken during a scan is one consistent picture. Restore takes it back.
func (e *engine) Snapshot(ctx context.Context) (Snapshot, error) {
	var snap Snapshot
	err := e.kv.view(ctx, func(tx kvTx) error {
		byID := map[string]int{}
		if err := tx.scan(bucketDevices, nil, func(k, v []byte) error {
			var r Record
			if err := json.Unmarshal(v, &r.Device); err != nil {
				return fmt.Errorf("device %s: %w: %v", k, ErrCorrupt, err)
			}
			byID[r.ID] = len(snap.Records)
			snap.Records = append(snap.Records, r)
			return nil
		}); err != nil {
			return err
		}
		if err := tx.scan(bucketEvents, nil, func(k, v []byte) error {
			id, _, _ := strings.Cut(string(k), "\x00")
			i, ok := byID[id]
			if !ok {
				return nil
			}
			var ev Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return fmt.Errorf("event of %s: %w: %v", id, ErrCorrupt, err)
			}
			snap.Records[i].Events = append(snap.Records[i].Events, ev)
			return nil
		}); err != nil {
			return err
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		snap.Settings = &settings
		snap.Sites, err = readSites(tx)
		return err
	})
	return snap, err
}

// Save stores a person's edit of Known and Lifecycle and records what changed.
func (e *engine) Save(ctx context.Context, d Device) error {
	d = d.Clone()
	if err := prepare(&d); err != nil {
		return err
	}
	now := e.now().UTC()
	return e.kv.update(ctx, func(tx kvTx) error {
		old, err := getDevice(tx, d.ID)
		if err != nil {
			return err
		}
		d.Discovered = old.Discovered // the scan's, not the form's
		changes := knownChanges(&old, &d)
		if len(changes) == 0 {
			return nil
		}
		if err := checkUnique(tx, &d); err != nil {
			return err
		}
		if err := putDevice(tx, &d, &old); err != nil {
			return err
		}
		for _, ev := range lifecycleEvents(&old, &d, now) {
			if err := addEvent(tx, d.ID, ev); err != nil {
				return err
			}
		}
		return addEvent(tx, d.ID, Event{Time: now, Kind: EventEdited, Detail: "changed " + strings.Join(changes, ", ")})
	})
}

func lifecycleEvents(old, d *Device, now time.Time) []Event {
	if old.State() == d.State() {
		return nil
	}
	switch d.State() {
	case StateReplaced:
		return []Event{{Time: now, Kind: EventReplaced, Detail: d.Lifecycle.Reason, New: d.Lifecycle.Successor}}
	case StateDecommissioned:
		return []Event{{Time: now, Kind: EventDecommissioned, Detail: d.Lifecycle.Reason}}
	}
	return nil
}

// knownChanges names the person-owned fields that differ, for the history.
func knownChanges(old, d *Device) []string {
	var out []string
	a, b := old.Known, d.Known
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("name", a.Name != b.Name)
	add("site", a.Site != b.Site)
	add("location", a.Location != b.Location)
	add("manufacturer", a.Manufacturer != b.Manufacturer)
	add("model", a.Model != b.Model)
	add("serial", a.Serial != b.Serial)
	add("mac", a.MAC != b.MAC)
	add("class", a.Class != b.Class)
	add("OT owner", a.OTOwner != b.OTOwner)
	add("IT owner", a.ITOwner != b.ITOwner)
	add("budget owner", a.BudgetOwner != b.BudgetOwner)
	add("install date", a.InstallDate != b.InstallDate)
	add("purchase date", a.PurchaseDate != b.PurchaseDate)
	add("warranty end", a.WarrantyEnd != b.WarrantyEnd)
	add("end of support", a.EndOfSupport != b.EndOfSupport)
	add("expected life", a.ExpectedLifeYears != b.ExpectedLifeYears)
	add("replacement cost", a.ReplacementCost != b.ReplacementCost || a.ReplacementCostEstimated != b.ReplacementCostEstimated)
	add("strategy", a.Strategy != b.Strategy)
	add("notes", a.Notes != b.Notes)
	add("lifecycle", old.Lifecycle != d.Lifecycle)
	return out
}

// Delete removes a device, its indexes and its history: events, health
// status, outages and check counts. Its alerts stay: they record what
// people were told, and a listing names a deleted device by its ID.
func (e *engine) Delete(ctx context.Context, id string) error {
	return e.kv.update(ctx, func(tx kvTx) error {
		old, err := getDevice(tx, id)
		if err != nil {
			return err
		}
		if err := reindex(tx, id, &old, nil); err != nil {
			return err
		}
		if err := tx.del(bucketDevices, []byte(id)); err != nil {
			return err
		}
		return deleteHistory(tx, id)
	})
}

// Events returns a device's history, oldest first.
func (e *engine) Events(ctx context.Context, id string) ([]Event, error) {
	var out []Event
	err := e.kv.view(ctx, func(tx kvTx) error {
		if tx.get(bucketDevices, []byte(id)) == nil {
			return fmt.Errorf("device %s: %w", id, ErrNotFound)
		}
		return tx.scan(bucketEvents, devicePrefix(id), func(_, v []byte) error {
			var ev Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return fmt.Errorf("event of %s: %w: %v", id, ErrCorrupt, err)
			}
			out = append(out, ev)
			return nil
		})
	})
	return out, err
}

// Sites lists the sites by name.
func (e *engine) Sites(ctx context.Context) ([]Site, error) {
	var out []Site
	err := e.kv.view(ctx, func(tx kvTx) error {
		var err error
		out, err = readSites(tx)
		return err
	})
	return out, err
}

func readSites(tx kvTx) ([]Site, error) {
	var out []Site
	err := tx.scan(bucketSites, nil, func(k, v []byte) error {
		var s Site
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("site %s: %w: %v", k, ErrCorrupt, err)
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// PutSite adds or replaces a site, keyed by its name in any case.
func (e *engine) PutSite(ctx context.Context, s Site) error {
	return e.kv.update(ctx, func(tx kvTx) error { return putSite(tx, s) })
}

func putSite(tx kvTx, s Site) error {
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" {
		return &FieldError{Field: "site", Value: "", Reason: "needs a name"}
	}
	v, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.put(bucketSites, []byte(strings.ToLower(s.Name)), v)
}

// Settings returns the inventory-wide settings, with defaults filled in.
func (e *engine) Settings(ctx context.Context) (Settings, error) {
	var s Settings
	err := e.kv.view(ctx, func(tx kvTx) error {
		var err error
		s, err = readSettings(tx)
		return err
	})
	return s, err
}

func readSettings(tx kvTx) (Settings, error) {
	var s Settings
	if v := tx.get(bucketMeta, keySettings); v != nil {
		if err := json.Unmarshal(v, &s); err != nil {
			return Settings{}, fmt.Errorf("settings: %w: %v", ErrCorrupt, err)
		}
	}
	if s.Currency == "" {
		s.Currency = DefaultCurrency
	}
	return s, nil
}

// PutSettings replaces the inventory-wide settings.
func (e *engine) PutSettings(ctx context.Context, s Settings) error {
	s, err := normaliseSettings(s)
	if err != nil {
		return err
	}
	v, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return e.kv.update(ctx, func(tx kvTx) error { return tx.put(bucketMeta, keySettings, v) })
}

func normaliseSettings(s Settings) (Settings, error) {
	if s.Currency != "" {
		c, err := ParseCurrency(s.Currency)
		if err != nil {
			return Settings{}, err
		}
		s.Currency = c
	}
	s.Organisation = strings.TrimSpace(s.Organisation)
	c, err := normaliseChecks(s.Checks)
	if err != nil {
		return Settings{}, err
	}
	s.Checks = c
	if err := checkPlanSettings(s.Plan); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// checkPlanSettings refuses plan defaults no plan can use.
func checkPlanSettings(p PlanSettings) error {
	var errs []error
	for _, c := range slices.Sorted(maps.Keys(p.ClassCost)) {
		if p.ClassCost[c] < 0 {
			errs = append(errs, &FieldError{Field: "class_cost[" + string(c) + "]", Value: p.ClassCost[c].String(), Reason: "is negative; a cost must be zero or more"})
		}
	}
	for _, c := range slices.Sorted(maps.Keys(p.ClassLifeYears)) {
		if n := p.ClassLifeYears[c]; n < 0 || n > 50 {
			errs = append(errs, &FieldError{Field: "class_life_years[" + string(c) + "]", Value: strconv.Itoa(n), Reason: "must be between 0 and 50 years"})
		}
	}
	if v := p.PriceIncreasePercent; v < 0 || v > 100 {
		errs = append(errs, &FieldError{Field: "price_increase_percent", Value: strconv.FormatFloat(v, 'f', -1, 64), Reason: "must be between 0 and 100"})
	}
	return errors.Join(errs...)
}

// The bounds of a check interval a person may choose: more often than every
// 10 s would load fragile OT devices and their network, and less often than
// daily is not watching any more (zero keeps the default).
const (
	MinCheckInterval = 10 * time.Second
	MaxCheckInterval = 24 * time.Hour
)

// normaliseChecks refuses intervals out of bounds and trims the words a
// person typed. Pauses that ended are kept: the store does not read the
// clock, and the scheduler ignores them.
func normaliseChecks(c CheckSettings) (CheckSettings, error) {
	check := func(field, key string, n int) error {
		if n == 0 || n >= int(MinCheckInterval/time.Second) && n <= int(MaxCheckInterval/time.Second) {
			return nil
		}
		if key != "" {
			field += "[" + key + "]"
		}
		return &FieldError{Field: field, Value: strconv.Itoa(n) + " s", Reason: "must be between 10 seconds and 24 hours"}
	}
	errs := []error{check("check_interval", "", c.IntervalSeconds)}
	for _, k := range slices.Sorted(maps.Keys(c.SiteIntervalSeconds)) {
		errs = append(errs, check("site_check_interval", k, c.SiteIntervalSeconds[k]))
	}
	for _, k := range slices.Sorted(maps.Keys(c.ClassIntervalSeconds)) {
		errs = append(errs, check("class_check_interval", string(k), c.ClassIntervalSeconds[k]))
	}
	for _, k := range slices.Sorted(maps.Keys(c.DeviceIntervalSeconds)) {
		errs = append(errs, check("device_check_interval", k, c.DeviceIntervalSeconds[k]))
	}
	if err := errors.Join(errs...); err != nil {
		return CheckSettings{}, err
	}
	c.SNMPCommunity = strings.TrimSpace(c.SNMPCommunity)
	if len(c.Pauses) > 0 {
		ps := make([]Pause, len(c.Pauses))
		for i, p := range c.Pauses {
			p.DeviceID = strings.TrimSpace(p.DeviceID)
			p.Site = strings.TrimSpace(p.Site)
			p.Reason = strings.TrimSpace(p.Reason)
			ps[i] = p
		}
		c.Pauses = ps
	}
	return c, nil
}

// Reconcile folds a scan's findings into the inventory in one transaction.
func (e *engine) Reconcile(ctx context.Context, found []Discovered, now time.Time) (ReconcileResult, error) {
	var res ReconcileResult
	err := e.kv.update(ctx, func(tx kvTx) error {
		var err error
		res, err = reconcile(tx, found, now.UTC())
		return err
	})
	if err != nil {
		return ReconcileResult{}, err
	}
	return res, nil
}
