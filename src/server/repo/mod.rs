//! Repository layer: every SQL statement the application runs lives under here.
pub mod audit;
pub mod household;
pub mod monitoring;
pub mod notices;
pub mod objections;
pub mod places;
pub mod public;
pub mod records;
pub mod region;
pub mod search;
pub mod stats;
pub mod updates;

/// Who saved a row last and when (Beijing time, to the minute), as a stale write is told: by
/// the name staff know them by (the login name for the command line and removed accounts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedBy {
    pub by: String,
    pub at: String,
}

/// How a write ended: the one outcome of every write that names the version it was based on
/// (a household record and its parts, a monitoring case and its plan, a work update, a notice's
/// decision). Anything but `Ok` wrote nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Stored; the row now has this version.
    Ok { id: i64, version: i64 },
    /// Someone saved first: the row's version now, and who saved it and when, where the row
    /// keeps that (households and cases do).
    Stale {
        current_version: i64,
        by: Option<SavedBy>,
    },
    /// No such row.
    Missing,
    /// A rule only the database can check refused it (an ID already held by another active
    /// person, a member left out of the form, an unknown place, a step out of order …).
    Rejected { field: String, code: &'static str },
    /// The asking role does not own this step.
    Forbidden,
    /// The household does not meet the exit standard (the reasons).
    Refused(Vec<crate::model::rules::ExitReason>),
    /// The clearing check failed (the reasons).
    ClearRefused(Vec<crate::model::monitoring::ClearReason>),
}

impl Saved {
    /// The new `(id, version)`, or the refusal as the error a server function answers with (a
    /// stale write names who saved first where it is known, else it is a plain conflict).
    pub fn written(self) -> Result<(i64, i64), crate::error::AppError> {
        use crate::error::AppError;
        match self {
            Saved::Ok { id, version } => Ok((id, version)),
            Saved::Stale {
                by: Some(SavedBy { by, at }),
                ..
            } => Err(AppError::StaleEdit { by, at }),
            Saved::Stale { by: None, .. } => Err(AppError::Conflict),
            Saved::Missing => Err(AppError::NotFound),
            Saved::Rejected { field, code } => Err(AppError::field(field, code)),
            Saved::Forbidden => Err(AppError::Forbidden),
            Saved::Refused(reasons) => Err(AppError::ExitRefused { reasons }),
            Saved::ClearRefused(reasons) => Err(AppError::ClearRefused { reasons }),
        }
    }

    /// A refusal by a rule: `field` and the message code.
    pub fn rejected(field: &str, code: &'static str) -> Saved {
        Saved::Rejected {
            field: field.into(),
            code,
        }
    }
}

/// Escapes `%`, `_` and `\` so user text is matched literally inside a `LIKE … ESCAPE '\'` pattern.
pub fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(super::like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(super::like_escape("武冈"), "武冈");
    }
}
