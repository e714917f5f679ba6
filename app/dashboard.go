package app

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/firmware"
	"sitekeeper/internal/inventory"
	"sitekeeper/internal/plan"
)

// dashboardRefresh is how often the Dashboard reads the checks' results
// again while SiteKeeper runs.
const dashboardRefresh = 30 * time.Second

// dashboardView is the Dashboard: readable at a glance by a facility
// manager — how many devices are online, degraded, offline, what went
// offline and since when, what needs attention, and where firmware stands.
type dashboardView struct {
	u       *UI
	content fyne.CanvasObject
	box     *fyne.Container
	// gapDays is the period of the recording-gap list; period chooses it.
	gapDays int
	period  *widget.Select
	// gen drops a slow load that a later one overtook.
	gen uint64
}

// dashboardData is what one load read.
type dashboardData struct {
	now      time.Time
	devices  []inventory.Device
	statuses map[string]inventory.DeviceStatus
	fw       map[string]firmware.Assessment
	fwErr    error
	gaps     []inventory.Outage
	// pauses are the maintenance pauses saved in Settings; interval the
	// check interval in seconds (0: the default minute).
	pauses   []inventory.Pause
	interval int
	// upcoming are the dates falling due in the next dueDays.
	upcoming []plan.Reminder
}

// dueDays is how far ahead the Dashboard looks for dates falling due.
const dueDays = 90

// gapPeriods are the periods the recording-gap list offers.
var gapPeriods = map[string]int{"the last 7 days": 7, "the last 30 days": 30, "the last 90 days": 90}

func newDashboardView(u *UI) *dashboardView {
	v := &dashboardView{u: u, box: container.NewVBox(), gapDays: 7}
	v.period = widget.NewSelect([]string{"the last 7 days", "the last 30 days", "the last 90 days"}, func(s string) {
		if d := gapPeriods[s]; d != 0 && d != v.gapDays {
			v.gapDays = d
			v.reload()
		}
	})
	v.period.SetSelected("the last 7 days")
	v.content = container.NewVScroll(container.NewPadded(v.box))
	return v
}

// reload reads devices, statuses and firmware in the background and shows
// them; call it on the UI goroutine.
func (v *dashboardView) reload() {
	v.gen++
	gen := v.gen
	u := v.u
	days := v.gapDays
	u.background(func() func() {
		var data dashboardData
		var err error
		data.now = time.Now()
		if data.devices, err = u.st.Devices(u.ctx); err == nil {
			data.statuses, err = u.st.Statuses(u.ctx)
		}
		if err == nil {
			// Up to a moment past now, so that an outage still going on keeps no end.
			data.gaps, err = u.st.Gaps(u.ctx, "", data.now.AddDate(0, 0, -days), data.now.Add(time.Minute))
		}
		if err == nil {
			data.fw, data.fwErr = assessFirmware(data.devices, data.now)
		}
		if s, serr := u.st.Settings(u.ctx); serr == nil { // without them the rest still shows
			data.pauses, data.interval = s.Checks.Pauses, s.Checks.IntervalSeconds
		}
		if err == nil {
			if sites, serr := u.st.Sites(u.ctx); serr == nil { // without them the rest still shows
				data.upcoming = upcoming(data, sites)
			}
		}
		return func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.box.Objects = []fyne.CanvasObject{para("The dashboard could not be read: " + Explain(err))}
				v.box.Refresh()
				return
			}
			v.show(data)
		}
	})
}

// assessFirmware judges every device's firmware against the catalog file
// (if a person keeps one) and the fleet.
func assessFirmware(devs []inventory.Device, now time.Time) (map[string]firmware.Assessment, error) {
	cat, _, _, loadErr := firmware.LoadKept() // on an error, judged against the fleet alone, and said so
	fleet := firmware.NewBaseline(devs)
	today := inventory.DateOf(now)
	out := make(map[string]firmware.Assessment, len(devs))
	for _, d := range devs {
		if d.State() == inventory.StateActive {
			out[d.ID] = firmware.Assess(d, cat, fleet, today)
		}
	}
	return out, loadErr
}

