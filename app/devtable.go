package app

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"sitekeeper/internal/inventory"
)

// This file is the Devices table's model: plain data and pure functions, no
// widgets, so that filtering and sorting 10,000 devices can run off the UI
// goroutine and be benchmarked on its own.

// column is a column of the Devices table.
type column int

const (
	colName column = iota
	colHealth
	colClass
	colSite
	colLocation
	colIP
	colMAC
	colManufacturer
	colModel
	colFirmware
	colWarranty
	colStatus
	numCols
)

// columns are the titles and starting widths. The widths fit the usual
// values (a 17-character MAC, a 15-character IPv4 address, an ISO date)
// without truncation in the default theme.
var columns = [numCols]struct {
	title string
	width float32
}{
	colName:         {"Name", 260},
	colClass:        {"Type", 120},
	colSite:         {"Site", 150},
	colLocation:     {"Location", 150},
	colIP:           {"IP address", 130},
	colMAC:          {"MAC address", 160},
	colManufacturer: {"Manufacturer", 130},
	colModel:        {"Model", 150},
	colFirmware:     {"Firmware", 110},
	colWarranty:     {"Warranty end", 130},
	colStatus:       {"Status", 130},
	colHealth:       {"Health", 120},
}

// row is one device prepared for the table: the text of each cell, the keys
// it sorts by and the text a search looks in, all worked out once per load
// so that a keystroke in the search box costs only comparisons.
type row struct {
	id    string
	cells [numCols]string
	keys  [numCols]string
	hay   string // lower-case text that search matches against
	site  string
	class inventory.Class
	state inventory.State
	// warrantyEnded marks an in-service device whose warranty is over, so
	// the table can draw attention to it.
	warrantyEnded bool
}

// buildRows prepares devices for the table. today decides which warranties
// have ended; statuses are the checks' results by device ID (nil: none).
func buildRows(devs []inventory.Device, today inventory.Date, statuses map[string]inventory.DeviceStatus) []row {
	rows := make([]row, len(devs))
	for i := range devs {
		d := &devs[i]
		r := &rows[i]
		r.id = d.ID
		r.site = d.Known.Site
		r.class = d.Class()
		r.state = d.State()
		r.cells[colName] = d.DisplayName()
		if r.class != "" {
			r.cells[colClass] = r.class.Label()
		}
		r.cells[colSite] = d.Known.Site
		r.cells[colLocation] = d.Known.Location
		r.cells[colIP] = d.IP()
		if n := len(d.Discovered.IPs); n > 1 {
			r.cells[colIP] += fmt.Sprintf(" (+%d)", n-1)
		}
		r.cells[colMAC] = d.MAC()
		r.cells[colManufacturer] = d.Manufacturer()
		r.cells[colModel] = d.Model()
		r.cells[colFirmware] = d.Firmware()
		w := d.Known.WarrantyEnd
		r.cells[colWarranty] = w.Date.String()
		if w.Estimated && !w.IsZero() {
			r.cells[colWarranty] += " (est.)"
		}
		r.cells[colStatus] = r.state.Label()
		r.cells[colHealth] = healthLabel(d, statuses[d.ID].Health)
		r.warrantyEnded = !w.IsZero() && w.Date.Before(today) && r.state == inventory.StateActive

		for c := range numCols {
			r.keys[c] = strings.ToLower(r.cells[c])
		}
		r.keys[colIP] = ipKey(d.IP())
		r.keys[colWarranty] = w.Date.String()
		// Status sorts in lifecycle order, not alphabetically; health worst
		// first.
		r.keys[colStatus] = strconv.Itoa(slices.Index(inventory.States, r.state))
		r.keys[colHealth] = strconv.Itoa(slices.Index(healthOrder, statuses[d.ID].Health))

		r.hay = strings.ToLower(strings.Join([]string{
			r.cells[colName], d.IP(), strings.Join(d.Discovered.IPs, " "), d.MAC(),
			strings.ReplaceAll(d.MAC(), ":", ""), d.Serial(), d.Model(), d.Manufacturer(),
			d.Known.Site, d.Known.Location, d.Known.Notes,
		}, "\x00"))
	}
	return rows
}

