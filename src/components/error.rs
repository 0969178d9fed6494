//! Shows an [`AppError`] as a sentence in the current language.
use crate::{error::AppError, i18n::*};
use leptos::prelude::*;

/// A translated, user-facing message for `error` (no internals: the variant is all the client has).
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || error_text(i18n, &error);
    view! { <p class="error" role="alert">{text}</p> }
}

/// Any refusal or failure as one sentence in the reader's language: the one place an error
/// becomes text (never a raw code or English as a fallback; an unknown rule code is wrapped in
/// the translated "invalid" sentence).
pub fn error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &AppError) -> String {
    match error {
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
            "bad_arguments" => t_string!(i18n, error.reason.bad_arguments).to_string(),
            _ => {
                let reason = reason.clone();
                t_string!(i18n, error.invalid, reason).to_string()
            }
        },
        AppError::Field { reason, .. } => rule_message(i18n, reason),
        AppError::ExitRefused { reasons } => {
            let list: Vec<String> = reasons.iter().map(|r| exit_reason(i18n, r)).collect();
            let sep = if i18n.get_locale() == Locale::zh {
                "；"
            } else {
                "; "
            };
            format!("{} {}", t_string!(i18n, exit.refused), list.join(sep))
        }
        AppError::ClearRefused { reasons } => {
            let list: Vec<String> = reasons.iter().map(|r| clear_reason(i18n, r)).collect();
            let sep = if i18n.get_locale() == Locale::zh {
                "；"
            } else {
                "; "
            };
            format!("{} {}", t_string!(i18n, clear.refused), list.join(sep))
        }
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
        AppError::Busy { retry_after } => {
            let seconds = *retry_after;
            t_string!(i18n, error.busy, seconds).to_string()
        }
        AppError::TooLarge => t_string!(i18n, error.too_large).to_string(),
        AppError::Internal => t_string!(i18n, error.internal).to_string(),
        AppError::Request(_) => t_string!(i18n, error.network).to_string(),
    }
}

/// The sentence for a validation rule's message code (see `model::validate`), in the current
/// language; unknown codes are shown as they are.
pub fn rule_message(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    rule_message_in(i18n.get_locale(), code)
}

