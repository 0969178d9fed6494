//! Households with their causes, members and housing: created, read and updated as one record.
use crate::{
    model::{codes::*, registry::*},
    server::{
        db::{BeginWrite, Db},
        names,
        repo::search::reindex_household_names,
    },
    with_pool,
};
use chrono::NaiveDate;

/// Turns a stored code back into its enum, or reports a decode error (a CHECK should prevent it).
pub(crate) fn code<T>(value: &str, parse: fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    parse(value).ok_or_else(|| sqlx::Error::Decode(format!("unknown code {value:?}").into()))
}

/// Result of a save that names the version it was based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Stored; the record now has this version.
    Ok { version: i64 },
    /// Someone saved first: nothing was written.
    Stale { current_version: i64 },
    /// No such household.
    Missing,
}

const INSERT_HOUSEHOLD: &str = "\
INSERT INTO household (village_code, group_no, address, phone, bank_name, bank_account, standard,
    attribute, status, identified_on, exited_on, relapsed_on, has_electricity, has_safe_water,
    has_road_access)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
RETURNING id";
const INSERT_CAUSE: &str =
    "INSERT INTO household_cause (household_id, rank, cause) VALUES ($1, $2, $3)";
const INSERT_MEMBER: &str = "\
INSERT INTO member (household_id, name, sex, id_number, disability_cert, birth_date, relation,
    ethnicity, education, student_status, health, labour, migrant_months, medical_insured,
    pension_insured, active, left_on, name_pinyin, name_initials)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
const INSERT_HOUSING: &str = "\
INSERT INTO housing (household_id, structure, area_m2, built_year, danger_grade, renovated_on,
    relocated, relocated_on)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Stores a new household with its causes, members and housing in one transaction; returns its id.
/// Any rejected part (a bad code, a duplicate active ID, a fourth cause …) leaves nothing behind.
pub async fn create(db: &Db, h: &Household) -> Result<i64, sqlx::Error> {
    let today = chrono::Utc::now().date_naive();
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
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
            .fetch_one(&mut *tx)
            .await?;
        for (rank, cause) in h.causes.iter().enumerate() {
            sqlx::query(INSERT_CAUSE)
                .bind(id)
                .bind(rank as i64 + 1)
                .bind(cause.as_str())
                .execute(&mut *tx)
                .await?;
        }
        for m in &h.members {
            let keys = names::keys(&m.name);
            sqlx::query(INSERT_MEMBER)
                .bind(id)
                .bind(&m.name)
                .bind(m.sex.as_str())
                .bind(&m.id_number)
                .bind(&m.disability_cert)
                .bind(m.birth_date)
                .bind(m.relation.as_str())
                .bind(&m.ethnicity)
                .bind(m.education.as_str())
                .bind(m.student_status.as_str())
                .bind(m.health.as_str())
                .bind(m.labour.as_str())
                .bind(m.migrant_months)
                .bind(m.medical_insured)
                .bind(m.pension_insured)
                .bind(m.active)
                .bind((!m.active).then_some(today))
                .bind(keys.pinyin)
                .bind(keys.initials)
                .execute(&mut *tx)
                .await?;
        }
        reindex_household_names!(tx, id);
        if let Some(hs) = &h.housing {
            sqlx::query(INSERT_HOUSING)
                .bind(id)
                .bind(hs.structure.as_str())
                .bind(hs.area_m2)
                .bind(hs.built_year)
                .bind(hs.danger_grade.map(DangerGrade::as_str))
                .bind(hs.renovated_on)
                .bind(hs.relocated)
                .bind(hs.relocated_on)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    })
}

