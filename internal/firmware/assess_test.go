package firmware

import (
	"strings"
	"testing"

	"sitekeeper/internal/inventory"
)

func dev(mfr, model, fw string) inventory.Device {
	return inventory.Device{ID: fw, Discovered: inventory.Discovered{Manufacturer: mfr, Model: model, Firmware: fw}}
}

func date(s string) inventory.Date {
	d, err := inventory.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAssess(t *testing.T) {
	cat := loadExample(t)
	today := date("2026-01-15")
	fleet := NewBaseline([]inventory.Device{
		dev("Pelco", "Sarix IXE", "2.9.0.4.9340-A0.0"),
		dev("Pelco", "Sarix IXE", "2.9.0.5.1000-A0.0"),
		dev("Pelco", "Sarix IXE", "2.9.0.5.1000-A0.0"),
		dev("TRENDnet", "TV-IP314PI", "5.3.4"),
		dev("Hikvision", "DS-2DE4A425IW-DE", "V5.2.0 build 140721"),
		dev("Hikvision", "DS-2DE4A425IW-DE", "V5.3.4 build 160830"),
	})
	ownEOS := dev("Axis", "P1448-LE", "10.12.153")
	ownEOS.Known.EndOfSupport = inventory.DateValue{Date: date("2025-12-31"), Estimated: true}
	extended := dev("Hikvision", "DS-2CD2142FWD-I", "V5.5.82 build 190909")
	extended.Known.EndOfSupport = inventory.DateValue{Date: date("2027-06-30")}
	personModel := dev("", "", "V5.7.3 build 220112")
	personModel.Known.Manufacturer, personModel.Known.Model = "HIKVISION", "DS-2CD2032-I"

	tests := []struct {
		name   string
		d      inventory.Device
		status Status
		basis  Basis
		reason string
	}{
		{"catalog behind", dev("Pelco", "IMP521-1ES", "5.55.1.2"), StatusBehind, BasisCatalog,
			"Firmware 5.55.1.2 is older than 5.80.1, the latest the catalog lists (released 2024-03-01)"},
		{"catalog current", dev("AXIS", "AXIS P1448-LE", "10.12.153"), StatusCurrent, BasisCatalog,
			"Firmware 10.12.153 is the latest the catalog lists (released 2024-03-01)"},
		{"catalog current trailing zeros", dev("Pelco", "IMP521-1ES", "5.80.1.0"), StatusCurrent, BasisCatalog,
			"Firmware 5.80.1.0 is the latest the catalog lists (released 2024-03-01)"},
		{"newer than catalog", dev("Axis", "P1448-LE", "11.0.1"), StatusCurrent, BasisCatalog,
			"Firmware 11.0.1 is newer than 10.12.153, the latest the catalog lists (released 2024-03-01); the catalog may be out of date"},
		{"build behind", dev("Hikvision", "DS-2CD2032-I", "V5.7.3 build 210101"), StatusBehind, BasisCatalog,
			"Firmware V5.7.3 build 210101 is older than V5.7.3 build 220112"},
		{"no build is not behind", dev("Hikvision", "DS-2CD2032-I", "V5.7.3"), StatusCurrent, BasisCatalog, "is the latest"},
		{"person's model", personModel, StatusCurrent, BasisCatalog, "is the latest"},
		{"catalog end of support", dev("Hikvision", "DS-2CD2142FWD-I", "V5.5.82 build 190909"), StatusUnsupported, BasisCatalog,
			"Support for this model ended on 2025-06-30; it gets no more security fixes, so plan its replacement"},
		{"unsupported even if unknown", dev("Hikvision", "DS-2CD2142FWD-I", ""), StatusUnsupported, BasisCatalog, "ended on 2025-06-30"},
		{"device end of support", ownEOS, StatusUnsupported, BasisDevice,
			"Support for this device ended on 2025-12-31 (an estimate)"},
		{"device's date wins over catalog's", extended, StatusCurrent, BasisCatalog, "is the latest"},
		{"future end of support", dev("Dahua", "IPC-HDW2431T-AS", "2.800.0000000.5.R"), StatusCurrent, BasisCatalog, "is the latest"},
		{"suffix only", dev("Dahua", "IPC-HDW2431T-AS", "2.800.0000000.5.T"), StatusCurrent, BasisCatalog, "is the latest"},
		{"firmware not said", dev("Axis", "P1448-LE", ""), StatusUnknown, BasisNone, "Firmware unknown: the device did not say"},
		{"firmware unreadable", dev("Axis", "P1448-LE", "unknown"), StatusUnknown, BasisNone, `Firmware "unknown" is not a version number`},
		{"no model", dev("Axis", "", "10.12.153"), StatusUnknown, BasisNone, "manufacturer or model is not known"},
		{"fleet behind", dev("Pelco", "Sarix IXE", "2.9.0.4.9340-A0.0"), StatusBehind, BasisFleet,
			"No catalog entry; newest in your fleet is 2.9.0.5.1000-A0.0 (on 2 of your 3 devices of this model), and this device runs 2.9.0.4.9340-A0.0"},
		{"fleet newest", dev("Pelco", "Sarix IXE", "2.9.0.5.1000-A0.0"), StatusCurrent, BasisFleet,
			"No catalog entry; 2.9.0.5.1000-A0.0 is the newest firmware among your 3 devices of this model (a newer one may exist)"},
		{"fleet hikvision outside the glob", dev("HIKVISION", "DS-2DE4A425IW-DE", "V5.2.0 build 140721"), StatusBehind, BasisFleet,
			"newest in your fleet is V5.3.4 build 160830"},
		{"only one of its model", dev("TRENDnet", "TV-IP314PI", "5.3.4"), StatusUnknown, BasisNone,
			"No catalog entry for the TRENDnet TV-IP314PI, and no other device of this model in the inventory to compare firmware 5.3.4 with"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Assess(tt.d, cat, fleet, today)
			if a.Status != tt.status || a.Basis != tt.basis || !strings.Contains(a.Reason, tt.reason) {
				t.Errorf("Assess(%s %s %q) = %s/%q, %q; want %s/%q, %q", tt.d.Manufacturer(), tt.d.Model(), tt.d.Firmware(), a.Status, a.Basis, a.Reason, tt.status, tt.basis, tt.reason)
			}
		})
	}
}

