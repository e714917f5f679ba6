package watch

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"sitekeeper/internal/inventory"
)

// entry is one device in Run's schedule.
type entry struct {
	dev      inventory.Device
	next     time.Time
	index    int // in the schedule heap, or -1
	queued   bool
	running  bool
	gone     bool // no longer active: dropped when its check returns
	parked   bool // waiting in the heap for its snooze to end
	estimate int  // packets its next check will send
	track    tracker
}

// result is a check's return to the scheduler goroutine.
type result struct {
	e       *entry
	o       Outcome
	started time.Time
	err     error // the check did not run to the end: Run is stopping
}

// runner is Run's state, owned by the scheduler goroutine.
type runner struct {
	w       *Watcher
	rec     *recorder
	entries map[string]*entry
	due     schedule
	ready   []*entry
	results chan result
	checks  sync.WaitGroup
}

// Run checks the store's active devices until ctx ends, records what it
// finds and returns ctx's error once every goroutine it started has ended
// and what was left has been written. It returns early only if it cannot
// read the devices or their statuses at the start.
func (w *Watcher) Run(ctx context.Context) error {
	devices, err := w.store.Devices(ctx)
	if err != nil {
		return fmt.Errorf("watch: read devices: %w", err)
	}
	statuses, err := w.store.Statuses(ctx)
	if err != nil {
		return fmt.Errorf("watch: read device statuses: %w", err)
	}
	r := &runner{
		w: w, rec: newRecorder(w), entries: map[string]*entry{},
		results: make(chan result, w.cfg.Workers), // never more in flight
	}
	for id, s := range statuses {
		w.setStatus(id, s)
	}
	r.update(devices, statuses, time.Now())

	stopRec := make(chan struct{})
	var recDone sync.WaitGroup
	recDone.Go(func() { r.rec.run(ctx, stopRec, w.cfg.FlushEvery) })

	r.loop(ctx)

	// Every check has been told to stop by ctx; wait for them, keeping
	// what finished as it comes (a check whose result does not fit in the
	// channel waits to send it, so the channel must be read meanwhile),
	// then let the recorder write the rest.
	checked := make(chan struct{})
	go func() { r.checks.Wait(); close(checked) }()
	for waiting := true; waiting; {
		select {
		case res := <-r.results:
			r.done(res)
		case <-checked:
			waiting = false
		}
	}
	for len(r.results) > 0 {
		r.done(<-r.results)
	}
	close(stopRec)
	recDone.Wait()
	return ctx.Err()
}

func (r *runner) loop(ctx context.Context) {
	w := r.w
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	refresh := time.NewTicker(w.cfg.RefreshEvery)
	defer refresh.Stop()
	for {
		r.resetTimer(timer)
		var slots chan<- struct{}
		if len(r.ready) > 0 {
			slots = w.slots
		}
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
			r.takeDue(time.Now())
		case slots <- struct{}{}:
			r.dispatch(ctx)
		case res := <-r.results:
			r.done(res)
		case <-w.wake:
			r.unpark(time.Now())
			r.retime(time.Now())
		case <-refresh.C:
			r.reload(ctx)
		case <-w.refresh:
			r.reload(ctx)
		}
	}
}

func (r *runner) resetTimer(t *time.Timer) {
	d := time.Hour
	if len(r.due) > 0 {
		d = max(time.Until(r.due[0].next), 0)
	}
	t.Reset(d)
}

// takeDue moves the devices whose time has come to the ready queue, and
// parks the snoozed ones until their snooze ends.
func (r *runner) takeDue(now time.Time) {
	for len(r.due) > 0 && !r.due[0].next.After(now) {
		e := heap.Pop(&r.due).(*entry)
		e.parked = false
		if until := r.w.snoozedUntil(&e.dev, now); !until.IsZero() {
			e.parked = true
			e.track.restart()
			e.next = until
			heap.Push(&r.due, e)
			continue
		}
		e.queued = true
		r.ready = append(r.ready, e)
	}
}

// unpark moves the parked devices to when their snooze now ends: at once
// if it was lifted, earlier or later if it was changed.
func (r *runner) unpark(now time.Time) {
	for _, e := range r.entries {
		if !e.parked || e.index < 0 {
			continue
		}
		until := r.w.snoozedUntil(&e.dev, now)
		if until.IsZero() {
			until = now
		}
		if !until.Equal(e.next) {
			e.next = until
			heap.Fix(&r.due, e.index)
		}
	}
}

// retime brings forward the devices waiting longer than their interval,
// as after Apply shortened it, to a time spread over that interval; a
// longer interval counts from each device's next check.
func (r *runner) retime(now time.Time) {
	for _, e := range r.entries {
		if e.parked || e.index < 0 {
			continue
		}
		iv := r.w.interval(&e.dev)
		if e.next.After(now.Add(iv)) {
			e.next = now.Add(time.Duration(r.w.rand() * float64(iv)))
			heap.Fix(&r.due, e.index)
		}
	}
}

