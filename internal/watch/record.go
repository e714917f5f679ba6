package watch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"sitekeeper/internal/inventory"
)

// recorder writes health changes (within batchWindow of happening), and
// check tallies and heartbeats (every FlushEvery) to the store from its own
// goroutine, so that a slow store never holds up the checks. What fails to
// be written is kept and tried again, except what belongs to a device that
// has left the store (deleted since it was checked), which is dropped.
//
// A heartbeat is a StatusChange to the health the device already has, at
// its last check: the store moves LastCheck and records nothing else. One
// per checked device per flush keeps LastCheck fresh at a few writes an
// hour instead of one per check.
type recorder struct {
	store    Store
	onChange func([]StatusChange)
	report   func(error)

	mu      sync.Mutex
	changes []StatusChange
	beats   map[string]StatusChange
	tallies map[tallyKey]*CheckTally
	wake    chan struct{}
}

type tallyKey struct {
	id  string
	day inventory.Date
}

func newRecorder(w *Watcher) *recorder {
	return &recorder{
		store: w.store, onChange: w.cfg.OnChange, report: w.report,
		beats: map[string]StatusChange{}, tallies: map[tallyKey]*CheckTally{},
		wake: make(chan struct{}, 1),
	}
}

func (r *recorder) change(c StatusChange) {
	r.mu.Lock()
	r.changes = append(r.changes, c)
	r.mu.Unlock()
	signal(r.wake)
}

// beat notes a device's status after a check, for the next heartbeat.
func (r *recorder) beat(id string, s DeviceStatus) {
	if s.Health == HealthUnknown {
		return // nothing recorded yet: no status to beat for
	}
	r.mu.Lock()
	r.beats[id] = StatusChange{DeviceID: id, At: s.LastCheck, To: s.Health, Cause: s.Cause}
	r.mu.Unlock()
}

// count adds one check of a device, on the day it started, to the tallies.
func (r *recorder) count(id string, at time.Time, ok bool) {
	k := tallyKey{id, inventory.DateOf(at)}
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.tallies[k]
	if t == nil {
		t = &CheckTally{DeviceID: id, Day: k.day}
		r.tallies[k] = t
	}
	if ok {
		t.OK++
	} else {
		t.Failed++
	}
}

// run writes until stop is closed, then writes what is left with a
// context that outlives ctx (Run's ctx has ended by then) and returns.
func (r *recorder) run(ctx context.Context, stop <-chan struct{}, flushEvery time.Duration) {
	flush := time.NewTicker(flushEvery)
	defer flush.Stop()
	batch := time.NewTimer(batchWindow)
	batch.Stop()
	defer batch.Stop()
	pending := false
	for {
		select {
		case <-stop:
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), finalWrite)
			defer cancel()
			r.flush(final)
			return
		case <-r.wake:
			if !pending {
				pending = true
				batch.Reset(batchWindow)
			}
		case <-batch.C:
			pending = false
			r.writeChanges(ctx)
		case <-flush.C:
			r.flush(ctx)
		}
	}
}

// flush writes the changes with a heartbeat for each device checked since
// the last flush, then the tallies.
func (r *recorder) flush(ctx context.Context) {
	r.mu.Lock()
	ids := slices.Sorted(maps.Keys(r.beats))
	for _, id := range ids {
		r.changes = append(r.changes, r.beats[id])
	}
	clear(r.beats)
	r.mu.Unlock()
	r.writeChanges(ctx)
	r.writeTallies(ctx)
}

func (r *recorder) writeChanges(ctx context.Context) {
	r.mu.Lock()
	batch := r.changes
	r.changes = nil
	r.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	keep, err := writeSplit(ctx, batch, func(c StatusChange) string { return c.DeviceID }, r.store.RecordStatus)
	if len(keep) > 0 {
		r.mu.Lock()
		r.changes = append(keep, r.changes...)
		r.mu.Unlock()
	}
	if err != nil {
		r.fail(ctx, fmt.Errorf("watch: record status changes: %w", err))
	}
	if len(keep) < len(batch) && r.onChange != nil {
		r.onChange(written(batch, keep))
	}
}

// written is the changes of batch not kept back for another try: keep is
// what writeSplit returned, whole devices' runs of changes.
func written(batch, keep []StatusChange) []StatusChange {
	kept := map[string]bool{}
	for _, c := range keep {
		kept[c.DeviceID] = true
	}
	var out []StatusChange
	for _, c := range batch {
		if !kept[c.DeviceID] {
			out = append(out, c)
		}
	}
	return out
}

func (r *recorder) writeTallies(ctx context.Context) {
	r.mu.Lock()
	taken := r.tallies
	r.tallies = map[tallyKey]*CheckTally{}
	r.mu.Unlock()
	if len(taken) == 0 {
		return
	}
	list := make([]CheckTally, 0, len(taken))
	for _, t := range taken {
		list = append(list, *t)
	}
	slices.SortFunc(list, func(a, b CheckTally) int {
		return cmp.Or(cmp.Compare(a.DeviceID, b.DeviceID), a.Day.Time().Compare(b.Day.Time()))
	})
	keep, err := writeSplit(ctx, list, func(t CheckTally) string { return t.DeviceID }, r.store.RecordChecks)
	if len(keep) > 0 {
		r.mu.Lock()
		for _, t := range keep { // put them back, with what came in meanwhile
			k := tallyKey{t.DeviceID, t.Day}
			if now := r.tallies[k]; now != nil {
				t.OK += now.OK
				t.Failed += now.Failed
			}
			r.tallies[k] = &t
		}
		r.mu.Unlock()
	}
	if err != nil {
		r.fail(ctx, fmt.Errorf("watch: record check tallies: %w", err))
	}
}

// writeSplit writes items in one call. If the store refuses the batch
// because a device is not in it (inventory.ErrNotFound: deleted since it
// was checked), it writes each device's items alone and drops those of the
// devices that are gone. It returns the items still to be written, with
// the error that kept them back.
func writeSplit[T any](ctx context.Context, items []T, device func(T) string, write func(context.Context, []T) error) ([]T, error) {
	err := write(ctx, items)
	switch {
	case err == nil:
		return nil, nil
	case !errors.Is(err, inventory.ErrNotFound):
		return items, err
	}
	var order []string
	groups := map[string][]T{}
	for _, it := range items {
		id := device(it)
		if _, ok := groups[id]; !ok {
			order = append(order, id)
		}
		groups[id] = append(groups[id], it)
	}
	var keep []T
	var errs []error
	for _, id := range order {
		if err := write(ctx, groups[id]); err != nil && !errors.Is(err, inventory.ErrNotFound) {
			keep = append(keep, groups[id]...)
			errs = append(errs, err)
		}
	}
	return keep, errors.Join(errs...)
}

// fail reports a write error, unless it only says that Run is stopping:
// the final write tries again.
func (r *recorder) fail(ctx context.Context, err error) {
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return
	}
	r.report(err)
}
