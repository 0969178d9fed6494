//! Members, households and incomes for tests (the unit tests here and the integration tests):
//! valid by the form's rules, so a test changes only the fields it is about
//! (`Member { active: false, ..member(…) }`).
use super::{codes::*, id_number, registry::*};
use chrono::NaiveDate;

/// A date from its parts (test data only: panics on an impossible date).
pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// A member whose ID number is built from Wugang's region code, `birth` and `seq` (the sex digit
/// follows `seq`: odd for a man).
pub fn member(name: &str, relation: Relation, sex: Sex, birth: NaiveDate, seq: u16) -> Member {
    Member {
        name: name.into(),
        sex,
        id_number: Some(id_number::build("430581", birth, seq)),
        ..Member::blank(relation, birth)
    }
}

/// A poor household of `village` identified on 2014-05-01 (national line, general, illness),
/// in group 1, with `members` and no phone, bank account or housing.
pub fn household(village: &str, members: Vec<Member>) -> Household {
    Household {
        group_no: Some(1),
        address: "一组".into(),
        causes: vec![PovertyCause::Illness],
        members,
        ..Household::blank(village.into(), day(2014, 5, 1))
    }
}

/// A year's income of `net` yuan, all wages, for `persons`.
pub fn income(year: i64, net: i64, persons: i64) -> Income {
    Income {
        wages: net,
        ..Income::blank(year, persons)
    }
}
