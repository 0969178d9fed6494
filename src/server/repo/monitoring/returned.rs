//! Where a case goes when its notice is withdrawn: an objection upheld (异议成立), or staff taking
//! the household off the notice. The notice cannot be decided any more, so the case returns to
//! the village's democratic review (民主评议) after its correction: the village reviews again and
//! either refuses (an identification closes with its reason, a clearing leaves the household
//! monitored) or approves, and a new notice is published. Every path ends somewhere.
use super::{calendar, head, write::insert_step, write::stamp};
use crate::{
    model::{
        codes::NoticeKind,
        monitoring::{Stage, due},
    },
    server::{
        db::{Tx, sql},
        repo::audit::{Audit, json},
    },
};
use chrono::NaiveDate;

const ENTRY: &str = "SELECT e.household_id, n.kind, n.id FROM notice_entry e \
     JOIN notice n ON n.id = e.notice_id WHERE e.id = $1";
const CASE_AT: &str = "SELECT id FROM monitoring_case WHERE household_id = $1 AND stage = $2";
const RETURN: &str = "\
UPDATE monitoring_case SET stage = $3, stage_on = $4, due_on = $5, version = version + 1,
    updated_by = $6, updated_at = $7
WHERE id = $1 AND stage = $2";

/// The stage a case at a notice stage returns to when its notice is withdrawn: the one before
/// the village's review, so that the review is the next step.
pub fn returned_to(notice_stage: Stage) -> Stage {
    if notice_stage.is_clearing() {
        Stage::ClearHomeCheck
    } else {
        Stage::CrossCheck
    }
}

/// In the transaction that withdrew notice entry `entry` on `today`: when it was a monitoring or
/// clearing notice whose case waits on it, the case returns to its village review, with a step
/// on the timeline (`why`: the upheld objection's answer, or empty) and an audit row. Answers the
/// case moved, if any.
pub(crate) async fn notice_withdrawn(
    tx: &mut Tx,
    entry: i64,
    today: NaiveDate,
    actor: &str,
    why: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let Some((household, kind, notice)) = sql(ENTRY)
        .bind(entry)
        .fetch_optional::<(i64, NoticeKind, i64)>(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let at = match kind {
        NoticeKind::Monitoring => Stage::Notice,
        NoticeKind::Clearing => Stage::ClearNotice,
        NoticeKind::Identification | NoticeKind::Exit => return Ok(None),
    };
    let Some(case) = sql(CASE_AT)
        .bind(household)
        .bind(at)
        .scalar_optional::<i64>(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    let Some(h) = head(&mut *tx, case).await? else {
        return Ok(None);
    };
    let back = returned_to(at);
    let on = h.stage_on.max(today);
    let cal = calendar(&mut *tx).await?;
    let moved = sql(RETURN)
        .bind(case)
        .bind(at)
        .bind(back)
        .bind(on)
        .bind(due(&cal, back, h.raised_on, h.clearing_from))
        .bind(actor)
        .bind(stamp())
        .execute(&mut *tx)
        .await?;
    if moved == 0 {
        return Ok(None);
    }
    let note = why.trim();
    insert_step(
        tx,
        case,
        at,
        on,
        actor,
        false,
        "",
        false,
        note,
        Some(notice),
    )
    .await?;
    let after = serde_json::json!({ "stage": back, "notice_id": notice, "entry_id": entry,
        "note": note });
    Audit::new(actor, "case_returned", "monitoring_case", case)
        .before(json(&at))
        .after(after.to_string())
        .write(&mut *tx)
        .await?;
    Ok(Some(case))
}
