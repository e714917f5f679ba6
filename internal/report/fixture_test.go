package report

import (
	"fmt"
	"time"

	"sitekeeper/internal/firmware"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
)

// generated is the fixed "now" of every report test.
var generated = time.Date(2026, 11, 26, 14, 30, 0, 0, time.UTC)

func d(s string) inventory.Date {
	v, err := inventory.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func dv(s string) inventory.DateValue { return inventory.DateValue{Date: d(s)} }

func eur(v int64) inventory.Money { return inventory.Money(v * 100) }

// twoSites is a realistic inventory of two sites: a head office with
// cameras, a recorder, door controllers and an intercom, and a warehouse
// with cameras and a printer; some values are missing, some estimated,
// some devices offline or degraded, one replaced.
func twoSites() Data {
	ot, it, split := inventory.BudgetSplit{OT: 100}, inventory.BudgetSplit{IT: 100}, inventory.BudgetSplit{OT: 60, IT: 40}
	seen := time.Date(2023, 4, 12, 9, 0, 0, 0, time.UTC)
	var devs []inventory.Device
	add := func(id, name, site, loc string, c inventory.Class, maker, model, fw, ip string, k inventory.Known) {
		k.Name, k.Site, k.Location, k.Class = name, site, loc, c
		devs = append(devs, inventory.Device{ID: id, Known: k, Discovered: inventory.Discovered{
			IPs: []string{ip}, MAC: fmt.Sprintf("00:40:8c:12:%02x:%02x", len(devs), len(devs)*7%256), Manufacturer: maker, Model: model, Firmware: fw,
			Serial: fmt.Sprintf("SN%06d", 4711+len(devs)*13), FirstSeen: seen,
			XAddrs: []string{"http://" + ip + "/onvif/device_service"}}})
	}
	hq, wh := "Head office", "Warehouse Nord"
	add("c01", "Entrance camera", hq, "Main entrance", inventory.ClassCamera, "Axis", "P3265-LVE", "11.9.60", "10.1.20.11",
		inventory.Known{InstallDate: dv("2022-03-01"), WarrantyEnd: dv("2027-03-01"), ReplacementCost: eur(1190), BudgetOwner: ot})
	add("c02", "Reception camera", hq, "Reception — ground floor", inventory.ClassCamera, "Axis", "P3265-LVE", "10.12.153", "10.1.20.12",
		inventory.Known{InstallDate: dv("2020-06-15"), ReplacementCost: eur(1190), BudgetOwner: ot})
	add("c03", "Car park camera", hq, "Car park, north corner", inventory.ClassCamera, "Hikvision", "DS-2CD2142FWD-I", "V5.5.82 build 190909", "10.1.20.13",
		inventory.Known{InstallDate: dv("2019-09-01"), WarrantyEnd: dv("2022-09-01"), ReplacementCost: eur(340), BudgetOwner: split})
	add("c04", "Café terrace camera", hq, "Terrasse du café", inventory.ClassCamera, "Bosch", "FLEXIDOME IP 5000i", "7.80.0128", "10.1.20.14",
		inventory.Known{InstallDate: dv("2024-02-20"), WarrantyEnd: dv("2027-02-20"), BudgetOwner: ot})
	add("r01", "Recorder", hq, "Server room", inventory.ClassRecorder, "Hanwha Vision", "XRN-1620B2", "2.10.3", "10.1.20.5",
		inventory.Known{InstallDate: dv("2021-01-10"), WarrantyEnd: dv("2024-01-10"), ReplacementCost: eur(2850), BudgetOwner: it, Strategy: inventory.StrategyAge})
	add("a01", "Main door controller", hq, "Main entrance", inventory.ClassAccessControl, "Axis", "A1610-B", "11.2.3", "10.1.20.30",
		inventory.Known{InstallDate: dv("2023-05-01"), WarrantyEnd: dv("2028-05-01"), ReplacementCost: eur(890), BudgetOwner: ot})
	add("i01", "Gate intercom", hq, "Delivery gate", inventory.ClassIntercom, "2N", "IP Verso", "2.41.0", "10.1.20.40",
		inventory.Known{InstallDate: dv("2021-11-30"), ReplacementCost: eur(1450), BudgetOwner: ot})
	add("w01", "Loading bay camera 1", wh, "Bay 1", inventory.ClassCamera, "Hanwha Vision", "XNV-8082R", "2.21.02", "10.2.30.11",
		inventory.Known{InstallDate: dv("2021-09-15"), WarrantyEnd: dv("2026-09-15"), ReplacementCost: eur(980), BudgetOwner: ot})
	add("w02", "Loading bay camera 2", wh, "Bay 2", inventory.ClassCamera, "Hanwha Vision", "XNV-8082R", "2.20.10", "10.2.30.12",
		inventory.Known{InstallDate: dv("2021-09-15"), WarrantyEnd: dv("2026-09-15"), ReplacementCost: eur(980), BudgetOwner: ot})
	add("w03", "Yard camera", wh, "Yard", inventory.ClassCamera, "Dahua", "IPC-HFW5442E", "2.800.0000000.5.R", "10.2.30.13",
		inventory.Known{BudgetOwner: ot})
	add("w04", "Office printer", wh, "Office", inventory.ClassPrinter, "Brother", "HL-L6400DW", "1.41.00", "10.2.30.50",
		inventory.Known{InstallDate: dv("2020-02-01"), ReplacementCost: eur(620), BudgetOwner: it})
	devs[len(devs)-1].Discovered.XAddrs = nil
	devs[len(devs)-1].Discovered.Services = []string{"_ipp._tcp:631", "_ftp._tcp:21"}
	old := inventory.Device{ID: "x01", Known: inventory.Known{Name: "Old gate camera", Site: hq, Class: inventory.ClassCamera, ReplacementCost: eur(310), InstallDate: dv("2019-05-01")},
		Discovered: inventory.Discovered{IPs: []string{"10.1.20.99"}, Manufacturer: "Hikvision", Model: "DS-2CD2032-I"},
		Lifecycle:  inventory.Lifecycle{State: inventory.StateReplaced, Date: d("2026-10-02"), Reason: "Failed: water in the housing", Successor: "c04"}}
	devs = append(devs, old)

	t := func(day, hm string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", day+" "+hm)
		if err != nil {
			panic(err)
		}
		return v
	}
	in := plan.Input{
		Devices: devs,
		Sites:   []inventory.Site{{Name: hq}, {Name: wh, Strategy: inventory.StrategyWarranty}},
		EndOfSupport: map[string]inventory.Date{
			"c03": d("2025-06-30"), "c02": d("2027-12-31"),
		},
		Statuses: map[string]inventory.DeviceStatus{
			"c01": {Health: inventory.HealthOnline, Since: t("2026-11-20", "08:00")},
			"c02": {Health: inventory.HealthDegraded, Since: t("2026-11-25", "07:12"), Cause: "the device's clock is 2 h 0 min ahead: recordings' timestamps stop being reliable evidence; set its time, or point it at a time (NTP) server", Problems: []string{"clock_drift"}},
			"c03": {Health: inventory.HealthOffline, Since: t("2026-11-26", "06:40"), Cause: "the device does not answer at all"},
			"c04": {Health: inventory.HealthOnline, Since: t("2026-11-20", "08:00")},
			"r01": {Health: inventory.HealthOnline, Since: t("2026-11-20", "08:00")},
			"a01": {Health: inventory.HealthDegraded, Since: t("2026-11-24", "10:00"), Cause: "https:443: its certificate expires in 10 days (6 December 2026): renew it before then", Problems: []string{"certificate_expiring"}},
			"i01": {Health: inventory.HealthOnline, Since: t("2026-11-20", "08:00")},
			"w01": {Health: inventory.HealthOnline, Since: t("2026-11-20", "08:00")},
			"w02": {Health: inventory.HealthOffline, Since: t("2026-11-25", "22:15"), Cause: "the device does not answer at all"},
			"w04": {Health: inventory.HealthOnline, Since: t("2026-11-20", "08:00")},
		},
		Outages: []inventory.Outage{
			{DeviceID: "c03", Start: t("2026-10-03", "02:10"), End: t("2026-10-03", "05:45"), Health: inventory.HealthOffline, Cause: "the device does not answer at all"},
			{DeviceID: "c03", Start: t("2026-11-26", "06:40"), Health: inventory.HealthOffline, Cause: "the device does not answer at all"},
			{DeviceID: "w02", Start: t("2026-11-25", "22:15"), Health: inventory.HealthOffline, Cause: "the device does not answer at all"},
			{DeviceID: "c02", Start: t("2026-11-25", "07:12"), Health: inventory.HealthDegraded, Cause: "the device's clock is 2 h 0 min ahead"},
		},
		Today: inventory.DateOf(generated),
	}
	policy := plan.Policy{Years: 5, PriceIncrease: 3}
	pl, err := plan.Make(in, policy)
	if err != nil {
		panic(err)
	}
	cmp, err := plan.Compare(in, policy)
	if err != nil {
		panic(err)
	}
	fw := map[string]firmware.Assessment{}
	fleet := firmware.NewBaseline(devs)
	cat := firmware.Default()
	for _, dev := range devs {
		if dev.State() == inventory.StateActive {
			a := firmware.Assess(dev, cat, fleet, in.Today)
			if dev.ID == "c03" {
				a = firmware.Assessment{Status: firmware.StatusUnsupported, Reason: "Support for this model ended on 2025-06-30; it gets no more security fixes, so plan its replacement"}
			}
			fw[dev.ID] = a
		}
	}
	return Data{In: in, Plan: pl, Compare: cmp, Firmware: fw, Upcoming: plan.Upcoming(in, policy, 90), OutagesFrom: generated.AddDate(0, 0, -90)}
}

var twoSitesOptions = Options{Organisation: "Northwind Facilities GmbH", Consultant: "Audit by Müller & Söhne Sicherheitsberatung", Generated: generated, Currency: "EUR"}
