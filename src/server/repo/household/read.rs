//! Reading a household record: its row, causes, members and housing, decoded into the model.
use crate::{
    model::{codes::*, registry::*},
    server::db::{Conn, Db, Tx, sql},
};
use chrono::NaiveDate;

#[derive(sqlx::FromRow)]
pub(crate) struct HouseholdRow {
    pub(crate) id: i64,
    village_code: String,
    group_no: Option<i64>,
    address: String,
    phone: Option<String>,
    bank_name: Option<String>,
    bank_account: Option<String>,
    standard: Standard,
    attribute: Attribute,
    status: Status,
    identified_on: NaiveDate,
    exited_on: Option<NaiveDate>,
    relapsed_on: Option<NaiveDate>,
    has_electricity: bool,
    has_safe_water: bool,
    has_road_access: bool,
    version: i64,
}

/// The household columns of [`HouseholdRow`], for `SELECT {HOUSEHOLD_COLUMNS} FROM household h`.
pub(crate) const HOUSEHOLD_COLUMNS: &str = "h.id, h.village_code, h.group_no, h.address, h.phone, \
     h.bank_name, h.bank_account, h.standard, h.attribute, h.status, h.identified_on, h.exited_on, \
     h.relapsed_on, h.has_electricity, h.has_safe_water, h.has_road_access, h.version";

#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    pub(crate) id: i64,
    pub(crate) household_id: i64,
    name: String,
    sex: Sex,
    id_number: Option<String>,
    disability_cert: Option<String>,
    birth_date: NaiveDate,
    relation: Relation,
    ethnicity: String,
    education: Education,
    student_status: StudentStatus,
    health: Health,
    labour: Labour,
    migrant_months: i64,
    medical_insured: bool,
    pension_insured: bool,
    active: bool,
}

/// The member columns of [`MemberRow`], for `SELECT {MEMBER_COLUMNS} FROM member m`.
pub(crate) const MEMBER_COLUMNS: &str = "m.id, m.household_id, m.name, m.sex, m.id_number, \
     m.disability_cert, m.birth_date, m.relation, m.ethnicity, m.education, m.student_status, \
     m.health, m.labour, m.migrant_months, m.medical_insured, m.pension_insured, m.active";

#[derive(sqlx::FromRow)]
pub(crate) struct HousingRow {
    pub(crate) household_id: i64,
    structure: Structure,
    area_m2: f64,
    built_year: Option<i64>,
    danger_grade: Option<DangerGrade>,
    renovated_on: Option<NaiveDate>,
    relocated: bool,
    relocated_on: Option<NaiveDate>,
}

/// The housing columns of [`HousingRow`], for `SELECT {HOUSING_COLUMNS} FROM housing s`.
pub(crate) const HOUSING_COLUMNS: &str = "s.household_id, s.structure, s.area_m2, s.built_year, \
     s.danger_grade, s.renovated_on, s.relocated, s.relocated_on";

#[derive(sqlx::FromRow)]
pub(crate) struct CauseRow {
    pub(crate) household_id: i64,
    cause: PovertyCause,
}

const GET_HOUSEHOLD: &str = "\
SELECT h.id, h.village_code, h.group_no, h.address, h.phone, h.bank_name, h.bank_account,
    h.standard, h.attribute, h.status, h.identified_on, h.exited_on, h.relapsed_on,
    h.has_electricity, h.has_safe_water, h.has_road_access, h.version
FROM household h WHERE h.id = $1";
const GET_CAUSES: &str =
    "SELECT household_id, cause FROM household_cause WHERE household_id = $1 ORDER BY rank";
const GET_MEMBERS: &str = "\
SELECT m.id, m.household_id, m.name, m.sex, m.id_number, m.disability_cert, m.birth_date,
    m.relation, m.ethnicity, m.education, m.student_status, m.health, m.labour, m.migrant_months,
    m.medical_insured, m.pension_insured, m.active
FROM member m WHERE m.household_id = $1
ORDER BY CASE m.relation WHEN 'head' THEN 0 ELSE 1 END, m.id";
const GET_HOUSING: &str = "\
SELECT s.household_id, s.structure, s.area_m2, s.built_year, s.danger_grade, s.renovated_on,
    s.relocated, s.relocated_on
