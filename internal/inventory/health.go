package inventory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Health is what the health checks last decided about a device.
type Health string

// The health states. Degraded is a device that answers but not fully (ping
// yes, video port no); it counts as available in Availability.
const (
	HealthUnknown  Health = "" // never checked
	HealthOnline   Health = "online"
	HealthDegraded Health = "degraded"
	HealthOffline  Health = "offline"
)

// ErrNotChecked: the device has no health history in the period asked about
// (it was never checked, or only after the period ended).
var ErrNotChecked = errors.New("the device was not checked in that period")

// StatusChange is a debounced change of a device's health, decided by the
// scheduler. A change to the health the device already has is a heartbeat:
// it moves DeviceStatus.LastCheck and records nothing else.
type StatusChange struct {
	DeviceID string
	At       time.Time
	To       Health
	Cause    string
	// Problems are the kinds of problem behind a change to degraded
	// (internal/health's Problem* constants), for the alert's wording and
	// the reports' findings; DeviceStatus keeps them.
	Problems []string `json:"problems,omitempty"`
}

// DeviceStatus is a device's current health: since when, why, and when it
// was last checked (the latest StatusChange recorded for it).
type DeviceStatus struct {
	Health Health
	Since  time.Time
	Cause  string
	// Problems are the kinds of problem behind a degraded status (see
	// StatusChange.Problems).
	Problems  []string
	LastCheck time.Time
}

// Outage is a period in which a device was offline or degraded. End is zero
// while it lasts.
type Outage struct {
	DeviceID string
	Start    time.Time
	End      time.Time // zero: still down
	Health   Health    // HealthOffline or HealthDegraded
	Cause    string
}

// CheckTally is one day's check counts of a device; RecordChecks adds them
// to what is stored for that day, so the scheduler may flush as often as it
// likes. Day is the scheduler's calendar day.
type CheckTally struct {
	DeviceID string
	Day      Date
	OK       int
	Failed   int
}

// statusRecord is a device's DeviceStatus as stored, with the time of its
// first check: Availability does not count the time before it.
type statusRecord struct {
	Health     Health    `json:"health"`
	Since      time.Time `json:"since"`
	Cause      string    `json:"cause,omitempty"`
	Problems   []string  `json:"problems,omitempty"`
	LastCheck  time.Time `json:"last_check"`
	FirstCheck time.Time `json:"first_check"`
}

// outageRecord is an Outage as stored; the device and the start are the key.
type outageRecord struct {
	End    time.Time `json:"end,omitzero"`
	Health Health    `json:"health"`
	Cause  string    `json:"cause,omitempty"`
}

// tallyMonth is a device's check counts for one month, day n at index
// n-1; the device and the month are the key. One record a month rather
// than one a day keeps a year of 1,000 devices at 12,000 keys: bbolt's
// per-key overhead and half-filled pages made daily keys five times larger.
type tallyMonth struct {
	OK     []int `json:"ok"`
	Failed []int `json:"failed"`
}

func (m *tallyMonth) add(day, ok, failed int) {
	for len(m.OK) < day {
		m.OK = append(m.OK, 0)
	}
	for len(m.Failed) < day {
		m.Failed = append(m.Failed, 0)
	}
	m.OK[day-1] += ok
	m.Failed[day-1] += failed
}

// errStop ends a scan early; the scans that use it never return it.
var errStop = errors.New("stop")

func checkChange(c *StatusChange) error {
	switch {
	case c.To != HealthOnline && c.To != HealthDegraded && c.To != HealthOffline:
		return fmt.Errorf("status of device %s: %q is not a health a check can decide (online, degraded, offline)", c.DeviceID, c.To)
	case c.At.Before(time.Unix(0, 0)) || c.At.Year() > 2200:
		return fmt.Errorf("status of device %s: time %v is out of range", c.DeviceID, c.At)
	}
	return nil
}

