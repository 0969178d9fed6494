//! The monitoring desk: the cases in a staff member's scope, filtered, overdue first.
use crate::{
    model::monitoring::{
        Category, Channel, Risk, Stage,
        case::{CaseRow, Desk, DeskFilter},
    },
    server::{
        db::{Db, Val, sql_built},
        repo::records::Scope,
    },
};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Most cases one desk page lists.
pub const DESK_ROWS: i64 = 200;

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
/// bound in the order their marks stand in the text).
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
        Scope::Villages { from, to } => {
            let (a, b) = (bind(from.clone().into()), bind(to.clone().into()));
            parts.push(format!("h.village_code BETWEEN {a} AND {b}"));
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
        parts.push(format!("h.village_code = {}", bind(v.to_string().into())));
    }
    (parts.join(" AND "), binds)
}

/// The desk of `scope` on `today`: at most [`DESK_ROWS`] cases, overdue first (then by
/// deadline), with the count of all that match and of the overdue among them.
pub async fn desk(
    db: &Db,
    scope: &Scope,
    f: &DeskFilter,
    today: NaiveDate,
) -> Result<Desk, sqlx::Error> {
    let mut tx = db.begin().await?; // one snapshot for the three reads
    // `today` stands before the conditions here, and after them in the rows' query.
    let (cond, binds) = conditions(db, scope, f, 1);
    let (total, overdue): (i64, Option<i64>) = sql_built(format!(
        "SELECT COUNT(*), SUM(CASE WHEN c.due_on < {} THEN 1 ELSE 0 END) {FROM} WHERE {cond}",
        db.backend().mark(1)
    ))
    .bind(today)
    .bind_all(binds)
    .fetch_one(&mut tx)
    .await?;
    let rows = rows(db, &mut tx, scope, f, today, DESK_ROWS).await?;
    tx.commit().await?;
    Ok(Desk {
        rows,
        total,
        overdue: overdue.unwrap_or(0),
        today,
    })
}

/// Most cases one export carries (a county has a few thousand open; a province exports by city).
pub const EXPORT_ROWS: i64 = 100_000;

/// Every case of the desk of `scope` and `f` on `today` (up to [`EXPORT_ROWS`]), in the desk's
/// order: the case list's export.
pub async fn desk_export(
    db: &Db,
    scope: &Scope,
    f: &DeskFilter,
    today: NaiveDate,
) -> Result<Vec<CaseRow>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let rows = rows(db, &mut tx, scope, f, today, EXPORT_ROWS).await?;
    tx.commit().await?;
    Ok(rows)
}

const FROM: &str = "FROM monitoring_case c JOIN household h ON h.id = c.household_id \
     JOIN region v ON v.code = h.village_code";

/// The desk's cases with their risks, overdue first, at most `limit`.
async fn rows(
    db: &Db,
    tx: &mut crate::server::db::Tx,
    scope: &Scope,
    f: &DeskFilter,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<CaseRow>, sqlx::Error> {
    let (cond, binds) = conditions(db, scope, f, 0);
    let mark = |i: usize| db.backend().mark(binds.len() + i);
    let rows: Vec<DeskRow> = sql_built(format!(
        "SELECT c.id, c.household_id, c.category, c.channel, c.stage, c.raised_on, c.due_on, \
         c.held_on, v.name AS village_name, (SELECT m.name FROM member m \
         WHERE m.household_id = c.household_id AND m.active AND m.relation = 'head') AS head_name \
         {FROM} WHERE {cond} \
         ORDER BY CASE WHEN c.due_on < {} THEN 0 ELSE 1 END, c.due_on IS NULL, c.due_on, c.id \
         LIMIT {}",
        mark(1),
        mark(2)
    ))
    .bind_all(binds)
    .bind(today)
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    let mut risks: HashMap<i64, Vec<Risk>> = HashMap::new();
    // Whole numbers only: written into the statement as they are; a thousand at a time.
    for chunk in rows.chunks(1000) {
        let ids: Vec<String> = chunk.iter().map(|r| r.id.to_string()).collect();
        let found: Vec<(i64, Risk)> = sql_built(format!(
            "SELECT case_id, risk FROM case_risk WHERE case_id IN ({}) ORDER BY case_id, rank",
            ids.join(",")
        ))
        .fetch_all(&mut *tx)
        .await?;
        for (case, risk) in found {
            risks.entry(case).or_default().push(risk);
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
        })
        .collect())
}
