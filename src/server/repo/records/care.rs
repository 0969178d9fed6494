//! The care a household receives: measures given, visits by its helper cadre, and the helper
//! pairing (handed over with a date, the old pairing kept in the history).
use super::{bump_version, foreign_member};
use crate::{
    model::{
        help::{MeasureEntry, MeasureInput, VisitEntry},
        staff::CadreBrief,
    },
    server::{
        db::{Db, sql},
        repo::{
            Saved,
            audit::{Audit, json},
            household::version,
            stats::{REFRESH_MEASURES, refresh_village},
        },
    },
};
use chrono::NaiveDate;

const VILLAGE_OF: &str = "SELECT village_code FROM household WHERE id = $1";

const INSERT_MEASURE: &str = "\
INSERT INTO measure (household_id, member_id, category, kind, name, given_on, amount, agency, case_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";

/// Writes measure `m` (of `kind`: who entered it) in `tx`, against monitoring case `case` when
/// given, refreshes its village's measure counts, and answers the new row's id.
pub(crate) async fn insert_measure(
    tx: &mut crate::server::db::Tx,
    m: &MeasureInput,
    kind: &str,
    case: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sql(INSERT_MEASURE)
        .bind(m.household_id)
        .bind(m.member_id)
        .bind(m.category)
        .bind(kind)
        .bind(m.name.trim())
        .bind(m.given_on)
        .bind(m.amount)
        .bind(m.agency.trim())
        .bind(case)
        .scalar(&mut *tx)
        .await?;
    let village: String = sql(VILLAGE_OF)
        .bind(m.household_id)
        .scalar(&mut *tx)
        .await?;
    refresh_village(&mut *tx, &village, &[REFRESH_MEASURES]).await?;
    Ok(id)
}

/// Records a measure given to a household (or one of its members). Appending overwrites nothing,
/// so it does not take the household's version.
pub async fn record_measure(db: &Db, m: &MeasureInput, actor: &str) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if foreign_member(&mut tx, m.member_id, m.household_id).await? {
        return Ok(Saved::Rejected {
            field: "member_id".into(),
            code: "member_not_in_household",
        });
    }
    insert_measure(&mut tx, m, "staff_entry", None).await?;
    Audit::household(actor, "record_measure", m.household_id)
        .after(json(m))
        .write(&mut tx)
        .await?;
    let version = version(&mut tx, m.household_id).await?.unwrap_or_default();
    tx.commit().await?;
    Ok(Saved::Ok {
        id: m.household_id,
        version,
    })
}

const MEASURES: &str = "SELECT m.given_on, m.category, m.name, m.amount, p.name AS member \
     FROM measure m LEFT JOIN member p ON p.id = m.member_id WHERE m.household_id = $1 \
     ORDER BY m.given_on DESC, m.id DESC LIMIT 50";

/// The latest 50 measures of a household, newest first.
pub async fn measures(db: &Db, id: i64) -> Result<Vec<MeasureEntry>, sqlx::Error> {
    sql(MEASURES).bind(id).fetch_all(db).await
}

const CURRENT_HELPER: &str = "SELECT c.id, c.name, c.unit FROM pairing p \
     JOIN cadre c ON c.id = p.cadre_id WHERE p.household_id = $1 AND p.end_on IS NULL";

const INSERT_VISIT: &str =
    "INSERT INTO visit (household_id, cadre_id, visited_on, note) VALUES ($1, $2, $3, $4)";

/// The household's current helper cadre, if any.
pub async fn helper(db: &Db, id: i64) -> Result<Option<CadreBrief>, sqlx::Error> {
    sql(CURRENT_HELPER).bind(id).fetch_optional(db).await
}

