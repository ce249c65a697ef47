#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with gnome-keyring's Secret Service unlocked,
# so that channel secrets go through the real OS keyring (as on a desktop) without touching
# the user's own keyring.
#
#   scripts/with-keyring.sh cargo test --workspace
#
# Inside an existing session where a Secret Service already answers, the command just runs.
set -euo pipefail

if [[ "${1:-}" == "--inner" ]]; then
  shift
  # A throw-away keyring in a throw-away home for the daemon; the password only unlocks it.
  keyring_home=$(mktemp -d)
  mkdir -p "$keyring_home/keyrings"
  printf 'vigil-test' | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock --components=secrets >/dev/null
  status=0
  "$@" || status=$?
  rm -rf "$keyring_home"
  exit "$status"
fi

for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || {
    echo "with-keyring.sh: $tool is missing; run scripts/setup-system.sh --test (make setup-test)" >&2
    exit 2
  }
done
exec dbus-run-session -- "$0" --inner "$@"
