package app

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
	"sitekeeper/internal/report"
)

// The chart's colours by who pays: readable on the light and the dark
// theme, and apart for people who do not see red and green.
var (
	colourOT       = color.NRGBA{R: 0x1f, G: 0x8a, B: 0x7a, A: 0xff} // teal
	colourIT       = color.NRGBA{R: 0x3b, G: 0x6f, B: 0xd8, A: 0xff} // blue
	colourNoOwner  = color.NRGBA{R: 0x9a, G: 0x9a, B: 0x9a, A: 0xff} // grey
	colourFailures = color.NRGBA{R: 0xd9, G: 0x8c, B: 0x2b, A: 0xff} // amber
)

// numSegments is how many parts a bar has: chartSegments.
const numSegments = 4

// chartSegments are the parts of a bar, bottom up.
var chartSegments = [numSegments]struct {
	label  string
	colour color.Color
}{
	{"OT (facilities) pays", colourOT},
	{"IT pays", colourIT},
	{"No budget owner yet", colourNoOwner},
	{"Devices expected to fail", colourFailures},
}

// chartBar is one year's bar: its amounts by segment, in chartSegments'
// order.
type chartBar struct {
	year    int
	devices int
	parts   [numSegments]inventory.Money
	total   inventory.Money
}

// barsOf splits each year's cost by who pays; what the owners do not
// account for is the expected cost of failures (run to failure).
func barsOf(years []plan.Year) []chartBar {
	out := make([]chartBar, len(years))
	for i, y := range years {
		b := chartBar{year: y.Year, devices: y.Devices, total: y.Cost}
		b.parts[0], b.parts[1], b.parts[2] = y.ByOwner[plan.OwnerOT], y.ByOwner[plan.OwnerIT], y.ByOwner[plan.OwnerUnassigned]
		b.parts[3] = max(0, y.Cost-b.parts[0]-b.parts[1]-b.parts[2])
		out[i] = b
	}
	return out
}

// costChart draws the plan's cost per year as bars stacked by budget
// owner, with each year's total over its bar, the year and the number of
// devices under it, and a legend.
type costChart struct {
	widget.BaseWidget
	bars     []chartBar
	currency string
}

func newCostChart() *costChart {
	c := &costChart{}
	c.ExtendBaseWidget(c)
	return c
}

// setYears shows a plan's years; call it on the UI goroutine.
func (c *costChart) setYears(years []plan.Year, currency string) {
	c.bars, c.currency = barsOf(years), currency
	c.Refresh()
}

func (c *costChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c}
	r.rebuild()
	return r
}

type chartRenderer struct {
	c       *costChart
	objects []fyne.CanvasObject
	// Per bar: its segments, total label, year label, devices label.
	segs   [][4]*canvas.Rectangle
	totals []*canvas.Text
	years  []*canvas.Text
	counts []*canvas.Text
	axis   *canvas.Line
	legend []fyne.CanvasObject // swatch, text pairs
	empty  *canvas.Text
}

func chartText(s string, size float32, bold bool) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.TextSize = size
	t.TextStyle = fyne.TextStyle{Bold: bold}
	t.Alignment = fyne.TextAlignCenter
	return t
}

