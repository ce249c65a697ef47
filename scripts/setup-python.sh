#!/usr/bin/env bash
# Creates the Python environment the notification tests' loopback servers run in
# (tests/servers/*.py) and the SBOM validators run in: target/test-python, a venv with aiosmtpd
# (SMTP), trustme (a throw-away CA), spdx-tools and cyclonedx-python-lib. Idempotent: when
# the venv already has the pinned versions it does nothing.
#
#   scripts/setup-python.sh            create or update target/test-python
#   VIGIL_TEST_PYTHON=/path/python3    (for the tests) use another interpreter instead
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/test-python"
# aiosmtpd and trustme for the SMTP server; spdx-tools and cyclonedx-python-lib are the official
# validators the SBOM output is checked with (tests/validators/validate_sboms.py).
pins=(aiosmtpd==1.4.6 trustme==1.2.1 spdx-tools==0.8.5 cyclonedx-python-lib==11.12.0 jsonschema==4.26.0 referencing==0.37.0)

have_pins() {
  "$venv/bin/python3" - "${pins[@]}" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    if version(name) != want:
        sys.exit(1)
PY
}

if [[ -x "$venv/bin/python3" ]] && have_pins; then
  exit 0
fi

command -v python3 >/dev/null || { echo "setup-python.sh: python3 not found (apt-get install python3 python3-venv)" >&2; exit 1; }
if [[ ! -x "$venv/bin/python3" ]]; then
  mkdir -p "$root/target"
  python3 -m venv "$venv" || { echo "setup-python.sh: python3 -m venv failed (apt-get install python3-venv)" >&2; exit 1; }
fi
"$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "${pins[@]}" "cyclonedx-python-lib[json-validation]==11.12.0"
have_pins || { echo "setup-python.sh: $venv lacks ${pins[*]} after pip install" >&2; exit 1; }
echo "setup-python.sh: $venv has ${pins[*]}"
