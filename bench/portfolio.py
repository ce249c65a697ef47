#!/usr/bin/env python3
"""Writes a portfolio for the monitoring benchmark: N CycloneDX SBOMs of M components each:
5% of each application's components are packages the real OSV dumps name (each package
equally likely), at versions their records list or introduce (vulnerable), the rest made-up
packages no advisory names.
The npm package `vigil-bench-planted@1.0.0` is in exactly 10 applications, for the "one new
advisory" run. Usage: portfolio.py OSV_DIR N M OUT_DIR"""
import json, random, sys, zipfile, pathlib

osv_dir, apps, count, out = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), pathlib.Path(sys.argv[4])
out.mkdir(parents=True, exist_ok=True)
random.seed(11)
TYPES = {"PyPI": "pypi", "npm": "npm", "Maven": "maven", "Go": "golang", "crates.io": "cargo"}
vulnerable = {}  # (type, name) -> versions named vulnerable by any record
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
                bad = list(affected.get("versions") or [])
                for r in affected.get("ranges", []):
                    if r.get("type") == "GIT":
                        continue
                    bad += [e["introduced"] for e in r.get("events", []) if e.get("introduced") not in (None, "0")]
                if bad:
                    vulnerable.setdefault((ty, package["name"]), set()).update(bad)

# Each package equally likely: drawing per OSV entry instead would put tensorflow-gpu (hundreds
# of records) in most applications, which no real portfolio looks like.
affected_versions = [(ty, name, sorted(versions)) for (ty, name), versions in sorted(vulnerable.items())]

def purl(ty, name, version):
    if ty == "maven" and ":" in name:
        group, artifact = name.split(":", 1)
        return f"pkg:maven/{group}/{artifact}@{version}"
    if ty == "npm" and name.startswith("@"):
        name = "%40" + name[1:]
    return f"pkg:{ty}/{name}@{version}"

LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "MIT OR GPL-3.0-only", "LGPL-2.1-or-later", "MPL-2.0", None]
planted = set(random.sample(range(apps), min(10, apps)))
for app in range(apps):
    components, seen = [], set()
    if app in planted:
        components.append(("npm", "vigil-bench-planted", "1.0.0"))
    while len(components) < count:
        roll = random.random()
        if roll < 0.05 and affected_versions:
            ty, name, versions = random.choice(affected_versions)
        else:
            ty = random.choice(("npm", "pypi", "maven", "golang"))
            name = f"org.example.bench:package-{random.randint(0, 10**6)}" if ty == "maven" else f"package-{random.randint(0, 10**6)}"
            versions = [f"{random.randint(0, 9)}.{random.randint(0, 30)}.{random.randint(0, 9)}"]
        components.append((ty, name, random.choice(versions)))
    bom = []
    for ty, name, version in components:
        p = purl(ty, name, version)
        if p in seen:
            continue
        seen.add(p)
        c = {"type": "library", "bom-ref": p, "name": name, "version": version, "purl": p}
        license = random.choice(LICENSES)
        if license:
            c["licenses"] = [{"expression": license}] if " " in license else [{"license": {"id": license}}]
        bom.append(c)
    with open(out / f"app-{app:04d}.cdx.json", "w") as f:
        json.dump({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": bom}, f)
print(f"{apps} applications x {count} components; vigil-bench-planted in {len(planted)}")
