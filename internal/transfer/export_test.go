package transfer

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/inventory"
)

const wantHeader = "name,site,location,ip,mac,manufacturer,model,serial,firmware,install_date,warranty_end,end_of_support," +
	"replacement_cost,ot_owner,it_owner,budget_owner,strategy,notes," +
	"class,status,purchase_date,expected_life_years,install_date_estimated,purchase_date_estimated," +
	"warranty_end_estimated,end_of_support_estimated,replacement_cost_estimated"

func TestWriteCSV(t *testing.T) {
	ds := []inventory.Device{
		{ID: "2", Known: inventory.Known{Name: "Zeta", Site: "HQ", ReplacementCost: 125050, ReplacementCostEstimated: true,
			WarrantyEnd: inventory.DateValue{Date: inventory.Date{Year: 2027, Month: 3, Day: 1}, Estimated: true}, MAC: "00:1a:2b:3c:4d:5e"},
			Discovered: inventory.Discovered{IPs: []string{"10.0.0.2", "10.0.1.2"}, MAC: "00:00:00:00:00:99", Manufacturer: "AXIS", Model: "M1", Firmware: "1.2", Class: inventory.ClassCamera}},
		{ID: "1", Known: inventory.Known{Name: "Alpha", Notes: "=HYPERLINK(\"http://x\")", Model: "Mine"},
			Discovered: inventory.Discovered{Model: "Theirs"}, Lifecycle: inventory.Lifecycle{State: inventory.StateSpare}},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, ds); err != nil {
		t.Fatal(err)
	}
	want := wantHeader + "\n" + // sorted by site, then name: Alpha (no site) first
		"Alpha,,,,,,Mine,,,,,,,,,,,\"'=HYPERLINK(\"\"http://x\"\")\",,spare,,,,,,,\n" +
		"Zeta,HQ,,10.0.0.2,00:1a:2b:3c:4d:5e,AXIS,M1,,1.2,,2027-03-01,,1250.50,,,,,,camera,active,,,,,yes,,yes\n"
	if got := b.String(); got != want {
		t.Errorf("WriteCSV =\n%s; want\n%s", got, want)
	}
}

func TestExportCSVOrderAndBOM(t *testing.T) {
	st := inventory.NewMemory()
	var in []inventory.Device
	for _, n := range [][2]string{{"b", "Annex"}, {"A", "HQ"}, {"c", "annex"}, {"", "HQ"}, {"Same", "HQ"}, {"Same", "HQ"}} {
		in = append(in, inventory.Device{Known: inventory.Known{Name: n[0], Site: n[1]}})
	}
	in[4].Known.Notes, in[5].Known.Notes = "second", "first"
	if _, err := st.Import(t.Context(), in, nil); err != nil {
		t.Fatal(err)
	}
	out := exportCSV(t, st)
	if !bytes.HasPrefix(out, []byte("\uFEFF"+wantHeader+"\n")) {
		t.Fatalf("ExportCSV starts %q; want a BOM and the header", out[:min(len(out), 40)])
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n")[1:] {
		f := strings.Split(l, ",")
		got = append(got, f[1]+"/"+f[0]+"/"+f[17])
	}
	want := []string{"Annex/b/", "annex/c/", "HQ//", "HQ/A/", "HQ/Same/first", "HQ/Same/second"}
	if !slices.Equal(got, want) {
		t.Errorf("ExportCSV rows (site/name/notes) = %q; want %q", got, want)
	}
}

func TestExportJSONEmpty(t *testing.T) {
	got := string(exportJSON(t, inventory.NewMemory()))
	want := "{\n  \"format\": \"sitekeeper-inventory\",\n  \"version\": 1,\n  \"settings\": {\n    \"currency\": \"EUR\"\n  },\n  \"sites\": [],\n  \"devices\": []\n}\n"
	if got != want {
		t.Errorf("ExportJSON(empty) =\n%s; want\n%s", got, want)
	}
	sum, err := importBytes(t, inventory.NewMemory(), "empty.json", []byte(got), Options{})
	if err != nil || sum.Imported != 0 {
		t.Errorf("Import(empty export) = %+v, %v; want nothing imported, no error", sum, err)
	}
}

