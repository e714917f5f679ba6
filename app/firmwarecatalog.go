package app

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/firmware"
)

// chooseFirmwareCatalog asks for a firmware catalog (JSON or CSV) and
// loads it in place of the one kept.
func (u *UI) chooseFirmwareCatalog() {
	u.chooseFile([]string{".json", ".csv"}, "Load", func(name string, open opener) { u.loadFirmwareCatalog(name, open, false) })
}

// loadFirmwareCatalog reads a catalog file in the background and, when it
// is good (or, with skipBad, has good entries), keeps it as SiteKeeper's
// catalog (firmware.CatalogPath) and says what was loaded; a bad file
// leaves the kept catalog as it was and lists its problems.
func (u *UI) loadFirmwareCatalog(name string, open opener, skipBad bool) {
	u.background(func() func() {
		var sum firmware.Summary
		var path string
		rc, err := open()
		if err == nil {
			var cat *firmware.Catalog
			cat, sum, err = firmware.Load(rc, name, firmware.Options{SkipBad: skipBad})
			_ = rc.Close()
			if err == nil {
				path, err = firmware.CatalogPath()
			}
			if err == nil {
				err = firmware.SaveFile(path, cat)
			}
		}
		return func() {
			var le *firmware.LoadError
			switch {
			case errors.As(err, &le):
				u.showCatalogProblems(name, open, le, skipBad)
			case err != nil:
				u.showError("The firmware catalog was not loaded", err)
			default:
				u.showCatalogSummary(name, path, sum)
				u.dashboard.reload()
			}
		}
	})
}

// showCatalogProblems says why the catalog was not loaded, lists the
// problems and, where some entries are good, offers to load those alone.
func (u *UI) showCatalogProblems(name string, open opener, le *firmware.LoadError, skippedBad bool) {
	rows := false
	for _, p := range le.Problems {
		rows = rows || p.Line > 0
	}
	intro := para("The firmware catalog in " + name + " was not loaded; the catalog you had is kept. Correct these lines in the file and load it again:")
	if skippedBad {
		intro.SetText("None of the entries in " + name + " could be loaded; the catalog you had is kept. Correct them in the file and load it again:")
	}
	var d *dialog.CustomDialog
	good := widget.NewButton("Load the good entries only", func() {
		d.Hide()
		u.loadFirmwareCatalog(name, open, true)
	})
	good.Importance = widget.HighImportance
	if skippedBad || !rows {
		good.Hide()
	}
	d = dialog.NewCustomWithoutButtons("Firmware catalog not loaded", container.NewBorder(intro, nil, nil, nil, problemList(le.Problems)), u.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton("Close", func() { d.Hide() }), good})
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
}

// showCatalogSummary says how many entries were loaded, where the catalog
// is kept, and what was left out or is worth a look.
func (u *UI) showCatalogSummary(name, path string, sum firmware.Summary) {
	parts := []fyne.CanvasObject{para(fmt.Sprintf("Loaded %s from %s. Firmware on the Dashboard is now judged against it. It is kept in %s; load a newer file whenever the makers publish new versions.",
		plural(sum.Loaded, "entry", "entries"), name, path))}
	if n := len(sum.Skipped); n > 0 {
		parts = append(parts, para(fmt.Sprintf("%s had problems and were left out:", plural(n, "entry", "entries"))), problemList(sum.Skipped))
	}
	if len(sum.Warnings) > 0 {
		parts = append(parts, para("Loaded, but worth checking:"), textList(sum.Warnings))
	}
	d := dialog.NewCustom("Firmware catalog loaded", "Close", container.NewVBox(parts...), u.win)
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
}

// loadCatalog is the firmware catalog the plan and the alerts judge end
// of support by: the file a person loaded, else none (the Dashboard says
// when the file cannot be read).
func loadCatalog() *firmware.Catalog {
	cat, _, _, _ := firmware.LoadKept()
	return cat
}
