//! The dashboard read from the summaries: a year's figures city-wide or for one township, kept
//! until the database's generation moves.
use super::*;
use crate::model::monitoring::{Category, Risk, Stage};
use chrono::{Datelike, NaiveDate};

pub(super) const TOTALS: &str = "SELECT CAST(COALESCE(SUM(households), 0) AS BIGINT), \
     CAST(COALESCE(SUM(persons), 0) AS BIGINT), CAST(COALESCE(SUM(poor_households), 0) AS BIGINT), \
     CAST(COALESCE(SUM(poor_persons), 0) AS BIGINT) FROM village_stats \
     WHERE village_code >= $1 AND village_code <= $2";

pub(super) const VILLAGES: &str = "SELECT v.code, v.name, t.name AS township, \
     COALESCE(v.rural_population, 0) AS rural_population, \
     COALESCE(s.poor_households, 0) AS poor_households, \
     COALESCE(s.poor_persons, 0) AS poor_persons \
     FROM region v JOIN region t ON t.code = v.parent_code \
     LEFT JOIN village_stats s ON s.village_code = v.code \
     WHERE v.level = 'village' AND v.code >= $1 AND v.code <= $2";

pub(super) const MONTHS: &str = "SELECT month, CAST(SUM(households) AS BIGINT), CAST(SUM(persons) AS BIGINT) \
     FROM exit_stats WHERE village_code >= $1 AND village_code <= $2 AND month >= $3 AND month <= $4 \
     GROUP BY month ORDER BY month";

pub(super) const TARGET: &str =
    "SELECT persons_exit, households_exit, villages_exit FROM annual_target WHERE year = $1";

pub(super) const TARGET_YEARS: &str = "SELECT year FROM annual_target ORDER BY year";

pub(super) const TOWNSHIPS: &str = "SELECT t.code, t.name, CAST(COALESCE(SUM(s.households), 0) AS BIGINT), \
     CAST(COALESCE(SUM(s.poor_households), 0) AS BIGINT), CAST(COALESCE(SUM(s.persons), 0) AS BIGINT), \
     CAST(COALESCE(SUM(s.poor_persons), 0) AS BIGINT) \
     FROM region t JOIN region v ON v.parent_code = t.code \
     LEFT JOIN village_stats s ON s.village_code = v.code \
     WHERE t.level = 'township' GROUP BY t.code, t.name ORDER BY t.code";

pub(super) const CAUSES: &str = "SELECT cause, CAST(SUM(households) AS BIGINT) FROM cause_stats \
     WHERE village_code >= $1 AND village_code <= $2 GROUP BY cause";

pub(super) const MEASURES: &str = "SELECT category, CAST(SUM(measures) AS BIGINT), CAST(SUM(amount) AS BIGINT) \
     FROM measure_stats WHERE village_code >= $1 AND village_code <= $2 AND year = $3 GROUP BY category";

pub(super) const HOLDING_BACK: &str = "SELECT h.id, \
     (SELECT m.name FROM member m WHERE m.household_id = h.id AND m.active AND m.relation = 'head'), \
     (SELECT COUNT(*) FROM member m WHERE m.household_id = h.id AND m.active) \
     FROM household h WHERE h.village_code = $1 AND h.status IN ('poor', 'relapsed') ORDER BY h.id LIMIT 8";

// The monitoring and assistance figures are read for the whole city at once, grouped by township
// (the first nine digits of a village code): a township's dashboard is its slice of the same rows,
// so the city's and every township's dashboard share one reading per generation and day. A case
// carries its household's village (migration 0015): the cases are read alone.

/// Monitoring objects (cases that reached the county decision) by township and category, with
/// those cleared.
pub(super) const MONITORING_CATEGORIES: &str = "SELECT SUBSTR(c.village_code, 1, 9), c.category, \
     COUNT(*), CAST(COALESCE(SUM(CASE WHEN c.cleared_on IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
     FROM monitoring_case c WHERE c.monitored_on IS NOT NULL GROUP BY 1, 2";

/// Monitoring objects by township and main risk type.
pub(super) const MONITORING_RISKS: &str = "SELECT SUBSTR(c.village_code, 1, 9), r.risk, COUNT(*) \
     FROM monitoring_case c JOIN case_risk r ON r.case_id = c.id AND r.rank = 1 \
     WHERE c.monitored_on IS NOT NULL GROUP BY 1, 2";

