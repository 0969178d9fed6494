//! Social assistance enrolments (低保, 特困供养, 临时救助): read for the record, added, and ended.
//! Adding appends and ending changes only a running enrolment, so neither takes the household's
//! version; each is one transaction with its audit row.
use super::foreign_member;
use crate::{
    model::{
        codes::AssistanceKind,
        help::{AssistanceEntry, AssistanceInput},
    },
    server::{
        db::{Conn, Db, Tx, sql},
        repo::{
            Saved,
            audit::{Audit, json},
            household::{is_unique_violation, version},
        },
    },
};
use chrono::NaiveDate;

const ENTRIES: &str = "SELECT a.id, a.kind, a.member_id, p.name AS member, a.start_on, a.end_on, \
     a.monthly_amount, a.lump_sum, a.agency FROM assistance a \
     LEFT JOIN member p ON p.id = a.member_id WHERE a.household_id = $1 \
     ORDER BY a.end_on IS NOT NULL, a.start_on DESC, a.id DESC LIMIT 100";

const ENTRY: &str = "SELECT a.id, a.kind, a.member_id, p.name AS member, a.start_on, a.end_on, \
     a.monthly_amount, a.lump_sum, a.agency FROM assistance a \
     LEFT JOIN member p ON p.id = a.member_id WHERE a.id = $1 AND a.household_id = $2";

const INSERT: &str = "\
INSERT INTO assistance (household_id, member_id, kind, start_on, end_on, monthly_amount, lump_sum, agency)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

const END: &str = "UPDATE assistance SET end_on = $3 \
     WHERE id = $1 AND household_id = $2 AND end_on IS NULL";

/// A household's enrolments (at most 100): running first, then by start, newest first.
pub async fn assistance(db: &Db, id: i64) -> Result<Vec<AssistanceEntry>, sqlx::Error> {
    assistance_on(db, id).await
}

/// [`assistance`], read on `on` (a transaction, or the pool).
pub(crate) async fn assistance_on<'c>(
    on: impl Into<Conn<'c>>,
    id: i64,
) -> Result<Vec<AssistanceEntry>, sqlx::Error> {
    sql(ENTRIES).bind(id).fetch_all(on).await
}

/// Adds an enrolment; 临时救助, paid once, ends the day it starts.
pub async fn add_assistance(
    db: &Db,
    a: &AssistanceInput,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if foreign_member(&mut tx, a.member_id, a.household_id).await? {
        return Ok(Saved::Rejected {
            field: "member_id".into(),
            code: "member_not_in_household",
        });
    }
    match insert_assistance(&mut tx, a, actor).await {
        // The same kind for the same person from the same day is held already (perhaps added
        // by someone else a moment ago): refused, nothing written.
        Err(e) if is_unique_violation(&e) => {
            return Ok(Saved::Rejected {
                field: "start_on".into(),
                code: "assistance_exists",
            });
        }
        done => done?,
    };
    let version = version(&mut tx, a.household_id).await?.unwrap_or_default();
    tx.commit().await?;
    Ok(Saved::Ok {
        id: a.household_id,
        version,
    })
}

/// Writes enrolment `a` (its member already checked to be the household's) with its audit row,
/// in `tx`: the record page's and the import's one way to add one. Returns its id.
pub(crate) async fn insert_assistance(
    tx: &mut Tx,
    a: &AssistanceInput,
    actor: &str,
) -> Result<i64, sqlx::Error> {
    let end_on = (a.kind == AssistanceKind::Temporary).then_some(a.start_on);
    let row: i64 = sql(INSERT)
        .bind(a.household_id)
        .bind(a.member_id)
        .bind(a.kind)
        .bind(a.start_on)
        .bind(end_on)
        .bind(a.monthly_amount)
        .bind(a.lump_sum)
        .bind(a.agency.trim())
        .scalar(&mut *tx)
        .await?;
    let after: AssistanceEntry = sql(ENTRY)
        .bind(row)
        .bind(a.household_id)
        .fetch_one(&mut *tx)
        .await?;
    Audit::household(actor, "add_assistance", a.household_id)
        .after(json(&after))
        .write(&mut *tx)
        .await?;
    Ok(row)
}

/// Ends running enrolment `row` of household `id` on `end_on`. One already ended (by another
/// hand meanwhile) is refused, and `end_on` before its start too; an unknown one is missing.
pub async fn end_assistance(
    db: &Db,
    id: i64,
    row: i64,
    end_on: NaiveDate,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(before) = sql(ENTRY)
        .bind(row)
        .bind(id)
        .fetch_optional::<AssistanceEntry>(&mut tx)
        .await?
    else {
        return Ok(Saved::Missing);
    };
    let refused = |code| Saved::Rejected {
        field: "end_on".into(),
        code,
    };
    if before.end_on.is_some() {
        return Ok(refused("assistance_ended"));
    }
    if end_on < before.start_on {
        return Ok(refused("end_before_start"));
    }
    if sql(END)
        .bind(row)
        .bind(id)
        .bind(end_on)
        .execute(&mut tx)
        .await?
        == 0
    {
        return Ok(refused("assistance_ended"));
    }
    let after = AssistanceEntry {
        end_on: Some(end_on),
        ..before.clone()
    };
    Audit::household(actor, "end_assistance", id)
        .before(json(&before))
        .after(json(&after))
        .write(&mut tx)
        .await?;
    let version = version(&mut tx, id).await?.unwrap_or_default();
    tx.commit().await?;
    Ok(Saved::Ok { id, version })
}
