package watch

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"sitekeeper/internal/inventory"
)

// start runs w in the bubble and returns a stop that cancels it, waits and
// checks that Run returned context.Canceled.
func start(t *testing.T, w *Watcher) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var err error
	var wg sync.WaitGroup
	wg.Go(func() { err = w.Run(ctx) })
	return func() {
		t.Helper()
		cancel()
		wg.Wait()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v; want context.Canceled", err)
		}
	}
}

func sleepUntil(t0 time.Time, d time.Duration) {
	time.Sleep(time.Until(t0.Add(d)))
	synctest.Wait()
}

// TestRunDebounce: a device down from minute 5 to minute 10, checked every
// 60 s, is recorded offline at its third failed check, two minutes after
// the first (which is the change's At), and online at its first success.
func TestRunDebounce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		const s = time.Second
		ch := &fakeChecker{outcome: func(_ inventory.Device, now time.Time) Outcome {
			if at := now.Sub(t0); at >= 5*time.Minute && at < 10*time.Minute {
				return Outcome{State: Down, Cause: "no answer to ping", Packets: 3}
			}
			return Outcome{State: Up, Packets: 3}
		}}
		st := newFakeStore(device("cam", "10.0.0.5", "", inventory.ClassCamera))
		w := New(st, ch, Config{})
		w.rand = func() float64 { return 0.5 } // first check at 30 s, no jitter
		stop := start(t, w)

		// Checks at 30 s + k min: failures at 330, 390, 450 s.
		sleepUntil(t0, 450*s-1)
		if h := w.Statuses()["cam"].Health; h != HealthOnline {
			t.Errorf("health before the third failure = %q; want online", h)
		}
		sleepUntil(t0, 450*s)
		if got := w.Statuses()["cam"]; got.Health != HealthOffline || got.Since != t0.Add(330*s) {
			t.Errorf("status at the third failure = %+v; want offline since 330s", got)
		}
		sleepUntil(t0, 11*time.Minute)
		stop()

		want := []record{
			{StatusChange{DeviceID: "cam", At: t0.Add(30 * s), To: HealthOnline, Cause: ""}, t0.Add(31 * s)},
			{StatusChange{DeviceID: "cam", At: t0.Add(330 * s), To: HealthOffline, Cause: "no answer to ping"}, t0.Add(451 * s)},
			{StatusChange{DeviceID: "cam", At: t0.Add(630 * s), To: HealthOnline, Cause: ""}, t0.Add(631 * s)},
		}
		got := st.written()
		if len(got) != len(want) {
			t.Fatalf("recorded %+v; want %+v", got, want)
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("recorded[%d] = %+v; want %+v", i, got[i], want[i])
			}
		}
	})
}

// TestRunIntervals: device > class > site > default, first checks spread
// over the first interval, then ±10 %.
func TestRunIntervals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		st := newFakeStore(
			device("plain", "10.0.0.1", "", ""),                            // default 60 s
			device("site", "10.0.0.2", "Plant", inventory.ClassOther),      // site 120 s
			device("class", "10.0.0.3", "Plant", inventory.ClassCamera),    // class 30 s
			device("own", "10.0.0.4", "Plant", inventory.ClassCamera),      // device 300 s
			device("office", "10.0.0.5", "Office", inventory.ClassPrinter), // default
		)
		ch := &fakeChecker{}
		w := New(st, ch, Config{
			SiteInterval:   map[string]time.Duration{"Plant": 2 * time.Minute},
			ClassInterval:  map[inventory.Class]time.Duration{inventory.ClassCamera: 30 * time.Second},
			DeviceInterval: map[string]time.Duration{"own": 5 * time.Minute},
		})
		stop := start(t, w)
		sleepUntil(t0, time.Hour)
		stop()
		for id, iv := range map[string]time.Duration{
			"plain": time.Minute, "site": 2 * time.Minute, "class": 30 * time.Second,
			"own": 5 * time.Minute, "office": time.Minute,
		} {
			calls := ch.callsOf(id)
			if len(calls) == 0 {
				t.Errorf("%s never checked", id)
				continue
			}
			if first := calls[0].Sub(t0); first >= iv {
				t.Errorf("%s first checked at %v; want within its first interval %v", id, first, iv)
			}
			for i := 1; i < len(calls); i++ {
				if gap := calls[i].Sub(calls[i-1]); gap < iv*9/10 || gap > iv*11/10 {
					t.Errorf("%s checked %v after the last; want %v ± 10%%", id, gap, iv)
					break
				}
			}
			if n, want := len(calls), int(time.Hour/iv); n < want*9/10 || n > want*11/10+1 {
				t.Errorf("%s checked %d times in an hour; want about %d", id, n, want)
			}
		}
	})
}

