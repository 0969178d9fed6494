//! Households with their causes, members and housing: created, read and updated as one record.
use crate::{
    model::{codes::*, registry::*},
    server::{
        db::{BeginWrite, Db},
        repo::stats::{REFRESH_CAUSES, REFRESH_COUNTS, refresh_village},
    },
    with_pool,
};
use chrono::NaiveDate;

/// Turns a stored code back into its enum, or reports a decode error (a CHECK should prevent it).
pub(crate) fn code<T>(value: &str, parse: fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    parse(value).ok_or_else(|| sqlx::Error::Decode(format!("unknown code {value:?}").into()))
}

/// Result of a save that names the version it was based on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Stored; the record now has this version.
    Ok { version: i64 },
    /// Someone saved first: nothing was written.
    Stale { current_version: i64 },
    /// No such household.
    Missing,
    /// A rule only the database can check refused it (an ID already held by another active
    /// person, a member left out of the form …): nothing was written.
    Rejected { field: String, code: &'static str },
    /// The household does not meet the exit standard (the reasons): nothing was written.
    Refused(Vec<crate::model::rules::ExitReason>),
}

/// Whether `err` is a UNIQUE violation (the one constraint a valid form can still break: an ID
/// number already held by an active person of another household).
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

pub(crate) const INSERT_HOUSEHOLD: &str = "\
INSERT INTO household (village_code, group_no, address, phone, bank_name, bank_account, standard,
    attribute, status, identified_on, exited_on, relapsed_on, has_electricity, has_safe_water,
    has_road_access)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
RETURNING id";
pub(crate) const INSERT_CAUSE: &str =
    "INSERT INTO household_cause (household_id, rank, cause) VALUES ($1, $2, $3)";
pub(crate) const INSERT_MEMBER: &str = "\
INSERT INTO member (household_id, name, sex, id_number, disability_cert, birth_date, relation,
    ethnicity, education, student_status, health, labour, migrant_months, medical_insured,
    pension_insured, active, left_on, name_pinyin, name_initials)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
