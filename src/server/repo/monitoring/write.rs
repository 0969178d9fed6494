//! The procedure's writes: a case opened from a lead, and each step recorded (a notice step
//! publishes its notice).
use super::{calendar, clear_facts, head, notice_days, notice_kind, register_status};
use crate::server::repo::{Saved, SavedBy};
use crate::{
    model::{
        codes::{EntryState, Role, Status},
        monitoring::{
            Stage,
            case::{CaseHead, LeadInput, StepInput, people, step_problems},
            category_fits, clear_check, due,
        },
        transparency::notice_end,
    },
    server::{
        db::{Db, Tx, sql},
        repo::{
            audit::{Audit, json},
            household::{beijing_time, is_unique_violation, read},
            notices::{Gate, pass_gate},
        },
    },
};
use chrono::{NaiveDate, Utc};

const OPEN_CASE: &str = "SELECT COUNT(*) FROM monitoring_case \
     WHERE household_id = $1 AND stage NOT IN ('cleared', 'closed')";
pub(super) const STATUS_OF: &str = "SELECT status, village_code FROM household WHERE id = $1";
const INSERT_CASE: &str = "\
INSERT INTO monitoring_case (household_id, category, channel, source, description, stage, raised_on,
    stage_on, due_on, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, 'lead', $6, $6, $7, $8, $9) RETURNING id";
const INSERT_RISK: &str = "INSERT INTO case_risk (case_id, rank, risk) VALUES ($1, $2, $3)";
const INSERT_STEP: &str = "\
INSERT INTO case_step (case_id, stage, done_on, actor, approved, people, consent, note, notice_id, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const MOVE: &str = "\
UPDATE monitoring_case SET stage = $3, stage_on = $4, due_on = $5, monitored_on = $6,
    clearing_from = $7, cleared_on = $8, closed_reason = $9, held_on = $10,
    version = version + 1, updated_by = $11, updated_at = $12
WHERE id = $1 AND version = $2 RETURNING version";
const INSERT_NOTICE: &str = "INSERT INTO notice (village_code, kind, starts_on, ends_on, \
     created_by, created_at, on_paper) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const INSERT_ENTRY: &str =
    "INSERT INTO notice_entry (notice_id, household_id, reason) VALUES ($1, $2, $3) RETURNING id";

/// The time a change is stamped with, as the record pages show it.
pub(super) fn stamp() -> chrono::DateTime<Utc> {
    Utc::now()
}

/// Opens a case from a lead: the household must exist, fit the category, and have no open case.
pub async fn open_case(db: &Db, lead: &LeadInput, actor: &str) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some((status, _village)) = sql(STATUS_OF)
        .bind(lead.household_id)
        .fetch_optional::<(Status, String)>(&mut tx)
        .await?
    else {
        return Ok(Saved::Missing);
    };
    if !category_fits(lead.category, register_status(status)) {
        return Ok(Saved::rejected("category", "category_mismatch"));
    }
    let open: i64 = sql(OPEN_CASE)
        .bind(lead.household_id)
        .scalar(&mut tx)
        .await?;
    if open > 0 {
        return Ok(Saved::rejected("household_id", "case_open"));
    }
    let cal = calendar(&mut tx).await?;
    let now = stamp();
    let inserted = sql(INSERT_CASE)
        .bind(lead.household_id)
        .bind(lead.category)
        .bind(lead.channel)
        .bind(lead.source.trim())
        .bind(lead.description.trim())
        .bind(lead.raised_on)
        .bind(due(&cal, Stage::Lead, lead.raised_on, None))
        .bind(actor)
        .bind(now)
        .scalar::<i64>(&mut tx)
        .await;
    let id = match inserted {
        Ok(id) => id,
        // Another lead for the household won the race to the one open case.
        Err(e) if is_unique_violation(&e) => {
            return Ok(Saved::rejected("household_id", "case_open"));
        }
        Err(e) => return Err(e),
    };
    for (rank, risk) in lead.risks.iter().enumerate() {
        sql(INSERT_RISK)
            .bind(id)
            .bind(rank as i64 + 1)
            .bind(*risk)
            .execute(&mut tx)
            .await?;
    }
    insert_step(
        &mut tx,
        id,
        Stage::Lead,
        lead.raised_on,
        actor,
        true,
        "",
        false,
        "",
        None,
    )
    .await?;
    Audit::new(actor, "open_case", "monitoring_case", id)
        .after(json(lead))
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok { id, version: 1 })
}

/// One step on the case's timeline (rows are never changed).
#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_step(
    tx: &mut Tx,
    case: i64,
    stage: Stage,
    done_on: NaiveDate,
    actor: &str,
    approved: bool,
    people: &str,
    consent: bool,
    note: &str,
    notice: Option<i64>,
) -> Result<(), sqlx::Error> {
    sql(INSERT_STEP)
        .bind(case)
        .bind(stage)
        .bind(done_on)
        .bind(actor)
        .bind(approved)
        .bind(people)
        .bind(consent)
        .bind(note)
        .bind(notice)
        .bind(stamp())
        .execute(tx)
        .await?;
    Ok(())
}

/// The outcome for a write that did not find its case at the version it expected: missing, or
/// changed by someone else (who and when).
pub(super) async fn not_current(
    tx: &mut Tx,
    found: Option<CaseHead>,
) -> Result<Saved, sqlx::Error> {
    match found {
        None => Ok(Saved::Missing),
        Some(h) => stale(tx, &h).await,
    }
}

/// Who changed the case last (by the name staff know them by; the login name for the command
/// line and removed accounts), and when, as a stale form is told.
const LAST_MOVED: &str = "SELECT COALESCE(u.display_name, c.updated_by), \
     CAST(c.updated_at AS TEXT) FROM monitoring_case c \
     LEFT JOIN staff_user u ON u.username = c.updated_by WHERE c.id = $1";

