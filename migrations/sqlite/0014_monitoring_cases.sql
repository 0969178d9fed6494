-- no-transaction
-- Monitoring cases (防止返贫动态监测和帮扶): a household at risk, found through one of three
-- channels, identified through dated steps, helped by a plan, and cleared through the same
-- steps again. Two CHECKs widen for it: a household may be an ordinary rural household (一般农户,
-- never on the register; monitoring covers every rural household), and a notice may announce
-- monitoring objects or their cleared risk. SQLite cannot change a CHECK in place, so the two
-- tables are rebuilt as its documentation prescribes (new table, copy, drop, rename, indexes
-- and triggers again), foreign keys off for the swap, inside one transaction of this file's own.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE household_new (
    id              INTEGER PRIMARY KEY,
    village_code    TEXT NOT NULL REFERENCES region (code),
    group_no        INTEGER CHECK (group_no BETWEEN 1 AND 99),
    address         TEXT NOT NULL DEFAULT '',
    phone           TEXT CHECK (phone IS NULL OR (length(phone) = 11 AND phone NOT GLOB '*[^0-9]*')),
    bank_name       TEXT,
    bank_account    TEXT,
    standard        TEXT NOT NULL CHECK (standard IN ('national', 'provincial', 'municipal')),
    attribute       TEXT NOT NULL CHECK (attribute IN ('general', 'dibao', 'tekun')),
    status          TEXT NOT NULL DEFAULT 'poor' CHECK (status IN ('poor', 'exited', 'relapsed', 'ordinary')),
    identified_on TEXT NOT NULL CHECK (date(identified_on) = identified_on),
    exited_on TEXT CHECK (exited_on IS NULL OR date(exited_on) = exited_on),
    relapsed_on TEXT CHECK (relapsed_on IS NULL OR date(relapsed_on) = relapsed_on),
    has_electricity INTEGER NOT NULL DEFAULT 1 CHECK (has_electricity IN (0, 1)),
    has_safe_water INTEGER NOT NULL DEFAULT 1 CHECK (has_safe_water IN (0, 1)),
    has_road_access INTEGER NOT NULL DEFAULT 1 CHECK (has_road_access IN (0, 1)),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (status <> 'exited' OR exited_on IS NOT NULL),
    CHECK (status <> 'relapsed' OR relapsed_on IS NOT NULL),
    CHECK (exited_on IS NULL OR exited_on >= identified_on)
) STRICT;INSERT INTO household_new SELECT * FROM household;
DROP TABLE household;
ALTER TABLE household_new RENAME TO household;
CREATE INDEX household_village_status ON household (village_code, status);
CREATE INDEX household_status_exited ON household (status, exited_on);
CREATE INDEX household_village_id ON household (village_code, id);
CREATE INDEX household_village_still_poor ON household (village_code, group_no, id)
    WHERE status IN ('poor', 'relapsed');
CREATE TRIGGER household_insert_gen AFTER INSERT ON household BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_update_gen AFTER UPDATE ON household BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER household_delete_gen AFTER DELETE ON household BEGIN UPDATE stats_generation SET n = n + 1; END;

CREATE TABLE notice_new (
    id               INTEGER PRIMARY KEY,
    village_code     TEXT NOT NULL REFERENCES region (code),
    kind             TEXT NOT NULL CHECK (kind IN ('identification', 'exit', 'monitoring', 'clearing')),
    starts_on        TEXT NOT NULL CHECK (date(starts_on) = starts_on),
    ends_on          TEXT NOT NULL CHECK (date(ends_on) = ends_on),
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    CHECK (ends_on >= starts_on)
) STRICT;INSERT INTO notice_new SELECT * FROM notice;
DROP TABLE notice;
ALTER TABLE notice_new RENAME TO notice;
CREATE INDEX notice_village ON notice (village_code, ends_on);
CREATE INDEX notice_ends ON notice (ends_on, id);
CREATE TRIGGER notice_insert_gen AFTER INSERT ON notice BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_update_gen AFTER UPDATE ON notice BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER notice_delete_gen AFTER DELETE ON notice BEGIN UPDATE stats_generation SET n = n + 1; END;

