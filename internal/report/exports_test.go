package report

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sitekeeper/internal/plan"
)

// TestWritePlanCSV: a cell a spreadsheet would run as a formula is
// escaped, and a device without a cost has an empty cost, not 0.
func TestWritePlanCSV(t *testing.T) {
	pl := plan.Plan{Items: []plan.Item{
		{DeviceID: "a", Name: "=HYPERLINK(\"http://x\",\"y\")", Site: "+Site", Reason: "@SUM(1)", CostKnown: false},
		{DeviceID: "b", Name: "Gate camera", Site: "-Yard", Cost: eur(1190) + 50, CostKnown: true},
	}}
	var b bytes.Buffer
	if err := WritePlanCSV(&b, pl); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("the plan CSV does not parse: %v", err)
	}
	if len(rows) != 3 {
		t.Fatalf("rows = %d; want a header and 2", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, c := range []string{"id", "name", "site", "reason", "cost", "cost_known", "replace_in"} {
		if _, ok := col[c]; !ok {
			t.Fatalf("header %v has no %q", rows[0], c)
		}
	}
	for _, tc := range []struct {
		row       int
		col, want string
	}{
		{1, "name", "'=HYPERLINK(\"http://x\",\"y\")"},
		{1, "site", "'+Site"},
		{1, "reason", "'@SUM(1)"},
		{1, "cost", ""},
		{1, "cost_known", "false"},
		{2, "name", "Gate camera"},
		{2, "site", "'-Yard"},
		{2, "cost", "1190.50"},
	} {
		if got := rows[tc.row][col[tc.col]]; got != tc.want {
			t.Errorf("row %d %s = %q; want %q", tc.row, tc.col, got, tc.want)
		}
	}
}

// TestWriteXLSX: the workbook has its four sheets, and money, counts and
// years are numbers a spreadsheet adds up, not text; a missing cost is an
// empty cell.
func TestWriteXLSX(t *testing.T) {
	data := twoSites()
	var b bytes.Buffer
	if err := WriteXLSX(&b, data, twoSitesOptions); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), "Plan,Budget,Strategies,Devices"; got != want {
		t.Errorf("sheets = %s; want %s", got, want)
	}
	isNumber := func(sheet, cell string) bool {
		t.Helper()
		typ, err := f.GetCellType(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		_, perr := strconv.ParseFloat(v, 64)
		return (typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset) && perr == nil
	}
	// Plan: the cost column, by its header.
	hdr, err := f.GetRows("Plan")
	if err != nil {
		t.Fatal(err)
	}
	costCol := -1
	for i, h := range hdr[0] {
		if strings.HasPrefix(h, "cost (") {
			costCol = i
		}
	}
	if costCol < 0 {
		t.Fatalf("Plan has no cost column: %v", hdr[0])
	}
	known, unknown := 0, 0
	for r, it := range data.Plan.Items {
		cell, _ := excelize.CoordinatesToCellName(costCol+1, r+2)
		v, _ := f.GetCellValue("Plan", cell, excelize.Options{RawCellValue: true})
		switch {
		case it.CostKnown:
			known++
			if !isNumber("Plan", cell) {
				t.Errorf("Plan %s (%s's cost) = %q is not stored as a number", cell, it.DeviceID, v)
			}
			if want := float64(it.Cost) / 100; v != strconv.FormatFloat(want, 'f', -1, 64) {
				t.Errorf("Plan %s = %s; want %v", cell, v, want)
			}
		default:
			unknown++
			if v != "" {
				t.Errorf("Plan %s (%s, no cost known) = %q; want empty, never 0", cell, it.DeviceID, v)
			}
		}
	}
	if known == 0 || unknown == 0 {
		t.Fatalf("the fixture has %d items with a cost and %d without; want some of each", known, unknown)
	}
	for _, cell := range []string{"A2", "B2", "C2", "D2", "E2", "F2", "G2"} { // year, devices, OT, IT, no owner, total, without cost
		if !isNumber("Budget", cell) {
			v, _ := f.GetCellValue("Budget", cell)
			t.Errorf("Budget %s = %q is not stored as a number", cell, v)
		}
	}
	for _, cell := range []string{"B2", "C2", "G2"} {
		if !isNumber("Strategies", cell) {
			v, _ := f.GetCellValue("Strategies", cell)
			t.Errorf("Strategies %s = %q is not stored as a number", cell, v)
		}
	}
}
