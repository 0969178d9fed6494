//! Monitoring cases (防止返贫动态监测): opened from a lead, moved through the procedure one dated
//! step at a time, helped by a plan, cleared. Every write is one transaction with its audit row,
//! names the case version it was based on where it changes the case, and writes nothing when it
//! is refused.
use crate::{
    model::{
        codes::{AssistanceKind, NoticeKind, Status},
        monitoring::{
            Calendar, ClearFacts, Risk, Stage,
            case::{CaseBrief, CaseHead},
        },
    },
    server::db::{Conn, Db, sql},
};
use chrono::{Datelike, NaiveDate};

mod desk;
mod marks;
mod returned;
mod view;
mod write;

pub use desk::*;
pub use marks::*;
pub use returned::*;
pub use view::*;
pub use write::*;

const HEAD: &str = "SELECT id, household_id, category, channel, source, description, stage, \
     raised_on, stage_on, due_on, monitored_on, clearing_from, cleared_on, spending_resolved_on, \
     held_on, closed_reason, version, updated_by FROM monitoring_case WHERE id = $1";
const RISKS: &str = "SELECT risk FROM case_risk WHERE case_id = $1 ORDER BY rank";
const HOLIDAYS: &str = "SELECT day, workday FROM holiday";
const NOTICE_DAYS: &str = "SELECT days FROM monitoring_notice_days WHERE kind = $1";
const LINES: &str = "SELECT year, line_yuan FROM monitoring_line WHERE province_code = $1";
const RUNNING_ASSISTANCE: &str = "SELECT DISTINCT kind FROM assistance WHERE household_id = $1 \
     AND start_on <= $2 AND (end_on IS NULL OR end_on >= $2)";
const CASES_OF: &str = "SELECT id, category, stage, raised_on FROM monitoring_case \
     WHERE household_id = $1 ORDER BY id DESC LIMIT 20";
const HOUSEHOLD_OF_CASE: &str = "SELECT household_id FROM monitoring_case WHERE id = $1";

/// The case's own fields (`None`: no such case).
pub async fn head<'c>(on: impl Into<Conn<'c>>, id: i64) -> Result<Option<CaseHead>, sqlx::Error> {
    sql(HEAD).bind(id).fetch_optional(on).await
}

/// A household's cases, newest first.
pub async fn cases_of(db: &Db, household: i64) -> Result<Vec<CaseBrief>, sqlx::Error> {
    sql(CASES_OF).bind(household).fetch_all(db).await
}

/// The household a case is about (`None`: no such case), for the scope check.
pub async fn household_of(db: &Db, case: i64) -> Result<Option<i64>, sqlx::Error> {
    sql(HOUSEHOLD_OF_CASE).bind(case).scalar_optional(db).await
}

/// The case's risk types, main first.
pub async fn risks<'c>(on: impl Into<Conn<'c>>, id: i64) -> Result<Vec<Risk>, sqlx::Error> {
    sql(RISKS).bind(id).scalars(on).await
}

/// The working-day calendar (weekends, and the holiday table).
pub async fn calendar<'c>(on: impl Into<Conn<'c>>) -> Result<Calendar, sqlx::Error> {
    let days: Vec<(NaiveDate, bool)> = sql(HOLIDAYS).fetch_all(on).await?;
    let mut cal = Calendar::default();
    for (day, workday) in days {
        if workday {
            cal.workdays.insert(day);
        } else {
            cal.holidays.insert(day);
        }
    }
    Ok(cal)
}

/// The notice kind a notice step publishes.
pub fn notice_kind(stage: Stage) -> NoticeKind {
    if stage.is_clearing() {
        NoticeKind::Clearing
    } else {
        NoticeKind::Monitoring
    }
}

/// Least days a monitoring notice of `kind` runs (5 and 7 unless the city set otherwise).
pub async fn notice_days<'c>(
    on: impl Into<Conn<'c>>,
    kind: NoticeKind,
) -> Result<i64, sqlx::Error> {
    let days: Option<i64> = sql(NOTICE_DAYS).bind(kind).scalar_optional(on).await?;
    Ok(days.unwrap_or(match kind {
        NoticeKind::Clearing => 7,
        _ => 5,
    }))
}

/// The GB/T 2260 province of a 12-digit village code (`430581…` → `430000`).
pub fn province_of(village_code: &str) -> String {
    let two: String = village_code.chars().take(2).collect();
    format!("{two:0<2}0000")
}

/// What the clearing check reads about case `head`'s household on `on`, read in `tx`.
pub(crate) async fn clear_facts(
    tx: &mut crate::server::db::Tx,
    head: &CaseHead,
    household: &crate::model::registry::Household,
    on: NaiveDate,
) -> Result<ClearFacts, sqlx::Error> {
    let incomes = crate::server::repo::records::incomes_on(&mut *tx, head.household_id).await?;
    let lines: Vec<(i64, i64)> = sql(LINES)
        .bind(province_of(&household.village_code))
        .fetch_all(&mut *tx)
        .await?;
    let assistance: Vec<AssistanceKind> = sql(RUNNING_ASSISTANCE)
        .bind(head.household_id)
        .bind(on)
        .scalars(&mut *tx)
        .await?;
    Ok(ClearFacts {
        incomes,
        lines: lines
            .into_iter()
            .filter_map(|(y, l)| Some((i32::try_from(y).ok()?, l)))
            .collect(),
        assistance,
        risks: risks(&mut *tx, head.id).await?,
        spending_resolved: head.spending_resolved_on.is_some(),
    })
}

/// The monitoring line of the latest recorded income year (`on`'s year or the one before).
pub fn line_for(facts: &ClearFacts, on: NaiveDate) -> Option<(i32, i64)> {
    [on.year(), on.year() - 1]
        .into_iter()
        .find(|y| facts.incomes.iter().any(|i| i.year == i64::from(*y)))
        .and_then(|y| facts.lines.iter().find(|(ly, _)| *ly == y).copied())
}

/// A household's register status as monitoring reads it: `None` for an ordinary household.
pub fn register_status(status: Status) -> Option<Status> {
    (status != Status::Ordinary).then_some(status)
}
