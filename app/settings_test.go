package app

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

func TestSettingsSave(t *testing.T) {
	st := newStore(t, nil)
	u := newTestUI(t, st, nil)
	s := u.settings

	s.currency.entry.SetText("EURO")
	if !s.currency.msg.Visible() || s.currency.msg.Text != "Write the three-letter currency code, like EUR or USD." {
		t.Errorf("currency message = %q", s.currency.msg.Text)
	}
	if !s.save.Disabled() {
		t.Error("Save is enabled with a bad currency")
	}

	s.org.SetText("Northwind Facilities")
	s.currency.entry.SetText("usd")
	test.Tap(s.save)
	// A new currency relabels every cost: the person is asked first.
	if !overlayHasText(u, "not converted") {
		t.Fatal("changing the currency did not ask first")
	}
	tapOverlayButton(t, u, "Change to USD")
	u.wait()
	got, err := st.Settings(context.Background())
	if want := (inventory.Settings{Organisation: "Northwind Facilities", Currency: "USD"}); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("stored settings = %+v, %v; want %+v", got, err, want)
	}
	if got, want := u.win.Title(), "SiteKeeper — Northwind Facilities"; got != want {
		t.Errorf("title = %q; want %q", got, want)
	}
	if u.currency != "USD" || s.result.Text != "Saved." {
		t.Errorf("currency %q, result %q after saving", u.currency, s.result.Text)
	}
}

// overlayHasText reports whether an open dialog shows text containing s.
func overlayHasText(u *testUI, s string) bool {
	for _, o := range u.win.Canvas().Overlays().List() {
		for _, obj := range test.LaidOutObjects(o) {
			if l, ok := obj.(*widget.Label); ok && strings.Contains(l.Text, s) {
				return true
			}
		}
	}
	return false
}

// tapOverlayButton taps the button labelled text in the top dialog.
func tapOverlayButton(t *testing.T, u *testUI, text string) {
	t.Helper()
	for _, obj := range test.LaidOutObjects(u.win.Canvas().Overlays().Top()) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no %q button in the top dialog", text)
}