/// [`rule_message`] in a given language (also outside a page: the command line).
pub fn rule_message_in(locale: Locale, code: &str) -> String {
    match code {
        "required" => td_string!(locale, rule.required).to_string(),
        "name_length" => td_string!(locale, rule.name_length).to_string(),
        "name_chars" => td_string!(locale, rule.name_chars).to_string(),
        "phone_format" => td_string!(locale, rule.phone_format).to_string(),
        "id_format" => td_string!(locale, rule.id_format).to_string(),
        "id_checksum" => td_string!(locale, rule.id_checksum).to_string(),
        "id_birth_date" => td_string!(locale, rule.id_birth_date).to_string(),
        "id_future" => td_string!(locale, rule.id_future).to_string(),
        "id_sex_mismatch" => td_string!(locale, rule.id_sex_mismatch).to_string(),
        "id_required_for_head" => td_string!(locale, rule.id_required_for_head).to_string(),
        "birth_date_mismatch" => td_string!(locale, rule.birth_date_mismatch).to_string(),
        "cause_main_required" => td_string!(locale, rule.cause_main_required).to_string(),
        "cause_too_many" => td_string!(locale, rule.cause_too_many).to_string(),
        "cause_repeated" => td_string!(locale, rule.cause_repeated).to_string(),
        "amount_negative" => td_string!(locale, rule.amount_negative).to_string(),
        "amount_too_large" => td_string!(locale, rule.amount_too_large).to_string(),
        "category_mismatch" => td_string!(locale, rule.category_mismatch).to_string(),
        "case_open" => td_string!(locale, rule.case_open).to_string(),
        "stage_order" => td_string!(locale, rule.stage_order).to_string(),
        "before_previous" => td_string!(locale, rule.before_previous).to_string(),
        "home_check_people" => td_string!(locale, rule.home_check_people).to_string(),
        "consent_required" => td_string!(locale, rule.consent_required).to_string(),
        "refusal_reason" => td_string!(locale, rule.refusal_reason).to_string(),
        "case_not_monitored" => td_string!(locale, rule.case_not_monitored).to_string(),
        "hold_not_applicable" => td_string!(locale, rule.hold_not_applicable).to_string(),
        "plan_done" => td_string!(locale, rule.plan_done).to_string(),
        "risks_count" => td_string!(locale, rule.risks_count).to_string(),
        "notice_kind_case" => td_string!(locale, rule.notice_kind_case).to_string(),
        "causes_ordinary" => td_string!(locale, rule.causes_ordinary).to_string(),
        "amount_required" => td_string!(locale, rule.amount_required).to_string(),
        "amount_not_for_kind" => td_string!(locale, rule.amount_not_for_kind).to_string(),
        "end_before_start" => td_string!(locale, rule.end_before_start).to_string(),
        "assistance_ended" => td_string!(locale, rule.assistance_ended).to_string(),
        "date_future" => td_string!(locale, rule.date_future).to_string(),
        "date_too_early" => td_string!(locale, rule.date_too_early).to_string(),
        "head_missing" => td_string!(locale, rule.head_missing).to_string(),
        "head_twice" => td_string!(locale, rule.head_twice).to_string(),
        "id_repeated" => td_string!(locale, rule.id_repeated).to_string(),
        "exit_before_identified" => td_string!(locale, rule.exit_before_identified).to_string(),
        "months_range" => td_string!(locale, rule.months_range).to_string(),
        "address_length" => td_string!(locale, rule.address_length).to_string(),
        "text_length" => td_string!(locale, rule.text_length).to_string(),
        "year_range" => td_string!(locale, rule.year_range).to_string(),
        "area_range" => td_string!(locale, rule.area_range).to_string(),
        "relocated_date_without" => td_string!(locale, rule.relocated_date_without).to_string(),
        "persons_range" => td_string!(locale, rule.persons_range).to_string(),
        "status_transition" => td_string!(locale, rule.status_transition).to_string(),
        "date_order" => td_string!(locale, rule.date_order).to_string(),
        "group_range" => td_string!(locale, rule.group_range).to_string(),
        "id_taken" => td_string!(locale, rule.id_taken).to_string(),
        "member_missing" => td_string!(locale, rule.member_missing).to_string(),
        "member_not_in_household" => td_string!(locale, rule.member_not_in_household).to_string(),
        "assistance_exists" => td_string!(locale, rule.assistance_exists).to_string(),
        "same_helper" => td_string!(locale, rule.same_helper).to_string(),
        "no_helper" => td_string!(locale, rule.no_helper).to_string(),
        "cadre_unknown" => td_string!(locale, rule.cadre_unknown).to_string(),
        "personal_data" => td_string!(locale, rule.personal_data).to_string(),
        "place_unknown" => td_string!(locale, rule.place_unknown).to_string(),
        "notice_none_chosen" => td_string!(locale, rule.notice_none_chosen).to_string(),
        "notice_too_many" => td_string!(locale, rule.notice_too_many).to_string(),
        "notice_twice" => td_string!(locale, rule.notice_twice).to_string(),
        "notice_start_range" => td_string!(locale, rule.notice_start_range).to_string(),
        "notice_too_short" => td_string!(locale, rule.notice_too_short).to_string(),
        "notice_too_long" => td_string!(locale, rule.notice_too_long).to_string(),
        "notice_household_unknown" => td_string!(locale, rule.notice_household_unknown).to_string(),
        "notice_already_exited" => td_string!(locale, rule.notice_already_exited).to_string(),
        "notice_pending" => td_string!(locale, rule.notice_pending).to_string(),
        "notice_missing" => td_string!(locale, rule.notice_missing).to_string(),
        "notice_running" => td_string!(locale, rule.notice_running).to_string(),
        "objection_open" => td_string!(locale, rule.objection_open).to_string(),
        "notice_finalised" => td_string!(locale, rule.notice_finalised).to_string(),
        "objection_answered" => td_string!(locale, rule.objection_answered).to_string(),
        "answer_wrong" => td_string!(locale, rule.answer_wrong).to_string(),
        "challenge_expired" => td_string!(locale, rule.challenge_expired).to_string(),
        "challenge_used" => td_string!(locale, rule.challenge_used).to_string(),
        "entry_unknown" => td_string!(locale, rule.entry_unknown).to_string(),
        "notice_closed" => td_string!(locale, rule.notice_closed).to_string(),
        "objection_throttled" => td_string!(locale, rule.objection_throttled).to_string(),
        "internal" => td_string!(locale, rule.internal).to_string(),
        "control_chars" => td_string!(locale, rule.control_chars).to_string(),
        "date_too_late" => td_string!(locale, rule.date_too_late).to_string(),
        "notice_days_range" => td_string!(locale, rule.notice_days_range).to_string(),
        "notice_starts_today" => td_string!(locale, rule.notice_starts_today).to_string(),
        "paper_note_required" => td_string!(locale, rule.paper_note_required).to_string(),
        other => other.to_string(),
    }
}

