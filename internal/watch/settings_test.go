package watch

import (
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"sitekeeper/internal/inventory"
)

func TestConfigFrom(t *testing.T) {
	until := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	base := Config{Workers: 4, Interval: time.Hour, SiteInterval: map[string]time.Duration{"Old": time.Minute},
		Snoozes: []Snooze{{Site: "Old", Until: until}}}
	tests := []struct {
		name string
		in   inventory.CheckSettings
		want Config
	}{
		{"zero settings clear base's intervals and snoozes", inventory.CheckSettings{}, Config{Workers: 4}},
		{"intervals in seconds", inventory.CheckSettings{
			IntervalSeconds:       120,
			SiteIntervalSeconds:   map[string]int{"Plant": 30, "Off": 0},
			ClassIntervalSeconds:  map[inventory.Class]int{inventory.ClassCamera: 300},
			DeviceIntervalSeconds: map[string]int{"d1": 3600, "d2": -5},
		}, Config{Workers: 4, Interval: 2 * time.Minute,
			SiteInterval:   map[string]time.Duration{"Plant": 30 * time.Second},
			ClassInterval:  map[inventory.Class]time.Duration{inventory.ClassCamera: 5 * time.Minute},
			DeviceInterval: map[string]time.Duration{"d1": time.Hour},
		}},
		{"negative default is the default", inventory.CheckSettings{IntervalSeconds: -1}, Config{Workers: 4}},
		{"pauses become snoozes", inventory.CheckSettings{Pauses: []inventory.Pause{
			{Site: "Plant", Until: until, Reason: "power work"},
			{DeviceID: "d1", Until: until.Add(time.Hour)},
		}}, Config{Workers: 4, Snoozes: []Snooze{
			{Site: "Plant", Until: until, Reason: "power work"},
			{DeviceID: "d1", Until: until.Add(time.Hour)},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ConfigFrom(base, tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ConfigFrom(base, %+v) = %+v; want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// TestApplyInterval: Apply changes a running Watcher's interval: a longer
// one counts from the device's next check, a shorter one brings a device
// waiting longer than it forward.
func TestApplyInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		st := newFakeStore(device("cam", "10.0.0.1", "Plant", ""))
		ch := &fakeChecker{}
		w := New(st, ch, ConfigFrom(Config{}, inventory.CheckSettings{IntervalSeconds: 60}))
		w.rand = func() float64 { return 0.5 } // first check at half the interval, no jitter
		stop := start(t, w)
		defer stop()

		sleepUntil(t0, 5*time.Minute)
		w.Apply(inventory.CheckSettings{IntervalSeconds: 600})
		sleepUntil(t0, 34*time.Minute)
		w.Apply(inventory.CheckSettings{IntervalSeconds: 30})
		sleepUntil(t0, 36*time.Minute)

		var got []time.Duration
		for _, c := range ch.callsOf("cam") {
			got = append(got, c.Sub(t0))
		}
		s := time.Second
		want := []time.Duration{
			30 * s, 90 * s, 150 * s, 210 * s, 270 * s, // every minute
			330 * s, 930 * s, 1530 * s, // the check already due, then every 10 minutes
			2055 * s, 2085 * s, 2115 * s, 2145 * s, // brought forward within 30 s, then every 30 s
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("checks at %v; want %v", got, want)
		}
	})
}

// TestApplyPause: a pause applied to a running Watcher holds back the
// checks of its site and records nothing for them; its end, or lifting
// it, resumes them, and other devices are checked throughout.
func TestApplyPause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		st := newFakeStore(
			device("plant", "10.0.0.1", "Plant", ""),
			device("yard", "10.0.0.2", "Yard", ""),
		)
		ch := &fakeChecker{outcome: func(inventory.Device, time.Time) Outcome {
			return Outcome{State: Down, Cause: "power work", Packets: 1}
		}}
		w := New(st, ch, Config{})
		w.rand = func() float64 { return 0.5 }
		stop := start(t, w)

		sleepUntil(t0, 5*time.Minute)
		pauses := []inventory.Pause{
			{Site: "Plant", Until: t0.Add(20 * time.Minute), Reason: "power work"},
			{Site: "Yard", Until: t0.Add(2 * time.Hour)},
			{DeviceID: "gone", Until: t0.Add(time.Minute)}, // ended: dropped
		}
		w.Apply(inventory.CheckSettings{Pauses: pauses})
		synctest.Wait()
		if got := w.Snoozes(); len(got) != 2 || got[0].Site != "Plant" || got[0].Reason != "power work" || got[1].Site != "Yard" {
			t.Errorf("Snoozes after Apply = %+v; want Plant's and Yard's", got)
		}
		sleepUntil(t0, 10*time.Minute)
		w.Apply(inventory.CheckSettings{Pauses: pauses[:1]}) // Yard resumed now
		synctest.Wait()
		sleepUntil(t0, 25*time.Minute)
		stop()

		for id, want := range map[string]struct{ from, to time.Duration }{
			"plant": {5 * time.Minute, 20 * time.Minute},
			"yard":  {5 * time.Minute, 10 * time.Minute},
		} {
			calls := ch.callsOf(id)
			resumed := false
			for _, c := range calls {
				d := c.Sub(t0)
				if d > want.from && d < want.to {
					t.Errorf("%s checked at %v while paused (%v..%v)", id, d, want.from, want.to)
				}
				if d == want.to {
					resumed = true
				}
			}
			if !resumed {
				t.Errorf("%s checked at %v; want a check at %v, when its pause ended", id, calls, want.to)
			}
		}
		// Plant was down from the start: offline after 3 checks over 2
		// minutes (30 s, 90 s, 150 s), and nothing recorded while paused.
		for _, c := range st.written() {
			if c.DeviceID == "plant" && c.At.After(t0.Add(5*time.Minute)) && c.At.Before(t0.Add(20*time.Minute)) {
				t.Errorf("recorded %+v while paused", c)
			}
		}
	})
}

