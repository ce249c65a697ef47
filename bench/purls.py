#!/usr/bin/env python3
"""Writes N purls for `vigil query --stdin`: a realistic mix in which most packages have no
advisory. A fifth name packages that appear in the OSV dumps (with versions taken from their
records), the rest are made-up packages of the same ecosystems."""
import json, random, sys, zipfile, pathlib

osv_dir, count, out = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
random.seed(42)
known = []
for zip_name, eco, ty in (("PyPI-all.zip", "PyPI", "pypi"), ("npm-all.zip", "npm", "npm")):
    path = osv_dir / zip_name
    if not path.exists():
        continue
    with zipfile.ZipFile(path) as z:
        for member in z.namelist():
            record = json.loads(z.read(member))
            for affected in record.get("affected", []):
                package = affected.get("package") or {}
                if package.get("ecosystem") != eco:
                    continue
                versions = affected.get("versions") or ["1.0.0" if ty == "npm" else "1.0"]
                name = package["name"].replace("@", "%40", 1)
                known.append((ty, name, versions))
with open(out, "w") as f:
    for i in range(count):
        if known and i % 5 == 0:
            ty, name, versions = random.choice(known)
            f.write(f"pkg:{ty}/{name}@{random.choice(versions)}\n")
        else:
            ty = random.choice(("npm", "pypi"))
            version = f"{random.randint(0, 9)}.{random.randint(0, 30)}.{random.randint(0, 9)}"
            f.write(f"pkg:{ty}/package-{random.randint(0, 50000)}@{version}\n")