/// INSERT_MEMBER for `n` members at once (the same 19 columns, `n` rows of placeholders).
pub(crate) fn insert_members_sql(n: usize) -> String {
    let head = &INSERT_MEMBER[..INSERT_MEMBER.find("VALUES").unwrap_or(0)];
    let rows: Vec<String> = (0..n)
        .map(|r| {
            let marks: Vec<String> = (1..=19).map(|c| format!("${}", r * 19 + c)).collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    format!("{head}VALUES {}", rows.join(", "))
}

/// Binds a member's fields in the order INSERT_MEMBER and UPDATE_MEMBER list them.
macro_rules! bind_member {
    ($query:expr, $m:expr) => {
        $query
            .bind(&$m.name)
            .bind($m.sex.as_str())
            .bind(&$m.id_number)
            .bind(&$m.disability_cert)
            .bind($m.birth_date)
            .bind($m.relation.as_str())
            .bind(&$m.ethnicity)
            .bind($m.education.as_str())
            .bind($m.student_status.as_str())
            .bind($m.health.as_str())
            .bind($m.labour.as_str())
            .bind($m.migrant_months)
            .bind($m.medical_insured)
            .bind($m.pension_insured)
            .bind($m.active)
    };
}
pub(crate) use bind_member;

pub(crate) const INSERT_HOUSING: &str = "\
INSERT INTO housing (household_id, structure, area_m2, built_year, danger_grade, renovated_on,
    relocated, relocated_on)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Inserts a household's housing row inside the open transaction `$tx`.
macro_rules! insert_housing {
    ($tx:expr, $id:expr, $hs:expr) => {
        sqlx::query($crate::server::repo::household::INSERT_HOUSING)
            .bind($id)
            .bind($hs.structure.as_str())
            .bind($hs.area_m2)
            .bind($hs.built_year)
            .bind(
                $hs.danger_grade
                    .map($crate::model::codes::DangerGrade::as_str),
            )
            .bind($hs.renovated_on)
            .bind($hs.relocated)
            .bind($hs.relocated_on)
            .execute(&mut *$tx)
            .await?
    };
}
pub(crate) use insert_housing;

/// Inserts a household's causes (main cause first) inside the open transaction `$tx`.
macro_rules! insert_causes {
    ($tx:expr, $id:expr, $causes:expr) => {
        for (rank, cause) in $causes.iter().enumerate() {
            sqlx::query($crate::server::repo::household::INSERT_CAUSE)
                .bind($id)
                .bind(rank as i64 + 1)
                .bind(cause.as_str())
                .execute(&mut *$tx)
                .await?;
        }
    };
}
pub(crate) use insert_causes;

/// Inserts a whole new household (row, causes, members with their name keys and name index,
/// housing) inside the open transaction `$tx`; evaluates to its id. `$today` dates the leaving
/// of members entered as already gone.
macro_rules! insert_new {
    ($tx:expr, $h:expr, $today:expr) => {{
        use $crate::server::repo::household::INSERT_HOUSEHOLD;
        let h = $h;
        let id: i64 = sqlx::query_scalar(INSERT_HOUSEHOLD)
            .bind(&h.village_code)
            .bind(h.group_no)
            .bind(&h.address)
            .bind(&h.phone)
            .bind(&h.bank_name)
            .bind(&h.bank_account)
            .bind(h.standard.as_str())
            .bind(h.attribute.as_str())
            .bind(h.status.as_str())
            .bind(h.identified_on)
            .bind(h.exited_on)
            .bind(h.relapsed_on)
            .bind(h.has_electricity)
            .bind(h.has_safe_water)
            .bind(h.has_road_access)
            .fetch_one(&mut *$tx)
            .await?;
        $crate::server::repo::household::insert_causes!($tx, id, h.causes);
        // All members in one statement (a bulk import writes ~100,000 of them).
        if !h.members.is_empty() {
            let sql = $crate::server::repo::household::insert_members_sql(h.members.len());
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for m in &h.members {
                let keys = $crate::server::names::keys(&m.name);
                q = $crate::server::repo::household::bind_member!(q.bind(id), m)
                    .bind((!m.active).then_some($today))
                    .bind(keys.pinyin)
                    .bind(keys.initials);
            }
            q.execute(&mut *$tx).await?;
        }
        // A new household has no name index rows to clear first.
        sqlx::query($crate::server::repo::search::INDEX_HOUSEHOLD)
            .bind(id)
            .execute(&mut *$tx)
            .await?;
        if let Some(hs) = &h.housing {
            $crate::server::repo::household::insert_housing!($tx, id, hs);
        }
        id
    }};
}
pub(crate) use insert_new;

/// Rewrites the parts of household `$id` that a saved record replaces — causes, members (edited,
/// added, or marked as left; leavers first, freeing their ID numbers, the householder last, so a
/// change of householder never has two at once), the name index and housing — inside the open
/// transaction `$tx`. Evaluates to `Some(i)` when member `i`'s ID number is held by another
/// active person (the caller refuses and the transaction rolls back), `None` when all is written.
macro_rules! write_record_parts {
    ($tx:expr, $id:expr, $h:expr, $today:expr) => {{
        use $crate::server::repo::household::{
            DELETE_CAUSES, DELETE_HOUSING, INSERT_MEMBER, UPDATE_MEMBER, is_unique_violation,
        };
        let (id, h, today) = ($id, $h, $today);
        let mut taken = None;
        sqlx::query(DELETE_CAUSES)
            .bind(id)
            .execute(&mut *$tx)
            .await?;
        $crate::server::repo::household::insert_causes!($tx, id, h.causes);
        let mut order: Vec<(usize, &$crate::model::registry::Member)> =
            h.members.iter().enumerate().collect();
        order.sort_by_key(|(_, m)| (m.active, m.relation == $crate::model::codes::Relation::Head));
        for (i, m) in order {
            let keys = $crate::server::names::keys(&m.name);
            let written = match m.id {
                Some(member_id) => {
                    $crate::server::repo::household::bind_member!(
                        sqlx::query(UPDATE_MEMBER).bind(member_id).bind(id),
                        m
                    )
                    .bind(today)
                    .bind(keys.pinyin)
                    .bind(keys.initials)
                    .execute(&mut *$tx)
                    .await
                }
                None => {
                    $crate::server::repo::household::bind_member!(
                        sqlx::query(INSERT_MEMBER).bind(id),
                        m
                    )
                    .bind((!m.active).then_some(today))
                    .bind(keys.pinyin)
                    .bind(keys.initials)
                    .execute(&mut *$tx)
                    .await
                }
            };
            match written {
                Ok(_) => {}
                Err(e) if is_unique_violation(&e) => {
                    taken = Some(i);
                    break;
                }
                Err(e) => return Err(e.into()),
            }
        }
        if taken.is_none() {
            $crate::server::repo::search::reindex_household_names!($tx, id);
            sqlx::query(DELETE_HOUSING)
                .bind(id)
                .execute(&mut *$tx)
                .await?;
            if let Some(hs) = &h.housing {
                $crate::server::repo::household::insert_housing!($tx, id, hs);
            }
        }
        taken
    }};
}
pub(crate) use write_record_parts;

/// Stores a new household with its causes, members and housing in one transaction; returns its id.
/// Any rejected part (a bad code, a duplicate active ID, a fourth cause …) leaves nothing behind.
pub async fn create(db: &Db, h: &Household) -> Result<i64, sqlx::Error> {
    create_by(db, h, None).await
}

/// [`create`], with an audit row naming `actor` written in the same transaction.
pub async fn create_by(db: &Db, h: &Household, actor: Option<&str>) -> Result<i64, sqlx::Error> {
    let today = crate::server::clock::today();
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        let id = insert_new!(tx, h, today);
        refresh_village!(tx, &h.village_code, [REFRESH_COUNTS, REFRESH_CAUSES]);
        if let Some(actor) = actor {
            let after = audit_json(h);
            sqlx::query(AUDIT)
                .bind(actor)
                .bind("create")
                .bind("household")
                .bind(id.to_string())
                .bind(None::<String>)
                .bind(after)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    })
}

