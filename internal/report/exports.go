package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
	"sitekeeper/internal/transfer"
)

// planHeader are the plan export's columns, for CSV and the XLSX sheet.
var planHeader = []string{"id", "name", "site", "class", "strategy", "strategy_from", "replace_in", "due", "reason",
	"estimated", "estimates", "cost", "cost_known", "budget_owner", "deferred", "deferred_from", "risk", "risk_why"}

// planRow is one item of the plan as the export's cells; cost is in the
// inventory's currency with two decimals, empty when not known.
func planRow(it *plan.Item) []string {
	cost := ""
	if it.CostKnown {
		cost = it.Cost.String()
	}
	return []string{it.DeviceID, it.Name, it.Site, string(it.Class), string(it.Strategy), it.StrategyFrom, it.ReplaceIn.String(), it.Due.String(), it.Reason,
		strconv.FormatBool(it.Estimated), strings.Join(it.Estimates, "; "), cost, strconv.FormatBool(it.CostKnown), it.Owner.String(),
		strconv.FormatBool(it.Deferred), it.DeferredFrom.String(), strconv.Itoa(it.Risk), strings.Join(it.RiskWhy, "; ")}
}

// WritePlanCSV writes the plan, one device a row, for IT's systems and
// spreadsheets (cells a spreadsheet would run as formulas are quoted).
func WritePlanCSV(w io.Writer, pl plan.Plan) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(planHeader); err != nil {
		return err
	}
	for i := range pl.Items {
		row := planRow(&pl.Items[i])
		for k, v := range row {
			row[k] = transfer.EscapeCell(v)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes a workbook of the plan ("Plan"), its budget by year and
// owner ("Budget"), the strategies compared ("Strategies") and the
// inventory ("Devices"), with money as numbers.
func WriteXLSX(w io.Writer, data Data, opt Options) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetWorkbookProps(&excelize.WorkbookPropsOptions{})
	_ = f.SetDocProps(&excelize.DocProperties{Creator: "SiteKeeper", Title: "Replacement plan", Created: opt.Generated.UTC().Format("2006-01-02T15:04:05Z"), Modified: opt.Generated.UTC().Format("2006-01-02T15:04:05Z")})
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	moneyFmt := "#,##0.00"
	moneyStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	if err != nil {
		return err
	}
	cur := opt.Currency
	if cur == "" {
		cur = inventory.DefaultCurrency
	}

	sheet := func(name string, header []string, rows int, cell func(r, c int) any, moneyCols map[int]bool) error {
		// The first sheet takes the place of the new file's "Sheet1":
		// deleting that sheet or choosing the active one after streaming
		// makes excelize read every streamed sheet back (2 s and 400 MB
		// for 10,000 devices).
		if f.SheetCount == 1 && f.GetSheetName(0) == "Sheet1" {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		// excelize wants the panes before the first row.
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		hdr := make([]any, len(header))
		for i, h := range header {
			hdr[i] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A1", hdr); err != nil {
			return err
		}
		vals := make([]any, len(header))
		for r := range rows {
			for c := range header {
				v := cell(r, c)
				if moneyCols[c] {
					if m, ok := v.(float64); ok {
						v = excelize.Cell{StyleID: moneyStyle, Value: m}
					}
				}
				vals[c] = v
			}
			ref, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(ref, vals); err != nil {
				return err
			}
		}
		return sw.Flush()
	}
	units := func(m inventory.Money) float64 { return float64(m) / 100 }

	items := data.Plan.Items
	var row []string
	rowAt := -1
	costCol := 11
	if err := sheet("Plan", append(planHeader[:costCol:costCol], append([]string{"cost (" + cur + ")"}, planHeader[costCol+1:]...)...), len(items), func(r, c int) any {
		it := &items[r]
		if c == costCol {
			if !it.CostKnown {
				return ""
			}
			return units(it.Cost)
		}
		if r != rowAt { // one planRow per row, not per cell
			row, rowAt = planRow(it), r
		}
		return row[c]
	}, map[int]bool{costCol: true}); err != nil {
		return err
	}

	years := data.Plan.Years
	if err := sheet("Budget", []string{"year", "devices", "OT (" + cur + ")", "IT (" + cur + ")", "no owner (" + cur + ")", "total (" + cur + ")", "without cost", "deferred", "expected failures", "unsupported device-years"},
		len(years), func(r, c int) any {
			y := years[r]
			return []any{y.Year, y.Devices, units(y.ByOwner[plan.OwnerOT]), units(y.ByOwner[plan.OwnerIT]), units(y.ByOwner[plan.OwnerUnassigned]), units(y.Cost),
				y.UnknownCost, y.Deferred, y.ExpectedFailures, y.UnsupportedDeviceYears}[c]
		}, map[int]bool{2: true, 3: true, 4: true, 5: true}); err != nil {
		return err
	}

	cmps := data.Compare
	header := []string{"strategy", "devices replaced", "total (" + cur + ")", "without cost", "expected failures", "unsupported device-years"}
	if len(cmps) > 0 {
		for _, y := range cmps[0].Years {
			header = append(header, fmt.Sprintf("%d (%s)", y.Year, cur))
		}
	}
	moneyCols := map[int]bool{2: true}
	for i := 6; i < len(header); i++ {
		moneyCols[i] = true
	}
	if err := sheet("Strategies", header, len(cmps), func(r, c int) any {
		s := cmps[r]
		if c >= 6 {
			return units(s.Years[c-6].Cost)
		}
		return []any{s.Strategy.Label(), s.Devices, units(s.Total), s.UnknownCost, s.ExpectedFailures, s.UnsupportedDeviceYears}[c]
	}, moneyCols); err != nil {
		return err
	}

	devHeader, devRows := transfer.Table(data.In.Devices)
	if err := sheet("Devices", devHeader, len(devRows), func(r, c int) any { return devRows[r][c] }, nil); err != nil {
		return err
	}
	return f.Write(w)
}
