#!/usr/bin/env bash
# smoke.sh: run the real Linux binary end to end. Import a CSV through the
# CLI into a fresh inventory, open the GUI on it under Xvfb, wait for the
# window and for it to draw, screenshot it, check the picture is not blank
# and the program is still running, then close everything.
#
#   scripts/smoke.sh                       8 devices from scripts/testdata/smoke.csv -> out/smoke/
#   SMOKE_DEVICES=10000 scripts/smoke.sh   10,000 generated devices              -> out/smoke-10000/
#
# Writes devices.png and metrics.txt (time to first window, time until the
# picture settles, RSS after load) to the output directory. BIN overrides
# the binary (default bin/sitekeeper).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib-x11.sh

BIN=${BIN:-bin/sitekeeper}
N=${SMOKE_DEVICES:-}
if [ -n "$N" ]; then OUT=out/smoke-$N; else OUT=out/smoke; fi
WINDOW_TIMEOUT=${WINDOW_TIMEOUT:-20}
[ -x "$BIN" ] || { echo "smoke: $BIN is missing; run 'make build' first" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
tmp=$(mktemp -d)
APP_PID= XVFB_PID=
cleanup() {
	stop_pid "$APP_PID" # the app first: killing Xvfb under it gives an XIO error
	stop_pid "$XVFB_PID"
	rm -rf "$tmp"
}
trap cleanup EXIT

# Keep the run away from the user's own settings and inventory.
export XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
# Fyne parses LANG itself (no generated locale needed) and logs an error for
# C.UTF-8, so give our binary a real one and leave the shell's alone.
sk() { LANG=en_US.UTF-8 "$BIN" "$@"; }

csv=scripts/testdata/smoke.csv
if [ -n "$N" ]; then
	csv=$tmp/devices.csv
	go run ./scripts/gen -n "$N" >"$csv"
fi
count=$(($(wc -l <"$csv") - 1))
t0=$(now_ms)
sk --db "$tmp/inv.db" import "$csv" >"$OUT/import.log" 2>&1 ||
	{ echo "smoke: import failed:" >&2; cat "$OUT/import.log" >&2; exit 1; }
import_ms=$(($(now_ms) - t0))
listed=$(sk --db "$tmp/inv.db" devices --json | jq length)
[ "$listed" -eq "$count" ] ||
	{ echo "smoke: imported $count rows but 'devices --json' lists $listed" >&2; exit 1; }
echo "smoke: imported $count devices in ${import_ms} ms"

XVFB_LOG=$OUT/xvfb.log start_xvfb
echo "smoke: Xvfb on $DISPLAY"

t0=$(now_ms)
(export LANG=en_US.UTF-8; offline "$BIN" --db "$tmp/inv.db") >"$OUT/app.log" 2>&1 &
APP_PID=$!
wid=$(wait_window '^SiteKeeper($| )' "$WINDOW_TIMEOUT" "$APP_PID") ||
	{ echo "smoke: FAIL: no window; app log:" >&2; cat "$OUT/app.log" >&2; exit 1; }
window_ms=$(($(now_ms) - t0))
wait_rendered "$wid" "$OUT/devices.png" "$WINDOW_TIMEOUT" ||
	{ echo "smoke: FAIL: see $OUT/devices.png; app log:" >&2; cat "$OUT/app.log" >&2; exit 1; }
settled_ms=$(($(now_ms) - t0))
kill -0 "$APP_PID" 2>/dev/null ||
	{ echo "smoke: FAIL: the app exited; app log:" >&2; cat "$OUT/app.log" >&2; exit 1; }
rss_kb=$(ps -o rss= -p "$APP_PID" | tr -d ' ')
geometry=$(xdotool getwindowgeometry "$wid" | sed -n 's/.*Geometry: //p')
sd=$(stddev "$OUT/devices.png")

stop_pid "$APP_PID"
APP_PID=
stop_pid "$XVFB_PID"
XVFB_PID=

cat >"$OUT/metrics.txt" <<METRICS
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
binary=$BIN
devices=$count
import_ms=$import_ms
time_to_window_ms=$window_ms
time_to_settled_ms=$settled_ms
rss_kb=$rss_kb
window=$geometry
screenshot_stddev=$sd
METRICS
echo "smoke: $count devices: first window ${window_ms} ms, settled ${settled_ms} ms, RSS $((rss_kb / 1024)) MiB"
echo "smoke: wrote $OUT/devices.png and $OUT/metrics.txt"

# A blank window (one colour) has a standard deviation of 0.
awk -v s="$sd" 'BEGIN { exit !(s > 0.02) }' ||
	{ echo "smoke: FAIL: the screenshot is blank (standard deviation $sd)" >&2; exit 1; }
grep -i 'panic\|fatal' "$OUT/app.log" >&2 && { echo "smoke: FAIL: the app log reports an error" >&2; exit 1; }
echo "smoke: PASS"