/// A record as the audit log keeps it (bank details and ID numbers included: the log is the
/// staff's own; the history view masks ID numbers).
fn audit_json(h: &Household) -> String {
    serde_json::to_string(h).unwrap_or_default()
}

/// The fields that differ between two versions of a record, as (before, after) JSON objects;
/// members are matched by id (new ones appear only in `after`).
pub(crate) fn diff(before: &Household, after: &Household) -> (String, String) {
    use serde_json::{Map, Value};
    let (Ok(Value::Object(b)), Ok(Value::Object(a))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return (String::new(), String::new());
    };
    let (mut old, mut new) = (Map::new(), Map::new());
    for (key, value) in &a {
        if key == "members" || key == "version" {
            continue;
        }
        if b.get(key) != Some(value) {
            old.insert(key.clone(), b.get(key).cloned().unwrap_or(Value::Null));
            new.insert(key.clone(), value.clone());
        }
    }
    let (mut old_members, mut new_members) = (Vec::new(), Vec::new());
    for m in &after.members {
        let was =
            m.id.and_then(|id| before.members.iter().find(|o| o.id == Some(id)));
        if was != Some(m) {
            if let Some(o) = was {
                old_members.push(serde_json::to_value(o).unwrap_or(Value::Null));
            }
            new_members.push(serde_json::to_value(m).unwrap_or(Value::Null));
        }
    }
    if !new_members.is_empty() {
        old.insert("members".into(), Value::Array(old_members));
        new.insert("members".into(), Value::Array(new_members));
    }
    new.insert("version".into(), Value::from(after.version));
    (
        Value::Object(old).to_string(),
        Value::Object(new).to_string(),
    )
}

