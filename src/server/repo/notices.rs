//! Public notices (公示): proposing households for identification or exit, the notices' public
//! and staff views, and the gate a decision must pass (over, every objection answered).
use super::{audit::Audit, places::Range, updates::short_time};
use crate::{
    model::{codes::*, id_number::mask_id, transparency::*},
    server::db::{Conn, Db, Tx, sql, sql_built},
};
use chrono::{NaiveDate, Utc};

mod view;
pub use view::*;

const DAYS: &str = "SELECT days FROM notice_setting WHERE year = $1";
const SET_DAYS: &str = "INSERT INTO notice_setting (year, days) VALUES ($1, $2) \
     ON CONFLICT (year) DO UPDATE SET days = excluded.days";

/// How many days a notice starting in `year` runs at least (10 unless the year says more).
pub async fn notice_days(db: &Db, year: i32) -> Result<i64, sqlx::Error> {
    let days: Option<i64> = sql(DAYS).bind(i64::from(year)).scalar_optional(db).await?;
    Ok(days.unwrap_or(MIN_NOTICE_DAYS))
}

/// Sets the notice length of `year` (10..=60 days, checked by the caller and the database).
pub async fn set_notice_days(
    db: &Db,
    year: i32,
    days: i64,
    actor: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sql(SET_DAYS)
        .bind(i64::from(year))
        .bind(days)
        .execute(&mut tx)
        .await?;
    let after = serde_json::json!({ "year": year, "days": days }).to_string();
    Audit::new(actor, "set_notice_days", "notice_setting", year)
        .after(after)
        .write(&mut tx)
        .await?;
    tx.commit().await
}

const HOUSEHOLD_FOR_NOTICE: &str = "SELECT village_code, status FROM household WHERE id = $1";
const PENDING_ENTRY: &str = "SELECT COUNT(*) FROM notice_entry e JOIN notice n ON n.id = e.notice_id \
     WHERE e.household_id = $1 AND n.kind = $2 AND e.state = 'proposed'";
const INSERT_NOTICE: &str = "INSERT INTO notice (village_code, kind, starts_on, ends_on, created_by, \
     created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
const INSERT_ENTRY: &str =
    "INSERT INTO notice_entry (notice_id, household_id, reason) VALUES ($1, $2, $3)";

/// Puts the households of `f` on notice: one notice per village, from `f.starts_on` for `f.days`
/// days. A household already exited (for exit), already exited (for identification: only poor
/// or relapsed households are identified), or already on a running proposal of the same kind is
/// refused with its position.
pub async fn propose(db: &Db, f: &ProposeForm, actor: &str) -> Result<Proposed, sqlx::Error> {
    let refused = |field: String, code| Ok(Proposed::Refused { field, code });
    let Some(starts_on) = f.starts_on else {
        return refused("starts_on".into(), "required");
    };
    let ends_on = notice_end(starts_on, f.days);
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let mut by_village: Vec<(String, Vec<&ProposedHousehold>)> = Vec::new();
    for (i, h) in f.households.iter().enumerate() {
        let row: Option<(String, Status)> = sql(HOUSEHOLD_FOR_NOTICE)
            .bind(h.household_id)
            .fetch_optional(&mut tx)
            .await?;
        let Some((village, status)) = row else {
            return refused(format!("households.{i}"), "notice_household_unknown");
        };
        if status == Status::Exited {
            return refused(format!("households.{i}"), "notice_already_exited");
        }
        // The register's notices are for register households (monitoring has its own).
        if status == Status::Ordinary {
            return refused(format!("households.{i}"), "notice_household_unknown");
        }
        let pending: i64 = sql(PENDING_ENTRY)
            .bind(h.household_id)
            .bind(f.kind)
            .scalar(&mut tx)
            .await?;
        if pending > 0 {
            return refused(format!("households.{i}"), "notice_pending");
        }
        match by_village.iter_mut().find(|(v, _)| *v == village) {
            Some((_, list)) => list.push(h),
            None => by_village.push((village, vec![h])),
        }
    }
    let mut ids = Vec::with_capacity(by_village.len());
    for (village, list) in by_village {
        let id: i64 = sql(INSERT_NOTICE)
            .bind(&village)
            .bind(f.kind)
            .bind(starts_on)
            .bind(ends_on)
            .bind(actor)
            .bind(now)
            .scalar(&mut tx)
            .await?;
        for h in &list {
            sql(INSERT_ENTRY)
                .bind(id)
                .bind(h.household_id)
                .bind(h.reason.trim())
                .execute(&mut tx)
                .await?;
            let after = serde_json::json!({ "notice_id": id, "kind": f.kind,
                "starts_on": starts_on, "ends_on": ends_on, "reason": h.reason.trim() });
            Audit::household(actor, "propose", h.household_id)
                .after(after.to_string())
                .write(&mut tx)
                .await?;
        }
        let after = serde_json::json!({ "village": village, "kind": f.kind,
            "starts_on": starts_on, "ends_on": ends_on,
            "households": list.iter().map(|h| h.household_id).collect::<Vec<_>>() });
        Audit::new(actor, "create_notice", "notice", id)
            .after(after.to_string())
            .write(&mut tx)
            .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(Proposed::Notices(ids))
}

/// What a proposal came to: the new notices' numbers, or the field and the reason it is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Proposed {
    Notices(Vec<i64>),
    Refused { field: String, code: &'static str },
}

/// Whether a household's proposed entry may be decided: open (the entry to mark), or shut with
/// the message code (the notice runs, an objection waits, there is no entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Open(i64),
    Shut(&'static str),
}

impl Gate {
    /// The reason it is shut, if it is.
    pub fn shut(self) -> Option<&'static str> {
        match self {
            Gate::Open(_) => None,
            Gate::Shut(code) => Some(code),
        }
    }
}

