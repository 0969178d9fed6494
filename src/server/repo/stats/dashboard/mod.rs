//! The dashboard read from the summaries: a year's figures city-wide or for one township, kept
//! until the database's generation moves (`server::kept`).
use super::*;
use crate::server::kept::{Generation, Kept};
use chrono::{Datelike, NaiveDate};
use futures::FutureExt;
use std::sync::{Arc, LazyLock};

mod monitoring;
mod rows;
mod sql;
pub use monitoring::MONITORING_FROM;
use monitoring::monitoring_rows;
use rows::*;
use sql::*;

/// What the dashboard reads from the summaries for one year and township, before it is shaped.
pub(super) struct Figures {
    years: Vec<i32>,
    year: i32,
    totals: TotalsRow,
    villages: Vec<NearExit>,
    months: Vec<MonthRow>,
    target: Option<TargetRow>,
    townships: Vec<TownshipBar>,
    causes: Vec<CauseRow>,
    measures: Vec<MeasureRow>,
    monitoring: Monitoring,
}

/// The figures by year asked, township and day (the monitoring deadlines pass with the days),
/// kept per generation.
type FiguresKey = (Option<i32>, Option<String>, NaiveDate);
static FIGURES: LazyLock<Kept<FiguresKey, Figures>> = LazyLock::new(|| Kept::new(256));

/// Reads the city's figures for this year, so that the first visitors find them kept.
pub async fn warm_dashboard(db: &Db, today: NaiveDate) -> Result<(), sqlx::Error> {
    figures(db, None, None, today).await.map(drop)
}

/// The figures for `year` and `township`: read again only when the database changed since.
pub(super) async fn figures(
    db: &Db,
    year: Option<i32>,
    township: Option<&str>,
    today: NaiveDate,
) -> Result<Arc<Figures>, sqlx::Error> {
    let seen = Generation::read(db).await?;
    let township = township.map(str::to_string);
    let key = (year, township.clone(), today);
    let (db, generation) = (db.clone(), seen.clone());
    FIGURES
        .get(key, &seen, move || {
            async move { read_figures(&db, &generation, year, township.as_deref(), today).await }
                .boxed()
        })
        .await
}

async fn read_figures(
    db: &Db,
    generation: &Generation,
    year: Option<i32>,
    township: Option<&str>,
    today: NaiveDate,
) -> Result<Figures, sqlx::Error> {
    let this_year = today.year();
    let crate::model::place::PlaceRange { from, to } = range(township);
    let years: Vec<i64> = sql(TARGET_YEARS).scalars(db).await?;
    let years: Vec<i32> = years.into_iter().map(|y| y as i32).collect();
    let year = year.unwrap_or_else(|| {
        years
            .iter()
            .copied()
            .filter(|y| *y <= this_year)
            .max()
            .unwrap_or(this_year)
    });
    let (first, last) = (format!("{year}-01"), format!("{year}-12"));
    // One snapshot for every figure on the page.
    let mut tx = db.begin().await?;
    let totals: TotalsRow = sql(TOTALS).bind(&from).bind(&to).fetch_one(&mut tx).await?;
    let villages: Vec<NearExit> = sql(VILLAGES)
        .bind(&from)
        .bind(&to)
        .fetch_all(&mut tx)
        .await?;
    let months: Vec<MonthRow> = sql(MONTHS)
        .bind(&from)
        .bind(&to)
        .bind(first)
        .bind(last)
        .fetch_all(&mut tx)
        .await?;
    let target: Option<TargetRow> = sql(TARGET)
        .bind(i64::from(year))
        .fetch_optional(&mut tx)
        .await?;
    let townships: Vec<TownshipBar> = sql(TOWNSHIPS).fetch_all(&mut tx).await?;
    let causes: Vec<CauseRow> = sql(CAUSES).bind(&from).bind(&to).fetch_all(&mut tx).await?;
    let measures: Vec<MeasureRow> = sql(MEASURES)
        .bind(&from)
        .bind(&to)
        .bind(i64::from(year))
        .fetch_all(&mut tx)
        .await?;
    tx.commit().await?;
    let monitoring = monitoring_rows(db, generation, today)
        .await?
        .section(&from, &to, today);
    // The picker offers the target years (2014–2020) and the years of monitoring since.
    let mut years = years;
    for y in monitoring.years.iter().map(|y| y.year) {
        if !years.contains(&y) {
            years.push(y);
        }
    }
    years.sort_unstable();
    Ok(Figures {
        monitoring,
        years,
        year,
        totals,
        villages,
        months,
        target,
        townships,
        causes,
        measures,
    })
}

