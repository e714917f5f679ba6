package watch

import (
	"sync"
	"time"

	"sitekeeper/internal/inventory"
)

// ConfigFrom returns base with the intervals and pauses a person chose in
// Settings (inventory.CheckSettings) in place of base's: the default
// interval, the overrides by site, class and device, and the pauses as
// Snoozes. Intervals of zero or less are left out, so the next rule out
// applies (device, class, site, the default). It does not read the clock:
// pauses that have ended are dropped by New and Apply.
func ConfigFrom(base Config, s inventory.CheckSettings) Config {
	base.Interval = seconds(s.IntervalSeconds)
	base.SiteInterval = secondsMap(s.SiteIntervalSeconds)
	base.ClassInterval = secondsMap(s.ClassIntervalSeconds)
	base.DeviceInterval = secondsMap(s.DeviceIntervalSeconds)
	base.Snoozes = nil
	for _, p := range s.Pauses {
		base.Snoozes = append(base.Snoozes, Snooze{DeviceID: p.DeviceID, Site: p.Site, All: p.All, Until: p.Until, Reason: p.Reason})
	}
	return base
}

func seconds(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

func secondsMap[K comparable](m map[K]int) map[K]time.Duration {
	var out map[K]time.Duration
	for k, n := range m {
		if n <= 0 {
			continue
		}
		if out == nil {
			out = make(map[K]time.Duration, len(m))
		}
		out[k] = seconds(n)
	}
	return out
}

// Apply puts changed check settings into effect on a Watcher, running or
// not, without a restart: the intervals and the pauses (snoozes) of s
// replace the Watcher's, and the checker's SNMP community is set if the
// checker has one (HealthChecker.SNMP). A device waiting for a check
// longer than its new interval is checked within that interval; otherwise
// the new interval counts from its next check. A pause that ended is
// dropped; a device whose pause was lifted is checked at once. Apply does
// not block: it may be called from the UI goroutine.
func (w *Watcher) Apply(s inventory.CheckSettings) {
	c := ConfigFrom(Config{}, s)
	now := time.Now()
	w.mu.Lock()
	w.cfg.Interval = orDefault(c.Interval, DefaultInterval)
	w.cfg.SiteInterval = c.SiteInterval
	w.cfg.ClassInterval = c.ClassInterval
	w.cfg.DeviceInterval = c.DeviceInterval
	clear(w.snoozes)
	for _, sn := range c.Snoozes {
		k := sn.key()
		if k == (snoozeKey{}) || !sn.Until.After(now) {
			continue
		}
		if old, ok := w.snoozes[k]; ok && old.Until.After(sn.Until) {
			continue // two pauses of the same device or site: the longer holds
		}
		w.snoozes[k] = sn
	}
	w.mu.Unlock()
	if a, ok := w.checker.(settingsApplier); ok {
		a.applySettings(s)
	}
	signal(w.wake)
}

// settingsApplier is a Checker that takes settings of its own from Apply.
type settingsApplier interface {
	applySettings(s inventory.CheckSettings)
}

// interval resolves a device's interval under the lock, as Apply may
// replace the rules while Run runs.
func (w *Watcher) interval(d *inventory.Device) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cfg.interval(d)
}

// Community is the SNMP read community a HealthChecker uses, shared with
// Apply so that a community a person sets in Settings is used from the
// next check on. Its methods are safe for concurrent use; the zero value
// (and a nil *Community) is no community, which skips the SNMP check.
type Community struct {
	mu sync.Mutex
	v  string
}

// NewCommunity returns a Community set to v.
func NewCommunity(v string) *Community { return &Community{v: v} }

// Get returns the community ("" for none).
func (c *Community) Get() string {
	if c == nil {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.v
}

// Set replaces the community ("" turns the SNMP check off).
func (c *Community) Set(v string) {
	c.mu.Lock()
	c.v = v
	c.mu.Unlock()
}

// applySettings takes the SNMP community from Apply.
func (c HealthChecker) applySettings(s inventory.CheckSettings) {
	if c.SNMP != nil {
		c.SNMP.Set(s.SNMPCommunity)
	}
}
