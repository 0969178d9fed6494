-- What monitoring (防止返贫动态监测, since 2021) reads before any case exists: the monitoring line
-- per province and year and the working-day calendar (both data, set by city staff or loaded
-- each year), the year's compliant out-of-pocket spending beside the income, and social
-- assistance as staff now keep it (the approving agency, a one-off sum for 临时救助).
CREATE TABLE monitoring_line (
    -- GB/T 2260 province code, six digits ('430000' is Hunan).
    province_code   TEXT NOT NULL CHECK (province_code ~ '^[0-9]{6}$'),
    year            BIGINT NOT NULL CHECK (year BETWEEN 2021 AND 2100),
    line_yuan       BIGINT NOT NULL CHECK (line_yuan BETWEEN 1 AND 1000000),
    -- Where the figure comes from, or that it is a placeholder.
    note            TEXT NOT NULL DEFAULT '' CHECK (char_length(note) <= 200),
    PRIMARY KEY (province_code, year)
);

-- Days that break the weekday rule: public holidays (workday = false) and the weekend days
-- worked in their place (调休上班, workday = true).
CREATE TABLE holiday (
    day             DATE PRIMARY KEY,
    workday         BOOLEAN NOT NULL DEFAULT FALSE,
    name            TEXT NOT NULL DEFAULT '' CHECK (char_length(name) <= 40)
);

-- 合规自付支出: it lowers the income monitoring counts, never the net income the register shows.
ALTER TABLE household_income ADD COLUMN spending BIGINT NOT NULL DEFAULT 0 CHECK (spending >= 0);

-- 临时救助 is paid once (lump_sum); 低保 and 特困供养 monthly. The agency that approved it.
ALTER TABLE assistance ADD COLUMN lump_sum BIGINT NOT NULL DEFAULT 0 CHECK (lump_sum >= 0);
ALTER TABLE assistance ADD COLUMN agency TEXT NOT NULL DEFAULT '' CHECK (char_length(agency) <= 100);
CREATE INDEX assistance_kind ON assistance (kind, household_id);

-- Public pages will show the lines: kept pages must go when one changes (assistance moves the
-- counter since 0012).
CREATE TRIGGER monitoring_line_changed AFTER INSERT OR UPDATE OR DELETE ON monitoring_line
    FOR EACH STATEMENT EXECUTE FUNCTION stats_generation_bump();
