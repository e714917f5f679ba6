package app

import (
	"context"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

// kind is one sort of device a real site has, for the fixtures.
type kind struct {
	class        inventory.Class
	manufacturer string
	model        string
	firmware     string
	name         string
	cost         int64 // in currency units
}

var kinds = []kind{
	{inventory.ClassCamera, "Axis", "P3265-LVE", "10.12.240", "Dome camera", 1190},
	{inventory.ClassCamera, "Hanwha Vision", "XNV-8082R", "2.21.02", "Dome camera", 980},
	{inventory.ClassCamera, "Bosch", "FLEXIDOME 5100i", "8.90.0030", "Dome camera", 1050},
	{inventory.ClassCamera, "Axis", "Q6135-LE", "11.1.66", "PTZ camera", 3400},
	{inventory.ClassRecorder, "Axis", "S3016", "11.2.56", "Recorder", 4200},
	{inventory.ClassRecorder, "Hikvision", "DS-7716NI-K4", "4.62.210", "Recorder", 1650},
	{inventory.ClassAccessControl, "Axis", "A1610", "12.0.9", "Door controller", 890},
	{inventory.ClassAccessControl, "HID", "VertX EVO V1000", "3.5.2.1483", "Door controller", 1300},
	{inventory.ClassIntercom, "2N", "IP Verso 2.0", "2.44.0.62.2", "Door intercom", 1450},
	{inventory.ClassPrinter, "HP", "LaserJet Pro M404dn", "20231011", "Printer", 390},
	{inventory.ClassIO, "Moxa", "ioLogik E1214", "3.3", "Alarm inputs", 420},
	{inventory.ClassNetwork, "Cisco", "CBS350-24FP", "3.3.0.16", "PoE switch", 980},
}

var fixtureSites = []struct{ name, prefix string }{
	{"Head office", "10.1.20."},
	{"Warehouse North", "10.2.30."},
	{"Retail Park", "192.168.50."},
}

var places = []string{"Main entrance", "Reception", "Loading bay", "Car park", "Server room",
	"Stairwell B", "Staff door", "Goods in", "Corridor 2", "Roof"}

// sampleDevices is a site's worth of realistic devices: n of them, spread
// over three sites and the usual kinds, with owners, dates and costs, a few
// out of service and a few whose warranty has ended.
func sampleDevices(n int) []inventory.Device {
	out := make([]inventory.Device, n)
	for i := range out {
		k := kinds[i%len(kinds)]
		s := fixtureSites[i%len(fixtureSites)]
		place := places[(i/3)%len(places)]
		install := inventory.Date{Year: 2017 + i%8, Month: time.Month(1 + i%12), Day: 1 + i%27}
		d := inventory.Device{
			Discovered: inventory.Discovered{
				IPs:          []string{fmt.Sprintf("%s%d", s.prefix, 10+i%240)},
				MAC:          fmt.Sprintf("00:40:8c:%02x:%02x:%02x", (i>>16)&0xff, (i>>8)&0xff, i&0xff),
				Manufacturer: k.manufacturer,
				Model:        k.model,
				Firmware:     k.firmware,
				Serial:       fmt.Sprintf("SN%08d", 1000+i*7),
				Class:        k.class,
				Sources:      []string{"onvif", "wsd"},
				FirstSeen:    time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
				LastSeen:     time.Date(2026, 11, 20, 8, 30, 0, 0, time.UTC),
			},
			Known: inventory.Known{
				Name:              fmt.Sprintf("%s – %s", k.name, place),
				Site:              s.name,
				Location:          place,
				OTOwner:           inventory.Owner{Team: "Facilities", Contact: "facilities@northwind.example"},
				ITOwner:           inventory.Owner{Team: "IT service desk", Contact: "+44 20 7946 0000"},
				BudgetOwner:       inventory.BudgetSplit{OT: 100},
				InstallDate:       inventory.DateValue{Date: install},
				WarrantyEnd:       inventory.DateValue{Date: install.AddYears(5), Estimated: i%4 == 0},
				ExpectedLifeYears: 8,
				ReplacementCost:   inventory.MoneyFromCents(k.cost * 100),
			},
		}
		if n > 100 { // many devices: vary the names so that sorting has work to do
			d.Known.Name = fmt.Sprintf("%s %05d", d.Known.Name, (i*7919)%n)
		}
		switch i % 15 {
		case 7:
			d.Lifecycle = inventory.Lifecycle{State: inventory.StateDecommissioned, Date: inventory.Date{Year: 2025, Month: 6, Day: 30}, Reason: "area closed"}
		case 11:
			d.Lifecycle = inventory.Lifecycle{State: inventory.StateSpare}
		}
		out[i] = d
	}
	return out
}

// newStore returns a memory store holding devs.
func newStore(t testing.TB, devs []inventory.Device) *inventory.Memory {
	t.Helper()
	st := inventory.NewMemory()
	if len(devs) > 0 {
		if _, err := st.Import(context.Background(), devs, nil); err != nil {
			t.Fatalf("Import: %v", err)
		}
	}
	return st
}

// testUI is the GUI with its UI goroutine played by the test: results of
// background work queue up, and wait runs them in order, as a real
// driver's event loop would.
type testUI struct {
	*UI
	queue chan func()
}

// newTestUI builds the GUI on a headless test app and waits for its first
// load. The app uses the real theme in its light variant, so that captures
// look like the product rather than like Fyne's grey test theme.
func newTestUI(t *testing.T, st Store, imp Importer) *testUI {
	t.Helper()
	return newTestUIOpt(t, st, imp, Options{})
}

// newTestUIOpt is newTestUI with options, such as a fake Scanner.
func newTestUIOpt(t *testing.T, st Store, imp Importer, opt Options) *testUI {
	t.Helper()
	opt.DBPath, opt.Version = `C:\Users\sam\AppData\Roaming\SiteKeeper\inventory.db`, "0.1.0"
	a := test.NewTempApp(t)
	a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	q := make(chan func(), 1024)
	u := &testUI{queue: q}
	u.UI = newUI(a, st, imp, opt, func(fn func()) { q <- fn })
	t.Cleanup(func() {
		u.cancel() // ends a stuck fake importer, if any
		u.wait()
		u.win.Close()
	})
	u.wait()
	return u
}

// wait runs queued results until no background work is left.
func (u *testUI) wait() {
	for u.pending > 0 || len(u.queue) > 0 {
		fn := <-u.queue
		fn()
	}
}

// drain runs the results queued so far without waiting for work still
// running, such as a scan that waits for Stop.
func (u *testUI) drain() {
	for len(u.queue) > 0 {
		(<-u.queue)()
	}
}

// variantTheme pins a theme to one variant, as the OS would.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (v variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return v.Theme.Color(n, v.variant)
}

