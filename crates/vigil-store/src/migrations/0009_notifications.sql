-- Notifications: channels (their secrets live in the OS keyring, never here: `secrets` only
-- names which kinds are stored), and the outbox of deliveries that alerts become in the same
-- transaction as the alerts, sent by a worker with retries until sent or failed.

CREATE TABLE channels (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind            TEXT NOT NULL CHECK (kind IN ('email', 'webhook', 'slack', 'teams', 'mattermost', 'jira', 'desktop')),
    config          TEXT NOT NULL,               -- JSON, without secrets
    secrets         TEXT NOT NULL DEFAULT '[]',  -- JSON array: the secret kinds in the keyring
    enabled         INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT,
    rate_per_minute INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    last_success_at TEXT,
    last_failure_at TEXT,
    last_answer     TEXT
) STRICT;

-- One message to one channel. `id` is a UUIDv7 kept across retries (the webhook-id, the
-- mail's Message-ID): receivers deduplicate on it. `notice` is what it says, fixed when it
-- was routed (a pending digest grows until it is first attempted).
CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    channel_id      INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    event           TEXT NOT NULL,
    title           TEXT NOT NULL,
    application_id  INTEGER REFERENCES applications(id) ON DELETE SET NULL,
    run_id          INTEGER REFERENCES monitor_runs(id) ON DELETE SET NULL,
    recipients      TEXT NOT NULL DEFAULT '[]',
    notice          TEXT NOT NULL,
    -- Deliveries that collect alerts (digests, the desktop's summary per run and tier) are
    -- found again by this key while no attempt was made.
    collect_key     TEXT UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    first_due_at    TEXT NOT NULL,
    due_at          TEXT,            -- the next attempt; NULL once sent or failed
    last_attempt_at TEXT,
    sent_at         TEXT,
    last_status     INTEGER,
    last_answer     TEXT,
    reference       TEXT
) STRICT;
CREATE INDEX deliveries_due ON deliveries(due_at) WHERE status = 'pending';
CREATE INDEX deliveries_by_channel ON deliveries(channel_id, status);

CREATE TABLE delivery_alerts (
    delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    alert_id    INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    PRIMARY KEY (delivery_id, alert_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX delivery_alerts_by_alert ON delivery_alerts(alert_id);

-- Once-only notices: a violation open past its SLA escalates once; a waiver expiring soon is
-- announced once.
ALTER TABLE violations ADD COLUMN escalated_at TEXT;
ALTER TABLE waivers ADD COLUMN expiry_announced_at TEXT;
