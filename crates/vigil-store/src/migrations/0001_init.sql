-- Advisory store. `raw` keeps each OSV record exactly as imported, so that fields Vigil does
-- not model yet are never lost; `affected` is the lookup index, one row per affected package.
CREATE TABLE advisories (
    id          TEXT PRIMARY KEY,
    modified    TEXT NOT NULL,
    withdrawn   TEXT,
    summary     TEXT NOT NULL,
    aliases     TEXT NOT NULL,  -- JSON array of strings
    raw         TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE affected (
    advisory_id TEXT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
    ecosystem   TEXT NOT NULL,  -- OSV ecosystem without its `:suffix`
    name        TEXT NOT NULL,  -- normalised as the ecosystem compares names
    entry       TEXT NOT NULL   -- the affected[] entry as JSON
) STRICT;
CREATE INDEX affected_by_package ON affected(ecosystem, name);
CREATE INDEX affected_by_advisory ON affected(advisory_id);

CREATE TABLE ecosystem_imports (
    ecosystem   TEXT PRIMARY KEY,
    imported_at TEXT NOT NULL,
    source      TEXT NOT NULL
) STRICT;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
-- Bumped by every import that changed something; evaluations record the one they used.
INSERT INTO meta(key, value) VALUES ('advisory_generation', '0');

CREATE TABLE applications (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    monitored       INTEGER NOT NULL DEFAULT 1,
    monitored_stage TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE scans (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    stage          TEXT NOT NULL,
    version_label  TEXT,
    created_at     TEXT NOT NULL,
    sources        TEXT NOT NULL  -- JSON array of the scanned paths
) STRICT;
CREATE INDEX scans_latest ON scans(application_id, stage, id);

CREATE TABLE components (
    scan_id   INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    purl      TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    name      TEXT NOT NULL,
    version   TEXT,
    scope     TEXT NOT NULL,
    evidence  TEXT NOT NULL,  -- JSON array of paths
    PRIMARY KEY (scan_id, purl)
) STRICT;

CREATE TABLE scan_warnings (
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    path    TEXT NOT NULL,
    message TEXT NOT NULL
) STRICT;
CREATE INDEX scan_warnings_by_scan ON scan_warnings(scan_id);

-- The latest evaluation of a scan, and the advisory data it used.
CREATE TABLE evaluations (
    id                  INTEGER PRIMARY KEY,
    scan_id             INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    evaluated_at        TEXT NOT NULL,
    advisory_generation INTEGER NOT NULL
) STRICT;
CREATE INDEX evaluations_by_scan ON evaluations(scan_id, id);

CREATE TABLE evaluation_violations (
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    policy        TEXT NOT NULL,
    threat_level  INTEGER NOT NULL,
    purl          TEXT NOT NULL,
    condition_key TEXT NOT NULL,
    details       TEXT NOT NULL,
    PRIMARY KEY (evaluation_id, policy, purl, condition_key)
) STRICT;

CREATE TABLE monitor_runs (
    id           INTEGER PRIMARY KEY,
    trigger      TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT NOT NULL,
    applications INTEGER NOT NULL,
    new          INTEGER NOT NULL,
    changed      INTEGER NOT NULL,
    resolved     INTEGER NOT NULL
) STRICT;

-- What monitoring has already reported, per violation identity: the state the next run
-- diffs against.
CREATE TABLE violations (
    id               INTEGER PRIMARY KEY,
    application_id   INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    policy           TEXT NOT NULL,
    purl             TEXT NOT NULL,
    condition_key    TEXT NOT NULL,
    threat_level     INTEGER NOT NULL,
    details          TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    first_seen_run   INTEGER NOT NULL REFERENCES monitor_runs(id),
    last_changed_run INTEGER NOT NULL REFERENCES monitor_runs(id),
    UNIQUE (application_id, policy, purl, condition_key)
) STRICT;

CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES monitor_runs(id) ON DELETE CASCADE,
    violation_id INTEGER NOT NULL REFERENCES violations(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('new', 'changed', 'resolved')),
    details      TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX alerts_by_run ON alerts(run_id);
