package transfer

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

func day(t *testing.T, s string) inventory.DateValue {
	t.Helper()
	d, err := inventory.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return inventory.DateValue{Date: d}
}

// wantRealistic is what testdata/realistic.csv says about each device, by
// name: every Known value the file sets, as it must be stored.
func wantRealistic(t *testing.T) map[string]inventory.Known {
	sec := inventory.Owner{Team: "Security", Contact: "security@example.com"}
	itInfra := inventory.Owner{Team: "IT Infrastructure", Contact: "it-infra@example.com"}
	estimated := func(v inventory.DateValue) inventory.DateValue { v.Estimated = true; return v }
	return map[string]inventory.Known{
		"Lobby camera": {Name: "Lobby camera", Site: "HQ", Location: "Entrance hall, north wall",
			Manufacturer: "AXIS", Model: "P3245-V", Serial: "ACCC8E123456", MAC: "00:40:8c:12:34:56", Class: inventory.ClassCamera,
			OTOwner: sec, ITOwner: itInfra, BudgetOwner: inventory.BudgetSplit{OT: 60, IT: 40},
			InstallDate: day(t, "2021-03-15"), WarrantyEnd: day(t, "2026-03-15"), EndOfSupport: day(t, "2028-12-31"),
			ExpectedLifeYears: 8, ReplacementCost: 125000, Strategy: inventory.StrategyWarranty,
			Notes: "Replaced lens in 2023 — keep the spare in room B12"},
		"Parking camera": {Name: "Parking camera", Site: "HQ", Location: "Car park level -1",
			Manufacturer: "Axis Communications", Model: "Q6135-LE", Serial: "ACCC8E654321", MAC: "00:40:8c:12:34:57", Class: inventory.ClassCamera,
			OTOwner: sec, BudgetOwner: inventory.BudgetSplit{OT: 100},
			InstallDate: day(t, "2022-03-31"), WarrantyEnd: estimated(day(t, "2027-03-31")),
			ReplacementCost: 240000, Strategy: inventory.StrategyEarliest,
			Notes: "Heater fitted; check before winter, every year"},
		"NVR 1": {Name: "NVR 1", Site: "HQ", Location: "Server room",
			Manufacturer: "Hikvision", Model: "DS-7716NI-K4", Serial: "DS7716-2020-0042", MAC: "00:1b:c5:00:12:34", Class: inventory.ClassRecorder,
			OTOwner: sec, ITOwner: itInfra, BudgetOwner: inventory.BudgetSplit{OT: 50, IT: 50},
			InstallDate: day(t, "2020-06-13"), WarrantyEnd: day(t, "2025-06-13"), EndOfSupport: day(t, "2026-12-31"),
			ReplacementCost: 320000, Strategy: inventory.StrategySupport,
			Notes: "Disk 3 replaced.\nHe said \"reboot monthly\", so we do."},
		"Door controller Café": {Name: "Door controller Café", Site: "Annex", Location: "Bâtiment B – accueil",
			Manufacturer: "Gallagher", Model: "Controller 6000", Serial: "GC6-998877", MAC: "00:1b:2c:3d:4e:5f", Class: inventory.ClassAccessControl,
			OTOwner: inventory.Owner{Team: "Facilities", Contact: "+33 1 23 45 67 89"}, BudgetOwner: inventory.BudgetSplit{IT: 100},
			InstallDate: day(t, "2019-11-04"), WarrantyEnd: day(t, "2024-11-04"),
			ExpectedLifeYears: 12, ReplacementCost: 118050, Strategy: inventory.StrategyFailure,
			Notes: "Spare kept in the café store"},
		"Drucker 2. OG": {Name: "Drucker 2. OG", Site: "Zürich office", Location: "Flur 2. OG",
			Manufacturer: "HP", Model: "LaserJet M404dn", Serial: "PHBBK12345", MAC: "a4:5d:36:01:02:03", Class: inventory.ClassPrinter,
			ITOwner: inventory.Owner{Team: "Büro-IT", Contact: "it@example.ch"}, BudgetOwner: inventory.BudgetSplit{IT: 100},
			InstallDate: day(t, "2022-02-01"), WarrantyEnd: day(t, "2025-02-01"),
			ExpectedLifeYears: 5, ReplacementCost: 39900, Notes: "- toner ordered by reception"},
		"=Reception intercom": {Name: "=Reception intercom", Site: "HQ", Location: "Reception desk",
			Manufacturer: "2N", Model: "IP Verso", Serial: "54-1234-5678", MAC: "00:0e:29:aa:bb:cc", Class: inventory.ClassIntercom,
			OTOwner: sec, BudgetOwner: inventory.BudgetSplit{OT: 100},
			InstallDate: day(t, "2023-05-10"), WarrantyEnd: day(t, "2026-05-10"),
			ReplacementCost: 85000, Notes: "@front desk asks for PIN"},
		"": {},
		"Loading dock I/O": {Name: "Loading dock I/O", Site: "Annex", Location: "Dock 3",
			Manufacturer: "Advantech", Model: "ADAM-6060", Class: inventory.ClassIO},
	}
}

