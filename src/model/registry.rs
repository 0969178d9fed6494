//! The household record (建档立卡) as the application handles it, shared with the WASM client.
use super::codes::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A household member as entered or stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// `None` until stored.
    pub id: Option<i64>,
    pub name: String,
    pub sex: Sex,
    pub id_number: Option<String>,
    pub disability_cert: Option<String>,
    pub birth_date: NaiveDate,
    pub relation: Relation,
    pub ethnicity: String,
    pub education: Education,
    pub student_status: StudentStatus,
    pub health: Health,
    pub labour: Labour,
    pub migrant_months: i64,
    pub medical_insured: bool,
    pub pension_insured: bool,
    /// `false` once the person has left the household (death, marriage, moving away).
    pub active: bool,
}

/// 住房 of a household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Housing {
    pub structure: Structure,
    pub area_m2: f64,
    pub built_year: Option<i64>,
    pub danger_grade: Option<DangerGrade>,
    pub renovated_on: Option<NaiveDate>,
    pub relocated: bool,
    pub relocated_on: Option<NaiveDate>,
}

/// One year of income; net and per-capita figures are computed by the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Income {
    pub year: i64,
    pub persons: i64,
    pub wages: i64,
    pub business: i64,
    pub transfer: i64,
    pub property: i64,
    pub costs: i64,
    /// 合规自付支出: compliant out-of-pocket medical and education spending of the year (it
    /// lowers the income monitoring counts, not the net income).
    #[serde(default)]
    pub spending: i64,
    /// Filled in when read back.
    pub net_income: Option<i64>,
    pub per_capita: Option<i64>,
}

/// A whole household record: what staff create and edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    /// `None` until stored.
    pub id: Option<i64>,
    pub village_code: String,
    pub group_no: Option<i64>,
    pub address: String,
    pub phone: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
    pub standard: Standard,
    pub attribute: Attribute,
    pub status: Status,
    pub identified_on: NaiveDate,
    pub exited_on: Option<NaiveDate>,
    pub relapsed_on: Option<NaiveDate>,
    /// Main cause first, then at most two others.
    pub causes: Vec<PovertyCause>,
    pub has_electricity: bool,
    pub has_safe_water: bool,
    pub has_road_access: bool,
    pub members: Vec<Member>,
    pub housing: Option<Housing>,
    /// Optimistic-concurrency counter: a save names the version it was based on.
    pub version: i64,
}

impl Member {
    /// A member to fill in: no name or ID number yet, born `birth_date`, Han, junior school,
    /// healthy, an ordinary worker at home, with medical insurance.
    pub fn blank(relation: Relation, birth_date: NaiveDate) -> Member {
        Member {
            id: None,
            name: String::new(),
            sex: Sex::Male,
            id_number: None,
            disability_cert: None,
            birth_date,
            relation,
            ethnicity: "汉族".into(),
            education: Education::Junior,
            student_status: StudentStatus::None,
            health: Health::Healthy,
            labour: Labour::Ordinary,
            migrant_months: 0,
            medical_insured: true,
            pension_insured: false,
            active: true,
        }
    }
}

impl Income {
    /// A year to fill in for `persons` people, with no income entered yet.
    pub fn blank(year: i64, persons: i64) -> Income {
        Income {
            year,
            persons,
            wages: 0,
            business: 0,
            transfer: 0,
            property: 0,
            costs: 0,
            spending: 0,
            net_income: None,
            per_capita: None,
        }
    }
}

impl Household {
    /// A poor household of `village_code` identified on `identified_on` (national line,
    /// general), with electricity, safe water and a road, and nothing else filled in yet.
    pub fn blank(village_code: String, identified_on: NaiveDate) -> Household {
        Household {
            id: None,
            village_code,
            group_no: None,
            address: String::new(),
            phone: None,
            bank_name: None,
            bank_account: None,
            standard: Standard::National,
            attribute: Attribute::General,
            status: Status::Poor,
            identified_on,
            exited_on: None,
            relapsed_on: None,
            causes: Vec::new(),
            has_electricity: true,
            has_safe_water: true,
            has_road_access: true,
            members: Vec::new(),
            housing: None,
            version: 1,
        }
    }

    /// The active member recorded as householder, if any.
    pub fn head(&self) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.active && m.relation == Relation::Head)
    }
}
