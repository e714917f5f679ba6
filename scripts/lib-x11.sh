# lib-x11.sh: helpers for running a GUI under Xvfb, sourced by smoke.sh and
# wine-test.sh. Needs Xvfb, xdotool and ImageMagick (import, compare,
# convert). No window manager runs: windows sit at (0,0), undecorated.

# The real ImageMagick; /usr/local/bin/convert may be a stand-in on some
# machines, so name the Debian one when it is there.
IM_CONVERT=/usr/bin/convert
[ -x "$IM_CONVERT" ] || IM_CONVERT=convert

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# start_xvfb: start Xvfb on a display it picks itself (-displayfd), export
# DISPLAY and set XVFB_PID. Returns once the server accepts clients.
start_xvfb() {
	local dfile i
	dfile=$(mktemp)
	Xvfb -displayfd 3 -screen 0 "${XVFB_SCREEN:-1280x800x24}" -nolisten tcp \
		3>"$dfile" >"${XVFB_LOG:-/dev/null}" 2>&1 &
	XVFB_PID=$!
	for i in $(seq 100); do
		[ -s "$dfile" ] && break
		kill -0 "$XVFB_PID" 2>/dev/null || { echo "Xvfb did not start" >&2; return 1; }
		sleep 0.1
	done
	[ -s "$dfile" ] || { echo "Xvfb gave no display number within 10 s" >&2; return 1; }
	DISPLAY=:$(head -1 "$dfile")
	export DISPLAY
	rm -f "$dfile"
}

# stop_pid PID: SIGTERM, then SIGKILL after 5 s; never fails.
stop_pid() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# wait_window NAME TIMEOUT_S [PID]: print the id of the first visible window
# whose title matches NAME, polling every 50 ms. Fails when TIMEOUT_S passes
# or PID (the program that should open it) exits first.
wait_window() {
	local name=$1 timeout=$2 pid=${3:-} deadline wid
	deadline=$(($(now_ms) + timeout * 1000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		wid=$(xdotool search --onlyvisible --name "$name" 2>/dev/null | head -1 || true)
		if [ -n "$wid" ]; then
			echo "$wid"
			return 0
		fi
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			echo "the program exited before its window appeared" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "no visible window named '$name' within ${timeout} s" >&2
	return 1
}

# stddev PNG: the standard deviation of the picture's pixels, 0 (one flat
# colour: blank) to ~0.5.
stddev() { "$IM_CONVERT" "$1" -format '%[fx:standard_deviation]' info:; }

# wait_rendered WID OUT.png TIMEOUT_S [MIN_STDDEV]: screenshot the window
# every 250 ms until it is not blank (standard deviation above MIN_STDDEV,
# default 0.02) and two shots in a row are the same but for a few hundred
# pixels (a blinking text cursor), i.e. the first frames are drawn and the
# content has settled. Leaves the last shot in OUT.png.
# Fails on timeout, with the last shot left in place for a look.
wait_rendered() {
	local wid=$1 out=$2 timeout=$3 min=${4:-0.02} deadline prev sd ae
	prev=$(mktemp --suffix=.png)
	deadline=$(($(now_ms) + timeout * 1000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		if import -window "$wid" "$out" 2>/dev/null; then
			sd=$(stddev "$out")
			if awk -v s="$sd" -v m="$min" 'BEGIN { exit !(s > m) }' && [ -s "$prev" ]; then
				ae=$(compare -metric AE "$prev" "$out" null: 2>&1 || true)
				ae=${ae%%[!0-9]*}
				if [ -n "$ae" ] && [ "$ae" -le "${SETTLE_PIXELS:-400}" ]; then
					rm -f "$prev"
					return 0
				fi
			fi
			cp "$out" "$prev"
		fi
		sleep 0.25
	done
	rm -f "$prev"
	echo "the window did not settle on a non-blank picture within ${timeout} s (last stddev ${sd:-none})" >&2
	return 1
}

# offline CMD...: exec CMD in a network namespace of its own with nothing
# but a loopback: the window's background health checks ping and connect to
# the devices of the inventory it opens, and a test must never send that
# to this machine's network. X still works (the server's socket file in
# /tmp/.X11-unix). Call it in a background subshell: `offline app &`; the
# subshell becomes the app, so $! is the app's PID.
offline() {
	if [ "$(id -u)" -eq 0 ]; then
		exec unshare --net -- "$@"
	fi
	exec unshare --map-root-user --net -- "$@"
}
