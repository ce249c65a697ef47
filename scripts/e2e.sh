#!/usr/bin/env bash
# End-to-end test of the desktop app: the real binary, a real (virtual) X display, a real D-Bus
# session with a notification daemon, driven through tauri-driver and WebdriverIO.
#
#   scripts/e2e.sh [DESKTOP_BINARY] [CLI_BINARY]
#
# Defaults: target/debug/vigil-desktop and target/debug/vigil (build both first; the desktop
# binary must be a plain `cargo build`, which embeds ui/dist). Needs what
# `scripts/setup-system.sh --test` installs. Screenshots go to tests/e2e/output/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
e2e="$root/tests/e2e"
fixtures="$e2e/fixtures"

if [[ "${1:-}" == "--inner" ]]; then
  # Inside Xvfb and the D-Bus session (see the bottom of this file).
  shift
  pids=()
  cleanup_inner() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
  }
  trap cleanup_inner EXIT

  # Channel secrets go to the real OS keyring: a Secret Service (gnome-keyring) on this
  # session's bus, its login keyring created and unlocked with a throw-away password.
  mkdir -p "$XDG_DATA_HOME/keyrings"
  echo -n e2e | gnome-keyring-daemon --unlock --components=secrets >"$VIGIL_E2E_WORK/keyring.env"
  dbus-monitor --session "interface='org.freedesktop.Notifications',member='Notify'" \
    >"$VIGIL_E2E_NOTIFY_LOG" 2>&1 &
  pids+=($!)

  # A panel's StatusNotifierWatcher, so that the app's tray item registers and can be read.
  /usr/bin/python3 "$e2e/sni-watcher.py" "$VIGIL_E2E_SNI_LOG" 2>"$VIGIL_E2E_WORK/sni-watcher.log" &
  pids+=($!)
  for _ in $(seq 1 50); do
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner org.kde.StatusNotifierWatcher 2>/dev/null | grep -q true && break
    sleep 0.1
  done

  # The app's HOME (through tauri-driver) is a scratch folder: autostart writes its login entry
  # under $HOME/.config/autostart whatever XDG_CONFIG_HOME says.
  HOME="$VIGIL_E2E_HOME" tauri-driver --port "$VIGIL_E2E_DRIVER_PORT" --native-port "$VIGIL_E2E_NATIVE_PORT" \
    >"$VIGIL_E2E_WORK/tauri-driver.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$VIGIL_E2E_DRIVER_PORT/status" >/dev/null; then break; fi
    sleep 0.1
  done
  if ! curl -sf "http://127.0.0.1:$VIGIL_E2E_DRIVER_PORT/status" >/dev/null; then
    echo "e2e: tauri-driver did not start; its log:" >&2
    cat "$VIGIL_E2E_WORK/tauri-driver.log" >&2
    exit 1
  fi

  status=0
  # VIGIL_E2E_ONLY: a test-name pattern, to iterate on a few tests (the whole file before a commit).
  only=()
  if [[ -n "${VIGIL_E2E_ONLY:-}" ]]; then only=(--test-name-pattern "$VIGIL_E2E_ONLY"); fi
  (cd "$e2e" && node --test --test-concurrency=1 --test-reporter=spec "${only[@]}" desktop.test.mjs) || status=$?
  if [[ $status -ne 0 ]]; then
    echo "--- tauri-driver log (last 40 lines) ---" >&2
    tail -n 40 "$VIGIL_E2E_WORK/tauri-driver.log" >&2 || true
  fi
  exit "$status"
fi

app="$(realpath "${1:-$root/target/debug/vigil-desktop}")"
cli="$(realpath "${2:-$root/target/debug/vigil}")"

missing=()
for tool in xvfb-run dbus-run-session dbus-monitor gnome-keyring-daemon python3 tauri-driver WebKitWebDriver import node curl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "e2e: missing ${missing[*]}: run scripts/setup-system.sh --test" >&2
  exit 1
fi
for bin in "$app" "$cli"; do
  [[ -x "$bin" ]] || { echo "e2e: $bin is not built" >&2; exit 1; }
