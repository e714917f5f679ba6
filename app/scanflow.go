package app

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/discovery"
	"sitekeeper/internal/discovery/wsd"
	"sitekeeper/internal/inventory"
)

// scanRefresh is how often, at most, the scan dialog shows newly found
// devices: 250 devices answering at once must not queue 250 redraws.
const scanRefresh = 100 * time.Millisecond

// scanRun is one scan's dialog. Its fields are touched only on the UI
// goroutine, except batch, which has its own lock.
type scanRun struct {
	dlg    *dialog.CustomDialog
	bar    *widget.ProgressBarInfinite
	status *widget.Label
	list   *widget.List
	lines  []string // what the list shows, one line per device found, by Key
	shows  int      // how many times new devices were shown, for tests

	batch scanBatch
}

// scanBatch collects devices found on the scan's goroutine and hands them
// to the UI goroutine at most once per scanRefresh.
type scanBatch struct {
	mu        sync.Mutex
	waiting   []scanLine
	scheduled bool
	stopped   bool
	last      time.Time
}

// scanLine is one device's line in the scan dialog; a later line with the
// same key replaces it (the device's Key, see discovery.Device).
type scanLine struct {
	key    int
	update bool
	text   string
}

// startScan scans the network behind a dialog that lists what answers,
// then saves what was found in one go and says what happened.
func (u *UI) startScan() {
	scan := u.opt.Scanner
	if scan == nil {
		return
	}
	ctx, cancel := context.WithCancel(u.ctx)
	r := &scanRun{}
	u.scan = r
	r.bar = widget.NewProgressBarInfinite()
	r.status = widget.NewLabel("Looking for cameras, recorders and door controllers on this computer's networks…")
	r.status.Wrapping = fyne.TextWrapWord
	r.list = widget.NewList(
		func() int { return len(r.lines) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= 0 && i < len(r.lines) {
				o.(*widget.Label).SetText(r.lines[i])
			}
		})
	listBox := container.NewGridWrap(fyne.NewSize(520, 240), r.list)
	r.dlg = dialog.NewCustomWithoutButtons("Scanning the network",
		container.NewBorder(container.NewVBox(r.status, r.bar), nil, nil, nil, listBox), u.win)
	stop := widget.NewButton("Stop", cancel)
	r.dlg.SetButtons([]fyne.CanvasObject{stop})
	r.dlg.Resize(fyne.NewSize(560, 0))
	r.dlg.Show()

	var found []discovery.Device // by Key; only the scan's goroutine touches it
	u.background(func() func() {
		defer cancel()
		loginsFor, err := u.loginsForScan(ctx)
		var stats discovery.Stats
		if err == nil {
			stats, err = scan(ctx, loginsFor, func(d discovery.Device) {
				if d.Update && d.Key < len(found) {
					found[d.Key] = d
				} else {
					found = append(found, d)
				}
				r.add(u, scanLine{d.Key, d.Update, describeFound(d)})
			})
		}
		r.batch.stop()
		tried := mostTried(found, loginsFor)
		stopped := errors.Is(err, context.Canceled) && u.ctx.Err() == nil
		if errors.Is(err, wsd.ErrNoInterfaces) {
			err = nil // nothing to search on: the summary explains it
		}
		diag := discovery.Diagnose(stats, len(found), discovery.ThisHost(runtime.GOOS))
		var res inventory.ReconcileResult
		var saveErr error
		if (err == nil || stopped) && len(found) > 0 {
			// Saved even after Stop: what answered is worth keeping.
			res, saveErr = u.st.Reconcile(u.ctx, discoveredOf(found), time.Now())
		}
		var notSeen []string // only after a whole scan: a stopped one missed many
		var succ []inventory.Succession
		if saveErr == nil && len(found) > 0 {
			if all, lerr := u.st.Devices(u.ctx); lerr == nil { // without the list, the summary just does not say
				if err == nil {
					for _, d := range inventory.NotSeen(all, res) {
						notSeen = append(notSeen, d.NameAndAddress())
					}
				}
				succ = inventory.Successions(all, res.AddedIDs)
			}
		}
		return func() {
			r.bar.Stop()
			r.dlg.Hide()
			switch {
			case err != nil && !stopped:
				u.showError("The scan could not run", err)
			case saveErr != nil:
				u.showError("The devices found could not be saved", saveErr)
			default:
				u.showScanSummary(found, res, stopped, tried, diag, notSeen, succ)
				if len(found) > 0 {
					u.devices.reload()
				}
			}
		}
	})
}

// loginsForScan reads the inventory's devices, which say where each device
// is, and returns what a scan asks each device with: its own saved logins,
// its site's, all sites' (credentials.Vault.ForDevices). Without saved
// logins it is nil: devices are asked anonymously only. Called on the
// scan's goroutine.
func (u *UI) loginsForScan(ctx context.Context) (func(inventory.Discovered) []discovery.Credential, error) {
	if u.opt.Logins == nil {
		return nil, nil
	}
	known, err := u.st.Devices(ctx)
	if err != nil {
		return nil, err
	}
	return u.opt.Logins.ForDevices(known, nil).For, nil
}

