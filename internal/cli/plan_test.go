package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sitekeeper/internal/inventory"
)

// planCSV is a small inventory: two devices at the head office (one out of
// warranty already), one at the warehouse without a cost and with a name
// a spreadsheet would run as a formula, one split between OT and IT.
const planCSV = "name,site,location,ip,mac,manufacturer,model,serial,firmware,install_date,warranty_end,end_of_support,replacement_cost,ot_owner,it_owner,budget_owner,strategy,notes\n" +
	"Gate camera,Head office,Car park,198.18.1.11,AC-CC-8E-00-00-01,Axis,M3106-L Mk II,ACCC8E000001,10.12.153,2022-03-31,2027-03-31,,450.00,Facilities,IT,OT,,\n" +
	"Lobby recorder,Head office,Server room,198.18.1.20,00:04:7d:0e:b8:5c,Pelco,VXP,P123,1.41.00,2021-01-15,2026-01-15,,2300,Security,IT,IT,,\n" +
	"=Yard camera,Warehouse,Yard,198.18.2.11,AC-CC-8E-00-00-02,Hikvision,DS-2CD2142,HK1,5.5.0,2023-06-30,2028-06-30,,,Facilities,,OT,,\n" +
	"Door controller,Warehouse,Door,198.18.2.30,AC-CC-8E-00-00-03,Axis,A1610-B,AX3,11.2.3,2024-09-01,2029-09-01,,890,Facilities,IT,\"OT:60,IT:40\",,\n"

// planNow is the fixed clock of these tests.
var planNow = time.Date(2026, 11, 26, 14, 30, 0, 0, time.UTC)

// planInventory makes a bbolt inventory of planCSV in a temporary folder.
func planInventory(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "site.db")
	if r := cliRun(t, db, "import", writeFile(t, "devices.csv", planCSV)); r.code != ExitOK {
		t.Fatalf("import: code %d, stderr %q", r.code, r.stderr)
	}
	return db
}

// cliRunAt is cliRun with the clock fixed at planNow.
func cliRunAt(t *testing.T, db string, args ...string) run {
	t.Helper()
	inv, err := Parse(append([]string{"--db", db}, args...))
	if err != nil {
		return run{code: ExitUsage, stderr: err.Error()}
	}
	var out, errb bytes.Buffer
	code := Run(context.Background(), inv, &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Version: "1.2.3",
		Now: func() time.Time { return planNow }})
	return run{code, out.String(), errb.String()}
}

// planDoc is what a script reads of `plan --json`.
type planDoc struct {
	Strategy string `json:"strategy"`
	Currency string `json:"currency"`
	From     string `json:"from"`
	Years    []struct {
		Year        int                `json:"year"`
		Devices     int                `json:"devices"`
		Cost        json.Number        `json:"cost"`
		ByOwner     map[string]float64 `json:"by_owner"`
		UnknownCost int                `json:"unknown_cost"`
		Deferred    int                `json:"deferred"`
	} `json:"years"`
	Devices []struct {
		ID        string   `json:"id"`
		Name      string   `json:"name"`
		ReplaceIn string   `json:"replace_in"`
		Reason    string   `json:"reason"`
		Estimated *bool    `json:"estimated"`
		Cost      *float64 `json:"cost"`
		Deferred  bool     `json:"deferred"`
	} `json:"devices"`
	Comparison []struct {
		Strategy string  `json:"strategy"`
		Total    float64 `json:"total"`
	} `json:"comparison"`
}

func decodePlan(t *testing.T, s string) planDoc {
	t.Helper()
	var doc planDoc
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("plan --json is not one JSON document: %v\n%s", err, s)
	}
	return doc
}

