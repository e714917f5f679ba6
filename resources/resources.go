// Package resources holds the files SiteKeeper embeds: the app icon, as plain
// bytes, so that the GUI and the report writer can both use them without
// either importing the other's toolkit.
package resources

import _ "embed"

// Icon is SiteKeeper's icon, a 512x512 PNG. icon.sh regenerates it.
//
//go:embed icon.png
var Icon []byte
