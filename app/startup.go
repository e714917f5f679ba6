package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ID is the application ID: Fyne keys preferences and storage by it.
const ID = "io.sitekeeper.app"

// ShowStartupError shows, in a small window of its own, why SiteKeeper could
// not open its inventory and what to do, then runs until that window is
// closed. Without it a double-clicked .exe whose inventory is locked or
// damaged would vanish without a word.
func ShowStartupError(a fyne.App, err error) {
	w := startupErrorWindow(a, err)
	w.ShowAndRun()
}

func startupErrorWindow(a fyne.App, err error) fyne.Window {
	a.SetIcon(appIcon)
	w := a.NewWindow("SiteKeeper cannot start")
	w.SetIcon(appIcon)
	logo := canvas.NewImageFromResource(appIcon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(64, 64))
	msg := widget.NewLabel(Explain(err))
	msg.Wrapping = fyne.TextWrapWord
	details := widget.NewLabel("Details: " + err.Error())
	details.Wrapping = fyne.TextWrapWord
	details.SizeName = theme.SizeNameCaptionText
	closeBtn := widget.NewButton("Close", w.Close)
	closeBtn.Importance = widget.HighImportance
	w.SetContent(container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), closeBtn), container.NewVBox(logo), nil,
		container.NewVBox(widget.NewLabelWithStyle("SiteKeeper cannot open its inventory", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), msg, details)))
	w.Resize(fyne.NewSize(560, 240))
	return w
}