func TestPlanJSON(t *testing.T) {
	db := planInventory(t)
	r := cliRunAt(t, db, "plan", "--from", "2027-01-01", "--years", "3", "--json")
	if r.code != ExitOK {
		t.Fatalf("plan --json: code %d, stderr %q", r.code, r.stderr)
	}
	for _, raw := range []string{`"cost": 2750.00`, `"OT": 450.00`, `"IT": 2300.00`} {
		if !strings.Contains(r.stdout, raw) {
			t.Errorf("plan --json has no %s: money is to be a JSON number", raw)
		}
	}
	doc := decodePlan(t, r.stdout)
	if doc.Strategy != "inherit" || doc.Currency != "EUR" || doc.From != "2027-01-01" {
		t.Errorf("strategy, currency, from = %q, %q, %q; want inherit, EUR, 2027-01-01", doc.Strategy, doc.Currency, doc.From)
	}
	if len(doc.Years) != 3 {
		t.Fatalf("years = %d; want 3", len(doc.Years))
	}
	y := doc.Years[0]
	if y.Year != 2027 || y.Devices != 2 || y.Cost.String() != "2750.00" || y.ByOwner["OT"] != 450 || y.ByOwner["IT"] != 2300 || y.UnknownCost != 0 {
		t.Errorf("2027 = %+v; want 2 devices, 2750.00, OT 450, IT 2300, none without cost", y)
	}
	if y := doc.Years[1]; y.Devices != 1 || y.UnknownCost != 1 || y.Cost.String() != "0.00" {
		t.Errorf("2028 = %+v; want 1 device without a cost, counted apart (cost 0.00, unknown_cost 1)", y)
	}
	if _, ok := doc.Years[1].ByOwner["IT"]; !ok {
		t.Errorf("2028 by_owner = %v; want OT and IT always present", doc.Years[1].ByOwner)
	}
	if y := doc.Years[2]; y.ByOwner["OT"] != 534 || y.ByOwner["IT"] != 356 {
		t.Errorf("2029 by_owner = %v; want the 60/40 split of 890: OT 534, IT 356", y.ByOwner)
	}
	want := map[string]struct {
		in   string
		cost *float64
	}{
		"Gate camera":     {"2027-Q1", ptr(450.0)},
		"Lobby recorder":  {"2027-Q1", ptr(2300.0)},
		"=Yard camera":    {"2028-Q2", nil},
		"Door controller": {"2029-Q3", ptr(890.0)},
	}
	if len(doc.Devices) != len(want) {
		t.Fatalf("devices = %d; want %d", len(doc.Devices), len(want))
	}
	for _, d := range doc.Devices {
		name, _, _ := strings.Cut(d.Name, " (")
		w, ok := want[name]
		if !ok {
			t.Errorf("unexpected device %q", d.Name)
			continue
		}
		if d.ID == "" || d.Reason == "" || d.Estimated == nil || *d.Estimated {
			t.Errorf("%s: id %q, reason %q, estimated %v; want an id, a reason, estimated false", name, d.ID, d.Reason, d.Estimated)
		}
		if d.ReplaceIn != w.in {
			t.Errorf("%s: replace_in = %q; want %q", name, d.ReplaceIn, w.in)
		}
		switch {
		case w.cost == nil && d.Cost != nil:
			t.Errorf("%s: cost = %v; want null (no cost known, never 0)", name, *d.Cost)
		case w.cost != nil && (d.Cost == nil || *d.Cost != *w.cost):
			t.Errorf("%s: cost = %v; want %v", name, d.Cost, *w.cost)
		}
	}
	if len(doc.Comparison) != 5 || doc.Comparison[0].Strategy != "warranty" {
		t.Errorf("comparison = %+v; want the 5 strategies, warranty first", doc.Comparison)
	}

	r = cliRunAt(t, db, "plan", "--from", "2027-01-01", "--strategy", "age", "--json")
	if doc := decodePlan(t, r.stdout); r.code != ExitOK || doc.Strategy != "age" || len(doc.Years) != 5 {
		t.Errorf("plan --strategy age --json: code %d, strategy %q, %d years; want 0, age, 5", r.code, doc.Strategy, len(doc.Years))
	}
}

func ptr[T any](v T) *T { return &v }

// TestPlanCap: a cap of 25% of the four devices replaces one a year; the
// other device due in 2027 moves to 2028.
func TestPlanCap(t *testing.T) {
	db := planInventory(t)
	r := cliRunAt(t, db, "plan", "--from", "2027-01-01", "--cap-percent", "25", "--json")
	if r.code != ExitOK {
		t.Fatalf("plan --cap-percent 25: code %d, stderr %q", r.code, r.stderr)
	}
	doc := decodePlan(t, r.stdout)
	if doc.Years[0].Devices != 1 || doc.Years[0].Deferred != 1 {
		t.Errorf("2027 = %+v; want 1 device replaced and 1 deferred", doc.Years[0])
	}
	deferred := 0
	for _, d := range doc.Devices {
		if d.Deferred {
			deferred++
			if d.ReplaceIn == "2027-Q1" {
				t.Errorf("%s is deferred yet replaced in 2027-Q1", d.Name)
			}
		}
	}
	if deferred == 0 {
		t.Error("no device is marked deferred under a 25% cap")
	}
}

