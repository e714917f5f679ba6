package app

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

// Checks is what the GUI needs from the running background checks: to put
// changed check settings (intervals, pauses, SNMP community) into effect
// without a restart. *watch.Watcher satisfies it; main.go passes it in
// Options.Checks.
//
// Concurrency: Apply is called on the UI goroutine and must not block.
type Checks interface {
	Apply(s inventory.CheckSettings)
}

// intervalChoice is one "Check each device every" choice.
type intervalChoice struct {
	label   string
	seconds int // 0: the default, every minute
}

// intervalChoices are what a facility manager picks from: more often than
// every 30 s only loads fragile devices, less often than hourly misses
// outages that matter (the store takes 10 s..24 h, for the command line).
var intervalChoices = []intervalChoice{
	{"30 seconds", 30},
	{"1 minute (recommended)", 0},
	{"2 minutes", 120},
	{"5 minutes", 300},
	{"15 minutes", 900},
	{"1 hour", 3600},
}

// The lengths of a pause a person picks from.
const (
	pauseHour     = "1 hour"
	pause4Hours   = "4 hours"
	pauseTomorrow = "Until tomorrow 08:00"
	pauseWeek     = "1 week"
)

var pauseLengths = []string{pauseHour, pause4Hours, pauseTomorrow, pauseWeek}

// allDevices is the pause target that pauses every device.
const allDevices = "All devices"

// pauseUntil is when a pause of the given length started at now ends.
func pauseUntil(length string, now time.Time) time.Time {
	switch length {
	case pause4Hours:
		return now.Add(4 * time.Hour)
	case pauseTomorrow:
		y, m, d := now.Date()
		return time.Date(y, m, d+1, 8, 0, 0, 0, now.Location())
	case pauseWeek:
		return now.AddDate(0, 0, 7)
	}
	return now.Add(time.Hour)
}

// checkSection is the "Background checks" part of Settings: how often each
// device is checked, the SNMP community, and maintenance pauses. The
// interval and community are saved with the other settings; a pause is
// saved, and put into effect, the moment it is started or ended.
type checkSection struct {
	s         *settingsView
	interval  *widget.Select
	community *widget.Entry
	save      *widget.Button
	result    *widget.Label
	saving    bool // Save was tapped: the next show says it was saved
	// choices are intervalChoices and, if the stored interval is none of
	// them, that one.
	choices []intervalChoice

	target      *widget.Select
	length      *widget.Select
	reason      *widget.Entry
	pause       *widget.Button
	pauseResult *widget.Label
	pauses      *fyne.Container // the pauses in force, each with Resume now
	// names are the devices' names and addresses by ID, for the pauses
	// of one device.
	names map[string]string
	// shown are the pauses last listed, shown again once names arrive.
	shown []inventory.Pause
}

