package watch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"sitekeeper/internal/inventory"
)

func TestOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		t0 := time.Now()
		st := newFakeStore(
			device("a", "10.0.0.1", "", ""), device("b", "10.0.0.2", "", ""),
			device("c", "10.0.0.3", "Yard", ""), device("d", "10.0.0.4", "", ""),
			device("e", "10.0.0.5", "", ""), device("old", "10.0.0.6", "", ""),
		)
		st.devices[5].Lifecycle.State = inventory.StateDecommissioned
		ch := &fakeChecker{hold: 2 * time.Second, outcome: func(d inventory.Device, _ time.Time) Outcome {
			if d.ID == "b" {
				return Outcome{State: Down, Cause: "no answer to ping", Packets: 3}
			}
			return Outcome{State: Up, Packets: 4}
		}}
		w := New(st, ch, Config{Workers: 2, Snoozes: []Snooze{{Site: "Yard", Until: t0.Add(time.Hour)}}})
		got, err := w.Once(t.Context())
		if err != nil {
			t.Fatalf("Once = %v", err)
		}
		var ids []string
		for _, r := range got {
			ids = append(ids, r.Device.ID)
			if want := r.Device.ID == "c"; r.Snoozed != want {
				t.Errorf("%s Snoozed = %v; want %v", r.Device.ID, r.Snoozed, want)
			}
			if want := map[bool]Probe{true: Down, false: Up}[r.Device.ID == "b"]; r.Outcome.State != want {
				t.Errorf("%s = %v; want %v", r.Device.ID, r.Outcome.State, want)
			}
			if r.Took != 2*time.Second {
				t.Errorf("%s Took = %v; want 2s", r.Device.ID, r.Took)
			}
		}
		if want := "a b c d e"; strings.Join(ids, " ") != want {
			t.Errorf("Once checked %q; want %q (active devices, store order)", strings.Join(ids, " "), want)
		}
		if ch.most != 2 {
			t.Errorf("most checks at once = %d; want 2 (Workers)", ch.most)
		}
		if took := time.Since(t0); took != 6*time.Second {
			t.Errorf("Once took %v; want 6s (5 checks of 2 s, 2 at a time)", took)
		}
		if len(st.written()) != 0 || len(st.tallies) != 0 {
			t.Errorf("Once recorded %+v %+v; want nothing", st.written(), st.tallies)
		}
	})
}

// TestOnceDuringRun: Once and Run share the workers and never check one
// device twice at once.
func TestOnceDuringRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var devs []inventory.Device
		for i := range 10 {
			devs = append(devs, device(string(rune('a'+i)), "", "", ""))
		}
		ch := &fakeChecker{hold: 3 * time.Second}
		w := New(newFakeStore(devs...), ch, Config{Workers: 3, Interval: 5 * time.Second})
		stop := start(t, w)
		time.Sleep(7 * time.Second)
		for range 3 {
			if got, err := w.Once(t.Context()); err != nil || len(got) != 10 {
				t.Errorf("Once = %d results, %v; want 10", len(got), err)
			}
		}
		stop()
		if ch.most > 3 || ch.overlap {
			t.Errorf("most at once = %d, overlap %v; want at most 3 and none", ch.most, ch.overlap)
		}
	})
}

func TestOnceCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newFakeStore(device("a", "", "", ""), device("b", "", "", ""), device("c", "", "", ""))
		ch := &fakeChecker{hold: 10 * time.Second}
		w := New(st, ch, Config{Workers: 2})
		ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
		defer cancel()
		got, err := w.Once(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || len(got) != 2 {
			t.Errorf("Once = %d results, %v; want the 2 that finished and the deadline", len(got), err)
		}
	})
}
