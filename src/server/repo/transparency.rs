//! Work updates and public notices: every statement about them. Each write is one transaction with
//! its audit row; an update's edits and state changes name the version they were based on, so a
//! stale form is refused instead of overwriting.
use super::{household::code, like_escape};
use crate::{
    model::{codes::*, id_number::mask_id, transparency::*},
    server::db::{BeginWrite, Db},
    with_pool,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// Codes `from..=to` a staff member or a filter covers (a township's villages share its first
/// nine digits); `None` is the whole city.
pub type Range = Option<(String, String)>;

/// The range of a place: a township covers itself and its villages, a village itself.
pub fn range_of(code: &str) -> (String, String) {
    if code.len() == 12 && code.ends_with("000") && code.bytes().all(|b| b.is_ascii_digit()) {
        (format!("{}000", &code[..9]), format!("{}999", &code[..9]))
    } else {
        (code.to_string(), code.to_string())
    }
}

/// The outcome of a write that names a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Ok {
        id: i64,
        version: i64,
    },
    /// Someone saved in between: the current version and who saved it.
    Stale {
        current_version: i64,
    },
    Missing,
    /// Refused by a rule only the database can check: the field and message code.
    Rejected {
        field: String,
        code: &'static str,
    },
}

const AUDIT: &str = "\
INSERT INTO audit_log (actor, action, entity, entity_id, before_json, after_json)
VALUES ($1, $2, $3, $4, $5, $6)";

macro_rules! audit {
    ($tx:expr, $actor:expr, $action:expr, $entity:expr, $id:expr, $before:expr, $after:expr) => {
        sqlx::query(AUDIT)
            .bind($actor)
            .bind($action)
            .bind($entity)
            .bind($id.to_string())
            .bind($before)
            .bind($after)
            .execute(&mut *$tx)
            .await?
    };
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Work updates

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

/// Returns the stale or missing outcome for update `$id`, read inside the failed transaction.
macro_rules! stale_update {
    ($tx:expr, $id:expr) => {{
        let current: Option<i64> = sqlx::query_scalar(UPDATE_VERSION)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        return Ok(match current {
            Some(current_version) => Written::Stale { current_version },
            None => Written::Missing,
        });
    }};
}

/// Saves an update: a new draft (`form.id` is `None`), or an edit on top of `form.version`. The
/// text of every version is kept.
pub async fn save_update(db: &Db, f: &UpdateForm, actor: &str) -> Result<Written, sqlx::Error> {
    let now = Utc::now();
    let Some(happened_on) = f.happened_on else {
        return Ok(Written::Rejected {
            field: "happened_on".into(),
            code: "required",
        });
    };
    let category = f.measure_category.map(MeasureCategory::as_str);
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        if let Some(place) = &f.place_code {
            let n: i64 = sqlx::query_scalar(PLACE_EXISTS)
                .bind(place)
                .fetch_one(&mut *tx)
                .await?;
            if n == 0 {
                return Ok(Written::Rejected {
                    field: "place_code".into(),
                    code: "place_unknown",
                });
            }
        }
        let (id, version) = match f.id {
            None => {
                let id: i64 = sqlx::query_scalar(INSERT_UPDATE)
                    .bind(f.title.trim())
                    .bind(f.body.trim())
                    .bind(happened_on)
                    .bind(&f.place_code)
                    .bind(category)
                    .bind(actor)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                (id, 1)
            }
            Some(id) => {
                let next: Option<i64> = sqlx::query_scalar(EDIT_UPDATE)
                    .bind(id)
                    .bind(f.version)
                    .bind(f.title.trim())
                    .bind(f.body.trim())
                    .bind(happened_on)
                    .bind(&f.place_code)
                    .bind(category)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                match next {
                    Some(v) => (id, v),
                    None => stale_update!(tx, id),
                }
            }
        };
        sqlx::query(INSERT_REVISION)
            .bind(id)
            .bind(version)
            .bind(f.title.trim())
            .bind(f.body.trim())
            .bind(happened_on)
            .bind(&f.place_code)
            .bind(category)
            .bind(actor)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let action = if f.id.is_none() {
            "create_update"
        } else {
            "edit_update"
        };
        audit!(
            tx,
            actor,
            action,
            "work_update",
            id,
            None::<String>,
            Some(json(f))
        );
        tx.commit().await?;
        Ok(Written::Ok { id, version })
    })
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
) -> Result<Written, sqlx::Error> {
    let now = Utc::now();
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        let next: Option<i64> = sqlx::query_scalar(SET_UPDATE_STATE)
            .bind(id)
            .bind(version)
            .bind(state.as_str())
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(next) = next else {
            stale_update!(tx, id);
        };
        let after = serde_json::json!({ "state": state, "version": next }).to_string();
        let action = match state {
            UpdateState::Published => "publish_update",
            UpdateState::Unpublished => "unpublish_update",
            UpdateState::Draft => "draft_update",
        };
        audit!(
            tx,
            actor,
            action,
            "work_update",
            id,
            None::<String>,
            Some(after)
        );
        tx.commit().await?;
        Ok(Written::Ok { id, version: next })
    })
}

