#!/usr/bin/env bash
# package-windows.sh: bin/SiteKeeper.exe with `fyne package -os windows
# --release`: icon, manifest and version resources from FyneApp.toml, the
# migrated_fynedo tag from its [Migrations] table, -H=windowsgui.
#
# fyne package rewrites FyneApp.toml on every run (Build += 1, reformatted),
# so it runs on a copy of the tree in out/package-windows/ and the tree stays
# clean. The result must report the version: checked with strings(1). It
# also adds hardening CFLAGS, so it does not share the cgo cache
# with `make windows`: the first run rebuilds go-gl (~6 min), later runs take
# seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${VERSION:?}" "${MINGW_CC:=x86_64-w64-mingw32-gcc}" "${TOOLS:=$PWD/bin/tools}" "${FYNE_CLI_VERSION:=v1.7.4}"
command -v "$MINGW_CC" >/dev/null ||
	{ echo "package-windows: $MINGW_CC not found; run 'make deps-test'" >&2; exit 1; }
if ! "$TOOLS/fyne" version 2>/dev/null | grep -q "cli version: $FYNE_CLI_VERSION\$"; then
	GOBIN=$TOOLS go install "fyne.io/tools/cmd/fyne@$FYNE_CLI_VERSION"
fi

work=$PWD/out/package-windows
rm -rf "$work"
mkdir -p "$work/src"
tar --exclude=./.git --exclude=./bin --exclude=./out --exclude='./rsrc_windows_*.syso' -cf - . |
	tar -xf - -C "$work/src"
before=$(sha256sum FyneApp.toml)

# fyne takes -ldflags only from GOFLAGS (adding -H=windowsgui -s -w), and
# on Windows it builds twice: once, then again after writing its .syso. The
# first build strips -ldflags out of GOFLAGS for good, so the second, shipped
# build would say "sitekeeper dev" (fyne-io/tools#17, fyne-io/fyne#4368).
# An existing --executable skips the first build, so the one build there is
# gets the version.
: >"$work/src/sitekeeper.exe"
(cd "$work/src" &&
	CC="$MINGW_CC" GOFLAGS="${GOFLAGS:-} -ldflags=-X=main.version=$VERSION" \
		"$TOOLS/fyne" package --os windows --release --executable sitekeeper.exe)

mkdir -p bin
mv "$work/src/SiteKeeper.exe" bin/SiteKeeper.exe
strings bin/SiteKeeper.exe | grep -F "$VERSION" >/dev/null ||
	{ echo "package-windows: bin/SiteKeeper.exe lacks version $VERSION" >&2; exit 1; }
echo "$before" | sha256sum --quiet -c - ||
	{ echo "package-windows: FyneApp.toml in the tree changed" >&2; exit 1; }
rm -rf "$work" # a whole copy of the tree; kept only when something failed
echo "package-windows: $(file -b bin/SiteKeeper.exe | cut -d, -f1), $(stat -c %s bin/SiteKeeper.exe) bytes: bin/SiteKeeper.exe"