/// Records a visit by `cadre` (a helper cadre's own; for other staff, the household's current
/// helper — a household without one cannot be visited on record).
pub async fn record_visit(
    db: &Db,
    id: i64,
    cadre: Option<i64>,
    visited_on: NaiveDate,
    note: &str,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let cadre = match cadre {
        Some(c) => Some(c),
        None => sql(CURRENT_HELPER)
            .bind(id)
            .fetch_optional::<CadreBrief>(&mut tx)
            .await?
            .map(|c| c.id),
    };
    let Some(cadre) = cadre else {
        return Ok(Saved::Rejected {
            field: "visited_on".into(),
            code: "no_helper",
        });
    };
    sql(INSERT_VISIT)
        .bind(id)
        .bind(cadre)
        .bind(visited_on)
        .bind(note.trim())
        .execute(&mut tx)
        .await?;
    let after =
        serde_json::json!({ "cadre_id": cadre, "visited_on": visited_on, "note": note.trim() });
    Audit::household(actor, "record_visit", id)
        .after(after.to_string())
        .write(&mut tx)
        .await?;
    let version = version(&mut tx, id).await?.unwrap_or_default();
    tx.commit().await?;
    Ok(Saved::Ok { id, version })
}

const VISITS: &str = "SELECT v.visited_on, c.name AS cadre, v.note FROM visit v \
     JOIN cadre c ON c.id = v.cadre_id \
     WHERE v.household_id = $1 ORDER BY v.visited_on DESC, v.id DESC LIMIT 20";

/// The latest 20 visits of a household.
pub async fn visits(db: &Db, id: i64) -> Result<Vec<VisitEntry>, sqlx::Error> {
    sql(VISITS).bind(id).fetch_all(db).await
}

#[derive(sqlx::FromRow)]
struct PairingRow {
    id: i64,
    cadre_id: i64,
    start_on: NaiveDate,
}

const CURRENT_PAIRING: &str =
    "SELECT id, cadre_id, start_on FROM pairing WHERE household_id = $1 AND end_on IS NULL";

const ACTIVE_CADRE: &str = "SELECT id, name, unit FROM cadre WHERE id = $1 AND active";

const END_PAIRING: &str = "UPDATE pairing SET end_on = $2 WHERE id = $1";

const INSERT_PAIRING: &str =
    "INSERT INTO pairing (household_id, cadre_id, start_on) VALUES ($1, $2, $3)";

/// Hands the household to another helper from `start_on`: the current pairing ends that day
/// and stays in the history; the new one begins.
pub async fn change_helper(
    db: &Db,
    id: i64,
    expected: i64,
    cadre: i64,
    start_on: NaiveDate,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let version = match bump_version(&mut tx, id, expected).await? {
        Saved::Ok { version, .. } => version,
        refused => return Ok(refused),
    };
    let Some(helper) = sql(ACTIVE_CADRE)
        .bind(cadre)
        .fetch_optional::<CadreBrief>(&mut tx)
        .await?
    else {
        return Ok(Saved::Rejected {
            field: "cadre_id".into(),
            code: "cadre_unknown",
        });
    };
    let current: Option<PairingRow> = sql(CURRENT_PAIRING)
        .bind(id)
        .fetch_optional(&mut tx)
        .await?;
    if let Some(old) = &current {
        if old.cadre_id == cadre {
            return Ok(Saved::Rejected {
                field: "cadre_id".into(),
                code: "same_helper",
            });
        }
        if start_on < old.start_on {
            return Ok(Saved::Rejected {
                field: "start_on".into(),
                code: "date_order",
            });
        }
        sql(END_PAIRING)
            .bind(old.id)
            .bind(start_on)
            .execute(&mut tx)
            .await?;
    }
    sql(INSERT_PAIRING)
        .bind(id)
        .bind(cadre)
        .bind(start_on)
        .execute(&mut tx)
        .await?;
    let before = current.map(|old| {
        serde_json::json!({ "cadre_id": old.cadre_id, "start_on": old.start_on }).to_string()
    });
    let after = serde_json::json!({
        "cadre_id": cadre, "name": helper.name, "unit": helper.unit, "start_on": start_on
    });
    Audit::household(actor, "change_helper", id)
        .before(before)
        .after(after.to_string())
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok { id, version })
}
