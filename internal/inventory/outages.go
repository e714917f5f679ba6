package inventory

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Outages returns the outages of a device (deviceID "" for every device)
// that overlap [from, to), whole, ordered by start.
func (e *engine) Outages(ctx context.Context, deviceID string, from, to time.Time) ([]Outage, error) {
	var out []Outage
	err := e.kv.view(ctx, func(tx kvTx) error {
		if deviceID != "" && tx.get(bucketDevices, []byte(deviceID)) == nil {
			return fmt.Errorf("outages of device %s: %w", deviceID, ErrNotFound)
		}
		var err error
		out, err = scanOutages(tx, deviceID, from, to)
		return err
	})
	return out, err
}

// scanOutages reads the outages overlapping [from, to), ordered by start.
// A device's outages follow one another without overlapping, so of those
// that start before from only the last can reach into the period: the
// others are skipped undecoded, and a device's scan stops at the first
// outage that starts at or after to.
func scanOutages(tx kvTx, deviceID string, from, to time.Time) ([]Outage, error) {
	var prefix []byte
	if deviceID != "" {
		prefix = devicePrefix(deviceID)
	}
	var out []Outage
	var last struct { // the latest outage seen that starts before from
		id    string
		start time.Time
		v     []byte
	}
	add := func(id string, start time.Time, v []byte) error {
		var r outageRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("outage of %s: %w: %v", id, ErrCorrupt, err)
		}
		if r.End.IsZero() || r.End.After(from) {
			out = append(out, Outage{DeviceID: id, Start: start, End: r.End, Health: r.Health, Cause: r.Cause})
		}
		return nil
	}
	flush := func() error {
		if last.v == nil {
			return nil
		}
		err := add(last.id, last.start, last.v)
		last.v = nil
		return err
	}
	err := tx.scan(bucketOutages, prefix, func(k, v []byte) error {
		id, start, ok := splitOutageKey(k)
		if !ok {
			return fmt.Errorf("outage: %w (key %x)", ErrCorrupt, k)
		}
		if last.v != nil && id != last.id {
			if err := flush(); err != nil {
				return err
			}
		}
		switch {
		case start.Before(from):
			last.id, last.start, last.v = id, start, append(last.v[:0], v...)
			return nil
		case !start.Before(to):
			if err := flush(); err != nil || deviceID != "" {
				return cmp.Or(err, errStop)
			}
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		return add(id, start, v)
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	if err == nil {
		err = flush()
	}
	slices.SortStableFunc(out, func(a, b Outage) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.DeviceID, b.DeviceID))
	})
	return out, err
}

// Availability is the share (0 to 1) of [from, to) in which the device was
// not offline. Degraded counts as available: the device answers, and a
// degraded video port is reported as its own outage (Outages). Time before
// the device's first check and after now is not counted; an outage still
// open counts until now. ErrNotChecked if nothing of the period is left.
func (e *engine) Availability(ctx context.Context, deviceID string, from, to, now time.Time) (float64, error) {
	var share float64
	err := e.kv.view(ctx, func(tx kvTx) error {
		if tx.get(bucketDevices, []byte(deviceID)) == nil {
			return fmt.Errorf("availability of device %s: %w", deviceID, ErrNotFound)
		}
		st, err := getStatus(tx, deviceID)
		if err != nil {
			return err
		}
		lo, hi := from, to
		if st.FirstCheck.After(lo) {
			lo = st.FirstCheck
		}
		if now.Before(hi) {
			hi = now
		}
		if st.FirstCheck.IsZero() || !lo.Before(hi) {
			return fmt.Errorf("availability of device %s from %v to %v: %w", deviceID, from, to, ErrNotChecked)
		}
		outs, err := scanOutages(tx, deviceID, lo, hi)
		if err != nil {
			return err
		}
		var down time.Duration
		for _, o := range outs {
			if o.Health == HealthOffline {
				s, e := clip(o, lo, hi)
				down += e.Sub(s)
			}
		}
		share = 1 - down.Seconds()/hi.Sub(lo).Seconds()
		return nil
	})
	return share, err
}

// clip returns the part of o inside [lo, hi); an open outage lasts to hi.
func clip(o Outage, lo, hi time.Time) (time.Time, time.Time) {
	s, e := o.Start, o.End
	if s.Before(lo) {
		s = lo
	}
	if e.IsZero() || e.After(hi) {
		e = hi
	}
	if e.Before(s) {
		e = s
	}
	return s, e
}

// Gaps returns the recording gaps of a site (site "" for every site): the
// offline outages of cameras and recorders (by Device.Class) in [from, to),
// clipped to it and ordered by start. An outage still open at the end of a
// period that reaches past now keeps End zero: the device is still down.
// Degraded cameras are not in it: Outages has them.
func (e *engine) Gaps(ctx context.Context, site string, from, to time.Time) ([]Outage, error) {
	now := e.now()
	var out []Outage
	err := e.kv.view(ctx, func(tx kvTx) error {
		outs, err := scanOutages(tx, "", from, to)
		if err != nil {
			return err
		}
		recorder := map[string]bool{}
		for _, o := range outs {
			if o.Health != HealthOffline {
				continue
			}
			rec, seen := recorder[o.DeviceID]
			if !seen {
				d, err := getDevice(tx, o.DeviceID)
				if err != nil {
					return err
				}
				c := d.Class()
				rec = (c == ClassCamera || c == ClassRecorder) && (site == "" || strings.EqualFold(strings.TrimSpace(d.Known.Site), strings.TrimSpace(site)))
				recorder[o.DeviceID] = rec
			}
			if !rec {
				continue
			}
			open := o.End.IsZero()
			o.Start, o.End = clip(o, from, to)
			if open && to.After(now) {
				o.End = time.Time{}
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}