// TestApplyCommunity: Apply gives a HealthChecker the SNMP community, so
// its targets carry it and the SNMP check runs; an empty one turns it off.
func TestApplyCommunity(t *testing.T) {
	c := HealthChecker{SNMP: NewCommunity("")}
	w := New(newFakeStore(), c, Config{})
	d := device("cam", "10.0.0.1", "", inventory.ClassCamera)
	if got := c.Target(&d).Community; got != "" {
		t.Errorf("Target().Community before Apply = %q; want none", got)
	}
	w.Apply(inventory.CheckSettings{SNMPCommunity: "plant-ro"})
	if got := c.Target(&d).Community; got != "plant-ro" {
		t.Errorf("Target().Community after Apply = %q; want plant-ro", got)
	}
	w.Apply(inventory.CheckSettings{})
	if got := c.Target(&d).Community; got != "" {
		t.Errorf("Target().Community after clearing = %q; want none", got)
	}
	if got := (HealthChecker{}).Target(&d).Community; got != "" {
		t.Errorf("Target().Community without SNMP = %q; want none", got)
	}
}

// TestApplyPauseAll: a pause of all devices holds back every device's
// checks, whatever its site, until it ends.
func TestApplyPauseAll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		st := newFakeStore(device("a", "10.0.0.1", "Plant", ""), device("b", "10.0.0.2", "", ""))
		ch := &fakeChecker{}
		w := New(st, ch, Config{})
		w.rand = func() float64 { return 0.5 }
		stop := start(t, w)
		sleepUntil(t0, 5*time.Minute)
		w.Apply(inventory.CheckSettings{Pauses: []inventory.Pause{{All: true, Until: t0.Add(10 * time.Minute)}}})
		sleepUntil(t0, 12*time.Minute)
		stop()
		for _, id := range []string{"a", "b"} {
			var at []time.Duration
			for _, c := range ch.callsOf(id) {
				if d := c.Sub(t0); d > 5*time.Minute {
					at = append(at, d)
				}
			}
			if want := []time.Duration{10 * time.Minute, 11 * time.Minute, 12 * time.Minute}; !reflect.DeepEqual(at, want) {
				t.Errorf("%s checked after 5m at %v; want %v (paused until 10m)", id, at, want)
			}
		}
	})
}
