package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sitekeeper/internal/inventory"
)

// The first option of each filter: no filtering.
const (
	allSites    = "All sites"
	allClasses  = "All types"
	allStates   = "Any status"
	noSiteLabel = "No site set"
	noClassText = "Type not set"
)

// devicesView is the Devices tab: the table of every device with search,
// filters and sorting, or the empty-inventory panel, or a message saying why
// the inventory could not be read.
type devicesView struct {
	u       *UI
	content *fyne.Container // a stack: exactly one of the panes below shows

	loading *widget.Label
	list    fyne.CanvasObject
	empty   fyne.CanvasObject
	failed  *fyne.Container
	failMsg *widget.Label
	failDet *widget.Label

	table    *widget.Table
	search   *widget.Entry
	siteSel  *widget.Select
	classSel *widget.Select
	stateSel *widget.Select
	count    *widget.Label

	// The loaded snapshot. It is replaced, never changed in place, so that
	// a background filter can read it while the UI shows it.
	devs    []inventory.Device
	rows    []row
	sites   []string
	visible []int32 // indexes into rows, in display order
	q       query

	// Generations tell current results from stale ones.
	loadGen, filterGen       uint64
	loadCancel, filterCancel context.CancelFunc
}

func newDevicesView(u *UI) *devicesView {
	v := &devicesView{u: u, q: query{sortCol: colName}}
	v.loading = widget.NewLabel("Opening the inventory…")
	v.loading.Alignment = fyne.TextAlignCenter
	v.list = v.buildList()
	v.empty = v.buildEmpty()
	v.failed = v.buildFailed()
	v.content = container.NewStack(container.NewCenter(v.loading), v.list, v.empty, v.failed)
	v.showPane(v.content.Objects[0])
	return v
}

func (v *devicesView) buildList() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Devices", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	add := widget.NewButtonWithIcon("Add device", theme.ContentAddIcon(), func() { v.u.openNewDevice() })
	add.Importance = widget.HighImportance
	actions := container.NewHBox(add)
	if v.u.imp != nil {
		actions.Objects = append([]fyne.CanvasObject{
			widget.NewButtonWithIcon("Import a spreadsheet", theme.UploadIcon(), v.u.chooseImportFile),
		}, actions.Objects...)
	}
	if v.u.opt.Scanner != nil {
		actions.Objects = append([]fyne.CanvasObject{
			widget.NewButtonWithIcon("Scan the network", theme.SearchIcon(), v.u.startScan),
		}, actions.Objects...)
	}
	top := container.NewBorder(nil, nil, title, actions)

	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("Search by name, IP, MAC, serial, model, site, location or notes")
	v.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	v.search.OnChanged = func(s string) { v.q.text = s; v.refilter() }

	v.siteSel = widget.NewSelect([]string{allSites}, func(s string) {
		v.q.site, v.q.noSite = s, s == noSiteLabel
		if s == allSites || s == noSiteLabel {
			v.q.site = ""
		}
		v.refilter()
	})
	classOpts := []string{allClasses}
	for _, c := range inventory.Classes {
		classOpts = append(classOpts, c.Label())
	}
	v.classSel = widget.NewSelect(append(classOpts, noClassText), func(s string) {
		v.q.class, v.q.noClass = classByLabel(s), s == noClassText
		v.refilter()
	})
	stateOpts := []string{allStates}
	for _, s := range inventory.States {
		stateOpts = append(stateOpts, s.Label())
	}
	v.stateSel = widget.NewSelect(stateOpts, func(s string) { v.q.state = stateByLabel(s); v.refilter() })
	v.siteSel.SetSelectedIndex(0)
	v.classSel.SetSelectedIndex(0)
	v.stateSel.SetSelectedIndex(0)
	filters := container.NewBorder(nil, nil, nil,
		container.NewGridWithColumns(3, v.siteSel, v.classSel, v.stateSel), v.search)

	v.table = v.buildTable()
	v.count = widget.NewLabel("")
	hint := widget.NewLabel("Click a device to see or change its details.")
	bottom := container.NewBorder(nil, nil, v.count, hint)
	return container.NewBorder(container.NewVBox(top, filters), bottom, nil, nil, v.table)
}

func (v *devicesView) buildTable() *widget.Table {
	t := widget.NewTable(
		func() (int, int) { return len(v.visible), int(numCols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		v.updateCell)
	t.ShowHeaderRow = true
	t.StickyColumnCount = 1 // the name stays in view while scrolling sideways
	t.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Alignment = widget.ButtonAlignLeading
		b.IconPlacement = widget.ButtonIconTrailingText
		b.Importance = widget.LowImportance
		return b
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= int(numCols) {
			return
		}
		c := column(id.Col)
		b.Text = columns[c].title
		b.Icon = nil
		if c == v.q.sortCol {
			b.Icon = theme.MenuDropUpIcon()
			if v.q.desc {
				b.Icon = theme.MenuDropDownIcon()
			}
		}
		b.OnTapped = func() { v.sortBy(c) }
		b.Refresh()
	}
	for c := range numCols {
		t.SetColumnWidth(int(c), columns[c].width)
	}
	t.OnSelected = func(id widget.TableCellID) {
		// Selection is only the way a click arrives: open the device and
		// clear it, so that clicking the same row again works.
		t.UnselectAll()
		if id.Row >= 0 && id.Row < len(v.visible) {
			v.u.openDevice(v.rows[v.visible[id.Row]].id)
		}
	}
	return t
}

func (v *devicesView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	text, imp := "", widget.MediumImportance
	if id.Row >= 0 && id.Row < len(v.visible) && id.Col >= 0 && id.Col < int(numCols) {
		r := &v.rows[v.visible[id.Row]]
		text = r.cells[id.Col]
		if column(id.Col) == colWarranty && r.warrantyEnded {
			imp = widget.WarningImportance
		}
	}
	if l.Text != text || l.Importance != imp {
		l.Text, l.Importance = text, imp
		l.Refresh()
	}
}

func (v *devicesView) buildFailed() *fyne.Container {
	v.failMsg = widget.NewLabel("")
	v.failMsg.Wrapping = fyne.TextWrapWord
	v.failDet = widget.NewLabel("")
	v.failDet.Wrapping = fyne.TextWrapWord
	v.failDet.SizeName = theme.SizeNameCaptionText
	title := widget.NewLabelWithStyle("SiteKeeper cannot show your devices", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	retry := widget.NewButtonWithIcon("Try again", theme.ViewRefreshIcon(), v.reload)
	box := container.NewVBox(title, v.failMsg, v.failDet, container.NewHBox(retry))
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(560, box.MinSize().Height), box))
}