#[derive(sqlx::FromRow)]
pub(crate) struct HouseholdRow {
    pub(crate) id: i64,
    village_code: String,
    group_no: Option<i64>,
    address: String,
    phone: Option<String>,
    bank_name: Option<String>,
    bank_account: Option<String>,
    standard: String,
    attribute: String,
    status: String,
    identified_on: NaiveDate,
    exited_on: Option<NaiveDate>,
    relapsed_on: Option<NaiveDate>,
    has_electricity: bool,
    has_safe_water: bool,
    has_road_access: bool,
    version: i64,
}
pub(crate) const GET_HOUSEHOLD: &str = "\
SELECT id, village_code, group_no, address, phone, bank_name, bank_account, standard, attribute,
    status, identified_on, exited_on, relapsed_on, has_electricity, has_safe_water,
    has_road_access, version
FROM household WHERE id = $1";
pub(crate) const GET_CAUSES: &str =
    "SELECT cause FROM household_cause WHERE household_id = $1 ORDER BY rank";
pub(crate) type MemberRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    NaiveDate,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    bool,
    bool,
    bool,
);
pub(crate) const GET_MEMBERS: &str = "\
SELECT id, name, sex, id_number, disability_cert, birth_date, relation, ethnicity, education,
    student_status, health, labour, migrant_months, medical_insured, pension_insured, active
FROM member WHERE household_id = $1
ORDER BY CASE relation WHEN 'head' THEN 0 ELSE 1 END, id";
pub(crate) type HousingRow = (
    String,
    f64,
    Option<i64>,
    Option<String>,
    Option<NaiveDate>,
    bool,
    Option<NaiveDate>,
);
pub(crate) const GET_HOUSING: &str = "\
SELECT structure, area_m2, built_year, danger_grade, renovated_on, relocated, relocated_on
FROM housing WHERE household_id = $1";

pub(crate) type RecordRows = (
    Option<HouseholdRow>,
    Vec<String>,
    Vec<MemberRow>,
    Option<HousingRow>,
);

/// Reads the four parts of household `$id` inside the open transaction `$tx`.
macro_rules! read_record {
    ($tx:expr, $id:expr) => {{
        use $crate::server::repo::household::{
            GET_CAUSES, GET_HOUSEHOLD, GET_HOUSING, GET_MEMBERS,
        };
        let row = sqlx::query_as(GET_HOUSEHOLD)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        let causes = sqlx::query_scalar(GET_CAUSES)
            .bind($id)
            .fetch_all(&mut *$tx)
            .await?;
        let members = sqlx::query_as(GET_MEMBERS)
            .bind($id)
            .fetch_all(&mut *$tx)
            .await?;
        let housing = sqlx::query_as(GET_HOUSING)
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        let rows: $crate::server::repo::household::RecordRows = (row, causes, members, housing);
        rows
    }};
}
pub(crate) use read_record;

/// The whole record of one household (full details: staff only), or `None`.
pub async fn get(db: &Db, id: i64) -> Result<Option<Household>, sqlx::Error> {
    let rows = with_pool!(db, |p| {
        let mut tx = p.begin().await?; // one snapshot for the four reads
        let rows = read_record!(tx, id);
        tx.commit().await?;
        rows
    });
    assemble(rows)
}

pub(crate) fn assemble(
    (row, causes, members, housing): RecordRows,
) -> Result<Option<Household>, sqlx::Error> {
    let Some(r) = row else { return Ok(None) };
    Ok(Some(Household {
        id: Some(r.id),
        village_code: r.village_code,
        group_no: r.group_no,
        address: r.address,
        phone: r.phone,
        bank_name: r.bank_name,
        bank_account: r.bank_account,
        standard: code(&r.standard, Standard::parse)?,
        attribute: code(&r.attribute, Attribute::parse)?,
        status: code(&r.status, Status::parse)?,
        identified_on: r.identified_on,
        exited_on: r.exited_on,
        relapsed_on: r.relapsed_on,
        has_electricity: r.has_electricity,
        has_safe_water: r.has_safe_water,
        has_road_access: r.has_road_access,
        version: r.version,
        causes: causes
            .iter()
            .map(|c| code(c, PovertyCause::parse))
            .collect::<Result<_, _>>()?,
        members: members
            .into_iter()
            .map(member_from_row)
            .collect::<Result<_, _>>()?,
        housing: housing.map(housing_from_row).transpose()?,
    }))
}

