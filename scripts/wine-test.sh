#!/usr/bin/env bash
# wine-test.sh: run the Windows build, bin/sitekeeper.exe, under wine.
#
#  1. Build the bcryptprimitives.dll shim from ../shared/wine (wine 8 lacks
#     ProcessPrng, which Go >= 1.24 programs need) and make a fresh
#     WINEPREFIX in out/wine/prefix.
#  2. Command line: `version`; `import` of scripts/testdata/smoke.csv into the
#     DEFAULT inventory, which must land in %APPDATA%\SiteKeeper\inventory.db
#     inside the prefix; `devices --json` and `devices --csv`, compared with
#     what the Linux binary prints for the same CSV (ids and first/last seen
#     times differ by nature and are dropped before comparing); the same
#     through cmd.exe with a `>` redirect.
#  3. internal/console's tests, built for Windows, run under wine.
#  4. GUI: start the .exe under Xvfb, wait for its window (60 s), screenshot
#     it to out/wine/window.png and check it is not blank; then wineserver -k.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-x11.sh

EXE=${EXE:-bin/sitekeeper.exe}
LINUX_BIN=${LINUX_BIN:-bin/sitekeeper}
SHARED=${SHARED_DIR:-../shared}
OUT=out/wine
CSV=scripts/testdata/smoke.csv
WINDOW_TIMEOUT=${WINDOW_TIMEOUT:-60}

# Fyne parses LANG itself and logs an error for C.UTF-8; no generated locale
# is needed for en_US.UTF-8.
lx() { LANG=en_US.UTF-8 "$LINUX_BIN" "$@"; }
fail() { echo "wine-test: FAIL: $*" >&2; exit 1; }
[ -f "$SHARED/wine/bcryptprimitives.c" ] && [ -f "$SHARED/wine/bcryptprimitives.def" ] ||
	fail "$SHARED/wine/bcryptprimitives.{c,def} not found: the shared/ directory must sit beside the repository (or set SHARED_DIR)"
[ -f "$EXE" ] || fail "$EXE is missing; run 'make windows' first"
[ -x "$LINUX_BIN" ] || fail "$LINUX_BIN is missing; run 'make build' first"
command -v wine >/dev/null || fail "wine is not installed; run 'make deps-test'"

rm -rf "$OUT"
mkdir -p "$OUT"
export WINEPREFIX=$PWD/$OUT/prefix WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko install prompts: SiteKeeper needs neither.
export WINEDLLOVERRIDES="mscoree=;mshtml="
XVFB_PID= APP_PID=
tmp=$(mktemp -d)
cleanup() {
	wineserver -k 2>/dev/null || true
	stop_pid "$APP_PID"
	stop_pid "$XVFB_PID"
	rm -rf "$tmp"
}
trap cleanup EXIT

# 1. Prefix and shim.
x86_64-w64-mingw32-gcc -shared -O2 -o "$OUT/bcryptprimitives.dll" \
	"$SHARED/wine/bcryptprimitives.c" "$SHARED/wine/bcryptprimitives.def" -ladvapi32
# Every wine call runs with the X server already up. A wine session
# (wineserver) started without DISPLAY keeps its display-less desktop, and a
# GUI program started into it while it lingers fails with "Win32: Failed to
# create helper window" (seen, and reproduced, with wine 8.0).
XVFB_LOG=$OUT/xvfb.log start_xvfb
t0=$(now_ms)
wine wineboot --init >"$OUT/wineboot.log" 2>&1 </dev/null
wineserver -w
echo "wine-test: $(wine --version) prefix ready in $(($(now_ms) - t0)) ms"
cp "$OUT/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"