// capture writes what the window shows to out/gui/name.png, for a person
// to look at (out/ is not committed).
func capture(t *testing.T, u *testUI, name string) {
	t.Helper()
	dir := filepath.Join("..", "out", "gui")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := u.win.Canvas()
	relayout(c.Content())
	for _, o := range c.Overlays().List() {
		relayout(o)
	}
	if err := png.Encode(f, c.Capture()); err != nil {
		t.Fatal(err)
	}
}

// relayout lays out every container and widget again, top down, as a real
// driver does each frame for objects whose minimum size changed; the test
// canvas does not, so without this a capture can show stale positions.
func relayout(o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	switch c := o.(type) {
	case *fyne.Container:
		if c.Layout != nil {
			c.Layout.Layout(c.Objects, c.Size())
		}
		for _, ch := range c.Objects {
			relayout(ch)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(c)
		r.Layout(c.Size())
		for _, ch := range r.Objects() {
			relayout(ch)
		}
	}
}

// findButton returns the shown button with this text, in the window or in
// a dialog over it, or nil.
func findButton(u *testUI, text string) *widget.Button {
	var found *widget.Button
	visit := func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			found = b
		}
	}
	walk(u.win.Canvas().Content(), visit)
	for _, o := range u.win.Canvas().Overlays().List() {
		walk(o, visit)
	}
	return found
}

// hasText reports whether a shown label in the window or its dialogs
// contains s.
func hasText(u *testUI, s string) bool {
	found := false
	visit := func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && strings.Contains(l.Text, s) {
			found = true
		}
	}
	walk(u.win.Canvas().Content(), visit)
	for _, o := range u.win.Canvas().Overlays().List() {
		walk(o, visit)
	}
	return found
}

func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			walk(ch, fn)
		}
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			walk(ch, fn)
		}
	}
}

// opener returns an opener over fixed file contents.
func textOpener(s string) opener {
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }
}