// show lays the dashboard out from data.
func (v *dashboardView) show(data dashboardData) {
	var online, degraded, offline, unchecked int
	type row struct {
		d     *inventory.Device
		st    inventory.DeviceStatus
		since time.Time
	}
	var down, attention []row
	for i := range data.devices {
		d := &data.devices[i]
		if d.State() != inventory.StateActive {
			continue
		}
		st, ok := data.statuses[d.ID]
		switch {
		case !ok || st.Health == inventory.HealthUnknown:
			unchecked++
		case st.Health == inventory.HealthOffline:
			offline++
			down = append(down, row{d, st, st.Since})
		case st.Health == inventory.HealthDegraded:
			degraded++
			attention = append(attention, row{d, st, st.Since})
		default:
			online++
		}
	}
	bySince := func(a, b row) int { return a.since.Compare(b.since) }
	slices.SortFunc(down, bySince)
	slices.SortFunc(attention, bySince)

	objs := []fyne.CanvasObject{
		heading("At a glance"),
		container.NewGridWithColumns(4,
			countCard(online, "online", theme.ColorNameSuccess),
			countCard(degraded, "need attention", theme.ColorNameWarning),
			countCard(offline, "offline", theme.ColorNameError),
			countCard(unchecked, "not checked yet", theme.ColorNameDisabled),
		),
	}
	names := map[string]string{}
	for i := range data.devices {
		names[data.devices[i].ID] = data.devices[i].NameAndAddress()
	}
	for _, p := range data.pauses {
		if p.Until.After(data.now) {
			objs = append(objs, warn(pauseText(p, names[p.DeviceID], data.now)+" No offline alert is raised for these devices; resume the checks in Settings."))
		}
	}
	if unchecked > 0 && online+degraded+offline == 0 {
		every := "every minute"
		if data.interval > 0 && data.interval != int(defaultInterval/time.Second) {
			every = "every " + strings.TrimPrefix(everyText(data.interval), "1 ") // "every hour", not "every 1 hour"
		}
		objs = append(objs, para("SiteKeeper checks every device with an address "+every+" while it is open. The first results appear within a few minutes. Devices without an address (typed in by hand) are not checked."))
	}

	objs = append(objs, heading("Offline now"))
	if len(down) == 0 {
		objs = append(objs, para("Nothing is offline."))
	}
	for _, r := range down {
		objs = append(objs, para(fmt.Sprintf("%s%s — offline since %s (%s). %s Recordings from it may be missing since then.",
			r.d.NameAndAddress(), siteSuffix(r.d), r.since.Local().Format("Mon 2 Jan 15:04"), forHowLong(data.now.Sub(r.since)), sentence(r.st.Cause))))
	}

	fwCounts := map[firmware.Status]int{}
	var unsupported []string
	for _, d := range data.devices {
		a, ok := data.fw[d.ID]
		if !ok {
			continue
		}
		fwCounts[a.Status]++
		if a.Status == firmware.StatusUnsupported {
			unsupported = append(unsupported, d.NameAndAddress())
		}
	}

	objs = append(objs, heading("Needs attention"))
	if len(attention) == 0 && len(unsupported) == 0 {
		objs = append(objs, para("Nothing needs attention."))
	}
	for _, r := range attention {
		objs = append(objs, para(fmt.Sprintf("%s%s: %s", r.d.NameAndAddress(), siteSuffix(r.d), sentence(r.st.Cause))))
	}
	if n := len(unsupported); n > 0 {
		objs = append(objs, para(fmt.Sprintf("%s no longer supported by the maker: %s. Plan their replacement; they get no security fixes.",
			plural(n, "device's firmware is", "devices' firmware is"), listed(unsupported))))
	}

	objs = append(objs, heading(fmt.Sprintf("Coming up in the next %d days", dueDays)))
	objs = append(objs, upcomingLines(data.upcoming)...)

	objs = append(objs, container.NewHBox(heading("Recording gaps in"), container.NewGridWrap(fyne.NewSize(190, v.period.MinSize().Height), v.period)))
	objs = append(objs, v.gapLines(data)...)

	objs = append(objs, heading("Firmware"))
	objs = append(objs, para(fmt.Sprintf("%d current, %d behind, %d no longer supported, %d unknown.",
		fwCounts[firmware.StatusCurrent], fwCounts[firmware.StatusBehind], fwCounts[firmware.StatusUnsupported], fwCounts[firmware.StatusUnknown])))
	if data.fwErr != nil {
		objs = append(objs, warn("The firmware catalog could not be read, so firmware is compared across your own devices only: "+Explain(data.fwErr)))
	} else if path, err := firmware.CatalogPath(); err == nil {
		objs = append(objs, para(fmt.Sprintf("Firmware is compared with the newest version on the same model in your inventory, and with the catalog file %s where you keep one.", path)))
	}
	objs = append(objs, container.NewHBox(widget.NewButtonWithIcon("Load a firmware catalog…", theme.FolderOpenIcon(), v.u.chooseFirmwareCatalog)))
	objs = append(objs, para("Updated "+data.now.Local().Format("15:04:05")+"."))
	v.box.Objects = objs
	v.box.Refresh()
}

// countCard is a big number in colour over a label.
func countCard(n int, label string, c fyne.ThemeColorName) fyne.CanvasObject {
	num := canvas.NewText(fmt.Sprint(n), theme.Color(c))
	num.TextSize = theme.TextSize() * 3
	num.TextStyle = fyne.TextStyle{Bold: true}
	num.Alignment = fyne.TextAlignCenter
	l := widget.NewLabel(label)
	l.Alignment = fyne.TextAlignCenter
	bg := canvas.NewRectangle(withAlpha(theme.Color(c), 0x22))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewVBox(num, l))
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