// TestPlanCapAmount: IT spends at most 1,000 a year, so its 2,300
// recorder never fits and moves out of the plan; OT's camera stays.
func TestPlanCapAmount(t *testing.T) {
	db := planInventory(t)
	r := cliRunAt(t, db, "plan", "--from", "2027-01-01", "--years", "2", "--cap-amount", "it:1000", "--json")
	if r.code != ExitOK {
		t.Fatalf("plan --cap-amount: code %d, stderr %q", r.code, r.stderr)
	}
	doc := decodePlan(t, r.stdout)
	if it := doc.Years[0].ByOwner["IT"]; it != 0 || doc.Years[0].ByOwner["OT"] != 450 {
		t.Errorf("2027 by owner = %v; want OT 450, IT nothing", doc.Years[0].ByOwner)
	}
	for _, d := range doc.Devices {
		if strings.HasPrefix(d.Name, "Lobby recorder") && (!d.Deferred || d.ReplaceIn != "") {
			t.Errorf("recorder = %+v; want deferred out of the plan", d)
		}
	}
}

func TestPlanText(t *testing.T) {
	db := planInventory(t)
	r := cliRunAt(t, db, "plan", "--from", "2027-01-01")
	if r.code != ExitOK {
		t.Fatalf("plan: code %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"YEAR", "NO OWNER", "WITHOUT COST", "€2,750", "€2,300", "Due in 2027: 2 devices", "Lobby recorder",
		"1 device has no replacement cost", "at warranty end €3,640"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan's table has no %q:\n%s", want, r.stdout)
		}
	}
	r = cliRunAt(t, db, "plan", "--from", "2027-01-01", "--csv")
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, "id,name,") || !strings.Contains(r.stdout, ",'=Yard camera") {
		t.Errorf("plan --csv: code %d; want the plan CSV with the formula-like name escaped:\n%s", r.code, r.stdout)
	}
}

func TestPlanAndReportUsage(t *testing.T) {
	db := planInventory(t)
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown strategy", []string{"plan", "--strategy", "cheapest"}, "give warranty, support, age, failure or earliest"},
		{"too many years", []string{"plan", "--years", "40"}, "--years must be 1 to 10"},
		{"bad date", []string{"plan", "--from", "next year"}, "write it like 2027-01-01"},
		{"cap over 100", []string{"plan", "--cap-percent", "150"}, "--cap-percent must be 0 to 100"},
		{"cap amount without an owner", []string{"plan", "--cap-amount", "5000"}, "write it like OT:5000,IT:3000"},
		{"cap amount of a third owner", []string{"plan", "--cap-amount", "HR:5000"}, "write it like OT:5000,IT:3000"},
		{"json and csv", []string{"plan", "--json", "--csv"}, "choose one of --json and --csv"},
		{"unknown flag", []string{"plan", "--yeers", "3"}, "flag provided but not defined"},
		{"no out", []string{"report", "--audience", "it"}, "say where to write the report with --out"},
		{"pdf without audience", []string{"report", "--out", filepath.Join(dir, "r.pdf")}, "--audience ot (the facility manager) or --audience it"},
		{"bad audience", []string{"report", "--audience", "board", "--out", filepath.Join(dir, "r.pdf")}, "--audience must be ot"},
		{"bad extension", []string{"report", "--audience", "it", "--out", filepath.Join(dir, "r.docx")}, "--out must end in .pdf, .xlsx or .csv"},
		{"bad page size", []string{"report", "--audience", "it", "--out", filepath.Join(dir, "r.pdf"), "--page-size", "a3"}, "--page-size must be a4 or letter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := cliRunAt(t, db, tc.args...)
			if r.code != ExitUsage || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "--help") {
				t.Errorf("%q: code %d, stderr %q; want %d and %q with a pointer to --help", tc.args, r.code, r.stderr, ExitUsage, tc.want)
			}
		})
	}
}

