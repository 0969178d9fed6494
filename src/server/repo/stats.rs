//! The dashboard's summaries per village (migrations 0007_stats) and the aggregates read from
//! them. Every write that changes a village's households, members or measures recomputes that
//! village's rows in the same transaction ([`refresh_village`]), so the figures are never stale;
//! a whole rebuild runs after the demo seed and on a database that predates the summaries.
use crate::{
    model::{
        codes::*,
        dashboard::*,
        place::{PlaceCode, PlaceRange},
        rules,
    },
    server::db::{Db, Tx, sql},
};

mod dashboard;
pub use dashboard::*;

/// The SELECT part of each summary, for the villages chosen by `$where` (a condition on `v`, the
/// village row of `region`).
macro_rules! stats_sql {
    // One pass over the village's households, each with its count of members still there.
    (village, $where:literal) => {
        concat!(
            "INSERT INTO village_stats (village_code, households, persons, poor_households, poor_persons) ",
            "SELECT v.code, COUNT(x.status), COALESCE(SUM(x.n), 0), ",
            "COALESCE(SUM(CASE WHEN x.status <> 'exited' THEN 1 ELSE 0 END), 0), ",
            "COALESCE(SUM(CASE WHEN x.status <> 'exited' THEN x.n ELSE 0 END), 0) ",
            "FROM region v LEFT JOIN (SELECT h.village_code, h.status, ",
            " (SELECT COUNT(*) FROM member m WHERE m.household_id = h.id AND m.active) AS n ",
            " FROM household h WHERE h.status <> 'ordinary') x ON x.village_code = v.code ",
            "WHERE v.level = 'village' AND ", $where, " GROUP BY v.code"
        )
    };
    (exit, $where:literal) => {
        concat!(
            "INSERT INTO exit_stats (village_code, month, households, persons) ",
            "SELECT x.village_code, x.month, COUNT(*), SUM(x.n) FROM (",
            " SELECT h.village_code, substr(CAST(h.exited_on AS TEXT), 1, 7) AS month, ",
            " (SELECT COUNT(*) FROM member m WHERE m.household_id = h.id AND m.active) AS n ",
            " FROM household h JOIN region v ON v.code = h.village_code ",
            " WHERE h.exited_on IS NOT NULL AND ", $where,
            ") x GROUP BY x.village_code, x.month"
        )
    };
    (cause, $where:literal) => {
        concat!(
            "INSERT INTO cause_stats (village_code, cause, households) ",
            "SELECT h.village_code, c.cause, COUNT(*) FROM household h ",
            "JOIN household_cause c ON c.household_id = h.id AND c.rank = 1 ",
            "JOIN region v ON v.code = h.village_code WHERE h.status <> 'ordinary' AND ", $where,
            " GROUP BY h.village_code, c.cause"
        )
    };
    // The first hundred households still in poverty of each village, in its page's order (by
    // group, then household), each with its head, main cause and persons.
    (poor_list, $where:literal) => {
        concat!(
            "INSERT INTO village_poor_list (village_code, household_id, group_no, attribute, status, ",
            "head_name, main_cause, persons) ",
            "SELECT x.village_code, x.id, x.group_no, x.attribute, x.status, ",
            " (SELECT m.name FROM member m WHERE m.household_id = x.id AND m.active AND m.relation = 'head'), ",
            " (SELECT c.cause FROM household_cause c WHERE c.household_id = x.id AND c.rank = 1), ",
            " (SELECT COUNT(*) FROM member m WHERE m.household_id = x.id AND m.active) ",
            "FROM (SELECT h.id, h.village_code, h.group_no, h.attribute, h.status, ",
            " ROW_NUMBER() OVER (PARTITION BY h.village_code ORDER BY h.group_no, h.id) AS n ",
            " FROM household h JOIN region v ON v.code = h.village_code ",
            " WHERE h.status IN ('poor', 'relapsed') AND ", $where, ") x WHERE x.n <= 100"
        )
    };
    (measure, $where:literal) => {
        concat!(
            "INSERT INTO measure_stats (village_code, year, category, measures, amount) ",
            "SELECT x.village_code, x.y, x.category, COUNT(*), SUM(x.amount) FROM (",
            " SELECT h.village_code, CAST(substr(CAST(m.given_on AS TEXT), 1, 4) AS INTEGER) AS y, ",
            " m.category, m.amount FROM household h JOIN measure m ON m.household_id = h.id ",
            " JOIN region v ON v.code = h.village_code WHERE h.status <> 'ordinary' AND ", $where,
            ") x GROUP BY x.village_code, x.y, x.category"
        )
    };
}