// RecordStatus stores the scheduler's health changes in one transaction:
// it opens and closes outages, updates each device's current status and
// adds "offline", "online" and "degraded" events to its history. A device ID
// not in the inventory, or a change dated before the device's current
// status began, refuses the whole batch. Changes are applied in time order.
func (e *engine) RecordStatus(ctx context.Context, changes []StatusChange) error {
	cs := slices.Clone(changes)
	for i := range cs {
		if err := checkChange(&cs[i]); err != nil {
			return err
		}
		cs[i].At = cs[i].At.UTC()
	}
	slices.SortStableFunc(cs, func(a, b StatusChange) int { return a.At.Compare(b.At) })
	return e.kv.update(ctx, func(tx kvTx) error {
		for i := range cs {
			if err := applyChange(tx, &cs[i]); err != nil {
				return err
			}
		}
		return ctx.Err()
	})
}

func applyChange(tx kvTx, c *StatusChange) error {
	if tx.get(bucketDevices, []byte(c.DeviceID)) == nil {
		return fmt.Errorf("status of device %s: %w", c.DeviceID, ErrNotFound)
	}
	st, err := getStatus(tx, c.DeviceID)
	if err != nil {
		return err
	}
	if st.Health != HealthUnknown && c.At.Before(st.Since) {
		return fmt.Errorf("status of device %s: change to %s at %v is before its %s status began (%v)", c.DeviceID, c.To, c.At, st.Health, st.Since)
	}
	if st.FirstCheck.IsZero() {
		st.FirstCheck = c.At
	}
	if c.At.After(st.LastCheck) {
		st.LastCheck = c.At
	}
	if c.To == st.Health {
		return putJSON(tx, bucketStatus, []byte(c.DeviceID), st)
	}
	if st.Health == HealthOffline || st.Health == HealthDegraded {
		if err := closeOutage(tx, c.DeviceID, st.Since, c.At); err != nil {
			return err
		}
	}
	if c.To == HealthOffline || c.To == HealthDegraded {
		if err := putJSON(tx, bucketOutages, outageKey(c.DeviceID, c.At), outageRecord{Health: c.To, Cause: c.Cause}); err != nil {
			return err
		}
	}
	if ev, ok := statusEvent(st.Health, c); ok {
		if err := addEvent(tx, c.DeviceID, ev); err != nil {
			return err
		}
	}
	st.Health, st.Since, st.Cause, st.Problems = c.To, c.At, c.Cause, c.Problems
	return putJSON(tx, bucketStatus, []byte(c.DeviceID), st)
}

// statusEvent is the history's line for a change from old: a first check
// that finds the device online is not news.
func statusEvent(old Health, c *StatusChange) (Event, bool) {
	ev := Event{Time: c.At, Detail: c.Cause}
	switch c.To {
	case HealthOffline:
		ev.Kind = EventOffline
	case HealthDegraded:
		ev.Kind = EventDegraded
	case HealthOnline:
		if old == HealthUnknown {
			return Event{}, false
		}
		ev.Kind = EventOnline
	}
	return ev, true
}

func closeOutage(tx kvTx, id string, start, end time.Time) error {
	k := outageKey(id, start)
	v := tx.get(bucketOutages, k)
	if v == nil {
		return fmt.Errorf("device %s: %w (its outage since %v is missing)", id, ErrCorrupt, start)
	}
	var o outageRecord
	if err := json.Unmarshal(v, &o); err != nil {
		return fmt.Errorf("outage of %s: %w: %v", id, ErrCorrupt, err)
	}
	o.End = end
	return putJSON(tx, bucketOutages, k, o)
}

func putJSON(tx kvTx, bucket, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.put(bucket, key, b)
}

func getStatus(tx kvTx, id string) (statusRecord, error) {
	var st statusRecord
	v := tx.get(bucketStatus, []byte(id))
	if v == nil {
		return st, nil
	}
	if err := json.Unmarshal(v, &st); err != nil {
		return st, fmt.Errorf("status of %s: %w: %v", id, ErrCorrupt, err)
	}
	return st, nil
}