// mostTried is the most logins that one of the devices that refused had to
// choose from, for the summary (at most discovery.MaxCredentialTries of
// them were tried).
func mostTried(found []discovery.Device, loginsFor func(inventory.Discovered) []discovery.Credential) int {
	if loginsFor == nil {
		return 0
	}
	most := 0
	for _, d := range found {
		if d.NeedsCredentials {
			most = max(most, len(loginsFor(d.Discovered)))
		}
	}
	return most
}

// add queues a line for the dialog's list; called on the scan's goroutine.
func (r *scanRun) add(u *UI, line scanLine) {
	b := &r.batch
	b.mu.Lock()
	defer b.mu.Unlock()
	b.waiting = append(b.waiting, line)
	if b.scheduled || b.stopped {
		return
	}
	b.scheduled = true
	time.AfterFunc(max(0, scanRefresh-time.Since(b.last)), func() {
		b.mu.Lock()
		lines := b.waiting
		b.waiting, b.scheduled, b.last = nil, false, time.Now()
		stopped := b.stopped
		b.mu.Unlock()
		if stopped || len(lines) == 0 {
			return
		}
		u.do(func() {
			if u.ctx.Err() != nil {
				return // the window closed: its widgets are gone
			}
			for _, l := range lines {
				if l.update && l.key < len(r.lines) {
					r.lines[l.key] = l.text
				} else {
					r.lines = append(r.lines, l.text)
				}
			}
			r.shows++
			r.status.SetText(fmt.Sprintf("Looking for devices… found %s so far.", plural(len(r.lines), "device", "devices")))
			r.list.Refresh()
			r.list.ScrollToBottom()
		})
	})
}

// stop ends the updates: the summary replaces the dialog.
func (b *scanBatch) stop() {
	b.mu.Lock()
	b.stopped = true
	b.mu.Unlock()
}

// describeFound is a device as the scan dialog lists it: "AXIS Q6045-E at
// 198.18.1.10".
func describeFound(d discovery.Device) string {
	what := inventory.MakeAndModel(d.Manufacturer, d.Model)
	if what == "" {
		what = "A device"
	}
	if addr := addressOf(d); addr != "" {
		what += " at " + addr
	}
	if d.NeedsCredentials {
		what += " (needs a user name and password)"
	}
	return what
}

func addressOf(d discovery.Device) string {
	return strings.Join(d.IPs, ", ")
}

func discoveredOf(found []discovery.Device) []inventory.Discovered {
	out := make([]inventory.Discovered, len(found))
	for i := range found {
		out[i] = found[i].Discovered
	}
	return out
}