fn member_from_row(m: MemberRow) -> Result<Member, sqlx::Error> {
    Ok(Member {
        id: Some(m.0),
        name: m.1,
        sex: code(&m.2, Sex::parse)?,
        id_number: m.3,
        disability_cert: m.4,
        birth_date: m.5,
        relation: code(&m.6, Relation::parse)?,
        ethnicity: m.7,
        education: code(&m.8, Education::parse)?,
        student_status: code(&m.9, StudentStatus::parse)?,
        health: code(&m.10, Health::parse)?,
        labour: code(&m.11, Labour::parse)?,
        migrant_months: m.12,
        medical_insured: m.13,
        pension_insured: m.14,
        active: m.15,
    })
}

fn housing_from_row(h: HousingRow) -> Result<Housing, sqlx::Error> {
    Ok(Housing {
        structure: code(&h.0, Structure::parse)?,
        area_m2: h.1,
        built_year: h.2,
        danger_grade: h
            .3
            .as_deref()
            .map(|g| code(g, DangerGrade::parse))
            .transpose()?,
        renovated_on: h.4,
        relocated: h.5,
        relocated_on: h.6,
    })
}

pub(crate) const UPDATE_HOUSEHOLD: &str = "\
UPDATE household SET group_no = $3, address = $4, phone = $5, bank_name = $6, bank_account = $7,
    standard = $8, attribute = $9, has_electricity = $10, has_safe_water = $11,
    has_road_access = $12, version = version + 1, updated_at = $13
WHERE id = $1 AND version = $2
RETURNING version";
const CURRENT_VERSION: &str = "SELECT version FROM household WHERE id = $1";
pub(crate) const DELETE_CAUSES: &str = "DELETE FROM household_cause WHERE household_id = $1";
pub(crate) const DELETE_HOUSING: &str = "DELETE FROM housing WHERE household_id = $1";
pub(crate) const UPDATE_MEMBER: &str = "\
UPDATE member SET name = $3, sex = $4, id_number = $5, disability_cert = $6, birth_date = $7,
    relation = $8, ethnicity = $9, education = $10, student_status = $11, health = $12,
    labour = $13, migrant_months = $14, medical_insured = $15, pension_insured = $16,
    active = $17, left_on = CASE WHEN $17 THEN NULL ELSE COALESCE(left_on, $18) END,
    left_reason = CASE WHEN $17 THEN NULL ELSE left_reason END,
    name_pinyin = $19, name_initials = $20
WHERE id = $1 AND household_id = $2";
pub(crate) const AUDIT: &str = "\
INSERT INTO audit_log (actor, action, entity, entity_id, before_json, after_json)
VALUES ($1, $2, $3, $4, $5, $6)";