-- The public search reads only members of register households: an ordinary household's
-- members are `listed = 0` and outside every name index, so no public query can reach them.
ALTER TABLE member ADD COLUMN listed INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1));
DROP INDEX member_name;
DROP INDEX member_name_pinyin;
DROP INDEX member_name_initials;
CREATE INDEX member_name ON member (name, household_id) WHERE active AND listed;
CREATE INDEX member_name_pinyin ON member (name_pinyin, household_id) WHERE active AND listed;
CREATE INDEX member_name_initials ON member (name_initials, household_id) WHERE active AND listed;

-- The public search's households of a place leave ordinary households out, from the index.
CREATE INDEX household_village_listed ON household (village_code, id) WHERE status <> 'ordinary';

-- How long a monitoring notice runs at least (identification 5 days, clearing 7 in the
-- reference county); data, set by city staff.
CREATE TABLE monitoring_notice_days (
    kind            TEXT PRIMARY KEY CHECK (kind IN ('monitoring', 'clearing')),
    days            INTEGER NOT NULL CHECK (days BETWEEN 1 AND 60)
) STRICT;
INSERT INTO monitoring_notice_days (kind, days) VALUES ('monitoring', 5), ('clearing', 7);

-- One monitoring case of one household; at most one open (not cleared, not closed) at a time.
-- `stage` is the last step done; `due_on` the deadline of the next one (working days, computed
-- when the step is recorded); `held_on` marks 暂不标注 (on 低保/特困 with no one able to work).
CREATE TABLE monitoring_case (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL REFERENCES household (id),
    category        TEXT NOT NULL CHECK (category IN ('unstable', 'marginal', 'sudden')),
    channel         TEXT NOT NULL CHECK (channel IN ('declared', 'visit', 'department')),
    -- The department or person the lead came from (medical insurance bureau, the hotline).
    source          TEXT NOT NULL DEFAULT '' CHECK (length(source) <= 100),
    description     TEXT NOT NULL CHECK (length(trim(description)) BETWEEN 1 AND 500),
    stage           TEXT NOT NULL DEFAULT 'lead' CHECK (stage IN ('lead', 'home_check', 'cross_check',
                        'village_review', 'notice', 'township_review', 'monitored', 'clear_home_check',
                        'clear_review', 'clear_notice', 'clear_township', 'cleared', 'closed')),
    raised_on       TEXT NOT NULL CHECK (date(raised_on) = raised_on),
    stage_on        TEXT NOT NULL CHECK (date(stage_on) = stage_on),
    due_on          TEXT CHECK (due_on IS NULL OR date(due_on) = due_on),
    monitored_on    TEXT CHECK (monitored_on IS NULL OR date(monitored_on) = monitored_on),
    clearing_from   TEXT CHECK (clearing_from IS NULL OR date(clearing_from) = clearing_from),
    cleared_on      TEXT CHECK (cleared_on IS NULL OR date(cleared_on) = cleared_on),
    spending_resolved_on TEXT CHECK (spending_resolved_on IS NULL OR date(spending_resolved_on) = spending_resolved_on),
    held_on         TEXT CHECK (held_on IS NULL OR date(held_on) = held_on),
    closed_reason   TEXT CHECK (closed_reason IS NULL OR length(trim(closed_reason)) BETWEEN 1 AND 500),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (stage_on >= raised_on),
    CHECK ((stage = 'closed') = (closed_reason IS NOT NULL)),
    CHECK ((stage = 'cleared') = (cleared_on IS NOT NULL)),
    CHECK (stage IN ('lead', 'home_check', 'cross_check', 'village_review', 'notice', 'township_review', 'closed')
        OR monitored_on IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX monitoring_case_open ON monitoring_case (household_id)
    WHERE stage NOT IN ('cleared', 'closed');
CREATE INDEX monitoring_case_household ON monitoring_case (household_id, id);
CREATE INDEX monitoring_case_desk ON monitoring_case (stage, due_on, id);

-- One to three risk types, the first the main one.
CREATE TABLE case_risk (
    case_id         INTEGER NOT NULL REFERENCES monitoring_case (id),
    rank            INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 3),
    risk            TEXT NOT NULL CHECK (risk IN ('illness', 'schooling', 'disability', 'disaster',
                        'accident', 'business_failure', 'unstable_work', 'no_labour', 'other')),
    PRIMARY KEY (case_id, rank),
    UNIQUE (case_id, risk)
) STRICT;
CREATE INDEX case_risk_risk ON case_risk (risk, case_id);

-- Every step done on a case, in order: the stage it reached (or, refused, the one it tried),
-- its date and who did it; a home check names its people and the signed consent; a review its
-- result; a notice step its notice. Rows are never changed.
CREATE TABLE case_step (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES monitoring_case (id),
    stage           TEXT NOT NULL CHECK (stage IN ('lead', 'home_check', 'cross_check',
                        'village_review', 'notice', 'township_review', 'monitored', 'clear_home_check',
                        'clear_review', 'clear_notice', 'clear_township', 'cleared')),
    done_on         TEXT NOT NULL CHECK (date(done_on) = done_on),
    actor           TEXT NOT NULL,
    approved        INTEGER NOT NULL DEFAULT 1 CHECK (approved IN (0, 1)),
    people          TEXT NOT NULL DEFAULT '' CHECK (length(people) <= 200),
    consent         INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0, 1)),
    note            TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    notice_id       INTEGER REFERENCES notice (id),
    at              TEXT NOT NULL
) STRICT;
CREATE INDEX case_step_case ON case_step (case_id, id);
CREATE TRIGGER case_step_no_update BEFORE UPDATE ON case_step
    BEGIN SELECT RAISE(ABORT, 'case steps are never changed'); END;
