#!/usr/bin/env bash
# The image benchmark: a `docker save` tarball of at least 300 MB built from this machine's
# real files (bench/image.py, cached under target/bench-cache/), scanned beside `tar -tf` of
# the same file. Wall time and peak RSS from GNU time; one run each.
#   bench/image.sh            # uses target/release/vigil (make bench builds it)
#   VIGIL_IMAGE_SCANNER=example bench/image.sh   # times the inventory crate alone (no engine)
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=target/bench-cache
IMAGE=$CACHE/image-bench.tar
mkdir -p "$CACHE"
NODE_MODULES=${NODE_MODULES:-ui/node_modules}
if [ ! -f "$IMAGE" ]; then
  echo "building $IMAGE from this machine's files..." >&2
  python3 bench/image.py "$IMAGE" "$NODE_MODULES"
fi
GZ=$CACHE/image-bench.tar.gz
if [ ! -f "$GZ" ]; then
  echo "compressing it as docker save | gzip would..." >&2
  gzip -1 -c "$IMAGE" >"$GZ.part" && mv "$GZ.part" "$GZ"
fi
bytes=$(stat -c %s "$IMAGE")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }')
if [ "$mb" -lt 300 ]; then
  echo "warning: $IMAGE is only $mb MB (this machine has fewer files than expected)" >&2
fi

case "${VIGIL_IMAGE_SCANNER:-cli}" in
  cli)
    SCAN=(target/release/vigil --data-dir "$CACHE/vigil-data" scan --format json)
    label="vigil scan --format json" ;;
  example)
    cargo build -q --release -p vigil-inventory --example scan_image
    SCAN=(target/release/examples/scan_image)
    label="scan_paths (example binary)" ;;
esac

rows=()
measure() {
  local label=$1 mb=$2; shift 2
  /usr/bin/time -f '%e %M' -o "$CACHE/time.txt" "$@" >"$CACHE/last.out" 2>"$CACHE/last.err" || {
    echo "benchmark '$label' failed:" >&2; tail -5 "$CACHE/last.err" >&2; exit 1; }
  read -r secs kb <"$CACHE/time.txt"
  local rate
  rate=$(awk -v m="$mb" -v s="$secs" 'BEGIN { printf "%.0f MB/s", (s > 0 ? m / s : m / 0.01) }')
  rows+=("$(printf '%-44s %10s %12s %12s' "$label" "${secs}s" "$rate" "$((kb / 1024)) MB")")
}

cat "$IMAGE" >/dev/null # the same page cache for both
gz_mb=$(awk -v b="$(stat -c %s "$GZ")" 'BEGIN { printf "%.0f", b / 1048576 }')
cat "$GZ" >/dev/null
measure "cat > /dev/null (read the file once)" "$mb" bash -c 'cat "$1" >/dev/null' _ "$IMAGE"
measure "tar -tf (the image's own entries)" "$mb" tar -tf "$IMAGE"
measure "tar -xOf | tar -ti (every layer's entries)" "$mb" bash -c 'tar -xOf "$1" --wildcards "*/layer.tar" | tar -ti >/dev/null' _ "$IMAGE"
measure "$label (.tar)" "$mb" "${SCAN[@]}" "$IMAGE"
measure "tar -tzf (.tar.gz, $gz_mb MB)" "$gz_mb" tar -tzf "$GZ"
measure "$label (.tar.gz, $gz_mb MB)" "$gz_mb" "${SCAN[@]}" "$GZ"

echo
echo "Image benchmark ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $IMAGE: $mb MB)"
printf '%-44s %10s %12s %12s\n' "BENCHMARK" "WALL" "RATE" "PEAK RSS"
printf '%s\n' "${rows[@]}"
if [ "${VIGIL_IMAGE_SCANNER:-cli}" = example ]; then
  echo "(scan: $(cat "$CACHE/last.out"))"
else
  echo "(scan: $(grep -c '"purl"' "$CACHE/last.out" || true) purls in the JSON)"
fi
