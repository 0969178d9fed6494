//! What a monitoring case looks like on the wire: the lead as entered, a step as recorded, a
//! plan line, and the views of the desk and the case page. The same entry rules run in the
//! browser and again on the server.
use super::{Category, Channel, ClearReason, HOME_CHECK_PEOPLE, Risk, Stage, risks_valid};
use crate::model::{
    codes::MeasureCategory,
    transparency::MAX_NOTICE_DAYS,
    validate::{FieldErrors, due_date, past_date, text},
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A lead (线索) as staff enter it: the household, what kind of object it may be, its risks,
/// where the lead came from and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadInput {
    pub household_id: i64,
    pub category: Category,
    pub risks: Vec<Risk>,
    pub channel: Channel,
    /// The department, hotline or person it came from (optional).
    pub source: String,
    pub description: String,
    pub raised_on: NaiveDate,
}

/// A step recorded on a case: the stage it reaches, its date, and what that kind of step needs
/// (people and consent for a home check, the result and reason for a review, the length of a
/// notice). `version` is the case's, as the form read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepInput {
    pub case_id: i64,
    pub version: i64,
    pub stage: Stage,
    pub done_on: NaiveDate,
    /// Reviews: whether it passed. A refusal needs a reason (`note`).
    pub approved: bool,
    /// Home checks: who went (at least two).
    pub people: Vec<String>,
    /// Home checks: the household signed the consent to check its assets (承诺授权书).
    pub consent: bool,
    pub note: String,
    /// Notices: how many days it runs.
    pub notice_days: i64,
    /// Notices: a notice already posted on paper (on the village's board) before the case
    /// reached the system, recorded afterwards (补录) with its own dates. A notice published
    /// here runs from the day it is published; only a paper one may be dated earlier.
    #[serde(default)]
    pub on_paper: bool,
}

impl StepInput {
    /// A notice step recording a notice posted on paper (the flag means nothing on other steps).
    pub fn is_paper_notice(&self) -> bool {
        self.on_paper && self.stage.is_notice()
    }
}

/// The most characters a step's note may hold: a refusal's note is the case's closing reason.
pub const NOTE_MAX: usize = 500;

/// A planned measure (一户一策) as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    pub case_id: i64,
    pub category: MeasureCategory,
    pub member_id: Option<i64>,
    pub name: String,
    pub due_on: NaiveDate,
}

/// The lead's entry rules (the category against the household is the server's, which knows it).
pub fn lead(l: &LeadInput, today: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if !risks_valid(&l.risks) {
        errors.check("risks", Err("risks_count"));
    }
    errors.check("source", text(&l.source, 100, false));
    errors.check("description", text(&l.description, 500, true));
    errors.check("raised_on", past_date(l.raised_on, today));
    errors
}

/// The names of a home check's people: trimmed, empty ones dropped, none twice.
pub fn people(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    out
}

/// A step's entry rules, given the stage the case is at, the day of its last step and the
/// least days a notice runs: each broken rule as (field, message code). The server runs them
/// inside the write; the form shows them as the user types.
pub fn step_problems(
    s: &StepInput,
    at: Stage,
    last_on: NaiveDate,
    min_notice_days: i64,
    today: NaiveDate,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if at.next() != Some(s.stage) {
        out.push(("stage", "stage_order"));
        return out;
    }
    if let Err(code) = past_date(s.done_on, today) {
        out.push(("done_on", code));
    } else if s.done_on < last_on {
        out.push(("done_on", "before_previous"));
    }
    if let Err(code) = text(&s.note, NOTE_MAX, false) {
        out.push(("note", code));
    }
    if s.stage.is_home_check() {
        let names = people(&s.people);
        if names.len() < HOME_CHECK_PEOPLE {
            out.push(("people", "home_check_people"));
        } else if let Some(code) = names
            .iter()
            .find_map(|n| text(n, 20, true).err())
            .or((names.len() > 8).then_some("text_length"))
        {
            out.push(("people", code));
        }
        if !s.consent {
            out.push(("consent", "consent_required"));
        }
    }
    if s.stage.is_review() && !s.approved && s.note.trim().is_empty() {
        out.push(("note", "refusal_reason"));
    }
    if s.stage.is_notice() {
        if !(min_notice_days..=MAX_NOTICE_DAYS).contains(&s.notice_days) {
            out.push(("notice_days", "notice_days_range"));
        }
        // Published here, a notice is public for its whole term: it starts the day it is
        // published. A paper notice recorded afterwards says where and when it was posted.
        if !s.on_paper && s.done_on != today {
            out.push(("done_on", "notice_starts_today"));
        }
        if s.on_paper && s.note.trim().is_empty() {
            out.push(("note", "paper_note_required"));
        }
    }
    out
}

