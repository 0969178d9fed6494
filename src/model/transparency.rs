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

mod rules;
pub use rules::*;

/// The shortest notice the national procedure allows, and the default length.
pub const MIN_NOTICE_DAYS: i64 = 10;
/// The longest notice a year's setting or a proposal may ask for.
pub const MAX_NOTICE_DAYS: i64 = 60;
/// Days after its end that a monitoring or clearing notice stays public (see [`publicly_shown`]).
pub const CASE_NOTICE_PUBLIC_DAYS: i64 = 30;
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
    /// Posted on paper before the case reached the system, and recorded afterwards (补录).
    pub on_paper: bool,
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
    /// The register's attribute, on an identification or exit notice only: a monitoring notice
    /// names its category in the reason, never a label the household may never have had.
    pub attribute: Option<Attribute>,
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
