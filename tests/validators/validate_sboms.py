"""Validates SBOMs with the official tools, for the tests of Vigil's SBOM output.

    python3 validate_sboms.py spdx FILE...       # spdx-tools' validator (what `pyspdxtools -i` runs)
    python3 validate_sboms.py cyclonedx FILE...  # CycloneDX 1.6 JSON schema, strict (cyclonedx-python-lib)

Prints one JSON line per file, {"file": ..., "errors": [...]}, and exits 0 when it could judge
every file (whether valid or not): the test decides what an error means.
"""

import json
import sys


def spdx_errors(path):
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    try:
        document = parse_file(path)
    except Exception as e:  # the parser's own errors are what a user would see
        return [f"cannot be parsed: {e}"]
    return [message.validation_message for message in validate_full_spdx_document(document)]


def cyclonedx_errors(path):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    with open(path, encoding="utf-8") as f:
        text = f.read()
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    return [] if error is None else [str(error)]


def main():
    kind, files = sys.argv[1], sys.argv[2:]
    check = {"spdx": spdx_errors, "cyclonedx": cyclonedx_errors}[kind]
    for path in files:
        print(json.dumps({"file": path, "errors": check(path)}), flush=True)


if __name__ == "__main__":
    main()
