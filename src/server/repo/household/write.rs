//! Writing a household record: a new household, or a saved edit of one, each in one transaction
//! with its audit row and the village's summaries.
use super::{Saved, is_unique_violation, read};
use crate::{
    model::{codes::*, registry::*},
    server::{
        db::{Backend, Db, Tx, Val, sql, sql_built},
        repo::{
            audit::{Audit, json},
            search::{INDEX_HOUSEHOLD, reindex_household_names},
            stats::{REFRESH_CAUSES, REFRESH_COUNTS, REFRESH_POOR_LIST, refresh_village},
        },
    },
};
use chrono::{DateTime, NaiveDate, Utc};

const INSERT_HOUSEHOLD: &str = "\
INSERT INTO household (group_no, address, phone, bank_name, bank_account, standard, attribute,
    has_electricity, has_safe_water, has_road_access, village_code, status, identified_on,
    exited_on, relapsed_on)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
RETURNING id";
const INSERT_CAUSE: &str =
    "INSERT INTO household_cause (household_id, rank, cause) VALUES ($1, $2, $3)";
const DELETE_CAUSES: &str = "DELETE FROM household_cause WHERE household_id = $1";
const INSERT_MEMBER: &str = "\
INSERT INTO member (household_id, name, sex, id_number, disability_cert, birth_date, relation,
    ethnicity, education, student_status, health, labour, migrant_months, medical_insured,
    pension_insured, active, left_on, name_pinyin, name_initials)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
const UPDATE_MEMBER: &str = "\
UPDATE member SET name = $3, sex = $4, id_number = $5, disability_cert = $6, birth_date = $7,
    relation = $8, ethnicity = $9, education = $10, student_status = $11, health = $12,
    labour = $13, migrant_months = $14, medical_insured = $15, pension_insured = $16,
    active = $17, left_on = CASE WHEN $17 THEN NULL ELSE COALESCE(left_on, $18) END,
    left_reason = CASE WHEN $17 THEN NULL ELSE left_reason END,
    name_pinyin = $19, name_initials = $20
WHERE id = $1 AND household_id = $2";
const INSERT_HOUSING: &str = "\
INSERT INTO housing (household_id, structure, area_m2, built_year, danger_grade, renovated_on,
    relocated, relocated_on)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const DELETE_HOUSING: &str = "DELETE FROM housing WHERE household_id = $1";
/// An ordinary household's members stay out of the public search (and its name index).
const UNLIST_ORDINARY: &str = "UPDATE member SET listed = FALSE WHERE household_id = $1 AND listed \
     AND (SELECT status FROM household WHERE id = $1) = 'ordinary'";
const UPDATE_HOUSEHOLD: &str = "\
UPDATE household SET group_no = $1, address = $2, phone = $3, bank_name = $4, bank_account = $5,
    standard = $6, attribute = $7, has_electricity = $8, has_safe_water = $9,
    has_road_access = $10, version = version + 1, updated_at = $11
WHERE id = $12 AND version = $13
RETURNING version";

/// The household's fields a record edit may change, in the order INSERT_HOUSEHOLD and
/// UPDATE_HOUSEHOLD list them first.
fn editable_values(h: &Household) -> [Val; 10] {
    [
        h.group_no.into(),
        (&h.address).into(),
        (&h.phone).into(),
        (&h.bank_name).into(),
        (&h.bank_account).into(),
        h.standard.into(),
        h.attribute.into(),
        h.has_electricity.into(),
        h.has_safe_water.into(),
        h.has_road_access.into(),
    ]
}

/// A member's fields in the order INSERT_MEMBER and UPDATE_MEMBER list them.
fn member_values(m: &Member) -> [Val; 15] {
    [
        Val::from(&m.name),
        m.sex.into(),
        Val::from(&m.id_number),
        Val::from(&m.disability_cert),
        m.birth_date.into(),
        m.relation.into(),
        Val::from(&m.ethnicity),
        m.education.into(),
        m.student_status.into(),
        m.health.into(),
        m.labour.into(),
        m.migrant_months.into(),
        m.medical_insured.into(),
        m.pension_insured.into(),
        m.active.into(),
    ]
}

