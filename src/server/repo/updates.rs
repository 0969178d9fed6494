//! Work updates (工作动态): drafts, edits on top of a version (every version's text is kept),
//! publishing, and the public list with the measures an update links to.
use super::{
    Saved,
    audit::{Audit, json},
    like_escape,
    places::{Range, range_of},
};
use crate::{
    model::{codes::*, transparency::*},
    server::db::{Conn, Db, Val, sql, sql_built},
};
use chrono::{Datelike, NaiveDate, Utc};

const INSERT_UPDATE: &str = "\
INSERT INTO work_update (title, body, happened_on, place_code, measure_category, state, author,
    version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, 'draft', $6, 1, $7, $7) RETURNING id";
const EDIT_UPDATE: &str = "\
UPDATE work_update SET title = $3, body = $4, happened_on = $5, place_code = $6,
    measure_category = $7, version = version + 1, updated_at = $8
WHERE id = $1 AND version = $2 RETURNING version";
const UPDATE_VERSION: &str = "SELECT version FROM work_update WHERE id = $1";
const INSERT_REVISION: &str = "\
INSERT INTO work_update_revision (update_id, version, title, body, happened_on, place_code,
    measure_category, edited_by, edited_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const PLACE_EXISTS: &str = "SELECT COUNT(*) FROM region WHERE code = $1 AND level <> 'city'";

/// The stale or missing outcome for update `id`, read inside the failed write's transaction.
async fn stale<'c>(on: impl Into<Conn<'c>>, id: i64) -> Result<Saved, sqlx::Error> {
    let current: Option<i64> = sql(UPDATE_VERSION).bind(id).scalar_optional(on).await?;
    Ok(match current {
        Some(current_version) => Saved::Stale { current_version },
        None => Saved::Missing,
    })
}

/// Saves an update: a new draft (`form.id` is `None`), or an edit on top of `form.version`. The
/// text of every version is kept.
pub async fn save_update(db: &Db, f: &UpdateForm, actor: &str) -> Result<Saved, sqlx::Error> {
    let now = Utc::now();
    let Some(happened_on) = f.happened_on else {
        return Ok(Saved::Rejected {
            field: "happened_on".into(),
            code: "required",
        });
    };
    let mut tx = db.begin_write().await?;
    if let Some(place) = &f.place_code {
        let n: i64 = sql(PLACE_EXISTS).bind(place).scalar(&mut tx).await?;
        if n == 0 {
            return Ok(Saved::Rejected {
                field: "place_code".into(),
                code: "place_unknown",
            });
        }
    }
    let (id, version) = match f.id {
        None => {
            let id: i64 = sql(INSERT_UPDATE)
                .bind(f.title.trim())
                .bind(f.body.trim())
                .bind(happened_on)
                .bind(&f.place_code)
                .bind(f.measure_category)
                .bind(actor)
                .bind(now)
                .scalar(&mut tx)
                .await?;
            (id, 1)
        }
        Some(id) => {
            let next: Option<i64> = sql(EDIT_UPDATE)
                .bind(id)
                .bind(f.version)
                .bind(f.title.trim())
                .bind(f.body.trim())
                .bind(happened_on)
                .bind(&f.place_code)
                .bind(f.measure_category)
                .bind(now)
                .scalar_optional(&mut tx)
                .await?;
            match next {
                Some(v) => (id, v),
                None => return stale(&mut tx, id).await,
            }
        }
    };
    sql(INSERT_REVISION)
        .bind(id)
        .bind(version)
        .bind(f.title.trim())
        .bind(f.body.trim())
        .bind(happened_on)
        .bind(&f.place_code)
        .bind(f.measure_category)
        .bind(actor)
        .bind(now)
        .execute(&mut tx)
        .await?;
    let action = if f.id.is_none() {
        "create_update"
    } else {
        "edit_update"
    };
    Audit::new(actor, action, "work_update", id)
        .after(json(f))
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok { id, version })
}

const SET_UPDATE_STATE: &str = "\
UPDATE work_update SET state = $3, version = version + 1, updated_at = $4,
    published_at = CASE WHEN $3 = 'published' THEN COALESCE(published_at, $4) ELSE published_at END
WHERE id = $1 AND version = $2 RETURNING version";

