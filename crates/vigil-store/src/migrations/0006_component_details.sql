-- What a scan knows of each component beyond its identity: the declared license (SPDX form
-- and the text as written) and the hashes of the file it came from.
ALTER TABLE components ADD COLUMN license_expression TEXT;
ALTER TABLE components ADD COLUMN license_raw TEXT;
ALTER TABLE components ADD COLUMN hashes TEXT NOT NULL DEFAULT '[]';  -- JSON [{"alg", "value"}]

-- SBOM entries that name no package Vigil can identify (no purl, or a purl type it cannot
-- place). Never matched; kept so that policies can flag unknown components.
CREATE TABLE unidentified_components (
    scan_id            INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    version            TEXT,
    purl               TEXT,
    license_expression TEXT,
    license_raw        TEXT,
    hashes             TEXT NOT NULL,
    evidence           TEXT NOT NULL
) STRICT;
CREATE INDEX unidentified_by_scan ON unidentified_components(scan_id);
