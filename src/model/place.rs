//! Place codes (统计用区划代码): twelve digits, the city's six followed by `000000`, a
//! township's nine followed by `000`, a village's own twelve (Wugang `430581000000`, 邓元泰镇
//! `430581101000`, one of its villages `430581101201`). A code is checked once, where it comes
//! in; past that a [`PlaceCode`] is known to be well formed and says its level and its range.
use super::RegionLevel;
use serde::{Deserialize, Serialize};

/// A well-formed place code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PlaceCode(String);

impl PlaceCode {
    /// Twelve ASCII digits, or nothing.
    pub fn parse(raw: &str) -> Option<PlaceCode> {
        (raw.len() == 12 && raw.bytes().all(|b| b.is_ascii_digit()))
            .then(|| PlaceCode(raw.to_string()))
    }

    /// A township's code, or nothing (a village's, the city's or a malformed one).
    pub fn township(raw: &str) -> Option<PlaceCode> {
        PlaceCode::parse(raw).filter(|c| c.level() == RegionLevel::Township)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        if self.0.ends_with("000000") {
            RegionLevel::City
        } else if self.0.ends_with("000") {
            RegionLevel::Township
        } else {
            RegionLevel::Village
        }
    }

    /// The township a village lies in (a township's is itself; the city's is itself).
    pub fn township_of(&self) -> PlaceCode {
        match self.level() {
            RegionLevel::Village => PlaceCode(format!("{}000", &self.0[..9])),
            _ => self.clone(),
        }
    }

    /// The codes of this place and every place under it.
    pub fn range(&self) -> PlaceRange {
        let keep = match self.level() {
            RegionLevel::City => 6,
            RegionLevel::Township => 9,
            RegionLevel::Village => 12,
        };
        let prefix = &self.0[..keep];
        let tail = 12 - keep;
        PlaceRange {
            from: format!("{prefix}{}", "0".repeat(tail)),
            to: format!("{prefix}{}", "9".repeat(tail)),
        }
    }
}

impl std::fmt::Display for PlaceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PlaceCode {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        PlaceCode::parse(&raw).ok_or_else(|| format!("not a place code: {raw:?}"))
    }
}

impl From<PlaceCode> for String {
    fn from(code: PlaceCode) -> String {
        code.0
    }
}

/// The codes `from..=to` a place covers with the places under it (a township's villages share
/// its first nine digits), or that a staff member's role covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlaceRange {
    pub from: String,
    pub to: String,
}

impl PlaceRange {
    /// This code alone.
    pub fn exactly(code: &str) -> PlaceRange {
        PlaceRange {
            from: code.into(),
            to: code.into(),
        }
    }

    /// Every code.
    pub fn all() -> PlaceRange {
        PlaceRange {
            from: "000000000000".into(),
            to: "999999999999".into(),
        }
    }

    /// Whether `code` lies in the range.
    pub fn covers(&self, code: &str) -> bool {
        code >= self.from.as_str() && code <= self.to.as_str()
    }
}

#[cfg(feature = "ssr")]
mod sql {
    use super::PlaceCode;

    crate::model::sql_text::decoded_from_text!(PlaceCode);

    impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for PlaceCode
    where
        String: sqlx::Encode<'q, DB>,
    {
        fn encode_by_ref(
            &self,
            buf: &mut <DB as sqlx::Database>::ArgumentBuffer,
        ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
            <String as sqlx::Encode<'q, DB>>::encode_by_ref(&self.0, buf)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_says_its_level_and_range() {
        let city = PlaceCode::parse("430581000000").unwrap();
        let township = PlaceCode::parse("430581101000").unwrap();
        let village = PlaceCode::parse("430581101201").unwrap();
        assert_eq!(city.level(), RegionLevel::City);
        assert_eq!(township.level(), RegionLevel::Township);
        assert_eq!(village.level(), RegionLevel::Village);
        assert_eq!(
            township.range(),
            PlaceRange {
                from: "430581101000".into(),
                to: "430581101999".into()
            }
        );
        assert_eq!(village.range().from, village.range().to);
        assert!(city.range().covers(village.as_str()));
        assert!(township.range().covers(village.as_str()));
        assert!(!village.range().covers(township.as_str()));
        assert_eq!(village.township_of(), township);
        assert!(PlaceRange::all().covers("430581101201"));
    }

    #[test]
    fn anything_but_twelve_digits_is_refused() {
        for bad in [
            "",
            "43058110120",
            "4305811012011",
            "43058110120x",
            "４３０５８１１０１２０１",
            "430581101２01",
        ] {
            assert_eq!(PlaceCode::parse(bad), None, "{bad}");
        }
        assert_eq!(PlaceCode::township("430581101201"), None);
        assert_eq!(PlaceCode::township("430581000000"), None);
        assert!(PlaceCode::township("430581101000").is_some());
        assert!(serde_json::from_str::<PlaceCode>("\"4305811012\"").is_err());
    }
}
