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

/// How a write that names the version it was based on ended (a household record and its parts,
/// a work update): the one outcome of every versioned write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Stored; the row now has this version.
    Ok { id: i64, version: i64 },
    /// Someone saved first: nothing was written.
    Stale { current_version: i64 },
    /// No such row.
    Missing,
    /// A rule only the database can check refused it (an ID already held by another active
    /// person, a member left out of the form, an unknown place …): nothing was written.
    Rejected { field: String, code: &'static str },
    /// The household does not meet the exit standard (the reasons): nothing was written.
    Refused(Vec<crate::model::rules::ExitReason>),
}

impl Saved {
    /// The new `(id, version)`, or the refusal as the error a server function answers with (a
    /// stale write as a plain conflict; the record page says who saved first instead).
    pub fn written(self) -> Result<(i64, i64), crate::error::AppError> {
        use crate::error::AppError;
        match self {
            Saved::Ok { id, version } => Ok((id, version)),
            Saved::Stale { .. } => Err(AppError::Conflict),
            Saved::Missing => Err(AppError::NotFound),
            Saved::Rejected { field, code } => Err(AppError::field(field, code)),
            Saved::Refused(reasons) => Err(AppError::ExitRefused { reasons }),
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