func heading(s string) fyne.CanvasObject {
	l := widget.NewLabel(s)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

func warn(s string) fyne.CanvasObject {
	l := para(s)
	l.Importance = widget.WarningImportance
	return l
}

func siteSuffix(d *inventory.Device) string {
	if d.Known.Site == "" {
		return ""
	}
	return " at " + d.Known.Site
}

// sentence makes a cause a sentence for the dashboard: capitalised, ending
// with a full stop, without the technical detail in parentheses (the
// device's History tab and `sitekeeper check` keep it).
func sentence(s string) string {
	s = strings.TrimSpace(trailingDetail(s))
	if s == "" {
		return ""
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// forHowLong is "for 2 h 5 min", "for 3 days".
func forHowLong(d time.Duration) string {
	d = max(d, 0)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("for %d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("for %d h %d min", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("for %d days", int(d.Hours()/24))
}

// trailingDetail drops a parenthesised group that ends s ("The device does
// not answer at all (icmp: ...; onvif: ...)"); parentheses inside the text
// ("a time (NTP) server") stay.
func trailingDetail(s string) string {
	if !strings.HasSuffix(s, ")") {
		return s
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			if depth--; depth == 0 {
				if i > 0 && s[i-1] == ' ' {
					return s[:i-1]
				}
				return s
			}
		}
	}
	return s
}

// gapLines lists, site by site, when each camera or recorder was offline in
// the period: the times its recordings may be missing.
func (v *dashboardView) gapLines(data dashboardData) []fyne.CanvasObject {
	if len(data.gaps) == 0 {
		return []fyne.CanvasObject{para("No camera or recorder was offline in this period.")}
	}
	byID := make(map[string]*inventory.Device, len(data.devices))
	for i := range data.devices {
		byID[data.devices[i].ID] = &data.devices[i]
	}
	sites := map[string][]string{}
	var order []string
	for _, g := range data.gaps {
		d := byID[g.DeviceID]
		if d == nil {
			continue
		}
		site := d.Known.Site
		if site == "" {
			site = "Devices without a site"
		}
		if _, ok := sites[site]; !ok {
			order = append(order, site)
		}
		end, long := "still offline", data.now.Sub(g.Start)
		if !g.End.IsZero() {
			end, long = g.End.Local().Format("15:04"), g.End.Sub(g.Start)
		}
		sites[site] = append(sites[site], fmt.Sprintf("%s: %s – %s (%s)", d.NameAndAddress(),
			g.Start.Local().Format("Mon 2 Jan 15:04"), end, strings.TrimPrefix(forHowLong(long), "for ")))
	}
	slices.Sort(order)
	var objs []fyne.CanvasObject
	for _, site := range order {
		objs = append(objs, para(site+": "+strings.Join(sites[site], "; ")+"."))
	}
	return objs
}

// upcoming are the warranty ends, ends of firmware support and ends of
// expected life within dueDays, from what the Dashboard already read.
func upcoming(data dashboardData, sites []inventory.Site) []plan.Reminder {
	in := plan.Input{Devices: data.devices, Sites: sites, Today: inventory.DateOf(data.now), EndOfSupport: map[string]inventory.Date{}}
	for id, a := range data.fw {
		if !a.EndOfSupport.IsZero() {
			in.EndOfSupport[id] = a.EndOfSupport
		}
	}
	return plan.Upcoming(in, plan.Policy{}, dueDays)
}

// maxUpcoming bounds the dates listed on the Dashboard; the Plan view has
// them all.
const maxUpcoming = 8

// upcomingLines lists the dates falling due, soonest first.
func upcomingLines(rs []plan.Reminder) []fyne.CanvasObject {
	if len(rs) == 0 {
		return []fyne.CanvasObject{para("No warranty, firmware support or expected life ends in this time.")}
	}
	var out []fyne.CanvasObject
	for i, r := range rs {
		if i == maxUpcoming {
			out = append(out, para(fmt.Sprintf("… and %d more; the Plan view lists every device with its date.", len(rs)-maxUpcoming)))
			break
		}
		s := fmt.Sprintf("%s — %s%s: %s", r.On.Time().Format("2 Jan 2006"), r.Name, siteWords(r.Site), strings.ToLower(r.What))
		if r.Estimated {
			s += " (estimated)"
		}
		if r.Planned {
			s += ". Its replacement is planned then."
		} else {
			s += "."
		}
		out = append(out, para(s))
	}
	return out
}

// siteWords is " at Head office", or "" without a site.
func siteWords(site string) string {
	if site == "" {
		return ""
	}
	return " at " + site
}
