#!/usr/bin/env bash
# check-deps.sh: the layering rule, made mechanical (STYLE.md, "Shape"):
#  - nothing under internal/ depends on Fyne, in code or in tests, so the
#    domain builds and tests without cgo, OpenGL or a display;
#  - nothing but the main package (main.go) imports sitekeeper/app.
set -euo pipefail
cd "$(dirname "$0")/.."
rc=0

fyne=$(go list -deps -test ./internal/... | grep '^fyne\.io/' || true)
if [ -n "$fyne" ]; then
	echo "check-deps: internal/ depends on Fyne:" >&2
	# Name the internal packages that import it, directly or not.
	for p in $(go list ./internal/...); do
		if go list -deps -test "$p" | grep -q '^fyne\.io/'; then echo "  $p" >&2; fi
	done
	rc=1
fi

bad=$(go list -test -f '{{.ImportPath}} {{join .Imports " "}}' ./... |
	awk '{ p = $1; sub(/ \[.*\]$/, "", p); sub(/\.test$/, "", p)
	       for (i = 2; i <= NF; i++) if ($i == "sitekeeper/app" && p != "sitekeeper" && p != "sitekeeper/app" && p != "sitekeeper/app_test") print p }' |
	sort -u)
if [ -n "$bad" ]; then
	echo "check-deps: only main.go may import sitekeeper/app; also imported by:" >&2
	echo "$bad" | sed 's/^/  /' >&2
	rc=1
fi

[ $rc -eq 0 ] && echo "check-deps: ok (internal/ is free of Fyne; only main imports app/)"
exit $rc
