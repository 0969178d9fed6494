//! `/staff/household/:id` (one household's record and what staff do with it) and
//! `/staff/household/new` (add a household with its members).
mod api;
mod assistance;
mod cases;
mod helper;
mod history;
mod incomes;
mod measures;
mod record;
mod status;
mod visits;

use crate::api::households::new_household_options;
use crate::components::Loaded;
use crate::components::PageTitle;
use crate::components::form::*;
use crate::components::punct::colon;
use crate::{
    components::{ErrorMessage, exit_reason, id_param, status_text},
    error::AppError,
    i18n::*,
    model::{
        codes::{Label, MeasureCategory, Status},
        help::MeasureInput,
        registry::Income,
        staff::StaffRecord,
        validate,
    },
};
use api::*;
use assistance::Assistance;
use cases::Cases;
use chrono::Datelike;
use helper::Helper;
use history::{History, household_history};
use incomes::Incomes;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use measures::Measures;
use record::{Mode, RecordForm, blank_household, form_label};
use status::StatusForm;
use visits::Visits;

/// A sentence in a status line after a successful write.
#[derive(Clone, Copy, PartialEq)]
enum Done {
    Saved(i64),
    Recorded,
}

#[component]
pub fn StaffHouseholdPage() -> impl IntoView {
    let params = use_params_map();
    let i18n = use_i18n();
    // Bumped after each successful write: the page reloads the record (new version, new rows).
    let reload = RwSignal::new(0u32);
    let done = RwSignal::new(None::<Done>);
    let data = Resource::new(
        move || (params.read().get("id"), reload.get()),
        |(raw, _)| async move { load_staff_household(id_param(raw)?).await },
    );
    let history = Resource::new(
        move || (params.read().get("id"), reload.get()),
        |(raw, _)| async move { household_history(id_param(raw)?).await },
    );
    let after_write = Callback::new(move |d: Done| {
        done.set(Some(d));
        reload.update(|n| *n += 1);
    });
    view! {
        {move || done.get().map(|d| view! {
            <p class="saved" role="status">
                {move || match d {
                    Done::Saved(version) => t_string!(i18n, staffhh.saved, version).to_string(),
                    Done::Recorded => t_string!(i18n, form.recorded).to_string(),
                }}
            </p>
        })}
        <Transition fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                data.loaded()
                    .map(|r| match r {
                        Ok(r) => view! { <RecordPage r after_write history /> }.into_any(),
                        Err(AppError::Unauthorized) => view! {
                            <ErrorMessage error=AppError::Unauthorized />
                            <a href="/login">"→ /login"</a>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

type HistoryResource = Resource<Result<Vec<crate::model::staff::AuditEntry>, AppError>>;

#[component]
fn RecordPage(
    r: StaffRecord,
    after_write: Callback<Done>,
    history: HistoryResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let h = r.household.clone();
    let version = h.version;
    let head = h.head().map(|m| m.name.clone()).unwrap_or_default();
    let (status, exit_year, relapse_year) = (
        h.status,
        h.exited_on.map(|d| d.year()),
        h.relapsed_on.map(|d| d.year()),
    );
    let name = head.clone();
    let today = r.today;
    let members: Vec<(i64, String)> = h
        .members
        .iter()
        .filter(|m| m.active)
        .filter_map(|m| Some((m.id?, m.name.clone())))
        .collect();
    view! {
        <PageTitle text=head.clone() />
        <h1 class="page-title">{t!(i18n, staffhh.title, name = move || name.clone())}</h1>
        <p class="muted">
            <a href=format!("/village/{}", h.village_code)>{r.village_name.clone()}</a>
            " · " <span class=format!("badge status-{}", status.as_str())>
                {move || status_text(i18n.get_locale(), status, exit_year, relapse_year)}
            </span>
            " · " {t!(i18n, form.version, version)}
        </p>
        {r.last_change.clone().map(|(by, at)| view! {
            <p class="muted">{t!(i18n, staffhh.last_change, by = move || by.clone(), at = move || at.clone())}</p>
        })}
        {if r.can_edit {
            view! {
                <section aria-labelledby="record-h">
                    <h2 id="record-h">{t!(i18n, form.record)}</h2>
                    <RecordForm household=h.clone() today mode=Mode::Edit
                        on_saved=Callback::new(move |v| after_write.run(Done::Saved(v))) />
                </section>
                {(status != Status::Ordinary).then(|| view! { <StatusForm r=r.clone() after_write /> })}
            }
                .into_any()
        } else {
            ().into_any()
        }}
        <Members r=r.clone() />
        <Incomes r=r.clone() after_write />
        <Helper r=r.clone() after_write />
        <Measures r=r.clone() members=members.clone() after_write />
        <Assistance r=r.clone() members after_write />
        <Cases r=r.clone() />
        <Visits r=r.clone() after_write />
        <History entries=history />
    }
}

/// Members with masked ID numbers; revealing one is an explicit, logged action.
#[component]
fn Members(r: StaffRecord) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.household.id.unwrap_or_default();
    view! {
        <section aria-labelledby="smembers-h">
            <h2 id="smembers-h">{t!(i18n, staffhh.members)}</h2>
            <table class="data">
                <tbody>
                    {r.household
                        .members
                        .into_iter()
                        .map(|m| {
                            let member_id = m.id.unwrap_or_default();
                            let reveal = ServerAction::<RevealId>::new();
                            let masked = m.id_number.clone().unwrap_or_default();
                            view! {
                                <tr class:left=!m.active>
                                    <td>{m.name}</td>
                                    <td>{move || m.relation.label(i18n.get_locale())}</td>
                                    <td class="mono">
                                        {move || match reveal.value().get() {
                                            Some(Ok(full)) => full,
                                            _ => masked.clone(),
                                        }}
                                    </td>
                                    <td>
                                        <button type="button" on:click=move |_| {
                                            reveal.dispatch(RevealId { household_id: id, member_id });
                                        }>{t!(i18n, staffhh.reveal)}</button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The member a measure or an enrolment is for (an empty choice: the whole household).
#[component]
fn MemberSelect(
    members: Vec<(i64, String)>,
    checks: Checks,
    set: Callback<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span class="label">{t!(i18n, form.for_member)}</span>
            <select name="member_id" on:change=move |ev| set.run(event_target_value(&ev).parse().ok())>
                <option value="">{t!(i18n, form.whole_household)}</option>
                {members.into_iter().map(|(mid, name)| view! { <option value=mid>{name}</option> }).collect_view()}
            </select>
            <FieldError checks path="member_id" />
        </label>
    }
}

/// After a small form's request: on success the page reloads (`done` says what to announce); a
/// refused field gets its message beside it.
fn follow(
    outcome: impl Get<Value = Option<Result<i64, AppError>>> + Send + Sync + 'static,
    checks: Checks,
    after_write: Callback<Done>,
    done: fn(i64) -> Done,
) {
    Effect::new(move |_| match outcome.get() {
        Some(Ok(n)) => after_write.run(done(n)),
        Some(Err(e)) => {
            checks.server_error(&e);
        }
        None => {}
    });
}

/// The line under a small form for a refusal that has no field of its own there, with a
/// reload link when the form was stale.
fn refusal_line(
    outcome: impl Get<Value = Option<Result<i64, AppError>>> + Send + Sync + 'static,
    checks: Checks,
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        outcome
            .get()
            .and_then(Result::err)
            .filter(|e| checks.unplaced(e))
            .map(|error| {
                let stale = matches!(error, AppError::StaleEdit { .. });
                view! {
                    <ErrorMessage error />
                    {stale.then(|| view! {
                        <a class="reload" href=format!("/staff/household/{id}") rel="external">{t!(i18n, staffhh.reload)}</a>
                    })}
                }
            })
    }
}

/// `/staff/household/new`: a new household with its members, in a village of the user's scope.
#[component]
pub fn NewHouseholdPage() -> impl IntoView {
    let i18n = use_i18n();
    let options = Resource::new(|| (), |_| new_household_options());
    let navigate = use_navigate();
    let on_saved = Callback::new(move |id: i64| {
        navigate(&format!("/staff/household/{id}"), Default::default())
    });
    view! {
        <PageTitle text=move || t_string!(i18n, form.new_title).to_string() />
        <h1 class="page-title">{t!(i18n, form.new_title)}</h1>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || options.loaded().map(|r| match r {
                Ok(o) => {
                    let first = if o.villages.len() == 1 { o.villages[0].code.clone() } else { String::new() };
                    view! {
                        <RecordForm household=blank_household(first, o.today) today=o.today
                            mode=Mode::New(o.villages) on_saved />
                    }.into_any()
                }
                Err(error) => view! { <ErrorMessage error /> }.into_any(),
            })}
        </Suspense>
    }
}
