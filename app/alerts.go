package app

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/alert"
	"sitekeeper/internal/inventory"
)

// alertsShown is how many alerts the Alerts view lists, newest first.
const alertsShown = 500

// alertsView lists what needs people: devices that went offline, came
// back or need attention, newest first, each to acknowledge.
type alertsView struct {
	u       *UI
	tab     *container.TabItem
	content fyne.CanvasObject
	list    *fyne.Container
	ackAll  *widget.Button
	alerts  []inventory.Alert
	gen     uint64
}

func newAlertsView(u *UI) *alertsView {
	v := &alertsView{u: u, list: container.NewVBox()}
	v.ackAll = widget.NewButtonWithIcon("Acknowledge all", theme.ConfirmIcon(), func() { v.acknowledge(v.unacknowledged()) })
	intro := para("SiteKeeper lists here each device that went offline, came back or needs attention. Acknowledge an alert once someone is on it.")
	v.content = container.NewBorder(container.NewVBox(intro, container.NewHBox(v.ackAll)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(v.list)))
	return v
}

// reload reads the alerts in the background; call it on the UI goroutine.
func (v *alertsView) reload() {
	v.gen++
	gen := v.gen
	u := v.u
	u.background(func() func() {
		alerts, err := u.st.Alerts(u.ctx, alertsShown)
		return func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.list.Objects = []fyne.CanvasObject{para("The alerts could not be read: " + Explain(err))}
				v.list.Refresh()
				return
			}
			v.show(alerts)
		}
	})
}

func (v *alertsView) unacknowledged() []string {
	var ids []string
	for _, a := range v.alerts {
		if a.Acknowledged.IsZero() {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

func (v *alertsView) show(alerts []inventory.Alert) {
	v.alerts = alerts
	objs := make([]fyne.CanvasObject, 0, len(alerts))
	if len(alerts) == 0 {
		objs = append(objs, para("No alerts yet."))
	}
	for _, a := range alerts {
		text := para(a.At.Local().Format("Mon 2 Jan 15:04") + " — " + alert.KindLabel(a.Kind) + "\n" + a.Message)
		if a.Acknowledged.IsZero() {
			text.TextStyle = fyne.TextStyle{Bold: true}
			ack := widget.NewButton("Acknowledge", func() { v.acknowledge([]string{a.ID}) })
			objs = append(objs, container.NewBorder(nil, nil, nil, ack, text))
		} else {
			objs = append(objs, text)
		}
	}
	v.list.Objects = objs
	v.list.Refresh()
	n := len(v.unacknowledged())
	if n == 0 {
		v.ackAll.Disable()
	} else {
		v.ackAll.Enable()
	}
	if v.tab != nil {
		v.tab.Text = "Alerts"
		if n > 0 {
			v.tab.Text = fmt.Sprintf("Alerts (%d)", n)
		}
		v.u.tabs.Refresh()
	}
}

func (v *alertsView) acknowledge(ids []string) {
	if len(ids) == 0 {
		return
	}
	u := v.u
	u.background(func() func() {
		err := u.st.AcknowledgeAlerts(u.ctx, ids, time.Now())
		return func() {
			if err != nil {
				u.showError("The alert could not be acknowledged", err)
			}
			v.reload()
		}
	})
}

// StatusChanged turns the checks' health changes into alerts: stored for
// the Alerts view and, where a person turned them on, shown as desktop
// notifications and posted to IT's webhook. It is safe to call from any
// goroutine (the scheduler's OnChange) and returns at once; batches are
// handled one at a time, in order, by the goroutine startWatch runs.
func (u *UI) StatusChanged(changes []inventory.StatusChange) {
	if len(changes) == 0 || u.ctx.Err() != nil {
		return
	}
	select {
	case u.alertQ <- changes:
	case <-u.ctx.Done():
	}
}

// raiseAlerts handles the batches StatusChanged queues until the app ends.
// prev is every device's health before the checks started; FromChanges
// keeps it current, which tells news from a check repeating what is known.
func (u *UI) raiseAlerts(prev map[string]inventory.DeviceStatus) {
	for {
		select {
		case <-u.ctx.Done():
			return
		case changes := <-u.alertQ:
			u.raise(u.ctx, changes, prev)
		}
	}
}

// raise stores and sends the alerts for changes (alert.Raise), then shows
// them: the Alerts view and Dashboard, and desktop notifications when a
// person turned them on.
func (u *UI) raise(ctx context.Context, changes []inventory.StatusChange, prev map[string]inventory.DeviceStatus) {
	out, settings, _ := alert.Raise(ctx, alert.WithMail(u.st, u.mail), changes, prev, time.Now()) // a failed webhook or e-mail leaves the alerts stored and listed
	u.do(func() {
		if u.ctx.Err() == nil {
			u.devices.refreshHealth() // a first check is no alert, but the column shows it
		}
	})
	if len(out) == 0 {
		return
	}
	u.do(func() {
		if u.ctx.Err() == nil {
			u.alerts.reload()
			u.dashboard.reload()
		}
	})
	if settings.Notify {
		for _, a := range out {
			u.app.SendNotification(fyne.NewNotification(a.Subject(), a.Message))
		}
	}
}
