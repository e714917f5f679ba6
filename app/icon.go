package app

import (
	"fyne.io/fyne/v2"

	"sitekeeper/resources"
)

// appIcon is SiteKeeper's icon as a Fyne resource, for the window and the
// app (the taskbar on Windows).
var appIcon = fyne.NewStaticResource("sitekeeper.png", resources.Icon)