/// Where a notice entry is.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryInfo {
    pub notice_id: i64,
    pub village_code: String,
    pub kind: NoticeKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub state: EntryState,
    pub household_id: i64,
}

const ENTRY_INFO: &str = "SELECT n.id AS notice_id, n.village_code, n.kind, n.starts_on, \
     n.ends_on, e.state, e.household_id FROM notice_entry e JOIN notice n ON n.id = e.notice_id \
     WHERE e.id = $1";

/// The notice, village and state of entry `id`.
pub async fn entry_info(db: &Db, id: i64) -> Result<Option<EntryInfo>, sqlx::Error> {
    sql(ENTRY_INFO).bind(id).fetch_optional(db).await
}

/// The household's proposed entry of a kind, its notice's end and its open objections.
const GATE: &str = "\
SELECT e.id, n.ends_on, (SELECT COUNT(*) FROM objection o WHERE o.entry_id = e.id AND o.outcome IS NULL)
FROM notice_entry e JOIN notice n ON n.id = e.notice_id
WHERE e.household_id = $1 AND n.kind = $2 AND e.state = 'proposed'
ORDER BY e.id DESC LIMIT 1";

/// Whether the proposed `kind` of `household` may be finalised on `today`, read on `on` (the
/// deciding transaction, or the pool for a first check).
async fn gate_on<'c>(
    on: impl Into<Conn<'c>>,
    household: i64,
    kind: NoticeKind,
    today: NaiveDate,
) -> Result<Gate, sqlx::Error> {
    let entry: Option<(i64, NaiveDate, i64)> = sql(GATE)
        .bind(household)
        .bind(kind)
        .fetch_optional(on)
        .await?;
    Ok(
        match finalise_block(
            entry.map(|(_, ends_on, _)| (EntryState::Proposed, ends_on)),
            entry.map(|(.., open)| open).unwrap_or(0),
            today,
        ) {
            Some(code) => Gate::Shut(code),
            None => Gate::Open(entry.map(|(id, ..)| id).unwrap_or_default()),
        },
    )
}

/// The gate, outside a transaction (a first check; the write checks again with [`gate_in`]).
pub async fn gate(
    db: &Db,
    household: i64,
    kind: NoticeKind,
    today: NaiveDate,
) -> Result<Gate, sqlx::Error> {
    gate_on(db, household, kind, today).await
}

/// The gate inside the deciding transaction.
pub(crate) async fn gate_in(
    tx: &mut Tx,
    household: i64,
    kind: NoticeKind,
    today: NaiveDate,
) -> Result<Gate, sqlx::Error> {
    gate_on(tx, household, kind, today).await
}

/// Passes household `household`'s `kind` gate inside `tx` and, when it is open, decides its entry:
/// `state` on `on` (finalised after an approval, withdrawn after a refusal). Returns the gate.
pub(crate) async fn pass_gate(
    tx: &mut Tx,
    household: i64,
    kind: NoticeKind,
    today: NaiveDate,
    state: EntryState,
    on: NaiveDate,
) -> Result<Gate, sqlx::Error> {
    let gate = gate_in(tx, household, kind, today).await?;
    if let Gate::Open(entry) = gate {
        sql(DECIDE_ENTRY)
            .bind(entry)
            .bind(state)
            .bind(on)
            .execute(tx)
            .await?;
    }
    Ok(gate)
}

/// Marks an entry decided.
pub const DECIDE_ENTRY: &str =
    "UPDATE notice_entry SET state = $2, decided_on = $3 WHERE id = $1 AND state = 'proposed'";

/// Finalises the identification of household `household` after its notice: refused (the message
/// code) while the notice runs or an objection on it waits for an answer. Returns the gate it
/// met: open with the entry now finalised, or shut.
pub async fn finalise_identification(
    db: &Db,
    household: i64,
    today: NaiveDate,
    actor: &str,
) -> Result<Gate, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let kind = NoticeKind::Identification;
    let entry = match pass_gate(
        &mut tx,
        household,
        kind,
        today,
        EntryState::Finalised,
        today,
    )
    .await?
    {
        Gate::Open(id) => id,
        shut => return Ok(shut),
    };
    let after = serde_json::json!({ "entry_id": entry, "on": today }).to_string();
    Audit::household(actor, "finalise_identification", household)
        .after(after)
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Gate::Open(entry))
}

/// Takes a proposed household off its notice (staff changed their mind, or the household
/// disagreed); it may be proposed again later. A monitoring case waiting on the notice returns
/// to its village review in the same transaction.
pub async fn withdraw_entry(
    db: &Db,
    entry: i64,
    today: NaiveDate,
    actor: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let n = sql(DECIDE_ENTRY)
        .bind(entry)
        .bind(EntryState::Withdrawn)
        .bind(today)
        .execute(&mut tx)
        .await?;
    if n == 0 {
        return Ok(false);
    }
    super::monitoring::notice_withdrawn(&mut tx, entry, today, actor, "").await?;
    let after = serde_json::json!({ "entry_id": entry, "on": today }).to_string();
    Audit::new(actor, "withdraw_entry", "notice_entry", entry)
        .after(after)
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}
