//! The monitoring desk: the cases in a staff member's scope, filtered, overdue first.
use crate::{
    model::{
        codes::{Labour, MeasureCategory},
        monitoring::{
            Category, Channel, PlanLine, Risk, Stage, able,
            case::{CaseRow, Desk, DeskFilter},
            lacks_development,
        },
    },
    server::{
        db::{Db, Val, sql_built},
        kept::{Generation, Kept},
        repo::records::Scope,
    },
};
use chrono::NaiveDate;
use futures::FutureExt;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Most cases one desk page lists (the filters narrow it; the export carries them all).
pub const DESK_ROWS: i64 = 50;

/// The desk's counts (all matching, overdue among them) by scope, filters and day, kept per
/// generation (`server::kept`). Every write to a case or its risks moves the generation, so a
/// count is read again after any change that could alter it; a helper cadre's scope follows the
/// pairings, which do not move it, so theirs are never kept.
type CountKey = (String, String, NaiveDate);
static COUNTS: LazyLock<Kept<CountKey, (i64, i64)>> = LazyLock::new(|| Kept::new(1024));

#[derive(sqlx::FromRow)]
struct DeskRow {
    id: i64,
    household_id: i64,
    category: Category,
    channel: Channel,
    stage: Stage,
    raised_on: NaiveDate,
    due_on: Option<NaiveDate>,
    held_on: Option<NaiveDate>,
    village_name: String,
    head_name: Option<String>,
}

/// The WHERE of the desk's cases for `scope` and `f`, with its values, numbered after the
/// statement's first `before` placeholders (SQLite's `?` are positional: the values must be
/// bound in the order their marks stand in the text). A case carries its household's village
/// (migration 0015), so a township's or village's cases are found from the cases alone.
fn conditions(db: &Db, scope: &Scope, f: &DeskFilter, before: usize) -> (String, Vec<Val>) {
    let backend = db.backend();
    let mut binds: Vec<Val> = Vec::new();
    let mut bind = |v: Val| {
        binds.push(v);
        backend.mark(before + binds.len())
    };
    let mut parts = vec![if f.closed {
        "c.stage IN ('cleared', 'closed')".to_string()
    } else {
        "c.stage NOT IN ('cleared', 'closed')".to_string()
    }];
    match scope {
        Scope::All => {}
        Scope::Villages(range) => {
            let (a, b) = (
                bind(range.from.clone().into()),
                bind(range.to.clone().into()),
            );
            parts.push(format!("c.village_code BETWEEN {a} AND {b}"));
        }
        Scope::Cadre(id) => {
            let a = bind((*id).into());
            parts.push(format!(
                "EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = c.household_id \
                 AND p.cadre_id = {a} AND p.end_on IS NULL)"
            ));
        }
    }
    if let Some(c) = f.category {
        parts.push(format!("c.category = {}", bind(c.as_str().into())));
    }
    if let Some(c) = f.channel {
        parts.push(format!("c.channel = {}", bind(c.as_str().into())));
    }
    if let Some(s) = f.stage {
        parts.push(format!("c.stage = {}", bind(s.as_str().into())));
    }
    if let Some(r) = f.risk {
        let a = bind(r.as_str().into());
        parts.push(format!(
            "EXISTS (SELECT 1 FROM case_risk r WHERE r.case_id = c.id AND r.risk = {a})"
        ));
    }
    if let Some(v) = f
        .village
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        parts.push(format!("c.village_code = {}", bind(v.to_string().into())));
    }
    (parts.join(" AND "), binds)
}

/// The desk's order: overdue first, then by deadline, cases without one last. The overdue are
/// those whose deadline has passed, so the earliest deadlines are theirs: the deadline's order
/// alone puts them first (and the index `monitoring_case_open_order` holds the open cases in it).
const ORDER: &str = "(c.due_on IS NULL), c.due_on, c.id";

/// The desk of `scope` on `today`: at most [`DESK_ROWS`] cases, overdue first (then by
/// deadline), with the count of all that match and of the overdue among them.
pub async fn desk(
    db: &Db,
    scope: &Scope,
    f: &DeskFilter,
    today: NaiveDate,
) -> Result<Desk, sqlx::Error> {
    if !f.village_well_formed() {
        // No village has such a code: nothing to read, and nothing to keep under a key that
        // a caller chooses freely (the counts' keys carry the filter).
        return Ok(Desk {
            rows: Vec::new(),
            total: 0,
            overdue: 0,
            today,
        });
    }
    // The generation before the counts: counts read after it are at least as new.
    let seen = Generation::read(db).await?;
    let (total, overdue) = if matches!(scope, Scope::Cadre(_)) {
        count(db.clone(), scope, f, today).await?
    } else {
        let key = (format!("{scope:?}"), format!("{f:?}"), today);
        let (db, scope, f) = (db.clone(), scope.clone(), f.clone());
        *COUNTS
            .get(key, &seen, move || {
                async move { count(db, &scope, &f, today).await }.boxed()
            })
            .await?
    };
    let mut tx = db.begin().await?;
    let rows = rows(db, &mut tx, scope, f, today, DESK_ROWS, true).await?;
    tx.commit().await?;
    Ok(Desk {
        rows,
        total,
        overdue,
        today,
    })
}

/// Most cases one export carries (a county has a few thousand open; a province exports by city).
pub const EXPORT_ROWS: i64 = 100_000;