/// [`step_problems`] as a form's field errors.
pub fn step(
    s: &StepInput,
    at: Stage,
    last_on: NaiveDate,
    min_notice_days: i64,
    today: NaiveDate,
) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for (field, code) in step_problems(s, at, last_on, min_notice_days, today) {
        errors.check(field, Err(code));
    }
    errors
}

/// A plan line's entry rules: a name, a due date from a year back to three years ahead.
pub fn plan(p: &PlanInput, today: NaiveDate) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.check("name", text(&p.name, 100, true));
    errors.check("due_on", due_date(p.due_on, today));
    errors
}

/// One case as the desk lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: i64,
    pub household_id: i64,
    pub head_name: String,
    pub village_name: String,
    pub category: Category,
    pub channel: Channel,
    pub stage: Stage,
    pub raised_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    /// 暂不标注 since this date.
    pub held_on: Option<NaiveDate>,
    pub risks: Vec<Risk>,
    /// A monitored case's members able to work whom its plan leaves without a 开发式 measure
    /// (the case page names them).
    pub without_development: u32,
}

/// One recorded step, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StepEntry {
    pub stage: Stage,
    pub done_on: NaiveDate,
    pub actor: String,
    pub approved: bool,
    pub people: String,
    pub consent: bool,
    pub note: String,
    pub notice_id: Option<i64>,
    /// A notice step whose notice was posted on paper and recorded afterwards.
    pub on_paper: bool,
}

/// One line of the plan; `done_on` is the date of the measure that fulfilled it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PlanEntry {
    pub id: i64,
    pub category: MeasureCategory,
    pub member_id: Option<i64>,
    pub member: Option<String>,
    pub name: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// What the next step needs before it may be recorded, as far as the server can tell today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "block", rename_all = "snake_case")]
pub enum NextBlock {
    /// A notice rule (`notice_running`, `objection_open`, …).
    Notice { code: String },
    /// The clearing check's reasons.
    Clearing { reasons: Vec<ClearReason> },
}

/// A case's own fields, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CaseHead {
    pub id: i64,
    pub household_id: i64,
    pub category: Category,
    pub channel: Channel,
    pub source: String,
    pub description: String,
    pub stage: Stage,
    pub raised_on: NaiveDate,
    pub stage_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub monitored_on: Option<NaiveDate>,
    pub clearing_from: Option<NaiveDate>,
    pub cleared_on: Option<NaiveDate>,
    pub spending_resolved_on: Option<NaiveDate>,
    pub held_on: Option<NaiveDate>,
    pub closed_reason: Option<String>,
    pub version: i64,
    pub updated_by: String,
}