// healthOrder sorts the worst first.
var healthOrder = []inventory.Health{inventory.HealthOffline, inventory.HealthDegraded, inventory.HealthOnline, inventory.HealthUnknown}

// healthLabel is what the checks last said of d, in words: blank for a
// device that is not checked (retired, or without an address).
func healthLabel(d *inventory.Device, h inventory.Health) string {
	switch {
	case h == inventory.HealthOnline:
		return "Online"
	case h == inventory.HealthDegraded:
		return "Needs attention"
	case h == inventory.HealthOffline:
		return "Offline"
	case d.State() != inventory.StateActive || d.IP() == "":
		return ""
	}
	return "Not checked yet"
}

// ipKey makes addresses sort as numbers (10.0.0.9 before 10.0.0.10).
func ipKey(s string) string {
	if s == "" {
		return ""
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return "\xff" + strings.ToLower(s) // after every real address
	}
	b := a.As16()
	return string(b[:])
}

// query is what the person asked the table to show.
type query struct {
	// text is the search; every word must appear (case-insensitive).
	text  string
	site  string          // "" means every site
	class inventory.Class // "" means every type
	state inventory.State // "" means every status
	// noClass, noSite select devices without a type or site.
	noClass, noSite bool
	sortCol         column
	desc            bool
}

// filterSort returns the indexes into rows that q selects, in q's order.
// It checks ctx every few thousand rows so that a superseded request stops
// early; then it returns ctx's error.
func filterSort(ctx context.Context, rows []row, q query) ([]int32, error) {
	terms := strings.Fields(strings.ToLower(q.text))
	out := make([]int32, 0, len(rows))
	for i := range rows {
		if i&4095 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if matches(&rows[i], &q, terms) {
			out = append(out, int32(i))
		}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	c := q.sortCol
	slices.SortFunc(out, func(a, b int32) int {
		ra, rb := &rows[a], &rows[b]
		ka, kb := ra.keys[c], rb.keys[c]
		// Empty cells go last whichever way the column sorts: a blank
		// at the top of the list looks like a missing device.
		if (ka == "") != (kb == "") {
			if ka == "" {
				return 1
			}
			return -1
		}
		r := strings.Compare(ka, kb)
		if q.desc {
			r = -r
		}
		if r != 0 {
			return r
		}
		// Ties keep a stable, predictable order: by name, then ID.
		return cmp.Or(strings.Compare(ra.keys[colName], rb.keys[colName]), strings.Compare(ra.id, rb.id))
	})
	return out, nil
}

func matches(r *row, q *query, terms []string) bool {
	switch {
	case q.noSite && r.site != "", q.site != "" && !strings.EqualFold(r.site, q.site):
		return false
	case q.noClass && r.class != "", q.class != "" && r.class != q.class:
		return false
	case q.state != "" && r.state != q.state:
		return false
	}
	for _, t := range terms {
		if !strings.Contains(r.hay, t) {
			return false
		}
	}
	return true
}

// siteNames lists the sites for the filter: those with a record and those
// that devices name, each once whatever its case, in alphabetical order.
func siteNames(sites []inventory.Site, devs []inventory.Device) []string {
	seen := map[string]string{}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if k := strings.ToLower(s); s != "" && seen[k] == "" {
			seen[k] = s
		}
	}
	for _, s := range sites {
		add(s.Name)
	}
	for i := range devs {
		add(devs[i].Known.Site)
	}
	out := make([]string, 0, len(seen))
	for _, s := range seen {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}

// countText is the line under the table: "Showing 37 of 412 devices".
func countText(shown, total int) string {
	noun := "devices"
	if total == 1 {
		noun = "device"
	}
	switch {
	case shown == total:
		return fmt.Sprintf("Showing all %s %s", grouped(total), noun)
	case shown == 0:
		return fmt.Sprintf("No device matches. Clear the search or set the filters back to “All” to see all %s.", grouped(total))
	}
	return fmt.Sprintf("Showing %s of %s %s", grouped(shown), grouped(total), noun)
}

// grouped writes a count with thousands separated: 10000 -> "10,000".
func grouped(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
