// Package resources holds the files SiteKeeper embeds: the app icon, as plain
// bytes, so that the GUI and the report writer can both use them without
// either importing the other's toolkit.
package resources

import _ "embed"

// Icon is SiteKeeper's icon, a 512x512 PNG. icon.sh regenerates it.
//
//go:embed icon.png
var Icon []byte

// FontRegular and FontBold are DejaVu Sans Condensed 2.37 (Debian's
// fonts-dejavu-core; free licence in fonts/LICENSE), the reports' type:
// it covers every European script's accents, em dashes and currency signs,
// and is narrow enough for wide inventory tables.
//
//go:embed fonts/DejaVuSansCondensed.ttf
var FontRegular []byte

//go:embed fonts/DejaVuSansCondensed-Bold.ttf
var FontBold []byte
