package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
	"sitekeeper/internal/report"
)

// This file holds the Plan view's tables: every strategy side by side and
// the device-by-device schedule.

// fixedHeight lays its objects over each other at a fixed minimum height,
// so that a table inside a scrolling page gets room to show rows.
type fixedHeight struct{ h float32 }

func (l *fixedHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *fixedHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, l.h)
}

// Comparison table.

// tableCol is a column of the Plan view's tables: its title and width.
type tableCol struct {
	title string
	width float32
}

var compareCols = []tableCol{
	{"Strategy", 210}, {"Replaced", 110}, {"Total cost", 180}, {"Failures expected", 145},
	{"Years on unsupported firmware", 245}, {"Deferred", 100},
}

func (v *planView) buildCompare() *widget.Table {
	t := widget.NewTable(
		func() (int, int) { return len(v.cmps), len(compareCols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			text, bold := v.compareCell(id)
			if l.Text != text || l.TextStyle.Bold != bold {
				l.Text, l.TextStyle.Bold = text, bold
				l.Refresh()
			}
		})
	setColumns(t, compareCols)
	t.OnSelected = func(id widget.TableCellID) {
		t.UnselectAll()
		if id.Row >= 0 && id.Row < len(v.cmps) {
			v.strategy.SetSelected(v.cmps[id.Row].Strategy.Label())
		}
	}
	return t
}

// compareCell is one cell of the comparison; the row of the strategy
// chosen above is bold.
func (v *planView) compareCell(id widget.TableCellID) (string, bool) {
	if id.Row < 0 || id.Row >= len(v.cmps) {
		return "", false
	}
	c := v.cmps[id.Row]
	bold := c.Strategy == v.pl.Strategy && v.pl.Strategy != ""
	money := report.Money(c.Total, v.u.currency)
	if c.UnknownCost > 0 {
		money += fmt.Sprintf(" + %d not priced", c.UnknownCost)
	}
	switch id.Col {
	case 0:
		return c.Strategy.Label(), bold
	case 1:
		if c.Strategy == inventory.StrategyFailure {
			return fmt.Sprintf("%d (as they fail)", c.Devices), bold
		}
		return fmt.Sprint(c.Devices), bold
	case 2:
		return money, bold
	case 3:
		return fmt.Sprintf("%.1f", c.ExpectedFailures), bold
	case 4:
		return fmt.Sprintf("%.1f", c.UnsupportedDeviceYears), bold
	case 5:
		return fmt.Sprint(c.Deferred), bold
	}
	return "", bold
}

// Schedule table.

// scheduleRow is one device of the schedule as the table shows it.
type scheduleRow struct {
	id    string
	cells [len(scheduleCols)]string
}

var scheduleCols = [...]tableCol{
	{"Device", 250}, {"Site", 130}, {"Replace in", 100}, {"Cost", 105}, {"Budget owner", 120}, {"Why", 520},
}

// scheduleRows prepares the plan's items for the table, in the plan's
// order (by quarter, then site and name).
func scheduleRows(pl plan.Plan, currency string) []scheduleRow {
	last := 0
	if n := len(pl.Years); n > 0 {
		last = pl.Years[n-1].Year
	}
	rows := make([]scheduleRow, len(pl.Items))
	for i := range pl.Items {
		it := &pl.Items[i]
		costEst, dateEst := false, false
		for _, e := range it.Estimates {
			if strings.Contains(e, "cost") {
				costEst = true
			} else {
				dateEst = true
			}
		}
		when := fmt.Sprintf("%d Q%d", it.ReplaceIn.Year, it.ReplaceIn.Quarter)
		switch {
		case it.Scheduled():
		case it.Strategy == inventory.StrategyFailure:
			when = "When it fails"
		case !it.Due.IsZero() || it.Deferred:
			when = fmt.Sprintf("After %d", last)
		default:
			when = "No date known"
		}
		if dateEst && (it.Scheduled() || !it.Due.IsZero()) {
			when += " *"
		}
		cost := "Not entered"
		if it.CostKnown {
			cost = report.Money(it.Cost, currency)
			if costEst {
				cost += " *"
			}
		}
		owner := "Not decided"
		switch {
		case it.Owner.IsZero():
		case it.Owner.OT == 100:
			owner = "OT"
		case it.Owner.IT == 100:
			owner = "IT"
		default:
			owner = fmt.Sprintf("OT %d %% · IT %d %%", it.Owner.OT, it.Owner.IT)
		}
		rows[i] = scheduleRow{id: it.DeviceID, cells: [len(scheduleCols)]string{
			it.Name, it.Site, when, cost, owner, sentence(it.Reason)}}
	}
	return rows
}

func (v *planView) buildSchedule() *widget.Table {
	t := widget.NewTable(
		func() (int, int) { return len(v.rows), len(scheduleCols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			text := ""
			if id.Row >= 0 && id.Row < len(v.rows) && id.Col >= 0 && id.Col < len(scheduleCols) {
				text = v.rows[id.Row].cells[id.Col]
			}
			if l.Text != text {
				l.SetText(text)
			}
		})
	t.StickyColumnCount = 1
	setColumns(t, scheduleCols[:])
	t.OnSelected = func(id widget.TableCellID) {
		t.UnselectAll()
		if id.Row >= 0 && id.Row < len(v.rows) {
			v.openDevice(v.rows[id.Row].id)
		}
	}
	return t
}

// openDevice opens a device's form as the Devices view does and makes the
// plan again, from the inventory, when the form closes: a cost or date
// entered there shows in the plan at once.
func (v *planView) openDevice(id string) { v.u.openDeviceThen(id, v.reload) }

// setColumns gives t a bold header row of cols' titles (cut with an
// ellipsis when a column is narrow) and cols' widths.
func setColumns(t *widget.Table, cols []tableCol) {
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle.Bold = true
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			o.(*widget.Label).SetText(cols[id.Col].title)
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
}
