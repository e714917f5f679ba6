package watch

import (
	"cmp"
	"slices"
	"time"

	"sitekeeper/internal/inventory"
)

// Snooze holds back a device's checks (DeviceID), a whole site's (Site) or
// every device's (All) until Until: maintenance, a planned outage.
type Snooze struct {
	DeviceID string
	Site     string
	All      bool
	Until    time.Time
	Reason   string
}

type snoozeKey struct {
	device, site string
	all          bool
}

func (s *Snooze) key() snoozeKey { return snoozeKey{s.DeviceID, s.Site, s.All} }

// Snooze holds back checks of s.DeviceID, of every device of s.Site, or of
// every device if s.All, until s.Until, replacing any snooze of the same
// device, site or all. An Until not in the future ends the snooze at once;
// a Snooze that names nothing does nothing.
func (w *Watcher) Snooze(s Snooze) {
	k := s.key()
	w.mu.Lock()
	delete(w.snoozes, k)
	if s.Until.After(time.Now()) && k != (snoozeKey{}) {
		w.snoozes[k] = s
	}
	w.mu.Unlock()
	signal(w.wake)
}

// Snoozes lists the snoozes in force: of all devices first, then by site
// and device.
func (w *Watcher) Snoozes() []Snooze {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []Snooze
	for _, s := range w.snoozes {
		if s.Until.After(now) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Snooze) int {
		return cmp.Or(-cmpBool(a.All, b.All), cmp.Compare(a.Site, b.Site), cmp.Compare(a.DeviceID, b.DeviceID))
	})
	return out
}

// snoozedUntil is when d's snooze ends, or zero if it is not snoozed.
func (w *Watcher) snoozedUntil(d *inventory.Device, now time.Time) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	var until time.Time
	for k, s := range w.snoozes {
		if !s.Until.After(now) {
			delete(w.snoozes, k)
			continue
		}
		if (s.All || s.DeviceID == d.ID || s.Site != "" && s.Site == d.Known.Site) && s.Until.After(until) {
			until = s.Until
		}
	}
	return until
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
