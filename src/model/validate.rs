//! The data-entry rules, one copy for both sides: the WASM forms run them as the user types and on
//! submit, and the server runs them again on every write, so a request that bypasses the browser
//! is refused with the same field and the same message code.
//!
//! Each failure names the field (`members.2.id_number`) and a stable code (`id_checksum`); the
//! forms translate the code into the current language.
use super::{
    codes::{PovertyCause, Relation, Sex, Status},
    id_number,
    registry::{Household, Housing, Income, Member},
    staff::MeasureInput,
};
use chrono::{Datelike, NaiveDate};
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

    /// The first failure, as the error a server function answers with.
    pub fn first(&self) -> Option<&FieldError> {
        self.0.first()
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

/// Free text with a length limit in characters (1..=max when required, 0..=max otherwise).
pub fn text(value: &str, max: usize, required: bool) -> Result<(), &'static str> {
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

/// Housing: a plausible floor area, a build year not in the future, dates in range, and a
/// relocation date only for a relocated household.
pub fn housing(h: &Housing, today: NaiveDate, errors: &mut FieldErrors) {
    if !(h.area_m2 > 0.0 && h.area_m2 < 2000.0) {
        errors.check("housing.area_m2", Err("area_range"));
    }
    if let Some(y) = h.built_year
        && !(1900..=i64::from(today.year())).contains(&y)
    {
        errors.check("housing.built_year", Err("year_range"));
    }
    if let Some(d) = h.renovated_on {
        errors.check("housing.renovated_on", past_date(d, today));
    }
    match (h.relocated, h.relocated_on) {
        (true, Some(d)) => errors.check("housing.relocated_on", past_date(d, today)),
        (false, Some(_)) => errors.check("housing.relocated_on", Err("relocated_date_without")),
        _ => {}
    }
}

/// One year's income: a year in range, at least one person, no negative amount.
pub fn income(i: &Income, today: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.check("year", year(i.year, today));
    if !(1..=30).contains(&i.persons) {
        errors.check("persons", Err("persons_range"));
    }
    for (field, value) in [
        ("wages", i.wages),
        ("business", i.business),
        ("transfer", i.transfer),
        ("property", i.property),
        ("costs", i.costs),
    ] {
        errors.check(field, amount(value));
    }
    errors
}

/// A measure as entered: a name, a date in range, a non-negative amount.
pub fn measure(m: &MeasureInput, today: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.check("name", text(&m.name, 100, true));
    errors.check("given_on", past_date(m.given_on, today));
    errors.check("amount", amount(m.amount));
    errors.check("agency", text(&m.agency, 100, false));
    errors
}

/// A visit: a date in range and a note of at most 500 characters.
pub fn visit(visited_on: NaiveDate, note: &str, today: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.check("visited_on", past_date(visited_on, today));
    errors.check("note", text(note, 500, true));
    errors
}

/// A change of status: poor or relapsed → exited, exited → relapsed, on a date in range that
/// follows the household's previous milestones. (The exit check itself — income above the
/// line, 两不愁三保障 — is a separate rule.)
pub fn status_change(
    h: &Household,
    to: Status,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), &'static str> {
    past_date(on, today)?;
    let after = match (h.status, to) {
        (Status::Poor, Status::Exited) => h.identified_on,
        (Status::Relapsed, Status::Exited) => h.relapsed_on.unwrap_or(h.identified_on),
        (Status::Exited, Status::Relapsed) => h.exited_on.unwrap_or(h.identified_on),
        _ => return Err("status_transition"),
    };
    if on < after {
        return Err("date_order");
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
    errors.check(
        "address",
        text(&h.address, 100, true).map_err(|_| "address_length"),
    );
    if let Some(g) = h.group_no
        && !(1..=99).contains(&g)
    {
        errors.check("group_no", Err("group_range"));
    }
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
    if let Some(hs) = &h.housing {
        housing(hs, today, &mut errors);
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
    fn incomes_measures_visits_housing() {
        let inc = Income {
            year: 2026,
            persons: 3,
            wages: 12000,
            business: 0,
            transfer: 800,
            property: 0,
            costs: 500,
            net_income: None,
            per_capita: None,
        };
        assert!(income(&inc, TODAY).is_empty());
        let e = income(
            &Income {
                year: 2027,
                persons: 0,
                costs: -1,
                ..inc.clone()
            },
            TODAY,
        );
        assert_eq!(e.for_field("year"), Some("year_range"));
        assert_eq!(e.for_field("persons"), Some("persons_range"));
        assert_eq!(e.for_field("costs"), Some("amount_negative"));
        assert_eq!(
            income(&Income { year: 1999, ..inc }, TODAY).for_field("year"),
            Some("year_range")
        );

        let m = MeasureInput {
            household_id: 1,
            member_id: None,
            category: crate::model::codes::MeasureCategory::Education,
            name: "雨露计划".into(),
            given_on: TODAY,
            amount: 0,
            agency: String::new(),
        };
        assert!(measure(&m, TODAY).is_empty());
        let e = measure(
            &MeasureInput {
                name: " ".into(),
                amount: -5,
                given_on: d(2026, 12, 1),
                agency: "单".repeat(101),
                ..m
            },
            TODAY,
        );
        assert_eq!(e.for_field("name"), Some("required"));
        assert_eq!(e.for_field("amount"), Some("amount_negative"));
        assert_eq!(e.for_field("given_on"), Some("date_future"));
        assert_eq!(e.for_field("agency"), Some("text_length"));

        assert!(visit(TODAY, "了解收入", TODAY).is_empty());
        assert_eq!(visit(TODAY, "", TODAY).for_field("note"), Some("required"));
        assert_eq!(
            visit(TODAY, &"访".repeat(501), TODAY).for_field("note"),
            Some("text_length")
        );

        let mut h = family();
        h.housing = Some(Housing {
            structure: Structure::BrickWood,
            area_m2: 0.0,
            built_year: Some(2027),
            danger_grade: Some(DangerGrade::C),
            renovated_on: None,
            relocated: false,
            relocated_on: Some(d(2018, 1, 1)),
        });
        let e = household(&h, TODAY);
        assert_eq!(e.for_field("housing.area_m2"), Some("area_range"));
        assert_eq!(e.for_field("housing.built_year"), Some("year_range"));
        assert_eq!(
            e.for_field("housing.relocated_on"),
            Some("relocated_date_without")
        );
    }

    #[test]
    fn status_changes_follow_the_milestones() {
        let h = family(); // poor since 2014-05-01
        assert_eq!(
            status_change(&h, Status::Exited, d(2017, 11, 1), TODAY),
            Ok(())
        );
        assert_eq!(
            status_change(&h, Status::Exited, d(2014, 4, 30), TODAY),
            Err("date_order")
        );
        assert_eq!(
            status_change(&h, Status::Exited, d(2026, 11, 30), TODAY),
            Err("date_future")
        );
        assert_eq!(
            status_change(&h, Status::Relapsed, d(2017, 11, 1), TODAY),
            Err("status_transition")
        );
        assert_eq!(
            status_change(&h, Status::Poor, d(2017, 11, 1), TODAY),
            Err("status_transition")
        );
        let exited = Household {
            status: Status::Exited,
            exited_on: Some(d(2017, 11, 1)),
            ..family()
        };
        assert_eq!(
            status_change(&exited, Status::Relapsed, d(2017, 10, 31), TODAY),
            Err("date_order")
        );
        assert_eq!(
            status_change(&exited, Status::Relapsed, d(2019, 3, 1), TODAY),
            Ok(())
        );
        assert_eq!(
            status_change(&exited, Status::Exited, d(2019, 3, 1), TODAY),
            Err("status_transition")
        );
        let relapsed = Household {
            status: Status::Relapsed,
            relapsed_on: Some(d(2019, 3, 1)),
            ..exited
        };
        assert_eq!(
            status_change(&relapsed, Status::Exited, d(2019, 2, 1), TODAY),
            Err("date_order")
        );
        assert_eq!(
            status_change(&relapsed, Status::Exited, d(2020, 6, 1), TODAY),
            Ok(())
        );
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
        h.address = String::new();
        h.group_no = Some(100);
        let e = household(&h, TODAY);
        assert_eq!(
            e.for_field("members.1.birth_date"),
            Some("birth_date_mismatch")
        );
        assert_eq!(e.for_field("members.0.name"), Some("name_length"));
        assert_eq!(e.for_field("phone"), Some("phone_format"));
        assert_eq!(e.for_field("exited_on"), Some("exit_before_identified"));
        assert_eq!(e.for_field("address"), Some("address_length"));
        assert_eq!(e.for_field("group_no"), Some("group_range"));
        let mut h = family();
        h.members[0].id_number = None;
        assert_eq!(
            household(&h, TODAY).for_field("members.0.id_number"),
            Some("id_required_for_head")
        );
    }
}
