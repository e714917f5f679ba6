package alert

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sitekeeper/internal/firmware"
	"sitekeeper/internal/inventory"
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

// FirmwareStore is what RaiseFirmware needs: Store, and the alerts already
// raised, so that each device is told about once.
type FirmwareStore interface {
	Store
	Alerts(ctx context.Context, limit int) ([]inventory.Alert, error)
}

// RaiseFirmware raises one alert for each active device whose firmware is
// no longer supported (firmware.Assess against cat and the fleet) and that
// has no such alert yet, then stores and posts them as Raise does. Run it
// now and then (the window does every hour): support ends on a date, not
// on a check.
func RaiseFirmware(ctx context.Context, st FirmwareStore, cat *firmware.Catalog, now time.Time) ([]Alert, inventory.Settings, error) {
	devs, err := st.Devices(ctx)
	if err != nil {
		return nil, inventory.Settings{}, err
	}
	old, err := st.Alerts(ctx, 0)
	if err != nil {
		return nil, inventory.Settings{}, err
	}
	told := map[string]bool{}
	for _, a := range old {
		if a.Kind == KindFirmwareUnsupported {
			told[a.DeviceID] = true
		}
	}
	fleet := firmware.NewBaseline(devs)
	today := inventory.DateOf(now)
	byID := make(map[string]inventory.Device, len(devs))
	var alerts []inventory.Alert
	for _, d := range devs {
		byID[d.ID] = d
		if d.State() != inventory.StateActive || told[d.ID] {
			continue
		}
		a := firmware.Assess(d, cat, fleet, today)
		if a.Status != firmware.StatusUnsupported {
			continue
		}
		alerts = append(alerts, inventory.Alert{Kind: KindFirmwareUnsupported, At: now, DeviceID: d.ID,
			Message: fmt.Sprintf("%s: its firmware is no longer supported by the maker. %s Plan its replacement: it gets no more security fixes.",
				d.NameAndAddress(), strings.TrimSpace(a.Reason))})
	}
	return store(ctx, st, alerts, byID)
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
