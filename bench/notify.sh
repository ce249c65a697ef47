#!/usr/bin/env bash
# `make bench`, notifications: 10,000 alerts across 1,000 applications (10 critical advisories
# in each, the baseline alerting) routed by a plan into the outbox in the run's transaction,
# then delivered to a loopback webhook receiver (tests/servers/http_receiver.py, no
# signature). Prints routing time, delivery time, deliveries/s and peak RSS (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/output
TARGET=${CARGO_TARGET_DIR:-target}
BENCH=$TARGET/release/examples/notify_bench
APPS=${NOTIFY_APPS:-1000}
PER_APP=${NOTIFY_ALERTS_PER_APP:-10}
mkdir -p "$OUT"
ready=$OUT/receiver.ready
python3 tests/servers/http_receiver.py >"$ready" &
receiver=$!
trap 'kill $receiver 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$ready" ] && break; sleep 0.1; done
url=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["url"])' "$ready")
/usr/bin/time -f '%M' -o "$OUT/notify.rss" "$BENCH" "$url/hook" "$APPS" "$PER_APP" >"$OUT/notify.json"
python3 - "$OUT/notify.json" "$OUT/notify.rss" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rss = int(open(sys.argv[2]).read().split()[-1]) / 1024
print("\n## Notifications (bench/notify.sh)")
print(f"| {r['applications']} apps, {r['alerts']} alerts | value |")
print("|---|---|")
print(f"| monitoring run + routing into the outbox | {r['run_and_route_s']:.2f} s |")
print(f"| delivering {r['deliveries']} deliveries (failed {r['failed']}) | {r['send_s']:.2f} s |")
print(f"| deliveries per second | {r['deliveries_per_s']:.0f} |")
print(f"| alerts delivered per second | {r['alerts_delivered_per_s']:.0f} |")
print(f"| peak RSS (whole process) | {rss:.0f} MB |")
PY