/// The cases in `scope` matching `f`, and those past their deadline on `today`.
async fn count(
    db: Db,
    scope: &Scope,
    f: &DeskFilter,
    today: NaiveDate,
) -> Result<(i64, i64), sqlx::Error> {
    // `today` stands before the conditions here.
    let (cond, binds) = conditions(&db, scope, f, 1);
    let (total, overdue): (i64, Option<i64>) = sql_built(format!(
        "SELECT COUNT(*), SUM(CASE WHEN c.due_on < {} THEN 1 ELSE 0 END) \
         FROM monitoring_case c WHERE {cond}",
        db.backend().mark(1)
    ))
    .bind(today)
    .bind_all(binds)
    .fetch_one(&db)
    .await?;
    Ok((total, overdue.unwrap_or(0)))
}

/// Every case of the desk of `scope` and `f` on `today` (up to [`EXPORT_ROWS`]), in the desk's
/// order: the case list's export.
pub async fn desk_export(
    db: &Db,
    scope: &Scope,
    f: &DeskFilter,
    today: NaiveDate,
) -> Result<Vec<CaseRow>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let rows = rows(db, &mut tx, scope, f, today, EXPORT_ROWS, false).await?;
    tx.commit().await?;
    Ok(rows)
}

/// The desk's cases with their risks, overdue first, at most `limit`.
async fn rows(
    db: &Db,
    tx: &mut crate::server::db::Tx,
    scope: &Scope,
    f: &DeskFilter,
    today: NaiveDate,
    limit: i64,
    with_warnings: bool,
) -> Result<Vec<CaseRow>, sqlx::Error> {
    let (cond, binds) = conditions(db, scope, f, 0);
    // The first `limit` cases in the desk's order, then their names for those only.
    let rows: Vec<DeskRow> = sql_built(format!(
        "SELECT c.id, c.household_id, c.category, c.channel, c.stage, c.raised_on, c.due_on, \
         c.held_on, v.name AS village_name, (SELECT m.name FROM member m \
         WHERE m.household_id = c.household_id AND m.active AND m.relation = 'head') AS head_name \
         FROM (SELECT c.id FROM monitoring_case c WHERE {cond} ORDER BY {ORDER} LIMIT {}) top \
         JOIN monitoring_case c ON c.id = top.id JOIN region v ON v.code = c.village_code \
         ORDER BY {ORDER}",
        db.backend().mark(binds.len() + 1)
    ))
    .bind_all(binds)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let mut risks: HashMap<i64, Vec<Risk>> = HashMap::new();
    let mut warnings: HashMap<i64, u32> = HashMap::new();
    // Whole numbers only: written into the statement as they are; a thousand at a time.
    for chunk in rows.chunks(1000) {
        let found: Vec<(i64, Risk)> = sql_built(format!(
            "SELECT case_id, risk FROM case_risk WHERE case_id IN ({}) ORDER BY case_id, rank",
            id_list(chunk.iter().map(|r| r.id))
        ))
        .fetch_all(&mut *tx)
        .await?;
        for (case, risk) in found {
            risks.entry(case).or_default().push(risk);
        }
        if with_warnings {
            warnings.extend(without_development(tx, chunk, today).await?);
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| CaseRow {
            risks: risks.remove(&r.id).unwrap_or_default(),
            overdue: r.due_on.is_some_and(|d| d < today),
            id: r.id,
            household_id: r.household_id,
            head_name: r.head_name.unwrap_or_default(),
            village_name: r.village_name,
            category: r.category,
            channel: r.channel,
            stage: r.stage,
            raised_on: r.raised_on,
            due_on: r.due_on,
            held_on: r.held_on,
            without_development: warnings.remove(&r.id).unwrap_or(0),
        })
        .collect())
}

/// Ids for an `IN (…)` list: whole numbers, written into the statement as they are.
fn id_list(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// For each monitored case of `rows`, how many of its household's members able to work its plan
/// leaves without a 开发式 measure (the case page's warning, by the same rule).
async fn without_development(
    tx: &mut crate::server::db::Tx,
    rows: &[DeskRow],
    today: NaiveDate,
) -> Result<Vec<(i64, u32)>, sqlx::Error> {
    let monitored: Vec<&DeskRow> = rows.iter().filter(|r| r.stage.is_monitored()).collect();
    if monitored.is_empty() {
        return Ok(Vec::new());
    }
    let members: Vec<(i64, i64, Labour, NaiveDate)> = sql_built(format!(
        "SELECT household_id, id, labour, birth_date FROM member \
         WHERE active AND household_id IN ({})",
        id_list(monitored.iter().map(|r| r.household_id))
    ))
    .fetch_all(&mut *tx)
    .await?;
    let plan: Vec<(i64, MeasureCategory, Option<i64>)> = sql_built(format!(
        "SELECT case_id, category, member_id FROM case_plan WHERE case_id IN ({})",
        id_list(monitored.iter().map(|r| r.id))
    ))
    .fetch_all(&mut *tx)
    .await?;
    Ok(monitored
        .iter()
        .map(|r| {
            let lines: Vec<PlanLine> = plan
                .iter()
                .filter(|p| p.0 == r.id)
                .map(|p| PlanLine {
                    category: p.1,
                    member_id: p.2,
                })
                .collect();
            let n = members
                .iter()
                .filter(|m| m.0 == r.household_id && able(m.2, m.3, today))
                .filter(|m| lacks_development(&lines, Some(m.1)))
                .count();
            (r.id, n as u32)
        })
        .collect())
}