/// Cases not finished by township and stage, and how many of them are past their deadline on `$1`.
pub(super) const MONITORING_STAGES: &str = "SELECT SUBSTR(c.village_code, 1, 9), c.stage, COUNT(*), \
     CAST(COALESCE(SUM(CASE WHEN c.due_on < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) \
     FROM monitoring_case c WHERE c.stage NOT IN ('cleared', 'closed') GROUP BY 1, 2";

/// Monitoring objects by township, the year they were identified in and the year they were
/// cleared in (none while not cleared): every year's flow follows from these counts.
pub(super) const MONITORING_YEARS: &str = "SELECT SUBSTR(c.village_code, 1, 9), \
     CAST(SUBSTR(CAST(c.monitored_on AS TEXT), 1, 4) AS INTEGER), \
     CAST(SUBSTR(CAST(c.cleared_on AS TEXT), 1, 4) AS INTEGER), COUNT(*) \
     FROM monitoring_case c WHERE c.monitored_on IS NOT NULL GROUP BY 1, 2, 3";

/// Register households (ordinary households left out, as in every register figure) with social
/// assistance running on `$1`, by township and kind.
pub(super) const ASSISTANCE_HOUSEHOLDS: &str = "SELECT SUBSTR(h.village_code, 1, 9), a.kind, \
     COUNT(DISTINCT a.household_id) FROM assistance a JOIN household h ON h.id = a.household_id \
     WHERE a.start_on <= $1 AND (a.end_on IS NULL OR a.end_on >= $1) AND h.status <> 'ordinary' \
     GROUP BY 1, 2";

/// Persons of register households with social assistance running on `$1`, by township and kind:
/// every member still in a household whose whole household is enrolled (counted from the index
/// of active members, without reading the members' rows), then each member enrolled alone whose
/// household is not.
pub(super) const ASSISTANCE_PERSONS: &str = "SELECT x.t, x.kind, CAST(SUM(x.n) AS BIGINT) FROM ( \
     SELECT SUBSTR(h.village_code, 1, 9) AS t, e.kind AS kind, \
     (SELECT COUNT(*) FROM member m WHERE m.household_id = e.household_id AND m.active) AS n \
     FROM (SELECT DISTINCT a.kind, a.household_id FROM assistance a WHERE a.member_id IS NULL \
     AND a.start_on <= $1 AND (a.end_on IS NULL OR a.end_on >= $1)) e \
     JOIN household h ON h.id = e.household_id WHERE h.status <> 'ordinary' \
     UNION ALL \
     SELECT SUBSTR(h.village_code, 1, 9), e.kind, 1 \
     FROM (SELECT DISTINCT a.kind, a.member_id FROM assistance a WHERE a.member_id IS NOT NULL \
     AND a.start_on <= $1 AND (a.end_on IS NULL OR a.end_on >= $1)) e \
     JOIN member m ON m.id = e.member_id AND m.active JOIN household h ON h.id = m.household_id \
     WHERE h.status <> 'ordinary' AND NOT EXISTS (SELECT 1 FROM assistance w WHERE w.household_id = m.household_id \
     AND w.kind = e.kind AND w.member_id IS NULL \
     AND w.start_on <= $1 AND (w.end_on IS NULL OR w.end_on >= $1)) \
     ) x GROUP BY x.t, x.kind";

/// The first year of monitoring (防止返贫动态监测 began in 2021).
pub const MONITORING_FROM: i32 = 2021;

/// A village's standing in the summaries.
#[derive(sqlx::FromRow)]
pub(super) struct VillageRow {
    code: String,
    name: String,
    township: String,
    rural_population: i64,
    poor_households: i64,
    poor_persons: i64,
}

/// What the dashboard reads from the summaries for one year and township, before it is shaped.
pub(super) struct Figures {
    years: Vec<i32>,
    year: i32,
    totals: (i64, i64, i64, i64),
    villages: Vec<VillageRow>,
    months: Vec<(String, i64, i64)>,
    target: Option<(i64, i64, i64)>,
    townships: Vec<(String, String, i64, i64, i64, i64)>,
    causes: Vec<(String, i64)>,
    measures: Vec<(String, i64, i64)>,
    monitoring: Monitoring,
}