// showPane shows one pane of the stack and hides the others.
func (v *devicesView) showPane(p fyne.CanvasObject) {
	for _, o := range v.content.Objects {
		if o == p {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// reload reads every device from the store, off the UI goroutine, and shows
// them; a newer reload makes an older one's result stale.
func (v *devicesView) reload() {
	if v.loadCancel != nil {
		v.loadCancel()
	}
	v.loadGen++
	gen, q := v.loadGen, v.q
	ctx, cancel := context.WithCancel(v.u.ctx)
	v.loadCancel = cancel
	v.u.background(func() func() {
		devs, err := v.u.st.Devices(ctx)
		var sites []inventory.Site
		if err == nil {
			sites, err = v.u.st.Sites(ctx)
		}
		var statuses map[string]inventory.DeviceStatus
		if err == nil {
			statuses, err = v.u.st.Statuses(ctx)
		}
		var rows []row
		var idx []int32
		if err == nil {
			rows = buildRows(devs, inventory.DateOf(time.Now()), statuses)
			idx, err = filterSort(ctx, rows, q)
		}
		names := siteNames(sites, devs)
		return func() {
			if gen != v.loadGen || errors.Is(err, context.Canceled) {
				return // a newer load, or the window closed
			}
			if err != nil {
				v.showError(err)
				return
			}
			v.devs, v.rows, v.sites = devs, rows, names
			v.setSiteOptions(names)
			v.filterGen++ // results of filters over the old rows are stale now
			if v.q != q {
				v.refilter() // the person changed the query while we loaded
			} else {
				v.show(idx)
			}
			v.u.land(len(devs) > 0)
			if len(devs) == 0 {
				v.showPane(v.empty)
			} else {
				v.showPane(v.list)
			}
		}
	})
}

func (v *devicesView) showError(err error) {
	v.failMsg.SetText(Explain(err))
	v.failDet.SetText("Details: " + err.Error())
	v.showPane(v.failed)
}

func (v *devicesView) setSiteOptions(names []string) {
	opts := append(append([]string{allSites}, names...), noSiteLabel)
	v.siteSel.SetOptions(opts)
	if sel := v.siteSel.Selected; sel != allSites && sel != noSiteLabel && !containsFold(names, sel) {
		v.siteSel.SetSelectedIndex(0) // the site is gone: show everything
	}
}

// refilter applies v.q to the loaded rows off the UI goroutine and shows
// the result unless a newer query has superseded it.
func (v *devicesView) refilter() {
	if v.table == nil {
		return // still building the widgets
	}
	if v.filterCancel != nil {
		v.filterCancel()
	}
	v.filterGen++
	gen, q, rows := v.filterGen, v.q, v.rows
	ctx, cancel := context.WithCancel(v.u.ctx)
	v.filterCancel = cancel
	v.u.background(func() func() {
		idx, err := filterSort(ctx, rows, q)
		if err != nil {
			return nil // superseded
		}
		return func() {
			if gen == v.filterGen {
				v.show(idx)
			}
		}
	})
}

func (v *devicesView) show(idx []int32) {
	v.visible = idx
	v.count.SetText(countText(len(idx), len(v.rows)))
	v.table.Refresh()
}

// refreshHealth reads the checks' statuses and updates the Health column
// in place, keeping the person's query, sort, selection and scroll; the
// window calls it when the checks record changes.
func (v *devicesView) refreshHealth() {
	gen := v.loadGen
	v.u.background(func() func() {
		statuses, err := v.u.st.Statuses(v.u.ctx)
		return func() {
			if err != nil || gen != v.loadGen || len(v.rows) != len(v.devs) {
				return // a reload is on its way, or the store is closing
			}
			for i := range v.rows {
				h := statuses[v.devs[i].ID].Health
				v.rows[i].cells[colHealth] = healthLabel(&v.devs[i], h)
				v.rows[i].keys[colHealth] = strconv.Itoa(slices.Index(healthOrder, h))
			}
			if v.table != nil {
				v.table.Refresh()
			}
		}
	})
}

// sortBy sorts by column c; a second click on the same column reverses it.
func (v *devicesView) sortBy(c column) {
	if v.q.sortCol == c {
		v.q.desc = !v.q.desc
	} else {
		v.q.sortCol, v.q.desc = c, false
	}
	v.refilter()
}

// nameOf returns the display name of the device with this ID, or "".
func (v *devicesView) nameOf(id string) string {
	for i := range v.devs {
		if v.devs[i].ID == id {
			return v.devs[i].DisplayName()
		}
	}
	return ""
}
