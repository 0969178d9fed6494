//! Help as recorded for a household: measures (帮扶措施), visits (走访) and social assistance
//! enrolments (低保, 特困供养, 临时救助), as entered and as listed.
use super::codes::{AssistanceKind, MeasureCategory};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A recorded measure, as listed on the staff page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MeasureEntry {
    pub given_on: NaiveDate,
    pub category: MeasureCategory,
    pub name: String,
    pub amount: i64,
    pub member: Option<String>,
}

/// A recorded visit (走访).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct VisitEntry {
    pub visited_on: NaiveDate,
    pub cadre: String,
    pub note: String,
}

/// A new measure as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureInput {
    pub household_id: i64,
    /// The member it was for, when it was for one person.
    pub member_id: Option<i64>,
    pub category: MeasureCategory,
    pub name: String,
    pub given_on: NaiveDate,
    pub amount: i64,
    pub agency: String,
}

/// A social assistance enrolment (低保, 特困供养, 临时救助) as staff see it, amounts included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AssistanceEntry {
    pub id: i64,
    pub kind: AssistanceKind,
    pub member_id: Option<i64>,
    /// The member's name, when it is one person's.
    pub member: Option<String>,
    pub start_on: NaiveDate,
    pub end_on: Option<NaiveDate>,
    pub monthly_amount: i64,
    pub lump_sum: i64,
    pub agency: String,
}

/// A new enrolment as staff enter it. 临时救助 is one payment (`lump_sum`, ended the day it
/// starts); 低保 and 特困供养 are paid monthly and run until ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistanceInput {
    pub household_id: i64,
    pub member_id: Option<i64>,
    pub kind: AssistanceKind,
    pub start_on: NaiveDate,
    pub monthly_amount: i64,
    pub lump_sum: i64,
    pub agency: String,
}
