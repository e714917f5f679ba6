package alert

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sitekeeper/internal/health"
	"sitekeeper/internal/inventory"
)

// FromChanges words health changes for a facility manager: one alert per
// change that is news, in time order, ready for Store.AddAlerts. A change
// to offline, degraded or (back) online is news; a heartbeat (a change to
// the health the device already has) and a first check that finds a
// device online are not.
//
// prev is the status each device had before changes, as Store.Statuses
// returns it, and FromChanges brings it up to date with changes, so a
// caller keeps one map, read once from the store, and passes it with every
// batch. It tells a heartbeat from news, and when an outage began ("it was
// offline from 09:30 to 10:05"). A nil prev knows only the batch: a device
// back online is then news only if the batch saw it go down, and a
// heartbeat of an offline device reads as a new outage.
//
// devices names the devices (one missing is named by its ID). Times are
// written in now's location (time.Now: local time), as "15:04" on now's
// day and "Mon 2 Jan 15:04" before it.
func FromChanges(changes []inventory.StatusChange, devices map[string]inventory.Device, prev map[string]inventory.DeviceStatus, now time.Time) []inventory.Alert {
	if prev == nil {
		prev = map[string]inventory.DeviceStatus{}
	}
	cs := slices.Clone(changes)
	slices.SortStableFunc(cs, func(a, b inventory.StatusChange) int { return a.At.Compare(b.At) })
	var out []inventory.Alert
	for _, c := range cs {
		p := prev[c.DeviceID]
		if c.To == p.Health {
			if c.At.After(p.LastCheck) {
				p.LastCheck = c.At
				prev[c.DeviceID] = p
			}
			continue
		}
		d, ok := devices[c.DeviceID]
		if !ok {
			d = inventory.Device{ID: c.DeviceID}
		}
		w := wording{d: &d, c: c, was: p, now: now}
		if kind, msg, news := w.words(); news {
			out = append(out, inventory.Alert{Kind: kind, At: c.At, DeviceID: c.DeviceID, Message: msg})
		}
		prev[c.DeviceID] = inventory.DeviceStatus{Health: c.To, Since: c.At, Cause: c.Cause, LastCheck: c.At}
	}
	return out
}

// wording is one change to word, with the status it ends.
type wording struct {
	d   *inventory.Device
	c   inventory.StatusChange
	was inventory.DeviceStatus
	now time.Time
}

// words is the alert's kind and message, and whether the change is news.
func (w wording) words() (kind, msg string, news bool) {
	who := w.d.NameAndAddress()
	if site := w.d.Known.Site; site != "" {
		who += " at " + site
	}
	var b strings.Builder
	switch w.c.To {
	case inventory.HealthOffline:
		kind = KindOffline
		fmt.Fprintf(&b, "%s stopped answering at %s.", who, w.clock(w.c.At))
		if c := w.d.Class(); c == inventory.ClassCamera || c == inventory.ClassRecorder {
			b.WriteString(" Recordings from it may be missing since then.")
		}
		b.WriteString(" Check its power and network cable.")
		w.flapping(&b)
	case inventory.HealthDegraded:
		kind = degradedKind(w.c.Problems)
		b.WriteString(who)
		if w.was.Health == inventory.HealthOffline {
			b.WriteString(" is answering again but")
		}
		b.WriteString(" needs attention: " + sentence(checkName(degradedCause(w.c.Cause))))
	case inventory.HealthOnline:
		kind = KindOnline
		switch w.was.Health {
		case inventory.HealthOffline:
			b.WriteString(who + " is answering again" + w.spell("offline") + ".")
		case inventory.HealthDegraded:
			b.WriteString(who + " works fully again" + w.spell("needed attention") + ".")
		default: // a first check: not news
			return "", "", false
		}
		w.flapping(&b)
	default:
		return "", "", false
	}
	return kind, b.String(), true
}

