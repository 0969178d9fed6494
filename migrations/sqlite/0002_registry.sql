-- The register (建档立卡): households, members, causes, income, housing, policies, measures,
-- social assistance, cadres with pairings and visits, village work teams, yearly lines and
-- targets, and the append-only audit log. Enumerations are stable English codes (the UI
-- translates them); money is whole yuan (元).
-- Registered rural population of a village (the denominator of its poverty incidence).
ALTER TABLE region ADD COLUMN rural_population INTEGER CHECK (rural_population >= 0);

-- 贫困户: one row per registered household; never deleted (it exits, or relapses).
CREATE TABLE household (
    id              INTEGER PRIMARY KEY,
    village_code    TEXT NOT NULL REFERENCES region (code),
    group_no        INTEGER CHECK (group_no BETWEEN 1 AND 99),
    address         TEXT NOT NULL DEFAULT '',
    phone           TEXT CHECK (phone IS NULL OR (length(phone) = 11 AND phone NOT GLOB '*[^0-9]*')),
    bank_name       TEXT,
    bank_account    TEXT,
    standard        TEXT NOT NULL CHECK (standard IN ('national', 'provincial', 'municipal')),
    attribute       TEXT NOT NULL CHECK (attribute IN ('general', 'dibao', 'tekun')),
    status          TEXT NOT NULL DEFAULT 'poor' CHECK (status IN ('poor', 'exited', 'relapsed')),
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
) STRICT;
CREATE INDEX household_village_status ON household (village_code, status);
CREATE INDEX household_status_exited ON household (status, exited_on);

-- 致贫原因: rank 1 is the main cause, ranks 2 and 3 the (at most two) others.
CREATE TABLE household_cause (
    household_id    INTEGER NOT NULL REFERENCES household (id),
    rank            INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 3),
    cause           TEXT NOT NULL CHECK (cause IN ('illness','disability','schooling','disaster','land','water','skills','labour','capital','transport','motivation','other')),
    PRIMARY KEY (household_id, rank),
    UNIQUE (household_id, cause)
) STRICT;
CREATE INDEX household_cause_main ON household_cause (cause) WHERE rank = 1;

-- 家庭成员: the householder is the member with relation 'head'.
CREATE TABLE member (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL REFERENCES household (id),
    name            TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 20),
    sex             TEXT NOT NULL CHECK (sex IN ('male', 'female')),
    id_number       TEXT CHECK (id_number IS NULL OR (length(id_number) = 18 AND substr(id_number, 1, 17) NOT GLOB '*[^0-9]*' AND substr(id_number, 18) GLOB '[0-9X]')),
    disability_cert TEXT,
    birth_date TEXT NOT NULL CHECK (date(birth_date) = birth_date),
    relation        TEXT NOT NULL CHECK (relation IN ('head', 'spouse', 'child', 'child_in_law', 'grandchild', 'parent', 'grandparent', 'sibling', 'other')),
    ethnicity       TEXT NOT NULL DEFAULT '汉族',
    education       TEXT NOT NULL CHECK (education IN ('preschool', 'illiterate', 'primary', 'junior', 'senior', 'college')),
    student_status  TEXT NOT NULL DEFAULT 'none' CHECK (student_status IN ('none', 'preschool', 'primary', 'junior', 'senior', 'vocational', 'college', 'dropout')),
    health          TEXT NOT NULL CHECK (health IN ('healthy', 'chronic', 'serious', 'disabled')),
    labour          TEXT NOT NULL CHECK (labour IN ('ordinary', 'skilled', 'lost', 'none')),
    migrant_months  INTEGER NOT NULL DEFAULT 0 CHECK (migrant_months BETWEEN 0 AND 12),
    medical_insured INTEGER NOT NULL DEFAULT 1 CHECK (medical_insured IN (0, 1)),
    pension_insured INTEGER NOT NULL DEFAULT 0 CHECK (pension_insured IN (0, 1)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    left_on TEXT CHECK (left_on IS NULL OR date(left_on) = left_on),
    left_reason     TEXT CHECK (left_reason IS NULL OR left_reason IN ('death', 'marriage', 'moved', 'other')),
    CHECK ((active = 1) = (left_on IS NULL)),
    CHECK (id_number IS NOT NULL OR disability_cert IS NOT NULL OR relation <> 'head'),
    UNIQUE (id, household_id)
) STRICT;
CREATE INDEX member_household ON member (household_id);
CREATE UNIQUE INDEX member_active_id_number ON member (id_number) WHERE active = 1 AND id_number IS NOT NULL;
CREATE UNIQUE INDEX member_one_head ON member (household_id) WHERE active = 1 AND relation = 'head';

