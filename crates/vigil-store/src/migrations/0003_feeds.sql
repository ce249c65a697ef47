-- Exploitation feeds keyed by CVE: CISA KEV and FIRST EPSS. Each import replaces its feed.
CREATE TABLE kev (
    cve        TEXT PRIMARY KEY,
    date_added TEXT NOT NULL,
    due_date   TEXT,
    ransomware INTEGER NOT NULL,
    name       TEXT NOT NULL
) STRICT;

CREATE TABLE epss (
    cve        TEXT PRIMARY KEY,
    score      REAL NOT NULL,
    percentile REAL NOT NULL
) STRICT;

CREATE TABLE feeds (
    name        TEXT PRIMARY KEY,  -- 'kev' or 'epss'
    version     TEXT NOT NULL,     -- catalogVersion / score_date
    entries     INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    source      TEXT NOT NULL
) STRICT;