func TestReportPDF(t *testing.T) {
	db := planInventory(t)
	dir := t.TempDir()
	for _, audience := range []string{"ot", "it"} {
		out := filepath.Join(dir, audience+".pdf")
		r := cliRunAt(t, db, "report", "--audience", audience, "--out", out, "--from", "2027-01-01", "--page-size", "letter",
			"--consultant", "Müller & Söhne", "--logo", writePNG(t))
		if r.code != ExitOK {
			t.Fatalf("report --audience %s: code %d, stderr %q", audience, r.code, r.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		pages := PageCount(b)
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[len(b)-1024:], []byte("%%EOF")) || pages < 1 {
			t.Errorf("%s is not a whole PDF (%d bytes, %d pages)", out, len(b), pages)
		}
		if want := "Wrote the " + strings.ToUpper(audience) + " report (" + plural(pages, "page", "pages") + ") to " + out; !strings.Contains(r.stderr, want) {
			t.Errorf("stderr = %q; want %q", r.stderr, want)
		}
		if r.stdout != "" {
			t.Errorf("report wrote to stdout: %q", r.stdout)
		}
	}
	// One site only, named in any case.
	r := cliRunAt(t, db, "report", "--audience", "ot", "--out", filepath.Join(dir, "wh.pdf"), "--site", "WAREHOUSE")
	if r.code != ExitOK {
		t.Errorf("report --site WAREHOUSE: code %d, stderr %q", r.code, r.stderr)
	}
}

func TestReportXLSXAndCSV(t *testing.T) {
	db := planInventory(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "plan.xlsx")
	if r := cliRunAt(t, db, "report", "--out", out, "--from", "2027-01-01"); r.code != ExitOK {
		t.Fatalf("report --out plan.xlsx: code %d, stderr %q", r.code, r.stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	for _, sheet := range []string{"Plan", "Budget", "Strategies", "Devices"} {
		if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
			t.Errorf("the workbook has no sheet %q (sheets: %v)", sheet, f.GetSheetList())
		}
	}
	out = filepath.Join(dir, "plan.csv")
	if r := cliRunAt(t, db, "report", "--out", out, "--site", "warehouse"); r.code != ExitOK || !strings.Contains(r.stderr, "the plan (2 devices)") {
		t.Fatalf("report --out plan.csv --site warehouse: code %d, stderr %q", r.code, r.stderr)
	}
	b, _ := os.ReadFile(out)
	if n := strings.Count(string(b), "\n"); n != 3 {
		t.Errorf("plan.csv has %d lines; want a header and the warehouse's 2 devices:\n%s", n, b)
	}
}

func TestReportErrorsInWords(t *testing.T) {
	db := planInventory(t)
	dir := t.TempDir()
	notPNG := writeFile(t, "logo.png", "not a picture")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown site", []string{"report", "--audience", "ot", "--out", filepath.Join(dir, "r.pdf"), "--site", "Nowhere"},
			[]string{`no site called "Nowhere"`, "The sites are: Head office, Warehouse."}},
		{"no such folder", []string{"report", "--audience", "ot", "--out", filepath.Join(dir, "missing", "r.pdf")},
			[]string{"missing does not exist", "Create the folder first"}},
		{"logo not a picture", []string{"report", "--audience", "ot", "--out", filepath.Join(dir, "r.pdf"), "--logo", notPNG},
			[]string{"is not a PNG or JPEG picture", "Save it as PNG"}},
		{"logo missing", []string{"report", "--audience", "ot", "--out", filepath.Join(dir, "r.pdf"), "--logo", filepath.Join(dir, "nope.png")},
			[]string{"nope.png does not exist"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := cliRunAt(t, db, tc.args...)
			if r.code != ExitFailure {
				t.Errorf("code %d; want %d", r.code, ExitFailure)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q; want %q", r.stderr, w)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "r.pdf")); err == nil {
		t.Error("a report that failed left a file behind")
	}
}

// writePNG writes a small logo.
func writePNG(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		for y := range 20 {
			img.Set(x, y, color.RGBA{25, 84, 166, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "logo.png", b.String())
}

// TestPlanUsesSettings: the inventory's plan settings price a device
// without a cost (the Yard camera, as a camera), and --price-increase 0
// wins over the settings' price rise.
func TestPlanUsesSettings(t *testing.T) {
	db := planInventory(t)
	st, err := inventory.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := st.Settings(context.Background())
	s.Plan = inventory.PlanSettings{ClassCost: map[inventory.Class]inventory.Money{inventory.ClassCamera: 30000}, PriceIncreasePercent: 10}
	if err := st.PutSettings(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cost := func(args ...string) (yard float64, total string) {
		r := cliRunAt(t, db, append([]string{"plan", "--json", "--strategy", "warranty", "--years", "3"}, args...)...)
		var doc planDoc
		if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &doc) != nil {
			t.Fatalf("plan: code %d, stderr %q", r.code, r.stderr)
		}
		for _, d := range doc.Devices {
			if strings.Contains(d.Name, "Yard camera") && d.Cost != nil {
				yard = *d.Cost
			}
		}
		return yard, doc.Years[1].Cost.String()
	}
	if yard, _ := cost("--price-increase", "0"); yard != 300 {
		t.Errorf("Yard camera cost = %v; want the settings' 300 for a camera", yard)
	}
	if yard, _ := cost(); yard != 330 {
		t.Errorf("Yard camera cost in 2028 = %v; want 330 with the settings' 10%% rise", yard)
	}
	_, risen := cost()
	_, flat := cost("--price-increase", "0")
	if risen == flat {
		t.Errorf("2028 cost %s with the settings' 10%% rise and %s with --price-increase 0; want them to differ", risen, flat)
	}
}
