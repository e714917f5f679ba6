package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

func TestWindowTitleAndTabs(t *testing.T) {
	st := newStore(t, sampleDevices(3))
	if err := st.PutSettings(context.Background(), inventory.Settings{Organisation: "Northwind Facilities"}); err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, st, nil)
	if got, want := u.win.Title(), "SiteKeeper — Northwind Facilities"; got != want {
		t.Errorf("title = %q; want %q", got, want)
	}
	var names []string
	for _, it := range u.tabs.Items {
		names = append(names, it.Text)
	}
	if want := []string{"Dashboard", "Devices", "Plan", "Reports", "Alerts", "Settings"}; !slices.Equal(names, want) {
		t.Errorf("tabs = %q; want %q", names, want)
	}
	if findButton(u, "Import a spreadsheet") != nil {
		t.Error("import button shown with no importer")
	}
}

func TestTableShowsDevices(t *testing.T) {
	u := newTestUI(t, newStore(t, sampleDevices(30)), nil)
	v := u.devices
	if !v.list.Visible() || v.empty.Visible() {
		t.Fatal("the list is not shown for a filled inventory")
	}
	if got := len(v.visible); got != 30 {
		t.Fatalf("visible rows = %d; want 30", got)
	}
	if got, want := v.count.Text, "Showing all 30 devices"; got != want {
		t.Errorf("count = %q; want %q", got, want)
	}
	rows, cols := v.table.Length()
	if rows != 30 || cols != int(numCols) {
		t.Errorf("table length = %d×%d; want 30×%d", rows, cols, numCols)
	}
	// Sorted by name to begin with.
	if !sortedBy(v, colName, false) {
		t.Error("rows are not in name order")
	}
	for _, col := range []column{colName, colSite, colIP, colMAC, colModel, colWarranty, colStatus} {
		if v.rows[v.visible[0]].cells[col] == "" {
			t.Errorf("first row has no %s", columns[col].title)
		}
	}
}

func TestSearchFiltersAndSort(t *testing.T) {
	devs := sampleDevices(30)
	u := newTestUI(t, newStore(t, devs), nil)
	v := u.devices
	count := func(pred func(d *inventory.Device) bool) int {
		n := 0
		for i := range devs {
			if pred(&devs[i]) {
				n++
			}
		}
		return n
	}
	check := func(what string, want int) {
		t.Helper()
		u.wait()
		if got := len(v.visible); got != want {
			t.Errorf("%s: %d rows; want %d", what, got, want)
		}
	}

	v.search.SetText("AXIS")
	wantAxis := count(func(d *inventory.Device) bool { return d.Manufacturer() == "Axis" })
	check("search AXIS", wantAxis)
	if want := "Showing " + itoa(wantAxis) + " of 30 devices"; v.count.Text != want {
		t.Errorf("count = %q; want %q", v.count.Text, want)
	}
	v.search.SetText(strings.ReplaceAll(devs[4].MAC(), ":", "")) // a MAC typed without colons
	check("search MAC", 1)
	v.search.SetText(devs[5].IP())
	check("search IP", 1)
	v.search.SetText("dome reception") // every word must match
	check("search two words", count(func(d *inventory.Device) bool {
		return strings.Contains(d.Known.Name, "Dome") && d.Known.Location == "Reception"
	}))
	v.search.SetText("")
	check("search cleared", 30)

	v.siteSel.SetSelected("Warehouse North")
	check("site", count(func(d *inventory.Device) bool { return d.Known.Site == "Warehouse North" }))
	v.classSel.SetSelected("Camera")
	check("site and type", count(func(d *inventory.Device) bool {
		return d.Known.Site == "Warehouse North" && d.Class() == inventory.ClassCamera
	}))
	v.siteSel.SetSelected(allSites)
	v.classSel.SetSelected(allClasses)
	v.stateSel.SetSelected("Decommissioned")
	check("status", count(func(d *inventory.Device) bool { return d.State() == inventory.StateDecommissioned }))
	v.stateSel.SetSelected(allStates)
	check("all", 30)

	// Sorting: a click on a header sorts by it, a second click reverses.
	site := findButton(u, "Site")
	if site == nil {
		t.Fatal("no Site header button")
	}
	test.Tap(site)
	u.wait()
	if !sortedBy(v, colSite, false) {
		t.Error("not sorted by site after one click")
	}
	test.Tap(site)
	u.wait()
	if !sortedBy(v, colSite, true) {
		t.Error("not sorted by site, descending, after two clicks")
	}
	if site.Icon == nil {
		t.Error("the sorted column's header shows no arrow")
	}
	v.sortBy(colIP)
	u.wait()
	first, last := v.rows[v.visible[0]].cells[colIP], v.rows[v.visible[len(v.visible)-1]].cells[colIP]
	if !strings.HasPrefix(first, "10.1.") || !strings.HasPrefix(last, "192.168.") {
		t.Errorf("IP sort: first %s, last %s; want numeric order", first, last)
	}
}

// sortedBy reports whether the visible rows are in order of column c.
func sortedBy(v *devicesView, c column, desc bool) bool {
	for i := 1; i < len(v.visible); i++ {
		a, b := v.rows[v.visible[i-1]].keys[c], v.rows[v.visible[i]].keys[c]
		if (!desc && a > b) || (desc && a < b) {
			return false
		}
	}
	return true
}

func TestStaleFilterResultsAreDropped(t *testing.T) {
	u := newTestUI(t, newStore(t, sampleDevices(30)), nil)
	v := u.devices
	// Three queries in a row, with no wait: only the last may show,
	// whichever finishes first.
	for _, q := range []string{"axis", "camera", "no such device"} {
		v.q.text = q
		v.refilter()
	}
	u.wait()
	if len(v.visible) != 0 {
		t.Errorf("visible = %d rows; want the last query's 0", len(v.visible))
	}
}

func TestTenThousandDevices(t *testing.T) {
	if testing.Short() {
		t.Skip("slow with -race")
	}
	u := newTestUI(t, newStore(t, sampleDevices(10_000)), nil)
	v := u.devices
	if len(v.visible) != 10_000 {
		t.Fatalf("visible = %d; want 10000", len(v.visible))
	}
	v.search.SetText("warehouse")
	u.wait()
	if got := len(v.visible); got < 3000 || got > 3500 {
		t.Errorf("search in 10,000: %d rows; want about a third", got)
	}
}

func TestOpenDeviceFromTable(t *testing.T) {
	u := newTestUI(t, newStore(t, sampleDevices(5)), nil)
	v := u.devices
	v.table.Select(widget.TableCellID{Row: 2, Col: 0})
	u.wait()
	if u.form == nil {
		t.Fatal("clicking a row opened no form")
	}
	if want := v.rows[v.visible[2]].id; u.form.dev.ID != want {
		t.Errorf("form shows %s; want %s", u.form.dev.ID, want)
	}
}

func TestCountText(t *testing.T) {
	for _, tc := range []struct {
		shown, total int
		want         string
	}{
		{10000, 10000, "Showing all 10,000 devices"},
		{37, 1412, "Showing 37 of 1,412 devices"},
		{1, 1, "Showing all 1 device"},
	} {
		if got := countText(tc.shown, tc.total); got != tc.want {
			t.Errorf("countText(%d, %d) = %q; want %q", tc.shown, tc.total, got, tc.want)
		}
	}
}
