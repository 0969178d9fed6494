//! The data-entry rules, one copy for both sides: the WASM forms run them as the user types and on
//! submit, and the server runs them again on every write, so a request that bypasses the browser
//! is refused with the same field and the same message code.
//!
//! Each failure names the field (`members.2.id_number`) and a stable code (`id_checksum`); the
//! forms translate the code into the current language.
use super::{
    codes::{AssistanceKind, Relation, Status},
    help::{AssistanceInput, MeasureInput},
    id_number,
    registry::{Household, Housing, Income, Member},
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

mod values;
pub use values::*;

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
        ("spending", i.spending),
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

/// A social assistance enrolment: a start in range, the approving agency, and the amount its
/// kind is paid in (monthly for 低保 and 特困供养, once for 临时救助), never both.
pub fn assistance(a: &AssistanceInput, today: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.check("start_on", past_date(a.start_on, today));
    errors.check("agency", text(&a.agency, 100, true));
    errors.check("monthly_amount", amount(a.monthly_amount));
    errors.check("lump_sum", amount(a.lump_sum));
    let (paid, unused) = match a.kind {
        AssistanceKind::Temporary => (
            ("lump_sum", a.lump_sum),
            ("monthly_amount", a.monthly_amount),
        ),
        AssistanceKind::Dibao | AssistanceKind::Tekun => (
            ("monthly_amount", a.monthly_amount),
            ("lump_sum", a.lump_sum),
        ),
    };
    if paid.1 == 0 {
        errors.check(paid.0, Err("amount_required"));
    }
    if unused.1 > 0 {
        errors.check(unused.0, Err("amount_not_for_kind"));
    }
    errors
}

/// The end of an enrolment that started on `start_on`: in range, not before its start.
pub fn assistance_end(
    start_on: NaiveDate,
    end_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), &'static str> {
    past_date(end_on, today)?;
    if end_on < start_on {
        return Err("end_before_start");
    }
    Ok(())
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
    errors.check(format!("{path}.ethnicity"), text(&m.ethnicity, 100, false));
    if let Some(cert) = &m.disability_cert {
        errors.check(format!("{path}.disability_cert"), text(cert, 100, false));
    }
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
    for (field, value) in [
        ("bank_name", &h.bank_name),
        ("bank_account", &h.bank_account),
    ] {
        if let Some(v) = value {
            errors.check(field, text(v, 100, false));
        }
    }
    if h.status == Status::Ordinary {
        // An ordinary household was never registered: it has no causes of poverty, no exit.
        if !h.causes.is_empty() {
            errors.check("causes", Err("causes_ordinary"));
        }
    } else {
        errors.check("causes", causes(&h.causes));
    }
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
mod tests;
