//! What the public portal shows of households, villages and policies. These types are the
//! privacy boundary: they have no field for a full ID number, a phone, health, a bank account or
//! an income, so no page built from them can show one.
use super::codes::*;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A household member as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicMember {
    pub name: String,
    pub relation: Relation,
    pub sex: Sex,
    pub age: i32,
    /// First 6 and last 4 digits (`430581********123X`), when the person has an ID number.
    pub id_masked: Option<String>,
}

/// A measure received: category, name, year and amount (yuan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicMeasure {
    pub category: MeasureCategory,
    pub name: String,
    pub year: i32,
    pub amount: i64,
    pub policy_id: Option<i64>,
}

/// A helper's pairing with a household, current when `end_on` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelperSpan {
    pub name: String,
    pub unit: String,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
}

/// The public household page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicHousehold {
    pub id: i64,
    pub head_name: String,
    /// The householder's name in pinyin (`zhangwei`), for readers without Chinese input.
    pub head_pinyin: String,
    /// Its initials (`zw`).
    pub head_initials: String,
    pub village_code: String,
    pub village_name: String,
    pub township_name: String,
    pub group_no: Option<i64>,
    pub standard: Standard,
    pub attribute: Attribute,
    /// Main cause first.
    pub causes: Vec<PovertyCause>,
    pub status: Status,
    pub identified_on: NaiveDate,
    pub exited_on: Option<NaiveDate>,
    pub relapsed_on: Option<NaiveDate>,
    pub members: Vec<PublicMember>,
    pub measures: Vec<PublicMeasure>,
    /// Newest first.
    pub helpers: Vec<HelperSpan>,
    /// Social assistance running today, by kind, with the start of its earliest running
    /// enrolment (amounts stay on staff pages).
    pub assistance: Vec<AssistanceSince>,
}

/// A kind of social assistance a household receives, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AssistanceSince {
    pub kind: AssistanceKind,
    pub since: NaiveDate,
}

/// A village work team (驻村工作队).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkTeamBrief {
    pub unit: String,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    /// 第一书记.
    pub leader: Option<String>,
    pub members: Vec<String>,
}

/// Count and amount of measures in one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CategoryTotal {
    pub category: MeasureCategory,
    pub count: i64,
    pub amount: i64,
}

/// A household in a list (village page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdBrief {
    pub id: i64,
    pub head_name: String,
    pub group_no: Option<i64>,
    pub attribute: Attribute,
    pub main_cause: Option<PovertyCause>,
    pub status: Status,
    pub persons: i64,
}

/// The public village page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicVillage {
    pub code: String,
    pub name: String,
    pub township_name: String,
    pub rural_population: Option<i64>,
    /// Registered (建档立卡) households and persons, whatever their status.
    pub households: i64,
    pub persons: i64,
    /// Still in poverty (not exited, or relapsed).
    pub poor_households: i64,
    pub poor_persons: i64,
    /// Poor persons per 10,000 rural residents (贫困发生率 × 10,000), when the population is known.
    pub incidence_bp: Option<i64>,
    pub work_teams: Vec<WorkTeamBrief>,
    pub measures: Vec<CategoryTotal>,
    /// Households still in poverty, by group and id.
    pub still_poor: Vec<HouseholdBrief>,
}

/// A policy in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyBrief {
    pub id: i64,
    pub title: String,
    pub category: MeasureCategory,
    pub issuer: String,
    pub doc_number: String,
    pub issued_on: NaiveDate,
}

/// A policy with its text and reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDetail {
    pub brief: PolicyBrief,
    pub effective_on: Option<NaiveDate>,
    pub body: String,
    /// Households that received at least one measure under this policy.
    pub households: i64,
    pub measures: i64,
    pub amount: i64,
}

/// Age in whole years on `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_birthdays() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(age_on(d(1980, 6, 15), d(2026, 6, 14)), 45);
        assert_eq!(age_on(d(1980, 6, 15), d(2026, 6, 15)), 46);
        assert_eq!(age_on(d(2030, 1, 1), d(2026, 1, 1)), 0);
    }
}
