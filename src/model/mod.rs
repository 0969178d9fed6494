//! Types shared by the server and the WASM client.
#[macro_use]
pub mod codes;
pub mod dashboard;
#[cfg(any(test, feature = "ssr"))]
pub mod fixtures;
pub mod help;
pub mod id_number;
pub mod monitoring;
pub mod place;
pub mod public;
pub mod registry;
pub mod rules;
pub mod search;
#[cfg(feature = "ssr")]
pub mod sql_text;
pub mod staff;
pub mod transfer;
pub mod transparency;
pub mod validate;

use serde::{Deserialize, Serialize};

/// Level of a place in the administrative hierarchy (GB/T 2260 + 统计用区划代码).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 县级市 (the whole system's scope)
    City,
    /// 乡镇 / 街道
    Township,
    /// 行政村 / 社区
    Village,
}

impl RegionLevel {
    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::City => "city",
            RegionLevel::Township => "township",
            RegionLevel::Village => "village",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "city" => Some(RegionLevel::City),
            "township" => Some(RegionLevel::Township),
            "village" => Some(RegionLevel::Village),
            _ => None,
        }
    }
}

/// A place that matched a typed query: enough to show and link it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionHit {
    /// 12-digit division code.
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    /// Name of the enclosing township, for villages.
    pub parent_name: Option<String>,
}

/// Public counts shown on the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SiteStats {
    pub townships: i64,
    pub villages: i64,
    /// Households and persons on the register.
    pub households: i64,
    pub persons: i64,
}

/// A whole number with thousands separators (`1,234,567`), as every page writes counts and sums.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_level_roundtrips() {
        for l in [
            RegionLevel::City,
            RegionLevel::Township,
            RegionLevel::Village,
        ] {
            assert_eq!(RegionLevel::parse(l.as_str()), Some(l));
        }
        assert_eq!(RegionLevel::parse("group"), None);
    }
}
