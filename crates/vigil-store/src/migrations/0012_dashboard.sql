-- The dashboard: open violations by threat band as each monitoring run left them (the chart
-- of the last 30 runs), cheap to count at the end of every run, and deliveries by status.

-- NULL for runs before this migration: nothing counted them, and a count made now would be
-- today's, not theirs.
ALTER TABLE monitor_runs ADD COLUMN open_critical INTEGER;
ALTER TABLE monitor_runs ADD COLUMN open_severe INTEGER;
ALTER TABLE monitor_runs ADD COLUMN open_moderate INTEGER;
ALTER TABLE monitor_runs ADD COLUMN open_low INTEGER;

-- Whether a waiver covers the reported violation (its `details` say so too; a column lets the
-- count at a run's end read an index instead of every violation's JSON).
ALTER TABLE violations ADD COLUMN waived INTEGER NOT NULL DEFAULT 0;
UPDATE violations SET waived = json_extract(details, '$.waiver') IS NOT NULL;
CREATE INDEX violations_open ON violations(application_id, policy, threat_level)
    WHERE status = 'open' AND waived = 0;

CREATE INDEX deliveries_by_status ON deliveries(status, created_at);