// rebuild makes the canvas objects for the bars the chart has.
func (r *chartRenderer) rebuild() {
	c := r.c
	ts := theme.TextSize()
	r.objects = nil
	r.segs, r.totals, r.years, r.counts = nil, nil, nil, nil
	r.axis = canvas.NewLine(theme.Color(theme.ColorNameDisabled))
	r.axis.StrokeWidth = 1
	r.objects = append(r.objects, r.axis)
	for _, b := range c.bars {
		var segs [numSegments]*canvas.Rectangle
		for k := range segs {
			segs[k] = canvas.NewRectangle(chartSegments[k].colour)
			r.objects = append(r.objects, segs[k])
		}
		r.segs = append(r.segs, segs)
		label := report.Money(b.total, c.currency)
		switch {
		case b.total == 0 && b.devices > 0:
			label = "No cost yet"
		case b.total == 0:
			label = "—"
		}
		tot := chartText(label, ts*0.95, true)
		yr := chartText(fmt.Sprint(b.year), ts, false)
		n := chartText(plural(b.devices, "device", "devices"), ts*0.85, false)
		n.Color = theme.Color(theme.ColorNamePlaceHolder)
		r.totals, r.years, r.counts = append(r.totals, tot), append(r.years, yr), append(r.counts, n)
		r.objects = append(r.objects, tot, yr, n)
	}
	r.legend = nil
	for _, s := range chartSegments {
		sw := canvas.NewRectangle(s.colour)
		sw.CornerRadius = 2
		t := canvas.NewText(s.label, theme.Color(theme.ColorNameForeground))
		t.TextSize = ts * 0.9
		r.legend = append(r.legend, sw, t)
	}
	r.objects = append(r.objects, r.legend...)
	r.empty = chartText("", ts, false)
	r.empty.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.objects = append(r.objects, r.empty)
}

func (r *chartRenderer) Layout(size fyne.Size) {
	c := r.c
	pad := theme.Padding()
	ts := theme.TextSize()
	// Legend along the top.
	x := pad
	legendH := ts + 2*pad
	var used [numSegments]bool // the legend names only what the bars show
	for _, b := range c.bars {
		for k, m := range b.parts {
			used[k] = used[k] || m > 0
		}
	}
	for i := 0; i+1 < len(r.legend); i += 2 {
		sw, t := r.legend[i].(*canvas.Rectangle), r.legend[i+1].(*canvas.Text)
		sw.Hidden, t.Hidden = !used[i/2], !used[i/2]
		if !used[i/2] {
			continue
		}
		sw.Resize(fyne.NewSize(ts, ts))
		sw.Move(fyne.NewPos(x, pad+1))
		x += ts + pad
		w := t.MinSize().Width
		t.Resize(fyne.NewSize(w, ts+2))
		t.Move(fyne.NewPos(x, pad-1))
		x += w + 4*pad
	}
	// Bars between the legend's and the labels' rows.
	top := legendH + ts + 3*pad // room for the tallest bar's total
	labelsH := 2*ts + 3*pad
	base := size.Height - labelsH
	r.axis.Position1 = fyne.NewPos(0, base)
	r.axis.Position2 = fyne.NewPos(size.Width, base)
	hidden := len(c.bars) == 0
	r.empty.Hidden = !hidden
	if hidden {
		r.empty.Text = "Nothing to show yet."
		r.empty.Resize(fyne.NewSize(size.Width, ts+2))
		r.empty.Move(fyne.NewPos(0, size.Height/2))
		return
	}
	var most inventory.Money
	for _, b := range c.bars {
		most = max(most, b.total)
	}
	n := float32(len(c.bars))
	slot := size.Width / n
	barW := min(slot*0.6, 90)
	for i, b := range c.bars {
		cx := slot*float32(i) + slot/2
		y := base
		for k, seg := range r.segs[i] {
			h := float32(0)
			if most > 0 {
				h = (base - top) * float32(b.parts[k]) / float32(most)
			}
			seg.Resize(fyne.NewSize(barW, h))
			y -= h
			seg.Move(fyne.NewPos(cx-barW/2, y))
		}
		tot := r.totals[i]
		tot.Resize(fyne.NewSize(slot, ts+2))
		tot.Move(fyne.NewPos(cx-slot/2, y-ts-pad-2))
		r.years[i].Resize(fyne.NewSize(slot, ts+2))
		r.years[i].Move(fyne.NewPos(cx-slot/2, base+pad))
		r.counts[i].Resize(fyne.NewSize(slot, ts+2))
		r.counts[i].Move(fyne.NewPos(cx-slot/2, base+pad+ts+pad))
	}
}

// MinSize leaves room for ten years' bars and their labels.
func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(560, 280) }

func (r *chartRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *chartRenderer) Destroy() {}
