#!/usr/bin/env bash
# Regenerates the app and tray icons. Needs ImageMagick and the UI's devDependencies
# (`npm ci --prefix ui`) for `tauri icon`. Run from anywhere; writes into this folder
# (`--tray-only`: the tray icons alone, with ImageMagick only).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The tray icons, one per state (src-tauri/src/tray_state.rs): the same eye without the square,
# light with a dark rim so that it reads on light and dark panels alike, and a badge that differs
# in shape as well as colour (new: a solid dot; running: a ring; error: a red square with "!").
eye() {
  convert -size 64x64 xc:none \
    -fill none -stroke '#1f3b6e' -strokewidth 10 -draw "path 'M 5,30 Q 30,4 55,30 Q 30,56 5,30 Z'" \
    -stroke '#e8ecf2' -strokewidth 5 -draw "path 'M 5,30 Q 30,4 55,30 Q 30,56 5,30 Z'" \
    -fill '#f0a030' -stroke '#1f3b6e' -strokewidth 2 -draw "circle 30,30 30,40" \
    "$@"
}
eye -depth 8 "PNG32:$here/tray-ok.png"
eye -fill '#f76707' -stroke '#1f3b6e' -strokewidth 3 -draw "circle 49,49 49,63" \
  -depth 8 "PNG32:$here/tray-new.png"
eye -fill none -stroke '#1f3b6e' -strokewidth 10 -draw "circle 49,49 49,60" \
  -stroke '#4dabf7' -strokewidth 5 -draw "circle 49,49 49,60" \
  -depth 8 "PNG32:$here/tray-running.png"
eye -fill '#e03131' -stroke '#1f3b6e' -strokewidth 3 -draw "rectangle 35,35 62,62" \
  -fill '#ffffff' -stroke none -draw "rectangle 46,39 51,53" -draw "rectangle 46,56 51,60" \
  -depth 8 "PNG32:$here/tray-error.png"

[[ "${1:-}" == "--tray-only" ]] && exit 0

# The app icon: an open eye on a dark-blue rounded square.
convert -size 1024x1024 xc:none \
  -fill '#1f3b6e' -draw "roundrectangle 64,64 960,960 180,180" \
  -fill none -stroke '#ffffff' -strokewidth 56 \
  -draw "path 'M 200,512 Q 512,170 824,512 Q 512,854 200,512 Z'" \
  -fill '#f0a030' -stroke none -draw "circle 512,512 512,632" \
  -fill '#1f3b6e' -draw "circle 512,512 512,562" \
  -depth 8 "PNG32:$here/source.png"

"$here/../ui/node_modules/.bin/tauri" icon "$here/source.png" -o "$tmp" >/dev/null 2>&1
for f in 32x32.png 64x64.png 128x128.png 128x128@2x.png icon.png icon.ico icon.icns; do
  cp "$tmp/$f" "$here/$f"
done
