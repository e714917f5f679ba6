package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

// The tabs of the device form, in order.
const (
	tabDevice = iota
	tabOwners
	tabDates
	tabStatus
)

// deviceForm is the dialog in which a person sees and edits one device, or
// enters a new one. Every field a person owns (inventory.Known and
// Lifecycle) is here; what the network says is shown read-only.
type deviceForm struct {
	u     *UI
	dev   inventory.Device // as loaded; the form edits a copy
	isNew bool
	dlg   *dialog.CustomDialog
	tabs  *container.AppTabs
	// availability heads the History tab: how much of the last days the
	// checks found the device answering.
	availability *widget.Label

	name, location, manufacturer, model, serial *widget.Entry
	otTeam, otContact, itTeam, itContact        *widget.Entry
	reason, notes                               *widget.Entry
	site                                        *widget.SelectEntry
	class, strategy, state                      *widget.Select
	costEst                                     *widget.Check

	mac, budget, life, cost, since, successor *field
	install, purchase, warranty, support      *dateField
	fields                                    []*field

	status *widget.Label // why Save refused, or what went wrong
	save   *widget.Button
	saving bool
}

// newDeviceForm builds the form for d; events is its history (nil for a
// new device).
func newDeviceForm(u *UI, d inventory.Device, isNew bool, events []inventory.Event) *deviceForm {
	f := &deviceForm{u: u, dev: d, isNew: isNew}
	k := &d.Known
	changed := f.updateSave
	entry := func(text, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		e.SetPlaceHolder(placeholder)
		return e
	}
	fromNet := func(v string) string {
		if v == "" {
			return ""
		}
		return "From the network: " + v
	}

	f.name = entry(k.Name, "For example: Lobby camera 2")
	f.site = widget.NewSelectEntry(u.devices.sites)
	f.site.SetText(k.Site)
	f.site.SetPlaceHolder("For example: Head office")
	f.location = entry(k.Location, "For example: Ground floor, main entrance")
	f.manufacturer = entry(k.Manufacturer, fromNet(d.Discovered.Manufacturer))
	f.model = entry(k.Model, fromNet(d.Discovered.Model))
	f.serial = entry(k.Serial, fromNet(d.Discovered.Serial))
	f.mac = f.add(newField(kindMAC, checkMAC, firstOf(fromNet(d.Discovered.MAC), "00:1a:2b:3c:4d:5e"), changed), tabDevice)
	f.mac.entry.SetText(k.MAC)
	f.class = widget.NewSelect(f.classOptions(), nil)
	f.class.SetSelectedIndex(0)
	if k.Class != "" {
		f.class.SetSelected(k.Class.Label())
	}
	f.notes = widget.NewMultiLineEntry()
	f.notes.Wrapping = fyne.TextWrapWord
	f.notes.SetMinRowsVisible(4)
	f.notes.SetText(k.Notes)
	f.notes.SetPlaceHolder("For example: where the key to the cabinet is, who to call, what was repaired")

	f.otTeam = entry(k.OTOwner.Team, "For example: Facilities")
	f.otContact = entry(k.OTOwner.Contact, "Name, e-mail or phone")
	f.itTeam = entry(k.ITOwner.Team, "For example: IT service desk")
	f.itContact = entry(k.ITOwner.Contact, "Name, e-mail or phone")
	f.budget = f.add(newField(kindBudget, checkBudget, "OT, IT, or a split like OT:60,IT:40", changed), tabOwners)
	f.budget.entry.SetText(k.BudgetOwner.String())

	f.install = f.addDate(newDateField(k.InstallDate, changed))
	f.purchase = f.addDate(newDateField(k.PurchaseDate, changed))
	f.warranty = f.addDate(newDateField(k.WarrantyEnd, changed))
	f.support = f.addDate(newDateField(k.EndOfSupport, changed))
	f.life = f.add(newField(kindYears, checkYears, "For example: 8", changed), tabDates)
	if k.ExpectedLifeYears > 0 {
		f.life.entry.SetText(itoa(k.ExpectedLifeYears))
	}
	f.life.extra = widget.NewLabel("years")
	f.cost = f.add(newField(kindMoney, checkMoneyIn(u.currency), "For example: 1250.00", changed), tabDates)
	if k.ReplacementCost != 0 {
		f.cost.entry.SetText(k.ReplacementCost.String())
	}
	f.costEst = widget.NewCheck("Estimated", func(bool) { changed() })
	f.costEst.SetChecked(k.ReplacementCostEstimated)
	f.cost.extra = container.NewHBox(widget.NewLabel(u.currency), f.costEst)
	f.strategy = widget.NewSelect(strategyOptions(), nil)
	f.strategy.SetSelected(strategyLabel(k.Strategy))

	f.state = widget.NewSelect(stateLabels(), nil)
	f.state.SetSelected(d.State().Label())
	f.since = f.add(newField(kindDate, checkDate, datePlaceholder, changed), tabStatus)
	f.since.entry.SetText(d.Lifecycle.Date.String())
	f.reason = entry(d.Lifecycle.Reason, "For example: lens damaged, replaced under warranty")
	f.successor = f.add(newField(kindDevice, func(s string) error {
		_, err := u.devices.resolve(s, d.ID)
		return err
	}, "Name or ID of the device that took over", changed), tabStatus)
	f.successor.entry.SetText(u.devices.successorText(d.Lifecycle.Successor))

	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord
	f.status.Importance = widget.DangerImportance
	f.status.Hide()
	f.buildDialog(events)
	return f
}

