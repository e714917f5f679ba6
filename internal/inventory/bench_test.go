package inventory_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

// fleet returns n realistic devices: every field a spreadsheet would fill.
func fleet(n int) []inventory.Device {
	out := make([]inventory.Device, n)
	for i := range out {
		out[i] = inventory.Device{
			Discovered: inventory.Discovered{
				IPs: []string{fmt.Sprintf("198.18.%d.%d", i/250, i%250+1)}, Firmware: "V5.7.3 build 220112",
				Sources: []string{"import"}, Manufacturer: "Hikvision", Model: "DS-2CD2143G2-I",
			},
			Known: inventory.Known{
				Name: fmt.Sprintf("Camera %05d", i), Site: fmt.Sprintf("Site %d", i%7), Location: "Building B, floor 2",
				Serial: fmt.Sprintf("DS-2CD2143G2-I20220101AAWRG%08d", i), MAC: fmt.Sprintf("68:6d:bc:%02x:%02x:%02x", i>>16, (i>>8)&0xff, i&0xff),
				Class: inventory.ClassCamera, OTOwner: inventory.Owner{Team: "Security", Contact: "security@example.org"},
				ITOwner: inventory.Owner{Team: "IT", Contact: "it@example.org"}, BudgetOwner: inventory.BudgetSplit{OT: 60, IT: 40},
				InstallDate:     inventory.DateValue{Date: inventory.Date{Year: 2021, Month: 4, Day: 1}},
				WarrantyEnd:     inventory.DateValue{Date: inventory.Date{Year: 2026, Month: 4, Day: 1}, Estimated: true},
				ReplacementCost: inventory.MoneyFromCents(32900), Notes: "Covers the loading bay",
			},
		}
	}
	return out
}

func seeded(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "inventory.db")
	db, err := inventory.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Import(context.Background(), fleet(n), nil); err != nil {
		b.Fatal(err)
	}
	db.Close()
	return path
}

// BenchmarkOpenList10k: open the file and list 10,000 devices, as the
// window and `sitekeeper devices` do at start. Target: under 200 ms.
func BenchmarkOpenList10k(b *testing.B) {
	path := seeded(b, 10_000)
	for b.Loop() {
		db, err := inventory.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		ds, err := db.Devices(context.Background())
		if err != nil || len(ds) != 10_000 {
			b.Fatalf("Devices() = %d, %v", len(ds), err)
		}
		db.Close()
	}
}

// BenchmarkReconcile250Into10k: one scan of 250 devices (half known by MAC,
// half new) folded into a 10,000-device inventory in one transaction.
func BenchmarkReconcile250Into10k(b *testing.B) {
	path := seeded(b, 10_000)
	db, err := inventory.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	found := make([]inventory.Discovered, 250)
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	i := 0
	for b.Loop() {
		for j := range found {
			mac := fmt.Sprintf("68:6d:bc:%02x:%02x:%02x", j>>16, (j>>8)&0xff, j&0xff) // known
			if j%2 == 1 {
				mac = fmt.Sprintf("02:aa:%02x:%02x:%02x:%02x", i>>8&0xff, i&0xff, j>>8, j&0xff) // new every round
			}
			found[j] = inventory.Discovered{MAC: mac, IPs: []string{fmt.Sprintf("198.19.%d.%d", j/250, j%250+1)},
				Manufacturer: "Hikvision", Model: "DS-2CD2143G2-I", Firmware: fmt.Sprintf("V5.7.%d", i%3),
				Sources: []string{"wsd", "onvif"}, EndpointRef: fmt.Sprintf("urn:uuid:%08d-%04d", i, j)}
		}
		res, err := db.Reconcile(context.Background(), found, now.Add(time.Duration(i)*time.Minute))
		if err != nil || len(res.IDs) != 250 {
			b.Fatalf("Reconcile = %+v, %v", res, err)
		}
		i++
	}
}
