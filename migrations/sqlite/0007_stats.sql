-- Summaries for the dashboard, kept per village and recomputed inside every write transaction
-- that touches a village's households, members or measures (repo::stats::refresh_village), so
-- they are never stale; the aggregates then read a few thousand rows at any register size.
CREATE TABLE village_stats (
    village_code    TEXT PRIMARY KEY REFERENCES region (code),
    households      INTEGER NOT NULL,
    persons         INTEGER NOT NULL,
    poor_households INTEGER NOT NULL,
    poor_persons    INTEGER NOT NULL
) STRICT;

-- Exits by month of exited_on (households that later relapsed still exited that month).
CREATE TABLE exit_stats (
    village_code    TEXT NOT NULL REFERENCES region (code),
    month           TEXT NOT NULL CHECK (length(month) = 7),
    households      INTEGER NOT NULL,
    persons         INTEGER NOT NULL,
    PRIMARY KEY (village_code, month)
) STRICT;

-- Registered households by main cause.
CREATE TABLE cause_stats (
    village_code    TEXT NOT NULL REFERENCES region (code),
    cause           TEXT NOT NULL,
    households      INTEGER NOT NULL,
    PRIMARY KEY (village_code, cause)
) STRICT;

-- Measures by year and category.
CREATE TABLE measure_stats (
    village_code    TEXT NOT NULL REFERENCES region (code),
    year            INTEGER NOT NULL,
    category        TEXT NOT NULL,
    measures        INTEGER NOT NULL,
    amount          INTEGER NOT NULL,
    PRIMARY KEY (village_code, year, category)
) STRICT;
