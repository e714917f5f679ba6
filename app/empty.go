package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// buildEmpty is the Devices view of an empty inventory: what SiteKeeper is
// for, and the ways to start: scan, import, add by hand.
func (v *devicesView) buildEmpty() fyne.CanvasObject {
	logo := canvas.NewImageFromResource(appIcon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSquareSize(96))

	title := widget.NewLabelWithStyle("Welcome to SiteKeeper", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := para("SiteKeeper keeps the list of your site's networked devices — cameras, recorders, " +
		"door controllers, intercoms and printers — in one place: where each one is, who looks after it, " +
		"and when its warranty and support end, so that you can plan and budget their replacement.")
	intro.Alignment = fyne.TextAlignCenter
	next := para("Your inventory is empty. Start with the list you already have.")
	if v.u.opt.Scanner != nil {
		next.SetText("Your inventory is empty. Let SiteKeeper look for the cameras, recorders and door " +
			"controllers on this computer's network, or start with the list you already have.")
	}
	next.Alignment = fyne.TextAlignCenter
	next.TextStyle.Bold = true

	add := widget.NewButtonWithIcon("Add a device by hand", theme.ContentAddIcon(), func() { v.u.openNewDevice() })
	var buttons []fyne.CanvasObject
	if v.u.opt.Scanner != nil {
		scan := widget.NewButtonWithIcon("Scan the network", theme.SearchIcon(), v.u.startScan)
		scan.Importance = widget.HighImportance
		buttons = append(buttons, scan)
	}
	if v.u.imp != nil {
		imp := widget.NewButtonWithIcon("Import a spreadsheet (CSV)", theme.UploadIcon(), v.u.chooseImportFile)
		if v.u.opt.Scanner == nil {
			imp.Importance = widget.HighImportance
		}
		buttons = append(buttons, imp)
	}
	buttons = append(buttons, add)
	parts := []fyne.CanvasObject{container.NewCenter(logo), title, intro, next, container.NewCenter(container.NewHBox(buttons...))}
	if v.u.imp != nil {
		parts = append(parts, widget.NewSeparator(), v.templateHint())
	}
	return container.NewVScroll(container.New(&columnLayout{width: 640}, container.NewVBox(parts...)))
}

// templateHint names the columns a spreadsheet needs, with a button to copy
// them, so that a person can prepare the file in Excel.
func (v *devicesView) templateHint() fyne.CanvasObject {
	how := para("The first row of the spreadsheet names the columns. SiteKeeper reads these; " +
		"leave a cell empty when you do not know the value:")
	// Shown with spaces so that the line wraps between names; import
	// ignores spaces around column names.
	shown := strings.ReplaceAll(csvTemplate, ",", ", ")
	header := widget.NewLabelWithStyle(shown, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	header.Wrapping = fyne.TextWrapWord
	save := para("Then save it as CSV: in Excel, File, Save As, and choose “CSV UTF-8”.")
	// Tabs, so that pasting into a spreadsheet fills one cell per name.
	copyBtn := widget.NewButtonWithIcon("Copy the column names", theme.ContentCopyIcon(), func() {
		v.u.app.Clipboard().SetContent(strings.ReplaceAll(csvTemplate, ",", "\t"))
	})
	copyBtn.Importance = widget.LowImportance
	return container.NewVBox(how, header, container.NewHBox(copyBtn), save)
}

// para is a paragraph of running text that wraps at its container's width.
func para(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// columnLayout puts one object in a column at most width wide, at the
// height its wrapped text needs: running text is hard to read when a line
// spans a whole wide window. The column is centred, or with leading at the
// top left.
type columnLayout struct {
	width   float32
	leading bool
}

func (l *columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, l.width)
	for _, o := range objs {
		// Lay out at the final width first: wrapped labels only know their
		// height once they know their width.
		o.Resize(fyne.NewSize(w, size.Height))
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(w, h))
		if l.leading {
			o.Move(fyne.NewPos(0, 0))
		} else {
			o.Move(fyne.NewPos((size.Width-w)/2, max(0, (size.Height-h)/2)))
		}
	}
}

func (l *columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(fyne.NewSize(min(o.MinSize().Width, l.width), o.MinSize().Height))
	}
	return s
}
