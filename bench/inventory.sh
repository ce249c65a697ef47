#!/usr/bin/env bash
# Inventory benchmarks: `vigil scan --format json` on a war of real jars, a real node_modules
# tree (as a folder and as a .tgz), each beside the time a standard tool takes to read the same
# file once (`unzip -t`, `tar -tzf` and `gzip -dc`, `tar -c`). Inputs are built once under
# target/bench-cache/ (never committed) from jars already on this machine and `npm install`.
# Wall time and peak RSS come from GNU time; every figure is one run on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${VIGIL_BENCH_CACHE:-target/bench-cache}
OUT=bench/output
VIGIL=target/release/vigil
mkdir -p "$CACHE" "$OUT"
if [ ! -x "$VIGIL" ]; then
  echo "bench/inventory.sh: $VIGIL is missing; run: cargo build --release -p vigil-cli" >&2
  exit 1
fi

# --- inputs -----------------------------------------------------------------------------------
# (a) A war of every distinct real jar on this machine (by content), stored under WEB-INF/lib.
WAR=$CACHE/app.war
if [ ! -s "$WAR" ]; then
  find /usr/share/java /usr/share/maven-repo /usr/lib /opt "$HOME/.m2" "$HOME/.gradle" \
    -name '*.jar' -type f 2>/dev/null >"$CACHE/jars.txt" || true
  python3 - "$CACHE/jars.txt" "$WAR" <<'PY'
import hashlib, os, sys, zipfile
paths, war = sys.argv[1], sys.argv[2]
seen, names = set(), set()
with zipfile.ZipFile(war + ".part", "w", zipfile.ZIP_DEFLATED) as out:
    out.writestr("WEB-INF/web.xml", "<web-app/>")
    for path in sorted(open(paths).read().split("\n")):
        if not path:
            continue
        data = open(path, "rb").read()
        digest = hashlib.sha1(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        name = os.path.basename(path)
        while name in names:
            name = "x-" + name
        names.add(name)
        out.writestr("WEB-INF/lib/" + name, data)
os.rename(war + ".part", war)
print(f"built {war}: {len(seen)} distinct jars", file=sys.stderr)
PY
fi
JARS=$(unzip -Z1 "$WAR" | grep -c '^WEB-INF/lib/.*\.jar$')
if [ "$JARS" -lt 150 ]; then
  echo "bench/inventory.sh: only $JARS distinct jars on this machine (need 150); the war is smaller than asked" >&2
fi

# (b) A node_modules tree of real packages, and the same tree as a .tgz.
TREE=$CACHE/npm-tree
if [ ! -f "$TREE/node_modules/.package-lock.json" ]; then
  mkdir -p "$TREE"
  npm install --prefix "$TREE" --no-audit --no-fund --ignore-scripts --loglevel=error \
    webpack@5 jest@29 eslint@8 react-scripts@5 @angular/cli@17 >/dev/null
fi
TGZ=$CACHE/node_modules.tgz
if [ ! -s "$TGZ" ]; then
  tar -czf "$TGZ.part" -C "$TREE" node_modules && mv "$TGZ.part" "$TGZ"
fi
PACKAGES=$(python3 -c 'import json,sys; print(sum(1 for k, v in json.load(open(sys.argv[1]))["packages"].items() if "node_modules/" in k and "link" not in v))' "$TREE/node_modules/.package-lock.json")

# --- measurements -----------------------------------------------------------------------------
rows=()
# measure LABEL BYTES -- command...
measure() {
  local label=$1 bytes=$2; shift 3
  /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" >"$OUT/last.out" 2>"$OUT/last.err" || {
    echo "benchmark '$label' failed:" >&2; tail -5 "$OUT/last.err" >&2; exit 1; }
  read -r secs kb <"$OUT/time.txt"
  local rate
  rate=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.0f MB/s", b / 1048576 / (s > 0 ? s : 0.01) }')
  local found="-"
  if grep -q '"components"' "$OUT/last.out" 2>/dev/null; then
    found=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["components"]), "/", len(d.get("warnings", [])))' "$OUT/last.out")
  fi
  rows+=("$(printf '%-52s %9s %12s %10s %14s' "$label" "${secs}s" "$rate" "$((kb / 1024)) MB" "$found")")
}

war_bytes=$(stat -c %s "$WAR")
tgz_bytes=$(stat -c %s "$TGZ")
tree_bytes=$(du -sb "$TREE/node_modules" | cut -f1)
files=$(find "$TREE/node_modules" -type f | wc -l)

measure "unzip -t app.war ($JARS jars)" "$war_bytes" -- unzip -tq "$WAR"
measure "vigil scan --format json app.war" "$war_bytes" -- "$VIGIL" scan --format json "$WAR"
measure "tar -tzf node_modules.tgz" "$tgz_bytes" -- tar -tzf "$TGZ"
measure "gzip -dc node_modules.tgz (inflate only)" "$tgz_bytes" -- bash -c 'gzip -dc "$1" >/dev/null' _ "$TGZ"
measure "vigil scan --format json node_modules.tgz" "$tgz_bytes" -- "$VIGIL" scan --format json "$TGZ"
measure "tar -c node_modules | cat (read every file)" "$tree_bytes" -- bash -c 'tar -C "$1" -cf - node_modules | cat >/dev/null' _ "$TREE"
measure "vigil scan --format json node_modules/" "$tree_bytes" -- "$VIGIL" scan --format json "$TREE/node_modules"

echo
echo "Vigil inventory benchmarks ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
echo "app.war: $((war_bytes / 1048576)) MB, $JARS nested jars; node_modules: $PACKAGES packages, $files files, $((tree_bytes / 1048576)) MB; node_modules.tgz: $((tgz_bytes / 1048576)) MB"
printf '%-52s %9s %12s %10s %14s\n' "BENCHMARK" "WALL" "RATE" "PEAK RSS" "COMPONENTS/WARN"
printf '%s\n' "${rows[@]}"
