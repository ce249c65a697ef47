-- Where each ecosystem's advisories are synced from, and how far: `high_water` is the newest
-- `modified` time already imported (OSV's modified_id.csv is read down to it).
CREATE TABLE sync_state (
    ecosystem    TEXT PRIMARY KEY,
    base_url     TEXT NOT NULL,
    high_water   TEXT,
    csv_etag     TEXT,
    last_attempt TEXT NOT NULL,
    last_success TEXT,
    last_error   TEXT
) STRICT;
