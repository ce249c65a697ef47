-- Acknowledgements: a triage mark on a violation identity, "seen, being handled". Nothing is
-- silenced by one: the violation stays open, counts, gates and notifies as before. Monitoring
-- clears it when it reports the violation changed (the change needs a fresh look) or resolved.
-- Keyed by identity rather than by a `violations` row, so that an application monitoring never
-- reported on can be triaged too.
CREATE TABLE acknowledgements (
    application_id  INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    policy          TEXT NOT NULL,
    purl            TEXT NOT NULL,
    condition_key   TEXT NOT NULL,
    note            TEXT,
    acknowledged_at TEXT NOT NULL,
    acknowledged_by TEXT NOT NULL,
    PRIMARY KEY (application_id, policy, purl, condition_key)
) STRICT, WITHOUT ROWID;

-- The triage timeline of each violation identity: acknowledged, acknowledgement cleared (by a
-- person, or by monitoring with the alert that cleared it). Kept when the mark goes, so the
-- violation's history can say who looked at it and when.
CREATE TABLE triage_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    policy         TEXT NOT NULL,
    purl           TEXT NOT NULL,
    condition_key  TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('acknowledged', 'unacknowledged', 'cleared_changed', 'cleared_resolved')),
    at             TEXT NOT NULL,
    by             TEXT NOT NULL,
    note           TEXT
) STRICT;
CREATE INDEX triage_events_by_violation ON triage_events(application_id, policy, purl, condition_key);
