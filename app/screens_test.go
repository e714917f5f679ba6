package app

import (
	"testing"

	"fyne.io/fyne/v2/theme"

	"sitekeeper/internal/inventory"
)

// TestScreenshots captures the main screens to out/gui/ for a person to
// look at; it checks nothing a person would not see in the pictures.
func TestScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("captures are slow; run without -short to look at the screens")
	}
	devs := sampleDevices(30)
	devs[0].Known.Model = "P3245-LV" // a difference for the network tab
	st := newStore(t, devs)
	u := newTestUI(t, st, TransferImporter(st))
	capture(t, u, "devices-headless")

	u.devices.search.SetText("P3245-LV")
	u.wait()
	f := openFirst(t, u)
	capture(t, u, "form-device")
	f.tabs.SelectIndex(tabOwners)
	capture(t, u, "form-owners")
	f.tabs.SelectIndex(tabDates)
	f.warranty.entry.SetText("04/05/2027")
	f.cost.entry.SetText("about a grand")
	capture(t, u, "form-dates-error")
	f.tabs.SelectIndex(tabStatus)
	capture(t, u, "form-status")
	f.tabs.SelectIndex(4)
	capture(t, u, "form-network")
	f.tabs.SelectIndex(5)
	capture(t, u, "form-history")
	f.dlg.Hide()
	u.devices.search.SetText("")
	u.wait()

	u.tabs.SelectIndex(1)
	capture(t, u, "settings")

	u.tabs.SelectIndex(0)
	u.app.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	capture(t, u, "devices-dark")
}

func TestScreenshotEmpty(t *testing.T) {
	if testing.Short() {
		t.Skip("captures are slow")
	}
	st := inventory.NewMemory()
	u := newTestUI(t, st, TransferImporter(st))
	capture(t, u, "empty")
}
