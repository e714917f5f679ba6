package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"sitekeeper/internal/inventory"
)

// openFirst opens the form of the first device in the table.
func openFirst(t *testing.T, u *testUI) *deviceForm {
	t.Helper()
	u.openDevice(u.devices.rows[u.devices.visible[0]].id)
	u.wait()
	if u.form == nil {
		t.Fatal("no form opened")
	}
	return u.form
}

func TestFormRejectsBadValues(t *testing.T) {
	u := newTestUI(t, newStore(t, sampleDevices(5)), nil)
	f := openFirst(t, u)
	if f.save.Disabled() {
		t.Fatal("Save is disabled on an untouched device")
	}
	cases := []struct {
		name  string
		field *field
		text  string
		want  string
	}{
		{"impossible date", f.install.field, "31/31/2027", "Write the date like 2027-03-31."},
		{"ambiguous date", f.warranty.field, "04/05/2027", "This could be 2027-05-04 or 2027-04-05. Write the date like 2027-03-31."},
		{"two-digit year", f.support.field, "31/03/27", "Write the year with four digits, like 2027-03-31."},
		{"short MAC", f.mac, "00:1a:2b", "Write the MAC address like 00:1a:2b:3c:4d:5e."},
		{"not money", f.cost, "about a grand", "Write the amount like 1250.00."},
		{"negative money", f.cost, "-40", "A cost cannot be negative."},
		{"budget not 100", f.budget, "OT:60,IT:30", "These shares add up to 90%; they must add up to 100%."},
		{"budget words", f.budget, "facilities", "Write OT, IT, or a split like OT:60,IT:40."},
		{"life", f.life, "eighty", "Write a whole number of years between 0 and 50, like 8."},
		{"successor", f.successor, "No such device", "No device in the inventory has this name."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			old := c.field.entry.Text
			c.field.entry.SetText(c.text)
			if !c.field.msg.Visible() || !strings.HasPrefix(c.field.msg.Text, c.want) {
				t.Errorf("message for %q = %q (shown %v); want %q", c.text, c.field.msg.Text, c.field.msg.Visible(), c.want)
			}
			if !f.save.Disabled() {
				t.Errorf("Save is enabled with %q in a field", c.text)
			}
			if f.tabs.Items[c.field.tab].Icon == nil {
				t.Errorf("the tab holding the field is not marked")
			}
			c.field.entry.SetText(old)
			if c.field.msg.Visible() || f.save.Disabled() {
				t.Errorf("message or disabled Save stay after the text is put back")
			}
		})
	}
}

