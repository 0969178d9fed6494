//! Objections (异议) to a household on a running notice: filed by the public (bounded per address,
//! each answered question used once), answered once by staff; an upheld objection takes the
//! household off the notice (and a monitoring case waiting on it back to its village review).
use super::{audit::Audit, notices::DECIDE_ENTRY};
use crate::{
    model::{codes::*, transparency::notice_runs},
    server::db::{Db, sql},
};
use chrono::{DateTime, NaiveDate, Utc};

/// Why an objection was not filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    Ok(i64),
    /// The notice does not run today (not yet, or over).
    Closed,
    /// No such household on this notice (or no longer proposed).
    UnknownEntry,
    /// Too many objections from this address lately.
    Throttled,
    /// This answered question was already used.
    Replayed,
}

/// Objections one address may file per hour.
pub const OBJECTIONS_PER_HOUR: i64 = 5;

const ENTRY_OF_NOTICE: &str = "SELECT n.starts_on, n.ends_on, e.state FROM notice_entry e \
     JOIN notice n ON n.id = e.notice_id WHERE e.id = $1 AND n.id = $2";
const RECENT_FROM: &str =
    "SELECT COUNT(*) FROM objection WHERE address_key = $1 AND filed_at >= $2";
const CHALLENGE_USED: &str = "SELECT COUNT(*) FROM objection WHERE challenge = $1";
const INSERT_OBJECTION: &str = "INSERT INTO objection (entry_id, reason, contact, filed_at, \
     address_key, challenge) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

/// Files an objection against entry `entry` of notice `notice` on `today`, if the notice runs and
/// the address has not filed [`OBJECTIONS_PER_HOUR`] in the last hour. `address_key` is a keyed
/// hash of the filer's address (never the address itself); `challenge` the answered question.
#[allow(clippy::too_many_arguments)]
pub async fn file_objection(
    db: &Db,
    notice: i64,
    entry: i64,
    reason: &str,
    contact: Option<&str>,
    address_key: &str,
    challenge: &str,
    today: NaiveDate,
) -> Result<Filed, sqlx::Error> {
    let now: DateTime<Utc> = Utc::now();
    let mut tx = db.begin_write().await?;
    let row: Option<(NaiveDate, NaiveDate, EntryState)> = sql(ENTRY_OF_NOTICE)
        .bind(entry)
        .bind(notice)
        .fetch_optional(&mut tx)
        .await?;
    let Some((starts_on, ends_on, state)) = row else {
        return Ok(Filed::UnknownEntry);
    };
    if !notice_runs(starts_on, ends_on, today) {
        return Ok(Filed::Closed);
    }
    if state != EntryState::Proposed {
        return Ok(Filed::UnknownEntry);
    }
    let recent: i64 = sql(RECENT_FROM)
        .bind(address_key)
        .bind(now - chrono::Duration::hours(1))
        .scalar(&mut tx)
        .await?;
    if recent >= OBJECTIONS_PER_HOUR {
        return Ok(Filed::Throttled);
    }
    let used: i64 = sql(CHALLENGE_USED).bind(challenge).scalar(&mut tx).await?;
    if used > 0 {
        return Ok(Filed::Replayed);
    }
    let id: i64 = sql(INSERT_OBJECTION)
        .bind(entry)
        .bind(reason.trim())
        .bind(contact.map(str::trim).filter(|c| !c.is_empty()))
        .bind(now)
        .bind(address_key)
        .bind(challenge)
        .scalar(&mut tx)
        .await?;
    let after = serde_json::json!({ "notice_id": notice, "entry_id": entry }).to_string();
    Audit::new("public", "file_objection", "objection", id)
        .after(after)
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Filed::Ok(id))
}

const OBJECTION_INFO: &str = "SELECT n.village_code, o.entry_id, o.outcome FROM objection o \
     JOIN notice_entry e ON e.id = o.entry_id JOIN notice n ON n.id = e.notice_id WHERE o.id = $1";
const ANSWER: &str = "UPDATE objection SET outcome = $2, answer = $3, answered_by = $4, \
     answered_at = $5 WHERE id = $1 AND outcome IS NULL";

#[derive(sqlx::FromRow)]
struct ObjectionInfo {
    village_code: String,
    entry_id: i64,
    outcome: Option<ObjectionOutcome>,
}

/// The village of objection `id` and whether it is answered.
pub async fn objection_village(db: &Db, id: i64) -> Result<Option<(String, bool)>, sqlx::Error> {
    let row: Option<ObjectionInfo> = sql(OBJECTION_INFO).bind(id).fetch_optional(db).await?;
    Ok(row.map(|o| (o.village_code, o.outcome.is_some())))
}

/// Answers objection `id` (once): the answer is published with the notice. An upheld objection
/// takes the household off the notice.
pub async fn answer_objection(
    db: &Db,
    id: i64,
    outcome: ObjectionOutcome,
    answer: &str,
    today: NaiveDate,
    actor: &str,
) -> Result<bool, sqlx::Error> {
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let row: Option<ObjectionInfo> = sql(OBJECTION_INFO).bind(id).fetch_optional(&mut tx).await?;
    let Some(ObjectionInfo {
        entry_id: entry,
        outcome: None,
        ..
    }) = row
    else {
        return Ok(false);
    };
    sql(ANSWER)
        .bind(id)
        .bind(outcome)
        .bind(answer.trim())
        .bind(actor)
        .bind(now)
        .execute(&mut tx)
        .await?;
    if outcome == ObjectionOutcome::Upheld {
        let withdrawn = sql(DECIDE_ENTRY)
            .bind(entry)
            .bind(EntryState::Withdrawn)
            .bind(today)
            .execute(&mut tx)
            .await?;
        // A monitoring or clearing case waiting on this notice returns to its village review.
        if withdrawn > 0 {
            super::monitoring::notice_withdrawn(&mut tx, entry, today, actor, answer).await?;
        }
    }
    let after = serde_json::json!({ "outcome": outcome, "answer": answer.trim(),
        "entry_id": entry })
    .to_string();
    Audit::new(actor, "answer_objection", "objection", id)
        .after(after)
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}