done
if [[ ! -d "$e2e/node_modules/webdriverio" ]]; then
  npm ci --prefix "$e2e" --no-audit --no-fund
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/vigil-e2e.XXXXXX")"
cleanup() {
  # D-Bus-activated helpers (the document portal's FUSE mount in $XDG_RUNTIME_DIR/doc) can take
  # a moment to go away after the session ends.
  for _ in $(seq 1 25); do
    rm -rf "$work" 2>/dev/null && return 0
    fusermount -u "$work/xdg/runtime/doc" 2>/dev/null || true
    sleep 0.2
  done
  echo "e2e: could not remove $work" >&2
}
trap cleanup EXIT

# Nothing of the test lands in $HOME.
export XDG_DATA_HOME="$work/xdg/data" XDG_CONFIG_HOME="$work/xdg/config"
export XDG_CACHE_HOME="$work/xdg/cache" XDG_RUNTIME_DIR="$work/xdg/runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export NO_AT_BRIDGE=1
unset VIGIL_DATA_DIR

data="$work/data"
application="shop-api"
echo "e2e: preparing $data with the CLI"
"$cli" --data-dir "$data" db import "$fixtures"/advisories/*.json
scan_json="$("$cli" --data-dir "$data" scan "$fixtures/shop-api/package-lock.json" --app "$application" --format json)"
violations="$(node -e '
  const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
  if (!r.stored) { console.error("the CLI did not store the scan"); process.exit(1); }
  console.log(r.stored.violations);' <<<"$scan_json")"
echo "e2e: the CLI scanned $application with $violations open violation(s)"
# A Java service on log4j-core 2.14.1 at release: the application the search for CVE-2021-44228
# must name.
"$cli" --data-dir "$data" scan "$fixtures/payments/pom.xml" --app payments --stage release --version 3.2.0 >/dev/null
# Its first monitoring run is its baseline: recorded, not alerted (what the History tab shows).
"$cli" --data-dir "$data" monitor run >/dev/null
if [[ "$violations" -lt 1 ]]; then
  echo "e2e: the fixtures should give at least one violation; the engine found none" >&2
  exit 1
fi

# An OSV bucket for "Sync now": the test serves $osv over HTTP on loopback (PyPI/all.zip built
# from the CLI's fixture records); the app is told where through VIGIL_OSV_BASE_URL.
osv="$work/osv"
mkdir -p "$osv/PyPI"
python3 - "$osv/PyPI/all.zip" "$root"/crates/vigil-cli/tests/fixtures/osv/PYSEC-*.json <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for path in sys.argv[2:]:
        z.write(path, os.path.basename(path))
PY
export VIGIL_E2E_OSV_DIR="$osv" VIGIL_E2E_OSV_PORT="${VIGIL_E2E_OSV_PORT:-4446}"
export VIGIL_OSV_BASE_URL="http://127.0.0.1:$VIGIL_E2E_OSV_PORT"

output="$e2e/output"
mkdir -p "$output"

export VIGIL_E2E_APP="$app" VIGIL_E2E_CLI="$cli" VIGIL_E2E_DATA_DIR="$data"
export VIGIL_E2E_EXPECT_APP="$application" VIGIL_E2E_EXPECT_VIOLATIONS="$violations"
export VIGIL_E2E_MORE_ADVISORIES="$fixtures/later/VIGIL-E2E-0001.json"
# The webhook receiver the Channels test sends to (tests/servers, standard library only).
export VIGIL_E2E_HTTP_RECEIVER="${VIGIL_E2E_HTTP_RECEIVER:-$root/tests/servers/http_receiver.py}"
export VIGIL_E2E_NOTIFY_LOG="$work/notify.log" VIGIL_E2E_OUTPUT="$output" VIGIL_E2E_WORK="$work"
export VIGIL_E2E_SNI_LOG="$work/sni-items.log" VIGIL_E2E_HOME="$work/home" VIGIL_E2E_ICONS="$root/icons"
mkdir -p "$VIGIL_E2E_HOME"
export VIGIL_E2E_DRIVER_PORT="${VIGIL_E2E_DRIVER_PORT:-4444}"
export VIGIL_E2E_NATIVE_PORT="${VIGIL_E2E_NATIVE_PORT:-4445}"

echo "e2e: driving $app under Xvfb and a D-Bus session"
status=0
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" --inner || status=$?
if [[ $status -eq 0 ]]; then
  echo "e2e: PASSED (screenshots in ${output#"$root"/})"
else
  echo "e2e: FAILED (exit $status; screenshots so far in ${output#"$root"/})" >&2
fi
exit "$status"
