-- Transparency: work updates (工作动态) with their edit history, and public notices (公示) of
-- households proposed for identification or exit, with the objections the public files.

-- A work update. `place_code` tags a township or village (NULL: the whole city);
-- `measure_category` optionally links the update to the place's measures in aggregate.
CREATE TABLE work_update (
    id               INTEGER PRIMARY KEY,
    title            TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 80),
    body             TEXT NOT NULL CHECK (length(trim(body)) BETWEEN 1 AND 4000),
    happened_on      TEXT NOT NULL CHECK (date(happened_on) = happened_on),
    place_code       TEXT REFERENCES region (code),
    measure_category TEXT,
    state            TEXT NOT NULL CHECK (state IN ('draft', 'published', 'unpublished')),
    author           TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    published_at     TEXT
) STRICT;
CREATE INDEX work_update_public ON work_update (state, happened_on, id);
CREATE INDEX work_update_place ON work_update (place_code, state, happened_on);

-- Every saved version of an update's text, kept for the edit history.
CREATE TABLE work_update_revision (
    update_id        INTEGER NOT NULL REFERENCES work_update (id),
    version          INTEGER NOT NULL,
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    happened_on      TEXT NOT NULL,
    place_code       TEXT,
    measure_category TEXT,
    edited_by        TEXT NOT NULL,
    edited_at        TEXT NOT NULL,
    PRIMARY KEY (update_id, version)
) STRICT;

-- How long a notice runs, per year (at least the national 10 days; 10 when a year has no row).
CREATE TABLE notice_setting (
    year             INTEGER PRIMARY KEY,
    days             INTEGER NOT NULL CHECK (days BETWEEN 10 AND 60)
) STRICT;

-- A public notice of one village: households proposed for identification or for exit. It runs
-- from starts_on through ends_on (both included).
CREATE TABLE notice (
    id               INTEGER PRIMARY KEY,
    village_code     TEXT NOT NULL REFERENCES region (code),
    kind             TEXT NOT NULL CHECK (kind IN ('identification', 'exit')),
    starts_on        TEXT NOT NULL CHECK (date(starts_on) = starts_on),
    ends_on          TEXT NOT NULL CHECK (date(ends_on) = ends_on),
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
) STRICT;
CREATE INDEX notice_village ON notice (village_code, ends_on);
CREATE INDEX notice_ends ON notice (ends_on, id);

-- One household on a notice, with the reason given publicly. `state`: proposed (waiting for the
-- notice to end), finalised (identified / exited), withdrawn (an objection was upheld, or staff
-- took it back).
CREATE TABLE notice_entry (
    id               INTEGER PRIMARY KEY,
    notice_id        INTEGER NOT NULL REFERENCES notice (id),
    household_id     INTEGER NOT NULL REFERENCES household (id),
    reason           TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 200),
    state            TEXT NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'finalised', 'withdrawn')),
    decided_on       TEXT,
    UNIQUE (notice_id, household_id)
) STRICT;
CREATE INDEX notice_entry_household ON notice_entry (household_id, state);

-- An objection from anyone against one entry. `contact` is for staff only; `address_key` (a
-- hash of the sender's address) serves the rate limit; `challenge` (the hash of the answered
-- question's token) is unique, so one answer files one objection.
CREATE TABLE objection (
    id               INTEGER PRIMARY KEY,
    entry_id         INTEGER NOT NULL REFERENCES notice_entry (id),
    reason           TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 1000),
    contact          TEXT,
    filed_at         TEXT NOT NULL,
    address_key      TEXT NOT NULL,
    challenge        TEXT NOT NULL UNIQUE,
    outcome          TEXT CHECK (outcome IN ('dismissed', 'upheld')),
    answer           TEXT,
    answered_by      TEXT,
    answered_at      TEXT,
    CHECK ((outcome IS NULL) = (answer IS NULL))
) STRICT;
CREATE INDEX objection_entry ON objection (entry_id, outcome);
CREATE INDEX objection_address ON objection (address_key, filed_at);

-- A secret of this installation (signs the objection form's question), made once.
CREATE TABLE server_secret (
    name             TEXT PRIMARY KEY,
    value            BLOB NOT NULL
) STRICT;