func TestFormulaCells(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"equals", "=1+1", "'=1+1"},
		{"plus", "+44 20 7946 0000", "'+44 20 7946 0000"},
		{"minus", "- spare", "'- spare"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\t=1", "'\t=1"},
		{"carriage return", "\r=1", "'\r=1"},
		{"already quoted formula", "'=1+1", "''=1+1"},
		{"quote then text", "'tis the season", "'tis the season"},
		{"lone quote", "'", "'"},
		{"empty", "", ""},
		{"formula sign inside", "a=b", "a=b"},
		{"accents and dash", "Café — hall", "Café — hall"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EscapeCell(tt.in); got != tt.want {
				t.Errorf("EscapeCell(%q) = %q; want %q", tt.in, got, tt.want)
			}
			if got := unescapeCell(EscapeCell(tt.in)); got != tt.in {
				t.Errorf("unescapeCell(EscapeCell(%q)) = %q; want %q", tt.in, got, tt.in)
			}
		})
	}
	if got := unescapeCell("'=typed by hand"); got != "=typed by hand" {
		t.Errorf("unescapeCell(%q) = %q; want %q", "'=typed by hand", got, "=typed by hand")
	}
}

func TestView(t *testing.T) {
	seen := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	full := inventory.Device{ID: "abc",
		Discovered: inventory.Discovered{IPs: []string{"10.0.0.1", "10.0.0.2"}, MAC: "00:00:00:00:00:99", Hostnames: []string{"cam.local"},
			Manufacturer: "AXIS", Model: "M1", Firmware: "1.2", Serial: "S1", HardwareID: "H1", Class: inventory.ClassCamera,
			EndpointRef: "urn:uuid:1", XAddrs: []string{"http://10.0.0.1/onvif"}, Services: []string{"_http._tcp"},
			Sources: []string{"wsd"}, Interface: "eth0", FirstSeen: seen, LastSeen: seen},
		Known: inventory.Known{Name: "Lobby", Site: "HQ", Location: "Hall", MAC: "00:1a:2b:3c:4d:5e",
			OTOwner: inventory.Owner{Team: "Security", Contact: "s@example.com"}, ITOwner: inventory.Owner{Team: "IT"},
			BudgetOwner:       inventory.BudgetSplit{OT: 60, IT: 40},
			InstallDate:       inventory.DateValue{Date: inventory.Date{Year: 2021, Month: 3, Day: 15}, Estimated: true},
			PurchaseDate:      inventory.DateValue{Date: inventory.Date{Year: 2021, Month: 2, Day: 1}},
			WarrantyEnd:       inventory.DateValue{Date: inventory.Date{Year: 2026, Month: 3, Day: 15}, Estimated: true},
			EndOfSupport:      inventory.DateValue{Date: inventory.Date{Year: 2028, Month: 1, Day: 1}, Estimated: true},
			ExpectedLifeYears: 8, ReplacementCost: 125050, Strategy: inventory.StrategyAge, Notes: "n"},
		Lifecycle: inventory.Lifecycle{State: inventory.StateSpare}}
	b, err := json.Marshal(View(&full))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	keys := "id name class site location ip ips mac manufacturer model firmware serial hardware_id sources xaddrs services " +
		"hostnames endpoint_ref interface first_seen last_seen status ot_owner it_owner budget_owner install_date purchase_date " +
		"warranty_end warranty_end_estimated end_of_support end_of_support_estimated install_date_estimated expected_life_years " +
		"replacement_cost strategy notes display_name"
	for _, k := range strings.Fields(keys) {
		if _, ok := got[k]; !ok {
			t.Errorf("View(full) JSON has no %q: %s", k, b)
		}
	}
	checks := map[string]any{"mac": "00:1a:2b:3c:4d:5e", "ip": "10.0.0.1", "status": "spare", "replacement_cost": 1250.5,
		"ot_owner": "Security <s@example.com>", "budget_owner": "OT:60,IT:40", "warranty_end": "2026-03-15",
		"warranty_end_estimated": true, "first_seen": "2025-03-01T09:30:00Z", "class": "camera"}
	for k, want := range checks {
		if !reflect.DeepEqual(got[k], want) {
			t.Errorf("View(full)[%q] = %v; want %v", k, got[k], want)
		}
	}
	if !strings.Contains(string(b), `"replacement_cost":1250.50`) {
		t.Errorf("View(full) JSON = %s; want replacement_cost written as 1250.50", b)
	}

	b, err = json.Marshal(View(&inventory.Device{ID: "x1"}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"x1","display_name":"Unnamed device x1","status":"active","replacement_cost":null}`; string(b) != want {
		t.Errorf("View(empty) JSON = %s; want %s", b, want)
	}
}
