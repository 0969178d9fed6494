//! The dashboard's monitoring and assistance figures. They are read for the whole city at once,
//! grouped by township (the first nine digits of a village code): a township's dashboard is its
//! slice of the same rows, so the city's and every township's dashboard share one reading per
//! generation and day. A case carries its household's village (migration 0015): the cases are
//! read alone.
use super::{rows::*, sql::*};
use crate::{
    model::{
        codes::AssistanceKind,
        dashboard::{Monitoring, MonitoringYear},
        monitoring::{Category, Stage},
    },
    server::{
        db::{Db, sql},
        kept::{Generation, Kept},
    },
};
use chrono::{Datelike, NaiveDate};
use futures::FutureExt;
use std::sync::{Arc, LazyLock};

/// The first year of monitoring (防止返贫动态监测 began in 2021).
pub const MONITORING_FROM: i32 = 2021;

/// The monitoring and assistance rows of every township.
pub(super) struct MonitoringRows {
    categories: Vec<CategoryRow>,
    risks: Vec<RiskRow>,
    stages: Vec<StageRow>,
    years: Vec<YearRow>,
    households: Vec<AssistanceRow>,
    persons: Vec<AssistanceRow>,
}

/// The rows by day (deadlines pass with the days), kept per generation.
static ROWS: LazyLock<Kept<NaiveDate, MonitoringRows>> = LazyLock::new(|| Kept::new(4));

/// One reading of the whole city at a time: a reading started for a newer generation while an
/// older one runs waits for it instead of holding a second connection beside it.
static READING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// The rows for a reader who saw generation `seen`, on `today`.
pub(super) async fn monitoring_rows(
    db: &Db,
    seen: &Generation,
    today: NaiveDate,
) -> Result<Arc<MonitoringRows>, sqlx::Error> {
    let db = db.clone();
    ROWS.get(today, seen, move || {
        async move {
            let _one = READING.acquire().await;
            read(&db, today).await
        }
        .boxed()
    })
    .await
}

/// Reads the rows on `today`, in one snapshot.
async fn read(db: &Db, today: NaiveDate) -> Result<MonitoringRows, sqlx::Error> {
    let mut tx = db.begin().await?;
    let rows = MonitoringRows {
        categories: sql(MONITORING_CATEGORIES).fetch_all(&mut tx).await?,
        risks: sql(MONITORING_RISKS).fetch_all(&mut tx).await?,
        stages: sql(MONITORING_STAGES)
            .bind(today)
            .fetch_all(&mut tx)
            .await?,
        years: sql(MONITORING_YEARS).fetch_all(&mut tx).await?,
        households: sql(ASSISTANCE_HOUSEHOLDS)
            .bind(today)
            .fetch_all(&mut tx)
            .await?,
        persons: sql(ASSISTANCE_PERSONS)
            .bind(today)
            .fetch_all(&mut tx)
            .await?,
    };
    tx.commit().await?;
    Ok(rows)
}

/// Sums `rows` by their key, over the townships between village codes `from` and `to`.
fn sum_by<K: Copy + PartialEq, R>(
    rows: &[R],
    (from, to): (&str, &str),
    part: impl Fn(&R) -> (&str, K, i64),
) -> Vec<(K, i64)> {
    let inside =
        |t: &str| from.get(..9).is_some_and(|f| t >= f) && to.get(..9).is_some_and(|l| t <= l);
    let mut sums: Vec<(K, i64)> = Vec::new();
    for row in rows {
        let (t, key, n) = part(row);
        if !inside(t) {
            continue;
        }
        match sums.iter_mut().find(|s| s.0 == key) {
            Some(s) => s.1 += n,
            None => sums.push((key, n)),
        }
    }
    sums
}

impl MonitoringRows {
    /// The monitoring section between village codes `from` and `to` on `today`.
    pub(super) fn section(&self, from: &str, to: &str, today: NaiveDate) -> Monitoring {
        let within = (from, to);
        let identified = sum_by(&self.categories, within, |r| {
            (r.township.as_str(), r.category, r.identified)
        });
        let cleared = sum_by(&self.categories, within, |r| {
            (r.township.as_str(), r.category, r.cleared)
        });
        let mut by_category: Vec<(Category, i64, i64)> = identified
            .into_iter()
            .map(|(c, n)| {
                let done = cleared.iter().find(|d| d.0 == c).map_or(0, |d| d.1);
                (c, n, done)
            })
            .collect();
        by_category.sort_by_key(|(c, n, _)| (-n, c.as_str()));
        let mut by_risk = sum_by(&self.risks, within, |r| (r.township.as_str(), r.risk, r.n));
        by_risk.sort_by_key(|(r, n)| (-n, r.as_str()));
        let mut by_stage = sum_by(&self.stages, within, |r| {
            (r.township.as_str(), r.stage, r.n)
        });
        by_stage.sort_by_key(|(s, _)| Stage::ALL.iter().position(|a| a == s));
        let overdue = sum_by(&self.stages, within, |r| {
            (r.township.as_str(), (), r.overdue)
        })
        .first()
        .map_or(0, |o| o.1);
        let flows = sum_by(&self.years, within, |r| {
            (r.township.as_str(), (r.identified_in, r.cleared_in), r.n)
        });
        let mut years: Vec<MonitoringYear> = (MONITORING_FROM..=today.year())
            .map(|year| MonitoringYear {
                year,
                // Identified in the year, cleared in it, and identified by its end but not cleared.
                new: flows.iter().filter(|f| f.0.0 == year).map(|f| f.1).sum(),
                cleared: flows
                    .iter()
                    .filter(|f| f.0.1 == Some(year))
                    .map(|f| f.1)
                    .sum(),
                monitored: flows
                    .iter()
                    .filter(|f| f.0.0 <= year && f.0.1.is_none_or(|c| c > year))
                    .map(|f| f.1)
                    .sum(),
            })
            .collect();
        // Years before any object are left out (a city that began recording later).
        let start = years
            .iter()
            .position(|y| y.new + y.monitored > 0)
            .unwrap_or(years.len());
        years.drain(..start);
        let persons = sum_by(&self.persons, within, |r| {
            (r.township.as_str(), r.kind, r.n)
        });
        let mut assistance: Vec<(AssistanceKind, i64, i64)> =
            sum_by(&self.households, within, |r| {
                (r.township.as_str(), r.kind, r.n)
            })
            .into_iter()
            .map(|(k, n)| (k, n, persons.iter().find(|p| p.0 == k).map_or(0, |p| p.1)))
            .collect();
        assistance.sort_by_key(|(k, _, _)| AssistanceKind::ALL.iter().position(|a| a == k));
        Monitoring {
            by_category,
            by_risk,
            by_stage,
            years,
            overdue,
            assistance,
        }
    }
}
