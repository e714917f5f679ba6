#!/usr/bin/env bash
# bench-report.sh: the plan and reports of 10,000 generated devices, end to
# end through the real binary, next to a peer measured in the same run.
#
#   scripts/bench-report.sh        -> out/bench-report.txt
#
# Each command runs RUNS times (default 6) under /usr/bin/time; the table
# gives the median wall time and the median peak RSS. The peer is GNU groff
# (tbl, the PDF device) typesetting the plan's 10,000 rows as a table,
# from a file prepared beforehand: it reads no inventory and makes no plan,
# so it is a floor for "10,000 rows to PDF", not the same work. BIN
# overrides the binary (default bin/sitekeeper); REPORT_DEVICES the count.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-bin/sitekeeper}
N=${REPORT_DEVICES:-10000}
RUNS=${RUNS:-6}
OUT=out/bench-report.txt
[ -x "$BIN" ] || { echo "bench-report: $BIN is missing; run 'make build' first" >&2; exit 1; }
for t in /usr/bin/time groff jq; do
	command -v "$t" >/dev/null || { echo "bench-report: $t is missing; run: scripts/apt-ensure.sh time groff jq" >&2; exit 1; }
done
mkdir -p out
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go run ./scripts/gen -n "$N" >"$tmp/devices.csv"
"$BIN" --db "$tmp/site.db" import "$tmp/devices.csv" 2>/dev/null

# measure NAME CMD...: RUNS runs; one line "NAME median-seconds median-RSS-MB".
measure() {
	local name=$1
	shift
	: >"$tmp/times"
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
		cat "$tmp/t" >>"$tmp/times"
	done
	awk -v name="$name" '{ s[NR] = $1; m[NR] = $2 }
		function median(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
		END { printf "%-34s %8.2f s %8.0f MB  (%d runs)\n", name, median(s, NR), median(m, NR) / 1024, NR }' "$tmp/times"
}

# The peer's input: the plan's rows as a tbl table on A4 with the -ms
# macros (the header repeated on every page, the reason wrapped in a text
# block, as the IT report wraps it).
"$BIN" --db "$tmp/site.db" plan --from 2027-01-01 --json 2>/dev/null |
	jq -r '.devices[] | [.name, .site, .class, .replace_in, .cost, .reason] | map((. // "") | tostring | "\\&" + gsub("\\\\"; "\\e")) | (.[0:5] | join("\t")) + "\tT{\n" + .[5] + "\nT}"' >"$tmp/rows"
{
	printf '.nr LL 18c\n.nr PO 1.5c\n.nr PS 7\n.nr VS 9\n.LP\n.TS H\nbox tab(\t);\nlb lb lb lb rb lb\nl l l l r lw(5.5c).\nDevice\tSite\tClass\tReplace in\tCost\tWhy\n.TH\n'
	cat "$tmp/rows"
	printf '.TE\n'
} >"$tmp/plan.tr"

{
	echo "# scripts/bench-report.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $N devices, $(nproc) cores, $BIN $("$BIN" version 2>/dev/null | cut -d' ' -f2)"
	measure "plan --json" "$BIN" --db "$tmp/site.db" plan --from 2027-01-01 --json
	measure "report --audience it (PDF)" "$BIN" --db "$tmp/site.db" report --audience it --from 2027-01-01 --out "$tmp/it.pdf"
	measure "report --audience ot (PDF)" "$BIN" --db "$tmp/site.db" report --audience ot --from 2027-01-01 --out "$tmp/ot.pdf"
	measure "report --out plan.xlsx" "$BIN" --db "$tmp/site.db" report --from 2027-01-01 --out "$tmp/plan.xlsx"
	measure "peer: groff -ms -t -Tpdf, plan rows" groff -ms -t -Tpdf -dpaper=a4 -P-pa4 "$tmp/plan.tr"
	groff -ms -t -Tpdf -dpaper=a4 -P-pa4 "$tmp/plan.tr" >"$tmp/peer.pdf" 2>/dev/null
	for f in it ot peer; do
		echo "$f.pdf: $(stat -c %s "$tmp/$f.pdf") bytes, $(pdfinfo "$tmp/$f.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }') pages"
	done
} | tee "$OUT"
