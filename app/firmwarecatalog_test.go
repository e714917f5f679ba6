package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitekeeper/internal/firmware"
)

// catalogCSV has one good entry and one with a date that cannot be.
const catalogCSV = `manufacturer,model,latest_version,release_date,end_of_support,source_url
Axis,P3265-LVE,11.9.60,2024-05-02,,https://www.axis.com/ftp/pub_soft/MPQT/P3265-LVE/latest/
Hikvision,DS-2CD2142FWD-I,V5.5.82 build 190909,2019-09-09,2025-31-30,https://www.hikvision.com/
`

// TestLoadFirmwareCatalog: a catalog with a bad line is refused with the
// line named and the kept catalog untouched; "Load the good entries only"
// keeps the good one where SiteKeeper reads it.
func TestLoadFirmwareCatalog(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	path, err := firmware.CatalogPath()
	if err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, newStore(t, sampleDevices(5)), nil)
	u.tabs.SelectIndex(0)
	u.wait()
	if findButton(u, "Load a firmware catalog…") == nil {
		t.Fatal("the Dashboard has no button to load a firmware catalog")
	}

	u.loadFirmwareCatalog("vendors.csv", textOpener(catalogCSV), false)
	u.wait()
	if !overlayHasText(u, "Line 3") || !overlayHasText(u, "the catalog you had is kept") {
		t.Fatal("the bad line is not named, or the dialog does not say the old catalog is kept")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a refused catalog was written (%v)", err)
	}
	capture(t, u, "firmware-catalog-problems")

	tapOverlayButton(t, u, "Load the good entries only")
	u.wait()
	if !overlayHasText(u, "Loaded 1 entry from vendors.csv") || !overlayHasText(u, "1 entry had problems") {
		t.Error("the summary does not say what was loaded and left out")
	}
	cat, _, err := firmware.LoadFile(path)
	if err != nil || cat.Len() != 1 || !strings.EqualFold(cat.Entries()[0].Manufacturer, "Axis") {
		t.Fatalf("kept catalog = %v, %v; want the Axis entry alone", cat, err)
	}
	if filepath.Base(path) != firmware.CatalogFile {
		t.Errorf("kept at %s", path)
	}
}
