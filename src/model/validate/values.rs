//! The rules of single values, the pieces the form rules are made of: an ID number, a mobile
//! number, a name, causes, an amount, dates in range, free text, a year.
use crate::model::{
    codes::{PovertyCause, Sex},
    id_number,
};
use chrono::{Datelike, NaiveDate};

/// Earliest date the register accepts (births, identification, measures).
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// 18-digit ID: format, a real birth date not in the future, checksum, and the sex digit
/// (17th: odd for men) matching the sex entered.
pub fn id_number(id: &str, sex: Sex, today: NaiveDate) -> Result<(), &'static str> {
    let info = id_number::parse(id.trim()).map_err(|e| e.code())?;
    if info.birth_date > today {
        return Err("id_future");
    }
    if info.birth_date < EARLIEST {
        return Err("id_birth_date");
    }
    if info.male != (sex == Sex::Male) {
        return Err("id_sex_mismatch");
    }
    Ok(())
}

/// A mainland mobile number: 11 digits starting 13–19.
pub fn mobile(phone: &str) -> Result<(), &'static str> {
    let b = phone.trim().as_bytes();
    if b.len() != 11 || !b.iter().all(u8::is_ascii_digit) || b[0] != b'1' || b[1] < b'3' {
        return Err("phone_format");
    }
    Ok(())
}

/// A person's name: 2 to 20 characters (counted as characters, not bytes), no digits or symbols
/// except the middle dot of minority names.
pub fn person_name(name: &str) -> Result<(), &'static str> {
    let name = name.trim();
    let n = name.chars().count();
    if n == 0 {
        return Err("required");
    }
    if !(2..=20).contains(&n) {
        return Err("name_length");
    }
    if !name
        .chars()
        .all(|c| c.is_alphabetic() || c == '·' || c == ' ')
    {
        return Err("name_chars");
    }
    Ok(())
}

/// Poverty causes: exactly one main cause (the first) and at most two others, none repeated.
pub fn causes(causes: &[PovertyCause]) -> Result<(), &'static str> {
    if causes.is_empty() {
        return Err("cause_main_required");
    }
    if causes.len() > 3 {
        return Err("cause_too_many");
    }
    if causes
        .iter()
        .enumerate()
        .any(|(i, c)| causes[..i].contains(c))
    {
        return Err("cause_repeated");
    }
    Ok(())
}

/// The most one amount may be: a hundred million yuan, far above any rural household's yearly
/// income or any benefit, and far enough below `i64::MAX` that sums over a province cannot
/// overflow.
pub const MAX_AMOUNT: i64 = 100_000_000;

/// Money and incomes are whole yuan, never negative, at most [`MAX_AMOUNT`].
pub fn amount(yuan: i64) -> Result<(), &'static str> {
    if yuan < 0 {
        return Err("amount_negative");
    }
    if yuan > MAX_AMOUNT {
        return Err("amount_too_large");
    }
    Ok(())
}

/// A date between 1900-01-01 and today.
pub fn past_date(d: NaiveDate, today: NaiveDate) -> Result<(), &'static str> {
    if d > today {
        return Err("date_future");
    }
    if d < EARLIEST {
        return Err("date_too_early");
    }
    Ok(())
}

/// Latest date any field may hold: the schema stores dates as text, and a year past 9999
/// (`+10000-01-01`) or one no plan could mean is refused here rather than stored.
pub const LATEST: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// A date a plan may fall due on: from a year before `today` to three years after it.
pub fn due_date(d: NaiveDate, today: NaiveDate) -> Result<(), &'static str> {
    let earliest = today
        .checked_sub_days(chrono::Days::new(366))
        .unwrap_or(EARLIEST);
    let latest = today
        .checked_add_months(chrono::Months::new(36))
        .map_or(LATEST, |d| d.min(LATEST));
    if d < earliest {
        return Err("date_too_early");
    }
    if d > latest {
        return Err("date_too_late");
    }
    Ok(())
}

/// Free text with a length limit in characters (1..=max when required, 0..=max otherwise), and
/// no control character but line breaks and tabs: a NUL ends the text for SQLite's `length()`
/// (so a CHECK would refuse it as empty), and would reach exports and pages as a raw byte.
pub fn text(value: &str, max: usize, required: bool) -> Result<(), &'static str> {
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("control_chars");
    }
    let n = value.trim().chars().count();
    if required && n == 0 {
        return Err("required");
    }
    if n > max {
        return Err("text_length");
    }
    Ok(())
}

/// A calendar year the register may hold figures for: 2000 up to this year.
pub fn year(y: i64, today: NaiveDate) -> Result<(), &'static str> {
    if !(2000..=i64::from(today.year())).contains(&y) {
        return Err("year_range");
    }
    Ok(())
}