// TestRunSnooze: snoozed devices and sites are not checked and nothing is
// recorded for them; they are checked again when the snooze ends, or at
// once when it is lifted early.
func TestRunSnooze(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		st := newFakeStore(
			device("snoozed", "10.0.0.1", "Plant", ""),
			device("site", "10.0.0.2", "Yard", ""),
			device("free", "10.0.0.3", "Plant", ""),
		)
		ch := &fakeChecker{outcome: func(inventory.Device, time.Time) Outcome {
			return Outcome{State: Down, Cause: "maintenance", Packets: 1}
		}}
		w := New(st, ch, Config{Snoozes: []Snooze{
			{DeviceID: "snoozed", Until: t0.Add(10 * time.Minute), Reason: "firmware update"},
			{Site: "Yard", Until: t0.Add(time.Hour)},
		}})
		stop := start(t, w)
		sleepUntil(t0, 5*time.Minute)
		if got := ch.callsOf("site"); len(got) != 0 {
			t.Errorf("snoozed site checked at %v", got)
		}
		w.Snooze(Snooze{Site: "Yard"}) // lifted early
		synctest.Wait()
		if got := ch.callsOf("site"); len(got) != 1 || !got[0].Equal(t0.Add(5*time.Minute)) {
			t.Errorf("site lifted at 5m checked at %v; want once at 5m", got)
		}
		sleepUntil(t0, 20*time.Minute)
		stop()

		calls := ch.callsOf("snoozed")
		if len(calls) == 0 || !calls[0].Equal(t0.Add(10*time.Minute)) {
			t.Errorf("snoozed device checked at %v; want first at 10m, when its snooze ends", calls)
		}
		for _, c := range st.written() {
			switch {
			case c.DeviceID == "snoozed" && c.At.Before(t0.Add(10*time.Minute)),
				c.DeviceID == "site" && c.At.Before(t0.Add(5*time.Minute)):
				t.Errorf("recorded %+v while snoozed", c)
			}
		}
		// The free device went offline while the other was snoozed; the
		// snoozed one only after its own three failures from 10m.
		want := map[string]time.Time{"free": {}, "snoozed": t0.Add(10 * time.Minute), "site": t0.Add(5 * time.Minute)}
		for _, c := range st.written() {
			if c.To != HealthOffline {
				t.Errorf("recorded %+v; want only offline changes", c)
			}
			if at := want[c.DeviceID]; !at.IsZero() && !c.At.Equal(at) {
				t.Errorf("%s offline at %v; want %v", c.DeviceID, c.At.Sub(t0), at.Sub(t0))
			}
			delete(want, c.DeviceID)
		}
		if len(want) != 0 {
			t.Errorf("no offline recorded for %v", want)
		}
		if got := w.Snoozes(); len(got) != 0 {
			t.Errorf("Snoozes after they ended = %+v; want none", got)
		}
	})
}

// TestRunWorkers: never more checks at once than workers, never one
// device twice at once.
func TestRunWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		var devs []inventory.Device
		for i := range 40 {
			devs = append(devs, device(string(rune('a'+i)), "", "", ""))
		}
		ch := &fakeChecker{hold: 5 * time.Second}
		w := New(newFakeStore(devs...), ch, Config{Workers: 4, Interval: 10 * time.Second})
		stop := start(t, w)
		sleepUntil(t0, 5*time.Minute)
		stop()
		ch.mu.Lock()
		defer ch.mu.Unlock()
		if ch.most != 4 {
			t.Errorf("most checks at once = %d; want 4 (Workers)", ch.most)
		}
		if ch.overlap {
			t.Error("a device was checked twice at once")
		}
		// 4 workers, 5 s a check: 5 minutes hold at most 240 checks.
		if n := len(ch.calls); n < 200 || n > 240 {
			t.Errorf("%d checks in 5 minutes; want close to 240", n)
		}
	})
}