func TestCSVRoundTrip(t *testing.T) {
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			first := s.open(t)
			sum := mustImport(t, first, "realistic.csv", readTestdata(t, "realistic.csv"))
			if sum.Imported != 8 || len(sum.Warnings) != 0 || len(sum.Skipped) != 0 {
				t.Fatalf("Import(realistic.csv) = %+v; want 8 imported, no warnings", sum)
			}
			exported := exportCSV(t, first)

			second := s.open(t)
			mustImport(t, second, "export.csv", exported)
			if again := exportCSV(t, second); !bytes.Equal(again, exported) {
				t.Errorf("CSV export after a round trip differs:\n%s\nwant\n%s", again, exported)
			}

			want := wantRealistic(t)
			got := byName(devices(t, second))
			if len(got) != len(want) {
				t.Errorf("after the round trip: %d distinct names; want %d", len(got), len(want))
			}
			for name, k := range want {
				d, ok := got[name]
				if !ok {
					t.Errorf("device %q is missing after the round trip", name)
					continue
				}
				if !reflect.DeepEqual(d.Known, k) {
					t.Errorf("device %q Known after the round trip =\n%+v; want\n%+v", name, d.Known, k)
				}
			}
			lobby := got["Lobby camera"]
			if !slices.Equal(lobby.Discovered.IPs, []string{"192.168.10.21"}) || lobby.Discovered.Firmware != "10.12.182" ||
				!slices.Equal(lobby.Discovered.Sources, []string{"import"}) {
				t.Errorf("Lobby camera Discovered = %+v; want ip 192.168.10.21, firmware 10.12.182, sources [import]", lobby.Discovered)
			}
			if cafe := got["Door controller Café"]; cafe.State() != inventory.StateSpare || len(cafe.Discovered.Sources) != 0 {
				t.Errorf("Door controller Café state %q, sources %v; want spare, none", cafe.State(), cafe.Discovered.Sources)
			}
			if bare := got[""]; bare.Firmware() != "1.0.3" || bare.IP() != "192.168.10.77" {
				t.Errorf("unnamed device = %+v; want ip 192.168.10.77, firmware 1.0.3", bare.Discovered)
			}
		})
	}
}

