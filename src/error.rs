//! The one error type every server function returns.
//!
//! It is shared with the WASM client, which shows each variant as a translated message. Server-side
//! causes (database errors, I/O) are logged where they happen and never serialised: the client only
//! ever sees the variant, so no schema or SQL text can leak to a browser.
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// What went wrong, in terms a user (or an API client) can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    /// The record does not exist, or the caller may not know that it exists.
    #[error("not found")]
    NotFound,
    /// Input failed validation; `reason` is a stable machine-readable code.
    #[error("invalid input: {reason}")]
    Invalid { reason: String },
    /// One field of a form breaks a rule: `field` is its path (`members.0.id_number`), `reason`
    /// the same message code the browser shows for it.
    #[error("invalid {field}: {reason}")]
    Field { field: String, reason: String },
    /// The household does not meet the exit standard, for these reasons.
    #[error("exit refused")]
    ExitRefused {
        reasons: Vec<crate::model::rules::ExitReason>,
    },
    /// A monitored household's risk cannot be cleared yet, for these reasons.
    #[error("clearing refused")]
    ClearRefused {
        reasons: Vec<crate::model::monitoring::ClearReason>,
    },
    /// The query text is longer than allowed.
    #[error("query too long (max {max} characters)")]
    QueryTooLong { max: usize },
    /// Not logged in.
    #[error("login required")]
    Unauthorized,
    /// Wrong username or password (deliberately not saying which).
    #[error("login failed")]
    LoginFailed,
    /// Too many failed logins for this account or address; try again after `retry_after` seconds.
    #[error("too many attempts")]
    Throttled { retry_after: i64 },
    /// Logged in, but the role or region does not allow it.
    #[error("forbidden")]
    Forbidden,
    /// The form was loaded from an older version: someone else saved in between.
    #[error("changed by {by} at {at}")]
    StaleEdit { by: String, at: String },
    /// The record changed since the form was loaded.
    #[error("conflict: the record was changed by someone else")]
    Conflict,
    /// The database is unreachable or overloaded.
    #[error("service unavailable")]
    Unavailable,
    /// The register is being written by a long import (SQLite has one writer at a time): nothing
    /// was done; try again after `retry_after` seconds.
    #[error("busy, retry after {retry_after} s")]
    Busy { retry_after: i64 },
    /// The request body is larger than this endpoint accepts.
    #[error("request too large")]
    TooLarge,
    /// Anything else; the cause is in the server log.
    #[error("internal error")]
    Internal,
    /// The request never reached a server function or its answer could not be read.
    #[error("request failed: {0}")]
    Request(String),
}

impl AppError {
    /// The HTTP status an API client gets for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Invalid { .. }
            | AppError::Field { .. }
            | AppError::ExitRefused { .. }
            | AppError::ClearRefused { .. }
            | AppError::QueryTooLong { .. }
            | AppError::Request(_) => 400,
            AppError::Unauthorized | AppError::LoginFailed => 401,
            AppError::Throttled { .. } => 429,
            AppError::Forbidden => 403,
            AppError::Conflict | AppError::StaleEdit { .. } => 409,
            AppError::Unavailable | AppError::Busy { .. } => 503,
            AppError::TooLarge => 413,
            AppError::Internal => 500,
        }
    }

    /// The first failure of a checked form, or `Ok` when there is none.
    pub fn from_fields(errors: &crate::model::validate::FieldErrors) -> Result<(), AppError> {
        match errors.first() {
            Some(e) => Err(AppError::Field {
                field: e.field.clone(),
                reason: e.code.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Shorthand for one field's failure.
    pub fn field(field: impl Into<String>, reason: impl Into<String>) -> Self {
        AppError::Field {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Seconds a client should wait before trying again (`Retry-After`), where that is known.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            AppError::Throttled { retry_after } | AppError::Busy { retry_after } => {
                Some((*retry_after).max(1))
            }
            _ => None,
        }
    }

    /// Shorthand for a validation failure.
    pub fn invalid(reason: impl Into<String>) -> Self {
        AppError::Invalid {
            reason: reason.into(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed arguments (`page=abc`, a missing field): a 400 with a stable code, never
            // the decoder's own text.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::invalid("bad_arguments")
            }
            other => AppError::Request(other.to_string()),
        }
    }
}

/// What a client is told to wait when the database is busy.
#[cfg(feature = "ssr")]
pub const BUSY_RETRY_SECS: i64 = 10;

/// SQLITE_BUSY or SQLITE_LOCKED, with any extended code (5, 261, 517, 773; 6, 262).
#[cfg(feature = "ssr")]
fn is_sqlite_busy(err: &dyn sqlx::error::DatabaseError) -> bool {
    err.try_downcast_ref::<sqlx::sqlite::SqliteError>()
        .and_then(sqlx::error::DatabaseError::code)
        .and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => AppError::NotFound,
            // SQLite's one writer is taken (a long import) beyond the busy timeout.
            sqlx::Error::Database(ref db) if is_sqlite_busy(db.as_ref()) => {
                tracing::warn!(error = %err, "database busy: answering 503");
                AppError::Busy {
                    retry_after: BUSY_RETRY_SECS,
                }
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::error!(error = %err, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_client_errors_for_client_mistakes() {
        assert_eq!(AppError::invalid("x").status(), 400);
        assert_eq!(AppError::QueryTooLong { max: 40 }.status(), 400);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::Conflict.status(), 409);
        assert_eq!(AppError::Internal.status(), 500);
        assert_eq!(AppError::TooLarge.status(), 413);
        assert_eq!(AppError::Busy { retry_after: 3 }.status(), 503);
        assert_eq!(AppError::Busy { retry_after: 3 }.retry_after(), Some(3));
        assert_eq!(
            AppError::from_server_fn_error(ServerFnErrorErr::Args("invalid digit".into())),
            AppError::invalid("bad_arguments")
        );
    }

    #[test]
    fn serialises_as_a_tagged_code_without_causes() {
        let e = AppError::QueryTooLong { max: 40 };
        let bytes = e.ser();
        assert_eq!(&bytes[..], br#"{"error":"query_too_long","max":40}"#);
        assert_eq!(AppError::de(bytes), e);
    }
}