// TestRunRateLimits: the packets counted by the checks stay under the
// overall and per-host bounds in every second.
func TestRunRateLimits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		var devs []inventory.Device
		for i := range 30 {
			ip := "10.0.0.1" // ten devices behind one address (an encoder's channels)
			if i >= 10 {
				ip = "10.0.1." + string(rune('0'+i%10)) + string(rune('0'+i/10))
			}
			devs = append(devs, device(string(rune('A'+i)), ip, "", ""))
		}
		ch := &fakeChecker{outcome: func(inventory.Device, time.Time) Outcome {
			return Outcome{State: Up, Packets: 6}
		}}
		w := New(newFakeStore(devs...), ch, Config{
			Interval: time.Second, PacketsPerSecond: 60, HostPacketsPerSecond: 15, PacketsPerCheck: 6,
		})
		stop := start(t, w)
		sleepUntil(t0, 2*time.Minute)
		stop()
		ch.mu.Lock()
		defer ch.mu.Unlock()
		var log []admitted
		for _, c := range ch.calls {
			log = append(log, admitted{c.at, c.host, c.packets})
		}
		checkWindows(t, log, "", 60)
		checkWindows(t, log, "10.0.0.1", 15)
		// 60 packets/s of 6 is 10 checks a second: about 1,200 in 2 minutes.
		if n := len(log); n < 1100 || n > 1210 {
			t.Errorf("%d checks in 2 minutes; want about 1,200 (the overall bound)", n)
		}
	})
}

// TestRunStops: Run returns when ctx ends although checks hang until then,
// writes the tallies every 5 minutes and at the end, and leaves no
// goroutine behind (synctest.Test fails if one is left).
func TestRunStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		st := newFakeStore(
			device("a", "10.0.0.1", "", ""), device("b", "10.0.0.2", "", ""),
			device("spare", "10.0.0.3", "", ""),
		)
		st.devices[2].Lifecycle.State = inventory.StateSpare
		ch := &fakeChecker{
			outcome: func(inventory.Device, time.Time) Outcome { return Outcome{State: Up, Packets: 2} },
			hang: func(d inventory.Device, now time.Time) bool {
				return d.ID == "b" && now.Sub(t0) > 6*time.Minute
			},
		}
		w := New(st, ch, Config{CheckTimeout: time.Hour})
		stop := start(t, w)
		sleepUntil(t0, 5*time.Minute+time.Second)
		st.mu.Lock()
		flushed := len(st.talliesAt)
		st.mu.Unlock()
		if flushed != 1 {
			t.Errorf("tallies written %d times by 5m; want once", flushed)
		}
		sleepUntil(t0, 7*time.Minute+30*time.Second)
		stop()

		if got := ch.callsOf("spare"); len(got) != 0 {
			t.Errorf("spare device checked at %v", got)
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		total := 0
		for _, tl := range st.tallies {
			if tl.Day != inventory.DateOf(t0) {
				t.Errorf("tally day %v; want %v", tl.Day, inventory.DateOf(t0))
			}
			total += tl.OK + tl.Failed
		}
		// b's hanging check was cut short by the stop: not counted.
		if n := len(ch.calls); total != n-1 {
			t.Errorf("tallies count %d checks; want %d, all the checker saw but b's last", total, n-1)
		}
	})
}

// TestRunHangingCheck: a check that never returns by itself is cut short
// when Run stops and is not counted against the device.
func TestRunHangingCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		st := newFakeStore(device("a", "10.0.0.1", "", ""))
		ch := &fakeChecker{hold: 24 * time.Hour}
		w := New(st, ch, Config{CheckTimeout: 48 * time.Hour})
		stop := start(t, w)
		sleepUntil(t0, 10*time.Minute)
		stop()
		if len(ch.callsOf("a")) != 1 {
			t.Errorf("calls = %v; want the one that hung", ch.callsOf("a"))
		}
		if got := st.written(); len(got) != 0 {
			t.Errorf("recorded %+v for a check cut short; want nothing", got)
		}
		if len(st.tallies) != 0 {
			t.Errorf("tallies %+v for a check cut short; want none", st.tallies)
		}
	})
}

func TestRunStartError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		boom := errors.New("file locked")
		st := newFakeStore()
		st.devErr = boom
		err := New(st, &fakeChecker{}, Config{}).Run(t.Context())
		if !errors.Is(err, boom) {
			t.Errorf("Run = %v; want it to wrap %v", err, boom)
		}
	})
}