# 2. The command line. wine hands a program the Unix process's stdin, stdout
# and stderr as its standard handles, GUI subsystem or not.
ver=$(wine "$EXE" version </dev/null 2>"$OUT/version.err") || fail "'sitekeeper.exe version' exited $?: $(cat "$OUT/version.err")"
[ -n "$ver" ] || fail "'sitekeeper.exe version' printed nothing on stdout"
ver=${ver//$'\r'/}
linux_ver=$(lx version)
echo "wine-test: sitekeeper.exe version: $ver (Linux: $linux_ver)"
[ "$ver" = "$linux_ver" ] || fail "'version' differs: Windows '$ver', Linux '$linux_ver'"

wine "$EXE" import "$CSV" </dev/null >"$OUT/import.out" 2>"$OUT/import.err" ||
	fail "'sitekeeper.exe import' exited $?: $(cat "$OUT/import.err")"
shopt -s nullglob
dbs=("$WINEPREFIX"/drive_c/users/*/AppData/Roaming/SiteKeeper/inventory.db)
shopt -u nullglob
[ ${#dbs[@]} -eq 1 ] || fail "no default inventory at drive_c/users/*/AppData/Roaming/SiteKeeper/inventory.db; the prefix has: $(cd "$WINEPREFIX/drive_c" && find users -name '*.db' | tr '\n' ' ')"
echo "wine-test: default inventory at ${dbs[0]#"$PWD"/}"

wine "$EXE" devices --json </dev/null >"$OUT/devices.json" 2>"$OUT/devices.err" ||
	fail "'sitekeeper.exe devices --json' exited $?: $(cat "$OUT/devices.err")"
wine "$EXE" devices --csv </dev/null >"$OUT/devices.csv" 2>>"$OUT/devices.err" ||
	fail "'sitekeeper.exe devices --csv' exited $?: $(cat "$OUT/devices.err")"
lx --db "$tmp/inv.db" import "$CSV" >/dev/null 2>&1 || fail "the Linux binary could not import $CSV"
lx --db "$tmp/inv.db" devices --json >"$OUT/devices-linux.json"
lx --db "$tmp/inv.db" devices --csv >"$OUT/devices-linux.csv"

normalise() { jq -S 'map(del(.id, .first_seen, .last_seen)) | sort_by(.name, .ip)' "$1"; }
n=$(jq length "$OUT/devices.json")
[ "$n" -eq "$(($(wc -l <"$CSV") - 1))" ] || fail "devices --json under wine lists $n devices"
diff -u <(normalise "$OUT/devices-linux.json") <(normalise "$OUT/devices.json") >"$OUT/devices-json.diff" ||
	fail "devices --json differs between Linux and wine; see $OUT/devices-json.diff"
diff -u <(sort "$OUT/devices-linux.csv") <(sort "$OUT/devices.csv") >"$OUT/devices-csv.diff" ||
	fail "devices --csv differs between Linux and wine; see $OUT/devices-csv.diff"
echo "wine-test: devices --json and --csv match the Linux binary's ($n devices)"

# The same through cmd.exe with a redirect, as a person types it on Windows.
wine cmd /c "$(winepath -w "$EXE") devices --json > $(winepath -w "$PWD/$OUT")\\devices-cmd.json" </dev/null >"$OUT/cmd.out" 2>&1 ||
	fail "cmd /c sitekeeper.exe devices --json > file exited $?: $(cat "$OUT/cmd.out")"
diff -q <(normalise "$OUT/devices.json") <(normalise "$OUT/devices-cmd.json") >/dev/null ||
	fail "devices --json redirected by cmd.exe differs from the direct run"
echo "wine-test: cmd.exe redirect (> file) keeps working"

# 3. internal/console under wine.
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$OUT/console.test.exe" ./internal/console
wine "$OUT/console.test.exe" -test.v </dev/null >"$OUT/console-test.log" 2>&1 ||
	fail "internal/console tests failed under wine: $(cat "$OUT/console-test.log")"
echo "wine-test: internal/console tests pass under wine"

# 4. The GUI, on the default inventory imported above.
t0=$(now_ms)
(offline wine "$EXE") </dev/null >"$OUT/app.log" 2>&1 &
APP_PID=$!
wid=$(wait_window '^SiteKeeper($| )' "$WINDOW_TIMEOUT" "$APP_PID") ||
	fail "no SiteKeeper window under wine; app log: $(cat "$OUT/app.log")"
window_ms=$(($(now_ms) - t0))
wait_rendered "$wid" "$OUT/window.png" "$WINDOW_TIMEOUT" ||
	fail "the window under wine did not draw; see $OUT/window.png"
kill -0 "$APP_PID" 2>/dev/null || fail "sitekeeper.exe exited; app log: $(cat "$OUT/app.log")"
sd=$(stddev "$OUT/window.png")
echo "wine-test: window after ${window_ms} ms, settled after $(($(now_ms) - t0)) ms, screenshot stddev $sd"
wineserver -k
stop_pid "$APP_PID"
APP_PID=
awk -v s="$sd" 'BEGIN { exit !(s > 0.02) }' || fail "out/wine/window.png is blank (standard deviation $sd)"
echo "wine-test: PASS (screenshot: $OUT/window.png)"