/// Everything the dashboard shows for `year` (the current or latest target year when absent) and
/// an optional township, from the summaries (kept while they do not change) and, for the
/// households holding villages back, from the register.
pub async fn dashboard(
    db: &Db,
    year: Option<i32>,
    township: Option<&str>,
    today: NaiveDate,
) -> Result<Dashboard, sqlx::Error> {
    let kept = figures(db, year, township, today).await?;
    let f: &Figures = &kept;
    let villages = &f.villages;
    let rural_population: i64 = villages.iter().map(|v| v.rural_population).sum();
    let villages_below = villages
        .iter()
        .filter(|v| rules::village_may_exit(v.poor_persons, v.rural_population))
        .count() as i64;
    let mut monthly = [(0i64, 0i64); 12];
    for row in &f.months {
        if let Some(m) = row
            .month
            .get(5..7)
            .and_then(|m| m.parse::<usize>().ok())
            .filter(|m| (1..=12).contains(m))
        {
            monthly[m - 1] = (row.households, row.persons);
        }
    }
    let mut near: Vec<&NearExit> = villages
        .iter()
        .filter(|v| {
            v.rural_population > 0 && !rules::village_may_exit(v.poor_persons, v.rural_population)
        })
        .collect();
    near.sort_by_key(|v| {
        (
            rules::persons_to_exit(v.poor_persons, v.rural_population),
            v.code.clone(),
        )
    });
    let mut near_exit = Vec::new();
    for v in near.into_iter().take(10) {
        let households: Vec<HoldingRow> = sql(HOLDING_BACK).bind(&v.code).fetch_all(db).await?;
        near_exit.push(NearExit {
            to_exit: rules::persons_to_exit(v.poor_persons, v.rural_population),
            households: households
                .into_iter()
                .map(|h| HoldingBack {
                    id: h.id,
                    head: h.head.unwrap_or_default(),
                    persons: h.persons,
                })
                .collect(),
            ..v.clone()
        });
    }
    let mut cause_counts: Vec<(PovertyCause, i64)> = f
        .causes
        .iter()
        .filter_map(|c| Some((PovertyCause::parse(&c.cause)?, c.households)))
        .collect();
    cause_counts.sort_by_key(|(c, n)| (-n, c.as_str()));
    let mut measure_rows: Vec<MeasureBar> = f
        .measures
        .iter()
        .filter_map(|m| {
            Some(MeasureBar {
                category: MeasureCategory::parse(&m.category)?,
                count: m.measures,
                amount: m.amount,
            })
        })
        .collect();
    measure_rows.sort_by_key(|m| (-m.amount, m.category.as_str()));
    Ok(Dashboard {
        year: f.year,
        years: f.years.clone(),
        township: township.map(str::to_string),
        kpi: Kpi {
            households: f.totals.households,
            persons: f.totals.persons,
            poor_households: f.totals.poor_households,
            poor_persons: f.totals.poor_persons,
            rural_population,
            exited_households: monthly.iter().map(|m| m.0).sum(),
            exited_persons: monthly.iter().map(|m| m.1).sum(),
            villages: villages.len() as i64,
            villages_below,
            target: f.target.map(|t| Target {
                persons: t.persons_exit,
                households: t.households_exit,
                villages: t.villages_exit,
            }),
        },
        monthly: monthly.iter().map(|m| m.1).collect(),
        townships: f.townships.clone(),
        causes: cause_counts,
        measures: measure_rows,
        near_exit,
        monitoring: f.monitoring.clone(),
    })
}
