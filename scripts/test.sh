#!/usr/bin/env bash
# test.sh: the steps of `make test` (after `make deps-test`), in order, each a
# make target of its own. A failing step does not stop the others, but a
# step whose prerequisite failed is skipped (smoke needs build; wine-test
# needs build and windows). Ends with one plain line,
#   make test: N passed, M failed[, K skipped]
# and a non-zero exit if anything failed.
#
# The Windows cross-build is the longest step (~6 min cold, mostly
# single-threaded cgo), so by default it starts in the background at the
# beginning and the `windows` step waits for it: on 2 cores the two cold
# builds overlap well. PARALLEL_WINDOWS=0 runs it in its turn instead.
set -uo pipefail
cd "$(dirname "$0")/.."

MAKE=${MAKE:-make}
steps=(fmt-check vet check-deps unit build smoke windows wine-test)
declare -A needs=([smoke]="build" [wine-test]="build windows")
declare -A result=()
log=out/test
mkdir -p "$log"
: >"$log/timings.txt"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

win_pid=
trap '[ -n "$win_pid" ] && kill "$win_pid" 2>/dev/null' EXIT
if [ "${PARALLEL_WINDOWS:-1}" = 1 ]; then
	echo "==> windows (started in the background; log: $log/windows.log)"
	win_start=$(now)
	$MAKE windows >"$log/windows.log" 2>&1 &
	win_pid=$!
fi

passed=0 failed=0 skipped=0
for step in "${steps[@]}"; do
	missing=
	for n in ${needs[$step]:-}; do
		[ "${result[$n]:-}" = pass ] || missing="$missing $n"
	done
	if [ -n "$missing" ]; then
		echo "==> $step: SKIPPED (needs$missing)"
		result[$step]=skip
		skipped=$((skipped + 1))
		continue
	fi
	echo "==> $step"
	start=$(now)
	if [ "$step" = windows ] && [ -n "$win_pid" ]; then
		wait "$win_pid"
		rc=$?
		win_pid=
		start=$win_start
		cat "$log/windows.log"
	else
		$MAKE "$step"
		rc=$?
	fi
	t=$(secs "$start" "$(now)")
	echo "$step $t s $([ $rc -eq 0 ] && echo pass || echo FAIL)" >>"$log/timings.txt"
	if [ $rc -eq 0 ]; then
		echo "==> $step: ok (${t} s)"
		result[$step]=pass
		passed=$((passed + 1))
	else
		echo "==> $step: FAILED (exit $rc, ${t} s)"
		result[$step]=fail
		failed=$((failed + 1))
	fi
done

echo
echo "Step timings (s):"
sed 's/^/  /' "$log/timings.txt"
summary="make test: $passed passed, $failed failed"
[ $skipped -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ $failed -eq 0 ] && [ $skipped -eq 0 ]