-- 收入: one row per household and year; net and per-capita income are derived, never typed.
CREATE TABLE household_income (
    household_id    INTEGER NOT NULL REFERENCES household (id),
    year            INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    persons         INTEGER NOT NULL CHECK (persons >= 1),
    wages           INTEGER NOT NULL DEFAULT 0 CHECK (wages >= 0),
    business        INTEGER NOT NULL DEFAULT 0 CHECK (business >= 0),
    transfer        INTEGER NOT NULL DEFAULT 0 CHECK (transfer >= 0),
    property        INTEGER NOT NULL DEFAULT 0 CHECK (property >= 0),
    costs           INTEGER NOT NULL DEFAULT 0 CHECK (costs >= 0),
    net_income      INTEGER GENERATED ALWAYS AS (wages + business + transfer + property - costs) STORED,
    per_capita      INTEGER GENERATED ALWAYS AS ((wages + business + transfer + property - costs) / persons) STORED,
    PRIMARY KEY (household_id, year)
) STRICT;

-- 住房
CREATE TABLE housing (
    household_id    INTEGER PRIMARY KEY REFERENCES household (id),
    structure       TEXT NOT NULL CHECK (structure IN ('concrete', 'brick_concrete', 'brick_wood', 'earth_bamboo')),
    area_m2         REAL NOT NULL CHECK (area_m2 > 0 AND area_m2 < 2000),
    built_year      INTEGER CHECK (built_year BETWEEN 1900 AND 2100),
    danger_grade    TEXT CHECK (danger_grade IS NULL OR danger_grade IN ('A', 'B', 'C', 'D')),
    renovated_on TEXT CHECK (renovated_on IS NULL OR date(renovated_on) = renovated_on),
    relocated INTEGER NOT NULL DEFAULT 0 CHECK (relocated IN (0, 1)),
    relocated_on TEXT CHECK (relocated_on IS NULL OR date(relocated_on) = relocated_on),
    CHECK (relocated = 1 OR relocated_on IS NULL)
) STRICT;

