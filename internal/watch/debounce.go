package watch

import (
	"fmt"
	"time"
)

// rules are the debounce and flapping settings, from Config.
type rules struct {
	failures   int
	span       time.Duration
	flapMax    int
	flapWindow time.Duration
	flapQuiet  time.Duration
}

func (c *Config) rules() rules {
	return rules{c.OfflineAfter, c.OfflineSpan, c.FlapChanges, c.FlapWindow, c.FlapQuiet}
}

// tracker turns one device's check results into debounced health changes
// (see the package comment for the rules). It is owned by the scheduler
// goroutine.
type tracker struct {
	status DeviceStatus // what is recorded (held while flapping)

	downN    int // consecutive Down results
	downFrom time.Time
	badN     int // consecutive results that were not Up
	badFrom  time.Time

	changes []time.Time // recorded changes within the flap window

	flapping    bool
	actual      Health // while flapping: the debounced state, not recorded
	actualSince time.Time
}

// failing reports whether the last result was not Up: the scheduler then
// checks again without jitter, so that the span is the interval's multiple.
func (t *tracker) failing() bool { return t.badN > 0 }

// restart forgets the current run of failures (after a snooze: a span
// across it means nothing).
func (t *tracker) restart() { t.downN, t.badN = 0, 0 }

// observe folds in the result of the check that started at at and returns
// the change to record, if there is one.
func (t *tracker) observe(r rules, at time.Time, o Outcome) (StatusChange, bool) {
	t.status.LastCheck = at
	switch o.State {
	case Up:
		t.downN, t.badN = 0, 0
	case Degraded:
		t.downN = 0
		t.badN, t.badFrom = bump(t.badN, t.badFrom, at)
	default:
		t.downN, t.downFrom = bump(t.downN, t.downFrom, at)
		t.badN, t.badFrom = bump(t.badN, t.badFrom, at)
	}
	cur := t.status.Health
	if t.flapping {
		cur = t.actual
	}
	to, from := t.judge(r, cur, at, o.State)
	if t.flapping {
		return t.whileFlapping(r, to, at, o.Cause)
	}
	if to == cur {
		return StatusChange{}, false
	}
	cause := o.Cause
	if cur == HealthUnknown { // the first judgement is not a change of state
		return t.set(to, from, cause), true
	}
	t.changes = prune(t.changes, at.Add(-r.flapWindow))
	if len(t.changes)+1 > r.flapMax {
		t.flapping, t.actual, t.actualSince = true, to, at
		cause = fmt.Sprintf("flapping: %d changes in the last %s; %s", len(t.changes)+1, words(r.flapWindow), cause)
	}
	t.changes = append(t.changes, at)
	return t.set(to, from, cause), true
}

// judge is the debounced state after a result: worse only after a run of
// failures long enough, better at once.
func (t *tracker) judge(r rules, cur Health, at time.Time, p Probe) (Health, time.Time) {
	switch {
	case p == Up:
		return HealthOnline, at
	case t.downN >= r.failures && at.Sub(t.downFrom) >= r.span:
		return HealthOffline, t.downFrom
	case p == Degraded && cur == HealthOffline:
		return HealthDegraded, at
	case t.badN >= r.failures && at.Sub(t.badFrom) >= r.span && cur != HealthOffline:
		return HealthDegraded, t.badFrom
	}
	return cur, at
}

// whileFlapping follows the debounced state without recording it, until
// it has been steady for the quiet time.
func (t *tracker) whileFlapping(r rules, to Health, at time.Time, cause string) (StatusChange, bool) {
	if to != t.actual {
		t.actual, t.actualSince = to, at
	}
	if at.Sub(t.actualSince) < r.flapQuiet {
		return StatusChange{}, false
	}
	t.flapping = false
	t.changes = nil
	if t.actual == t.status.Health {
		return StatusChange{}, false
	}
	t.changes = append(t.changes, at)
	return t.set(t.actual, t.actualSince, "steady again after flapping; "+cause), true
}

func (t *tracker) set(to Health, from time.Time, cause string) StatusChange {
	if from.Before(t.status.Since) {
		from = t.status.Since // never before the change it follows
	}
	t.status.Health, t.status.Since, t.status.Cause = to, from, cause
	return StatusChange{At: from, To: to, Cause: cause}
}

func bump(n int, from, at time.Time) (int, time.Time) {
	if n == 0 {
		from = at
	}
	return n + 1, from
}

// prune drops the times before since from ts, which is in order.
func prune(ts []time.Time, since time.Time) []time.Time {
	i := 0
	for i < len(ts) && ts[i].Before(since) {
		i++
	}
	return ts[i:]
}

// words writes a duration as a person reads it: "hour", "2 hours", "30 minutes".
func words(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "hour"
	case d == time.Minute:
		return "minute"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}