func (f *deviceForm) add(fl *field, tab int) *field {
	fl.tab = tab
	f.fields = append(f.fields, fl)
	return fl
}

func (f *deviceForm) addDate(d *dateField) *dateField {
	f.add(d.field, tabDates)
	return d
}

func (f *deviceForm) classOptions() []string {
	first := "Not set"
	if c := f.dev.Discovered.Class; c != "" {
		// Found by a scan, or guessed from the name on import: either
		// way SiteKeeper chose it, and a person's choice replaces it.
		first = "Automatic: " + c.Label()
	}
	out := []string{first}
	for _, c := range inventory.Classes {
		out = append(out, c.Label())
	}
	return out
}

func (f *deviceForm) buildDialog(events []inventory.Event) {
	device := container.NewVBox(
		container.NewGridWithColumns(2,
			formGrid("Name", f.name, "Site", f.site, "Location", f.location, "Type", f.class),
			formGrid("Manufacturer", f.manufacturer, "Model", f.model, "Serial number", f.serial, "MAC address", f.mac)),
		formGrid("Notes", f.notes))
	owners := container.NewVBox(
		section("Operations (OT) owner: who looks after it on site", formGrid("Team", f.otTeam, "Contact", f.otContact)),
		section("IT owner: who looks after it on the network", formGrid("Team", f.itTeam, "Contact", f.itContact)),
		section("Who pays for its replacement", formGrid("Budget owner", f.budget)))
	dates := container.NewGridWithColumns(2,
		section("Dates", formGrid("Installed", f.install, "Purchased", f.purchase,
			"Warranty ends", f.warranty, "Support ends", f.support)),
		section("Replacement", formGrid("Expected life", f.life, "Cost", f.cost, "Replace", f.strategy)))
	note := widget.NewLabel("A device that is no longer in service stays in the list with its status, so that its history is kept.")
	note.Wrapping = fyne.TextWrapWord
	status := container.NewVBox(formGrid("Status", f.state, "Since", f.since, "Reason", f.reason, "Replaced by", f.successor), note)

	scroll := func(o fyne.CanvasObject) fyne.CanvasObject { return container.NewVScroll(container.NewPadded(o)) }
	f.tabs = container.NewAppTabs(
		container.NewTabItem("Device", scroll(device)),
		container.NewTabItem("Owners", scroll(owners)),
		container.NewTabItem("Dates and cost", scroll(dates)),
		container.NewTabItem("Status", scroll(status)),
	)
	title := "New device"
	if !f.isNew {
		title = f.dev.DisplayName()
		net, differs := networkTab(&f.dev)
		item := container.NewTabItem("From the network", scroll(net))
		if differs {
			item.Icon = theme.WarningIcon()
		}
		f.tabs.Append(item)
		f.availability = para("")
		f.availability.Hide()
		f.tabs.Append(container.NewTabItem("History", container.NewBorder(f.availability, nil, nil, nil, historyTab(events))))
	}

	var top fyne.CanvasObject = widget.NewLabel("")
	if !f.isNew {
		id := widget.NewLabel("Device ID: " + f.dev.ID)
		id.SizeName = theme.SizeNameCaptionText
		id.Selectable = true
		top = id
	}
	content := container.NewBorder(top, f.status, nil, nil, f.tabs)
	f.dlg = dialog.NewCustomWithoutButtons(title, content, f.u.win)
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), f.cancel)
	f.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	if f.isNew {
		f.save.SetText("Add device")
	}
	buttons := []fyne.CanvasObject{cancel, f.save}
	if !f.isNew && pausable(&f.dev) { // maintenance on this one device
		pause := widget.NewButtonWithIcon("Pause checks", theme.MediaPauseIcon(), func() {
			f.u.settings.checks.pauseDevice(f.dev, func(msg string) { dialog.ShowInformation("Checks paused", msg, f.u.win) })
		})
		buttons = append([]fyne.CanvasObject{pause}, buttons...)
	}
	f.dlg.SetButtons(buttons)
	f.dlg.Resize(fyne.NewSize(900, 640))
}

// cancel closes the form, asking first when that would throw away edits:
// a facility manager who typed a warranty date and hit Cancel by mistake
// should not lose it silently.
func (f *deviceForm) cancel() {
	if f.saving || !f.edited() {
		f.dlg.Hide()
		return
	}
	d := dialog.NewConfirm("Discard your changes?",
		"You changed this device but did not save it. Close it anyway and lose the changes?",
		func(discard bool) {
			if discard {
				f.dlg.Hide()
			}
		}, f.u.win)
	d.SetConfirmText("Discard changes")
	d.SetDismissText("Keep editing")
	d.Show()
}