/// Publishes, unpublishes (or returns to draft) update `id` on top of `version`.
pub async fn set_update_state(
    db: &Db,
    id: i64,
    version: i64,
    state: UpdateState,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let now = Utc::now();
    let mut tx = db.begin_write().await?;
    let next: Option<i64> = sql(SET_UPDATE_STATE)
        .bind(id)
        .bind(version)
        .bind(state)
        .bind(now)
        .scalar_optional(&mut tx)
        .await?;
    let Some(next) = next else {
        return stale(&mut tx, id).await;
    };
    let after = serde_json::json!({ "state": state, "version": next }).to_string();
    let action = match state {
        UpdateState::Published => "publish_update",
        UpdateState::Unpublished => "unpublish_update",
        UpdateState::Draft => "draft_update",
    };
    Audit::new(actor, action, "work_update", id)
        .after(after)
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok { id, version: next })
}

#[derive(sqlx::FromRow)]
struct UpdateRow {
    id: i64,
    title: String,
    body: String,
    happened_on: NaiveDate,
    place_code: Option<String>,
    measure_category: Option<MeasureCategory>,
    state: UpdateState,
    author: String,
    version: i64,
    updated_at: String,
    place_name: Option<String>,
}

const STAFF_UPDATE_COLS: &str = "SELECT u.id, u.title, u.body, u.happened_on, u.place_code, \
     u.measure_category, u.state, u.author, u.version, CAST(u.updated_at AS TEXT) AS updated_at, \
     r.name AS place_name FROM work_update u LEFT JOIN region r ON r.code = u.place_code";

impl From<UpdateRow> for StaffUpdate {
    fn from(r: UpdateRow) -> Self {
        StaffUpdate {
            form: UpdateForm {
                id: Some(r.id),
                version: r.version,
                title: r.title,
                body: r.body,
                happened_on: Some(r.happened_on),
                place_code: r.place_code,
                measure_category: r.measure_category,
            },
            state: r.state,
            author: r.author,
            updated_at: short_time(&r.updated_at),
            place_name: r.place_name,
        }
    }
}

/// `2026-11-30T08:15:02.123Z` or `2026-11-30 08:15:02+00` as `2026-11-30 08:15`.
pub fn short_time(t: &str) -> String {
    t.chars()
        .take(16)
        .map(|c| if c == 'T' { ' ' } else { c })
        .collect()
}

