//! The data-entry rules, one copy for both sides: the WASM forms run them as the user types and on
//! submit, and the server runs them again on every write, so a request that bypasses the browser
//! is refused with the same field and the same message code.
//!
//! Each failure names the field (`members.2.id_number`) and a stable code (`id_checksum`); the
//! forms translate the code into the current language.
use super::{
    codes::{PovertyCause, Relation, Sex},
    id_number,
    registry::{Household, Member},
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One rule a field breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Dotted path of the field in the form (`phone`, `members.0.name`).
    pub field: String,
    /// Stable message code, translated by the form.
    pub code: String,
}

/// Everything wrong with a form, in field order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records `code` for `field` when `check` failed.
    pub fn check(&mut self, field: impl Into<String>, check: Result<(), &'static str>) {
        if let Err(code) = check {
            self.0.push(FieldError {
                field: field.into(),
                code: code.to_string(),
            });
        }
    }

    /// The first message code for `field`, if any (what the form shows next to it).
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.code.as_str())
    }
}

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

/// Money and incomes are whole yuan, never negative.
pub fn amount(yuan: i64) -> Result<(), &'static str> {
    if yuan < 0 {
        return Err("amount_negative");
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

/// One member's fields; `path` is the member's prefix (`members.0`).
pub fn member(m: &Member, path: &str, today: NaiveDate, errors: &mut FieldErrors) {
    errors.check(format!("{path}.name"), person_name(&m.name));
    match (&m.id_number, &m.disability_cert) {
        (Some(id), _) if !id.trim().is_empty() => {
            errors.check(format!("{path}.id_number"), id_number(id, m.sex, today));
            if let Ok(info) = id_number::parse(id.trim())
                && info.birth_date != m.birth_date
            {
                errors.check(format!("{path}.birth_date"), Err("birth_date_mismatch"));
            }
        }
        (_, Some(cert)) if !cert.trim().is_empty() => {}
        _ if m.relation == Relation::Head => {
            errors.check(format!("{path}.id_number"), Err("id_required_for_head"))
        }
        _ => {}
    }
    errors.check(format!("{path}.birth_date"), past_date(m.birth_date, today));
    if !(0..=12).contains(&m.migrant_months) {
        errors.check(format!("{path}.migrant_months"), Err("months_range"));
    }
}

/// The whole household form: contact, causes, dates, and every member, with exactly one
/// householder among the active members.
pub fn household(h: &Household, today: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if let Some(phone) = h.phone.as_deref().filter(|p| !p.trim().is_empty()) {
        errors.check("phone", mobile(phone));
    }
    errors.check("causes", causes(&h.causes));
    errors.check("identified_on", past_date(h.identified_on, today));
    if let Some(exited) = h.exited_on {
        errors.check("exited_on", past_date(exited, today));
        if exited < h.identified_on {
            errors.check("exited_on", Err("exit_before_identified"));
        }
    }
    for (i, m) in h.members.iter().enumerate() {
        member(m, &format!("members.{i}"), today, &mut errors);
    }
    let heads = h
        .members
        .iter()
        .filter(|m| m.active && m.relation == Relation::Head)
        .count();
    if heads != 1 {
        errors.check(
            "members",
            Err(if heads == 0 {
                "head_missing"
            } else {
                "head_twice"
            }),
        );
    }
    let mut ids: Vec<&str> = h
        .members
        .iter()
        .filter(|m| m.active)
        .filter_map(|m| m.id_number.as_deref().map(str::trim))
        .filter(|id| !id.is_empty())
        .collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0].eq_ignore_ascii_case(w[1])) {
        errors.check("members", Err("id_repeated"));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::codes::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 11, 29) {
        Some(d) => d,
        None => panic!(),
    };

    #[test]
    fn id_numbers() {
        let man = id_number::build("430581", d(1970, 5, 6), 31);
        let woman = id_number::build("430581", d(1970, 5, 6), 32);
        assert_eq!(id_number(&man, Sex::Male, TODAY), Ok(()));
        assert_eq!(id_number(&woman, Sex::Female, TODAY), Ok(()));
        assert_eq!(id_number(&man, Sex::Female, TODAY), Err("id_sex_mismatch"));
        let mut bad = man.clone();
        bad.replace_range(17..18, if man.ends_with('0') { "1" } else { "0" });
        assert_eq!(id_number(&bad, Sex::Male, TODAY), Err("id_checksum"));
        assert_eq!(
            id_number("43058119700506", Sex::Male, TODAY),
            Err("id_format")
        );
        assert_eq!(
            id_number("4305811970050603AB", Sex::Male, TODAY),
            Err("id_format")
        );
        let feb30 =
            id_number::build("430581", d(1970, 5, 6), 31).replacen("19700506", "19700230", 1);
        assert_eq!(id_number(&feb30, Sex::Male, TODAY), Err("id_birth_date"));
        let future = id_number::build("430581", d(2027, 1, 1), 31);
        assert_eq!(id_number(&future, Sex::Male, TODAY), Err("id_future"));
        let born_today = id_number::build("430581", TODAY, 31);
        assert_eq!(id_number(&born_today, Sex::Male, TODAY), Ok(()));
        assert_eq!(id_number(&man.to_lowercase(), Sex::Male, TODAY), Ok(()));
    }

    #[test]
    fn phones_names_amounts_dates() {
        assert_eq!(mobile("13812345678"), Ok(()));
        assert_eq!(mobile("12812345678"), Err("phone_format"));
        assert_eq!(mobile("1381234567"), Err("phone_format"));
        assert_eq!(mobile("1381234567a"), Err("phone_format"));
        assert_eq!(person_name("张伟"), Ok(()));
        assert_eq!(person_name("阿依·买买提"), Ok(()));
        assert_eq!(person_name("张"), Err("name_length"));
        assert_eq!(person_name(&"张".repeat(20)), Ok(()));
        assert_eq!(person_name(&"张".repeat(21)), Err("name_length"));
        assert_eq!(person_name("  "), Err("required"));
        assert_eq!(person_name("张3"), Err("name_chars"));
        assert_eq!(amount(0), Ok(()));
        assert_eq!(amount(-1), Err("amount_negative"));
        assert_eq!(past_date(TODAY, TODAY), Ok(()));
        assert_eq!(past_date(d(2026, 11, 30), TODAY), Err("date_future"));
        assert_eq!(past_date(d(1899, 12, 31), TODAY), Err("date_too_early"));
    }

    #[test]
    fn causes_one_main_at_most_two_others() {
        use PovertyCause::*;
        assert_eq!(causes(&[Illness]), Ok(()));
        assert_eq!(causes(&[Illness, Skills, Capital]), Ok(()));
        assert_eq!(causes(&[]), Err("cause_main_required"));
        assert_eq!(
            causes(&[Illness, Skills, Capital, Land]),
            Err("cause_too_many")
        );
        assert_eq!(causes(&[Illness, Illness]), Err("cause_repeated"));
    }

    fn person(name: &str, relation: Relation, sex: Sex, seq: u16) -> Member {
        let birth = d(1975, 3, 4);
        Member {
            id: None,
            name: name.into(),
            sex,
            id_number: Some(id_number::build("430581", birth, seq)),
            disability_cert: None,
            birth_date: birth,
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

    fn family() -> Household {
        Household {
            id: None,
            village_code: "430581101201".into(),
            group_no: Some(1),
            address: "一组".into(),
            phone: Some("13812345678".into()),
            bank_name: None,
            bank_account: None,
            standard: Standard::National,
            attribute: Attribute::General,
            status: Status::Poor,
            identified_on: d(2014, 5, 1),
            exited_on: None,
            relapsed_on: None,
            causes: vec![PovertyCause::Illness],
            has_electricity: true,
            has_safe_water: true,
            has_road_access: true,
            members: vec![
                person("张伟", Relation::Head, Sex::Male, 11),
                person("李芳", Relation::Spouse, Sex::Female, 12),
            ],
            housing: None,
            version: 1,
        }
    }

    #[test]
    fn household_rules_name_their_fields() {
        assert_eq!(household(&family(), TODAY), FieldErrors::default());
        let mut h = family();
        h.members[1].relation = Relation::Head;
        assert_eq!(
            household(&h, TODAY).for_field("members"),
            Some("head_twice")
        );
        h.members[1].active = false;
        assert!(
            household(&h, TODAY).is_empty(),
            "a member who left does not count"
        );
        h.members[0].relation = Relation::Child;
        assert_eq!(
            household(&h, TODAY).for_field("members"),
            Some("head_missing")
        );
        let mut h = family();
        h.members[1].id_number = h.members[0].id_number.clone();
        h.members[1].sex = Sex::Male;
        assert_eq!(
            household(&h, TODAY).for_field("members"),
            Some("id_repeated")
        );
        let mut h = family();
        h.members[1].birth_date = d(1980, 1, 1);
        h.members[0].name = "张".into();
        h.phone = Some("555".into());
        h.exited_on = Some(d(2013, 1, 1));
        let e = household(&h, TODAY);
        assert_eq!(
            e.for_field("members.1.birth_date"),
            Some("birth_date_mismatch")
        );
        assert_eq!(e.for_field("members.0.name"), Some("name_length"));
        assert_eq!(e.for_field("phone"), Some("phone_format"));
        assert_eq!(e.for_field("exited_on"), Some("exit_before_identified"));
        let mut h = family();
        h.members[0].id_number = None;
        assert_eq!(
            household(&h, TODAY).for_field("members.0.id_number"),
            Some("id_required_for_head")
        );
    }
}