// degradedKind is the kind of alert for a change to degraded: a wrong
// clock or an expiring certificate alone has its own kind (a person acts
// on each differently), anything else or a mix is "needs attention".
func degradedKind(problems []string) string {
	if len(problems) == 1 {
		switch problems[0] {
		case health.ProblemClock:
			return KindClockDrift
		case health.ProblemCertificate:
			return KindCertificateExpiring
		}
	}
	return KindDegraded
}

// spell is " (it was offline from 09:30 to 10:05, 35 min)", or "" when
// the spell's start is not known.
func (w wording) spell(what string) string {
	if w.was.Since.IsZero() || w.c.At.Before(w.was.Since) {
		return ""
	}
	if what == "offline" {
		what = "was offline"
	}
	return fmt.Sprintf(" (it %s from %s to %s, %s)", what, w.clock(w.was.Since), w.clock(w.c.At), duration(w.c.At.Sub(w.was.Since)))
}

// flapping adds the watcher's flapping cause, as it is, to an offline or
// online message: it says why the device seems to come and go.
func (w wording) flapping(b *strings.Builder) {
	if isFlapping(w.c.Cause) {
		b.WriteString(" " + sentence(w.c.Cause))
	}
}

// isFlapping reports whether cause is internal/watch's wording of a device
// going on and off ("flapping: 5 changes in the last hour; …", "steady
// again after flapping; …").
func isFlapping(cause string) bool {
	return strings.HasPrefix(cause, "flapping:") || strings.HasPrefix(cause, "steady again after flapping")
}

// clock is at in now's location: "15:04" on now's day, "Mon 2 Jan 15:04"
// before or after it.
func (w wording) clock(at time.Time) string {
	at = at.In(w.now.Location())
	y, m, d := at.Date()
	ny, nm, nd := w.now.Date()
	if y == ny && m == nm && d == nd {
		return at.Format("15:04")
	}
	return at.Format("Mon 2 Jan 15:04")
}

// degradedCause is the checks' cause without a trailing technical
// parenthesis ("the video service answers with an error (503 Service
// Unavailable)" loses the status line); a flapping cause is kept whole.
func degradedCause(cause string) string {
	cause = strings.TrimRight(strings.TrimSpace(cause), ".")
	if cause == "" {
		return "it answers, but not every check passes"
	}
	if isFlapping(cause) || !strings.HasSuffix(cause, ")") {
		return cause
	}
	depth := 0
	for i := len(cause) - 1; i >= 0; i-- {
		switch cause[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				if i == 0 || cause[i-1] != ' ' {
					return cause
				}
				return strings.TrimRight(cause[:i], " :;,")
			}
		}
	}
	return cause
}

// checkName writes a leading check name as people see protocols written,
// "https:443: its certificate …" as "HTTPS:443: its certificate …", rather
// than capitalise it into "Https".
func checkName(cause string) string {
	name, rest, ok := strings.Cut(cause, ": ")
	if !ok || isFlapping(cause) {
		return cause
	}
	proto, port, _ := strings.Cut(name, ":")
	if proto == "" || strings.Trim(proto, "abcdefghijklmnopqrstuvwxyz") != "" || strings.Trim(port, "0123456789") != "" {
		return cause
	}
	return strings.ToUpper(name) + ": " + rest
}

// sentence is s with a capital first letter and a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// duration is d in words, to the minute: "35 min", "2 h 5 min", "3 days 4 h".
func duration(d time.Duration) string {
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case d < time.Minute:
		return "less than a minute"
	case days == 1 && hours == 0:
		return "1 day"
	case days == 1:
		return fmt.Sprintf("1 day %d h", hours)
	case days > 1 && hours == 0:
		return fmt.Sprintf("%d days", days)
	case days > 1:
		return fmt.Sprintf("%d days %d h", days, hours)
	case hours > 0 && mins == 0:
		return fmt.Sprintf("%d h", hours)
	case hours > 0:
		return fmt.Sprintf("%d h %d min", hours, mins)
	}
	return fmt.Sprintf("%d min", mins)
}
