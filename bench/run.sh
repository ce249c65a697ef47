#!/usr/bin/env bash
# `make bench`: Vigil's figures on the real data in ../shared/data, printed as a table.
# Wall time and peak RSS come from GNU time; every figure is one run on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${VIGIL_SHARED_DATA:-../shared/data}
OUT=bench/output
VIGIL=target/release/vigil
mkdir -p "$OUT"
if [ ! -d "$DATA/osv" ]; then
  echo "SKIPPED: $DATA/osv is missing; the benchmarks need ../shared/data" >&2
  exit 0
fi
QUERY_PURLS=${QUERY_PURLS:-100000}
ws=$(mktemp -d)
trap 'rm -rf "$ws"' EXIT

rows=()
# measure LABEL UNITS COUNT -- command...   (COUNT: work items for the rate column, or -)
measure() {
  local label=$1 units=$2 count=$3; shift 4
  /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >"$OUT/last.out" 2>"$OUT/last.err" || {
    echo "benchmark '$label' failed:" >&2; cat "$OUT/last.err" >&2; exit 1; }
  read -r secs kb <"$OUT/time.txt"
  local rate="-"
  if [ "$count" != "-" ]; then rate=$(awk -v n="$count" -v s="$secs" 'BEGIN { printf "%.0f %s/s", (s > 0 ? n / s : n / 0.01), "'"$units"'" }'); fi
  rows+=("$(printf '%-44s %10s %18s %12s' "$label" "${secs}s" "$rate" "$((kb / 1024)) MB")")
}

zips=("$DATA"/osv/*.zip)
records=0
for z in "${zips[@]}"; do records=$((records + $(unzip -Z1 "$z" | grep -c '\.json$'))); done

measure "inflate every dump (unzip -p > /dev/null)" records "$records" -- bash -c 'for z in "$@"; do unzip -p "$z" >/dev/null; done' _ "${zips[@]}"
measure "vigil db import (all of shared/data/osv)" records "$records" -- "$VIGIL" --data-dir "$ws" db import "${zips[@]}"
measure "vigil db import again (nothing changes)" records "$records" -- "$VIGIL" --data-dir "$ws" db import "${zips[@]}"

# A synthetic dump of 300,000 records made from the real ones (built once, cached), imported
# into a fresh workspace beside the time it takes merely to inflate and parse it.
SYNTH_RECORDS=${SYNTH_RECORDS:-300000}
CACHE=${VIGIL_BENCH_CACHE:-target/bench-cache}
mkdir -p "$CACHE"
SYNTH=$CACHE/synthetic-$SYNTH_RECORDS.zip
[ -s "$SYNTH" ] || python3 bench/synth_dump.py "$DATA/osv" "$SYNTH_RECORDS" "$SYNTH" >/dev/null
synth_ws=$(mktemp -d)
measure "inflate + parse synthetic dump (no store)" records "$SYNTH_RECORDS" -- target/release/examples/inflate_parse "$SYNTH"
measure "vigil db import synthetic dump ($SYNTH_RECORDS)" records "$SYNTH_RECORDS" -- "$VIGIL" --data-dir "$synth_ws" db import "$SYNTH"
measure "vigil db import synthetic dump again" records "$SYNTH_RECORDS" -- "$VIGIL" --data-dir "$synth_ws" db import "$SYNTH"
rm -rf "$synth_ws"

python3 bench/purls.py "$DATA/osv" "$QUERY_PURLS" "$OUT/purls.txt"
measure "vigil query --json --stdin ($QUERY_PURLS purls)" purls "$QUERY_PURLS" -- bash -c '"$1" --data-dir "$2" query --json --stdin <"$3" >/dev/null' _ "$VIGIL" "$ws" "$OUT/purls.txt"
affected=$(bash -c '"$1" --data-dir "$2" query --json --stdin <"$3" 2>/dev/null' _ "$VIGIL" "$ws" "$OUT/purls.txt" | grep -vc '"advisories":\[\]' || true)

# Component look-ups straight through the matcher (no purl parsing, no output): one round
# cold, then nine more over the same packages, as a daily run re-checks every application.
target/release/examples/match_bench "$ws" "$OUT/purls.txt" 10 >"$OUT/match.txt"

echo
echo "Vigil benchmarks ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), ${#zips[@]} OSV dumps, $records records)"
printf '%-44s %10s %18s %12s\n' "BENCHMARK" "WALL" "RATE" "PEAK RSS"
printf '%s\n' "${rows[@]}"
echo "($affected of $QUERY_PURLS queried purls have advisories)"
echo "matcher look-ups over the same purls: $(cat "$OUT/match.txt")"
