//! The dashboard's statements. Every column is named: the rows are read into the named structs
//! of [`super::rows`].

pub(super) const TOTALS: &str = "SELECT CAST(COALESCE(SUM(households), 0) AS BIGINT) AS households, \
     CAST(COALESCE(SUM(persons), 0) AS BIGINT) AS persons, \
     CAST(COALESCE(SUM(poor_households), 0) AS BIGINT) AS poor_households, \
     CAST(COALESCE(SUM(poor_persons), 0) AS BIGINT) AS poor_persons FROM village_stats \
     WHERE village_code >= $1 AND village_code <= $2";

pub(super) const VILLAGES: &str = "SELECT v.code, v.name, t.name AS township, \
     COALESCE(v.rural_population, 0) AS rural_population, \
     COALESCE(s.poor_households, 0) AS poor_households, \
     COALESCE(s.poor_persons, 0) AS poor_persons \
     FROM region v JOIN region t ON t.code = v.parent_code \
     LEFT JOIN village_stats s ON s.village_code = v.code \
     WHERE v.level = 'village' AND v.code >= $1 AND v.code <= $2";

pub(super) const MONTHS: &str = "SELECT month, CAST(SUM(households) AS BIGINT) AS households, \
     CAST(SUM(persons) AS BIGINT) AS persons \
     FROM exit_stats WHERE village_code >= $1 AND village_code <= $2 AND month >= $3 AND month <= $4 \
     GROUP BY month ORDER BY month";

pub(super) const TARGET: &str =
    "SELECT persons_exit, households_exit, villages_exit FROM annual_target WHERE year = $1";

pub(super) const TARGET_YEARS: &str = "SELECT year FROM annual_target ORDER BY year";

pub(super) const TOWNSHIPS: &str = "SELECT t.code, t.name, \
     CAST(COALESCE(SUM(s.households), 0) AS BIGINT) AS households, \
     CAST(COALESCE(SUM(s.poor_households), 0) AS BIGINT) AS poor_households, \
     CAST(COALESCE(SUM(s.persons), 0) AS BIGINT) AS persons, \
     CAST(COALESCE(SUM(s.poor_persons), 0) AS BIGINT) AS poor_persons \
     FROM region t JOIN region v ON v.parent_code = t.code \
     LEFT JOIN village_stats s ON s.village_code = v.code \
     WHERE t.level = 'township' GROUP BY t.code, t.name ORDER BY t.code";

pub(super) const CAUSES: &str = "SELECT cause, CAST(SUM(households) AS BIGINT) AS households FROM cause_stats \
     WHERE village_code >= $1 AND village_code <= $2 GROUP BY cause";

pub(super) const MEASURES: &str = "SELECT category, CAST(SUM(measures) AS BIGINT) AS measures, \
     CAST(SUM(amount) AS BIGINT) AS amount \
     FROM measure_stats WHERE village_code >= $1 AND village_code <= $2 AND year = $3 GROUP BY category";

pub(super) const HOLDING_BACK: &str = "SELECT h.id, \
     (SELECT m.name FROM member m WHERE m.household_id = h.id AND m.active AND m.relation = 'head') AS head, \
     (SELECT COUNT(*) FROM member m WHERE m.household_id = h.id AND m.active) AS persons \
     FROM household h WHERE h.village_code = $1 AND h.status IN ('poor', 'relapsed') ORDER BY h.id LIMIT 8";

// The monitoring and assistance figures are read for the whole city at once, grouped by township
// (the first nine digits of a village code): a township's dashboard is its slice of the same rows,
// so the city's and every township's dashboard share one reading per generation and day. A case
// carries its household's village (migration 0015): the cases are read alone.

/// Monitoring objects (cases that reached the county decision) by township and category, with
/// those cleared.
pub(super) const MONITORING_CATEGORIES: &str = "SELECT SUBSTR(c.village_code, 1, 9) AS township, c.category, \
     COUNT(*) AS identified, \
     CAST(COALESCE(SUM(CASE WHEN c.cleared_on IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS cleared \
     FROM monitoring_case c WHERE c.monitored_on IS NOT NULL GROUP BY 1, 2";

