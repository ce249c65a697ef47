#!/usr/bin/env bash
# Regenerates the app and tray icons. Needs ImageMagick and the UI's devDependencies
# (`npm ci --prefix ui`) for `tauri icon`. Run from anywhere; writes into this folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The app icon: an open eye on a dark-blue rounded square.
convert -size 1024x1024 xc:none \
  -fill '#1f3b6e' -draw "roundrectangle 64,64 960,960 180,180" \
  -fill none -stroke '#ffffff' -strokewidth 56 \
  -draw "path 'M 200,512 Q 512,170 824,512 Q 512,854 200,512 Z'" \
  -fill '#f0a030' -stroke none -draw "circle 512,512 512,632" \
  -fill '#1f3b6e' -draw "circle 512,512 512,562" \
  -depth 8 "PNG32:$here/source.png"

# The tray icon: the same eye without the square, light on transparent.
convert -size 64x64 xc:none \
  -fill none -stroke '#e8ecf2' -strokewidth 5 -draw "path 'M 6,32 Q 32,6 58,32 Q 32,58 6,32 Z'" \
  -fill '#f0a030' -stroke none -draw "circle 32,32 32,42" \
  -depth 8 "PNG32:$here/tray.png"

"$here/../ui/node_modules/.bin/tauri" icon "$here/source.png" -o "$tmp" >/dev/null 2>&1
for f in 32x32.png 64x64.png 128x128.png 128x128@2x.png icon.png icon.ico icon.icns; do
  cp "$tmp/$f" "$here/$f"
done
