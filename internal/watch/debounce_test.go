package watch

import (
	"strings"
	"testing"
	"time"
)

func TestTrackerObserve(t *testing.T) {
	cfg := Config{}.withDefaults()
	r := cfg.rules()
	t0 := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	type step struct {
		at time.Duration
		p  Probe
	}
	type change struct {
		step  int           // the step after which it is recorded
		at    time.Duration // its At
		to    Health
		cause string // a part of its cause
	}
	every := func(start, iv time.Duration, ps ...Probe) []step {
		var out []step
		for i, p := range ps {
			out = append(out, step{start + time.Duration(i)*iv, p})
		}
		return out
	}
	const m = time.Minute
	tests := []struct {
		name  string
		steps []step
		want  []change
	}{
		{"three failures over two minutes", every(0, m, Up, Down, Down, Down, Down),
			[]change{{0, 0, HealthOnline, ""}, {3, 1 * m, HealthOffline, ""}}},
		{"three failures in 90 s wait for the span", every(0, 45*time.Second, Up, Down, Down, Down, Down),
			[]change{{0, 0, HealthOnline, ""}, {4, 45 * time.Second, HealthOffline, ""}}},
		{"a success between failures starts again", every(0, m, Up, Down, Down, Up, Down, Down, Down),
			[]change{{0, 0, HealthOnline, ""}, {6, 4 * m, HealthOffline, ""}}},
		{"one success brings it back", every(0, m, Down, Down, Down, Down, Up),
			[]change{{2, 0, HealthOffline, ""}, {4, 4 * m, HealthOnline, ""}}},
		{"degraded is debounced too", every(0, m, Up, Degraded, Degraded, Degraded),
			[]change{{0, 0, HealthOnline, ""}, {3, 1 * m, HealthDegraded, ""}}},
		{"failures ending degraded are degraded", every(0, m, Up, Down, Down, Degraded),
			[]change{{0, 0, HealthOnline, ""}, {3, 1 * m, HealthDegraded, ""}}},
		{"degraded then offline", every(0, m, Up, Degraded, Down, Down, Down, Down),
			[]change{{0, 0, HealthOnline, ""}, {3, 1 * m, HealthDegraded, ""}, {4, 2 * m, HealthOffline, ""}}},
		{"offline to degraded at once", every(0, m, Down, Down, Down, Degraded),
			[]change{{2, 0, HealthOffline, ""}, {3, 3 * m, HealthDegraded, ""}}},
		{"two failures are nothing", every(0, m, Up, Down, Down, Up),
			[]change{{0, 0, HealthOnline, ""}}},
		{"flapping is held, then steady again", every(0, m,
			Up,
			Down, Down, Down, Up, // offline (1), online (2)
			Down, Down, Down, Up, // offline (3), online (4)
			Down, Down, Down, // offline (5): flapping, held
			Up, Down, Down, Down, Up, // not recorded
			Up, Up, Up, Up, Up, Up, Up, Up, Up, Up,
			Up, Up, Up, Up, Up, Up, Up, Up, Up, Up,
			Up, Up, Up, Up, Up, Up, Up, Up, Up, Up, // 30 minutes up: steady
		),
			[]change{
				{0, 0, HealthOnline, ""},
				{3, 1 * m, HealthOffline, ""}, {4, 4 * m, HealthOnline, ""},
				{7, 5 * m, HealthOffline, ""}, {8, 8 * m, HealthOnline, ""},
				{11, 9 * m, HealthOffline, "flapping: 5 changes in the last hour; "},
				{46, 16 * m, HealthOnline, "steady again after flapping"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr tracker
			var got []change
			for i, s := range tt.steps {
				if c, ok := tr.observe(r, t0.Add(s.at), Outcome{State: s.p, Cause: "cause " + s.p.String()}); ok {
					got = append(got, change{i, c.At.Sub(t0), c.To, c.Cause})
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("changes = %+v; want %+v", got, tt.want)
			}
			for i, g := range got {
				w := tt.want[i]
				if g.step != w.step || g.at != w.at || g.to != w.to || !strings.Contains(g.cause, w.cause) {
					t.Errorf("change %d = %+v; want %+v", i, g, w)
				}
			}
		})
	}
}

func TestWords(t *testing.T) {
	for in, want := range map[time.Duration]string{
		time.Hour: "hour", 2 * time.Hour: "2 hours", 30 * time.Minute: "30 minutes",
		time.Minute: "minute", 90 * time.Second: "1m30s",
	} {
		if got := words(in); got != want {
			t.Errorf("words(%v) = %q; want %q", in, got, want)
		}
	}
}
