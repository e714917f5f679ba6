package plan

import (
	"context"
	"time"

	"sitekeeper/internal/firmware"
	"sitekeeper/internal/inventory"
)

// Store is what Gather reads of the inventory.
type Store interface {
	Devices(ctx context.Context) ([]inventory.Device, error)
	Sites(ctx context.Context) ([]inventory.Site, error)
	Statuses(ctx context.Context) (map[string]inventory.DeviceStatus, error)
	Outages(ctx context.Context, deviceID string, from, to time.Time) ([]inventory.Outage, error)
}

// Gather reads an Input from the inventory as of now: every device and
// site, the checks' current health, the last year's outages, and each
// active device's end of firmware support (its own date, else cat's for
// its model; cat may be nil).
func Gather(ctx context.Context, st Store, cat *firmware.Catalog, now time.Time) (Input, error) {
	in := Input{Today: inventory.DateOf(now), EndOfSupport: map[string]inventory.Date{}}
	var err error
	if in.Devices, err = st.Devices(ctx); err != nil {
		return Input{}, err
	}
	if in.Sites, err = st.Sites(ctx); err != nil {
		return Input{}, err
	}
	if in.Statuses, err = st.Statuses(ctx); err != nil {
		return Input{}, err
	}
	if in.Outages, err = st.Outages(ctx, "", now.AddDate(-1, 0, 0), now.Add(time.Minute)); err != nil {
		return Input{}, err
	}
	fleet := firmware.NewBaseline(in.Devices)
	for _, d := range in.Devices {
		if d.State() != inventory.StateActive {
			continue
		}
		if eos := firmware.Assess(d, cat, fleet, in.Today).EndOfSupport; !eos.IsZero() {
			in.EndOfSupport[d.ID] = eos
		}
	}
	return in, nil
}