/// Who changed the case last, and when, as a stale form is told.
pub(super) async fn stale(tx: &mut Tx, h: &CaseHead) -> Result<Saved, sqlx::Error> {
    let (by, at): (String, String) = sql(LAST_MOVED).bind(h.id).fetch_one(tx).await?;
    Ok(Saved::Stale {
        current_version: h.version,
        by: Some(SavedBy {
            by,
            at: beijing_time(&at),
        }),
    })
}

/// Records the next step of case `s.case_id` on top of its version `s.version`, by staff of
/// `role`: in order, by the level that owns it, with what that step needs; a notice step
/// publishes the notice, the step after a notice waits for it to end with every objection
/// answered, and a clearing (its start and its county decision) passes the clearing check.
pub async fn step(
    db: &Db,
    s: &StepInput,
    role: Role,
    actor: &str,
    today: NaiveDate,
) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let h = match head(&mut tx, s.case_id).await? {
        Some(h) if h.version == s.version => h,
        found => return not_current(&mut tx, found).await,
    };
    if h.stage.next() != Some(s.stage) {
        return Ok(Saved::rejected("stage", "stage_order"));
    }
    if !s.stage.owner().allows(role) {
        return Ok(Saved::Forbidden);
    }
    let min_days = notice_days(&mut tx, notice_kind(s.stage)).await?;
    if let Some((field, code)) = step_problems(s, h.stage, h.stage_on, min_days, today).first() {
        return Ok(Saved::rejected(field, code));
    }
    // Only a review may refuse; any other step is done or not recorded.
    let approved = s.approved || !s.stage.is_review();
    let Some(household) = read(&mut tx, h.household_id).await? else {
        return Ok(Saved::Missing);
    };
    // The step after a notice: the notice over, every objection answered.
    let mut notice_id = None;
    if matches!(h.stage, Stage::Notice | Stage::ClearNotice) {
        let state = if approved {
            EntryState::Finalised
        } else {
            EntryState::Withdrawn
        };
        let kind = notice_kind(h.stage);
        let gate = pass_gate(&mut tx, h.household_id, kind, today, state, s.done_on).await?;
        if let Gate::Shut(code) = gate {
            return Ok(Saved::rejected("stage", code));
        }
    }
    if s.stage.is_notice() {
        notice_id = Some(publish(&mut tx, &h, s, &household.village_code, actor).await?);
    }
    // Starting a clearing and deciding it: the clearing check, on the step's date.
    if approved && matches!(s.stage, Stage::ClearHomeCheck | Stage::Cleared) {
        let facts = clear_facts(&mut tx, &h, &household, s.done_on).await?;
        let reasons = clear_check(&household, &facts, s.done_on);
        if !reasons.is_empty() {
            return Ok(Saved::ClearRefused(reasons));
        }
    }
    let reached = if approved {
        s.stage
    } else {
        s.stage.refused_to()
    };
    let cal = calendar(&mut tx).await?;
    let clearing_from = match reached {
        Stage::ClearHomeCheck => Some(s.done_on),
        Stage::Monitored => None,
        _ => h.clearing_from,
    };
    let names = people(&s.people).join("、");
    let note = s.note.trim();
    let version: Option<i64> = sql(MOVE)
        .bind(h.id)
        .bind(h.version)
        .bind(reached)
        .bind(s.done_on)
        .bind(due(&cal, reached, h.raised_on, clearing_from))
        .bind(
            h.monitored_on
                .or((reached == Stage::Monitored).then_some(s.done_on)),
        )
        .bind(clearing_from)
        .bind((reached == Stage::Cleared).then_some(s.done_on))
        .bind((reached == Stage::Closed).then_some(note))
        .bind(if reached == Stage::ClearHomeCheck {
            None
        } else {
            h.held_on
        })
        .bind(actor)
        .bind(stamp())
        .scalar_optional(&mut tx)
        .await?;
    let Some(version) = version else {
        return stale(&mut tx, &h).await;
    };
    insert_step(
        &mut tx, h.id, s.stage, s.done_on, actor, approved, &names, s.consent, note, notice_id,
    )
    .await?;
    let after = serde_json::json!({
        "stage": s.stage, "reached": reached, "done_on": s.done_on, "approved": approved,
        "people": names, "consent": s.consent, "note": note, "notice_id": notice_id,
        "on_paper": s.is_paper_notice(),
    });
    Audit::new(actor, "case_step", "monitoring_case", h.id)
        .before(json(&h.stage))
        .after(after.to_string())
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok { id: h.id, version })
}

/// Publishes the notice of a notice step: one notice of the household's village with its one
/// entry, from the step's date for the days asked (today, unless it records a paper notice).
/// The public reason names the category only.
async fn publish(
    tx: &mut Tx,
    h: &CaseHead,
    s: &StepInput,
    village: &str,
    actor: &str,
) -> Result<i64, sqlx::Error> {
    use crate::model::codes::Label;
    let kind = notice_kind(s.stage);
    let reason = if s.stage.is_clearing() {
        "经核实，拟标注为风险已消除".to_string()
    } else {
        format!("经核实，拟纳入防止返贫监测对象（{}）", h.category.zh())
    };
    let id: i64 = sql(INSERT_NOTICE)
        .bind(village)
        .bind(kind)
        .bind(s.done_on)
        .bind(notice_end(s.done_on, s.notice_days))
        .bind(actor)
        .bind(stamp())
        .bind(s.is_paper_notice())
        .scalar(&mut *tx)
        .await?;
    sql(INSERT_ENTRY)
        .bind(id)
        .bind(h.household_id)
        .bind(reason)
        .scalar::<i64>(&mut *tx)
        .await?;
    Ok(id)
}
