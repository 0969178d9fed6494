//! Monitoring cases on both backends: the whole life of a case (lead → monitored → plan →
//! cleared → monitored again), every refusal (out of order, wrong role, home check, notice
//! running, objection open, clearing conditions, 暂不标注), concurrent steps, deadlines over a
//! weekend and a holiday, and ordinary households kept off every public read.
mod bad_input;
mod figures;
mod http;
mod life;
mod mends;
mod places;
mod refusals;

use crate::common::{
    self, exit_ready,
    probe::{scalar, scalar_with},
};
use chrono::{Datelike, Days, NaiveDate};
use fupin::{
    model::{
        codes::{
            AssistanceKind, Labour, MeasureCategory, NoticeKind, ObjectionOutcome, Role, Status,
        },
        help::{AssistanceInput, MeasureInput},
        monitoring::{
            Category, Channel, ClearReason, Risk, Stage,
            case::{DeskFilter, LeadInput, PlanInput, StepInput},
        },
    },
    server::{
        db::{Db, sql_built},
        repo::{
            Saved, household, monitoring,
            objections::{self, Filed},
            records::{self, Scope},
        },
        seed,
    },
};

pub(super) fn lead(
    h: i64,
    category: Category,
    risks: Vec<Risk>,
    raised_on: NaiveDate,
) -> LeadInput {
    LeadInput {
        household_id: h,
        category,
        risks,
        channel: Channel::Visit,
        source: String::new(),
        description: "家中主要劳动力患重病，医疗支出大".into(),
        raised_on,
    }
}

pub(super) fn step(case: i64, version: i64, stage: Stage, done_on: NaiveDate) -> StepInput {
    StepInput {
        case_id: case,
        version,
        stage,
        done_on,
        approved: true,
        people: vec!["刘帮扶".into(), "陈村干".into()],
        consent: true,
        note: String::new(),
        notice_days: 7,
        on_paper: false,
    }
}

/// The version a write left, or a panic naming what it was.
pub(super) fn version(saved: Saved) -> i64 {
    match saved {
        Saved::Ok { version, .. } => version,
        other => panic!("expected a write, got {other:?}"),
    }
}

pub(super) fn code(saved: &Saved) -> &'static str {
    match saved {
        Saved::Rejected { code, .. } => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Who may record each stage, in the tests: the owner's role.
pub(super) fn owner(stage: Stage) -> Role {
    stage.owner().role()
}

/// Walks case `id` from where it stands to `to`, one step a day from `from`, each recorded on
/// its own day (so a notice is published the day it starts); returns the version.
pub(super) async fn walk(
    db: &Db,
    id: i64,
    mut v: i64,
    to: Stage,
    from: NaiveDate,
    today: NaiveDate,
) -> i64 {
    let mut day = from;
    loop {
        let at = monitoring::head(db, id).await.unwrap().unwrap().stage;
        if at == to {
            return v;
        }
        let next = at.next().unwrap();
        v = version(
            monitoring::step(
                db,
                &step(id, v, next, day),
                owner(next),
                "t",
                day.min(today),
            )
            .await
            .unwrap(),
        );
        day = day + Days::new(if next.is_notice() { 8 } else { 1 });
    }
}

pub(super) async fn household_with(db: &Db, status: &str) -> i64 {
    let q = format!(
        "SELECT MIN(id) FROM household WHERE status = '{status}' \
         AND id NOT IN (SELECT household_id FROM monitoring_case) \
         AND id NOT IN (SELECT household_id FROM assistance)"
    );
    scalar(db, &q).await
}

on_both! {
    case_life_on_sqlite, case_life_on_postgres, |db| life::life(db);
    case_refusals_on_sqlite, case_refusals_on_postgres, |db| refusals::refusals(db);
    case_deadlines_on_sqlite, case_deadlines_on_postgres, |db| places::deadlines(db);
    ordinary_households_on_sqlite, ordinary_households_on_postgres, |db| places::ordinary(db);
    authorization_on_sqlite, authorization_on_postgres, |db| http::authorization(db);
    demo_and_dashboard_figures_on_sqlite, demo_and_dashboard_figures_on_postgres, |db| figures::figures(db);
    withdrawn_notices_end_somewhere_on_sqlite, withdrawn_notices_end_somewhere_on_postgres, |db| mends::withdrawn_notices(db);
    notices_run_in_public_time_on_sqlite, notices_run_in_public_time_on_postgres, |db| mends::notices_in_time(db);
    bad_input_answers_4xx_to_browsers_on_sqlite, bad_input_answers_4xx_to_browsers_on_postgres, |db| bad_input::bad_input(db);
}
