#!/usr/bin/env bash
# apt-ensure.sh PKG...: install the Debian/Ubuntu packages that are missing,
# and nothing else. When everything is installed it does not touch apt at
# all (no `apt-get update`), so it is cheap to run before every build.
#
# Runs apt-get as root, through sudo when not root, and otherwise prints the
# exact command to run and fails. Before installing it makes sure
# /usr/sbin/policy-rc.d exits 101, so that no package starts a daemon.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 PKG..." >&2; exit 2; }

missing=()
for p in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "apt-ensure: missing: ${missing[*]}" >&2
install=(apt-get install -y -q --no-install-recommends "${missing[@]}")

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1; then
	sudo=(sudo)
else
	echo "apt-ensure: not root and no sudo; as root, run:" >&2
	echo "  apt-get update && ${install[*]}" >&2
	exit 1
fi

# No daemon may start on this machine's network from a package install:
# policy-rc.d exiting 101 tells invoke-rc.d "action forbidden".
prc=/usr/sbin/policy-rc.d
if [ ! -e "$prc" ]; then
	echo "apt-ensure: creating $prc (exit 101: packages start no services)" >&2
	printf '#!/bin/sh\n# Created by SiteKeeper scripts/apt-ensure.sh: packages start no services.\nexit 101\n' |
		"${sudo[@]}" tee "$prc" >/dev/null
	"${sudo[@]}" chmod 755 "$prc"
	# Only for this install: a developer's later installs are their own.
	trap '"${sudo[@]}" rm -f "$prc"' EXIT
fi
rc=0
"$prc" >/dev/null 2>&1 || rc=$?
if [ "$rc" -ne 101 ]; then
	echo "apt-ensure: $prc exits $rc, not 101: a package install could start daemons." >&2
	echo "  Make it 'exit 101' (or install by hand): ${install[*]}" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" "${install[@]}"
