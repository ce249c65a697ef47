#!/usr/bin/env bash
# `make bench`, the desktop app: (a) time from process start to the first interactive screen
# (the window's Applications list drawn with its data and every listener in place: the UI calls
# `frontend_ready`, the shell prints the wall clock with VIGIL_TRACE_STARTUP=1), one cold launch
# (fresh XDG dirs: no WebKit caches) and five warm ones, median; (b) memory summed over the app's
# process tree (vigil-desktop, WebKitWebProcess, WebKitNetworkProcess…), RSS and PSS from
# /proc/PID/smaps_rollup, with the window open and with only the tray agent (window closed: the
# process has handed over to a tray agent alone, src-tauri/src/release.rs). The workspace is the Keycloak 10.0.2 SBOM scanned against Maven's OSV dump
# and KEV from ../shared/data; without it, an empty workspace (said so). Under Xvfb and a D-Bus
# session of its own, like the e2e.
#
#   bench/desktop.sh [DESKTOP_BINARY]   (default: target/debug/vigil-desktop; `make bench` gives
#                                        the release one, built with `--features custom-protocol`)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [[ "${1:-}" == "--inner" ]]; then
  app=$2 ws=$3 out=$4
  launches=${VIGIL_BENCH_LAUNCHES:-6}
  # The process tree under $1, as "pid comm" lines.
  tree() {
    local pids=("$1") i=0
    while [[ $i -lt ${#pids[@]} ]]; do
      for child in $(cat /proc/"${pids[$i]}"/task/*/children 2>/dev/null); do pids+=("$child"); done
      i=$((i + 1))
    done
    for p in "${pids[@]}"; do [[ -r /proc/$p/comm ]] && echo "$p $(cat /proc/"$p"/comm)"; done
  }
  # "RSS_kB PSS_kB names" summed over the tree.
  memory() {
    local rss=0 pss=0 names=()
    while read -r p comm; do
      local r s
      r=$(awk '/^Rss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
      s=$(awk '/^Pss:/ {print $2}' /proc/"$p"/smaps_rollup 2>/dev/null || echo 0)
      rss=$((rss + ${r:-0})); pss=$((pss + ${s:-0})); names+=("$comm")
    done < <(tree "$1")
    echo "$rss $pss $(printf '%s\n' "${names[@]}" | sort | uniq -c | awk '{printf "%s%s×%s", (NR>1?", ":""), $2, $1}')"
  }
  wait_for() { # pattern file seconds
    for _ in $(seq 1 $(($3 * 10))); do grep -q "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done
    return 1
  }
  times=()
  for i in $(seq 1 "$launches"); do
    log=$out/launch-$i.log
    start=$(date +%s%3N)
    VIGIL_TRACE_STARTUP=1 "$app" --data-dir "$ws" 2>"$log" &
    pid=$!
    if ! wait_for "startup: interactive" "$log" 60; then
      echo "launch $i: the first screen never said it was interactive; its log:" >&2; cat "$log" >&2; exit 1
    fi
    ready=$(grep -o 'unix [0-9]*' "$log" | head -n 1 | cut -d' ' -f2)
    times+=($((ready - start)))
    if [[ $i -lt $launches ]]; then
      kill "$pid"; wait "$pid" 2>/dev/null || true
    fi
  done
  echo "times ${times[*]}" >"$out/result"
  sleep 3
  echo "open $(memory "$pid")" >>"$out/result"
  # Close the window as a window manager's close button does; the tray agent stays.
  window=$(xdotool search --onlyvisible --name '^Vigil$' | head -n 1)
  python3 "$root/tests/e2e/close-window.py" "$window"
  # The hand-over: the same pid, now started with --tray, and no WebKit process under it.
  for _ in $(seq 1 150); do
    if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- ' --tray' && ! tree "$pid" | grep -q WebKit; then break; fi
    sleep 0.1
  done
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- ' --tray' || echo "the process did not hand over to a tray agent alone" >&2
  sleep 3
  echo "tray $(memory "$pid")" >>"$out/result"
  kill -0 "$pid" 2>/dev/null || { echo "the app ended when its window closed" >&2; exit 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
  exit 0
fi

cd "$root"
DATA=${VIGIL_SHARED_DATA:-../shared/data}
TARGET=${CARGO_TARGET_DIR:-target}
CACHE=${VIGIL_BENCH_CACHE:-target/bench-cache}
app=${1:-}
if [[ -z "$app" ]]; then
  # `make bench` passes the release build (`--features custom-protocol`, what `tauri build`
  # makes); by hand, the debug one unless told.
  app=$TARGET/debug/vigil-desktop
fi
cli=$TARGET/release/vigil
[[ -x $cli ]] || cli=$TARGET/debug/vigil
for tool in xvfb-run dbus-run-session xdotool python3; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: the desktop benchmark needs $tool (scripts/setup-system.sh --test)" >&2; exit 0; }
done
[[ -x $app ]] || { echo "SKIPPED: $app is not built" >&2; exit 0; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ws=$work/data
bom=$DATA/sbom/cyclonedx/SBOM/keycloak-10.0.2/bom.json
if [[ -f $bom && -f $DATA/osv/Maven-all.zip ]]; then
  base=$CACHE/desktop-keycloak
  if [[ ! -s $base/vigil.db ]]; then
    rm -rf "$base"; mkdir -p "$base"
    "$cli" --data-dir "$base" db import "$DATA/osv/Maven-all.zip" "$DATA"/kev/*.json >/dev/null
    "$cli" --data-dir "$base" scan "$bom" --app keycloak --stage release >/dev/null
    "$cli" --data-dir "$base" monitor run >/dev/null
  fi
  mkdir -p "$ws"; cp "$base"/vigil.db* "$ws"/
  workspace="Keycloak 10.0.2 SBOM + Maven OSV + KEV"
else
  echo "SKIPPED: $DATA (the Keycloak SBOM, Maven's OSV dump) is missing: an empty workspace instead" >&2
  workspace="empty (shared data missing)"
fi

export XDG_DATA_HOME=$work/xdg/data XDG_CONFIG_HOME=$work/xdg/config XDG_CACHE_HOME=$work/xdg/cache
export XDG_RUNTIME_DIR=$work/xdg/runtime HOME=$work/home NO_AT_BRIDGE=1
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"
unset VIGIL_DATA_DIR
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" --inner "$(realpath "$app")" "$ws" "$work" \
  || { echo "the desktop benchmark failed" >&2; exit 1; }

read -r cold warm < <(awk '/^times/ {printf "%s ", $2; for (i = 3; i <= NF; i++) printf "%s%s", $i, (i < NF ? "," : ""); print ""}' "$work/result")
median=$(tr ',' '\n' <<<"$warm" | sort -n | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2))}')
echo
echo "Desktop app: $(realpath --relative-to="$root" "$app"), workspace: $workspace"
printf '%-58s %12s  %s\n' "measure" "value" "detail"
printf '%-58s %12s  %s\n' "launch → first interactive screen, cold (fresh caches)" "${cold} ms" ""
printf '%-58s %12s  %s\n' "launch → first interactive screen, warm (median of 5)" "${median} ms" "runs: ${warm//,/ } ms"
while read -r what rss pss names; do
  label="memory, window open"
  [[ $what == tray ]] && label="memory, tray only (window closed: tray agent alone)"
  printf '%-58s %12s  %s\n' "$label" "$((rss / 1024)) MB RSS" "$((pss / 1024)) MB PSS; $names"
done < <(grep -E '^(open|tray) ' "$work/result")
