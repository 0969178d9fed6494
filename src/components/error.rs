//! Shows an [`AppError`] as a sentence in the current language.
use crate::{error::AppError, i18n::*};
use leptos::prelude::*;

/// A translated, user-facing message for `error` (no internals: the variant is all the client has).
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match &error {
        AppError::NotFound => t_string!(i18n, error.not_found).to_string(),
        AppError::Invalid { reason } if rule_message(i18n, reason) != *reason => {
            rule_message(i18n, reason)
        }
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

/// The sentence for a validation rule's message code (see `model::validate`), in the current
/// language; unknown codes are shown as they are.
pub fn rule_message(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    match code {
        "required" => t_string!(i18n, rule.required).to_string(),
        "name_length" => t_string!(i18n, rule.name_length).to_string(),
        "name_chars" => t_string!(i18n, rule.name_chars).to_string(),
        "phone_format" => t_string!(i18n, rule.phone_format).to_string(),
        "id_format" => t_string!(i18n, rule.id_format).to_string(),
        "id_checksum" => t_string!(i18n, rule.id_checksum).to_string(),
        "id_birth_date" => t_string!(i18n, rule.id_birth_date).to_string(),
        "id_future" => t_string!(i18n, rule.id_future).to_string(),
        "id_sex_mismatch" => t_string!(i18n, rule.id_sex_mismatch).to_string(),
        "id_required_for_head" => t_string!(i18n, rule.id_required_for_head).to_string(),
        "birth_date_mismatch" => t_string!(i18n, rule.birth_date_mismatch).to_string(),
        "cause_main_required" => t_string!(i18n, rule.cause_main_required).to_string(),
        "cause_too_many" => t_string!(i18n, rule.cause_too_many).to_string(),
        "cause_repeated" => t_string!(i18n, rule.cause_repeated).to_string(),
        "amount_negative" => t_string!(i18n, rule.amount_negative).to_string(),
        "date_future" => t_string!(i18n, rule.date_future).to_string(),
        "date_too_early" => t_string!(i18n, rule.date_too_early).to_string(),
        "head_missing" => t_string!(i18n, rule.head_missing).to_string(),
        "head_twice" => t_string!(i18n, rule.head_twice).to_string(),
        "id_repeated" => t_string!(i18n, rule.id_repeated).to_string(),
        "exit_before_identified" => t_string!(i18n, rule.exit_before_identified).to_string(),
        "months_range" => t_string!(i18n, rule.months_range).to_string(),
        "address_length" => t_string!(i18n, rule.address_length).to_string(),
        other => other.to_string(),
    }
}
