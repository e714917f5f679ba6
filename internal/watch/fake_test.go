package watch

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"sync"
	"time"

	"sitekeeper/internal/inventory"
)

// fakeStore is an in-memory Store that keeps inventory's contract: an
// unknown device or a change before the current status refuses the batch;
// a change to the same health is a heartbeat. It remembers when each
// change was written.
type fakeStore struct {
	mu        sync.Mutex
	devices   []inventory.Device
	statuses  map[string]DeviceStatus
	devErr    error
	changes   []record // not heartbeats
	beats     int
	tallies   map[tallyKey]CheckTally
	talliesAt []time.Time
}

type record struct {
	StatusChange
	When time.Time
}

func newFakeStore(devices ...inventory.Device) *fakeStore {
	return &fakeStore{devices: devices, tallies: map[tallyKey]CheckTally{}}
}

func (s *fakeStore) Devices(context.Context) ([]inventory.Device, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]inventory.Device(nil), s.devices...), s.devErr
}

func (s *fakeStore) known(id string) error {
	for _, d := range s.devices {
		if d.ID == id {
			return nil
		}
	}
	return fmt.Errorf("device %s: %w", id, inventory.ErrNotFound)
}

func (s *fakeStore) RecordStatus(_ context.Context, changes []StatusChange) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.statuses == nil {
		s.statuses = map[string]DeviceStatus{}
	}
	next := maps.Clone(s.statuses)
	var recs []record
	beats := 0
	for _, c := range changes {
		if err := s.known(c.DeviceID); err != nil {
			return err
		}
		st := next[c.DeviceID]
		if st.Health != HealthUnknown && c.At.Before(st.Since) {
			return fmt.Errorf("change %+v before status %+v", c, st)
		}
		st.LastCheck = later(st.LastCheck, c.At)
		if c.To == st.Health {
			beats++
		} else {
			st.Health, st.Since, st.Cause = c.To, c.At, c.Cause
			recs = append(recs, record{c, time.Now()})
		}
		next[c.DeviceID] = st
	}
	s.statuses = next
	s.changes = append(s.changes, recs...)
	s.beats += beats
	return nil
}

func (s *fakeStore) RecordChecks(_ context.Context, tallies []CheckTally) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range tallies {
		if err := s.known(t.DeviceID); err != nil {
			return err
		}
	}
	s.talliesAt = append(s.talliesAt, time.Now())
	for _, t := range tallies {
		k := tallyKey{t.DeviceID, t.Day}
		old := s.tallies[k]
		old.DeviceID, old.Day = t.DeviceID, t.Day
		old.OK += t.OK
		old.Failed += t.Failed
		s.tallies[k] = old
	}
	return nil
}

func (s *fakeStore) Statuses(context.Context) (map[string]DeviceStatus, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]DeviceStatus{}
	for id, st := range s.statuses {
		out[id] = st
	}
	return out, nil
}

func (s *fakeStore) written() []record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]record(nil), s.changes...)
}

// fakeChecker answers with outcome, takes hold (fake time) per check, and
// records every call and the most checks it saw at once.
type fakeChecker struct {
	outcome func(d inventory.Device, now time.Time) Outcome
	hold    time.Duration
	hang    func(d inventory.Device, now time.Time) bool // until ctx ends

	mu      sync.Mutex
	calls   []call
	running map[string]int
	now     int
	most    int
	overlap bool // a device was checked twice at once
}

type call struct {
	id, host string
	at       time.Time
	packets  int
}

func (c *fakeChecker) Check(ctx context.Context, d inventory.Device) Outcome {
	o := Outcome{State: Up, Packets: 1}
	if c.outcome != nil {
		o = c.outcome(d, time.Now())
	}
	c.mu.Lock()
	if c.running == nil {
		c.running = map[string]int{}
	}
	c.calls = append(c.calls, call{d.ID, d.IP(), time.Now(), o.Packets})
	c.now++
	c.most = max(c.most, c.now)
	if c.running[d.ID]++; c.running[d.ID] > 1 {
		c.overlap = true
	}
	c.mu.Unlock()
	if c.hang != nil && c.hang(d, time.Now()) {
		<-ctx.Done()
		o = Outcome{State: Down, Cause: "cancelled"}
	}
	if c.hold > 0 {
		t := time.NewTimer(c.hold)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			o = Outcome{State: Down, Cause: "cancelled"}
		}
	}
	c.mu.Lock()
	c.now--
	c.running[d.ID]--
	c.mu.Unlock()
	return o
}

func (c *fakeChecker) callsOf(id string) []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []time.Time
	for _, k := range c.calls {
		if k.id == id {
			out = append(out, k.at)
		}
	}
	return out
}

// device is a device to check; without ip it gets one of its own, derived
// from id (only devices with an address are checked).
func device(id, ip, site string, class inventory.Class) inventory.Device {
	d := inventory.Device{ID: id}
	if ip == "" {
		h := fnv.New32a()
		h.Write([]byte(id))
		v := h.Sum32()
		ip = fmt.Sprintf("10.%d.%d.%d", byte(v>>16), byte(v>>8), byte(v)|1)
	}
	d.Discovered.IPs = []string{ip}
	d.Known.Site = site
	d.Known.Class = class
	return d
}