type UpdateRow = (
    i64,
    String,
    String,
    NaiveDate,
    Option<String>,
    Option<String>,
    String,
    String,
    i64,
    String,
    Option<String>,
);
const STAFF_UPDATE_COLS: &str = "SELECT u.id, u.title, u.body, u.happened_on, u.place_code, \
     u.measure_category, u.state, u.author, u.version, CAST(u.updated_at AS TEXT), r.name \
     FROM work_update u LEFT JOIN region r ON r.code = u.place_code";

fn staff_update(r: UpdateRow) -> Result<StaffUpdate, sqlx::Error> {
    Ok(StaffUpdate {
        form: UpdateForm {
            id: Some(r.0),
            version: r.8,
            title: r.1,
            body: r.2,
            happened_on: Some(r.3),
            place_code: r.4,
            measure_category: r
                .5
                .as_deref()
                .map(|c| code(c, MeasureCategory::parse))
                .transpose()?,
        },
        state: code(&r.6, UpdateState::parse)?,
        author: r.7,
        updated_at: short_time(&r.9),
        place_name: r.10,
    })
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
    let sql = format!("{STAFF_UPDATE_COLS} WHERE u.id = $1");
    let row: Option<UpdateRow> =
        with_pool!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(p)
            .await)?;
    row.map(staff_update).transpose()
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
    let sql = format!(
        "{STAFF_UPDATE_COLS} WHERE {filter} ORDER BY u.updated_at DESC, u.id DESC LIMIT 200"
    );
    let rows: Vec<UpdateRow> =
        with_pool!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await)?;
    rows.into_iter().map(staff_update).collect()
}

const REVISIONS: &str = "SELECT version, title, body, happened_on, place_code, edited_by, \
     CAST(edited_at AS TEXT) FROM work_update_revision WHERE update_id = $1 ORDER BY version DESC";

/// Every saved version of an update's text, newest first.
pub async fn revisions(db: &Db, id: i64) -> Result<Vec<UpdateRevision>, sqlx::Error> {
    type Row = (
        i64,
        String,
        String,
        NaiveDate,
        Option<String>,
        String,
        String,
    );
    let rows: Vec<Row> = with_pool!(db, |p| sqlx::query_as(REVISIONS)
        .bind(id)
        .fetch_all(p)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| UpdateRevision {
            version: r.0,
            title: r.1,
            body: r.2,
            happened_on: r.3,
            place_code: r.4,
            edited_by: r.5,
            edited_at: short_time(&r.6),
        })
        .collect())
}