/// A village's household and person counts and its exits by month (status or members changed).
pub const REFRESH_COUNTS: &[&str] = &[
    "DELETE FROM village_stats WHERE village_code = $1",
    stats_sql!(village, "v.code = $1"),
    "DELETE FROM exit_stats WHERE village_code = $1",
    stats_sql!(exit, "v.code = $1"),
];
/// A village's main causes (a household added or its causes edited).
pub const REFRESH_CAUSES: &[&str] = &[
    "DELETE FROM cause_stats WHERE village_code = $1",
    stats_sql!(cause, "v.code = $1"),
];
/// A village's measures (a measure recorded).
pub const REFRESH_MEASURES: &[&str] = &[
    "DELETE FROM measure_stats WHERE village_code = $1",
    stats_sql!(measure, "v.code = $1"),
];
/// A village's first hundred households still in poverty, as its public page lists them (a
/// status, a member, a group or a cause changed).
pub const REFRESH_POOR_LIST: &[&str] = &[
    "DELETE FROM village_poor_list WHERE village_code = $1",
    stats_sql!(poor_list, "v.code = $1"),
];
/// Every summary of a village.
pub const REFRESH_VILLAGE: [&[&str]; 4] = [
    REFRESH_COUNTS,
    REFRESH_CAUSES,
    REFRESH_MEASURES,
    REFRESH_POOR_LIST,
];

/// Every village's list (a database made before the lists were kept).
const REFRESH_POOR_LIST_ALL: [&str; 2] = [
    "DELETE FROM village_poor_list",
    stats_sql!(poor_list, "1 = 1"),
];

pub const REBUILD_ALL: [&str; 10] = [
    "DELETE FROM village_stats",
    stats_sql!(village, "1 = 1"),
    "DELETE FROM exit_stats",
    stats_sql!(exit, "1 = 1"),
    "DELETE FROM cause_stats",
    stats_sql!(cause, "1 = 1"),
    "DELETE FROM measure_stats",
    stats_sql!(measure, "1 = 1"),
    "DELETE FROM village_poor_list",
    stats_sql!(poor_list, "1 = 1"),
];

/// Recomputes the summaries `parts` (e.g. `&[REFRESH_COUNTS]`) of village `code` inside the
/// open transaction `tx` — only those the write can have changed.
pub(crate) async fn refresh_village(
    tx: &mut Tx,
    code: &str,
    parts: &[&[&'static str]],
) -> Result<(), sqlx::Error> {
    for part in parts {
        for &statement in part.iter() {
            sql(statement).bind(code).execute(&mut *tx).await?;
        }
    }
    Ok(())
}

/// Recomputes every summary in one transaction (after a bulk load).
pub async fn rebuild_all(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    for statement in REBUILD_ALL {
        tx.execute(statement).await?;
    }
    tx.commit().await
}

/// Builds the summaries of a database that has households but none yet (one made before the
/// summaries existed).
pub async fn rebuild_if_missing(db: &Db) -> Result<bool, sqlx::Error> {
    let (stats, households): (i64, i64) =
        sql("SELECT (SELECT COUNT(*) FROM village_stats), (SELECT COUNT(*) FROM household)")
            .fetch_one(db)
            .await?;
    if stats == 0 && households > 0 {
        rebuild_all(db).await?;
        return Ok(true);
    }
    // A database made before the villages' lists were kept (migration 0018): built once.
    let (listed, poor): (i64, i64) = sql("SELECT (SELECT COUNT(*) FROM village_poor_list), \
         (SELECT COUNT(*) FROM household WHERE status IN ('poor', 'relapsed'))")
    .fetch_one(db)
    .await?;
    if listed == 0 && poor > 0 {
        let mut tx = db.begin().await?;
        for statement in REFRESH_POOR_LIST_ALL {
            tx.execute(statement).await?;
        }
        tx.commit().await?;
        return Ok(true);
    }
    Ok(false)
}

/// Households and persons on the whole register, from the summaries.
pub async fn register_totals(db: &Db) -> Result<(i64, i64), sqlx::Error> {
    sql("SELECT CAST(COALESCE(SUM(households), 0) AS BIGINT), \
         CAST(COALESCE(SUM(persons), 0) AS BIGINT) FROM village_stats")
    .fetch_one(db)
    .await
}

/// The village-code range a filter covers: one township's villages share its first nine digits.
fn range(township: Option<&str>) -> PlaceRange {
    township
        .and_then(PlaceCode::parse)
        .map_or_else(PlaceRange::all, |t| t.township_of().range())
}
