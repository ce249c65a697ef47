#!/usr/bin/env bash
# `make bench`, notifications: alerts routed by a plan into the outbox in the run's
# transaction, then delivered to a loopback webhook receiver (tests/servers/http_receiver.py,
# no signature). Two shapes of the same 10,000 alerts: 1,000 applications × 10 (one webhook
# delivery per application and run: 1,000 deliveries), and 10,000 applications × 1 (10,000
# deliveries). Prints routing time, delivery time, deliveries/s and peak RSS (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/output
TARGET=${CARGO_TARGET_DIR:-target}
BENCH=$TARGET/release/examples/notify_bench
SHAPES=${NOTIFY_SHAPES:-"1000x10 10000x1"}
mkdir -p "$OUT"
ready=$OUT/receiver.ready
python3 tests/servers/http_receiver.py --keep 100 >"$ready" &
receiver=$!
trap 'kill $receiver 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$ready" ] && break; sleep 0.1; done
url=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["url"])' "$ready")
rm -f "$OUT/notify.jsonl"
for shape in $SHAPES; do
  apps=${shape%x*} per_app=${shape#*x}
  /usr/bin/time -f '%M' -o "$OUT/notify.rss" "$BENCH" "$url/hook" "$apps" "$per_app" >"$OUT/notify.json"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r["rss_kb"]=int(open(sys.argv[2]).read().split()[-1]); print(json.dumps(r))' \
    "$OUT/notify.json" "$OUT/notify.rss" >>"$OUT/notify.jsonl"
done
python3 - "$OUT/notify.jsonl" <<'PY'
import json, sys
print("\n## Notifications (bench/notify.sh)")
print("| applications × alerts | run + routing | deliveries | delivering | deliveries/s | alerts/s | peak RSS |")
print("|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    r = json.loads(line)
    per = r["alerts"] // max(r["applications"], 1)
    print(f"| {r['applications']} × {per} | {r['run_and_route_s']:.2f} s | {r['deliveries']} (failed {r['failed']}) "
          f"| {r['send_s']:.2f} s | {r['deliveries_per_s']:.0f} | {r['alerts_delivered_per_s']:.0f} | {r['rss_kb'] / 1024:.0f} MB |")
PY