// showScanSummary says what the scan found and saved, and what to do about
// the devices that did not say what they are.
func (u *UI) showScanSummary(found []discovery.Device, res inventory.ReconcileResult, stopped bool, tried int, diag discovery.Diagnosis, notSeen []string, succ []inventory.Succession) {
	title := "Scan finished"
	if stopped {
		title = "Scan stopped"
	}
	var parts []fyne.CanvasObject
	var addLogin *widget.Button // offered when devices want a login
	if len(found) == 0 {
		if stopped {
			parts = append(parts, para("You stopped the scan before any device answered. Nothing was changed."))
		} else {
			title = "No devices found"
			parts = append(parts, para("No device answered."))
			for _, line := range diag.Text() {
				parts = append(parts, para(line))
			}
		}
	} else {
		parts = append(parts, para(scanHeadline(res, stopped)))
		var creds, silent []string
		for _, d := range found {
			switch {
			case d.NeedsCredentials:
				creds = append(creds, addressOf(d))
			case d.NoAnswer:
				silent = append(silent, addressOf(d))
			}
		}
		if n := len(creds); n > 0 {
			parts = append(parts, para(needLoginText(creds, tried, u.opt.Logins != nil)))
			if u.logins != nil {
				addLogin = widget.NewButtonWithIcon("Add a login", theme.ContentAddIcon(), nil)
			}
		}
		if n := len(silent); n > 0 {
			parts = append(parts, para(fmt.Sprintf("%s the search but not the questions that followed: %s. "+
				"A firewall between this computer and them may block it.",
				plural(n, "device answered", "devices answered"), listed(silent))))
		}
		for _, line := range diag.Advice() {
			parts = append(parts, para(line))
		}
	}
	if n := len(notSeen); n > 0 {
		parts = append(parts, para(fmt.Sprintf("%s by an earlier scan did not answer this time: %s. "+
			"%s switched off, unplugged, or on a network this computer is not connected to. Nothing about %s was changed.",
			plural(n, "device found", "devices found"), listed(notSeen), pickWord(n, "It may be", "They may be"), pickWord(n, "it", "them"))))
	}
	for _, sc := range succ {
		parts = append(parts, u.successionRow(sc))
	}
	var d *dialog.CustomDialog
	again := widget.NewButton("Scan again", func() { d.Hide(); u.startScan() })
	closeBtn := widget.NewButton("Close", func() { d.Hide() })
	closeBtn.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(title, container.NewVBox(parts...), u.win)
	buttons := []fyne.CanvasObject{again, closeBtn}
	if addLogin != nil {
		addLogin.OnTapped = func() { d.Hide(); u.addLoginThenScan() }
		closeBtn.Importance = widget.MediumImportance
		addLogin.Importance = widget.HighImportance
		buttons = []fyne.CanvasObject{again, closeBtn, addLogin}
	}
	d.SetButtons(buttons)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// successionRow offers to record that a new device took the place of one
// a person marked replaced: "Link them" names it as the successor and gives
// the new device the old one's site, location and owners.
func (u *UI) successionRow(sc inventory.Succession) fyne.CanvasObject {
	when := ""
	if !sc.Old.Lifecycle.Date.IsZero() {
		when = " on " + sc.Old.Lifecycle.Date.Time().Format("2 January 2006")
	}
	text := para(fmt.Sprintf("%s may be what replaced %s, marked replaced%s: %s.", sc.New.NameAndAddress(), sc.Old.DisplayName(), when, sc.Why))
	var link *widget.Button
	link = widget.NewButtonWithIcon("Link them", theme.ConfirmIcon(), func() {
		link.Disable()
		old, nu := sc.Old, sc.New
		inventory.Succeed(&old, &nu)
		u.background(func() func() {
			err := u.st.Save(u.ctx, old)
			if err == nil {
				err = u.st.Save(u.ctx, nu)
			}
			return func() {
				if err != nil {
					link.Enable()
					u.showError("The devices were not linked", err)
					return
				}
				link.SetText("Linked")
				text.SetText(fmt.Sprintf("%s now replaces %s, and has its site and location.", nu.NameAndAddress(), old.NameAndAddress()))
				u.devices.reload()
			}
		})
	})
	return container.NewBorder(nil, nil, nil, link, text)
}

// needLoginText says which devices want a login and what to do: add one
// in SiteKeeper when it keeps logins (withLogins), else use the command line.
// tried is the most saved logins that one of them was to be asked with
// (mostTried).
func needLoginText(addrs []string, tried int, withLogins bool) string {
	n := len(addrs)
	what := plural(n, "device would not say what it is", "devices would not say what they are")
	if !withLogins {
		next := "It is in the inventory by its address; open it to fill in the make and model, or scan from the command line with its user name and password: sitekeeper scan --credentials FILE."
		if n > 1 {
			next = "They are in the inventory by their address; open each one to fill in the make and model, or scan from the command line with their user names and passwords: sitekeeper scan --credentials FILE."
		}
		return fmt.Sprintf("%s without a user name and password: %s. %s", what, listed(addrs), next)
	}
	how := "without a login"
	switch {
	case tried == 1:
		how = "with the saved login"
	case tried > 1:
		how = "with the saved logins"
		if tried > discovery.MaxCredentialTries {
			how = fmt.Sprintf("with %d of the %d saved logins (SiteKeeper tries at most %d on a device, so that no account gets locked)",
				discovery.MaxCredentialTries, tried, discovery.MaxCredentialTries)
		}
	}
	uses := "it uses"
	if n > 1 {
		uses = "they use"
	}
	return fmt.Sprintf("%s %s: %s. Add the login %s and scan again.", what, how, listed(addrs), uses)
}

// addLoginThenScan opens Settings at Add a login and, once one is saved,
// offers to scan again.
func (u *UI) addLoginThenScan() {
	u.showSettings()
	u.logins.showAdd(func() {
		dialog.ShowCustomConfirm("Scan again now?", "Scan now", "Not now",
			para("SiteKeeper can now try this login on the devices that would not say what they are."),
			func(ok bool) {
				if ok {
					u.startScan()
				}
			}, u.win)
	})
}

// scanHeadline is "Found 12 devices: 3 new, 1 changed, 8 as before."
func scanHeadline(res inventory.ReconcileResult, stopped bool) string {
	ids := map[string]bool{}
	for _, id := range res.IDs {
		ids[id] = true
	}
	var what []string
	if res.Added > 0 {
		what = append(what, fmt.Sprintf("%d new", res.Added))
	}
	if res.Updated > 0 {
		what = append(what, fmt.Sprintf("%d changed", res.Updated))
	}
	if res.Unchanged > 0 {
		what = append(what, fmt.Sprintf("%d as before", res.Unchanged))
	}
	s := "Found " + plural(len(ids), "device", "devices")
	if stopped {
		s = "You stopped the scan. Before that, SiteKeeper found " + plural(len(ids), "device", "devices")
	}
	if len(what) > 0 {
		s += ": " + strings.Join(what, ", ")
	}
	return s + ". What you entered about a device is never changed by a scan."
}

// listed joins addresses for a sentence, naming at most ten.
func listed(addrs []string) string {
	const most = 10
	if len(addrs) <= most {
		return strings.Join(addrs, ", ")
	}
	return strings.Join(addrs[:most], ", ") + fmt.Sprintf(" and %d more", len(addrs)-most)
}

// pickWord is one when n is 1, else many.
func pickWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// plural is "1 device" or "3 devices".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