type PublicRow = (
    i64,
    String,
    String,
    NaiveDate,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
const PUBLIC_COLS: &str = "SELECT u.id, u.title, u.body, u.happened_on, u.place_code, \
     u.measure_category, u.version, r.name, r.level, t.code, t.name FROM work_update u \
     LEFT JOIN region r ON r.code = u.place_code LEFT JOIN region t ON t.code = r.parent_code";
const AGGREGATE: &str = "SELECT CAST(COALESCE(SUM(measures), 0) AS BIGINT), \
     CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM measure_stats \
     WHERE village_code >= $1 AND village_code <= $2 AND year = $3 AND category = $4";

/// The public shape of an update row, with its measures in aggregate when it links them.
async fn public_item(db: &Db, r: PublicRow) -> Result<UpdateItem, sqlx::Error> {
    let place = match (r.4.clone(), r.7) {
        (Some(code), Some(name)) => Some(Place {
            code,
            name,
            township: (r.8.as_deref() == Some("village"))
                .then(|| r.9.zip(r.10))
                .flatten(),
        }),
        _ => None,
    };
    let measures = match r.5.as_deref().and_then(MeasureCategory::parse) {
        None => None,
        Some(category) => {
            let (from, to) = match &r.4 {
                Some(c) => range_of(c),
                None => ("000000000000".into(), "999999999999".into()),
            };
            let year = r.3.year();
            let (measures, amount): (i64, i64) = with_pool!(db, |p| sqlx::query_as(AGGREGATE)
                .bind(&from)
                .bind(&to)
                .bind(i64::from(year))
                .bind(category.as_str())
                .fetch_one(p)
                .await)?;
            let township = r.4.as_ref().map(|c| format!("{}000", &c[..9]));
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
        id: r.0,
        title: r.1,
        body: r.2,
        happened_on: r.3,
        place,
        measures,
        edited: r.6 > 2,
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
    let mut binds: Vec<String> = Vec::new();
    if let Some((from, to)) = range {
        binds.push(from.clone());
        binds.push(to.clone());
        filter.push_str(" AND u.place_code >= $1 AND u.place_code <= $2");
    }
    let q = q.trim();
    if !q.is_empty() {
        binds.push(format!("%{}%", like_escape(q)));
        let n = binds.len();
        filter.push_str(&format!(
            " AND (u.title LIKE ${n} ESCAPE '\\' OR u.body LIKE ${n} ESCAPE '\\')"
        ));
    }
    let page = page.max(1);
    let count_sql = format!("SELECT COUNT(*) FROM work_update u WHERE {filter}");
    let list_sql = format!(
        "{PUBLIC_COLS} WHERE {filter} ORDER BY u.happened_on DESC, u.id DESC LIMIT {per_page} OFFSET {}",
        (page - 1) * per_page
    );
    let (total, rows): (i64, Vec<PublicRow>) = with_pool!(db, |p| {
        // Audited: both statements are built from the fixed fragments above; values are bound.
        let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str()));
        let mut list = sqlx::query_as(sqlx::AssertSqlSafe(list_sql.as_str()));
        for b in &binds {
            count = count.bind(b);
            list = list.bind(b);
        }
        (count.fetch_one(p).await?, list.fetch_all(p).await?)
    });
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
    let sql = format!("{PUBLIC_COLS} WHERE u.id = $1 AND u.state = 'published'");
    let row: Option<PublicRow> =
        with_pool!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(p)
            .await)?;
    match row {
        Some(r) => Ok(Some(public_item(db, r).await?)),
        None => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------------
// Notices

const DAYS: &str = "SELECT days FROM notice_setting WHERE year = $1";
const SET_DAYS: &str = "INSERT INTO notice_setting (year, days) VALUES ($1, $2) \
     ON CONFLICT (year) DO UPDATE SET days = excluded.days";

/// How many days a notice starting in `year` runs at least (10 unless the year says more).
pub async fn notice_days(db: &Db, year: i32) -> Result<i64, sqlx::Error> {
    let days: Option<i64> = with_pool!(db, |p| sqlx::query_scalar(DAYS)
        .bind(i64::from(year))
        .fetch_optional(p)
        .await)?;
    Ok(days.unwrap_or(MIN_NOTICE_DAYS))
}

/// Sets the notice length of `year` (10..=60 days, checked by the caller and the database).
pub async fn set_notice_days(
    db: &Db,
    year: i32,
    days: i64,
    actor: &str,
) -> Result<(), sqlx::Error> {
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query(SET_DAYS)
            .bind(i64::from(year))
            .bind(days)
            .execute(&mut *tx)
            .await?;
        let after = serde_json::json!({ "year": year, "days": days }).to_string();
        audit!(
            tx,
            actor,
            "set_notice_days",
            "notice_setting",
            year,
            None::<String>,
            Some(after)
        );
        tx.commit().await
    })
}

const HOUSEHOLD_FOR_NOTICE: &str = "SELECT village_code, status FROM household WHERE id = $1";
const PENDING_ENTRY: &str = "SELECT COUNT(*) FROM notice_entry e JOIN notice n ON n.id = e.notice_id \
     WHERE e.household_id = $1 AND n.kind = $2 AND e.state = 'proposed'";
const INSERT_NOTICE: &str = "INSERT INTO notice (village_code, kind, starts_on, ends_on, created_by, \
     created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
const INSERT_ENTRY: &str =
    "INSERT INTO notice_entry (notice_id, household_id, reason) VALUES ($1, $2, $3)";

