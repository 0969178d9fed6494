//! Work updates (工作动态): drafts, edits on top of a version (every version's text is kept),
//! publishing, and the public list with the measures an update links to.
use super::{
    Saved,
    audit::{Audit, json},
    like_escape,
    places::Range,
};
use crate::{
    model::{codes::*, transparency::*},
    server::db::{Conn, Db, Val, sql, sql_built},
};
use chrono::{Datelike, NaiveDate, Utc};

mod public;
pub use public::*;

const INSERT_UPDATE: &str = "\
INSERT INTO work_update (title, body, happened_on, place_code, measure_category, state, author,
    version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, 'draft', $6, 1, $7, $7) RETURNING id";
const EDIT_UPDATE: &str = "\
UPDATE work_update SET title = $1, body = $2, happened_on = $3, place_code = $4,
    measure_category = $5, version = version + 1, updated_at = $6
WHERE id = $7 AND version = $8 RETURNING version";
const UPDATE_VERSION: &str = "SELECT version FROM work_update WHERE id = $1";
const INSERT_REVISION: &str = "\
INSERT INTO work_update_revision (title, body, happened_on, place_code, measure_category,
    update_id, version, edited_by, edited_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const PLACE_EXISTS: &str = "SELECT COUNT(*) FROM region WHERE code = $1 AND level <> 'city'";

/// The stale or missing outcome for update `id`, read inside the failed write's transaction.
async fn stale<'c>(on: impl Into<Conn<'c>>, id: i64) -> Result<Saved, sqlx::Error> {
    let current: Option<i64> = sql(UPDATE_VERSION).bind(id).scalar_optional(on).await?;
    Ok(match current {
        Some(current_version) => Saved::Stale {
            current_version,
            by: None,
        },
        None => Saved::Missing,
    })
}

/// What every version of an update holds, bound first by each statement that writes one.
fn content(f: &UpdateForm, happened_on: NaiveDate) -> [Val; 5] {
    [
        f.title.trim().into(),
        f.body.trim().into(),
        happened_on.into(),
        (&f.place_code).into(),
        f.measure_category.into(),
    ]
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
                .bind_all(content(f, happened_on))
                .bind(actor)
                .bind(now)
                .scalar(&mut tx)
                .await?;
            (id, 1)
        }
        Some(id) => {
            let next: Option<i64> = sql(EDIT_UPDATE)
                .bind_all(content(f, happened_on))
                .bind(now)
                .bind(id)
                .bind(f.version)
                .scalar_optional(&mut tx)
                .await?;
            match next {
                Some(v) => (id, v),
                None => return stale(&mut tx, id).await,
            }
        }
    };
    sql(INSERT_REVISION)
        .bind_all(content(f, happened_on))
        .bind(id)
        .bind(version)
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
        Some(r) => (
            "u.place_code >= $1 AND u.place_code <= $2",
            r.from.clone(),
            r.to.clone(),
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
