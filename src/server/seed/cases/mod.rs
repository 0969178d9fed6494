//! Demo monitoring (防止返贫动态监测), loaded after the register:
//! - ordinary rural households (一般农户) beside the register, their members unlisted;
//! - cases on about 3 % of all households, raised 2021–2026 through each channel, in each
//!   category and risk type: identified (each step dated, in working days), helped by a plan
//!   whose measures are recorded against the case, many cleared, some cleared and monitored
//!   again, some refused at a review, a few held (暂不标注); with the yearly incomes they were
//!   judged on;
//! - relative to today, a few cases of the demo township at every stage of the procedure, walked
//!   there by the same writes staff use: their notices published (one objected to), some overdue.
//!
//! The bulk part is deterministic for a given register; the part relative to today is not.
use super::{
    bulk::{Table, Tx},
    monitoring::MONITORING_LINES,
    people::Generator,
};
use crate::{
    model::{
        codes::*,
        monitoring::{
            Calendar, Category, Channel, Risk, Stage,
            case::{LeadInput, PlanInput, StepInput},
            due, spending_risk,
        },
    },
    server::{
        db::{Db, sql},
        repo::{
            self, Saved,
            monitoring::{self as cases},
        },
    },
};
use chrono::{Datelike, Days, NaiveDate};
use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

mod bulk;
mod in_flight;
mod procedure;
mod tables;
use bulk::*;
use in_flight::*;
use tables::*;

/// The last day the bulk part dates anything (the in-flight cases are dated from today).
const BULK_END: (i32, u32, u32) = (2026, 10, 31);

const HOUSEHOLDS: &str = "SELECT h.id, h.village_code, h.status, h.attribute, \
     (SELECT COUNT(*) FROM member m WHERE m.household_id = h.id AND m.active) AS persons \
     FROM household h ORDER BY h.id";
const VILLAGES: &str = "SELECT v.code, t.name || v.name FROM region v \
     JOIN region t ON t.code = v.parent_code \
     WHERE v.level = 'village' AND EXISTS (SELECT 1 FROM household h WHERE h.village_code = v.code) \
     ORDER BY v.code";
const ON_SUPPORT: &str = "SELECT DISTINCT household_id FROM assistance \
     WHERE kind IN ('dibao', 'tekun') AND end_on IS NULL";
const NEXT_IDS: &str = "SELECT (SELECT COALESCE(MAX(id), 0) FROM household), \
     (SELECT COALESCE(MAX(id), 0) FROM member), (SELECT COALESCE(MAX(id), 0) FROM monitoring_case), \
     (SELECT COALESCE(MAX(id), 0) FROM measure)";
/// Rows written with explicit ids: PostgreSQL's identity sequences move past them.
const RESET_SEQUENCES: &[&str] = &[
    "SELECT setval(pg_get_serial_sequence('household', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM household), false)",
    "SELECT setval(pg_get_serial_sequence('member', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM member), false)",
    "SELECT setval(pg_get_serial_sequence('monitoring_case', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM monitoring_case), false)",
    "SELECT setval(pg_get_serial_sequence('measure', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM measure), false)",
];

/// What [`demo_monitoring`] wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MonitoringSummary {
    pub ordinary: u64,
    pub cases: u64,
    pub in_flight: u64,
}

/// Loads the demo monitoring data (see the module's notes) in one transaction for the bulk part,
/// then walks the in-flight cases of the demo township through the real writes.
pub async fn demo_monitoring(db: &Db) -> Result<MonitoringSummary, sqlx::Error> {
    let mut tx = db.begin().await?;
    let cal = cases::calendar(&mut tx).await?;
    let households: Vec<(i64, String, Status, Attribute, i64)> =
        sql(HOUSEHOLDS).fetch_all(&mut tx).await?;
    let villages: Vec<(String, String)> = sql(VILLAGES).fetch_all(&mut tx).await?;
    let on_support: HashSet<i64> = sql(ON_SUPPORT)
        .scalars(&mut tx)
        .await?
        .into_iter()
        .collect();
    let (household, member, case, measure): (i64, i64, i64, i64) =
        sql(NEXT_IDS).fetch_one(&mut tx).await?;
    let mut g = Bulk {
        rng: ChaCha8Rng::seed_from_u64(2021),
        // Sequence numbers 400– of a birth date and sex: the register's own stay below.
        names: Generator::new(households.len().max(1) as u32).starting_at_sequence(400),
        cal,
        t: BulkTables::new(),
        ids: Ids {
            household,
            member,
            case,
            measure,
        },
        incomes: HashSet::new(),
        end: NaiveDate::from_ymd_opt(BULK_END.0, BULK_END.1, BULK_END.2).expect("date"),
    };
    let mut summary = MonitoringSummary::default();
    // One ordinary household per fifty registered ones; most are there because of a case.
    let ordinary = (households.len() / 50).max(if villages.is_empty() { 0 } else { 10 });
    for _ in 0..ordinary {
        let (code, place) = villages.choose(&mut g.rng).expect("villages").clone();
        let (id, persons) = g.ordinary(&code, &place);
        summary.ordinary += 1;
        if g.rng.random_bool(0.6) {
            let category = if g.rng.random_bool(0.8) {
                Category::Marginal
            } else {
                Category::Sudden
            };
            summary.cases += g.cases_of(id, category, persons, false);
        }
        g.t.flush(&mut tx, false).await?;
    }
    for (id, _village, status, attribute, persons) in &households {
        if !g.rng.random_bool(0.028) {
            continue;
        }
        let category = match status {
            Status::Exited | Status::Relapsed if g.rng.random_bool(0.75) => Category::Unstable,
            _ => Category::Sudden,
        };
        let held = on_support.contains(id) && *attribute != Attribute::General;
        summary.cases += g.cases_of(*id, category, (*persons).max(1), held);
        g.t.flush(&mut tx, false).await?;
    }
    g.t.flush(&mut tx, true).await?;
    if let Tx::Postgres(_) = tx {
        for q in RESET_SEQUENCES {
            tx.execute(q).await?;
        }
    }
    for q in repo::stats::REBUILD_ALL {
        tx.execute(q).await?;
    }
    tx.commit().await?;
    summary.in_flight = in_flight(db).await?;
    Ok(summary)
}