/// One reason a household cannot exit, in the current language.
pub fn exit_reason(
    i18n: leptos_i18n::I18nContext<Locale>,
    reason: &crate::model::rules::ExitReason,
) -> String {
    use crate::model::rules::ExitReason as R;
    match reason.clone() {
        R::NoIncome { year } => t_string!(i18n, exit.no_income, year).to_string(),
        R::NoLine { year } => t_string!(i18n, exit.no_line, year).to_string(),
        R::IncomeBelowLine {
            year,
            per_capita,
            line,
        } => t_string!(i18n, exit.income_below_line, year, per_capita, line).to_string(),
        R::UnsafeWater => t_string!(i18n, exit.unsafe_water).to_string(),
        R::OutOfSchool { member } => t_string!(i18n, exit.out_of_school, member).to_string(),
        R::Uninsured { member } => t_string!(i18n, exit.uninsured, member).to_string(),
        R::UnsafeHousing { grade } => t_string!(i18n, exit.unsafe_housing, grade).to_string(),
    }
}

/// One reason a monitored household's risk cannot be cleared yet, in the current language.
pub fn clear_reason(
    i18n: leptos_i18n::I18nContext<Locale>,
    reason: &crate::model::monitoring::ClearReason,
) -> String {
    use crate::model::monitoring::ClearReason as R;
    match reason.clone() {
        R::NoIncome { year } => t_string!(i18n, clear.no_income, year).to_string(),
        R::NoLine { year } => t_string!(i18n, clear.no_line, year).to_string(),
        R::IncomeNotAbove {
            year,
            counted,
            line,
        } => t_string!(i18n, clear.income_not_above, year, counted, line).to_string(),
        R::Security(e) => exit_reason(i18n, &e),
        R::SpendingUnresolved => t_string!(i18n, clear.spending_unresolved).to_string(),
        R::LivesOnSupport => t_string!(i18n, clear.lives_on_support).to_string(),
    }
}

/// The message for an import code in the current language (the form rules' codes included).
pub fn import_message(i18n: leptos_i18n::I18nContext<Locale>, code: &str) -> String {
    import_message_in(i18n.get_locale(), code)
}

/// [`import_message`] in a given language (the command line prints it too).
pub fn import_message_in(locale: Locale, code: &str) -> String {
    let s = match code {
        "file_empty" => td_string!(locale, import.err.file_empty),
        "file_encoding" => td_string!(locale, import.err.file_encoding),
        "file_unreadable" => td_string!(locale, import.err.file_unreadable),
        "file_no_sheet" => td_string!(locale, import.err.file_no_sheet),
        "file_too_many_rows" => td_string!(locale, import.err.file_too_many_rows),
        "file_no_rows" => td_string!(locale, import.err.file_no_rows),
        "column_twice" => td_string!(locale, import.err.column_twice),
        "column_missing" => td_string!(locale, import.err.column_missing),
        "unknown_value" => td_string!(locale, import.err.unknown_value),
        "bad_date" => td_string!(locale, import.err.bad_date),
        "bad_number" => td_string!(locale, import.err.bad_number),
        "bad_yes_no" => td_string!(locale, import.err.bad_yes_no),
        "household_conflict" => td_string!(locale, import.err.household_conflict),
        "household_too_large" => td_string!(locale, import.err.household_too_large),
        "village_unknown" => td_string!(locale, import.err.village_unknown),
        "village_mismatch" => td_string!(locale, import.err.village_mismatch),
        "village_ambiguous" => td_string!(locale, import.err.village_ambiguous),
        "village_out_of_scope" => td_string!(locale, import.err.village_out_of_scope),
        "village_differs" => td_string!(locale, import.err.village_differs),
        "id_in_file_twice" => td_string!(locale, import.err.id_in_file_twice),
        "id_other_household" => td_string!(locale, import.err.id_other_household),
        "id_ambiguous" => td_string!(locale, import.err.id_ambiguous),
        "head_id_mismatch" => td_string!(locale, import.err.head_id_mismatch),
        "status_differs" => td_string!(locale, import.err.status_differs),
        "status_dates" => td_string!(locale, import.err.status_dates),
        "import_has_errors" => td_string!(locale, import.err.import_has_errors),
        "file_format" => td_string!(locale, import.err.file_format),
        "file_too_many_cells" => td_string!(locale, import.err.file_too_many_cells),
        "file_too_large" => td_string!(locale, import.err.file_too_large),
        "file_row_too_wide" => td_string!(locale, import.err.file_row_too_wide),
        "export_filter_required" => td_string!(locale, import.err.export_filter_required),
        "export_too_many" => td_string!(locale, import.err.export_too_many),
        "export_filter_invalid" => td_string!(locale, import.err.export_filter_invalid),
        "import_started" => td_string!(locale, import.err.import_started),
        "changed_during_import" => td_string!(locale, import.err.changed_during_import),
        "id_taken" => td_string!(locale, import.err.id_taken),
        "internal" => td_string!(locale, import.err.internal),
        other => return rule_message_in(locale, other),
    };
    s.to_string()
}