-- 政策
CREATE TABLE policy (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
    category        TEXT NOT NULL CHECK (category IN ('education', 'medical', 'housing', 'relocation', 'industry', 'employment', 'social_assistance')),
    issuer          TEXT NOT NULL,
    doc_number      TEXT NOT NULL DEFAULT '',
    issued_on TEXT NOT NULL CHECK (date(issued_on) = issued_on),
    effective_on TEXT CHECK (effective_on IS NULL OR date(effective_on) = effective_on),
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX policy_category_issued ON policy (category, issued_on);

-- 帮扶措施: what was done for whom (member_id, when set, must belong to the household).
CREATE TABLE measure (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL REFERENCES household (id),
    member_id       INTEGER,
    category        TEXT NOT NULL CHECK (category IN ('education', 'medical', 'housing', 'relocation', 'industry', 'employment', 'social_assistance')),
    kind            TEXT NOT NULL,
    name            TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    given_on TEXT NOT NULL CHECK (date(given_on) = given_on),
    amount          INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
    agency          TEXT NOT NULL DEFAULT '',
    policy_id       INTEGER REFERENCES policy (id),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    FOREIGN KEY (member_id, household_id) REFERENCES member (id, household_id)
) STRICT;
CREATE INDEX measure_household ON measure (household_id);
CREATE INDEX measure_category_given ON measure (category, given_on);
CREATE INDEX measure_policy ON measure (policy_id) WHERE policy_id IS NOT NULL;

-- 社会救助: 低保, 特困供养 (五保), 临时救助.
CREATE TABLE assistance (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL REFERENCES household (id),
    member_id       INTEGER,
    kind            TEXT NOT NULL CHECK (kind IN ('dibao', 'tekun', 'temporary')),
    start_on TEXT NOT NULL CHECK (date(start_on) = start_on),
    end_on TEXT CHECK (end_on IS NULL OR date(end_on) = end_on),
    monthly_amount  INTEGER NOT NULL DEFAULT 0 CHECK (monthly_amount >= 0),
    FOREIGN KEY (member_id, household_id) REFERENCES member (id, household_id),
    CHECK (end_on IS NULL OR end_on >= start_on)
) STRICT;
CREATE INDEX assistance_household ON assistance (household_id);

-- 帮扶责任人 and other cadres (work-team members).
CREATE TABLE cadre (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 20),
    unit            TEXT NOT NULL,
    level           TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    phone           TEXT CHECK (phone IS NULL OR (length(phone) = 11 AND phone NOT GLOB '*[^0-9]*')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

-- Who helps which household, with history: a change ends one row and starts another.
CREATE TABLE pairing (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL REFERENCES household (id),
    cadre_id        INTEGER NOT NULL REFERENCES cadre (id),
    start_on TEXT NOT NULL CHECK (date(start_on) = start_on),
    end_on TEXT CHECK (end_on IS NULL OR date(end_on) = end_on),
    CHECK (end_on IS NULL OR end_on >= start_on)
) STRICT;
CREATE UNIQUE INDEX pairing_current ON pairing (household_id) WHERE end_on IS NULL;
CREATE INDEX pairing_cadre ON pairing (cadre_id);

-- 走访
CREATE TABLE visit (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL REFERENCES household (id),
    cadre_id        INTEGER NOT NULL REFERENCES cadre (id),
    visited_on TEXT NOT NULL CHECK (date(visited_on) = visited_on),
    note            TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX visit_household ON visit (household_id, visited_on);

-- 驻村工作队: one leader (第一书记) per team.
CREATE TABLE work_team (
    id              INTEGER PRIMARY KEY,
    village_code    TEXT NOT NULL REFERENCES region (code),
    unit            TEXT NOT NULL,
    start_on TEXT NOT NULL CHECK (date(start_on) = start_on),
    end_on TEXT CHECK (end_on IS NULL OR date(end_on) = end_on),
    CHECK (end_on IS NULL OR end_on >= start_on)
) STRICT;
CREATE INDEX work_team_village ON work_team (village_code);

CREATE TABLE work_team_member (
    team_id         INTEGER NOT NULL REFERENCES work_team (id),
    cadre_id        INTEGER NOT NULL REFERENCES cadre (id),
    role            TEXT NOT NULL CHECK (role IN ('leader', 'member')),
    PRIMARY KEY (team_id, cadre_id)
) STRICT;
CREATE UNIQUE INDEX work_team_one_leader ON work_team_member (team_id) WHERE role = 'leader';

-- Yearly figures are data, not constants: the poverty line and the city's targets.
CREATE TABLE poverty_line (
    year            INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    line_yuan       INTEGER NOT NULL CHECK (line_yuan > 0)
) STRICT;

CREATE TABLE annual_target (
    year            INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    persons_exit    INTEGER NOT NULL CHECK (persons_exit >= 0),
    households_exit INTEGER NOT NULL CHECK (households_exit >= 0),
    villages_exit   INTEGER NOT NULL DEFAULT 0 CHECK (villages_exit >= 0)
) STRICT;

-- Who changed what, when, with the record before and after (JSON). Rows are never changed.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    entity          TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    before_json     TEXT,
    after_json      TEXT
) STRICT;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
