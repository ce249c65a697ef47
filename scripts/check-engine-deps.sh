#!/usr/bin/env bash
# The engine must build and test without Tauri: fail if any crate under crates/ depends on
# tauri, directly or through another crate.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for manifest in crates/*/Cargo.toml; do
  crate=$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$manifest" | head -1)
  if found=$(cargo tree -q -p "$crate" -e normal,build --prefix none 2>/dev/null | grep -E '^tauri([-_][a-z-]+)? ' | sort -u) && [ -n "$found" ]; then
    echo "engine crate $crate depends on tauri:" >&2
    echo "$found" | sed 's/^/  /' >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "ok: no crate under crates/ depends on tauri"
exit $status