/// One update for staff.
pub async fn staff_update_by_id(db: &Db, id: i64) -> Result<Option<StaffUpdate>, sqlx::Error> {
    let row: Option<UpdateRow> = sql_built(format!("{STAFF_UPDATE_COLS} WHERE u.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(StaffUpdate::from))
}

/// The latest 200 updates (all states) a staff member with `range` manages: those tagged inside
/// it (city staff: every update, untagged ones included).
pub async fn staff_updates(db: &Db, range: &Range) -> Result<Vec<StaffUpdate>, sqlx::Error> {
    let (filter, from, to) = match range {
        None => ("1 = 1 OR $1 = $2", String::new(), String::new()),
        Some((f, t)) => (
            "u.place_code >= $1 AND u.place_code <= $2",
            f.clone(),
            t.clone(),
        ),
    };
    let rows: Vec<UpdateRow> = sql_built(format!(
        "{STAFF_UPDATE_COLS} WHERE {filter} ORDER BY u.updated_at DESC, u.id DESC LIMIT 200"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(StaffUpdate::from).collect())
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    version: i64,
    title: String,
    body: String,
    happened_on: NaiveDate,
    place_code: Option<String>,
    edited_by: String,
    edited_at: String,
}

const REVISIONS: &str = "SELECT version, title, body, happened_on, place_code, edited_by, \
     CAST(edited_at AS TEXT) AS edited_at FROM work_update_revision WHERE update_id = $1 \
     ORDER BY version DESC";

/// Every saved version of an update's text, newest first.
pub async fn revisions(db: &Db, id: i64) -> Result<Vec<UpdateRevision>, sqlx::Error> {
    let rows: Vec<RevisionRow> = sql(REVISIONS).bind(id).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| UpdateRevision {
            version: r.version,
            title: r.title,
            body: r.body,
            happened_on: r.happened_on,
            place_code: r.place_code,
            edited_by: r.edited_by,
            edited_at: short_time(&r.edited_at),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct PublicRow {
    id: i64,
    title: String,
    body: String,
    happened_on: NaiveDate,
    place_code: Option<String>,
    measure_category: Option<MeasureCategory>,
    version: i64,
    place_name: Option<String>,
    place_level: Option<String>,
    township_code: Option<String>,
    township_name: Option<String>,
}

const PUBLIC_COLS: &str = "SELECT u.id, u.title, u.body, u.happened_on, u.place_code, \
     u.measure_category, u.version, r.name AS place_name, r.level AS place_level, \
     t.code AS township_code, t.name AS township_name FROM work_update u \
     LEFT JOIN region r ON r.code = u.place_code LEFT JOIN region t ON t.code = r.parent_code";
const AGGREGATE: &str = "SELECT CAST(COALESCE(SUM(measures), 0) AS BIGINT), \
     CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM measure_stats \
     WHERE village_code >= $1 AND village_code <= $2 AND year = $3 AND category = $4";

/// The public shape of an update row, with its measures in aggregate when it links them.
async fn public_item(db: &Db, r: PublicRow) -> Result<UpdateItem, sqlx::Error> {
    let place = match (r.place_code.clone(), r.place_name) {
        (Some(code), Some(name)) => Some(Place {
            code,
            name,
            township: (r.place_level.as_deref() == Some("village"))
                .then(|| r.township_code.zip(r.township_name))
                .flatten(),
        }),
        _ => None,
    };
    let measures = match r.measure_category {
        None => None,
        Some(category) => {
            let (from, to) = match &r.place_code {
                Some(c) => range_of(c),
                None => ("000000000000".into(), "999999999999".into()),
            };
            let year = r.happened_on.year();
            let (measures, amount): (i64, i64) = sql(AGGREGATE)
                .bind(&from)
                .bind(&to)
                .bind(i64::from(year))
                .bind(category)
                .fetch_one(db)
                .await?;
            // A place code is 12 ASCII digits (the region table's CHECK).
            let township = r
                .place_code
                .as_ref()
                .and_then(|c| c.get(..9))
                .map(|t| format!("{t}000"));
            Some(MeasureAggregate {
                category,
                year,
                measures,
                amount,
                href: match township {
                    Some(t) => format!("/dashboard?year={year}&township={t}"),
                    None => format!("/dashboard?year={year}"),
                },
            })
        }
    };
    Ok(UpdateItem {
        id: r.id,
        title: r.title,
        body: r.body,
        happened_on: r.happened_on,
        place,
        measures,
        edited: r.version > 2,
    })
}

/// Published updates, newest first: tagged inside `range` (when given) and containing `q` in
/// the title or body (when not empty); page `page` (from 1) of `per_page`.
pub async fn public_updates(
    db: &Db,
    range: &Range,
    q: &str,
    page: i64,
    per_page: i64,
) -> Result<UpdateList, sqlx::Error> {
    let mut filter = String::from("u.state = 'published'");
    let mut binds: Vec<Val> = Vec::new();
    if let Some((from, to)) = range {
        binds.push(from.into());
        binds.push(to.into());
        filter.push_str(" AND u.place_code >= $1 AND u.place_code <= $2");
    }
    let q = q.trim();
    if !q.is_empty() {
        binds.push(format!("%{}%", like_escape(q)).into());
        let n = binds.len();
        filter.push_str(&format!(
            " AND (u.title LIKE ${n} ESCAPE '\\' OR u.body LIKE ${n} ESCAPE '\\')"
        ));
    }
    let page = page.max(1);
    // Both statements are built from the fixed fragments above; values are bound.
    let total: i64 = sql_built(format!("SELECT COUNT(*) FROM work_update u WHERE {filter}"))
        .bind_all(binds.clone())
        .scalar(db)
        .await?;
    let rows: Vec<PublicRow> = sql_built(format!(
        "{PUBLIC_COLS} WHERE {filter} ORDER BY u.happened_on DESC, u.id DESC LIMIT {per_page} OFFSET {}",
        (page - 1) * per_page
    ))
    .bind_all(binds)
    .fetch_all(db)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(public_item(db, r).await?);
    }
    Ok(UpdateList {
        items,
        total,
        page,
        per_page,
    })
}

/// One published update.
pub async fn public_update(db: &Db, id: i64) -> Result<Option<UpdateItem>, sqlx::Error> {
    let row: Option<PublicRow> = sql_built(format!(
        "{PUBLIC_COLS} WHERE u.id = $1 AND u.state = 'published'"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    match row {
        Some(r) => Ok(Some(public_item(db, r).await?)),
        None => Ok(None),
    }
}
