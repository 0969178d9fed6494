//! Notices as the public and the staff desk read them, and what waits for staff.
use super::*;

pub(super) const BRIEF_COLS: &str = "SELECT n.id, n.kind, n.village_code, v.name AS village_name, \
     t.name AS township_name, n.starts_on, n.ends_on, \
     (SELECT COUNT(*) FROM notice_entry e WHERE e.notice_id = n.id) AS households, \
     (SELECT COUNT(*) FROM objection o JOIN notice_entry e ON e.id = o.entry_id \
      WHERE e.notice_id = n.id) AS objections, \
     (SELECT COUNT(*) FROM objection o JOIN notice_entry e ON e.id = o.entry_id \
      WHERE e.notice_id = n.id AND o.outcome IS NULL) AS open_objections, n.on_paper \
     FROM notice n JOIN region v ON v.code = n.village_code JOIN region t ON t.code = v.parent_code";

/// Notices in `range`, newest first (at most 100). `current` keeps those running on `today` or
/// ended within the last 30 days. A monitoring or clearing notice is listed only while the
/// public may read it ([`publicly_shown`]).
pub async fn notices(
    db: &Db,
    range: &Range,
    current: bool,
    today: NaiveDate,
) -> Result<Vec<NoticeBrief>, sqlx::Error> {
    let crate::model::place::PlaceRange { from, to } = range
        .clone()
        .unwrap_or_else(crate::model::place::PlaceRange::all);
    let since = if current {
        today - chrono::Days::new(30)
    } else {
        NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(today)
    };
    sql_built(format!(
        "{BRIEF_COLS} WHERE n.village_code >= $1 AND n.village_code <= $2 AND n.ends_on >= $3 \
         AND (n.kind IN ('identification', 'exit') OR n.ends_on >= $4) \
         ORDER BY n.starts_on DESC, n.id DESC LIMIT 100"
    ))
    .bind(from)
    .bind(to)
    .bind(since)
    .bind(today - chrono::Days::new(CASE_NOTICE_PUBLIC_DAYS as u64))
    .fetch_all(db)
    .await
}