FROM housing s WHERE s.household_id = $1";

/// The four parts of one household as stored.
pub(crate) struct Parts {
    pub(crate) row: HouseholdRow,
    pub(crate) causes: Vec<CauseRow>,
    pub(crate) members: Vec<MemberRow>,
    pub(crate) housing: Option<HousingRow>,
}

impl Parts {
    /// The record the parts make up.
    pub(crate) fn into_household(self) -> Household {
        let r = self.row;
        Household {
            id: Some(r.id),
            village_code: r.village_code,
            group_no: r.group_no,
            address: r.address,
            phone: r.phone,
            bank_name: r.bank_name,
            bank_account: r.bank_account,
            standard: r.standard,
            attribute: r.attribute,
            status: r.status,
            identified_on: r.identified_on,
            exited_on: r.exited_on,
            relapsed_on: r.relapsed_on,
            has_electricity: r.has_electricity,
            has_safe_water: r.has_safe_water,
            has_road_access: r.has_road_access,
            version: r.version,
            causes: self.causes.into_iter().map(|c| c.cause).collect(),
            members: self
                .members
                .into_iter()
                .map(MemberRow::into_member)
                .collect(),
            housing: self.housing.map(HousingRow::into_housing),
        }
    }
}

impl MemberRow {
    fn into_member(self) -> Member {
        Member {
            id: Some(self.id),
            name: self.name,
            sex: self.sex,
            id_number: self.id_number,
            disability_cert: self.disability_cert,
            birth_date: self.birth_date,
            relation: self.relation,
            ethnicity: self.ethnicity,
            education: self.education,
            student_status: self.student_status,
            health: self.health,
            labour: self.labour,
            migrant_months: self.migrant_months,
            medical_insured: self.medical_insured,
            pension_insured: self.pension_insured,
            active: self.active,
        }
    }
}

impl HousingRow {
    fn into_housing(self) -> Housing {
        Housing {
            structure: self.structure,
            area_m2: self.area_m2,
            built_year: self.built_year,
            danger_grade: self.danger_grade,
            renovated_on: self.renovated_on,
            relocated: self.relocated,
            relocated_on: self.relocated_on,
        }
    }
}

/// Household `id` read inside the open transaction `tx` (one snapshot for its four parts).
pub(crate) async fn read(tx: &mut Tx, id: i64) -> Result<Option<Household>, sqlx::Error> {
    let Some(row) = sql(GET_HOUSEHOLD).bind(id).fetch_optional(&mut *tx).await? else {
        return Ok(None);
    };
    let causes = sql(GET_CAUSES).bind(id).fetch_all(&mut *tx).await?;
    let members = sql(GET_MEMBERS).bind(id).fetch_all(&mut *tx).await?;
    let housing = sql(GET_HOUSING).bind(id).fetch_optional(&mut *tx).await?;
    Ok(Some(
        Parts {
            row,
            causes,
            members,
            housing,
        }
        .into_household(),
    ))
}

/// The whole record of one household (full details: staff only), or `None`.
pub async fn get(db: &Db, id: i64) -> Result<Option<Household>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let household = read(&mut tx, id).await?;
    tx.commit().await?;
    Ok(household)
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
    sql(MEMBER_ID_NUMBER)
        .bind(member_id)
        .bind(household_id)
        .scalar_optional(db)
        .await
}

const VERSION: &str = "SELECT version FROM household WHERE id = $1";

/// The household's current version (`None`: no such household).
pub(crate) async fn version<'c>(
    on: impl Into<Conn<'c>>,
    id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sql(VERSION).bind(id).scalar_optional(on).await
}

const COUNT_BY_STATUS: &str =
    "SELECT status, COUNT(*) FROM household GROUP BY status ORDER BY status";

/// Number of households per status.
pub async fn count_by_status(db: &Db) -> Result<Vec<(Status, i64)>, sqlx::Error> {
    sql(COUNT_BY_STATUS).fetch_all(db).await
}
