package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/transfer"
)

// opener opens the file to import; import may need it twice, when the person
// chooses to import the good rows only after seeing the problems.
type opener func() (io.ReadCloser, error)

// chooseImportFile asks for a CSV or JSON file and imports it.
func (u *UI) chooseImportFile() {
	u.chooseFile([]string{".csv", ".json"}, "Import", func(name string, open opener) { u.runImport(name, open, false) })
}

// chooseFile asks for a file with one of exts and passes its name, and a
// way to open it (as often as needed), to then; a cancel passes nothing.
func (u *UI) chooseFile(exts []string, confirm string, then func(name string, open opener)) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			u.showError("The file cannot be opened", err)
			return
		}
		if rc == nil {
			return // the person cancelled
		}
		uri := rc.URI()
		_ = rc.Close() // reopened by then, each time it is read
		then(uri.Name(), func() (io.ReadCloser, error) { return storage.Reader(uri) })
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	d.SetConfirmText(confirm)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// runImport imports the file in the background behind a progress dialog,
// then says what happened. With skipBad, rows with problems are left out.
func (u *UI) runImport(name string, open opener, skipBad bool) {
	ctx, cancel := context.WithCancel(u.ctx)
	bar := widget.NewProgressBar()
	what := widget.NewLabel("Reading " + name + "…")
	prog := dialog.NewCustomWithoutButtons("Importing", container.NewVBox(what, bar), u.win)
	prog.SetButtons([]fyne.CanvasObject{widget.NewButton("Stop", cancel)})
	prog.Resize(fyne.NewSize(420, 0))
	prog.Show()

	imp := u.imp
	u.background(func() func() {
		defer cancel()
		var res transfer.Summary
		rc, err := open()
		if err == nil {
			res, err = imp(ctx, rc, name, transfer.Options{SkipBad: skipBad, Progress: throttle(func(done, total int) {
				u.do(func() {
					if total > 0 {
						bar.SetValue(float64(done) / float64(total))
						what.SetText(fmt.Sprintf("Importing %s: %d of %d devices…", name, done, total))
					}
				})
			})})
			_ = rc.Close()
		}
		return func() {
			prog.Hide()
			var ie *transfer.ImportError
			switch {
			case errors.As(err, &ie):
				u.showImportProblems(name, open, ie, skipBad)
			case err != nil:
				u.showError("Nothing was imported", err)
			default:
				u.showImportSummary(name, res)
				u.devices.reload()
				u.loadSettings() // a JSON import may have brought settings
			}
		}
	})
}

// throttle passes progress on at most about 20 times a second, and always
// passes on the last call: a 10,000-row file must not queue 10,000 redraws.
func throttle(fn func(done, total int)) func(done, total int) {
	var mu sync.Mutex
	var last time.Time
	return func(done, total int) {
		mu.Lock()
		now := time.Now()
		pass := done >= total || now.Sub(last) >= 50*time.Millisecond
		if pass {
			last = now
		}
		mu.Unlock()
		if pass {
			fn(done, total)
		}
	}
}

// hasRows reports whether some problems are about rows: only then can the
// good rows be imported. A problem with the whole file (no header, not
// text) leaves nothing to import.
func hasRows(ie *transfer.ImportError) bool {
	for _, p := range ie.Problems {
		if p.Line > 0 {
			return true
		}
	}
	return false
}

// showImportProblems says why nothing was imported, lists the rows that
// stopped it and, unless the good rows were all that was tried, offers to
// import the others.
func (u *UI) showImportProblems(name string, open opener, ie *transfer.ImportError, skippedBad bool) {
	intro := para(Explain(ie))
	if skippedBad {
		intro.SetText("None of the rows in the file could be imported. Fix them in the spreadsheet and import it again.")
	}
	var list fyne.CanvasObject = widget.NewLabel("")
	if hasRows(ie) {
		list = problemList(ie.Problems)
	}
	var d *dialog.CustomDialog
	good := widget.NewButton("Import the good rows only", func() {
		d.Hide()
		u.runImport(name, open, true)
	})
	good.Importance = widget.HighImportance
	if skippedBad || !hasRows(ie) {
		good.Hide()
	}
	d = dialog.NewCustomWithoutButtons("Nothing was imported from "+name, container.NewBorder(intro, nil, nil, nil, list), u.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton("Close", func() { d.Hide() }), good})
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
}

// showImportSummary says how many devices came in and lists what was left
// out or is worth a look.
func (u *UI) showImportSummary(name string, res transfer.Summary) {
	noun := "devices"
	if res.Imported == 1 {
		noun = "device"
	}
	parts := []fyne.CanvasObject{para(fmt.Sprintf("Imported %d %s from %s.", res.Imported, noun, name))}
	if n := len(res.Skipped); n > 0 {
		parts = append(parts, para(fmt.Sprintf("%d rows had problems and were left out. Fix them in the spreadsheet and import just those rows again:", n)),
			problemList(res.Skipped))
	}
	if len(res.Warnings) > 0 {
		parts = append(parts, para("Imported, but worth checking:"), textList(res.Warnings))
	}
	d := dialog.NewCustom("Import finished", "Close", container.NewVBox(parts...), u.win)
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
}

// maxListed bounds the lines shown in a problem list: past a few hundred a
// person fixes the file rather than read on.
const maxListed = 300

func problemList(ps []transfer.Problem) fyne.CanvasObject {
	lines := make([]string, 0, len(ps))
	for _, p := range ps {
		if p.Line == 0 {
			lines = append(lines, "The file: "+p.Message)
		} else {
			lines = append(lines, fmt.Sprintf("Line %d: %s", p.Line, p.Message))
		}
	}
	return textList(lines)
}

func textList(lines []string) fyne.CanvasObject {
	more := ""
	if len(lines) > maxListed {
		more = fmt.Sprintf("\n… and %d more.", len(lines)-maxListed)
		lines = lines[:maxListed]
	}
	l := widget.NewLabel(strings.Join(lines, "\n") + more)
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true // so that it can be copied into an e-mail
	s := container.NewVScroll(l)
	s.SetMinSize(fyne.NewSize(560, min(float32(len(lines)+1)*28, 220)))
	return s
}
