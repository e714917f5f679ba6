#!/usr/bin/env bash
# windows.sh: cross-build bin/sitekeeper.exe for Windows amd64 with mingw:
# GUI subsystem (-H=windowsgui), the build tags of the Linux build, and the
# icon, version and a manifest embedded as Windows resources.
#
# The resources come from go-winres (pinned, installed into $TOOLS) as
# rsrc_windows_amd64.syso beside main.go, where the Go linker picks it up for
# Windows builds only. It is generated (ignored by git, removed by `make
# clean`) and replaced atomically, never deleted mid-build: `make test` runs
# `go vet` beside this build, and a .syso vanishing under it fails vet.
# make package-windows leaves it out of its copy (fyne adds its own). When
# go-winres cannot be installed (no module proxy), the .exe is built without
# an icon and a warning says so. WINRES=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${VERSION:?}" "${APP_VERSION:?}" "${APP_BUILD:=1}" "${TAGS:=migrated_fynedo}"
: "${MINGW_CC:=x86_64-w64-mingw32-gcc}" "${TOOLS:=$PWD/bin/tools}" "${GOWINRES_VERSION:=v0.3.3}"
command -v "$MINGW_CC" >/dev/null ||
	{ echo "windows: $MINGW_CC not found; run 'make deps-test'" >&2; exit 1; }

syso=rsrc_windows_amd64.syso
if [ "${WINRES:-1}" = 1 ]; then
	if [ ! -x "$TOOLS/go-winres" ]; then
		GOBIN=$TOOLS go install "github.com/tc-hib/go-winres@$GOWINRES_VERSION" ||
			echo "windows: WARNING: could not install go-winres; building without the icon" >&2
	fi
	if [ -x "$TOOLS/go-winres" ]; then
		# Windows file versions are four numbers: 0.1.0 build 1 -> 0.1.0.1.
		winver="$APP_VERSION.$APP_BUILD"
		mkdir -p out
		gen=$(mktemp -d out/winres.XXXXXX) # same file system: the mv below is a rename
		trap 'rm -rf "$gen"' EXIT
		"$TOOLS/go-winres" simply --arch amd64 --out "$gen/rsrc" --manifest gui \
			--icon resources/icon.png --product-name SiteKeeper --file-description SiteKeeper \
			--original-filename sitekeeper.exe --product-version "$winver" --file-version "$winver"
		cmp -s "$gen/$syso" "$syso" || mv -f "$gen/$syso" "$syso"
	fi
elif [ -e "$syso" ]; then
	rm -f "$syso"
fi

mkdir -p bin
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$MINGW_CC" \
	go build -buildvcs=false -tags "$TAGS" -ldflags "-H=windowsgui -X main.version=$VERSION" -o bin/sitekeeper.exe .
echo "windows: $(file -b bin/sitekeeper.exe | cut -d, -f1), $(stat -c %s bin/sitekeeper.exe) bytes: bin/sitekeeper.exe"
