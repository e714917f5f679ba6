package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/credentials"
	"sitekeeper/internal/discovery"
)

// loginsView is the "Camera and recorder logins" section of Settings: the
// saved logins (never their passwords), Add and Remove, and a notice when
// they are kept for this session only.
type loginsView struct {
	u       *UI
	content fyne.CanvasObject
	rows    *fyne.Container
	result  *widget.Label
	// adding is the Add dialog while it is open, for tests.
	adding *loginForm
}

// loginForm is the Add dialog's inputs.
type loginForm struct {
	dlg      *dialog.FormDialog
	label    *widget.Entry
	user     *widget.Entry
	password *widget.Entry
	scope    *widget.Select
	// scopeItem is the scope's form row, whose hint depends on the sites.
	scopeItem *widget.FormItem
}

// allSites (devices.go) is also the scope choice that tries a login on
// every device.

func newLoginsView(u *UI) *loginsView {
	l := &loginsView{u: u}
	kept := "Passwords are kept in " + storeName() + ", never in the inventory file."
	if !u.opt.Logins.Persistent() {
		kept = "Passwords are never written to the inventory file."
	}
	intro := para(fmt.Sprintf("Some cameras and recorders only say what they are after a login. Save their user names and passwords here "+
		"once: every scan tries them on the devices that ask, at most %d on each device, so that no account gets locked. %s",
		discovery.MaxCredentialTries, kept))
	parts := []fyne.CanvasObject{intro}
	if !u.opt.Logins.Persistent() {
		why, todo := explainStore(u.opt.Logins.StoreErr())
		notice := para(fmt.Sprintf("Saved for this session only: %s. To keep them, %s", why, todo))
		notice.Importance = widget.WarningImportance
		parts = append(parts, container.NewBorder(nil, nil,
			container.NewVBox(widget.NewIcon(theme.WarningIcon())), nil, notice))
	}
	l.rows = container.NewVBox()
	l.result = widget.NewLabel("")
	add := widget.NewButtonWithIcon("Add a login", theme.ContentAddIcon(), func() { l.showAdd(nil) })
	parts = append(parts, l.rows, container.NewHBox(add, l.result))
	l.content = section("Camera and recorder logins", container.NewVBox(parts...))
	l.refresh()
	return l
}

// refresh lists the saved logins again.
func (l *loginsView) refresh() {
	sets := l.u.opt.Logins.List()
	l.rows.RemoveAll()
	if len(sets) == 0 {
		l.rows.Add(widget.NewLabel("No logins saved yet."))
	}
	for _, s := range sets {
		name := widget.NewLabelWithStyle(s.Label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Truncation = fyne.TextTruncateEllipsis
		user := widget.NewLabel("User " + s.Username)
		user.Truncation = fyne.TextTruncateEllipsis
		where := widget.NewLabel(scopeText(s.Scope))
		where.Truncation = fyne.TextTruncateEllipsis
		remove := widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), func() { l.confirmRemove(s) })
		l.rows.Add(container.NewBorder(nil, nil, nil, remove, container.NewGridWithColumns(3, name, user, where)))
	}
}

// scopeText is where a login is tried, as the list says it.
func scopeText(s credentials.Scope) string {
	switch {
	case s.Device != "":
		return "Only device " + s.Device
	case s.Site != "":
		return "Site " + s.Site
	}
	return allSites
}

func (l *loginsView) confirmRemove(s credentials.Set) {
	where := scopeText(s.Scope)
	d := dialog.NewConfirm("Remove this login?",
		fmt.Sprintf("SiteKeeper will no longer try “%s” (user %s) on %s. The password on the devices themselves does not change.",
			s.Label, s.Username, strings.ToLower(where[:1])+where[1:]),
		func(ok bool) {
			if ok {
				l.remove(s)
			}
		}, l.u.win)
	d.SetConfirmText("Remove")
	d.SetDismissText("Keep it")
	d.Show()
}

func (l *loginsView) remove(s credentials.Set) {
	l.u.background(func() func() {
		err := l.u.opt.Logins.Remove(s.ID)
		return func() {
			if err != nil {
				l.u.showError("The login was not removed", err)
				return
			}
			l.refresh()
			l.result.SetText(fmt.Sprintf("Removed “%s”.", s.Label))
		}
	})
}

// showAdd loads the inventory's sites, then opens the Add dialog; after
// runs on the UI goroutine once a login is saved (it may be nil).
func (l *loginsView) showAdd(after func()) {
	l.u.background(func() func() {
		sites, err := l.u.siteNames(l.u.ctx)
		return func() {
			if err != nil {
				l.u.showError("The sites could not be read", err)
				return
			}
			l.openAdd(sites, after)
		}
	})
}

func (l *loginsView) openAdd(sites []string, after func()) {
	f := &loginForm{}
	f.label = widget.NewEntry()
	f.label.SetPlaceHolder("For example: Front gate cameras")
	f.user = widget.NewEntry()
	f.user.SetPlaceHolder("The user name on the camera or recorder")
	f.user.Validator = required("Write the user name.")
	f.password = widget.NewPasswordEntry()
	f.password.Validator = required("Write the password.")
	f.scope = widget.NewSelect(append([]string{allSites}, sites...), nil)
	f.scope.SetSelected(allSites)
	f.scopeItem = widget.NewFormItem("Try it on", f.scope)
	f.scopeItem.HintText = "One site, or every device."
	if len(sites) == 0 {
		f.scopeItem.HintText = "Give devices a site in their form to choose one here."
	}
	items := []*widget.FormItem{
		{Text: "Name", Widget: f.label, HintText: "Only for you to tell logins apart."},
		{Text: "User name", Widget: f.user},
		{Text: "Password", Widget: f.password, HintText: "The eye button shows what you typed."},
		f.scopeItem,
	}
	f.dlg = dialog.NewForm("Add a login", "Save", "Cancel", items, func(ok bool) {
		l.adding = nil
		if ok {
			l.add(f.set(), after)
		}
	}, l.u.win)
	f.dlg.Resize(fyne.NewSize(520, 0))
	l.adding = f
	f.dlg.Show()
}

// set is the login the form describes.
func (f *loginForm) set() credentials.Set {
	s := credentials.Set{Label: f.label.Text, Username: f.user.Text, Password: credentials.Secret(f.password.Text)}
	if f.scope.Selected != allSites {
		s.Scope.Site = f.scope.Selected
	}
	return s
}

func (l *loginsView) add(s credentials.Set, after func()) {
	l.u.background(func() func() {
		saved, err := l.u.opt.Logins.Add(s)
		return func() {
			if err != nil {
				l.u.showError("The login was not saved", err)
				return
			}
			l.refresh()
			if l.u.opt.Logins.Persistent() {
				l.result.SetText(fmt.Sprintf("Saved “%s”.", saved.Label))
			} else {
				l.result.SetText(fmt.Sprintf("Saved “%s” for this session.", saved.Label))
			}
			if after != nil {
				after()
			}
		}
	})
}

func required(msg string) fyne.StringValidator {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s", msg)
		}
		return nil
	}
}

// siteNames lists the sites a login can be for: those with a record and
// those named on a device, once each (in any case), sorted.
func (u *UI) siteNames(ctx context.Context) ([]string, error) {
	sites, err := u.st.Sites(ctx)
	if err != nil {
		return nil, err
	}
	devs, err := u.st.Devices(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	addName := func(n string) {
		n = strings.TrimSpace(n)
		if k := strings.ToLower(n); n != "" && !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	for _, s := range sites {
		addName(s.Name)
	}
	for i := range devs {
		addName(devs[i].Known.Site)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out, nil
}