#[derive(sqlx::FromRow)]
struct HouseholdRow {
    id: i64,
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
const GET_HOUSEHOLD: &str = "\
SELECT id, village_code, group_no, address, phone, bank_name, bank_account, standard, attribute,
    status, identified_on, exited_on, relapsed_on, has_electricity, has_safe_water,
    has_road_access, version
FROM household WHERE id = $1";
const GET_CAUSES: &str = "SELECT cause FROM household_cause WHERE household_id = $1 ORDER BY rank";
type MemberRow = (
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
const GET_MEMBERS: &str = "\
SELECT id, name, sex, id_number, disability_cert, birth_date, relation, ethnicity, education,
    student_status, health, labour, migrant_months, medical_insured, pension_insured, active
FROM member WHERE household_id = $1
ORDER BY CASE relation WHEN 'head' THEN 0 ELSE 1 END, id";
type HousingRow = (
    String,
    f64,
    Option<i64>,
    Option<String>,
    Option<NaiveDate>,
    bool,
    Option<NaiveDate>,
);
const GET_HOUSING: &str = "\
SELECT structure, area_m2, built_year, danger_grade, renovated_on, relocated, relocated_on
FROM housing WHERE household_id = $1";

/// The whole record of one household (full details: staff only), or `None`.
pub async fn get(db: &Db, id: i64) -> Result<Option<Household>, sqlx::Error> {
    let (row, causes, members, housing): (
        Option<HouseholdRow>,
        Vec<String>,
        Vec<MemberRow>,
        Option<HousingRow>,
    ) = with_pool!(db, |p| {
        let mut tx = p.begin().await?; // one snapshot for the four reads
        let row = sqlx::query_as(GET_HOUSEHOLD)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let causes = sqlx::query_scalar(GET_CAUSES)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let members = sqlx::query_as(GET_MEMBERS)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let housing = sqlx::query_as(GET_HOUSING)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        tx.commit().await?;
        (row, causes, members, housing)
    });
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

const UPDATE_CONTACT: &str = "\
UPDATE household SET address = $3, phone = $4, version = version + 1, updated_at = $5
WHERE id = $1 AND version = $2
RETURNING version";
const CURRENT_VERSION: &str = "SELECT version FROM household WHERE id = $1";

const CONTACT: &str = "SELECT address, phone FROM household WHERE id = $1";
const AUDIT: &str = "\
INSERT INTO audit_log (actor, action, entity, entity_id, before_json, after_json)
VALUES ($1, $2, $3, $4, $5, $6)";

/// Changes address and phone if the record is still at `expected_version` (no lost updates),
/// and records who changed what (before and after) in the audit log, in the same transaction.
pub async fn update_contact(
    db: &Db,
    id: i64,
    expected_version: i64,
    address: &str,
    phone: Option<&str>,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let now = chrono::Utc::now();
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        let before: Option<(String, Option<String>)> = sqlx::query_as(CONTACT)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let saved: Option<i64> = sqlx::query_scalar(UPDATE_CONTACT)
            .bind(id)
            .bind(expected_version)
            .bind(address)
            .bind(phone)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
        let outcome = match (saved, before) {
            (Some(version), Some((old_address, old_phone))) => {
                let before = serde_json::json!({ "address": old_address, "phone": old_phone });
                let after =
                    serde_json::json!({ "address": address, "phone": phone, "version": version });
                sqlx::query(AUDIT)
                    .bind(actor)
                    .bind("update_contact")
                    .bind("household")
                    .bind(id.to_string())
                    .bind(before.to_string())
                    .bind(after.to_string())
                    .execute(&mut *tx)
                    .await?;
                Saved::Ok { version }
            }
            _ => match sqlx::query_scalar(CURRENT_VERSION)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
            {
                Some(current_version) => Saved::Stale { current_version },
                None => Saved::Missing,
            },
        };
        tx.commit().await?;
        Ok(outcome)
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
                at,
                actor,
                action,
                before,
                after,
            },
        )
        .collect())
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

const LAST_CHANGE: &str = "\
SELECT actor, CAST(at AS TEXT) FROM audit_log
WHERE entity = 'household' AND entity_id = $1 AND action <> 'reveal_id'
ORDER BY id DESC LIMIT 1";

/// Who last changed a household, and when (from the audit log).
pub async fn last_change(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    with_pool!(db, |p| sqlx::query_as(LAST_CHANGE)
        .bind(id.to_string())
        .fetch_optional(p)
        .await)
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