/// Saves a whole record edited on top of `h.version`: household fields, causes, members (edited,
/// added, or marked as having left — never removed), housing. Status and its dates are not part
/// of the record form (see `records::set_status`). One transaction, one audit row with the
/// changed fields before and after; a stale version or a rule only the database can check
/// writes nothing.
pub async fn update(db: &Db, h: &Household, actor: &str) -> Result<Saved, sqlx::Error> {
    let Some(id) = h.id else {
        return Ok(Saved::Missing);
    };
    let now = chrono::Utc::now();
    let today = now.date_naive();
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        let Some(before) = assemble(read_record!(tx, id))? else {
            return Ok(Saved::Missing);
        };
        if before.version != h.version {
            return Ok(Saved::Stale {
                current_version: before.version,
            });
        }
        // Members are never deleted, and only this household's members can be edited here.
        let kept = |m: &Member| h.members.iter().any(|n| n.id == m.id);
        let known = |n: &Member| n.id.is_none() || before.members.iter().any(|m| m.id == n.id);
        if !before.members.iter().all(kept) || !h.members.iter().all(known) {
            return Ok(Saved::Rejected {
                field: "members".into(),
                code: "member_missing",
            });
        }
        let version: Option<i64> = sqlx::query_scalar(UPDATE_HOUSEHOLD)
            .bind(id)
            .bind(h.version)
            .bind(h.group_no)
            .bind(&h.address)
            .bind(&h.phone)
            .bind(&h.bank_name)
            .bind(&h.bank_account)
            .bind(h.standard.as_str())
            .bind(h.attribute.as_str())
            .bind(h.has_electricity)
            .bind(h.has_safe_water)
            .bind(h.has_road_access)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(version) = version else {
            // Someone saved between the read and the update (PostgreSQL re-checks the WHERE
            // after waiting for their row lock): report the version they left.
            let current_version: i64 = sqlx::query_scalar(CURRENT_VERSION)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            return Ok(Saved::Stale { current_version });
        };
        if let Some(i) = write_record_parts!(tx, id, h, today) {
            return Ok(Saved::Rejected {
                field: format!("members.{i}.id_number"),
                code: "id_taken",
            });
        }
        let saved = Household {
            version,
            status: before.status,
            identified_on: before.identified_on,
            exited_on: before.exited_on,
            relapsed_on: before.relapsed_on,
            village_code: before.village_code.clone(),
            ..h.clone()
        };
        refresh_village!(tx, &before.village_code, [REFRESH_COUNTS, REFRESH_CAUSES]);
        let (old, new) = diff(&before, &saved);
        sqlx::query(AUDIT)
            .bind(actor)
            .bind("update")
            .bind("household")
            .bind(id.to_string())
            .bind(old)
            .bind(new)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Saved::Ok { version })
    })
}

/// Appends one audit row on its own (for reads that must leave a trace, such as revealing an ID).
pub async fn audit(
    db: &Db,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: Option<String>,
) -> Result<(), sqlx::Error> {
    with_pool!(db, |p| sqlx::query(AUDIT)
        .bind(actor)
        .bind(action)
        .bind(entity)
        .bind(entity_id)
        .bind(None::<String>)
        .bind(detail)
        .execute(p)
        .await
        .map(|_| ()))
}

const HISTORY: &str = "\
SELECT CAST(at AS TEXT), actor, action, before_json, after_json FROM audit_log
WHERE entity = 'household' AND entity_id = $1 ORDER BY id DESC LIMIT 200";

/// A household's history from the audit log, newest first.
pub async fn history(
    db: &Db,
    id: i64,
) -> Result<Vec<crate::model::staff::AuditEntry>, sqlx::Error> {
    let rows: Vec<(String, String, String, Option<String>, Option<String>)> =
        with_pool!(db, |p| sqlx::query_as(HISTORY)
            .bind(id.to_string())
            .fetch_all(p)
            .await)?;
    Ok(rows
        .into_iter()
        .map(
            |(at, actor, action, before, after)| crate::model::staff::AuditEntry {
                at: beijing_time(&at),
                actor,
                action,
                before: before.map(|t| mask_ids_in(&t)),
                after: after.map(|t| mask_ids_in(&t)),
            },
        )
        .collect())
}

