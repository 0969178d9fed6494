//! What an import reports (its dry run and its progress) and what an export is filtered by.
use super::{Col, normalize_header};
use serde::{Deserialize, Serialize};

/// One thing wrong in a file, where the user will look for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// Spreadsheet row (the header is row 1); 0 for the file as a whole.
    pub row: u32,
    /// The column, when one cell is at fault.
    pub col: Option<Col>,
    /// The cell's text as found (ID numbers masked).
    pub value: String,
    /// Message code (the form rules' codes, plus the import's own).
    pub code: String,
}

/// Counts of what an import does (or did).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub households_new: u32,
    pub households_updated: u32,
    pub households_unchanged: u32,
    pub members_new: u32,
    pub members_updated: u32,
    pub members_unchanged: u32,
    /// Social assistance enrolments the register does not hold yet.
    pub assistance_new: u32,
}

/// Whom a social assistance enrolment in the file covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covers {
    /// 全户: the whole household (the default).
    Household,
    /// 本人: the member of the row.
    Member,
}

impl Covers {
    pub const ALL: &'static [Covers] = &[Covers::Household, Covers::Member];

    /// (Chinese, English) labels.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Covers::Household => ("全户", "whole household"),
            Covers::Member => ("本人", "this member"),
        }
    }

    /// Reads a cell: either label, or the words registers use (户, 个人…).
    pub fn parse(cell: &str) -> Option<Covers> {
        let v = normalize_header(cell);
        Covers::ALL
            .iter()
            .copied()
            .find(|c| {
                let (zh, en) = c.labels();
                normalize_header(zh) == v || normalize_header(en) == v
            })
            .or(match v.as_str() {
                "户" | "整户" | "household" => Some(Covers::Household),
                "个人" | "单人" | "member" | "self" => Some(Covers::Member),
                _ => None,
            })
    }
}

/// The dry run's answer: what the file would do, or every row at fault.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    pub file_name: String,
    /// Detected encoding or format (`UTF-8`, `GB18030`, `XLSX`).
    pub format: String,
    /// Data rows read (header excluded).
    pub rows: u32,
    /// Headers that name no column of the template (ignored).
    pub ignored_columns: Vec<String>,
    pub counts: Counts,
    /// Errors in file order (at most [`MAX_ERRORS`]; `more_errors` counts the rest).
    pub errors: Vec<RowError>,
    pub more_errors: u32,
    /// Names the checked upload for the confirmation (absent when there are errors).
    pub token: Option<String>,
}

/// Errors listed at most in a report.
pub const MAX_ERRORS: usize = 500;
/// Data rows accepted in one file.
pub const MAX_ROWS: usize = 500_000;
/// Most members one household of a file may have: far above any real household, and it keeps
/// every check within a household small (a file of one household with 500,000 members is refused
/// row by row instead of compared member by member).
pub const MAX_HOUSEHOLD_MEMBERS: usize = 50;

/// Where a confirmed import stands, as the page polls it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportProgress {
    /// Checking the file again against the register (inside the import's transaction).
    Checking,
    /// Writing: households done of total.
    Writing { done: u32, total: u32 },
    /// Committed.
    Done(Counts),
    /// Rolled back: nothing was written (the errors found, or a reason code).
    Failed {
        reason: String,
        errors: Vec<RowError>,
    },
}

/// Filters of a household list export (the same ones the lists offer); each may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportFilter {
    /// A name or its beginning, pinyin or initials.
    pub q: Option<String>,
    pub township: Option<String>,
    pub village: Option<String>,
    pub status: Option<String>,
    /// Register households only: set by the public export, never read from a request.
    #[serde(skip)]
    pub register_only: bool,
}
