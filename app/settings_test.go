package app

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

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
	u.wait()
	got, err := st.Settings(context.Background())
	if want := (inventory.Settings{Organisation: "Northwind Facilities", Currency: "USD"}); err != nil || got != want {
		t.Errorf("stored settings = %+v, %v; want %+v", got, err, want)
	}
	if got, want := u.win.Title(), "SiteKeeper — Northwind Facilities"; got != want {
		t.Errorf("title = %q; want %q", got, want)
	}
	if u.currency != "USD" || s.result.Text != "Saved." {
		t.Errorf("currency %q, result %q after saving", u.currency, s.result.Text)
	}
}