/// One notice's summary.
pub async fn notice(db: &Db, id: i64) -> Result<Option<NoticeBrief>, sqlx::Error> {
    sql_built(format!("{BRIEF_COLS} WHERE n.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

#[derive(sqlx::FromRow)]
pub(super) struct EntryRow {
    id: i64,
    household_id: i64,
    head_name: String,
    id_number: Option<String>,
    group_no: Option<i64>,
    persons: i64,
    attribute: Attribute,
    reason: String,
    state: EntryState,
    status: Status,
    version: i64,
    decided_on: Option<NaiveDate>,
}

pub(super) const ENTRIES: &str = "\
SELECT e.id, e.household_id, m.name AS head_name, m.id_number, h.group_no,
    (SELECT COUNT(*) FROM member a WHERE a.household_id = h.id AND a.active) AS persons,
    h.attribute, e.reason, e.state, h.status, h.version, e.decided_on
FROM notice_entry e JOIN household h ON h.id = e.household_id
JOIN member m ON m.household_id = h.id AND m.relation = 'head' AND m.active
WHERE e.notice_id = $1 ORDER BY h.group_no, e.id";

#[derive(sqlx::FromRow)]
pub(super) struct ObjectionRow {
    id: i64,
    entry_id: i64,
    head_name: String,
    reason: String,
    contact: Option<String>,
    filed_at: String,
    outcome: Option<ObjectionOutcome>,
    answer: Option<String>,
    answered_by: Option<String>,
    answered_at: Option<String>,
}

pub(super) const OBJECTIONS: &str = "\
SELECT o.id, o.entry_id, m.name AS head_name, o.reason, o.contact,
    CAST(o.filed_at AS TEXT) AS filed_at, o.outcome, o.answer,
    COALESCE(u.display_name, o.answered_by) AS answered_by,
    CAST(o.answered_at AS TEXT) AS answered_at
FROM objection o JOIN notice_entry e ON e.id = o.entry_id
JOIN member m ON m.household_id = e.household_id AND m.relation = 'head' AND m.active
LEFT JOIN staff_user u ON u.username = o.answered_by
WHERE e.notice_id = $1 ORDER BY o.id";

/// A stored time's date (its first ten characters).
pub(super) fn date_of(t: &str) -> NaiveDate {
    t.get(..10)
        .and_then(|d| d.parse().ok())
        .unwrap_or(NaiveDate::MIN)
}

/// A notice as the public sees it: each household's householder name with the ID masked, group,
/// size, attribute (register notices only) and reason; each objection with its answer (the objector's words and contact
/// stay with staff). `None` when there is no such notice.
pub async fn public_notice(
    db: &Db,
    id: i64,
    today: NaiveDate,
) -> Result<Option<PublicNotice>, sqlx::Error> {
    let Some(notice) = notice(db, id)
        .await?
        .filter(|n| publicly_shown(n.kind, n.ends_on, today))
    else {
        return Ok(None);
    };
    let register = notice.kind.is_register();
    let entries: Vec<EntryRow> = sql(ENTRIES).bind(id).fetch_all(db).await?;
    let objections: Vec<ObjectionRow> = sql(OBJECTIONS).bind(id).fetch_all(db).await?;
    Ok(Some(PublicNotice {
        notice,
        entries: entries
            .into_iter()
            .map(|r| PublicEntry {
                id: r.id,
                head_name: r.head_name,
                id_masked: r.id_number.as_deref().map(mask_id).unwrap_or_default(),
                group_no: r.group_no,
                persons: r.persons,
                attribute: register.then_some(r.attribute),
                reason: r.reason,
                state: r.state,
            })
            .collect(),
        objections: objections
            .into_iter()
            .map(|r| PublicObjection {
                id: r.id,
                entry_id: r.entry_id,
                head_name: r.head_name,
                filed_on: date_of(&r.filed_at),
                outcome: r.outcome,
                answer: r.answer,
                answered_on: r.answered_at.as_deref().map(date_of),
            })
            .collect(),
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
        let entries: Vec<EntryRow> = sql(ENTRIES).bind(notice.id).fetch_all(db).await?;
        let objections: Vec<ObjectionRow> = sql(OBJECTIONS).bind(notice.id).fetch_all(db).await?;
        out.push(StaffNotice {
            notice,
            entries: entries
                .into_iter()
                .map(|r| StaffEntry {
                    id: r.id,
                    household_id: r.household_id,
                    head_name: r.head_name,
                    group_no: r.group_no,
                    reason: r.reason,
                    state: r.state,
                    status: r.status,
                    version: r.version,
                    decided_on: r.decided_on,
                })
                .collect(),
            objections: objections
                .into_iter()
                .map(|r| StaffObjection {
                    id: r.id,
                    entry_id: r.entry_id,
                    head_name: r.head_name,
                    reason: r.reason,
                    contact: r.contact,
                    filed_at: short_time(&r.filed_at),
                    outcome: r.outcome,
                    answer: r.answer,
                    answered_by: r.answered_by,
                })
                .collect(),
        });
    }
    Ok(out)
}

pub(super) const WAITING: &str = "\
SELECT
  (SELECT COUNT(*) FROM notice n WHERE n.village_code >= $1 AND n.village_code <= $2
     AND n.starts_on <= $3 AND n.ends_on >= $3) AS running_notices,
  (SELECT COUNT(*) FROM objection o JOIN notice_entry e ON e.id = o.entry_id
     JOIN notice n ON n.id = e.notice_id
     WHERE n.village_code >= $1 AND n.village_code <= $2 AND o.outcome IS NULL) AS open_objections,
  (SELECT COUNT(*) FROM notice_entry e JOIN notice n ON n.id = e.notice_id
     WHERE n.village_code >= $1 AND n.village_code <= $2 AND e.state = 'proposed' AND n.ends_on < $3
     AND NOT EXISTS (SELECT 1 FROM objection o WHERE o.entry_id = e.id AND o.outcome IS NULL))
     AS ready,
  (SELECT COUNT(*) FROM work_update u WHERE u.state = 'draft'
     AND ((u.place_code >= $1 AND u.place_code <= $2) OR ($4 AND u.place_code IS NULL))) AS drafts";

/// What waits for staff with `range` on `today`.
pub async fn waiting(db: &Db, range: &Range, today: NaiveDate) -> Result<Waiting, sqlx::Error> {
    let crate::model::place::PlaceRange { from, to } = range
        .clone()
        .unwrap_or_else(crate::model::place::PlaceRange::all);
    sql(WAITING)
        .bind(from)
        .bind(to)
        .bind(today)
        .bind(range.is_none())
        .fetch_one(db)
        .await
}