// checkSection builds the Background checks section of s.
func (s *settingsView) checkSection() fyne.CanvasObject {
	c := &checkSection{s: s}
	s.checks = c
	c.interval = widget.NewSelect(nil, func(string) { c.changed() })
	c.setChoices(0)
	c.community = widget.NewPasswordEntry()
	c.community.SetPlaceHolder("Optional")
	c.community.OnChanged = func(string) { c.changed() }
	c.result = widget.NewLabel("")
	c.save = widget.NewButtonWithIcon("Save settings", theme.DocumentSaveIcon(), func() {
		c.saving = true
		s.submit()
	})
	c.save.Disable()

	c.target = widget.NewSelect([]string{allDevices}, nil)
	c.target.SetSelected(allDevices)
	c.length = widget.NewSelect(pauseLengths, nil)
	c.length.SetSelected(pauseHour)
	c.reason = widget.NewEntry()
	c.reason.SetPlaceHolder("Optional, for example: power work in the plant room")
	c.pause = widget.NewButtonWithIcon("Pause checks", theme.MediaPauseIcon(), c.addPause)
	c.pauseResult = widget.NewLabel("")
	c.pauses = container.NewVBox()

	return section("Background checks", container.NewVBox(
		formGrid(
			"Check each device every", container.NewGridWrap(fyne.NewSize(300, c.interval.MinSize().Height), c.interval),
			"SNMP read community", container.NewVBox(c.community,
				para("Only if your IT set one on the devices; leave empty otherwise.")),
			"", container.NewHBox(c.save, c.result)),
		widget.NewLabelWithStyle("Maintenance", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		para("Pause the checks while devices are off on purpose (power work, a firmware update), so that no offline alert is raised. The checks start again by themselves when the pause ends."),
		formGrid(
			"Pause", container.NewHBox(c.target, c.length),
			"Reason", c.reason,
			"", container.NewHBox(c.pause, c.pauseResult)),
		c.pauses))
}

// setChoices offers intervalChoices, and seconds if it is none of them
// (set outside this window, e.g. 10 minutes), and selects seconds.
func (c *checkSection) setChoices(seconds int) {
	if seconds == int(defaultInterval/time.Second) {
		seconds = 0
	}
	c.choices = slices.Clone(intervalChoices)
	i := slices.IndexFunc(c.choices, func(ch intervalChoice) bool { return ch.seconds == seconds })
	if i < 0 {
		c.choices = append(c.choices, intervalChoice{
			label: everyText(seconds) + " (set elsewhere)", seconds: seconds})
		i = len(c.choices) - 1
	}
	labels := make([]string, len(c.choices))
	for j, ch := range c.choices {
		labels[j] = ch.label
	}
	c.interval.Options = labels
	c.interval.SetSelected(labels[i])
}

// everyText says an interval in words: "90 seconds", "10 minutes", "2 hours".
func everyText(seconds int) string {
	switch {
	case seconds%3600 == 0:
		return plural(seconds/3600, "hour", "hours")
	case seconds%60 == 0:
		return plural(seconds/60, "minute", "minutes")
	}
	return plural(seconds, "second", "seconds")
}

// defaultInterval is the checks' default interval (watch.DefaultInterval),
// which an interval of 0 and "1 minute" stand for.
const defaultInterval = time.Minute

// values returns v with the interval and community on screen.
func (c *checkSection) values(v inventory.CheckSettings) inventory.CheckSettings {
	for _, ch := range c.choices {
		if ch.label == c.interval.Selected {
			v.IntervalSeconds = ch.seconds
		}
	}
	v.SNMPCommunity = strings.TrimSpace(c.community.Text)
	return v
}

// changed enables Save when the interval or community differ from what is
// saved.
func (c *checkSection) changed() {
	if c.save == nil {
		return // still building
	}
	c.result.SetText("")
	c.saving = false
	s := c.s
	if s.save != nil {
		s.changed()
	}
	if differs(c.values(s.saved.Checks), s.saved.Checks) {
		c.save.Enable()
	} else {
		c.save.Disable()
	}
}

func differs(a, b inventory.CheckSettings) bool {
	return a.IntervalSeconds != b.IntervalSeconds || a.SNMPCommunity != b.SNMPCommunity
}

// show puts stored check settings on screen and into effect on the running
// checks; it runs whenever settings were loaded or saved.
func (c *checkSection) show(st inventory.Settings) {
	cs := st.Checks
	saving := c.saving
	c.setChoices(cs.IntervalSeconds)
	c.community.SetText(cs.SNMPCommunity)
	c.save.Disable()
	c.saving = false
	if saving {
		c.result.SetText("Saved. The checks use these settings from now on.")
	}
	c.showPauses(cs.Pauses)
	if u := c.s.u; u.opt.Checks != nil {
		u.opt.Checks.Apply(cs)
	}
	c.loadSites()
}

// loadSites fills the pause target with the sites, in the background.
func (c *checkSection) loadSites() {
	u := c.s.u
	u.background(func() func() {
		names, err := u.siteNames(u.ctx)
		var devs []inventory.Device
		if err == nil {
			devs, err = u.st.Devices(u.ctx)
		}
		return func() {
			if err != nil {
				return // keep "All devices" and the sites already listed
			}
			c.names = make(map[string]string, len(devs))
			for i := range devs {
				c.names[devs[i].ID] = devs[i].NameAndAddress()
			}
			c.showPauses(c.shown)
			opts := append([]string{allDevices}, names...)
			sel := c.target.Selected
			c.target.Options = opts
			if !slices.Contains(opts, sel) {
				sel = allDevices
			}
			c.target.SetSelected(sel)
			c.target.Refresh()
		}
	})
}

// showPauses lists the pauses in force, each with Resume now.
func (c *checkSection) showPauses(ps []inventory.Pause) {
	c.shown = ps
	c.pauses.RemoveAll()
	now := time.Now()
	for _, p := range ps {
		if !p.Until.After(now) {
			continue
		}
		resume := widget.NewButtonWithIcon("Resume now", theme.MediaPlayIcon(), func() { c.resume(p) })
		c.pauses.Add(container.NewBorder(nil, nil, nil, resume, para(pauseText(p, c.names[p.DeviceID], now))))
	}
	c.pauses.Refresh()
}

// pauseText says what a pause holds back and until when; name is the
// device's, for a pause of one device.
func pauseText(p inventory.Pause, name string, now time.Time) string {
	what := "Checks paused for all devices"
	switch {
	case p.Site != "":
		what = "Checks paused for site " + p.Site
	case p.DeviceID != "":
		if name == "" {
			name = "device " + p.DeviceID
		}
		what = "Checks paused for " + name
	}
	until := p.Until.Local()
	when := until.Format("15:04")
	if y, m, d := until.Date(); y != now.Local().Year() || m != now.Local().Month() || d != now.Local().Day() {
		when = until.Format("Mon 2 Jan 15:04")
	}
	text := what + " until " + when
	if p.Reason != "" {
		text += " (" + p.Reason + ")"
	}
	return text + "."
}

// samePauseTarget reports whether a and b pause the same devices.
func samePauseTarget(a, b inventory.Pause) bool {
	return a.All == b.All && a.Site == b.Site && a.DeviceID == b.DeviceID
}

// addPause starts the pause on screen, replacing one of the same devices.
func (c *checkSection) addPause() {
	p := inventory.Pause{Until: pauseUntil(c.length.Selected, time.Now()), Reason: strings.TrimSpace(c.reason.Text)}
	if c.target.Selected == allDevices || c.target.Selected == "" {
		p.All = true
	} else {
		p.Site = c.target.Selected
	}
	c.editPauses(func(ps []inventory.Pause) []inventory.Pause {
		ps = slices.DeleteFunc(ps, func(q inventory.Pause) bool { return samePauseTarget(p, q) })
		return append(ps, p)
	}, "Paused. No offline alert is raised for these devices until the pause ends.", func() { c.reason.SetText("") })
}

// resume ends a pause now: its devices are checked again at once.
func (c *checkSection) resume(p inventory.Pause) {
	c.editPauses(func(ps []inventory.Pause) []inventory.Pause {
		return slices.DeleteFunc(ps, func(q inventory.Pause) bool { return samePauseTarget(p, q) })
	}, "Resumed. The devices are being checked again.", nil)
}

// editPauses saves the pauses edit makes of the stored ones (those that
// ended left out) at once, without the other unsaved inputs, and puts them
// into effect.
func (c *checkSection) editPauses(edit func([]inventory.Pause) []inventory.Pause, done string, after func()) {
	u := c.s.u
	c.pause.Disable()
	c.pauseResult.SetText("")
	u.background(func() func() {
		fresh, err := u.st.Settings(u.ctx)
		if err == nil {
			now := time.Now()
			ps := slices.DeleteFunc(slices.Clone(fresh.Checks.Pauses), func(p inventory.Pause) bool { return !p.Until.After(now) })
			fresh.Checks.Pauses = edit(ps)
			err = u.st.PutSettings(u.ctx, fresh)
		}
		if err == nil {
			fresh, err = u.st.Settings(u.ctx)
		}
		return func() {
			c.pause.Enable()
			if err != nil {
				u.showError("The pause was not saved", err)
				return
			}
			// Only the pauses changed: other inputs keep what the person
			// typed and has not saved yet.
			c.s.saved = fresh
			c.showPauses(fresh.Checks.Pauses)
			if u.opt.Checks != nil {
				u.opt.Checks.Apply(fresh.Checks)
			}
			c.changed()
			c.pauseResult.SetText(done)
			if after != nil {
				after()
			}
		}
	})
}

// pausable reports whether the checks of d can be paused: the background
// checks check only active devices with an address.
func pausable(d *inventory.Device) bool {
	return d.ID != "" && d.State() == inventory.StateActive && d.IP() != ""
}

// pauseDevice asks how long to pause the checks of one device (from its
// form), and pauses them; done is told the outcome in words.
func (c *checkSection) pauseDevice(d inventory.Device, done func(string)) {
	length := widget.NewSelect(pauseLengths, nil)
	length.SetSelected(pauseHour)
	reason := widget.NewEntry()
	reason.SetPlaceHolder("Optional, for example: firmware update")
	items := []*widget.FormItem{widget.NewFormItem("For", length), widget.NewFormItem("Reason", reason)}
	dlg := dialog.NewForm("Pause the checks of "+d.DisplayName(), "Pause checks", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		p := inventory.Pause{DeviceID: d.ID, Until: pauseUntil(length.Selected, time.Now()), Reason: strings.TrimSpace(reason.Text)}
		c.editPauses(func(ps []inventory.Pause) []inventory.Pause {
			ps = slices.DeleteFunc(ps, func(q inventory.Pause) bool { return samePauseTarget(p, q) })
			return append(ps, p)
		}, "", func() {
			done(pauseText(p, d.NameAndAddress(), time.Now()) + " No offline alert is raised for it until then; resume it in Settings.")
		})
	}, c.s.u.win)
	dlg.Resize(fyne.NewSize(480, 0))
	dlg.Show()
}
