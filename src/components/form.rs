//! Form fields for the staff pages: each shows its rule's message beside it, in the current
//! language, as soon as the user has touched it (or tried to submit), and the server's verdict
//! on the same field when the server refuses what the browser could not know.
use crate::{
    components::{ErrorMessage, rule_message},
    error::AppError,
    i18n::*,
    model::{
        codes::{Code, Label},
        validate::FieldErrors,
    },
};
use chrono::NaiveDate;
use leptos::prelude::*;
use std::collections::HashSet;

/// The state of one form's checks.
#[derive(Clone, Copy)]
pub struct Checks {
    /// The shared rules run on the current values (recomputed as the user types).
    pub errors: Memo<FieldErrors>,
    touched: RwSignal<HashSet<String>>,
    submitted: RwSignal<bool>,
    /// A field the server refused (rules only it can check, such as an ID held elsewhere).
    server: RwSignal<Option<(String, String)>>,
    /// The fields this form shows a message beside (each [`FieldError`] registers its own): a
    /// refusal naming any other field is said in the form's general line instead.
    placed: StoredValue<HashSet<String>>,
}

impl Checks {
    pub fn new(errors: Memo<FieldErrors>) -> Self {
        Checks {
            errors,
            touched: RwSignal::new(HashSet::new()),
            submitted: RwSignal::new(false),
            server: RwSignal::new(None),
            placed: StoredValue::new(HashSet::new()),
        }
    }

    /// Notes that the form shows messages for `path` (and the fields below it: `households`
    /// covers `households.3`).
    pub fn place(self, path: &str) {
        self.placed.update_value(|p| {
            p.insert(path.to_string());
        });
    }

    /// Whether `error` has no place beside a field of this form, so the form's general line
    /// must say it: every refusal that is not about one field, and one about a field the form
    /// does not show (the household of a lead, a notice's stage).
    pub fn unplaced(self, error: &AppError) -> bool {
        let AppError::Field { field, .. } = error else {
            return true;
        };
        !self.placed.with_value(|p| {
            p.iter().any(|q| {
                field == q
                    || field
                        .strip_prefix(q.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        })
    }

    pub fn touch(self, path: &str) {
        if !self.touched.with_untracked(|t| t.contains(path)) {
            self.touched.update(|t| {
                t.insert(path.to_string());
            });
        }
        if self.server.with_untracked(Option::is_some) {
            self.server.set(None);
        }
    }

    /// The message code to show beside `path`, if any.
    pub fn shown(self, path: &str) -> Option<String> {
        if let Some(code) = self.server.with(|s| {
            s.as_ref()
                .filter(|(f, _)| f == path)
                .map(|(_, c)| c.clone())
        }) {
            return Some(code);
        }
        let visible = self.submitted.get() || self.touched.with(|t| t.contains(path));
        visible
            .then(|| self.errors.with(|e| e.for_field(path).map(str::to_string)))
            .flatten()
    }

    /// Marks the form submitted (every message shows); `true` when nothing is wrong, so the
    /// request may leave.
    pub fn submit(self) -> bool {
        self.submitted.set(true);
        self.server.set(None);
        self.errors.with_untracked(FieldErrors::is_empty)
    }

    /// Puts a server refusal of one field beside that field; `true` if it was one.
    pub fn server_error(self, error: &AppError) -> bool {
        if let AppError::Field { field, reason } = error {
            self.server.set(Some((field.clone(), reason.clone())));
            return true;
        }
        false
    }
}

/// A form's general line: the server's refusal when no field of this form shows it (a refusal
/// that is not about one field, or about a field the form does not have).
pub fn refusal<T: Clone + Send + Sync + 'static>(
    outcome: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    checks: Checks,
) -> impl IntoView {
    move || {
        outcome
            .get()
            .and_then(Result::err)
            .filter(|e| checks.unplaced(e))
            .map(|error| view! { <ErrorMessage error /> })
    }
}

/// The message span of a field.
#[component]
pub fn FieldError(checks: Checks, #[prop(into)] path: String) -> impl IntoView {
    let i18n = use_i18n();
    checks.place(&path);
    let name = path.clone();
    view! {
        <span class="field-error" role="alert" data-field=name>
            {move || checks.shown(&path).map(|c| rule_message(i18n, &c))}
        </span>
    }
}

/// A text (or date, number, tel) input.
#[component]
pub fn Field(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] path: String,
    #[prop(into)] value: Signal<String>,
    set: Callback<String>,
    checks: Checks,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let p = path.clone();
    let p2 = path.clone();
    let invalid = move || checks.shown(&p).is_some().to_string();
    view! {
        <label class="field">
            <span class="label">{label}</span>
            <input
                type=kind
                name=path.clone()
                inputmode=inputmode
                // The attribute for the server-rendered page, the property once interactive.
                value=move || value.get()
                prop:value=value
                aria-invalid=invalid
                on:input=move |ev| {
                    checks.touch(&p2);
                    set.run(event_target_value(&ev));
                }
            />
            <FieldError checks path />
        </label>
    }
}

/// A choice among a stored enumeration's values, labelled in the current language.
#[component]
pub fn CodeSelect<T>(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] path: String,
    #[prop(into)] value: Signal<Option<T>>,
    set: Callback<Option<T>>,
    checks: Checks,
    /// Offer an empty choice ("—") that sets `None`.
    #[prop(optional)]
    optional: bool,
) -> impl IntoView
where
    T: Code + Label,
{
    let i18n = use_i18n();
    let p = path.clone();
    view! {
        <label class="field">
            <span class="label">{label}</span>
            <select
                name=path.clone()
                on:change=move |ev| {
                    checks.touch(&p);
                    set.run(T::from_code(&event_target_value(&ev)));
                }
            >
                {optional
                    .then(|| view! { <option value="" selected=move || value.get().is_none()>"—"</option> })}
                {T::ALL
                    .iter()
                    .map(|&o| {
                        view! {
                            <option value=o.code() selected=move || value.get() == Some(o)>
                                {move || o.label(i18n.get_locale())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldError checks path />
        </label>
    }
}

/// A yes/no box.
#[component]
pub fn Check(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] name: String,
    #[prop(into)] value: Signal<bool>,
    set: Callback<bool>,
) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                name=name
                prop:checked=value
                on:change=move |ev| set.run(event_target_checked(&ev))
            />
            <span>{label}</span>
        </label>
    }
}

/// Parses a whole number typed into a field; anything else becomes `bad` (which the rules refuse).
pub fn int_or(raw: &str, bad: i64) -> i64 {
    raw.trim().parse().unwrap_or(bad)
}

/// An optional whole number: empty is `None`.
pub fn opt_int(raw: &str) -> Option<i64> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.parse().unwrap_or(0))
}

/// A date from a date input (`YYYY-MM-DD`); empty or unreadable is `None`.
pub fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// Formats an optional date for a date input.
pub fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}
