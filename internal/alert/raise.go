package alert

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sitekeeper/internal/firmware"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
)

// Store is what raising alerts needs of the inventory.
type Store interface {
	Devices(ctx context.Context) ([]inventory.Device, error)
	AddAlerts(ctx context.Context, alerts []inventory.Alert) ([]inventory.Alert, error)
	Settings(ctx context.Context) (inventory.Settings, error)
}

// Raise words health changes as alerts (FromChanges, with prev as there),
// stores them, and sends them where the inventory's settings say: the
// webhook, and e-mail when st carries a mail password (WithMail). It
// returns the alerts stored, with their devices, for a caller that shows
// them too (the window's desktop notifications). A channel that fails
// after its retries does not fail Raise: the alerts are stored, and the
// error is returned beside them.
func Raise(ctx context.Context, st Store, changes []inventory.StatusChange, prev map[string]inventory.DeviceStatus, now time.Time) ([]Alert, inventory.Settings, error) {
	devs, err := st.Devices(ctx)
	if err != nil {
		return nil, inventory.Settings{}, err
	}
	byID := make(map[string]inventory.Device, len(devs))
	for _, d := range devs {
		byID[d.ID] = d
	}
	return store(ctx, st, FromChanges(changes, byID, prev, now), byID)
}

// DatedStore is what RaiseDated needs: Store, the sites (for each
// device's strategy) and the alerts already raised, so that each date is
// told about once.
type DatedStore interface {
	Store
	Sites(ctx context.Context) ([]inventory.Site, error)
	Alerts(ctx context.Context, limit int) ([]inventory.Alert, error)
}

// DueWithin is how far ahead RaiseDated tells of dates.
const DueWithin = 90

// RaiseDated raises the alerts that come from dates rather than checks,
// then stores and sends them as Raise does; run it now and then (the window
// and sitekeeper watch do every hour):
//
//   - one for each active device whose firmware is no longer supported
//     (firmware.Assess against cat and the fleet), once per device;
//   - one for each warranty end, end of firmware support or end of
//     expected life of an active device within DueWithin days
//     (plan.Upcoming), once per date, saying whether its replacement is
//     planned then.
func RaiseDated(ctx context.Context, st DatedStore, cat *firmware.Catalog, now time.Time) ([]Alert, inventory.Settings, error) {
	devs, err := st.Devices(ctx)
	if err != nil {
		return nil, inventory.Settings{}, err
	}
	sites, err := st.Sites(ctx)
	if err != nil {
		return nil, inventory.Settings{}, err
	}
	old, err := st.Alerts(ctx, 0)
	if err != nil {
		return nil, inventory.Settings{}, err
	}
	told := map[string]bool{}
	for _, a := range old {
		switch a.Kind {
		case KindFirmwareUnsupported:
			told[a.DeviceID] = true
		case KindDueSoon:
			told[a.DeviceID+"\x00"+a.Message] = true
		}
	}
	fleet := firmware.NewBaseline(devs)
	today := inventory.DateOf(now)
	in := plan.Input{Devices: devs, Sites: sites, Today: today, EndOfSupport: map[string]inventory.Date{}}
	byID := make(map[string]inventory.Device, len(devs))
	var alerts []inventory.Alert
	for _, d := range devs {
		byID[d.ID] = d
		if d.State() != inventory.StateActive {
			continue
		}
		a := firmware.Assess(d, cat, fleet, today)
		if !a.EndOfSupport.IsZero() {
			in.EndOfSupport[d.ID] = a.EndOfSupport
		}
		if a.Status != firmware.StatusUnsupported || told[d.ID] {
			continue
		}
		alerts = append(alerts, inventory.Alert{Kind: KindFirmwareUnsupported, At: now, DeviceID: d.ID,
			Message: fmt.Sprintf("%s: its firmware is no longer supported by the maker. %s Plan its replacement: it gets no more security fixes.",
				d.NameAndAddress(), strings.TrimSpace(a.Reason))})
	}
	for _, r := range plan.Upcoming(in, plan.Policy{}, DueWithin) {
		msg := dueWords(r)
		if told[r.DeviceID+"\x00"+msg] {
			continue
		}
		alerts = append(alerts, inventory.Alert{Kind: KindDueSoon, At: now, DeviceID: r.DeviceID, Message: msg})
	}
	return store(ctx, st, alerts, byID)
}

// dueWords words a date coming up: "Gate camera (10.1.20.13) at Head
// office: its warranty ends on 20 February 2027. Its replacement is planned
// then." It holds nothing that changes from day to day, so that the same
// date is told about once.
func dueWords(r plan.Reminder) string {
	who := r.Name
	if r.Site != "" {
		who += " at " + r.Site
	}
	what := map[string]string{
		"Warranty ends":         "its warranty ends",
		"Firmware support ends": "its firmware support ends",
		"Expected life ends":    "its expected life ends",
	}[r.What]
	if what == "" {
		what = strings.ToLower(r.What)
	}
	s := fmt.Sprintf("%s: %s on %s", who, what, r.On.Time().Format("2 January 2006"))
	if r.Estimated {
		s += " (an estimate)"
	}
	if r.Planned {
		return s + ". Its replacement is planned then: order it in time."
	}
	return s + ". Decide whether to replace it, extend it, or let it run; the Plan view shows what each choice costs."
}

// store stores alerts, then sends them to every channel the settings turn
// on (the webhook, e-mail through st's Mail when it is a MailStore), and
// returns them with their devices. A channel that fails loses no alert
// (they are stored first) and holds back no other channel; the errors come
// back joined.
func store(ctx context.Context, st Store, alerts []inventory.Alert, byID map[string]inventory.Device) ([]Alert, inventory.Settings, error) {
	if len(alerts) == 0 {
		return nil, inventory.Settings{}, nil
	}
	stored, err := st.AddAlerts(ctx, alerts)
	if err != nil || len(stored) == 0 {
		return nil, inventory.Settings{}, err
	}
	out := make([]Alert, len(stored))
	for i, a := range stored {
		if d, ok := byID[a.DeviceID]; ok {
			out[i] = FromStored(a, &d)
		} else {
			out[i] = FromStored(a, nil)
		}
	}
	settings, err := st.Settings(ctx)
	if err != nil {
		return out, settings, err
	}
	return out, settings, send(ctx, st, settings, out)
}
