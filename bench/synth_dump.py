#!/usr/bin/env python3
"""Writes a synthetic OSV dump of N records built from the real ones in ../shared/data/osv:
record i is real record i mod R with its id, aliases and package names suffixed by its round
(i div R), so that the dump holds N distinct advisories for N/R times as many packages, with
the real records' shapes, sizes, ranges and version lists. Usage: synth_dump.py OSV_DIR N OUT"""
import json, sys, zipfile, pathlib

osv_dir, count, out = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
records, seen = [], set()
for path in sorted(osv_dir.glob("*-all.zip")):
    with zipfile.ZipFile(path) as z:
        for member in z.namelist():
            if member.endswith(".json"):
                record = json.loads(z.read(member))
                # A multi-ecosystem advisory sits in several dumps; it is one record.
                if record["id"] not in seen:
                    seen.add(record["id"])
                    records.append(record)
with zipfile.ZipFile(out + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    for i in range(count):
        record = dict(records[i % len(records)])
        round_ = i // len(records)
        if round_:
            suffix = f"-syn{round_}"
            record["id"] = record["id"] + suffix
            record["aliases"] = [a + suffix for a in record.get("aliases", [])]
            affected = []
            for entry in record.get("affected", []):
                entry = dict(entry)
                if "package" in entry:
                    entry["package"] = dict(entry["package"], name=entry["package"]["name"] + suffix)
                affected.append(entry)
            record["affected"] = affected
        z.writestr(record["id"] + ".json", json.dumps(record))
pathlib.Path(out + ".tmp").rename(out)
print(f"{count} records from {len(records)} real ones")