CREATE TRIGGER case_step_no_delete BEFORE DELETE ON case_step
    BEGIN SELECT RAISE(ABORT, 'case steps are never deleted'); END;

-- 一户一策: the measures planned for a monitored household, by category, each with its due date;
-- done when a measure recorded against the case names it.
CREATE TABLE case_plan (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES monitoring_case (id),
    category        TEXT NOT NULL CHECK (category IN ('education', 'medical', 'housing', 'relocation', 'industry', 'employment', 'social_assistance')),
    member_id       INTEGER REFERENCES member (id),
    name            TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    due_on          TEXT NOT NULL CHECK (date(due_on) = due_on),
    measure_id      INTEGER REFERENCES measure (id),
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX case_plan_case ON case_plan (case_id, id);

-- Measures and visits may be recorded against a case (helper cadres do, for their households).
ALTER TABLE measure ADD COLUMN case_id INTEGER REFERENCES monitoring_case (id);
ALTER TABLE visit ADD COLUMN case_id INTEGER REFERENCES monitoring_case (id);
CREATE INDEX measure_case ON measure (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX visit_case ON visit (case_id) WHERE case_id IS NOT NULL;

-- The public dashboard's monitoring section reads these: kept pages must go when they change.
CREATE TRIGGER monitoring_case_insert_gen AFTER INSERT ON monitoring_case BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER monitoring_case_update_gen AFTER UPDATE ON monitoring_case BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER monitoring_case_delete_gen AFTER DELETE ON monitoring_case BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER case_risk_insert_gen AFTER INSERT ON case_risk BEGIN UPDATE stats_generation SET n = n + 1; END;
CREATE TRIGGER case_risk_delete_gen AFTER DELETE ON case_risk BEGIN UPDATE stats_generation SET n = n + 1; END;

COMMIT;
PRAGMA foreign_keys = ON;