/// The database's generation (migrations 0010 and 0012): a random token per database and a
/// counter that every write to a table a public page reads moves, in the writing transaction.
pub const GENERATION: &str = "SELECT token, n FROM stats_generation WHERE id = 1";

/// The database's token and the counter's position now.
pub async fn generation(db: &Db) -> Result<(String, i64), sqlx::Error> {
    sql(GENERATION).fetch_one(db).await
}

pub(super) type FiguresKey = (String, i64, Option<i32>, Option<String>, NaiveDate);

/// The last figures computed, by (token, generation, year asked, township, today: the
/// monitoring deadlines pass with the days). A key
/// whose generation is no longer the database's is never read again; the map is emptied when it
/// holds more than [`CACHED_FIGURES`] keys.
pub(super) static FIGURES: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<FiguresKey, std::sync::Arc<Figures>>>,
> = std::sync::LazyLock::new(Default::default);

pub(super) const CACHED_FIGURES: usize = 256;

/// Reads the city's figures for this year, so that the first visitors find them kept.
pub async fn warm_dashboard(db: &Db, today: NaiveDate) -> Result<(), sqlx::Error> {
    figures(db, None, None, today).await.map(drop)
}

/// The figures for `year` and `township`: read again only when a summary changed since.
pub(super) async fn figures(
    db: &Db,
    year: Option<i32>,
    township: Option<&str>,
    today: NaiveDate,
) -> Result<std::sync::Arc<Figures>, sqlx::Error> {
    let (token, n) = generation(db).await?;
    let key = (token, n, year, township.map(str::to_string), today);
    if let Some(hit) = FIGURES.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(hit);
    }
    let read = std::sync::Arc::new(read_figures(db, (&key.0, n), year, township, today).await?);
    if let Ok(mut map) = FIGURES.lock() {
        if map.len() >= CACHED_FIGURES {
            map.clear();
        }
        // The figures were read after the generation: if a write came between, they are newer
        // than the key says, and the next request (seeing the new generation) reads them again.
        map.insert(key, read.clone());
    }
    Ok(read)
}