/// Masks every 18-character ID number (17 digits and a digit or X) inside a text.
pub(crate) fn mask_ids_in(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let candidate = chars.get(i..i + 18).filter(|w| {
            w[..17].iter().all(char::is_ascii_digit)
                && (w[17].is_ascii_digit() || w[17] == 'X' || w[17] == 'x')
                && chars.get(i + 18).is_none_or(|c| !c.is_ascii_alphanumeric())
        });
        match candidate {
            Some(w) if starts => {
                out.push_str(&crate::model::id_number::mask_id(
                    &w.iter().collect::<String>(),
                ));
                i += 18;
            }
            _ => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

const MEMBER_ID_NUMBER: &str =
    "SELECT id_number FROM member WHERE id = $1 AND household_id = $2 AND id_number IS NOT NULL";

/// The full ID number of one member of one household (`None` when there is no such member in
/// that household, or the member has none).
pub async fn member_id_number(
    db: &Db,
    household_id: i64,
    member_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    with_pool!(db, |p| sqlx::query_scalar(MEMBER_ID_NUMBER)
        .bind(member_id)
        .bind(household_id)
        .fetch_optional(p)
        .await)
}

const LAST_CHANGE_RAW: &str = "\
SELECT actor, CAST(at AS TEXT) FROM audit_log
WHERE entity = 'household' AND entity_id = $1 AND action <> 'reveal_id'
ORDER BY id DESC LIMIT 1";
const LAST_CHANGE: &str = "\
SELECT COALESCE(u.display_name, a.actor), CAST(a.at AS TEXT) FROM audit_log a
LEFT JOIN staff_user u ON u.username = a.actor
WHERE a.entity = 'household' AND a.entity_id = $1 AND a.action <> 'reveal_id'
ORDER BY a.id DESC LIMIT 1";

/// Who last changed a household (their login name) and when, as stored (from the audit log).
pub async fn last_change(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    with_pool!(db, |p| sqlx::query_as(LAST_CHANGE_RAW)
        .bind(id.to_string())
        .fetch_optional(p)
        .await)
}

/// The same for the record page: the name staff know them by (the login name for the CLI and
/// removed accounts), and the time in Beijing time.
pub async fn last_change_shown(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    let row: Option<(String, String)> = with_pool!(db, |p| sqlx::query_as(LAST_CHANGE)
        .bind(id.to_string())
        .fetch_optional(p)
        .await)?;
    Ok(row.map(|(by, at)| (by, beijing_time(&at))))
}

/// An audit timestamp as stored (SQLite `2026-12-01T20:35:18.979Z`, PostgreSQL
/// `2026-12-01 20:35:18.979+00`) in China Standard Time to the minute: `2026-12-02 04:35`.
/// Text that is neither is shown as it is.
pub fn beijing_time(at: &str) -> String {
    use chrono::{DateTime, FixedOffset};
    let mut text = at.trim().replacen(' ', "T", 1);
    // PostgreSQL writes a whole-hour offset as `+00`; RFC 3339 wants `+00:00`.
    if let Some(sign) = text.rfind(['+', '-']).filter(|&i| i > 10)
        && text.len() - sign == 3
    {
        text.push_str(":00");
    }
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}

const COUNT_BY_STATUS: &str =
    "SELECT status, COUNT(*) FROM household GROUP BY status ORDER BY status";

/// Number of households per status.
pub async fn count_by_status(db: &Db) -> Result<Vec<(Status, i64)>, sqlx::Error> {
    let rows: Vec<(String, i64)> =
        with_pool!(db, |p| sqlx::query_as(COUNT_BY_STATUS).fetch_all(p).await)?;
    rows.into_iter()
        .map(|(s, n)| Ok((code(&s, Status::parse)?, n)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::mask_ids_in;

    #[test]
    fn id_numbers_inside_text_are_masked_and_nothing_else() {
        let text =
            r#"{"id_number":"43058119700506123X","phone":"13812345678","n":1234567890123456789}"#;
        assert_eq!(
            mask_ids_in(text),
            r#"{"id_number":"430581********123X","phone":"13812345678","n":1234567890123456789}"#
        );
        assert_eq!(mask_ids_in("430581197005061234"), "430581********1234");
        assert_eq!(mask_ids_in("x430581197005061234"), "x430581197005061234");
        assert_eq!(mask_ids_in("无"), "无");
    }

    #[test]
    fn audit_times_read_in_beijing_time_from_either_backend() {
        use super::beijing_time;
        assert_eq!(beijing_time("2026-12-01T20:35:18.979Z"), "2026-12-02 04:35");
        assert_eq!(
            beijing_time("2026-12-01 20:35:18.979+00"),
            "2026-12-02 04:35"
        );
        assert_eq!(beijing_time("2026-12-01 21:35:18+01"), "2026-12-02 04:35");
        assert_eq!(
            beijing_time("2026-12-02 04:35:00+08:00"),
            "2026-12-02 04:35"
        );
        assert_eq!(beijing_time("昨天"), "昨天");
    }
}