// TestRunDeletedDevice: a device deleted from the store while it is being
// watched loses its writes; the others' are written all the same.
func TestRunDeletedDevice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		st := newFakeStore(device("a", "10.0.0.1", "", ""), device("b", "10.0.0.2", "", ""))
		ch := &fakeChecker{outcome: func(inventory.Device, time.Time) Outcome { return Outcome{State: Down} }}
		var errs []error
		w := New(st, ch, Config{OnError: func(err error) { errs = append(errs, err) }})
		w.rand = func() float64 { return 0.5 } // checks at 30, 90, 150 s
		stop := start(t, w)
		sleepUntil(t0, 140*time.Second)
		st.mu.Lock()
		st.devices = st.devices[:1] // b deleted
		st.mu.Unlock()
		sleepUntil(t0, 6*time.Minute)
		stop()
		got := st.written()
		if len(got) != 1 || got[0].DeviceID != "a" || got[0].To != HealthOffline {
			t.Errorf("recorded %+v; want a offline only", got)
		}
		if n := len(ch.callsOf("b")); n != 3 {
			t.Errorf("b checked %d times; want 3 (until the list was read again at 180s)", n)
		}
		for k := range st.tallies {
			if k.id != "a" {
				t.Errorf("tally of %s recorded", k.id)
			}
		}
		if len(errs) != 0 {
			t.Errorf("errors reported: %v; want none for a deleted device", errs)
		}
	})
}

// TestRunResumes: the stored status is where debounce starts, so a
// restart records nothing new; heartbeats move LastCheck.
func TestRunResumes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		before := t0.Add(-time.Hour)
		st := newFakeStore(device("down", "10.0.0.1", "", ""), device("up", "10.0.0.2", "", ""))
		st.statuses = map[string]DeviceStatus{
			"down": {Health: HealthOffline, Since: before, Cause: "no answer", LastCheck: before},
			"up":   {Health: HealthOnline, Since: before, LastCheck: before},
		}
		ch := &fakeChecker{outcome: func(d inventory.Device, _ time.Time) Outcome {
			if d.ID == "down" {
				return Outcome{State: Down, Cause: "no answer"}
			}
			return Outcome{State: Up}
		}}
		w := New(st, ch, Config{})
		w.rand = func() float64 { return 0.5 } // checks at 30 s + k min: none between the flush at 5 min and the look at 5 min 1 s
		stop := start(t, w)
		sleepUntil(t0, 5*time.Minute+time.Second)
		st.mu.Lock()
		beats, statuses := st.beats, maps.Clone(st.statuses)
		st.mu.Unlock()
		stop()
		if got := st.written(); len(got) != 0 {
			t.Errorf("recorded %+v after a restart; want nothing new", got)
		}
		if beats != 2 {
			t.Errorf("%d heartbeats at the first flush; want 2", beats)
		}
		for id, s := range statuses {
			if last := ch.callsOf(id); s.LastCheck != last[len(last)-1] || s.Since != before {
				t.Errorf("%s stored %+v; want since %v, last check %v", id, s, before, last[len(last)-1])
			}
		}
	})
}

// TestRunDegradedProblems: a change to degraded carries the kinds of
// problem behind it, for the alert; a change to online carries none.
func TestRunDegradedProblems(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		ch := &fakeChecker{outcome: func(_ inventory.Device, now time.Time) Outcome {
			if at := now.Sub(t0); at >= 5*time.Minute && at < 10*time.Minute {
				return Outcome{State: Degraded, Cause: "the device's clock is 2 h 0 min ahead", Problems: []string{"clock_drift"}, Packets: 3}
			}
			return Outcome{State: Up, Packets: 3}
		}}
		st := newFakeStore(device("cam", "10.0.0.5", "", inventory.ClassCamera))
		w := New(st, ch, Config{})
		w.rand = func() float64 { return 0.5 }
		stop := start(t, w)
		sleepUntil(t0, 11*time.Minute)
		stop()

		got := st.written()
		if len(got) != 3 {
			t.Fatalf("recorded %+v; want online, degraded, online", got)
		}
		if c := got[1].StatusChange; c.To != HealthDegraded || !slices.Equal(c.Problems, []string{"clock_drift"}) {
			t.Errorf("change to degraded = %+v; want the clock named as its problem", c)
		}
		if c := got[2].StatusChange; c.To != HealthOnline || c.Problems != nil {
			t.Errorf("change back = %+v; want online with no problems", c)
		}
	})
}
