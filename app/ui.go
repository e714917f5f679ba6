package app

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"sitekeeper/internal/alert"
	"sitekeeper/internal/credentials"
	"sitekeeper/internal/inventory"
)

// UI is SiteKeeper's main window and the views in it.
type UI struct {
	app  fyne.App
	win  fyne.Window
	st   Store
	imp  Importer
	opt  Options
	tabs *container.AppTabs

	dashboard *dashboardView
	alerts    *alertsView
	devices   *devicesView
	plan      *planView
	reports   *reportsView
	settings  *settingsView
	// logins is the logins section of Settings; nil without Options.Logins.
	logins *loginsView
	// secrets keep the mail server's password: Options.Logins, or a
	// session-only vault without it.
	secrets Secrets
	// mail is how alerts are mailed (its password from secrets); tests
	// set its TLS to trust their own mail server.
	mail alert.Mail

	// ctx ends when the window closes, so that background work stops.
	ctx    context.Context
	cancel context.CancelFunc
	// post hands a function to the UI goroutine: fyne.Do. Tests pass a
	// queue that they run on the test goroutine, because the test
	// driver's fyne.Do runs the function on the calling goroutine.
	post func(func())
	// pending counts background jobs whose result has not yet been
	// handled. Only the UI goroutine touches it.
	pending int
	// jobs counts background jobs still working with the store; Wait
	// waits for it.
	jobs sync.WaitGroup

	// form is the device form last opened; formGen makes a slow load of
	// one device give way to a later click on another.
	form    *deviceForm
	formGen uint64

	// currency is the inventory's currency code, for the device form.
	currency string

	// scan is the scan last started, for tests.
	scan *scanRun
	// landed: the first view was chosen (land).
	landed bool
	// alertQ carries the checks' health changes to raiseAlerts.
	alertQ chan []inventory.StatusChange
}

// New builds SiteKeeper's main window over the store st. imp reads CSV and
// JSON files for import; it may be nil, which hides import. a is the Fyne
// app that main.go created; New sets its icon. Call ShowAndRun to show it.
func New(a fyne.App, st Store, imp Importer, opt Options) *UI {
	return newUI(a, st, imp, opt, fyne.Do)
}

func newUI(a fyne.App, st Store, imp Importer, opt Options, post func(func())) *UI {
	u := &UI{app: a, st: st, imp: imp, opt: opt, post: post, currency: inventory.DefaultCurrency,
		alertQ: make(chan []inventory.StatusChange, 256)}
	u.ctx, u.cancel = context.WithCancel(context.Background())

	a.SetIcon(appIcon)
	u.win = a.NewWindow("SiteKeeper")
	u.win.SetIcon(appIcon)
	u.win.Resize(fyne.NewSize(1100, 700))
	u.win.SetOnClosed(u.cancel)

	u.secrets = opt.Logins
	if opt.Logins == nil {
		u.secrets = credentials.NewSession(nil)
	}
	u.mail = alert.Mail{Password: u.mailPassword}
	u.dashboard = newDashboardView(u)
	u.alerts = newAlertsView(u)
	u.devices = newDevicesView(u)
	u.settings = newSettingsView(u)
	u.plan = newPlanView(u)
	u.reports = newReportsView(u)
	// Only what is built appears here: no placeholders for later views.
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Dashboard", theme.HomeIcon(), u.dashboard.content),
		container.NewTabItemWithIcon("Devices", theme.ListIcon(), u.devices.content),
		container.NewTabItemWithIcon("Plan", theme.DocumentIcon(), u.plan.content),
		container.NewTabItemWithIcon("Reports", theme.DocumentPrintIcon(), u.reports.content),
		container.NewTabItemWithIcon("Alerts", theme.WarningIcon(), u.alerts.content),
		container.NewTabItemWithIcon("Settings", theme.SettingsIcon(), u.settings.content),
	)
	u.tabs.SetTabLocation(container.TabLocationLeading)
	u.win.SetContent(u.tabs)

	u.alerts.tab = u.tabs.Items[4]
	u.tabs.SelectIndex(1) // Devices, until land knows the inventory is not empty
	u.tabs.OnSelected = func(t *container.TabItem) {
		switch t.Content {
		case u.dashboard.content:
			u.dashboard.reload()
		case u.plan.content:
			u.plan.reload() // devices may have changed since
		case u.reports.content:
			u.reports.reload()
		}
	}
	u.loadSettings()
	u.devices.reload()
	u.dashboard.reload()
	u.alerts.reload()
	return u
}

// land chooses the first view once: the Dashboard when there are devices
// to watch, else Devices, whose empty view says how to start.
func (u *UI) land(haveDevices bool) {
	if u.landed {
		return
	}
	u.landed = true
	if haveDevices && u.opt.LandOnDashboard {
		u.tabs.SelectIndex(0)
	}
}

// showSettings brings the Settings view forward.
func (u *UI) showSettings() {
	for _, t := range u.tabs.Items {
		if t.Content == u.settings.content {
			u.tabs.Select(t)
		}
	}
}

// Window is the main window.
func (u *UI) Window() fyne.Window { return u.win }

// ShowAndRun shows the main window and runs the app until it closes or
// Quit is called, then tells background work to stop.
func (u *UI) ShowAndRun() {
	u.startWatch()
	u.win.ShowAndRun()
	u.cancel()
}

// Quit ends the app as closing the window would; safe from any goroutine
// (main calls it on Ctrl-C).
func (u *UI) Quit() { fyne.Do(u.app.Quit) }

// Wait blocks until every background job has returned from the store, so
// that main can close the store after ShowAndRun without cutting a save
// or an import short.
func (u *UI) Wait() { u.jobs.Wait() }

// background runs work in a goroutine. work returns the function that shows
// its result, which then runs on the UI goroutine; it may return nil. Call
// it on the UI goroutine.
func (u *UI) background(work func() func()) {
	u.pending++
	u.jobs.Add(1)
	go func() {
		show := work()
		u.jobs.Done()
		u.post(func() {
			u.pending--
			// After the window closed, widgets are gone and the driver may
			// run this on any goroutine: drop it.
			if show != nil && u.ctx.Err() == nil {
				show()
			}
		})
	}()
}

// do runs fn on the UI goroutine, from a background goroutine.
func (u *UI) do(fn func()) { u.post(fn) }

// loadSettings reads the organisation and currency for the title bar and
// the device form.
func (u *UI) loadSettings() {
	u.background(func() func() {
		s, err := u.st.Settings(u.ctx)
		return func() {
			if err != nil {
				// The Devices view reports a store that cannot be read;
				// one message is enough.
				return
			}
			u.applySettings(s)
		}
	})
}

// applySettings shows settings that the window depends on.
func (u *UI) applySettings(s inventory.Settings) {
	title := "SiteKeeper"
	if s.Organisation != "" {
		title += " — " + s.Organisation
	}
	u.win.SetTitle(title)
	if s.Currency != "" {
		u.currency = s.Currency
	}
	u.settings.show(s)
}
