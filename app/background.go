package app

import (
	"context"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"sitekeeper/internal/alert"
	"sitekeeper/internal/inventory"
)

// Watch runs the health checks until ctx ends (watch.Watcher.Run). The
// window starts it, and it keeps running while SiteKeeper lives.
type Watch func(ctx context.Context) error

// startWatch runs u.opt.Watch in the background until the app quits, and
// on systems with a notification area keeps SiteKeeper — and its checks —
// running when the window is closed: the window hides, and the tray icon's
// menu brings it back or quits. Where a tray icon may not show (Linux
// desktops without a StatusNotifier host, Xvfb), closing the window quits,
// since a hidden window could not be brought back; `sitekeeper watch` is
// the always-on way there.
func (u *UI) startWatch() {
	if u.opt.Watch == nil {
		return
	}
	prev, err := u.st.Statuses(u.ctx) // before the checks start: what is news comes after
	if err != nil {
		prev = map[string]inventory.DeviceStatus{}
	}
	u.jobs.Add(2)
	go func() {
		defer u.jobs.Done()
		u.raiseAlerts(prev)
	}()
	go func() {
		defer u.jobs.Done()
		_ = u.opt.Watch(u.ctx) // ends with u.ctx; its own errors are in the status it records
	}()
	u.jobs.Add(1)
	go func() {
		defer u.jobs.Done() // it uses the store: main closes it only after Wait
		u.firmwareAlerts()
	}()
	go func() { // the Dashboard follows the checks
		t := time.NewTicker(dashboardRefresh)
		defer t.Stop()
		for {
			select {
			case <-u.ctx.Done():
				return
			case <-t.C:
				u.do(func() {
					if u.ctx.Err() == nil && u.tabs.Selected() != nil && u.tabs.Selected().Content == u.dashboard.content {
						u.dashboard.reload()
					}
				})
			}
		}
	}()
	if !trayKeepsRunning(runtime.GOOS) {
		return
	}
	desk, ok := u.app.(desktop.App)
	if !ok {
		return
	}
	desk.SetSystemTrayIcon(appIcon)
	desk.SetSystemTrayMenu(fyne.NewMenu("SiteKeeper",
		fyne.NewMenuItem("Open SiteKeeper", func() { u.win.Show(); u.win.RequestFocus() }),
		// Fyne adds Quit itself at the end of a tray menu.
	))
	u.win.SetCloseIntercept(u.win.Hide)
}

// trayKeepsRunning reports whether closing the window should leave the
// checks running behind a tray icon on goos: where a tray always exists.
func trayKeepsRunning(goos string) bool { return goos == "windows" || goos == "darwin" }

// firmwareCheckEvery is how often the window looks for firmware that lost
// support: support ends on a date, not on a check.
const firmwareCheckEvery = time.Hour

// firmwareAlerts raises the alerts that come from dates (alert.RaiseDated:
// firmware that lost support; warranty ends, ends of support and of
// expected life within 90 days), a minute after start and every hour,
// until the app ends.
func (u *UI) firmwareAlerts() {
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-u.ctx.Done():
			return
		case <-t.C:
		}
		t.Reset(firmwareCheckEvery)
		out, settings, _ := alert.RaiseDated(u.ctx, alert.WithMail(u.st, u.mail), loadCatalog(), time.Now()) // a failed webhook or e-mail leaves them stored and listed
		if len(out) == 0 {
			continue
		}
		u.do(func() {
			if u.ctx.Err() == nil {
				u.alerts.reload()
			}
		})
		if settings.Notify {
			for _, a := range out {
				u.app.SendNotification(fyne.NewNotification(a.Subject(), a.Message))
			}
		}
	}
}
