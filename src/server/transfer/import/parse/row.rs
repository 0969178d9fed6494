//! The cells of one row: its member, its social assistance enrolment, amounts and codes.
use super::*;

/// Reads one row's member; `None` (with the errors) when a cell cannot be read.
pub(super) fn read_member(p: &Parsed, row: u32, errors: &mut Vec<RowError>) -> Option<Member> {
    let before = errors.len();
    let text = move |c: Col| p.cell(row, c).trim();
    let need = |c: Col, errors: &mut Vec<RowError>| {
        let empty = text(c).is_empty();
        if empty {
            errors.push(p.error(row, Some(c), "required"));
        }
        !empty
    };
    need(Col::Name, errors);
    let sex = coded(p, row, Col::Sex, None, errors);
    let id = text(Col::IdNumber).to_uppercase();
    let id_number = (!id.is_empty()).then_some(id);
    let relation = match text(Col::Relation) {
        "" => {
            need(Col::Relation, errors);
            Relation::Other
        }
        v => parse_relation(v).unwrap_or_else(|| {
            errors.push(p.error(row, Some(Col::Relation), "unknown_value"));
            Relation::Other
        }),
    };
    let birth_date = match text(Col::BirthDate) {
        "" => match id_number.as_deref().map(id_number::parse) {
            Some(Ok(info)) => info.birth_date,
            Some(Err(_)) => NaiveDate::MIN, // the ID's own error is reported by the rules
            None => {
                need(Col::BirthDate, errors);
                NaiveDate::MIN
            }
        },
        v => parse_date(v).unwrap_or_else(|| {
            errors.push(p.error(row, Some(Col::BirthDate), "bad_date"));
            NaiveDate::MIN
        }),
    };
    let education = coded(p, row, Col::Education, None, errors);
    let student_status = coded(
        p,
        row,
        Col::StudentStatus,
        Some(StudentStatus::None),
        errors,
    );
    let health = coded(p, row, Col::Health, None, errors);
    let labour = coded(p, row, Col::Labour, None, errors);
    let migrant_months = match text(Col::MigrantMonths) {
        "" => 0,
        v => v.parse().unwrap_or_else(|_| {
            errors.push(p.error(row, Some(Col::MigrantMonths), "bad_number"));
            0
        }),
    };
    let mut yes_no = |c: Col, default: Option<bool>| match text(c) {
        "" => default.unwrap_or_else(|| {
            errors.push(p.error(row, Some(c), "required"));
            false
        }),
        v => parse_yes_no(v).unwrap_or_else(|| {
            errors.push(p.error(row, Some(c), "bad_yes_no"));
            false
        }),
    };
    let medical_insured = yes_no(Col::MedicalInsured, None);
    let pension_insured = yes_no(Col::PensionInsured, Some(false));
    let ethnicity = match text(Col::Ethnicity) {
        "" => "汉族".to_string(),
        v => v.to_string(),
    };
    let cert = text(Col::DisabilityCert);
    (errors.len() == before).then(|| Member {
        id: None,
        name: text(Col::Name).to_string(),
        sex,
        id_number,
        disability_cert: (!cert.is_empty()).then(|| cert.to_string()),
        birth_date,
        relation,
        ethnicity,
        education,
        student_status,
        health,
        labour,
        migrant_months,
        medical_insured,
        pension_insured,
        active: true,
    })
}

/// One row's social assistance enrolment: (covers, kind, start, amount, agency); `None` when the
/// row gives none or a cell of it cannot be read (reported). The amount and the agency are
/// checked later, with the record form's rules, and only for enrolments the register lacks.
pub(super) type RowAid = (Covers, AssistanceKind, NaiveDate, i64, String);

pub(super) fn read_aid(p: &Parsed, row: u32, errors: &mut Vec<RowError>) -> Option<RowAid> {
    const PARTS: [Col; 4] = [
        Col::AssistanceCovers,
        Col::AssistanceSince,
        Col::AssistanceAmount,
        Col::AssistanceAgency,
    ];
    let text = |c: Col| p.cell(row, c).trim();
    let before = errors.len();
    let kind = match text(Col::Assistance) {
        "" => {
            if PARTS.iter().any(|&c| !text(c).is_empty()) {
                errors.push(p.error(row, Some(Col::Assistance), "required"));
            }
            return None;
        }
        v => parse_assistance(v).unwrap_or_else(|| {
            errors.push(p.error(row, Some(Col::Assistance), "unknown_value"));
            AssistanceKind::Dibao
        }),
    };
    let covers = match text(Col::AssistanceCovers) {
        "" => Covers::Household,
        v => Covers::parse(v).unwrap_or_else(|| {
            errors.push(p.error(row, Some(Col::AssistanceCovers), "unknown_value"));
            Covers::Household
        }),
    };
    let start_on = match text(Col::AssistanceSince) {
        "" => {
            errors.push(p.error(row, Some(Col::AssistanceSince), "required"));
            NaiveDate::MIN
        }
        v => parse_date(v).unwrap_or_else(|| {
            errors.push(p.error(row, Some(Col::AssistanceSince), "bad_date"));
            NaiveDate::MIN
        }),
    };
    let amount = match text(Col::AssistanceAmount) {
        "" => 0, // the rules say an amount is required
        v => parse_yuan(v).unwrap_or_else(|| {
            errors.push(p.error(row, Some(Col::AssistanceAmount), "bad_number"));
            0
        }),
    };
    let agency = text(Col::AssistanceAgency).to_string();
    (errors.len() == before).then_some((covers, kind, start_on, amount, agency))
}

/// Whole yuan as a sheet may hold them: `300`, `300.00`, `1,200`.
pub(super) fn parse_yuan(v: &str) -> Option<i64> {
    // "1,200", "1 200", "300元" and "300.00" are whole yuan as people write them.
    let v: String = v
        .trim()
        .trim_end_matches('元')
        .chars()
        .filter(|&c| !matches!(c, ',' | '，' | ' ' | '\u{a0}'))
        .collect();
    let (whole, cents) = v.split_once('.').unwrap_or((&v, ""));
    if whole.is_empty() || !cents.bytes().all(|b| b == b'0') {
        return None;
    }
    whole.parse::<i64>().ok().filter(|n| *n >= 0)
}

/// A coded cell of `row`: its value; when empty, `default` (or, reported as required, the first
/// value); when unknown, reported, the first value.
pub(in super::super) fn coded<C: Code + Label>(
    p: &Parsed,
    row: u32,
    col: Col,
    default: Option<C>,
    errors: &mut Vec<RowError>,
) -> C {
    let mut fail = |code: &str| {
        errors.push(p.error(row, Some(col), code));
        C::ALL[0]
    };
    match p.cell(row, col).trim() {
        "" => default.unwrap_or_else(|| fail("required")),
        v => parse_choice::<C>(v).unwrap_or_else(|| fail("unknown_value")),
    }
}
