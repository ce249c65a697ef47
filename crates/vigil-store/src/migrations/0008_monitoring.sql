-- Continuous monitoring as a product: applications with owners, tiers and coverage facts; an
-- organization tree; settings; a lease so that one of several agents performs a run; run
-- history with per-application diffs; alerts that say what changed; and the bookkeeping that
-- makes a run incremental (what each evaluation was judged with, which packages each advisory
-- import touched).

-- Organizations form a tree under the root (id 1). `monitoring = 'on'` turns monitoring on for
-- every application below it, which none of them can turn off; 'inherit' leaves it to them.
CREATE TABLE organizations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    parent_id  INTEGER REFERENCES organizations(id) ON DELETE RESTRICT,
    monitoring TEXT NOT NULL DEFAULT 'inherit' CHECK (monitoring IN ('on', 'inherit')),
    created_at TEXT NOT NULL
) STRICT;
INSERT INTO organizations(id, name, parent_id, created_at)
VALUES (1, 'Root', NULL, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
-- `applications.organization` names the organization (NULL: the root), as policy and waiver
-- scopes match it; every name used so far becomes an organization under the root.
-- (helper "apps": names differing only in case, or naming the root, are one organization,
-- as the NOCASE name requires; a plain DISTINCT broke the migration on `payments`/`Payments`.)
UPDATE applications SET organization = NULL
WHERE organization = '' OR organization = 'Root' COLLATE NOCASE;
INSERT INTO organizations(name, parent_id, created_at)
SELECT MIN(organization), 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM applications
WHERE organization IS NOT NULL
  AND organization COLLATE NOCASE NOT IN (SELECT name FROM organizations)
GROUP BY organization COLLATE NOCASE;

ALTER TABLE applications ADD COLUMN public_id TEXT;
ALTER TABLE applications ADD COLUMN tier TEXT NOT NULL DEFAULT 'medium'
    CHECK (tier IN ('critical', 'high', 'medium', 'low'));
ALTER TABLE applications ADD COLUMN exposure TEXT NOT NULL DEFAULT 'internal'
    CHECK (exposure IN ('internal', 'external'));
ALTER TABLE applications ADD COLUMN hosting TEXT NOT NULL DEFAULT 'hosted'
    CHECK (hosting IN ('hosted', 'distributed'));
ALTER TABLE applications ADD COLUMN users INTEGER;
ALTER TABLE applications ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'retired'));
-- Which versions monitoring watches: the latest scan of the stage, the latest per major
-- version label, or the scans with the labels listed in `watch_labels` (JSON array).
ALTER TABLE applications ADD COLUMN watch TEXT NOT NULL DEFAULT 'latest'
    CHECK (watch IN ('latest', 'major', 'labels'));
ALTER TABLE applications ADD COLUMN watch_labels TEXT NOT NULL DEFAULT '[]';
-- The first evaluation is a baseline: recorded, not alerted, unless this asks for alerts.
ALTER TABLE applications ADD COLUMN alert_on_baseline INTEGER NOT NULL DEFAULT 0;
-- The run that recorded the baseline; NULL until monitoring first evaluated it.
ALTER TABLE applications ADD COLUMN baseline_run INTEGER REFERENCES monitor_runs(id);
-- JSON array of the evaluation ids monitoring last compared with the reported state: while
-- they are still the current evaluations of the watched scans, a run has nothing to do here.
ALTER TABLE applications ADD COLUMN monitored_evaluations TEXT NOT NULL DEFAULT '[]';
-- Filled for stored applications by this migration's Rust step (a slug of the name).
CREATE UNIQUE INDEX applications_public_id ON applications(public_id) WHERE public_id IS NOT NULL;
-- Applications monitoring already reported on have had their baseline.
UPDATE applications SET baseline_run =
    (SELECT MIN(first_seen_run) FROM violations WHERE application_id = applications.id);

CREATE TABLE contacts (
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    role           TEXT NOT NULL CHECK (role IN ('owner', 'developer', 'security', 'manager')),
    name           TEXT NOT NULL,
    email          TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (application_id, role, email)
) STRICT;

-- Workspace settings as JSON values (schedule, sync frequency, intake folder, coverage rules,
-- "monitor new applications"). A missing key means the default.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Who performs a piece of shared work (a monitoring run, a sync) until when. Several desktop
-- apps and agents may share a data directory; one holds the lease, the others skip.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) STRICT;

-- Run history: what each run looked at and found.
ALTER TABLE monitor_runs ADD COLUMN advisory_snapshot TEXT NOT NULL DEFAULT '{}';
ALTER TABLE monitor_runs ADD COLUMN baseline INTEGER NOT NULL DEFAULT 0;   -- violations recorded silently as baselines
ALTER TABLE monitor_runs ADD COLUMN evaluated INTEGER NOT NULL DEFAULT 0;  -- applications evaluated afresh
ALTER TABLE monitor_runs ADD COLUMN due_at TEXT;  -- the scheduled time a scheduled run is for
ALTER TABLE monitor_runs ADD COLUMN holder TEXT;  -- the process that performed it (`agent host:pid`)
-- Per application and run: its diff (only applications the run evaluated or changed).
CREATE TABLE run_applications (
    run_id         INTEGER NOT NULL REFERENCES monitor_runs(id) ON DELETE CASCADE,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    new            INTEGER NOT NULL,
    changed        INTEGER NOT NULL,
    resolved       INTEGER NOT NULL,
    baseline       INTEGER NOT NULL,  -- violations recorded as this application's baseline
    PRIMARY KEY (run_id, application_id)
) STRICT;
CREATE INDEX run_applications_by_app ON run_applications(application_id, run_id);

-- What changed, for CHANGED alerts: JSON array of {kind, ...} (advisory added, withdrawn,
-- score raised, fix available, added to KEV, waiver expired).
ALTER TABLE alerts ADD COLUMN changes TEXT NOT NULL DEFAULT '[]';
CREATE INDEX alerts_by_time ON alerts(created_at);
CREATE INDEX violations_by_app ON violations(application_id);

-- What an evaluation was judged with besides advisory data: a hash of the policies, groups,
-- waivers in force and the application's scope facts. Equal hash, no touched package since
-- its generation: the evaluation is still current and a run does not redo it.
ALTER TABLE evaluations ADD COLUMN rules_hash TEXT NOT NULL DEFAULT '';

-- The reverse index: package → scans. `pkg_key` is the name as the ecosystem compares it, the
-- same key as `affected.name` (filled for stored rows by this migration's Rust step).
ALTER TABLE components ADD COLUMN pkg_key TEXT NOT NULL DEFAULT '';
CREATE INDEX components_by_package ON components(ecosystem, pkg_key);

-- Which packages each advisory-data generation touched: the affected packages of every record
-- inserted or updated (before and after). `ecosystem = '*'` means every package (a KEV or
-- EPSS feed replaced).
CREATE TABLE advisory_changes (
    generation INTEGER NOT NULL,
    ecosystem  TEXT NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (generation, ecosystem, name)
) STRICT, WITHOUT ROWID;