/// Puts the households of `f` on notice: one notice per village, from `f.starts_on` for `f.days`
/// days. A household already exited (for exit), already exited (for identification: only poor
/// or relapsed households are identified), or already on a running proposal of the same kind is
/// refused with its position. Returns the new notices' numbers.
pub async fn propose(
    db: &Db,
    f: &ProposeForm,
    actor: &str,
) -> Result<Result<Vec<i64>, (String, &'static str)>, sqlx::Error> {
    let Some(starts_on) = f.starts_on else {
        return Ok(Err(("starts_on".into(), "required")));
    };
    let ends_on = notice_end(starts_on, f.days);
    let now = Utc::now();
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        let mut by_village: Vec<(String, Vec<&ProposedHousehold>)> = Vec::new();
        for (i, h) in f.households.iter().enumerate() {
            let row: Option<(String, String)> = sqlx::query_as(HOUSEHOLD_FOR_NOTICE)
                .bind(h.household_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((village, status)) = row else {
                return Ok(Err((format!("households.{i}"), "notice_household_unknown")));
            };
            if status == Status::Exited.as_str() {
                return Ok(Err((format!("households.{i}"), "notice_already_exited")));
            }
            let pending: i64 = sqlx::query_scalar(PENDING_ENTRY)
                .bind(h.household_id)
                .bind(f.kind.as_str())
                .fetch_one(&mut *tx)
                .await?;
            if pending > 0 {
                return Ok(Err((format!("households.{i}"), "notice_pending")));
            }
            match by_village.iter_mut().find(|(v, _)| *v == village) {
                Some((_, list)) => list.push(h),
                None => by_village.push((village, vec![h])),
            }
        }
        let mut ids = Vec::with_capacity(by_village.len());
        for (village, list) in by_village {
            let id: i64 = sqlx::query_scalar(INSERT_NOTICE)
                .bind(&village)
                .bind(f.kind.as_str())
                .bind(starts_on)
                .bind(ends_on)
                .bind(actor)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            for h in &list {
                sqlx::query(INSERT_ENTRY)
                    .bind(id)
                    .bind(h.household_id)
                    .bind(h.reason.trim())
                    .execute(&mut *tx)
                    .await?;
                let after = serde_json::json!({ "notice_id": id, "kind": f.kind,
                    "starts_on": starts_on, "ends_on": ends_on, "reason": h.reason.trim() });
                audit!(
                    tx,
                    actor,
                    "propose",
                    "household",
                    h.household_id,
                    None::<String>,
                    Some(after.to_string())
                );
            }
            let after = serde_json::json!({ "village": village, "kind": f.kind,
                "starts_on": starts_on, "ends_on": ends_on,
                "households": list.iter().map(|h| h.household_id).collect::<Vec<_>>() });
            audit!(
                tx,
                actor,
                "create_notice",
                "notice",
                id,
                None::<String>,
                Some(after.to_string())
            );
            ids.push(id);
        }
        tx.commit().await?;
        Ok(Ok(ids))
    })
}

type BriefRow = (
    i64,
    String,
    String,
    String,
    String,
    NaiveDate,
    NaiveDate,
    i64,
    i64,
    i64,
);
const BRIEF_COLS: &str = "SELECT n.id, n.kind, n.village_code, v.name, t.name, n.starts_on, n.ends_on, \
     (SELECT COUNT(*) FROM notice_entry e WHERE e.notice_id = n.id), \
     (SELECT COUNT(*) FROM objection o JOIN notice_entry e ON e.id = o.entry_id WHERE e.notice_id = n.id), \
     (SELECT COUNT(*) FROM objection o JOIN notice_entry e ON e.id = o.entry_id \
      WHERE e.notice_id = n.id AND o.outcome IS NULL) \
     FROM notice n JOIN region v ON v.code = n.village_code JOIN region t ON t.code = v.parent_code";

fn brief(r: BriefRow) -> Result<NoticeBrief, sqlx::Error> {
    Ok(NoticeBrief {
        id: r.0,
        kind: code(&r.1, NoticeKind::parse)?,
        village_code: r.2,
        village_name: r.3,
        township_name: r.4,
        starts_on: r.5,
        ends_on: r.6,
        households: r.7,
        objections: r.8,
        open_objections: r.9,
    })
}

/// Notices in `range`, newest first (at most 100). `current` keeps those running on `today` or
/// ended within the last 30 days.
pub async fn notices(
    db: &Db,
    range: &Range,
    current: bool,
    today: NaiveDate,
) -> Result<Vec<NoticeBrief>, sqlx::Error> {
    let (from, to) = range
        .clone()
        .unwrap_or_else(|| ("000000000000".into(), "999999999999".into()));
    let since = if current {
        today - chrono::Days::new(30)
    } else {
        NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(today)
    };
    let sql = format!(
        "{BRIEF_COLS} WHERE n.village_code >= $1 AND n.village_code <= $2 AND n.ends_on >= $3 \
         ORDER BY n.starts_on DESC, n.id DESC LIMIT 100"
    );
    let rows: Vec<BriefRow> =
        with_pool!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(&from)
            .bind(&to)
            .bind(since)
            .fetch_all(p)
            .await)?;
    rows.into_iter().map(brief).collect()
}

/// One notice's summary.
pub async fn notice(db: &Db, id: i64) -> Result<Option<NoticeBrief>, sqlx::Error> {
    let sql = format!("{BRIEF_COLS} WHERE n.id = $1");
    let row: Option<BriefRow> =
        with_pool!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .fetch_optional(p)
            .await)?;
    row.map(brief).transpose()
}

type EntryRow = (
    i64,
    i64,
    String,
    Option<String>,
    Option<i64>,
    i64,
    String,
    String,
    String,
    String,
    i64,
    Option<NaiveDate>,
);
const ENTRIES: &str = "\
SELECT e.id, e.household_id, m.name, m.id_number, h.group_no,
    (SELECT COUNT(*) FROM member a WHERE a.household_id = h.id AND a.active),
    h.attribute, e.reason, e.state, h.status, h.version, e.decided_on