/// Writes a household's causes, main cause first.
async fn insert_causes(tx: &mut Tx, id: i64, causes: &[PovertyCause]) -> Result<(), sqlx::Error> {
    for (rank, cause) in causes.iter().enumerate() {
        sql(INSERT_CAUSE)
            .bind(id)
            .bind(rank as i64 + 1)
            .bind(*cause)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

async fn insert_housing(tx: &mut Tx, id: i64, hs: &Housing) -> Result<(), sqlx::Error> {
    sql(INSERT_HOUSING)
        .bind(id)
        .bind(hs.structure)
        .bind(hs.area_m2)
        .bind(hs.built_year)
        .bind(hs.danger_grade)
        .bind(hs.renovated_on)
        .bind(hs.relocated)
        .bind(hs.relocated_on)
        .execute(tx)
        .await
        .map(|_| ())
}

/// INSERT_MEMBER for `n` members at once (the same 19 columns, `n` rows of placeholders).
fn insert_members_sql(backend: Backend, n: usize) -> String {
    let head = &INSERT_MEMBER[..INSERT_MEMBER.find("VALUES").unwrap_or(0)];
    let rows: Vec<String> = (0..n)
        .map(|r| format!("({})", backend.marks(r * 19 + 1, 19)))
        .collect();
    format!("{head}VALUES {}", rows.join(", "))
}

/// Inserts a whole new household (row, causes, members with their name keys and name index,
/// housing) inside `tx`; returns its id. `today` dates the leaving of members entered as gone.
pub(crate) async fn insert_new(
    tx: &mut Tx,
    h: &Household,
    today: NaiveDate,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sql(INSERT_HOUSEHOLD)
        .bind_all(editable_values(h))
        .bind(&h.village_code)
        .bind(h.status)
        .bind(h.identified_on)
        .bind(h.exited_on)
        .bind(h.relapsed_on)
        .scalar(&mut *tx)
        .await?;
    insert_causes(tx, id, &h.causes).await?;
    // All members in one statement (a bulk import writes ~100,000 of them).
    if !h.members.is_empty() {
        let mut q = sql_built(insert_members_sql(tx.backend(), h.members.len()));
        for m in &h.members {
            let keys = crate::server::names::keys(&m.name);
            q = q
                .bind(id)
                .bind_all(member_values(m))
                .bind((!m.active).then_some(today))
                .bind(keys.pinyin)
                .bind(keys.initials);
        }
        q.execute(&mut *tx).await?;
    }
    sql(UNLIST_ORDINARY).bind(id).execute(&mut *tx).await?;
    // A new household has no name index rows to clear first.
    sql(INDEX_HOUSEHOLD).bind(id).execute(&mut *tx).await?;
    if let Some(hs) = &h.housing {
        insert_housing(tx, id, hs).await?;
    }
    Ok(id)
}

/// Takes household `id` from `version` to the next with the edited fields of `h`; `None` when
/// the household is no longer at `version` (PostgreSQL re-checks the WHERE after waiting for
/// another writer's row lock).
pub(crate) async fn update_row(
    tx: &mut Tx,
    id: i64,
    version: i64,
    h: &Household,
    now: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    sql(UPDATE_HOUSEHOLD)
        .bind_all(editable_values(h))
        .bind(now)
        .bind(id)
        .bind(version)
        .scalar_optional(tx)
        .await
}

/// Rewrites the parts of household `id` that a saved record replaces — causes, members (edited,
/// added, or marked as left; leavers first, freeing their ID numbers, the householder last, so a
/// change of householder never has two at once), the name index and housing — inside `tx`.
/// Returns `Some(i)` when member `i`'s ID number is held by another active person (the caller
/// refuses and drops the transaction), `None` when all is written.
pub(crate) async fn write_parts(
    tx: &mut Tx,
    id: i64,
    h: &Household,
    today: NaiveDate,
) -> Result<Option<usize>, sqlx::Error> {
    sql(DELETE_CAUSES).bind(id).execute(&mut *tx).await?;
    insert_causes(tx, id, &h.causes).await?;
    let mut order: Vec<(usize, &Member)> = h.members.iter().enumerate().collect();
    order.sort_by_key(|(_, m)| (m.active, m.relation == Relation::Head));
    for (i, m) in order {
        let keys = crate::server::names::keys(&m.name);
        let statement = match m.id {
            Some(member_id) => sql(UPDATE_MEMBER)
                .bind(member_id)
                .bind(id)
                .bind_all(member_values(m))
                .bind(today),
            None => sql(INSERT_MEMBER)
                .bind(id)
                .bind_all(member_values(m))
                .bind((!m.active).then_some(today)),
        };
        match statement
            .bind(keys.pinyin)
            .bind(keys.initials)
            .execute(&mut *tx)
            .await
        {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Ok(Some(i)),
            Err(e) => return Err(e),
        }
    }
    sql(UNLIST_ORDINARY).bind(id).execute(&mut *tx).await?;
    reindex_household_names(tx, id).await?;
    sql(DELETE_HOUSING).bind(id).execute(&mut *tx).await?;
    if let Some(hs) = &h.housing {
        insert_housing(tx, id, hs).await?;
    }
    Ok(None)
}

/// Stores a new household with its causes, members and housing in one transaction; returns its id.
/// Any rejected part (a bad code, a duplicate active ID, a fourth cause …) leaves nothing behind.
pub async fn create(db: &Db, h: &Household) -> Result<i64, sqlx::Error> {
    create_by(db, h, None).await
}

/// [`create`], with an audit row naming `actor` written in the same transaction.
pub async fn create_by(db: &Db, h: &Household, actor: Option<&str>) -> Result<i64, sqlx::Error> {
    let today = crate::server::clock::today();
    let mut tx = db.begin_write().await?;
    let id = insert_new(&mut tx, h, today).await?;
    refresh_village(
        &mut tx,
        &h.village_code,
        &[REFRESH_COUNTS, REFRESH_CAUSES, REFRESH_POOR_LIST],
    )
    .await?;
    if let Some(actor) = actor {
        Audit::household(actor, "create", id)
            .after(json(h))
            .write(&mut tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Saves a whole record edited on top of `h.version`: household fields, causes, members (edited,
/// added, or marked as having left — never removed), housing. Status and its dates are not part
/// of the record form (see `records::set_status`). One transaction, one audit row with the
/// changed fields before and after; a stale version or a rule only the database can check
/// writes nothing.
pub async fn update(db: &Db, h: &Household, actor: &str) -> Result<Saved, sqlx::Error> {
    let Some(id) = h.id else {
        return Ok(Saved::Missing);
    };
    let now = Utc::now();
    let today = crate::server::clock::today();
    let mut tx = db.begin_write().await?;
    let Some(before) = read(&mut tx, id).await? else {
        return Ok(Saved::Missing);
    };
    if before.version != h.version {
        return super::stale(&mut tx, id, before.version).await;
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
    let Some(version) = update_row(&mut tx, id, h.version, h, now).await? else {
        // Someone saved between the read and the update: report the version they left.
        let current_version = super::version(&mut tx, id).await?.unwrap_or_default();
        return super::stale(&mut tx, id, current_version).await;
    };
    if let Some(i) = write_parts(&mut tx, id, h, today).await? {
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
    refresh_village(
        &mut tx,
        &before.village_code,
        &[REFRESH_COUNTS, REFRESH_CAUSES, REFRESH_POOR_LIST],
    )
    .await?;
    let (old, new) = diff(&before, &saved);
    Audit::household(actor, "update", id)
        .before(old)
        .after(new)
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok { id, version })
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