pub(super) async fn read_figures(
    db: &Db,
    generation: (&str, i64),
    year: Option<i32>,
    township: Option<&str>,
    today: NaiveDate,
) -> Result<Figures, sqlx::Error> {
    let this_year = today.year();
    let (from, to) = range(township);
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
    let totals: (i64, i64, i64, i64) = sql(TOTALS).bind(&from).bind(&to).fetch_one(&mut tx).await?;
    let villages: Vec<VillageRow> = sql(VILLAGES)
        .bind(&from)
        .bind(&to)
        .fetch_all(&mut tx)
        .await?;
    let months: Vec<(String, i64, i64)> = sql(MONTHS)
        .bind(&from)
        .bind(&to)
        .bind(first)
        .bind(last)
        .fetch_all(&mut tx)
        .await?;
    let target: Option<(i64, i64, i64)> = sql(TARGET)
        .bind(i64::from(year))
        .fetch_optional(&mut tx)
        .await?;
    let townships: Vec<(String, String, i64, i64, i64, i64)> =
        sql(TOWNSHIPS).fetch_all(&mut tx).await?;
    let causes: Vec<(String, i64)> = sql(CAUSES).bind(&from).bind(&to).fetch_all(&mut tx).await?;
    let measures: Vec<(String, i64, i64)> = sql(MEASURES)
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

/// The monitoring and assistance rows of every township (first nine digits of its village codes).
#[derive(Default)]
pub(super) struct MonitoringRows {
    categories: Vec<(String, Category, i64, i64)>,
    risks: Vec<(String, Risk, i64)>,
    stages: Vec<(String, Stage, i64, i64)>,
    years: Vec<(String, i32, Option<i32>, i64)>,
    households: Vec<(String, AssistanceKind, i64)>,
    persons: Vec<(String, AssistanceKind, i64)>,
}

/// Reads the rows on `today`, in one snapshot.
async fn read_monitoring_rows(db: &Db, today: NaiveDate) -> Result<MonitoringRows, sqlx::Error> {
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
    fn section(&self, from: &str, to: &str, today: NaiveDate) -> Monitoring {
        let within = (from, to);
        let identified = sum_by(&self.categories, within, |r| (r.0.as_str(), r.1, r.2));
        let cleared = sum_by(&self.categories, within, |r| (r.0.as_str(), r.1, r.3));
        let mut by_category: Vec<(Category, i64, i64)> = identified
            .into_iter()
            .map(|(c, n)| {
                let done = cleared.iter().find(|d| d.0 == c).map_or(0, |d| d.1);
                (c, n, done)
            })
            .collect();
        by_category.sort_by_key(|(c, n, _)| (-n, c.as_str()));
        let mut by_risk = sum_by(&self.risks, within, |r| (r.0.as_str(), r.1, r.2));
        by_risk.sort_by_key(|(r, n)| (-n, r.as_str()));
        let mut by_stage = sum_by(&self.stages, within, |r| (r.0.as_str(), r.1, r.2));
        by_stage.sort_by_key(|(s, _)| Stage::ALL.iter().position(|a| a == s));
        let overdue = sum_by(&self.stages, within, |r| (r.0.as_str(), (), r.3))
            .first()
            .map_or(0, |o| o.1);
        let flows = sum_by(&self.years, within, |r| (r.0.as_str(), (r.1, r.2), r.3));
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
        let persons = sum_by(&self.persons, within, |r| (r.0.as_str(), r.1, r.2));
        let mut assistance: Vec<(AssistanceKind, i64, i64)> =
            sum_by(&self.households, within, |r| (r.0.as_str(), r.1, r.2))
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

type RowsKey = (String, i64, NaiveDate);
type RowsFlight = futures::future::Shared<
    futures::future::BoxFuture<'static, Result<std::sync::Arc<MonitoringRows>, String>>,
>;

/// Whether rows read under `have` serve a visitor who read generation `want`: the same database
/// and day, and a generation at least as new (a visitor who read the generation just before a
/// write is served the rows read after it, never older ones).
fn serves(have: &RowsKey, want: &RowsKey) -> bool {
    have.0 == want.0 && have.2 == want.2 && have.1 >= want.1
}

/// The rows last read (with their key) and the reading under way, if any.
#[derive(Default)]
struct KeptRows {
    done: Option<(RowsKey, std::sync::Arc<MonitoringRows>)>,
    running: Option<(RowsKey, RowsFlight)>,
}

static MONITORING_ROWS: std::sync::LazyLock<std::sync::Mutex<KeptRows>> =
    std::sync::LazyLock::new(Default::default);

/// One reading of the whole city at a time: a reading started for a newer generation while an
/// older one runs waits for it instead of holding a second connection beside it.
static READING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// The rows kept under `key` or a newer generation of the same day, if any.
fn kept_rows(key: &RowsKey) -> Option<std::sync::Arc<MonitoringRows>> {
    let kept = MONITORING_ROWS.lock().ok()?;
    kept.done
        .as_ref()
        .filter(|(k, _)| serves(k, key))
        .map(|(_, rows)| rows.clone())
}

/// Ends the reading under `key`: keeps its rows unless newer ones are kept already, and clears
/// the reading under way if it is this one.
fn finish_reading(key: &RowsKey, rows: Option<&std::sync::Arc<MonitoringRows>>) {
    if let Ok(mut kept) = MONITORING_ROWS.lock() {
        if kept.running.as_ref().is_some_and(|r| r.0 == *key) {
            kept.running = None;
        }
        if let Some(rows) = rows
            && !kept
                .done
                .as_ref()
                .is_some_and(|(k, _)| serves(k, key) && k.1 > key.1)
        {
            kept.done = Some((key.clone(), rows.clone()));
        }
    }
}

/// The monitoring rows for the database's generation `(token, n)` on `today`: read once, in a
/// task of its own, however many visitors ask at the same time (they all wait for that one
/// reading, which runs to its end even when the visitor who started it leaves). Rows of a newer
/// generation serve an older one; readings run one at a time.
pub(super) async fn monitoring_rows(
    db: &Db,
    (token, n): (&str, i64),
    today: NaiveDate,
) -> Result<std::sync::Arc<MonitoringRows>, sqlx::Error> {
    use futures::FutureExt;
    let key: RowsKey = (token.to_string(), n, today);
    let flight = {
        let mut kept = MONITORING_ROWS
            .lock()
            .map_err(|_| sqlx::Error::Protocol("monitoring rows lock poisoned".into()))?;
        if let Some((k, rows)) = &kept.done
            && serves(k, &key)
        {
            return Ok(rows.clone());
        }
        match &kept.running {
            Some((k, flight)) if serves(k, &key) => flight.clone(),
            _ => {
                let (db, mine) = (db.clone(), key.clone());
                let task = tokio::spawn(async move {
                    let _one = READING.acquire().await;
                    // A reading that waited may find newer rows kept meanwhile.
                    if let Some(rows) = kept_rows(&mine) {
                        finish_reading(&mine, None);
                        return Ok(rows);
                    }
                    let read = read_monitoring_rows(&db, today)
                        .await
                        .map(std::sync::Arc::new);
                    finish_reading(&mine, read.as_ref().ok());
                    read.map_err(|e| e.to_string())
                });
                let ended = key.clone();
                let flight: RowsFlight = async move {
                    let joined = task.await;
                    if joined.is_err() {
                        // The task panicked or was cancelled: the next visitor reads again.
                        finish_reading(&ended, None);
                    }
                    joined.map_err(|e| e.to_string())?
                }
                .boxed()
                .shared();
                kept.running = Some((key, flight.clone()));
                flight
            }
        }
    };
    flight.await.map_err(sqlx::Error::Protocol)
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
    let f = figures(db, year, township, today).await?;
    let Figures {
        years,
        year,
        totals,
        villages,
        months,
        target,
        townships,
        causes,
        measures,
        monitoring,
    } = &*f;
    let (year, totals, target) = (*year, *totals, *target);
    let rural_population: i64 = villages.iter().map(|v| v.rural_population).sum();
    let villages_below = villages
        .iter()
        .filter(|v| rules::village_may_exit(v.poor_persons, v.rural_population))
        .count() as i64;
    let mut monthly = [(0i64, 0i64); 12];
    for (month, households, persons) in months {
        if let Some(m) = month
            .get(5..7)
            .and_then(|m| m.parse::<usize>().ok())
            .filter(|m| (1..=12).contains(m))
        {
            monthly[m - 1] = (*households, *persons);
        }
    }
    let mut near: Vec<&VillageRow> = villages
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
        let households: Vec<(i64, Option<String>, i64)> =
            sql(HOLDING_BACK).bind(&v.code).fetch_all(db).await?;
        near_exit.push(NearExit {
            code: v.code.clone(),
            name: v.name.clone(),
            township: v.township.clone(),
            rural_population: v.rural_population,
            poor_households: v.poor_households,
            poor_persons: v.poor_persons,
            to_exit: rules::persons_to_exit(v.poor_persons, v.rural_population),
            households: households
                .into_iter()
                .map(|(id, head, persons)| HoldingBack {
                    id,
                    head: head.unwrap_or_default(),
                    persons,
                })
                .collect(),
        });
    }
    let mut cause_counts: Vec<(PovertyCause, i64)> = causes
        .iter()
        .filter_map(|(c, n)| Some((PovertyCause::parse(c)?, *n)))
        .collect();
    cause_counts.sort_by_key(|(c, n)| (-n, c.as_str()));
    let mut measure_rows: Vec<MeasureBar> = measures
        .iter()
        .filter_map(|(c, count, amount)| {
            Some(MeasureBar {
                category: MeasureCategory::parse(c)?,
                count: *count,
                amount: *amount,
            })
        })
        .collect();
    measure_rows.sort_by_key(|m| (-m.amount, m.category.as_str()));
    Ok(Dashboard {
        year,
        years: years.clone(),
        township: township.map(str::to_string),
        kpi: Kpi {
            households: totals.0,
            persons: totals.1,
            poor_households: totals.2,
            poor_persons: totals.3,
            rural_population,
            exited_households: monthly.iter().map(|m| m.0).sum(),
            exited_persons: monthly.iter().map(|m| m.1).sum(),
            villages: villages.len() as i64,
            villages_below,
            target: target.map(|(persons, households, villages)| Target {
                persons,
                households,
                villages,
            }),
        },
        monthly: monthly.iter().map(|m| m.1).collect(),
        townships: townships
            .iter()
            .map(
                |(code, name, households, poor_households, persons, poor_persons)| TownshipBar {
                    code: code.clone(),
                    name: name.clone(),
                    households: *households,
                    poor_households: *poor_households,
                    persons: *persons,
                    poor_persons: *poor_persons,
                },
            )
            .collect(),
        causes: cause_counts,
        measures: measure_rows,
        near_exit,
        monitoring: monitoring.clone(),
    })
}
