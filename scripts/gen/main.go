// Command gen writes a CSV of made-up but plausible devices in SiteKeeper's
// import format, for the smoke test's large mode and for measurements:
//
//	go run ./scripts/gen -n 10000 > devices.csv
//
// The output depends only on the flags (a fixed seed), so figures taken from
// it can be compared between runs.
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
)

var header = []string{
	"name", "site", "location", "ip", "mac", "manufacturer", "model", "serial",
	"firmware", "install_date", "warranty_end", "end_of_support", "replacement_cost",
	"ot_owner", "it_owner", "budget_owner", "strategy", "notes",
}

// kind is a kind of device with what varies between its instances.
type kind struct {
	noun, manufacturer string
	oui                [3]byte
	models             []string
	firmware           []string
	cost               int // typical replacement cost in whole currency units
	life               int // years from install to end of support
	ot                 string
}

var kinds = []kind{
	{"Camera", "Axis Communications", [3]byte{0xAC, 0xCC, 0x8E}, []string{"P3265-LVE", "Q1786-LE", "M3106-L Mk II", "P1468-LE"}, []string{"10.12.220", "11.8.64", "11.9.60"}, 900, 8, "Security <security@example.com>"},
	{"Camera", "Hanwha Vision", [3]byte{0x00, 0x09, 0x18}, []string{"XNV-8080R", "QNO-6082R", "PNM-9085RQZ1"}, []string{"2.21.02", "2.30.00"}, 750, 7, "Security <security@example.com>"},
	{"Recorder", "Hikvision", [3]byte{0xC0, 0x56, 0xE3}, []string{"DS-7716NI-K4", "DS-9632NI-M8"}, []string{"V4.30.085", "V4.62.210"}, 3200, 6, "Security <security@example.com>"},
	{"Door controller", "HID Global", [3]byte{0x00, 0x06, 0x8E}, []string{"VertX EVO V2000", "Aero X1100A"}, []string{"3.5.2.1405", "4.1.0.22"}, 1800, 10, "Facilities <facilities@example.com>"},
	{"Intercom", "2N", [3]byte{0x7C, 0x1E, 0xB3}, []string{"IP Verso 2.0", "IP Style"}, []string{"2.44.0.60.5", "2.45.1.61.2"}, 1450, 10, "Facilities <facilities@example.com>"},
	{"I/O module", "Advantech", [3]byte{0x00, 0x60, 0xE9}, []string{"ADAM-6050", "ADAM-6060"}, []string{"5.02", "5.10"}, 420, 12, "Maintenance <maintenance@example.com>"},
	{"Printer", "Zebra Technologies", [3]byte{0x00, 0x07, 0x4D}, []string{"ZT411", "ZD621"}, []string{"V92.21.39Z", "V93.21.26Z"}, 1900, 8, "Logistics <logistics@example.com>"},
}

var (
	sites     = []string{"Head Office", "Warehouse North", "Warehouse South", "Plant East", "Depot West", "Data Centre", "Retail Park", "Harbour Site"}
	locations = []string{"Main entrance", "Car park", "Loading bay", "Server room", "Stairwell", "Corridor", "Perimeter fence", "Reception", "Electrical room", "Roof"}
	itOwners  = []string{"IT Infrastructure <it-infra@example.com>", "IT Service Desk <servicedesk@example.com>", ""}
	budgets   = []string{"OT", "IT", "OT:60,IT:40", "OT:50,IT:50"}
	strats    = []string{"warranty", "support", "age", "failure", "earliest", ""}
)

func main() {
	n := flag.Int("n", 1000, "number of devices")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same file")
	flag.Parse()
	if *n < 0 {
		fmt.Fprintln(os.Stderr, "gen: -n must not be negative")
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	if err := write(out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func write(w *bufio.Writer, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 0x5173))
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	base := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		k := kinds[r.IntN(len(kinds))]
		siteIdx := i % len(sites)
		installed := base.AddDate(0, 0, r.IntN(9*365))
		warranty := installed.AddDate(3+r.IntN(3), 0, 0)
		eos := installed.AddDate(k.life, 0, 0)
		cost := float64(k.cost) * (0.8 + 0.4*r.Float64())
		row := []string{
			fmt.Sprintf("%s %05d", k.noun, i+1),
			sites[siteIdx],
			fmt.Sprintf("%s %d", locations[r.IntN(len(locations))], 1+r.IntN(20)),
			// 10.<site>.<x>.<y>: unique per device for n up to 8*254*254.
			fmt.Sprintf("10.%d.%d.%d", 10+siteIdx, 1+(i/len(sites))/254, 1+(i/len(sites))%254),
			fmt.Sprintf("%02X:%02X:%02X:%02X:%02X:%02X", k.oui[0], k.oui[1], k.oui[2], byte(i>>16), byte(i>>8), byte(i)),
			k.manufacturer,
			k.models[r.IntN(len(k.models))],
			fmt.Sprintf("SK%08d", i+1),
			k.firmware[r.IntN(len(k.firmware))],
			installed.Format(time.DateOnly),
			warranty.Format(time.DateOnly),
			eos.Format(time.DateOnly),
			fmt.Sprintf("%.2f", cost),
			k.ot,
			itOwners[r.IntN(len(itOwners))],
			budgets[r.IntN(len(budgets))],
			strats[r.IntN(len(strats))],
			"",
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
