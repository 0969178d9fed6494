-- Summaries for the dashboard, kept per village and recomputed inside every write transaction
-- that touches a village's households, members or measures (repo::stats::refresh_village), so
-- they are never stale; the aggregates then read a few thousand rows at any register size.
CREATE TABLE village_stats (
    village_code    TEXT PRIMARY KEY REFERENCES region (code),
    households      BIGINT NOT NULL,
    persons         BIGINT NOT NULL,
    poor_households BIGINT NOT NULL,
    poor_persons    BIGINT NOT NULL
);

-- Exits by month of exited_on (households that later relapsed still exited that month).
CREATE TABLE exit_stats (
    village_code    TEXT NOT NULL REFERENCES region (code),
    month           TEXT NOT NULL CHECK (length(month) = 7),
    households      BIGINT NOT NULL,
    persons         BIGINT NOT NULL,
    PRIMARY KEY (village_code, month)
);

-- Registered households by main cause.
CREATE TABLE cause_stats (
    village_code    TEXT NOT NULL REFERENCES region (code),
    cause           TEXT NOT NULL,
    households      BIGINT NOT NULL,
    PRIMARY KEY (village_code, cause)
);

-- Measures by year and category.
CREATE TABLE measure_stats (
    village_code    TEXT NOT NULL REFERENCES region (code),
    year            BIGINT NOT NULL,
    category        TEXT NOT NULL,
    measures        BIGINT NOT NULL,
    amount          BIGINT NOT NULL,
    PRIMARY KEY (village_code, year, category)
);
