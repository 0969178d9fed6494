//! Shows an [`AppError`] as a sentence in the current language.
use crate::{error::AppError, i18n::*};
use leptos::prelude::*;

/// A translated, user-facing message for `error` (no internals: the variant is all the client has).
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match &error {
        AppError::NotFound => t_string!(i18n, error.not_found).to_string(),
        AppError::Invalid { reason } => match reason.as_str() {
            "query_empty" => t_string!(i18n, error.reason.query_empty).to_string(),
            "query_digits" => t_string!(i18n, error.reason.query_digits).to_string(),
            "query_mixed" => t_string!(i18n, error.reason.query_mixed).to_string(),
            "control_characters" => t_string!(i18n, error.reason.control_characters).to_string(),
            "category" => t_string!(i18n, error.reason.category).to_string(),
            _ => {
                let reason = reason.clone();
                t_string!(i18n, error.invalid, reason).to_string()
            }
        },
        AppError::QueryTooLong { max } => {
            let max = *max;
            t_string!(i18n, error.query_too_long, max).to_string()
        }
        AppError::Unauthorized => t_string!(i18n, error.unauthorized).to_string(),
        AppError::LoginFailed => t_string!(i18n, error.login_failed).to_string(),
        AppError::Throttled { retry_after } => {
            let minutes = (*retry_after + 59) / 60;
            t_string!(i18n, error.throttled, minutes).to_string()
        }
        AppError::Forbidden => t_string!(i18n, error.forbidden).to_string(),
        AppError::Conflict => t_string!(i18n, error.conflict).to_string(),
        AppError::StaleEdit { by, at } => {
            let (by, at) = (by.clone(), at.clone());
            t_string!(i18n, error.stale_edit, by, at).to_string()
        }
        AppError::Unavailable => t_string!(i18n, error.unavailable).to_string(),
        AppError::Internal => t_string!(i18n, error.internal).to_string(),
        AppError::Request(_) => t_string!(i18n, error.network).to_string(),
    };
    view! { <p class="error" role="alert">{text}</p> }
}