// RecordChecks adds each tally to the stored counts of its device and day,
// in one transaction. An unknown device ID refuses the whole batch.
func (e *engine) RecordChecks(ctx context.Context, tallies []CheckTally) error {
	for _, t := range tallies {
		if _, ok := validDate(t.Day.Year, int(t.Day.Month), t.Day.Day); !ok || t.OK < 0 || t.Failed < 0 {
			return fmt.Errorf("checks of device %s on %s: a tally needs a day and counts of zero or more", t.DeviceID, t.Day)
		}
	}
	return e.kv.update(ctx, func(tx kvTx) error {
		for i, t := range tallies {
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if tx.get(bucketDevices, []byte(t.DeviceID)) == nil {
				return fmt.Errorf("checks of device %s: %w", t.DeviceID, ErrNotFound)
			}
			k := tallyKey(t.DeviceID, t.Day)
			var m tallyMonth
			if v := tx.get(bucketTallies, k); v != nil {
				if err := json.Unmarshal(v, &m); err != nil {
					return fmt.Errorf("checks of %s in %d-%02d: %w: %v", t.DeviceID, t.Day.Year, t.Day.Month, ErrCorrupt, err)
				}
			}
			m.add(t.Day.Day, t.OK, t.Failed)
			if err := putJSON(tx, bucketTallies, k, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// Checks returns a device's daily check counts for the days from..to
// (both included), oldest first; days without checks are left out.
func (e *engine) Checks(ctx context.Context, deviceID string, from, to Date) ([]CheckTally, error) {
	var out []CheckTally
	err := e.kv.view(ctx, func(tx kvTx) error {
		if tx.get(bucketDevices, []byte(deviceID)) == nil {
			return fmt.Errorf("checks of device %s: %w", deviceID, ErrNotFound)
		}
		first, last := tallyKey(deviceID, from), tallyKey(deviceID, to)
		return tx.scan(bucketTallies, devicePrefix(deviceID), func(k, v []byte) error {
			year, month, ok := tallyMonthOf(k)
			switch {
			case !ok:
				return fmt.Errorf("checks of %s: %w (key %x)", deviceID, ErrCorrupt, k)
			case bytes.Compare(k, first) < 0:
				return nil
			case bytes.Compare(k, last) > 0:
				return errStop
			}
			var m tallyMonth
			if err := json.Unmarshal(v, &m); err != nil || len(m.OK) != len(m.Failed) {
				return fmt.Errorf("checks of %s in %d-%02d: %w: %v", deviceID, year, month, ErrCorrupt, err)
			}
			for i := range m.OK {
				day := Date{Year: year, Month: month, Day: i + 1}
				if (m.OK[i] != 0 || m.Failed[i] != 0) && !day.Before(from) && !to.Before(day) {
					out = append(out, CheckTally{DeviceID: deviceID, Day: day, OK: m.OK[i], Failed: m.Failed[i]})
				}
			}
			return nil
		})
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return out, err
}

// Statuses returns the current status of every device that has been
// checked, by device ID. Retired devices keep their last status.
func (e *engine) Statuses(ctx context.Context) (map[string]DeviceStatus, error) {
	out := map[string]DeviceStatus{}
	err := e.kv.view(ctx, func(tx kvTx) error {
		return tx.scan(bucketStatus, nil, func(k, v []byte) error {
			var st statusRecord
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("status of %s: %w: %v", k, ErrCorrupt, err)
			}
			out[string(k)] = DeviceStatus{Health: st.Health, Since: st.Since, Cause: st.Cause, Problems: st.Problems, LastCheck: st.LastCheck}
			return nil
		})
	})
	return out, err
}

// deleteHistory removes a device's status, outages and check counts.
func deleteHistory(tx kvTx, id string) error {
	if err := tx.del(bucketStatus, []byte(id)); err != nil {
		return err
	}
	for _, b := range [][]byte{bucketOutages, bucketTallies, bucketEvents} {
		if err := deletePrefix(tx, b, devicePrefix(id)); err != nil {
			return err
		}
	}
	return nil
}

func deletePrefix(tx kvTx, bucket, prefix []byte) error {
	var keys [][]byte
	if err := tx.scan(bucket, prefix, func(k, _ []byte) error {
		keys = append(keys, slices.Clone(k))
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.del(bucket, k); err != nil {
			return err
		}
	}
	return nil
}
