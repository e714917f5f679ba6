package app

import (
	"fmt"
	"reflect"
	"strings"

	"fyne.io/fyne/v2/dialog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

// settingsView is the Settings tab: the inventory-wide settings, the saved
// camera and recorder logins, where the inventory file lives, and the
// version.
type settingsView struct {
	u        *UI
	content  fyne.CanvasObject
	org      *widget.Entry
	currency *field
	save     *widget.Button
	result   *widget.Label
	saved    inventory.Settings

	// The alert settings, saved with the rest.
	notify      *widget.Check
	webhook     *widget.Entry
	webhookMsg  *widget.Label
	mail        *mailFields
	saveAlerts  *widget.Button
	test        *widget.Button
	alertResult *widget.Label

	// The Background checks section (checksettings.go).
	checks *checkSection
	plan   *planSection
}

func newSettingsView(u *UI) *settingsView {
	s := &settingsView{u: u}
	s.org = widget.NewEntry()
	s.org.SetPlaceHolder("For example: Northwind Facilities")
	s.org.OnChanged = func(string) { s.changed() }
	s.currency = newField(kindCurrency, checkCurrency, "EUR", s.changed)
	s.save = widget.NewButtonWithIcon("Save settings", theme.DocumentSaveIcon(), s.submit)
	s.save.Importance = widget.HighImportance
	s.save.Disable()
	s.result = widget.NewLabel("")

	path := u.opt.DBPath
	if path == "" {
		path = "(kept in memory only: nothing is saved when SiteKeeper closes)"
	}
	pathLabel := widget.NewLabel(path)
	pathLabel.Wrapping = fyne.TextWrapBreak
	pathLabel.Selectable = true
	copyPath := widget.NewButtonWithIcon("Copy path", theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(u.opt.DBPath)
		s.result.SetText("The path is copied. Paste it into File Explorer to find the file.")
	})
	if u.opt.DBPath == "" {
		copyPath.Disable()
	}
	fileNote := para("Everything SiteKeeper knows is in this one file. To keep a backup, copy it while SiteKeeper is closed.")
	version := u.opt.Version
	if version == "" {
		version = "development build"
	}

	currencyNote := para("Three letters, like EUR, USD or GBP. Every cost in this inventory is in this currency.")
	s.currency.box = container.NewVBox(
		// Wide enough for a three-letter code, not the whole window.
		container.NewHBox(container.NewGridWrap(fyne.NewSize(120, s.currency.entry.MinSize().Height), s.currency.entry)),
		s.currency.msg, currencyNote)
	inv := section("This inventory", formGrid(
		"Organisation", s.org,
		"Currency", s.currency.box,
		"", container.NewHBox(s.save, s.result)))
	file := section("Where the inventory is kept", container.NewVBox(
		container.NewBorder(nil, nil, nil, copyPath, pathLabel), fileNote))
	about := section("About", widget.NewLabel("SiteKeeper "+version))
	parts := []fyne.CanvasObject{inv, widget.NewSeparator(), s.alertSection(), widget.NewSeparator(), s.checkSection(), widget.NewSeparator(), s.planSection(), widget.NewSeparator()}
	if u.opt.Logins != nil {
		u.logins = newLoginsView(u)
		parts = append(parts, u.logins.content, widget.NewSeparator())
	}
	parts = append(parts, file, widget.NewSeparator(), about)
	s.content = container.NewVScroll(container.New(&columnLayout{width: 760, leading: true}, container.NewPadded(container.NewVBox(parts...))))
	return s
}

func checkCurrency(s string) error {
	c := strings.ToUpper(strings.TrimSpace(s))
	if c == "" {
		return nil
	}
	if len(c) != 3 || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return &inventory.FieldError{Field: "currency", Value: s, Reason: "is not a currency code; write three letters like EUR or USD"}
	}
	return nil
}

// show puts stored settings into the inputs.
func (s *settingsView) show(st inventory.Settings) {
	s.saved = st
	s.org.SetText(st.Organisation)
	s.currency.entry.SetText(st.Currency)
	s.notify.SetChecked(st.Notify)
	s.webhook.SetText(st.WebhookURL)
	s.checks.show(st)
	s.plan.show(st.Plan)
	s.mail.show(st.Email)
	s.save.Disable()
	s.saveAlerts.Disable()
}

// values reads the inputs over the saved settings, so that settings no
// input shows are kept as they are.
func (s *settingsView) values() inventory.Settings {
	v := s.saved
	v.Organisation = strings.TrimSpace(s.org.Text)
	v.Currency = strings.ToUpper(strings.TrimSpace(s.currency.entry.Text))
	v.Notify = s.notify.Checked
	v.WebhookURL = strings.TrimSpace(s.webhook.Text)
	if s.checks != nil {
		v.Checks = s.checks.values(v.Checks)
	}
	v.Email = s.mail.values()
	return v
}

// changed enables Save when something changed and the currency is valid.
func (s *settingsView) changed() {
	if s.save == nil {
		return // still building
	}
	s.result.SetText("")
	s.alertResult.SetText("")
	if s.currency.validate() && s.alertsValid() && (!reflect.DeepEqual(s.values(), s.saved) || s.mail.password.Text != "") {
		s.save.Enable()
		s.saveAlerts.Enable()
	} else {
		s.save.Disable()
		s.saveAlerts.Disable()
	}
}

func (s *settingsView) submit() {
	if !s.currency.validate() || !s.alertsValid() {
		return
	}
	v := s.values()
	if v.Currency != s.saved.Currency && s.saved.Currency != "" {
		// Costs are stored as numbers: a new currency relabels them, it
		// does not convert them. Say so before it happens.
		d := dialog.NewConfirm("Change the currency?",
			fmt.Sprintf("Every cost in this inventory will then count as %s. The amounts stay the same numbers; they are not converted from %s. Change it?", v.Currency, s.saved.Currency),
			func(ok bool) {
				if ok {
					s.store(v)
				}
			}, s.u.win)
		d.SetConfirmText("Change to " + v.Currency)
		d.SetDismissText("Keep " + s.saved.Currency)
		d.Show()
		return
	}
	s.store(v)
}

// store saves v in the background and shows the result.
func (s *settingsView) store(v inventory.Settings) {
	s.save.Disable()
	s.saveAlerts.Disable()
	typed := s.mail.password.Text // to the credential store, never into v
	s.u.background(func() func() {
		err := s.u.saveMailPassword(typed, v.Email)
		if err == nil {
			err = s.u.st.PutSettings(s.u.ctx, v)
		}
		var fresh inventory.Settings
		if err == nil {
			fresh, err = s.u.st.Settings(s.u.ctx)
		}
		return func() {
			if err != nil {
				s.save.Enable()
				s.saveAlerts.Enable()
				s.u.showError("The settings were not saved", err)
				return
			}
			s.u.applySettings(fresh)
			s.result.SetText("Saved.")
			s.alertResult.SetText("Saved.")
			s.plan.result.SetText("Saved.")
		}
	})
}