func TestAssessEndOfSupportDay(t *testing.T) {
	cat := loadExample(t)
	d := dev("Hikvision", "DS-2CD2142FWD-I", "V5.5.82 build 190909")
	for today, want := range map[string]Status{"2025-06-30": StatusCurrent, "2025-07-01": StatusUnsupported} {
		if a := Assess(d, cat, Baseline{}, date(today)); a.Status != want {
			t.Errorf("Assess on %s = %s (%q); want %s", today, a.Status, a.Reason, want)
		}
	}
	if a := Assess(d, nil, Baseline{}, date("2030-01-01")); a.Status != StatusUnknown {
		t.Errorf("Assess with no catalog and no fleet = %s (%q); want unknown", a.Status, a.Reason)
	}
}

func TestBaseline(t *testing.T) {
	retired := dev("Axis", "P1448-LE", "99.0")
	retired.Lifecycle.State = inventory.StateDecommissioned
	spare := dev("Axis", "P1448-LE", "10.12.200")
	spare.Lifecycle.State = inventory.StateSpare
	b := NewBaseline([]inventory.Device{
		dev("AXIS", "AXIS P1448-LE", "10.12.153"),
		dev("Axis Communications AB", "p1448-le", "9.80.1"),
		dev("Axis", "P1448-LE", "not a version"),
		dev("Axis", "P1448-LE", ""),
		retired, spare,
		dev("Axis", "Q6045", "5.0"),
		dev("", "P1448-LE", "50.0"),
	})
	fv, ok := b.Newest("axis", "P1448-LE")
	if !ok || fv.Version.String() != "10.12.200" || fv.Devices != 3 || fv.Running != 1 {
		t.Errorf("Newest(axis, P1448-LE) = %q on %d of %d, %v; want 10.12.200 on 1 of 3", fv.Version, fv.Running, fv.Devices, ok)
	}
	if _, ok := (Baseline{}).Newest("axis", "P1448-LE"); ok {
		t.Error("zero Baseline knows a model")
	}
}
