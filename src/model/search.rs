//! The public search: what a query may be, and what a result shows (de-identified).
use super::{
    RegionHit,
    codes::{Attribute, PovertyCause, Relation, Status},
};
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Results per page.
pub const PER_PAGE: u32 = 20;
/// Persons matched at most per query; past this the user is asked to narrow the query.
pub const MAX_HITS: u32 = 1000;

/// Longest search text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 40;

/// Normalises a search query: trims, folds inner whitespace, rejects control characters and
/// over-long input. `Ok(None)` means "nothing to search for".
pub fn normalize_query(raw: &str) -> Result<Option<String>, AppError> {
    if raw.chars().any(|c| c.is_control()) {
        return Err(AppError::invalid("control_characters"));
    }
    let folded = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::QueryTooLong {
            max: MAX_QUERY_CHARS,
        });
    }
    if !folded.chars().any(char::is_alphanumeric) {
        return Ok(None);
    }
    Ok(Some(folded))
}

/// A query, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTerm {
    /// Chinese characters: a name or part of one, or a place name (`张伟`, `王`, `建国`, `龙溪村`).
    Hanzi(String),
    /// Latin letters: full pinyin or initials, lower-cased, spaces and apostrophes removed
    /// (`zhang wei` → `zhangwei`, `ZW` → `zw`; `ü` is written `v`).
    Latin(String),
}

impl SearchTerm {
    /// Classifies a query already passed through [`normalize_query`]. A query that mixes
    /// scripts or holds digits is refused with a reason the page shows next to the box.
    pub fn parse(q: &str) -> Result<SearchTerm, AppError> {
        let text: String = q
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '\'' | '’'))
            .collect();
        if text.is_empty() {
            return Err(AppError::invalid("query_empty"));
        }
        if text.chars().all(is_hanzi) {
            return Ok(SearchTerm::Hanzi(text));
        }
        if text.chars().all(|c| c.is_ascii_alphabetic() || c == 'ü') {
            let latin = text.to_ascii_lowercase().replace('ü', "v");
            return Ok(SearchTerm::Latin(latin));
        }
        if text.chars().any(|c| c.is_ascii_digit()) {
            return Err(AppError::invalid("query_digits"));
        }
        Err(AppError::invalid("query_mixed"))
    }

    pub fn text(&self) -> &str {
        match self {
            SearchTerm::Hanzi(t) | SearchTerm::Latin(t) => t,
        }
    }
}

/// A CJK unified ideograph (basic block and extension A, plus the compatibility block).
pub fn is_hanzi(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
        || ('\u{20000}'..='\u{2FA1F}').contains(&c)
}

/// How well a household matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchTier {
    /// The whole name, the full pinyin or the initials.
    Exact,
    /// The start of a name or its pinyin.
    Prefix,
    /// Part of a name after its first character (a given name alone).
    Contains,
    /// The household's village or township.
    Place,
}

/// A person who matched, when that person is not the householder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedMember {
    pub name: String,
    pub relation: Relation,
}

/// The helper (帮扶责任人) currently paired with a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelperBrief {
    pub name: String,
    pub unit: String,
}

/// One household in the results: public facts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdHit {
    pub id: i64,
    pub head_name: String,
    pub village_code: String,
    pub village_name: String,
    pub township_name: String,
    pub attribute: Attribute,
    pub main_cause: Option<PovertyCause>,
    pub status: Status,
    /// Year of the exit, when exited (or exited and relapsed).
    pub exit_year: Option<i32>,
    pub relapse_year: Option<i32>,
    pub helper: Option<HelperBrief>,
    pub matched: Option<MatchedMember>,
    pub tier: MatchTier,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SearchResults {
    /// The query as understood (normalised).
    pub query: String,
    /// Households found (within the first [`MAX_HITS`] persons).
    pub total: u32,
    /// More persons matched than were considered: ask for a narrower query.
    pub capped: bool,
    /// 1-based page number actually shown.
    pub page: u32,
    pub pages: u32,
    pub households: Vec<HouseholdHit>,
    /// Villages and townships whose name matched.
    pub places: Vec<RegionHit>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_trimmed_and_folded() {
        assert_eq!(
            normalize_query("  武冈  市 ").unwrap().as_deref(),
            Some("武冈 市")
        );
    }

    #[test]
    fn empty_or_punctuation_only_is_nothing_to_search() {
        assert_eq!(normalize_query("   ").unwrap(), None);
        assert_eq!(normalize_query("，。!?").unwrap(), None);
    }

    #[test]
    fn control_characters_and_long_input_are_rejected() {
        assert_eq!(
            normalize_query("a\u{7}b"),
            Err(AppError::invalid("control_characters"))
        );
        let long = "张".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(
            normalize_query(&long),
            Err(AppError::QueryTooLong {
                max: MAX_QUERY_CHARS
            })
        );
        assert!(
            normalize_query(&"张".repeat(MAX_QUERY_CHARS))
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn hanzi_and_latin_are_told_apart() {
        assert_eq!(
            SearchTerm::parse("张 伟").unwrap(),
            SearchTerm::Hanzi("张伟".into())
        );
        assert_eq!(
            SearchTerm::parse("Zhang Wei").unwrap(),
            SearchTerm::Latin("zhangwei".into())
        );
        assert_eq!(
            SearchTerm::parse("xi'an").unwrap(),
            SearchTerm::Latin("xian".into())
        );
        assert_eq!(
            SearchTerm::parse("lü").unwrap(),
            SearchTerm::Latin("lv".into())
        );
        assert_eq!(
            SearchTerm::parse("阿依·买买提").unwrap(),
            SearchTerm::Hanzi("阿依买买提".into())
        );
    }

    #[test]
    fn digits_and_mixed_scripts_are_refused_with_a_reason() {
        assert_eq!(
            SearchTerm::parse("430581"),
            Err(AppError::invalid("query_digits"))
        );
        assert_eq!(
            SearchTerm::parse("张w"),
            Err(AppError::invalid("query_mixed"))
        );
        assert_eq!(
            SearchTerm::parse("张!"),
            Err(AppError::invalid("query_mixed"))
        );
    }
}
