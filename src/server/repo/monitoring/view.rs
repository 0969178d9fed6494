//! The case page's reads, in one snapshot: the case, its household and what the register knows
//! of it (the cross-check), the timeline, the plan, the warnings and what blocks the next step.
use super::{clear_facts, head, line_for, notice_days, notice_kind};
use crate::{
    model::{
        codes::Role,
        help::MeasureEntry,
        id_number::mask_id,
        monitoring::{
            PlanLine, Stage,
            case::{CaseView, NextBlock, PlanEntry, StepEntry},
            clear_check, without_development,
        },
    },
    server::{
        db::{Db, sql},
        repo::{household::read, notices::gate_in, records::assistance_on},
    },
};
use chrono::NaiveDate;

/// The timeline, each step's actor by the name staff know them by (the login name for the
/// command line and removed accounts), and whether its notice was posted on paper.
const STEPS: &str = "SELECT s.stage, s.done_on, COALESCE(u.display_name, s.actor) AS actor, \
     s.approved, s.people, s.consent, s.note, s.notice_id, \
     COALESCE(n.on_paper, 0 = 1) AS on_paper \
     FROM case_step s LEFT JOIN staff_user u ON u.username = s.actor \
     LEFT JOIN notice n ON n.id = s.notice_id WHERE s.case_id = $1 ORDER BY s.id";
const PLAN: &str = "SELECT p.id, p.category, p.member_id, m.name AS member, p.name, p.due_on, \
     g.given_on AS done_on FROM case_plan p LEFT JOIN member m ON m.id = p.member_id \
     LEFT JOIN measure g ON g.id = p.measure_id WHERE p.case_id = $1 ORDER BY p.due_on, p.id";
const MEASURES: &str = "SELECT m.given_on, m.category, m.name, m.amount, p.name AS member \
     FROM measure m LEFT JOIN member p ON p.id = m.member_id WHERE m.case_id = $1 \
     ORDER BY m.given_on DESC, m.id DESC LIMIT 100";

/// The case page of case `id` for staff of `role` on `today` (`None`: no such case).
pub async fn case_view(
    db: &Db,
    id: i64,
    role: Role,
    today: NaiveDate,
) -> Result<Option<CaseView>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let Some(h) = head(&mut tx, id).await? else {
        return Ok(None);
    };
    let Some(mut household) = read(&mut tx, h.household_id).await? else {
        return Ok(None);
    };
    for m in &mut household.members {
        m.id_number = m.id_number.as_deref().map(mask_id);
    }
    let steps: Vec<StepEntry> = sql(STEPS).bind(id).fetch_all(&mut tx).await?;
    let plan: Vec<PlanEntry> = sql(PLAN).bind(id).fetch_all(&mut tx).await?;
    let measures: Vec<MeasureEntry> = sql(MEASURES).bind(id).fetch_all(&mut tx).await?;
    let assistance = assistance_on(&mut tx, h.household_id).await?;
    let facts = clear_facts(&mut tx, &h, &household, today).await?;
    let village_name = crate::server::repo::region::get(&mut tx, &household.village_code)
        .await?
        .map(|v| v.name)
        .unwrap_or_default();
    let next = h.stage.next();
    let block = match next {
        Some(_) if matches!(h.stage, Stage::Notice | Stage::ClearNotice) => {
            gate_in(&mut tx, h.household_id, notice_kind(h.stage), today)
                .await?
                .shut()
                .map(|code| NextBlock::Notice { code: code.into() })
        }
        Some(Stage::ClearHomeCheck) => {
            let reasons = clear_check(&household, &facts, today);
            (!reasons.is_empty()).then_some(NextBlock::Clearing { reasons })
        }
        _ => None,
    };
    let days = match next {
        Some(n) if n.is_notice() => notice_days(&mut tx, notice_kind(n)).await?,
        _ => 0,
    };
    tx.commit().await?;
    let lines: Vec<PlanLine> = plan
        .iter()
        .map(|p| PlanLine {
            category: p.category,
            member_id: p.member_id,
        })
        .collect();
    let without_development = if h.stage.is_monitored() {
        without_development(&household, &lines, today)
            .into_iter()
            .map(|m| m.name.clone())
            .collect()
    } else {
        Vec::new()
    };
    Ok(Some(CaseView {
        overdue: h.due_on.is_some_and(|d| d < today),
        line: line_for(&facts, today),
        risks: facts.risks,
        incomes: facts.incomes,
        may_act: next.is_some_and(|n| n.owner().allows(role)),
        notice_days: days,
        household,
        village_name,
        steps,
        plan,
        measures,
        assistance,
        without_development,
        next,
        block,
        today,
        head: h,
    }))
}
