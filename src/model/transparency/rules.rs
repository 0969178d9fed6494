//! The rules of updates, notices and objections, run in the browser and again on the server.
use super::*;

/// The last day of a notice that starts on `starts_on` and runs `days` days (both ends included).
pub fn notice_end(starts_on: NaiveDate, days: i64) -> NaiveDate {
    starts_on
        .checked_add_days(Days::new(days.max(1) as u64 - 1))
        .unwrap_or(starts_on)
}

/// Whether a notice ending on `ends_on` still runs on `today`.
pub fn notice_runs(starts_on: NaiveDate, ends_on: NaiveDate, today: NaiveDate) -> bool {
    starts_on <= today && today <= ends_on
}

/// Whether the public may still read a notice of `kind` that ended on `ends_on`: the register's
/// identification and exit notices stay as the campaign's record; a monitoring or clearing
/// notice names a household at risk, and leaves the public list and its page
/// [`CASE_NOTICE_PUBLIC_DAYS`] days after it ends.
pub fn publicly_shown(kind: NoticeKind, ends_on: NaiveDate, today: NaiveDate) -> bool {
    kind.is_register()
        || ends_on
            .checked_add_days(Days::new(CASE_NOTICE_PUBLIC_DAYS as u64))
            .is_none_or(|last| today <= last)
}

/// Why an identification or exit cannot be finalised yet, as a message code; `None` when it can.
/// `open_objections` counts the unanswered objections on the household's entry.
pub fn finalise_block(
    entry: Option<(EntryState, NaiveDate)>,
    open_objections: i64,
    today: NaiveDate,
) -> Option<&'static str> {
    match entry {
        None => Some("notice_missing"),
        Some((EntryState::Finalised, _)) => Some("notice_finalised"),
        Some((EntryState::Withdrawn, _)) => Some("notice_missing"),
        Some((EntryState::Proposed, ends_on)) if today <= ends_on => Some("notice_running"),
        Some(_) if open_objections > 0 => Some("objection_open"),
        Some(_) => None,
    }
}

/// Something personal that must not be published: an 18-digit ID or an 11-digit mobile number
/// (or any longer run of digits, such as a bank account), however it is written: full-width or
/// mathematical digits, and up to three separators between groups — any space (no-break, thin,
/// ideographic, tab), zero-width characters, hyphens and dashes of every kind, dots, slashes,
/// commas, brackets (`138 1234 5678`, `138-1234-5678`, `(138)1234-5678`, `１３８１２３４５６７８`,
/// `430581 19800101 123X`, `430581--19800101--123X`) — count as one number.
pub fn personal_data(value: &str) -> Result<(), &'static str> {
    let mut run = 0usize;
    let mut gap = 0usize;
    for c in value.chars().map(half_width).chain(std::iter::once('\0')) {
        if c.is_ascii_digit() || (run == 17 && c == 'X') {
            run += 1;
            gap = 0;
        } else if gap < 3 && is_separator(c) {
            // Leading brackets count too: `(138)1234 5678`.
            gap += 1;
        } else {
            if run >= 11 {
                return Err("personal_data");
            }
            run = 0;
            gap = 0;
        }
    }
    Ok(())
}

/// What people put between the groups of a long number.
pub(super) fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '.' | '/' | ',' | '(' | ')' | '[' | ']' | '_' | '·' | '（' | '）'
                | '\u{2010}'..='\u{2015}'
                | '\u{2212}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
                | '\u{00AD}'
        )
}

/// Digits of other widths and styles as ASCII digits, the letter X in any form as `X`.
pub(super) fn half_width(c: char) -> char {
    let u = c as u32;
    match c {
        '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (u - 0xFF10) as u8),
        // Mathematical bold, double-struck, sans-serif, monospace digits (𝟏𝟑𝟖…).
        '\u{1D7CE}'..='\u{1D7FF}' => char::from(b'0' + ((u - 0x1D7CE) % 10) as u8),
        'x' | '\u{FF38}' | '\u{FF58}' | '\u{00D7}' => 'X',
        '\u{FF0D}' => '-',
        _ => c,
    }
}

/// The rules of the update form: a title and a body of bounded length without personal data, and
/// a date not in the future.
pub fn update_form(f: &UpdateForm, today: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.check(
        "title",
        text(&f.title, TITLE_MAX, true).and_then(|_| personal_data(&f.title)),
    );
    errors.check(
        "body",
        text(&f.body, BODY_MAX, true).and_then(|_| personal_data(&f.body)),
    );
    errors.check(
        "happened_on",
        match f.happened_on {
            None => Err("required"),
            Some(d) => past_date(d, today),
        },
    );
    if let Some(p) = &f.place_code
        && crate::model::place::PlaceCode::parse(p).is_none()
    {
        errors.check("place_code", Err("place_unknown"));
    }
    errors
}

/// The rules of a proposal: households chosen (each once, with a reason without personal data),
/// a start no more than 30 days back or ahead, and at least `min_days` days (the year's setting).
pub fn propose_form(f: &ProposeForm, min_days: i64, today: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if !f.kind.is_register() {
        errors.check("kind", Err("notice_kind_case"));
    }
    if f.households.is_empty() {
        errors.check("households", Err("notice_none_chosen"));
    }
    if f.households.len() > PROPOSE_MAX {
        errors.check("households", Err("notice_too_many"));
    }
    for (i, h) in f.households.iter().enumerate() {
        if f.households[..i]
            .iter()
            .any(|o| o.household_id == h.household_id)
        {
            errors.check(format!("households.{i}"), Err("notice_twice"));
        }
        errors.check(
            format!("households.{i}.reason"),
            text(&h.reason, REASON_MAX, true).and_then(|_| personal_data(&h.reason)),
        );
    }
    errors.check(
        "starts_on",
        match f.starts_on {
            None => Err("required"),
            Some(d) if (d - today).num_days().abs() > 30 => Err("notice_start_range"),
            Some(_) => Ok(()),
        },
    );
    if f.days < min_days {
        errors.check("days", Err("notice_too_short"));
    } else if f.days > MAX_NOTICE_DAYS {
        errors.check("days", Err("notice_too_long"));
    }
    errors
}

/// An objection as the public files it.
pub fn objection(reason: &str, contact: &str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.check("reason", text(reason, OBJECTION_MAX, true));
    errors.check("contact", text(contact, CONTACT_MAX, false));
    errors
}

/// Staff's answer to an objection: published, so no personal data.
pub fn answer(text_: &str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.check(
        "answer",
        text(text_, ANSWER_MAX, true).and_then(|_| personal_data(text_)),
    );
    errors
}
