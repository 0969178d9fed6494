//! The case's marks (spending resolved, 暂不标注) and its plan: planned measures, and measures
//! recorded against it.
use super::{
    clear_facts, head,
    write::{not_current, stale, stamp},
};
use crate::{
    model::{
        help::MeasureInput,
        monitoring::{
            Stage,
            case::{CaseHead, PlanInput},
            held_on_support,
        },
    },
    server::{
        db::{Db, sql},
        repo::{
            Saved,
            audit::Audit,
            household::read,
            records::{foreign_member, insert_measure},
        },
    },
};
use chrono::NaiveDate;

const MARK: &str = "\
UPDATE monitoring_case SET spending_resolved_on = $3, held_on = $4, version = version + 1,
    updated_by = $5, updated_at = $6
WHERE id = $1 AND version = $2 RETURNING version";
const INSERT_PLAN: &str = "INSERT INTO case_plan (case_id, category, member_id, name, due_on, \
     created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
const PLAN_DONE: &str = "UPDATE case_plan SET measure_id = $3 \
     WHERE id = $1 AND case_id = $2 AND measure_id IS NULL";

/// Marks the case's spending cause resolved on `on` (a condition of clearing).
pub async fn resolve_spending(
    db: &Db,
    id: i64,
    expected: i64,
    on: NaiveDate,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    mark(db, id, expected, actor, "resolve_spending", None, |h, _| {
        if !h.stage.is_monitored() {
            return Err(("stage", "case_not_monitored"));
        }
        Ok((Some(on), h.held_on))
    })
    .await
}

/// Marks a monitored household 暂不标注 on `on`: it lives on 低保 or 特困供养 and no member can work,
/// so it stays monitored instead of being cleared. Refused when that does not hold.
pub async fn hold(
    db: &Db,
    id: i64,
    expected: i64,
    on: NaiveDate,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    mark(
        db,
        id,
        expected,
        actor,
        "hold",
        Some(on),
        move |h, holds| {
            if h.stage != Stage::Monitored {
                return Err(("stage", "case_not_monitored"));
            }
            if !holds {
                return Err(("stage", "hold_not_applicable"));
            }
            Ok((h.spending_resolved_on, Some(on)))
        },
    )
    .await
}

/// One versioned change of the case's marks. With `hold_on`, whether 暂不标注 holds on that day
/// is read in the same transaction; `decide` gives the new spending-resolved and held dates, or
/// the refusal.
async fn mark(
    db: &Db,
    id: i64,
    expected: i64,
    actor: &str,
    action: &str,
    hold_on: Option<NaiveDate>,
    decide: impl FnOnce(
        &CaseHead,
        bool,
    )
        -> Result<(Option<NaiveDate>, Option<NaiveDate>), (&'static str, &'static str)>,
) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let h = match head(&mut tx, id).await? {
        Some(h) if h.version == expected => h,
        found => return not_current(&mut tx, found).await,
    };
    let mut holds = false;
    if let Some(on) = hold_on
        && let Some(household) = read(&mut tx, h.household_id).await?
    {
        let facts = clear_facts(&mut tx, &h, &household, on).await?;
        holds = held_on_support(&household, &facts.assistance, on);
    }
    let (resolved, held) = match decide(&h, holds) {
        Ok(marks) => marks,
        Err((field, code)) => return Ok(Saved::rejected(field, code)),
    };
    let version: Option<i64> = sql(MARK)
        .bind(id)
        .bind(expected)
        .bind(resolved)
        .bind(held)
        .bind(actor)
        .bind(stamp())
        .scalar_optional(&mut tx)
        .await?;
    let Some(version) = version else {
        return stale(&mut tx, &h).await;
    };
    let after = serde_json::json!({ "spending_resolved_on": resolved, "held_on": held });
    Audit::new(actor, action, "monitoring_case", id)
        .after(after.to_string())
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok { id, version })
}

/// Adds a planned measure to a monitored case (appending changes nothing: no version).
pub async fn add_plan(db: &Db, p: &PlanInput, actor: &str) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(h) = head(&mut tx, p.case_id).await? else {
        return Ok(Saved::Missing);
    };
    if !h.stage.is_monitored() {
        return Ok(Saved::rejected("case_id", "case_not_monitored"));
    }
    if foreign_member(&mut tx, p.member_id, h.household_id).await? {
        return Ok(Saved::rejected("member_id", "member_not_in_household"));
    }
    let line: i64 = sql(INSERT_PLAN)
        .bind(p.case_id)
        .bind(p.category)
        .bind(p.member_id)
        .bind(p.name.trim())
        .bind(p.due_on)
        .bind(actor)
        .bind(stamp())
        .scalar(&mut tx)
        .await?;
    Audit::new(actor, "add_plan", "monitoring_case", p.case_id)
        .after(serde_json::json!({ "plan_id": line, "plan": p }).to_string())
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok {
        id: line,
        version: h.version,
    })
}

/// Records a measure given against case `case` (for its household), marking plan line `plan`
/// done when named; a line already done is refused. Helper cadres may, for their households.
pub async fn record_measure(
    db: &Db,
    case: i64,
    plan: Option<i64>,
    m: &MeasureInput,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let Some(h) = head(&mut tx, case).await? else {
        return Ok(Saved::Missing);
    };
    if h.household_id != m.household_id {
        return Ok(Saved::Missing);
    }
    if foreign_member(&mut tx, m.member_id, h.household_id).await? {
        return Ok(Saved::rejected("member_id", "member_not_in_household"));
    }
    let measure = insert_measure(&mut tx, m, "case_plan", Some(case)).await?;
    if let Some(line) = plan
        && sql(PLAN_DONE)
            .bind(line)
            .bind(case)
            .bind(measure)
            .execute(&mut tx)
            .await?
            == 0
    {
        return Ok(Saved::rejected("plan_id", "plan_done"));
    }
    Audit::new(actor, "case_measure", "monitoring_case", case)
        .after(
            serde_json::json!({ "measure_id": measure, "plan_id": plan, "measure": m }).to_string(),
        )
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok {
        id: measure,
        version: h.version,
    })
}
