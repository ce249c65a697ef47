-- Policies, license threat groups and waivers; what each evaluation was judged with.

-- Policy and waiver scopes name an application's organization and categories.
ALTER TABLE applications ADD COLUMN organization TEXT;
ALTER TABLE applications ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';  -- JSON array

-- One row per policy; `definition` is the policy as JSON (vigil_policy::Policy), the same
-- shape as the policies-as-code YAML. `position` keeps the user's order.
CREATE TABLE policies (
    name       TEXT PRIMARY KEY,
    position   INTEGER NOT NULL,
    definition TEXT NOT NULL
) STRICT;

-- SPDX license id → threat group (banned, copyleft, weak-copyleft, liberal, unknown).
CREATE TABLE license_groups (
    license_id   TEXT PRIMARY KEY,
    threat_group TEXT NOT NULL
) STRICT;

CREATE TABLE waivers (
    id           INTEGER PRIMARY KEY,
    scope        TEXT NOT NULL CHECK (scope IN ('application', 'organization', 'everywhere')),
    scope_name   TEXT,           -- the application or organization; NULL for everywhere
    component    TEXT NOT NULL,  -- a purl
    all_versions INTEGER NOT NULL,
    policy       TEXT,           -- NULL: every policy
    advisory     TEXT,
    reason       TEXT NOT NULL CHECK (length(reason) > 0),
    expires      TEXT NOT NULL,  -- YYYY-MM-DD, the last day it holds
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    source       TEXT            -- the VEX document it was imported from, if any
) STRICT;
CREATE INDEX waivers_by_expiry ON waivers(expires);

-- The stage an evaluation was judged for and the advisory data it saw (per ecosystem: when
-- imported and last synced; the KEV and EPSS versions), so a stored result can be explained.
ALTER TABLE evaluations ADD COLUMN stage TEXT;
ALTER TABLE evaluations ADD COLUMN advisory_snapshot TEXT NOT NULL DEFAULT '{}';
-- Waived violations are kept (shown, marked) but do not count.
ALTER TABLE evaluation_violations ADD COLUMN waived INTEGER NOT NULL DEFAULT 0;