// dispatch starts the first ready check in the slot the loop just took.
func (r *runner) dispatch(ctx context.Context) {
	w := r.w
	e := r.ready[0]
	r.ready[0] = nil
	r.ready = r.ready[1:]
	e.queued = false
	if e.gone || !w.tryLock(e.dev.ID) { // gone, or Once is checking it
		<-w.slots
		if !e.gone {
			r.schedule(e, time.Now().Add(busyRetry))
		}
		return
	}
	e.running = true
	d, estimate := e.dev, e.estimate
	r.checks.Go(func() {
		o, started, err := w.check(ctx, d, estimate)
		r.results <- result{e: e, o: o, started: started, err: err}
		<-w.slots
		w.unlock(d.ID)
	})
}

// done takes in a finished check: tally, debounce, next time.
func (r *runner) done(res result) {
	w, e := r.w, res.e
	e.running = false
	if e.gone || res.err != nil {
		return
	}
	if res.o.Packets > 0 {
		e.estimate = res.o.Packets
	}
	if !w.snoozedUntil(&e.dev, time.Now()).IsZero() {
		r.schedule(e, time.Now()) // snoozed meanwhile: nothing recorded
		return
	}
	r.rec.count(e.dev.ID, res.started, res.o.State != Down)
	if c, ok := e.track.observe(w.cfg.rules(), res.started, res.o); ok {
		c.DeviceID = e.dev.ID
		if c.To == HealthDegraded {
			c.Problems = res.o.Problems
		}
		r.rec.change(c)
	}
	r.rec.beat(e.dev.ID, e.track.status)
	w.setStatus(e.dev.ID, e.track.status)
	r.schedule(e, res.started.Add(r.nextInterval(e)))
}

// nextInterval is the device's interval, jittered unless it is failing.
func (r *runner) nextInterval(e *entry) time.Duration {
	iv := r.w.interval(&e.dev)
	if e.track.failing() {
		return iv
	}
	return time.Duration(float64(iv) * (1 + jitter*(2*r.w.rand()-1)))
}

func (r *runner) schedule(e *entry, next time.Time) {
	e.next = later(next, time.Now())
	heap.Push(&r.due, e)
}

func (r *runner) reload(ctx context.Context) {
	devices, err := r.w.store.Devices(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.w.report(fmt.Errorf("watch: read devices again: %w", err))
		}
		return
	}
	r.update(devices, nil, time.Now())
}

// update brings the schedule in line with the device list: new active
// devices start within their first interval, retired ones leave.
func (r *runner) update(devices []inventory.Device, statuses map[string]DeviceStatus, now time.Time) {
	active := make(map[string]bool, len(devices))
	for _, d := range devices {
		if !Checkable(&d) {
			continue
		}
		active[d.ID] = true
		if e := r.entries[d.ID]; e != nil {
			e.dev = d
			continue
		}
		e := &entry{dev: d, index: -1, estimate: r.w.cfg.PacketsPerCheck}
		e.track.status = statuses[d.ID]
		r.entries[d.ID] = e
		r.schedule(e, now.Add(time.Duration(r.w.rand()*float64(r.w.interval(&d)))))
	}
	for id, e := range r.entries {
		if active[id] {
			continue
		}
		e.gone = true
		if e.index >= 0 {
			heap.Remove(&r.due, e.index)
		}
		delete(r.entries, id)
	}
}

// check runs one check of d within the rate limits. The caller holds a
// slot and the device.
func (w *Watcher) check(ctx context.Context, d inventory.Device, estimate int) (Outcome, time.Time, error) {
	host := d.IP()
	if host == "" {
		host = "device " + d.ID
	}
	tk, err := w.limit.wait(ctx, host, estimate)
	if err != nil {
		return Outcome{}, time.Time{}, err
	}
	started := time.Now()
	cctx, cancel := context.WithTimeout(ctx, w.cfg.CheckTimeout)
	o := w.checker.Check(cctx, d)
	cancel()
	w.limit.settle(host, tk, max(o.Packets, 0))
	if err := ctx.Err(); err != nil {
		return Outcome{}, started, err // cut short: not the device's fault
	}
	if o.State != Up && o.State != Degraded {
		o.State = Down
	}
	return o, started, nil
}

// schedule is a min-heap of entries by next check time.
type schedule []*entry

func (s schedule) Len() int           { return len(s) }
func (s schedule) Less(i, j int) bool { return s[i].next.Before(s[j].next) }
func (s schedule) Swap(i, j int) {
	s[i], s[j] = s[j], s[i]
	s[i].index, s[j].index = i, j
}
func (s *schedule) Push(x any) {
	e := x.(*entry)
	e.index = len(*s)
	*s = append(*s, e)
}
func (s *schedule) Pop() any {
	old := *s
	e := old[len(old)-1]
	old[len(old)-1] = nil
	e.index = -1
	*s = old[:len(old)-1]
	return e
}

func randFloat() float64 { return rand.Float64() }
