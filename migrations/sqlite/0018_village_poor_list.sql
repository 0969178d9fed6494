-- The first hundred households still in poverty of each village, as its public page lists them
-- (by group, then household), with each one's head, main cause and persons. Kept like the other
-- summaries (repo::stats::REFRESH_POOR_LIST, in every write transaction that changes a village's
-- statuses, members or causes), so a first visit to a village reads a hundred rows of one table
-- instead of looking up a head, a cause and a count for each household (at a million households
-- that lookup was most of the page's time).
CREATE TABLE village_poor_list (
    village_code    TEXT NOT NULL REFERENCES region (code),
    household_id    INTEGER NOT NULL,
    group_no        INTEGER,
    attribute       TEXT NOT NULL,
    status          TEXT NOT NULL,
    head_name       TEXT,
    main_cause      TEXT,
    persons         INTEGER NOT NULL,
    PRIMARY KEY (village_code, household_id)
) STRICT;
