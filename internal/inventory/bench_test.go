package inventory_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

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

// BenchmarkHealthYear measures how the health history grows: a year of
// 1-minute checks of 1,000 cameras, stored as the scheduler stores them —
// daily check counts per device, flushed flushes times a day, and the
// transitions: 2% of the devices flap three times a week (down 2–10
// minutes), and every device has one offline spell of up to 4 hours a
// quarter and one degraded hour a month. It reports the file's size after
// the year (MB; bbolt grows a file in steps of up to 16 MB), the pages in
// use (MB-pages), the transitions written, and the time of a 90-day
// Availability and a site's 30-day Gaps; ns/op is one flush of 1,000
// devices' counts into the year-old file.
//
//	go test ./internal/inventory -run '^$' -bench HealthYear -benchtime 20x
func BenchmarkHealthYear(b *testing.B) {
	for _, flushes := range []int{1, 24} {
		b.Run(fmt.Sprintf("flushes=%d", flushes), func(b *testing.B) { benchHealthYear(b, flushes) })
	}
}

func benchHealthYear(b *testing.B, flushes int) {
	const devices = 1_000
	path := seeded(b, devices)
	db, err := inventory.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { db.Close() }()
	ctx := context.Background()
	devs, err := db.Devices(ctx)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2025, 11, 26, 0, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(4, 2))
	initial := make([]inventory.StatusChange, devices)
	for i, d := range devs {
		initial[i] = inventory.StatusChange{DeviceID: d.ID, At: start, To: inventory.HealthOnline}
	}
	if err := db.RecordStatus(ctx, initial); err != nil {
		b.Fatal(err)
	}
	transitions := 0
	tallies := make([]inventory.CheckTally, devices)
	for day := range 365 {
		midnight := start.AddDate(0, 0, day)
		failed := make([]int, devices)
		var changes []inventory.StatusChange
		spell := func(i int, to inventory.Health, at, length time.Duration, cause string) {
			from := midnight.Add(at)
			changes = append(changes,
				inventory.StatusChange{DeviceID: devs[i].ID, At: from, To: to, Cause: cause},
				inventory.StatusChange{DeviceID: devs[i].ID, At: from.Add(length), To: inventory.HealthOnline})
			if to == inventory.HealthOffline {
				failed[i] += int(length / time.Minute)
			}
		}
		for i := range devices {
			minute := time.Duration(rng.IntN(1440-300)) * time.Minute
			switch {
			case i < devices/50 && day%7 < 6 && day%2 == 1: // flappers, three times a week
				spell(i, inventory.HealthOffline, minute, time.Duration(2+rng.IntN(9))*time.Minute, "no answer to ping")
			case (day+i)%91 == 0:
				spell(i, inventory.HealthOffline, minute, time.Duration(10+rng.IntN(231))*time.Minute, "no answer to ping")
			case (day+i*7)%30 == 0:
				spell(i, inventory.HealthDegraded, minute, time.Hour, "RTSP port 554 closed")
			}
		}
		if err := db.RecordStatus(ctx, changes); err != nil {
			b.Fatal(err)
		}
		transitions += len(changes)
		for f := range flushes {
			for i, d := range devs {
				ok := 1440 - failed[i]
				tallies[i] = inventory.CheckTally{DeviceID: d.ID, Day: inventory.DateOf(midnight),
					OK: ok*(f+1)/flushes - ok*f/flushes, Failed: failed[i]*(f+1)/flushes - failed[i]*f/flushes}
			}
			if err := db.RecordChecks(ctx, tallies); err != nil {
				b.Fatal(err)
			}
		}
	}
	db.Close()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	used := pagesInUse(b, path)
	if db, err = inventory.Open(path); err != nil {
		b.Fatal(err)
	}
	end := start.AddDate(1, 0, 0)
	t := time.Now()
	if _, err := db.Availability(ctx, devs[0].ID, end.AddDate(0, 0, -90), end, end); err != nil {
		b.Fatal(err)
	}
	avail := time.Since(t)
	t = time.Now()
	gaps, err := db.Gaps(ctx, "Site 3", end.AddDate(0, 0, -30), end)
	if err != nil || len(gaps) == 0 {
		b.Fatalf("Gaps() = %d gaps, %v", len(gaps), err)
	}
	gapsTook := time.Since(t)

	day := 0
	for b.Loop() {
		for i, d := range devs {
			tallies[i] = inventory.CheckTally{DeviceID: d.ID, Day: inventory.DateOf(end.AddDate(0, 0, day)), OK: 1440 / flushes}
		}
		if err := db.RecordChecks(ctx, tallies); err != nil {
			b.Fatal(err)
		}
		day++
	}
	// After the loop: b.Loop's start clears metrics reported before it.
	b.ReportMetric(float64(fi.Size())/1e6, "MB/year")
	b.ReportMetric(float64(used)/1e6, "MB-pages/year")
	b.ReportMetric(float64(transitions), "transitions/year")
	b.ReportMetric(float64(avail.Microseconds())/1e3, "ms/availability-90d")
	b.ReportMetric(float64(gapsTook.Microseconds())/1e3, "ms/gaps-site-30d")
}

// pagesInUse is the size of the pages bbolt has handed out in the file at
// path, free ones included: the file itself is larger by bbolt's growth step.
func pagesInUse(b *testing.B, path string) int64 {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int64
	_ = db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n
}