// populate fills st with what a JSON export must carry: settings, sites
// with class strategies, scanned devices with histories (found, IP and
// firmware changes, conflicts), a person's edits, estimated values and a
// decommissioned device.
func populate(t *testing.T, st inventory.Store) {
	t.Helper()
	ctx := context.Background()
	if err := st.PutSettings(ctx, inventory.Settings{Organisation: "Acme Facilities", Currency: "CHF"}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []inventory.Site{
		{Name: "HQ", Address: "1 Main Street", Strategy: inventory.StrategyAge,
			ClassStrategy: map[inventory.Class]inventory.Strategy{inventory.ClassCamera: inventory.StrategyWarranty, inventory.ClassRecorder: inventory.StrategySupport}},
		{Name: "Annex", Notes: "Bâtiment B — accueil <rez-de-chaussée>"},
	} {
		if err := st.PutSite(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	t1 := time.Date(2025, 3, 1, 9, 30, 0, 123456789, time.UTC)
	cam := inventory.Discovered{IPs: []string{"192.168.10.21"}, MAC: "00:40:8c:12:34:56", Manufacturer: "AXIS", Model: "P3245-V",
		Firmware: "10.12.182", Serial: "ACCC8E123456", HardwareID: "8A2", Class: inventory.ClassCamera,
		EndpointRef: "urn:uuid:5f5a1c3e-0000-4000-8000-accc8e123456", XAddrs: []string{"http://192.168.10.21/onvif/device_service"},
		Services: []string{"_axis-video._tcp"}, Sources: []string{"wsd", "mdns"}, Interface: "eth0", Hostnames: []string{"axis-accc8e123456.local"}}
	nvr := inventory.Discovered{IPs: []string{"192.168.10.5"}, MAC: "00:1b:c5:00:12:34", Manufacturer: "Hikvision", Model: "DS-7716NI-K4",
		Firmware: "V4.30.085", Class: inventory.ClassRecorder, Sources: []string{"wsd"}}
	res, err := st.Reconcile(ctx, []inventory.Discovered{cam, nvr}, t1)
	if err != nil {
		t.Fatal(err)
	}
	cam.IPs, cam.Firmware, cam.Model = []string{"192.168.10.23"}, "11.1.0", "P3245-LVE"
	if _, err := st.Reconcile(ctx, []inventory.Discovered{cam}, t1.Add(36*time.Hour)); err != nil {
		t.Fatal(err)
	}
	d, err := st.Device(ctx, res.IDs[0])
	if err != nil {
		t.Fatal(err)
	}
	d.Known = inventory.Known{Name: "Lobby camera", Site: "HQ", Location: "Entrance hall", Model: "P3245-V",
		OTOwner: inventory.Owner{Team: "Security", Contact: "security@example.com"}, BudgetOwner: inventory.BudgetSplit{OT: 60, IT: 40},
		InstallDate: day(t, "2021-03-15"), WarrantyEnd: inventory.DateValue{Date: day(t, "2026-03-15").Date, Estimated: true},
		ExpectedLifeYears: 8, ReplacementCost: 125050, ReplacementCostEstimated: true, Notes: "=cmd|' /C calc'!A0 — a note"}
	if err := st.Save(ctx, d); err != nil {
		t.Fatal(err)
	}
	n, err := st.Device(ctx, res.IDs[1])
	if err != nil {
		t.Fatal(err)
	}
	n.Known.Name = "Old NVR"
	n.Lifecycle = inventory.Lifecycle{State: inventory.StateDecommissioned, Date: day(t, "2025-04-01").Date, Reason: "disk failures", Successor: res.IDs[0]}
	if err := st.Save(ctx, n); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Create(ctx, inventory.Device{Known: inventory.Known{Name: "Spare camera", Site: "Annex", Class: inventory.ClassCamera,
		Manufacturer: "Axis", Serial: "SPARE-1", PurchaseDate: day(t, "2024-01-10"), Strategy: inventory.StrategyFailure},
		Lifecycle: inventory.Lifecycle{State: inventory.StateSpare}}); err != nil {
		t.Fatal(err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			src := s.open(t)
			populate(t, src)
			exported := exportJSON(t, src)

			dst := s.open(t)
			var progress []int
			sum, err := Import(ctx, dst, bytes.NewReader(exported), "inventory.json", Options{Progress: func(done, total int) { progress = append(progress, done*10+total) }})
			if err != nil || sum.Imported != 3 || len(sum.Warnings) != 0 {
				t.Fatalf("Import(export) = %+v, %v; want 3 imported", sum, err)
			}
			if !slices.Equal(progress, []int{13, 23, 33}) {
				t.Errorf("progress (done*10+total) = %v; want [13 23 33]", progress)
			}
			if again := exportJSON(t, dst); !bytes.Equal(again, exported) {
				t.Errorf("JSON export after a round trip differs:\n%s\nwant\n%s", again, exported)
			}
			for _, get := range []struct {
				what string
				f    func(inventory.Store) (any, error)
			}{
				{"Snapshot", func(st inventory.Store) (any, error) { return st.Snapshot(ctx) }},
				{"Sites", func(st inventory.Store) (any, error) { return st.Sites(ctx) }},
				{"Settings", func(st inventory.Store) (any, error) { return st.Settings(ctx) }},
			} {
				want, err1 := get.f(src)
				got, err2 := get.f(dst)
				if err1 != nil || err2 != nil {
					t.Fatalf("%s: %v, %v", get.what, err1, err2)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s after the round trip =\n%+v; want\n%+v", get.what, got, want)
				}
			}
		})
	}
}
