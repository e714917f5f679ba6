#!/usr/bin/env bash
# bench-peers.sh: whole-process discovery, sitekeeper against the peer tools,
# in one lab, one run. Brings up the lab of `make lab-up` (N simulated
# cameras answering WS-Discovery after 0–500 ms, real avahi and wsdd peers),
# then times with hyperfine, inside the lab's scanner namespace only:
#
#   sitekeeper scan --no-save --json   WS-Discovery + mDNS, ONVIF identification
#   nmap broadcast-wsdd-discover       WS-Discovery only, no identification
#   nmap broadcast-dns-service-discovery   mDNS only
#
# and counts what each found. Needs root (network namespaces), nmap and
# hyperfine (`make bench-peers` installs them). Writes out/bench-peers.txt.
#
#   scripts/bench-peers.sh            N=250
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-250}
RUNS=${RUNS:-7}
OUT=out/bench-peers.txt
[ "$(id -u)" -eq 0 ] || { echo "bench-peers: needs root (network namespaces)" >&2; exit 1; }
for t in nmap hyperfine jq; do
	command -v $t >/dev/null || { echo "bench-peers: $t is missing; run make bench-peers" >&2; exit 1; }
done
[ -x bin/sitekeeper ] || { echo "bench-peers: bin/sitekeeper is missing; run make build" >&2; exit 1; }

mkdir -p out/bench-lab
go build -o out/bench-lab/lab ./scripts/lab
out/bench-lab/lab -n "$N" -out out/bench-lab >out/bench-lab/log 2>&1 &
LAB=$!
trap 'kill $LAB 2>/dev/null; wait $LAB 2>/dev/null || true' EXIT
for _ in $(seq 200); do [ -s out/bench-lab/scanner ] && break; sleep 0.1; done
[ -s out/bench-lab/scanner ] || { echo "bench-peers: the lab did not come up:" >&2; cat out/bench-lab/log >&2; exit 1; }
NS=$(cat out/bench-lab/scanner)
in_lab() { ip netns exec "$NS" env LANG=en_US.UTF-8 "$@"; }

{
	echo "# bench-peers $(date -u +%F) N=$N runs=$RUNS on $(nproc) cores"
	cat out/bench-lab/log
	echo
	echo "## found (one run each)"
	sk=$(in_lab bin/sitekeeper scan --no-save --json 2>/dev/null)
	echo "sitekeeper scan: $(jq '.devices | length' <<<"$sk") devices, $(jq '[.devices[] | select(.manufacturer != null and .manufacturer != "")] | length' <<<"$sk") with a manufacturer, $(jq '[.devices[] | select(.mac != null and .mac != "")] | length' <<<"$sk") with a MAC"
	echo "nmap broadcast-wsdd-discover: $(in_lab nmap -sn -T5 --script broadcast-wsdd-discover 2>/dev/null | grep -o 'Address: http://[0-9.]*' | sort -u | wc -l) distinct device addresses"
	echo "nmap broadcast-dns-service-discovery: $(in_lab nmap -sn -T5 --script broadcast-dns-service-discovery 2>/dev/null | grep -o 'Address=[0-9.]*' | sort -u | wc -l) distinct host addresses"
	echo
	echo "## time (hyperfine, whole process)"
	in_lab hyperfine -N --warmup 1 --runs "$RUNS" --style basic \
		'bin/sitekeeper scan --no-save --json' \
		'nmap -sn -T5 --script broadcast-wsdd-discover' \
		'nmap -sn -T5 --script broadcast-dns-service-discovery' 2>&1
} | tee "$OUT"
