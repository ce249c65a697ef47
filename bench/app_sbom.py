#!/usr/bin/env python3
"""Writes a CycloneDX SBOM of one application with N components for the evaluation benchmark:
a fifth are packages the OSV dumps name (at versions their records list or introduce), the
rest made-up packages; licenses are a mix of liberal, copyleft, banned, OR/AND expressions and
none. Usage: app_sbom.py OSV_DIR N OUT"""
import json, random, sys, zipfile, pathlib

osv_dir, count, out = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
random.seed(7)
TYPES = {"PyPI": "pypi", "npm": "npm", "Maven": "maven", "Go": "golang", "crates.io": "cargo", "RubyGems": "gem", "NuGet": "nuget", "Packagist": "composer"}
known = []
for path in sorted(osv_dir.glob("*-all.zip")):
    with zipfile.ZipFile(path) as z:
        for member in z.namelist():
            if not member.endswith(".json"):
                continue
            record = json.loads(z.read(member))
            for affected in record.get("affected", []):
                package = affected.get("package") or {}
                ty = TYPES.get(package.get("ecosystem"))
                if not ty:
                    continue
                versions = list(affected.get("versions") or [])
                for r in affected.get("ranges", []):
                    versions += [e["introduced"] for e in r.get("events", []) if e.get("introduced") not in (None, "0")]
                if versions:
                    known.append((ty, package["name"], versions))
LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "MIT OR GPL-3.0-only", "MIT AND GPL-3.0-only", "GPL-2.0-only", "LGPL-2.1-or-later", "MPL-2.0", "AGPL-3.0-only", None, None]

def purl(ty, name, version):
    if ty == "maven" and ":" in name:
        group, artifact = name.split(":", 1)
        return f"pkg:maven/{group}/{artifact}@{version}"
    if ty == "npm" and name.startswith("@"):
        name = "%40" + name[1:]
    return f"pkg:{ty}/{name}@{version}"

components, seen = [], set()
while len(components) < count:
    i = len(components)
    if known and i % 5 == 0:
        ty, name, versions = random.choice(known)
        version = random.choice(versions)
    else:
        ty = random.choice(("npm", "pypi", "maven", "golang"))
        name = f"org.example.bench:package-{random.randint(0, 10**6)}" if ty == "maven" else f"package-{random.randint(0, 10**6)}"
        version = f"{random.randint(0, 9)}.{random.randint(0, 30)}.{random.randint(0, 9)}"
    p = purl(ty, name, version)
    if p in seen:
        continue
    seen.add(p)
    component = {"type": "library", "bom-ref": p, "name": name, "version": version, "purl": p}
    license = random.choice(LICENSES)
    if license:
        key = "expression" if " " in license else "license"
        component["licenses"] = [{"expression": license} if key == "expression" else {"license": {"id": license}}]
    components.append(component)
with open(out, "w") as f:
    json.dump({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": components}, f)
print(f"{len(components)} components, {sum(1 for i in range(len(components)) if i % 5 == 0)} of packages with advisories")