/// The case page: the case, its household as staff know it, the timeline, the plan and its
/// measures, the cross-check (what the register already knows), the warnings and the next step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub head: CaseHead,
    pub risks: Vec<Risk>,
    pub household: crate::model::registry::Household,
    pub village_name: String,
    pub steps: Vec<StepEntry>,
    pub plan: Vec<PlanEntry>,
    /// Measures recorded against this case.
    pub measures: Vec<crate::model::help::MeasureEntry>,
    pub incomes: Vec<crate::model::registry::Income>,
    pub assistance: Vec<crate::model::help::AssistanceEntry>,
    /// The monitoring line of the latest income's year, if stored.
    pub line: Option<(i32, i64)>,
    /// Members able to work with no 开发式 measure planned (while monitored).
    pub without_development: Vec<String>,
    /// The next step, if the procedure goes on, and what blocks it today.
    pub next: Option<Stage>,
    pub block: Option<NextBlock>,
    /// Whether the asking staff member's role owns the next step.
    pub may_act: bool,
    /// Least days of the next notice (when the next step is one).
    pub notice_days: i64,
    pub today: NaiveDate,
    pub overdue: bool,
}

/// The desk's filters (each optional); the desk lists open cases only unless `closed` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskFilter {
    #[serde(default)]
    pub category: Option<Category>,
    #[serde(default)]
    pub risk: Option<Risk>,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    pub village: Option<String>,
    #[serde(default)]
    pub stage: Option<Stage>,
    /// Finished cases (cleared, closed) instead of open ones.
    #[serde(default)]
    pub closed: bool,
}

/// A village code as the filters take it: a well-formed place code.
fn is_village_code(v: &str) -> bool {
    crate::model::place::PlaceCode::parse(v).is_some()
}

impl DeskFilter {
    /// Whether the village filter is empty or a village code (anything else names no village).
    pub fn village_well_formed(&self) -> bool {
        self.village
            .as_deref()
            .is_none_or(|v| v.is_empty() || is_village_code(v))
    }

    /// The filter as a query string (codes and digits only: nothing to escape), for the export's
    /// link; [`DeskFilter::from_pairs`] reads it back.
    pub fn query(&self) -> String {
        let mut q: Vec<String> = Vec::new();
        if let Some(c) = self.category {
            q.push(format!("category={}", c.as_str()));
        }
        if let Some(r) = self.risk {
            q.push(format!("risk={}", r.as_str()));
        }
        if let Some(c) = self.channel {
            q.push(format!("channel={}", c.as_str()));
        }
        if let Some(s) = self.stage {
            q.push(format!("stage={}", s.as_str()));
        }
        if let Some(v) = self
            .village
            .as_deref()
            .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
        {
            q.push(format!("village={v}"));
        }
        if self.closed {
            q.push("closed=true".into());
        }
        q.join("&")
    }

    /// The filter of a query string's pairs (a link's or a plain form's): empty values are no
    /// filter; a value that is not a code answers the field's name.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<DeskFilter, &'static str> {
        use crate::model::codes::Code;
        fn code<C: Code>(v: &str, field: &'static str) -> Result<Option<C>, &'static str> {
            if v.is_empty() {
                Ok(None)
            } else {
                C::from_code(v).map(Some).ok_or(field)
            }
        }
        let mut f = DeskFilter::default();
        for (k, v) in pairs {
            let v = v.trim();
            match k {
                "category" => f.category = code(v, "category")?,
                "risk" => f.risk = code(v, "risk")?,
                "channel" => f.channel = code(v, "channel")?,
                "stage" => f.stage = code(v, "stage")?,
                "village" => {
                    if !(v.is_empty() || is_village_code(v)) {
                        return Err("village");
                    }
                    f.village = (!v.is_empty()).then(|| v.to_string());
                }
                "closed" => f.closed = matches!(v, "true" | "1" | "on"),
                _ => {}
            }
        }
        Ok(f)
    }
}

/// The desk: its cases (overdue first), how many match and how many of them are overdue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub rows: Vec<CaseRow>,
    pub total: i64,
    pub overdue: i64,
    pub today: NaiveDate,
}

/// A household's case as its staff record lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CaseBrief {
    pub id: i64,
    pub category: Category,
    pub stage: Stage,
    pub raised_on: NaiveDate,
}