// edited reports whether the form holds anything a person changed. A field
// that cannot be read yet is a change too.
func (f *deviceForm) edited() bool {
	for _, fl := range f.fields {
		if fl.bad {
			return true
		}
	}
	d, base := f.collect(), f.dev
	if base.Lifecycle.State == "" {
		base.Lifecycle.State = inventory.StateActive
	}
	return d.Known != base.Known || d.Lifecycle != base.Lifecycle
}

func (f *deviceForm) show() {
	f.dlg.Show()
	f.u.win.Canvas().Focus(f.name)
}

// updateSave enables Save only while every field can be read, and marks the
// tabs that hold a field to fix.
func (f *deviceForm) updateSave() {
	if f.tabs == nil {
		return // still building
	}
	badTabs := map[int]bool{}
	for _, fl := range f.fields {
		if fl.bad {
			badTabs[fl.tab] = true
		}
	}
	for i := tabDevice; i <= tabStatus; i++ {
		icon := fyne.Resource(nil)
		if badTabs[i] {
			icon = theme.ErrorIcon()
		}
		if f.tabs.Items[i].Icon != icon {
			f.tabs.Items[i].Icon = icon
			f.tabs.Refresh()
		}
	}
	f.status.Hide()
	if len(badTabs) > 0 || f.saving {
		f.save.Disable()
	} else {
		f.save.Enable()
	}
}

// submit checks the device as a whole and saves it in the background.
func (f *deviceForm) submit() {
	for _, fl := range f.fields {
		fl.validate()
	}
	f.updateSave()
	if f.save.Disabled() {
		f.fail("Fix the fields marked in red first; the tabs with a red mark have one.", nil)
		return
	}
	d := f.collect()
	if err := inventory.Validate(&d); err != nil {
		// What no single field can see: a warranty ending before the
		// install date, for example.
		if fe := fieldErrorOf(err, "warranty_end"); fe != nil {
			f.warranty.setMessage("The warranty cannot end before the device was installed.")
			f.tabs.SelectIndex(tabDates)
		}
		f.fail(Explain(err), nil)
		return
	}
	f.saving = true
	f.updateSave()
	st, ctx, isNew := f.u.st, f.u.ctx, f.isNew
	f.u.background(func() func() {
		var err error
		if isNew {
			_, err = st.Create(ctx, d)
		} else {
			err = st.Save(ctx, d)
		}
		return func() {
			f.saving = false
			f.updateSave()
			if err != nil {
				f.fail(Explain(err), err)
				return
			}
			f.dlg.Hide()
			f.u.devices.reload()
		}
	})
}

// fail shows why the device was not saved, under the tabs.
func (f *deviceForm) fail(msg string, err error) {
	if err != nil {
		msg += "\nDetails: " + err.Error()
	}
	f.status.SetText(msg)
	f.status.Show()
}

// collect reads the form into a copy of the device. Call it only when
// every field is valid: unreadable text would read as empty.
func (f *deviceForm) collect() inventory.Device {
	d := f.dev.Clone()
	k := &d.Known
	t := strings.TrimSpace
	k.Name, k.Site, k.Location = t(f.name.Text), t(f.site.Text), t(f.location.Text)
	k.Manufacturer, k.Model, k.Serial = t(f.manufacturer.Text), t(f.model.Text), t(f.serial.Text)
	k.MAC, _ = inventory.ParseMAC(f.mac.entry.Text)
	k.Class = classByLabel(f.class.Selected)
	k.Notes = strings.TrimRight(f.notes.Text, " \n\t")
	k.OTOwner = inventory.Owner{Team: t(f.otTeam.Text), Contact: t(f.otContact.Text)}
	k.ITOwner = inventory.Owner{Team: t(f.itTeam.Text), Contact: t(f.itContact.Text)}
	k.BudgetOwner, _ = inventory.ParseBudget(f.budget.entry.Text)
	k.InstallDate, k.PurchaseDate = f.install.value(), f.purchase.value()
	k.WarrantyEnd, k.EndOfSupport = f.warranty.value(), f.support.value()
	k.ExpectedLifeYears, _ = parseYears(f.life.entry.Text)
	k.ReplacementCost, _ = inventory.ParseMoney(f.cost.entry.Text)
	k.ReplacementCostEstimated = f.costEst.Checked && k.ReplacementCost != 0
	k.Strategy = strategyByLabel(f.strategy.Selected)
	d.Lifecycle.State = stateByLabel(f.state.Selected)
	d.Lifecycle.Date, _ = inventory.ParseDate(f.since.entry.Text)
	d.Lifecycle.Reason = t(f.reason.Text)
	d.Lifecycle.Successor, _ = f.u.devices.resolve(f.successor.entry.Text, d.ID)
	return d
}

// setAvailability shows text at the top of the History tab ("" hides it).
func (f *deviceForm) setAvailability(text string) {
	if f.availability == nil {
		return
	}
	f.availability.SetText(text)
	if text == "" {
		f.availability.Hide()
	} else {
		f.availability.Show()
	}
}