FROM notice_entry e JOIN household h ON h.id = e.household_id
JOIN member m ON m.household_id = h.id AND m.relation = 'head' AND m.active
WHERE e.notice_id = $1 ORDER BY h.group_no, e.id";

async fn entries(db: &Db, notice_id: i64) -> Result<Vec<EntryRow>, sqlx::Error> {
    with_pool!(db, |p| sqlx::query_as(ENTRIES)
        .bind(notice_id)
        .fetch_all(p)
        .await)
}

type ObjectionRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
const OBJECTIONS: &str = "\
SELECT o.id, o.entry_id, m.name, o.reason, o.contact, CAST(o.filed_at AS TEXT), o.outcome,
    o.answer, o.answered_by, CAST(o.answered_at AS TEXT)
FROM objection o JOIN notice_entry e ON e.id = o.entry_id
JOIN member m ON m.household_id = e.household_id AND m.relation = 'head' AND m.active
WHERE e.notice_id = $1 ORDER BY o.id";

async fn objections(db: &Db, notice_id: i64) -> Result<Vec<ObjectionRow>, sqlx::Error> {
    with_pool!(db, |p| sqlx::query_as(OBJECTIONS)
        .bind(notice_id)
        .fetch_all(p)
        .await)
}

fn date_of(t: &str) -> NaiveDate {
    t.get(..10)
        .and_then(|d| d.parse().ok())
        .unwrap_or(NaiveDate::MIN)
}

