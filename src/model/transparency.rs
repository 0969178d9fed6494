//! Work updates (工作动态) and public notices (公示) with objections: the shapes both sides share,
//! and the rules the forms check in the browser and the server checks again.
use super::{
    codes::{
        Attribute, EntryState, MeasureCategory, NoticeKind, ObjectionOutcome, Status, UpdateState,
    },
    validate::{FieldErrors, past_date, text},
};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The shortest notice the national procedure allows, and the default length.
pub const MIN_NOTICE_DAYS: i64 = 10;
/// The longest notice a year's setting or a proposal may ask for.
pub const MAX_NOTICE_DAYS: i64 = 60;
/// Longest title and body of a work update, in characters.
pub const TITLE_MAX: usize = 80;
pub const BODY_MAX: usize = 4000;
/// Longest reason on a notice, objection and answer, and a contact.
pub const REASON_MAX: usize = 200;
pub const OBJECTION_MAX: usize = 1000;
pub const ANSWER_MAX: usize = 1000;
pub const CONTACT_MAX: usize = 60;
/// Households one proposal may put on notice at once.
pub const PROPOSE_MAX: usize = 200;

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
fn is_separator(c: char) -> bool {
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
fn half_width(c: char) -> char {
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

/// A work update as staff write it. `id` is `None` for a new one; `version` is the one the form
/// was loaded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UpdateForm {
    pub id: Option<i64>,
    pub version: i64,
    pub title: String,
    pub body: String,
    pub happened_on: Option<NaiveDate>,
    /// A township or village code; `None` for the whole city.
    pub place_code: Option<String>,
    pub measure_category: Option<MeasureCategory>,
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
        && (p.len() != 12 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        errors.check("place_code", Err("place_unknown"));
    }
    errors
}

/// One household a proposal puts on notice, with the reason shown publicly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedHousehold {
    pub household_id: i64,
    pub reason: String,
}

/// Staff propose households for identification or exit: one notice per village is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposeForm {
    pub kind: NoticeKind,
    pub households: Vec<ProposedHousehold>,
    pub starts_on: Option<NaiveDate>,
    pub days: i64,
}

/// The rules of a proposal: households chosen (each once, with a reason without personal data),
/// a start no more than 30 days back or ahead, and at least `min_days` days (the year's setting).
pub fn propose_form(f: &ProposeForm, min_days: i64, today: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
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

/// A published update as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateItem {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub happened_on: NaiveDate,
    pub place: Option<Place>,
    /// The linked measures of the tagged place in the update's year, in aggregate.
    pub measures: Option<MeasureAggregate>,
    /// Edited after it was first published (the history is kept).
    pub edited: bool,
}

/// A township or village, with its township's name for villages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub township: Option<(String, String)>,
}

/// Measures of one category in a place and year: counts and money, never who received them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureAggregate {
    pub category: MeasureCategory,
    pub year: i32,
    pub measures: i64,
    pub amount: i64,
    /// The dashboard for that year (and township).
    pub href: String,
}

/// One page of `/updates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateList {
    pub items: Vec<UpdateItem>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// An update as staff manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffUpdate {
    pub form: UpdateForm,
    pub state: UpdateState,
    pub author: String,
    pub updated_at: String,
    pub place_name: Option<String>,
}

/// One saved version of an update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateRevision {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub happened_on: NaiveDate,
    pub place_code: Option<String>,
    pub edited_by: String,
    pub edited_at: String,
}

/// A notice in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct NoticeBrief {
    pub id: i64,
    pub kind: NoticeKind,
    pub village_code: String,
    pub village_name: String,
    pub township_name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub households: i64,
    pub objections: i64,
    pub open_objections: i64,
}

/// A household on a notice as the public sees it: de-identified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicEntry {
    pub id: i64,
    pub head_name: String,
    /// The householder's ID number, masked.
    pub id_masked: String,
    pub group_no: Option<i64>,
    pub persons: i64,
    pub attribute: Attribute,
    pub reason: String,
    pub state: EntryState,
}

/// An objection as published: against which household, when, and the answer once given (the
/// objector's text and contact stay with staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicObjection {
    pub id: i64,
    pub entry_id: i64,
    pub head_name: String,
    pub filed_on: NaiveDate,
    pub outcome: Option<ObjectionOutcome>,
    pub answer: Option<String>,
    pub answered_on: Option<NaiveDate>,
}

/// The question an objection form asks (anti-abuse), with its signed token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub a: i64,
    pub b: i64,
    pub token: String,
}

/// `/notices/:id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicNotice {
    pub notice: NoticeBrief,
    pub entries: Vec<PublicEntry>,
    pub objections: Vec<PublicObjection>,
    pub today: NaiveDate,
    /// Present while the notice runs.
    pub challenge: Option<Challenge>,
}

/// A household on a notice as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEntry {
    pub id: i64,
    pub household_id: i64,
    pub head_name: String,
    pub group_no: Option<i64>,
    pub reason: String,
    pub state: EntryState,
    pub status: Status,
    pub version: i64,
    pub decided_on: Option<NaiveDate>,
}

/// An objection as staff see it, contact included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffObjection {
    pub id: i64,
    pub entry_id: i64,
    pub head_name: String,
    pub reason: String,
    pub contact: Option<String>,
    pub filed_at: String,
    pub outcome: Option<ObjectionOutcome>,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
}

/// A notice on the staff page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffNotice {
    pub notice: NoticeBrief,
    pub entries: Vec<StaffEntry>,
    pub objections: Vec<StaffObjection>,
}

/// What waits for staff in their scope (the dashboard's staff view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Waiting {
    pub running_notices: i64,
    pub open_objections: i64,
    /// Households whose notice ended without open objections, not yet finalised.
    pub ready: i64,
    pub drafts: i64,
}

/// A township and its villages (code, name), for the place filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownshipVillages {
    pub code: String,
    pub name: String,
    pub villages: Vec<(String, String)>,
}

/// One village's progress on its township's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct VillageProgress {
    pub code: String,
    pub name: String,
    pub households: i64,
    pub poor_households: i64,
    pub poor_persons: i64,
    pub rural_population: Option<i64>,
}

/// `/township/:code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicTownship {
    pub code: String,
    pub name: String,
    pub villages: Vec<VillageProgress>,
}

/// What the village and township pages show of the work there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceNews {
    pub updates: Vec<UpdateItem>,
    pub notices: Vec<NoticeBrief>,
}

#[cfg(test)]
mod tests;
