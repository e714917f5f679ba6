package inventory_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

// TestNotSeen: after a second scan, the device the first found and the
// second did not is named; one typed in by hand and never found, and one
// decommissioned, are not.
func TestNotSeen(t *testing.T) {
	ctx := context.Background()
	st := inventory.NewMemory()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	cam := func(ip, mac string) inventory.Discovered {
		return inventory.Discovered{IPs: []string{ip}, MAC: mac, Sources: []string{"wsd"}}
	}
	first, err := st.Reconcile(ctx, []inventory.Discovered{cam("198.18.1.10", "00:40:8c:00:00:10"), cam("198.18.1.11", "00:40:8c:00:00:11"), cam("198.18.1.12", "00:40:8c:00:00:12")}, t0)
	if err != nil {
		t.Fatal(err)
	}
	gone, err := st.Device(ctx, first.IDs[2])
	if err != nil {
		t.Fatal(err)
	}
	gone.Lifecycle = inventory.Lifecycle{State: inventory.StateDecommissioned, Date: inventory.DateOf(t0)}
	if err := st.Save(ctx, gone); err != nil {
		t.Fatal(err)
	}
	hand := inventory.Device{Known: inventory.Known{Name: "Gate intercom"}, Lifecycle: inventory.Lifecycle{State: inventory.StateActive}}
	if _, err := st.Create(ctx, hand); err != nil {
		t.Fatal(err)
	}
	second, err := st.Reconcile(ctx, []inventory.Discovered{cam("198.18.1.10", "00:40:8c:00:00:10")}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := st.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range inventory.NotSeen(devs, second) {
		ids = append(ids, d.ID)
	}
	if !slices.Equal(ids, []string{first.IDs[1]}) {
		t.Errorf("NotSeen = %v; want only %s (found before, active, not found now)", ids, first.IDs[1])
	}
}