/// Monitoring objects by township and main risk type.
pub(super) const MONITORING_RISKS: &str = "SELECT SUBSTR(c.village_code, 1, 9) AS township, r.risk, COUNT(*) AS n \
     FROM monitoring_case c JOIN case_risk r ON r.case_id = c.id AND r.rank = 1 \
     WHERE c.monitored_on IS NOT NULL GROUP BY 1, 2";

/// Cases not finished by township and stage, and how many of them are past their deadline on `$1`.
pub(super) const MONITORING_STAGES: &str = "SELECT SUBSTR(c.village_code, 1, 9) AS township, c.stage, COUNT(*) AS n, \
     CAST(COALESCE(SUM(CASE WHEN c.due_on < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue \
     FROM monitoring_case c WHERE c.stage NOT IN ('cleared', 'closed') GROUP BY 1, 2";

/// Monitoring objects by township, the year they were identified in and the year they were
/// cleared in (none while not cleared): every year's flow follows from these counts.
pub(super) const MONITORING_YEARS: &str = "SELECT SUBSTR(c.village_code, 1, 9) AS township, \
     CAST(SUBSTR(CAST(c.monitored_on AS TEXT), 1, 4) AS INTEGER) AS identified_in, \
     CAST(SUBSTR(CAST(c.cleared_on AS TEXT), 1, 4) AS INTEGER) AS cleared_in, COUNT(*) AS n \
     FROM monitoring_case c WHERE c.monitored_on IS NOT NULL GROUP BY 1, 2, 3";

/// Register households (ordinary households left out, as in every register figure) with social
/// assistance running on `$1`, by township and kind.
pub(super) const ASSISTANCE_HOUSEHOLDS: &str = "SELECT SUBSTR(h.village_code, 1, 9) AS township, a.kind, \
     COUNT(DISTINCT a.household_id) AS n FROM assistance a JOIN household h ON h.id = a.household_id \
     WHERE a.start_on <= $1 AND (a.end_on IS NULL OR a.end_on >= $1) AND h.status <> 'ordinary' \
     GROUP BY 1, 2";

/// Persons of register households with social assistance running on `$1`, by township and kind:
/// every member still in a household whose whole household is enrolled (counted from the index
/// of active members, without reading the members' rows), then each member enrolled alone whose
/// household is not.
pub(super) const ASSISTANCE_PERSONS: &str = "SELECT x.t AS township, x.kind, CAST(SUM(x.n) AS BIGINT) AS n FROM ( \
     SELECT SUBSTR(h.village_code, 1, 9) AS t, e.kind AS kind, \
     (SELECT COUNT(*) FROM member m WHERE m.household_id = e.household_id AND m.active) AS n \
     FROM (SELECT DISTINCT a.kind, a.household_id FROM assistance a WHERE a.member_id IS NULL \
     AND a.start_on <= $1 AND (a.end_on IS NULL OR a.end_on >= $1)) e \
     JOIN household h ON h.id = e.household_id WHERE h.status <> 'ordinary' \
     UNION ALL \
     SELECT SUBSTR(h.village_code, 1, 9), e.kind, 1 \
     FROM (SELECT DISTINCT a.kind, a.member_id FROM assistance a WHERE a.member_id IS NOT NULL \
     AND a.start_on <= $1 AND (a.end_on IS NULL OR a.end_on >= $1)) e \
     JOIN member m ON m.id = e.member_id AND m.active JOIN household h ON h.id = m.household_id \
     WHERE h.status <> 'ordinary' AND NOT EXISTS (SELECT 1 FROM assistance w WHERE w.household_id = m.household_id \
     AND w.kind = e.kind AND w.member_id IS NULL \
     AND w.start_on <= $1 AND (w.end_on IS NULL OR w.end_on >= $1)) \
     ) x GROUP BY x.t, x.kind";
