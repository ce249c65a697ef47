#!/usr/bin/env bash
# Installs the system packages the desktop app needs, on Debian or Ubuntu. Idempotent: a machine
# that has everything does no apt work at all.
#
#   scripts/setup-system.sh          what building vigil-desktop needs
#   scripts/setup-system.sh --test   also what the headless end-to-end test needs
#                                    (Xvfb, WebKitWebDriver, a D-Bus session, a notification
#                                    daemon, tauri-driver)
set -euo pipefail

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "setup-system.sh: unknown argument $arg (expected --test)" >&2
      exit 2
      ;;
  esac
done

build_packages=(
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev
)
test_packages=(
  xvfb xauth webkit2gtk-driver dbus-x11 dunst gnome-keyring libsecret-tools xdotool imagemagick
  python3-gi gir1.2-gtk-3.0 libglib2.0-bin procps python3-venv
)

packages=("${build_packages[@]}")
if [[ $want_test == 1 ]]; then packages+=("${test_packages[@]}"); fi

installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
for pkg in "${packages[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done

if [[ ${#missing[@]} -gt 0 ]]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-system.sh: missing ${missing[*]}, and this is not a Debian/Ubuntu system;" \
      "install the equivalents by hand (see the Tauri prerequisites for your distribution)." >&2
    exit 1
  fi
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      echo "setup-system.sh: need root (or sudo) to install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "setup-system.sh: installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    "${missing[@]}"
else
  echo "setup-system.sh: system packages already installed"
fi

if [[ $want_test == 1 ]]; then
  if command -v tauri-driver >/dev/null 2>&1; then
    echo "setup-system.sh: tauri-driver already installed"
  else
    echo "setup-system.sh: installing tauri-driver"
    cargo install tauri-driver --locked
  fi
fi
