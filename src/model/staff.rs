//! Who is logged in, as the pages see it.
use super::{codes::Role, registry::Household};
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

/// A household as staff in scope see it: everything, with ID numbers masked until revealed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffHousehold {
    pub household: Household,
    /// Who last changed it and when (from the audit log).
    pub last_change: Option<(String, String)>,
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
