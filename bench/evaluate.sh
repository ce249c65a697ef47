#!/usr/bin/env bash
# `make bench`, policy evaluation: one application of 2,000 components (a CycloneDX SBOM made by
# bench/app_sbom.py) evaluated against the full advisory store (the synthetic 300,000-record
# dump of bench/run.sh, plus the KEV catalog) with the reference policies: the CI gate (scan,
# evaluate, store), then monitoring re-evaluating it. Wall time and peak RSS from GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${VIGIL_SHARED_DATA:-../shared/data}
OUT=bench/output
VIGIL=target/release/vigil
COMPONENTS=${EVAL_COMPONENTS:-2000}
SYNTH_RECORDS=${SYNTH_RECORDS:-300000}
CACHE=${VIGIL_BENCH_CACHE:-target/bench-cache}
mkdir -p "$OUT" "$CACHE"
if [ ! -d "$DATA/osv" ]; then
  echo "SKIPPED: $DATA/osv is missing; the evaluation benchmark needs ../shared/data" >&2
  exit 0
fi
SYNTH=$CACHE/synthetic-$SYNTH_RECORDS.zip
[ -s "$SYNTH" ] || python3 bench/synth_dump.py "$DATA/osv" "$SYNTH_RECORDS" "$SYNTH" >/dev/null
ws=$(mktemp -d)
trap 'rm -rf "$ws"' EXIT
"$VIGIL" --data-dir "$ws" db import "$SYNTH" >/dev/null
if ls "$DATA"/kev/*.json >/dev/null 2>&1; then "$VIGIL" --data-dir "$ws" db import "$DATA"/kev/known_exploited_vulnerabilities.json >/dev/null; fi
python3 bench/app_sbom.py "$DATA/osv" "$COMPONENTS" "$OUT/app-bom.json" >"$OUT/app-bom.txt"

rows=()
measure() {
  local label=$1; shift
  local status=0
  /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >"$OUT/last.out" 2>"$OUT/last.err" || status=$?
  # The gate exits 1 when a violation fails the stage: that is a result, not a failure.
  if [ "$status" -gt 1 ]; then echo "benchmark '$label' failed:" >&2; cat "$OUT/last.err" >&2; exit 1; fi
  # GNU time puts "Command exited with non-zero status 1" before its figures then.
  read -r secs kb < <(tail -n 1 "$OUT/time.txt")
  rows+=("$(printf '%-52s %10s %12s' "$label" "${secs}s" "$((kb / 1024)) MB")")
}
measure "vigil evaluate ($COMPONENTS components, release)" "$VIGIL" --data-dir "$ws" evaluate --app bench --stage release --format json --result-file "$OUT/evaluation.json" "$OUT/app-bom.json"
measure "vigil evaluate again (same scan, warm disk)" "$VIGIL" --data-dir "$ws" evaluate --app bench --stage release --format json --result-file "$OUT/evaluation.json" "$OUT/app-bom.json"
measure "vigil monitor run (re-evaluate the application)" "$VIGIL" --data-dir "$ws" monitor run --json
summary=$(python3 - "$OUT/evaluation.json" <<'PY'
import json, sys, collections
r = json.load(open(sys.argv[1]))
by = collections.Counter(v["policy"] for v in r["violations"])
print(f'{r["components"]} components, {len(r["violations"])} violations, outcome {r["outcome"]}: ' + ", ".join(f"{k} {n}" for k, n in sorted(by.items())))
PY
)
echo
echo "Vigil evaluation benchmark ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $SYNTH_RECORDS advisories in the store)"
printf '%-52s %10s %12s\n' "BENCHMARK" "WALL" "PEAK RSS"
printf '%s\n' "${rows[@]}"
echo "$(cat "$OUT/app-bom.txt"); $summary"