/// A notice as the public sees it: each household's householder name with the ID masked, group,
/// size, attribute and reason; each objection with its answer (the objector's words and contact
/// stay with staff). `None` when there is no such notice.
pub async fn public_notice(
    db: &Db,
    id: i64,
    today: NaiveDate,
) -> Result<Option<PublicNotice>, sqlx::Error> {
    let Some(notice) = notice(db, id).await? else {
        return Ok(None);
    };
    let entries = entries(db, id)
        .await?
        .into_iter()
        .map(|r| {
            Ok(PublicEntry {
                id: r.0,
                head_name: r.2,
                id_masked: r.3.as_deref().map(mask_id).unwrap_or_default(),
                group_no: r.4,
                persons: r.5,
                attribute: code(&r.6, Attribute::parse)?,
                reason: r.7,
                state: code(&r.8, EntryState::parse)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let objections = objections(db, id)
        .await?
        .into_iter()
        .map(|r| {
            Ok(PublicObjection {
                id: r.0,
                entry_id: r.1,
                head_name: r.2,
                filed_on: date_of(&r.5),
                outcome: r
                    .6
                    .as_deref()
                    .map(|c| code(c, ObjectionOutcome::parse))
                    .transpose()?,
                answer: r.7,
                answered_on: r.9.as_deref().map(date_of),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(PublicNotice {
        notice,
        entries,
        objections,
        today,
        challenge: None,
    }))
}

/// Notices in `range` that need staff: running on `today`, with open objections, or with
/// households not yet decided; then those ended in the last 30 days. At most 50, newest first.
pub async fn staff_notices(
    db: &Db,
    range: &Range,
    today: NaiveDate,
) -> Result<Vec<StaffNotice>, sqlx::Error> {
    let mut out = Vec::new();
    for notice in notices(db, range, true, today).await?.into_iter().take(50) {
        let id = notice.id;
        let entries = entries(db, id)
            .await?
            .into_iter()
            .map(|r| {
                Ok(StaffEntry {
                    id: r.0,
                    household_id: r.1,
                    head_name: r.2,
                    group_no: r.4,
                    reason: r.7,
                    state: code(&r.8, EntryState::parse)?,
                    status: code(&r.9, Status::parse)?,
                    version: r.10,
                    decided_on: r.11,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let objections = objections(db, id)
            .await?
            .into_iter()
            .map(|r| {
                Ok(StaffObjection {
                    id: r.0,
                    entry_id: r.1,
                    head_name: r.2,
                    reason: r.3,
                    contact: r.4,
                    filed_at: short_time(&r.5),
                    outcome: r
                        .6
                        .as_deref()
                        .map(|c| code(c, ObjectionOutcome::parse))
                        .transpose()?,
                    answer: r.7,
                    answered_by: r.8,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        out.push(StaffNotice {
            notice,
            entries,
            objections,
        });
    }
    Ok(out)
}

const ENTRY_INFO: &str = "SELECT n.id, n.village_code, n.kind, n.starts_on, n.ends_on, e.state, \
     e.household_id FROM notice_entry e JOIN notice n ON n.id = e.notice_id WHERE e.id = $1";

/// Where an entry is: (notice, village, kind, starts, ends, state, household).
pub type EntryInfo = (
    i64,
    String,
    NoticeKind,
    NaiveDate,
    NaiveDate,
    EntryState,
    i64,
);

/// The notice, village and state of entry `id`.
pub async fn entry_info(db: &Db, id: i64) -> Result<Option<EntryInfo>, sqlx::Error> {
    type Row = (i64, String, String, NaiveDate, NaiveDate, String, i64);
    let row: Option<Row> = with_pool!(db, |p| sqlx::query_as(ENTRY_INFO)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    row.map(|r| {
        Ok((
            r.0,
            r.1,
            code(&r.2, NoticeKind::parse)?,
            r.3,
            r.4,
            code(&r.5, EntryState::parse)?,
            r.6,
        ))
    })
    .transpose()
}

/// Why the proposed `$kind` of household `$household` cannot be finalised on `$today` inside
/// transaction `$tx` (`Err(code)`), or the entry to mark finalised (`Ok(id)`).
macro_rules! notice_gate {
    ($tx:expr, $household:expr, $kind:expr, $today:expr) => {{
        let row: Option<(i64, chrono::NaiveDate, i64)> =
            sqlx::query_as($crate::server::repo::transparency::GATE)
                .bind($household)
                .bind($kind.as_str())
                .fetch_optional(&mut *$tx)
                .await?;
        let entry = row.map(|(id, ends_on, open)| (id, ends_on, open));
        match $crate::model::transparency::finalise_block(
            entry.map(|(_, ends_on, _)| ($crate::model::codes::EntryState::Proposed, ends_on)),
            entry.map(|(.., open)| open).unwrap_or(0),
            $today,
        ) {
            Some(code) => Err(code),
            None => Ok(entry.map(|(id, ..)| id).unwrap_or_default()),
        }
    }};
}
pub(crate) use notice_gate;

/// The household's proposed entry of a kind, its notice's end and its open objections.
pub const GATE: &str = "\
SELECT e.id, n.ends_on, (SELECT COUNT(*) FROM objection o WHERE o.entry_id = e.id AND o.outcome IS NULL)
FROM notice_entry e JOIN notice n ON n.id = e.notice_id
WHERE e.household_id = $1 AND n.kind = $2 AND e.state = 'proposed'
ORDER BY e.id DESC LIMIT 1";
/// [`notice_gate!`] outside a transaction (a first check; the write checks again).
pub async fn gate(
    db: &Db,
    household: i64,
    kind: NoticeKind,
    today: NaiveDate,
) -> Result<Result<i64, &'static str>, sqlx::Error> {
    with_pool!(db, |p| {
        let mut conn = p.acquire().await?;
        Ok(notice_gate!(conn, household, kind, today))
    })
}

/// Marks an entry decided.
pub const DECIDE_ENTRY: &str =
    "UPDATE notice_entry SET state = $2, decided_on = $3 WHERE id = $1 AND state = 'proposed'";

/// Finalises the identification of household `household` after its notice: refused (the message
/// code) while the notice runs or an objection on it waits for an answer.
pub async fn finalise_identification(
    db: &Db,
    household: i64,
    today: NaiveDate,
    actor: &str,
) -> Result<Result<(), &'static str>, sqlx::Error> {
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        let entry = match notice_gate!(tx, household, NoticeKind::Identification, today) {
            Ok(id) => id,
            Err(code) => return Ok(Err(code)),
        };
        sqlx::query(DECIDE_ENTRY)
            .bind(entry)
            .bind(EntryState::Finalised.as_str())
            .bind(today)
            .execute(&mut *tx)
            .await?;
        let after = serde_json::json!({ "entry_id": entry, "on": today }).to_string();
        audit!(
            tx,
            actor,
            "finalise_identification",
            "household",
            household,
            None::<String>,
            Some(after)
        );
        tx.commit().await?;
        Ok(Ok(()))
    })
}

/// Takes a proposed household off its notice (staff changed their mind, or the household
/// disagreed); it may be proposed again later.
pub async fn withdraw_entry(
    db: &Db,
    entry: i64,
    today: NaiveDate,
    actor: &str,
) -> Result<bool, sqlx::Error> {
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(DECIDE_ENTRY)
            .bind(entry)
            .bind(EntryState::Withdrawn.as_str())
            .bind(today)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        let after = serde_json::json!({ "entry_id": entry, "on": today }).to_string();
        audit!(
            tx,
            actor,
            "withdraw_entry",
            "notice_entry",
            entry,
            None::<String>,
            Some(after)
        );
        tx.commit().await?;
        Ok(true)
    })
}

/// Why an objection was not filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    Ok(i64),
    /// The notice does not run today (not yet, or over).
    Closed,
    /// No such household on this notice (or no longer proposed).
    UnknownEntry,
    /// Too many objections from this address lately.
    Throttled,
    /// This answered question was already used.
    Replayed,
}

/// Objections one address may file per hour.
pub const OBJECTIONS_PER_HOUR: i64 = 5;

const ENTRY_OF_NOTICE: &str = "SELECT n.starts_on, n.ends_on, e.state FROM notice_entry e \
     JOIN notice n ON n.id = e.notice_id WHERE e.id = $1 AND n.id = $2";
const RECENT_FROM: &str =
    "SELECT COUNT(*) FROM objection WHERE address_key = $1 AND filed_at >= $2";
const CHALLENGE_USED: &str = "SELECT COUNT(*) FROM objection WHERE challenge = $1";
const INSERT_OBJECTION: &str = "INSERT INTO objection (entry_id, reason, contact, filed_at, \
     address_key, challenge) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

/// Files an objection against entry `entry` of notice `notice` on `today`, if the notice runs and
/// the address has not filed [`OBJECTIONS_PER_HOUR`] in the last hour.
#[allow(clippy::too_many_arguments)]
pub async fn file_objection(
    db: &Db,
    notice: i64,
    entry: i64,
    reason: &str,
    contact: Option<&str>,
    address_key: &str,
    challenge: &str,
    today: NaiveDate,
) -> Result<Filed, sqlx::Error> {
    let now: DateTime<Utc> = Utc::now();
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        let row: Option<(NaiveDate, NaiveDate, String)> = sqlx::query_as(ENTRY_OF_NOTICE)
            .bind(entry)
            .bind(notice)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((starts_on, ends_on, state)) = row else {
            return Ok(Filed::UnknownEntry);
        };
        if !notice_runs(starts_on, ends_on, today) {
            return Ok(Filed::Closed);
        }
        if state != EntryState::Proposed.as_str() {
            return Ok(Filed::UnknownEntry);
        }
        let recent: i64 = sqlx::query_scalar(RECENT_FROM)
            .bind(address_key)
            .bind(now - chrono::Duration::hours(1))
            .fetch_one(&mut *tx)
            .await?;
        if recent >= OBJECTIONS_PER_HOUR {
            return Ok(Filed::Throttled);
        }
        let used: i64 = sqlx::query_scalar(CHALLENGE_USED)
            .bind(challenge)
            .fetch_one(&mut *tx)
            .await?;
        if used > 0 {
            return Ok(Filed::Replayed);
        }
        let id: i64 = sqlx::query_scalar(INSERT_OBJECTION)
            .bind(entry)
            .bind(reason.trim())
            .bind(contact.map(str::trim).filter(|c| !c.is_empty()))
            .bind(now)
            .bind(address_key)
            .bind(challenge)
            .fetch_one(&mut *tx)
            .await?;
        let after = serde_json::json!({ "notice_id": notice, "entry_id": entry }).to_string();
        audit!(
            tx,
            "public",
            "file_objection",
            "objection",
            id,
            None::<String>,
            Some(after)
        );
        tx.commit().await?;
        Ok(Filed::Ok(id))
    })
}

const OBJECTION_INFO: &str = "SELECT n.village_code, o.entry_id, o.outcome FROM objection o \
     JOIN notice_entry e ON e.id = o.entry_id JOIN notice n ON n.id = e.notice_id WHERE o.id = $1";
const ANSWER: &str = "UPDATE objection SET outcome = $2, answer = $3, answered_by = $4, \
     answered_at = $5 WHERE id = $1 AND outcome IS NULL";

/// The village of objection `id` and whether it is answered.
pub async fn objection_village(db: &Db, id: i64) -> Result<Option<(String, bool)>, sqlx::Error> {
    let row: Option<(String, i64, Option<String>)> =
        with_pool!(db, |p| sqlx::query_as(OBJECTION_INFO)
            .bind(id)
            .fetch_optional(p)
            .await)?;
    Ok(row.map(|(v, _, o)| (v, o.is_some())))
}

/// Answers objection `id` (once): the answer is published with the notice. An upheld objection
/// takes the household off the notice.
pub async fn answer_objection(
    db: &Db,
    id: i64,
    outcome: ObjectionOutcome,
    answer: &str,
    today: NaiveDate,
    actor: &str,
) -> Result<bool, sqlx::Error> {
    let now = Utc::now();
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        let row: Option<(String, i64, Option<String>)> = sqlx::query_as(OBJECTION_INFO)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((_, entry, None)) = row else {
            return Ok(false);
        };
        sqlx::query(ANSWER)
            .bind(id)
            .bind(outcome.as_str())
            .bind(answer.trim())
            .bind(actor)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        if outcome == ObjectionOutcome::Upheld {
            sqlx::query(DECIDE_ENTRY)
                .bind(entry)
                .bind(EntryState::Withdrawn.as_str())
                .bind(today)
                .execute(&mut *tx)
                .await?;
        }
        let after = serde_json::json!({ "outcome": outcome, "answer": answer.trim(),
            "entry_id": entry })
        .to_string();
        audit!(
            tx,
            actor,
            "answer_objection",
            "objection",
            id,
            None::<String>,
            Some(after)
        );
        tx.commit().await?;
        Ok(true)
    })
}

const WAITING: &str = "\
SELECT
  (SELECT COUNT(*) FROM notice n WHERE n.village_code >= $1 AND n.village_code <= $2
     AND n.starts_on <= $3 AND n.ends_on >= $3),
  (SELECT COUNT(*) FROM objection o JOIN notice_entry e ON e.id = o.entry_id
     JOIN notice n ON n.id = e.notice_id
     WHERE n.village_code >= $1 AND n.village_code <= $2 AND o.outcome IS NULL),
  (SELECT COUNT(*) FROM notice_entry e JOIN notice n ON n.id = e.notice_id
     WHERE n.village_code >= $1 AND n.village_code <= $2 AND e.state = 'proposed' AND n.ends_on < $3
     AND NOT EXISTS (SELECT 1 FROM objection o WHERE o.entry_id = e.id AND o.outcome IS NULL)),
  (SELECT COUNT(*) FROM work_update u WHERE u.state = 'draft'
     AND ((u.place_code >= $1 AND u.place_code <= $2) OR ($4 AND u.place_code IS NULL)))";

/// What waits for staff with `range` on `today`.
pub async fn waiting(db: &Db, range: &Range, today: NaiveDate) -> Result<Waiting, sqlx::Error> {
    let (from, to) = range
        .clone()
        .unwrap_or_else(|| ("000000000000".into(), "999999999999".into()));
    let (running_notices, open_objections, ready, drafts): (i64, i64, i64, i64) =
        with_pool!(db, |p| sqlx::query_as(WAITING)
            .bind(&from)
            .bind(&to)
            .bind(today)
            .bind(range.is_none())
            .fetch_one(p)
            .await)?;
    Ok(Waiting {
        running_notices,
        open_objections,
        ready,
        drafts,
    })
}

// ---------------------------------------------------------------------------------------------
// Places for filters and the township page

const PLACES: &str = "SELECT t.code, t.name, v.code, v.name FROM region t \
     JOIN region v ON v.parent_code = t.code AND v.level = 'village' \
     WHERE t.level = 'township' ORDER BY t.code, v.code";

/// Every township with its villages, for the filters.
pub async fn places(db: &Db) -> Result<Vec<TownshipVillages>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> =
        with_pool!(db, |p| sqlx::query_as(PLACES).fetch_all(p).await)?;
    let mut out: Vec<TownshipVillages> = Vec::new();
    for (t, tn, v, vn) in rows {
        match out.last_mut() {
            Some(last) if last.code == t => last.villages.push((v, vn)),
            _ => out.push(TownshipVillages {
                code: t,
                name: tn,
                villages: vec![(v, vn)],
            }),
        }
    }
    Ok(out)
}

const TOWNSHIP: &str = "SELECT name FROM region WHERE code = $1 AND level = 'township'";
const TOWNSHIP_VILLAGES: &str = "SELECT v.code, v.name, COALESCE(s.households, 0), \
     COALESCE(s.poor_households, 0), COALESCE(s.poor_persons, 0), v.rural_population \
     FROM region v LEFT JOIN village_stats s ON s.village_code = v.code \
     WHERE v.parent_code = $1 AND v.level = 'village' ORDER BY v.code";

/// A township's public page: its villages with their progress.
pub async fn township(db: &Db, code_: &str) -> Result<Option<PublicTownship>, sqlx::Error> {
    let name: Option<String> = with_pool!(db, |p| sqlx::query_scalar(TOWNSHIP)
        .bind(code_)
        .fetch_optional(p)
        .await)?;
    let Some(name) = name else {
        return Ok(None);
    };
    type Row = (String, String, i64, i64, i64, Option<i64>);
    let rows: Vec<Row> = with_pool!(db, |p| sqlx::query_as(TOWNSHIP_VILLAGES)
        .bind(code_)
        .fetch_all(p)
        .await)?;
    Ok(Some(PublicTownship {
        code: code_.to_string(),
        name,
        villages: rows
            .into_iter()
            .map(|r| VillageProgress {
                code: r.0,
                name: r.1,
                households: r.2,
                poor_households: r.3,
                poor_persons: r.4,
                rural_population: r.5,
            })
            .collect(),
    }))
}
