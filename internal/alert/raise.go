package alert

import (
	"context"
	"time"

	"sitekeeper/internal/inventory"
)

// Store is what raising alerts needs of the inventory.
type Store interface {
	Devices(ctx context.Context) ([]inventory.Device, error)
	AddAlerts(ctx context.Context, alerts []inventory.Alert) ([]inventory.Alert, error)
	Settings(ctx context.Context) (inventory.Settings, error)
}

// Raise words health changes as alerts (FromChanges, with prev as there),
// stores them, and posts them to the webhook when the inventory's settings
// name one. It returns the alerts stored, with their devices, for a caller
// that shows them too (the window's desktop notifications). A webhook that
// fails after its retries does not fail Raise: the alerts are stored, and
// the error is returned beside them.
func Raise(ctx context.Context, st Store, changes []inventory.StatusChange, prev map[string]inventory.DeviceStatus, now time.Time) ([]Alert, inventory.Settings, error) {
	devs, err := st.Devices(ctx)
	if err != nil {
		return nil, inventory.Settings{}, err
	}
	byID := make(map[string]inventory.Device, len(devs))
	for _, d := range devs {
		byID[d.ID] = d
	}
	stored, err := st.AddAlerts(ctx, FromChanges(changes, byID, prev, now))
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
	if settings.WebhookURL != "" {
		err = Webhook{URL: settings.WebhookURL, Organisation: settings.Organisation, Retry: DefaultRetry}.Send(ctx, out)
	}
	return out, settings, err
}
