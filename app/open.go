package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

// openDevice reads the device with this ID and its history afresh (the
// table's copy may be older than the store's) and opens its form.
func (u *UI) openDevice(id string) { u.openDeviceThen(id, nil) }

// openDeviceThen is openDevice, calling closed (when not nil) once the
// form is closed.
func (u *UI) openDeviceThen(id string, closed func()) {
	u.formGen++
	gen := u.formGen
	u.background(func() func() {
		d, err := u.st.Device(u.ctx, id)
		var evs []inventory.Event
		if err == nil {
			evs, err = u.st.Events(u.ctx, id)
		}
		avail := availabilityText(u.ctx, u.st, id, time.Now())
		return func() {
			if gen != u.formGen {
				return // the person clicked another device meanwhile
			}
			if err != nil {
				u.showError("This device cannot be opened", err)
				return
			}
			u.form = newDeviceForm(u, d, false, evs)
			u.form.setAvailability(avail)
			if closed != nil {
				u.form.dlg.SetOnClosed(closed)
			}
			u.form.show()
		}
	})
}

// openNewDevice opens an empty form; saving it creates the device.
func (u *UI) openNewDevice() {
	u.formGen++
	u.form = newDeviceForm(u, inventory.Device{}, true, nil)
	u.form.show()
}

// showError shows what went wrong in plain words, with the error's own
// text as a small details line for whoever supports the person.
func (u *UI) showError(title string, err error) {
	msg := widget.NewLabel(Explain(err))
	msg.Wrapping = fyne.TextWrapWord
	det := widget.NewLabel("Details: " + err.Error())
	det.Wrapping = fyne.TextWrapWord
	det.SizeName = theme.SizeNameCaptionText
	d := dialog.NewCustom(title, "Close", container.NewVBox(msg, det), u.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// resolve finds the device a person means by text: an ID, or a name that
// only one device (other than self) has. Empty text is no device.
func (v *devicesView) resolve(text, self string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", nil
	}
	var found []string
	for i := range v.devs {
		d := &v.devs[i]
		if d.ID == text {
			return d.ID, nil
		}
		if d.ID != self && strings.EqualFold(d.DisplayName(), text) {
			found = append(found, d.ID)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", &inventory.FieldError{Field: "successor", Value: text, Reason: "is not the name of a device in the inventory"}
	}
	return "", &inventory.FieldError{Field: "successor", Value: text, Reason: "is the name of more than one device; type its ID instead"}
}

// successorText is what the Replaced by field shows for a stored successor:
// its name when that name is unambiguous, else the ID as stored.
func (v *devicesView) successorText(id string) string {
	if id == "" {
		return ""
	}
	if name := v.nameOf(id); name != "" {
		if got, err := v.resolve(name, ""); err == nil && got == id {
			return name
		}
	}
	return id
}

// availabilityText is how much of the last 7, 30 and 90 days the checks
// found the device answering: "Answering 99.8 % of the last 7 days, ...";
// "" when it was never checked.
func availabilityText(ctx context.Context, st Store, id string, now time.Time) string {
	var parts []string
	for _, days := range []int{7, 30, 90} {
		a, err := st.Availability(ctx, id, now.AddDate(0, 0, -days), now, now)
		if errors.Is(err, inventory.ErrNotChecked) || err != nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %% of the last %d days", strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", a*100), "0"), "."), days))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Answering " + strings.Join(parts, ", ") + " (time it needed attention counts as answering)."
}
