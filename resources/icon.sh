#!/bin/sh
# icon.sh draws SiteKeeper's icon, resources/icon.png (512x512), with
# ImageMagick 6: a rounded square in deep teal-to-blue, a white shield, a
# camera lens in the shield and a green check badge. Shapes are few and
# bold so that it still reads at 32 and 16 pixels (taskbar, title bar).
#
# Run from anywhere: sh resources/icon.sh
set -eu
cd "$(dirname "$0")"
IM=/usr/bin/convert # the real ImageMagick; /usr/local/bin/convert may not be
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Background: diagonal gradient, clipped to a rounded square with a soft
#    shadow under it.
"$IM" -size 512x512 -define gradient:direction=SouthEast \
	gradient:'#14a3a6'-'#0a3563' "$tmp/grad.png"
"$IM" -size 512x512 xc:none -fill white \
	-draw 'roundrectangle 24,20 488,484 104,104' "$tmp/mask.png"
"$IM" "$tmp/grad.png" "$tmp/mask.png" -alpha off -compose CopyOpacity -composite "$tmp/tile.png"
"$IM" -size 512x512 xc:none -fill 'rgba(0,0,0,0.35)' \
	-draw 'roundrectangle 24,28 488,492 104,104' -blur 0x8 "$tmp/shadow.png"
"$IM" "$tmp/shadow.png" "$tmp/tile.png" -compose over -composite "$tmp/base.png"

# 2. Shield, white, with a faint edge so it keeps its shape on light
#    taskbars too, then the lens: dark ring, teal iris, dark pupil and a
#    highlight.
"$IM" "$tmp/base.png" \
	-fill 'rgba(255,255,255,0.16)' -stroke none \
	-draw "path 'M256,74 C306,106 360,118 414,118 L414,250 C414,350 348,416 256,456 C164,416 98,350 98,250 L98,118 C152,118 206,106 256,74 Z'" \
	-fill white \
	-draw "path 'M256,96 C302,124 350,136 396,136 L396,252 C396,338 340,396 256,432 C172,396 116,338 116,252 L116,136 C162,136 210,124 256,96 Z'" \
	-fill '#0a3563' -draw 'circle 256,258 256,168' \
	-fill '#17b3b5' -draw 'circle 256,258 256,198' \
	-fill '#062544' -draw 'circle 256,258 256,226' \
	-fill 'rgba(255,255,255,0.9)' -draw 'circle 232,234 232,220' \
	-fill 'rgba(255,255,255,0.55)' -draw 'circle 284,286 284,280' \
	"$tmp/shield.png"

# 3. Check badge, bottom right, ringed in white to stand off the shield.
"$IM" "$tmp/shield.png" \
	-fill white -draw 'circle 384,384 384,298' \
	-fill '#22b573' -draw 'circle 384,384 384,312' \
	-draw "fill none stroke white stroke-width 28 stroke-linecap round stroke-linejoin round path 'M346,388 L374,416 L424,358'" \
	-strip icon.png
echo "wrote $(pwd)/icon.png"