func TestFormSavesValidEdit(t *testing.T) {
	st := newStore(t, sampleDevices(5))
	u := newTestUI(t, st, nil)
	f := openFirst(t, u)
	id := f.dev.ID

	f.name.SetText("Lobby camera")
	f.install.entry.SetText("2021-03-15")
	f.warranty.entry.SetText("15/03/2026") // day first: unambiguous
	f.warranty.est.SetChecked(true)
	f.mac.entry.SetText("00-1A-2B-3C-4D-5E")
	f.cost.entry.SetText("€ 1.250,00")
	f.budget.entry.SetText("OT:60,IT:40")
	f.life.entry.SetText("10 years")
	f.class.SetSelected("Intercom")
	f.strategy.SetSelected(inventory.StrategyAge.Label())
	f.notes.SetText("Key to the cabinet: reception.")
	f.state.SetSelected("Spare")
	if f.save.Disabled() {
		t.Fatal("Save is disabled after valid edits")
	}
	test.Tap(f.save)
	u.wait()

	d, err := st.Device(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	k := d.Known
	checks := []struct {
		what      string
		got, want any
	}{
		{"name", k.Name, "Lobby camera"},
		{"install", k.InstallDate.Date.String(), "2021-03-15"},
		{"warranty", k.WarrantyEnd, inventory.DateValue{Date: inventory.Date{Year: 2026, Month: 3, Day: 15}, Estimated: true}},
		{"mac", k.MAC, "00:1a:2b:3c:4d:5e"},
		{"cost", k.ReplacementCost.Cents(), int64(125000)},
		{"budget", k.BudgetOwner, inventory.BudgetSplit{OT: 60, IT: 40}},
		{"life", k.ExpectedLifeYears, 10},
		{"class", k.Class, inventory.ClassIntercom},
		{"strategy", k.Strategy, inventory.StrategyAge},
		{"notes", k.Notes, "Key to the cabinet: reception."},
		{"state", d.State(), inventory.StateSpare},
		{"discovered kept", d.Discovered.Firmware != "", true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("stored %s = %v; want %v", c.what, c.got, c.want)
		}
	}
	evs, _ := st.Events(context.Background(), id)
	if last := evs[len(evs)-1]; last.Kind != inventory.EventEdited {
		t.Errorf("last event = %v; want an edit", last.Kind)
	}
	if u.win.Canvas().Overlays().Top() != nil {
		t.Error("the form is still open after saving")
	}
	// The table shows the new name once reloaded.
	u.devices.search.SetText("lobby camera")
	u.wait()
	if len(u.devices.visible) != 1 {
		t.Errorf("the saved name is not in the table")
	}
}

func TestFormRefusesWarrantyBeforeInstall(t *testing.T) {
	st := newStore(t, sampleDevices(2))
	u := newTestUI(t, st, nil)
	f := openFirst(t, u)
	before, _ := st.Device(context.Background(), f.dev.ID)
	f.install.entry.SetText("2022-06-01")
	f.warranty.entry.SetText("2021-06-01")
	test.Tap(f.save)
	u.wait()
	if !f.status.Visible() || !strings.Contains(f.status.Text, "warranty end") {
		t.Errorf("status = %q; want the warranty problem explained", f.status.Text)
	}
	if !f.warranty.msg.Visible() {
		t.Error("no message next to the warranty field")
	}
	after, _ := st.Device(context.Background(), f.dev.ID)
	if after.Known != before.Known {
		t.Error("the refused edit reached the store")
	}
}

func TestAddDeviceByHand(t *testing.T) {
	st := newStore(t, nil)
	u := newTestUI(t, st, nil)
	test.Tap(findButton(u, "Add a device by hand"))
	f := u.form
	if f == nil || !f.isNew {
		t.Fatal("no new-device form")
	}
	f.name.SetText("Gate intercom")
	f.site.SetText("Head office")
	f.class.SetSelected("Intercom")
	f.mac.entry.SetText("7C:1E:B3:00:12:34")
	test.Tap(f.save)
	u.wait()
	devs, err := st.Devices(context.Background())
	if err != nil || len(devs) != 1 {
		t.Fatalf("devices = %d, %v; want 1", len(devs), err)
	}
	if d := devs[0]; d.Known.Name != "Gate intercom" || d.Known.MAC != "7c:1e:b3:00:12:34" || d.Class() != inventory.ClassIntercom {
		t.Errorf("created %+v", d.Known)
	}
	if !u.devices.list.Visible() || u.devices.empty.Visible() {
		t.Error("the list did not replace the empty view")
	}
}

func TestFormShowsNetworkDifferencesAndHistory(t *testing.T) {
	devs := sampleDevices(1)
	devs[0].Known.Model = "P3245-LV" // the network says P3265-LVE
	st := newStore(t, devs)
	u := newTestUI(t, st, nil)
	f := openFirst(t, u)
	if len(f.tabs.Items) != 6 {
		t.Fatalf("tabs = %d; want 6", len(f.tabs.Items))
	}
	if f.tabs.Items[4].Icon == nil {
		t.Error("the network tab does not warn of the difference")
	}
	f.tabs.SelectIndex(4)
	if !hasText(u, "You entered the model “P3245-LV”; the network reports “P3265-LVE”.") {
		t.Error("the difference is not spelled out")
	}
	f.tabs.SelectIndex(5)
	if !hasText(u, "Imported") && !hasText(u, "Edited") && !hasText(u, "Found") {
		t.Error("the history shows no event")
	}
}

func TestCancelAsksBeforeDiscardingEdits(t *testing.T) {
	st := newStore(t, sampleDevices(3))
	u := newTestUI(t, st, nil)
	f := openFirst(t, u)
	if f.edited() {
		t.Fatal("a form nobody touched counts as edited")
	}
	f.cancel()
	if n := len(u.win.Canvas().Overlays().List()); n != 0 {
		t.Errorf("Cancel on an untouched form left %d dialogs open; want 0", n)
	}

	f = openFirst(t, u)
	f.warranty.entry.SetText("2031-01-31")
	if !f.edited() {
		t.Fatal("a changed warranty date does not count as an edit")
	}
	f.cancel()
	if n := len(u.win.Canvas().Overlays().List()); n != 2 {
		t.Errorf("Cancel after an edit: %d dialogs open; want the form and a question", n)
	}
}

func TestDiscardQuestionNamesItsChoices(t *testing.T) {
	u := newTestUI(t, newStore(t, sampleDevices(1)), nil)
	f := openFirst(t, u)
	f.warranty.entry.SetText("2031-01-31")
	f.cancel()
	tapOverlayButton(t, u, "Keep editing")
	if n := len(u.win.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("Keep editing: %d dialogs open; want the form", n)
	}
	f.cancel()
	tapOverlayButton(t, u, "Discard changes")
	if n := len(u.win.Canvas().Overlays().List()); n != 0 {
		t.Errorf("Discard changes: %d dialogs open; want none", n)
	}
}

func TestSourcesText(t *testing.T) {
	if got, want := sourcesText([]string{"mdns", "onvif", "wsd", "arp", "csv"}),
		"mDNS / Bonjour, ONVIF (the device itself), WS-Discovery, this computer's address table (MAC), csv"; got != want {
		t.Errorf("sourcesText = %q; want %q", got, want)
	}
}
