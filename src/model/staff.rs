//! Who is logged in, as the pages see it.
use super::{
    codes::Role,
    help::{AssistanceEntry, MeasureEntry, VisitEntry},
    registry::{Household, Income},
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A logged-in staff member and the scope of their role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInfo {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The city, township or village the role covers (a cadre's home village or township).
    pub region_code: String,
    /// For a helper cadre: the cadre record whose paired households they see.
    pub cadre_id: Option<i64>,
}

/// Normalises a username as stored: trimmed, lower-case.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// One entry of a household's history (from the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The record page of one household for staff: the record itself and what hangs off it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffRecord {
    pub household: Household,
    /// Who last changed it and when (from the audit log).
    pub last_change: Option<(String, String)>,
    /// The server's date, so the browser checks dates against the same "today".
    pub today: NaiveDate,
    /// Whether the asking role may edit the record (helper cadres only add visits and measures).
    pub can_edit: bool,
    pub village_name: String,
    pub incomes: Vec<Income>,
    pub helper: Option<CadreBrief>,
    pub measures: Vec<MeasureEntry>,
    pub visits: Vec<VisitEntry>,
    /// Social assistance enrolments, running first, then newest.
    pub assistance: Vec<AssistanceEntry>,
    /// Its monitoring cases, newest first.
    pub cases: Vec<crate::model::monitoring::case::CaseBrief>,
    /// The exit check for today (`None` when the household has exited): why it could not exit
    /// yet, or nothing when it could.
    pub exit_check: Option<Vec<crate::model::rules::ExitReason>>,
}

/// A helper cadre as pickers and pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CadreBrief {
    pub id: i64,
    pub name: String,
    pub unit: String,
}

/// A village the asking staff member may add households to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct VillageOption {
    pub code: String,
    pub name: String,
    pub township: String,
}

/// What the new-household form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewHouseholdForm {
    pub villages: Vec<VillageOption>,
    pub today: NaiveDate,
}
