//! `/staff/household/:id` (one household's record and what staff do with it) and
//! `/staff/household/new` (add a household with its members).
mod api;
mod record;

use crate::components::PageTitle;
use crate::components::form::*;
use crate::components::punct::colon;
use crate::pages::staff::login::new_household_options;
use crate::{
    components::{ErrorMessage, exit_reason, id_param, status_text},
    error::AppError,
    i18n::*,
    model::{
        codes::{Label, MeasureCategory, Status},
        registry::Income,
        staff::{MeasureInput, StaffRecord},
        validate,
    },
};
use api::*;
use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use record::{Mode, RecordForm, blank_household, form_label};

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
                data.get()
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
                <StatusForm r=r.clone() after_write />
            }
                .into_any()
        } else {
            ().into_any()
        }}
        <Members r=r.clone() />
        <Incomes r=r.clone() after_write />
        <Helper r=r.clone() after_write />
        <Measures r=r.clone() members=members after_write />
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

/// The line under a small form for a refusal that is not about one field, with a reload link
/// when the form was stale.
fn refusal_line(
    outcome: impl Get<Value = Option<Result<i64, AppError>>> + Send + Sync + 'static,
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        outcome
            .get()
            .and_then(Result::err)
            .filter(|e| !matches!(e, AppError::Field { .. }))
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

/// Mark exit (poor or relapsed → exited) or relapse (exited → relapsed), with its date.
#[component]
fn StatusForm(r: StaffRecord, after_write: Callback<Done>) -> impl IntoView {
    let i18n = use_i18n();
    let check = r.exit_check.clone();
    let h = r.household;
    let id = h.id.unwrap_or_default();
    let version = h.version;
    let to = if h.status == Status::Exited {
        Status::Relapsed
    } else {
        Status::Exited
    };
    let on = RwSignal::new(Some(r.today));
    let today = r.today;
    let errors = Memo::new(move |_| {
        let mut e = validate::FieldErrors::default();
        match on.get() {
            Some(d) => e.check("on", validate::status_change(&h, to, d, today)),
            None => e.check("on", Err("required")),
        }
        e
    });
    let checks = Checks::new(errors);
    let action = ServerAction::<SetStatus>::new();
    follow(action.value(), checks, after_write, Done::Saved);
    view! {
        <section aria-labelledby="status-h">
            <h2 id="status-h">{t!(i18n, form.status_heading)}</h2>
            {check.map(|reasons| view! {
                <div class="exit-check">
                    <h3>{t!(i18n, exit.check)}</h3>
                    {if reasons.is_empty() {
                        view! { <p class="saved">{t!(i18n, exit.passes)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="reasons">
                                {reasons.into_iter().map(|r| view! { <li>{move || exit_reason(i18n, &r)}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </div>
            })}
            <form class="inline" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if checks.submit() && let Some(on) = on.get_untracked() {
                    action.dispatch(SetStatus { household_id: id, version, status: to, on });
                }
            }>
                <Field label=Signal::derive(move || form_label(i18n, "on_date")) path="on" kind="date" checks
                    value=Signal::derive(move || date_text(on.get()))
                    set=Callback::new(move |v: String| on.set(date(&v))) />
                <button type="submit" class="primary" name="set_status" value=to.as_str()>
                    {move || if to == Status::Exited { t_string!(i18n, form.mark_exited) } else { t_string!(i18n, form.mark_relapsed) }}
                </button>
                {refusal_line(action.value(), id)}
            </form>
        </section>
    }
}

/// Yearly incomes, and (for editors) a form for one year's figures.
#[component]
fn Incomes(r: StaffRecord, after_write: Callback<Done>) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.household.id.unwrap_or_default();
    let version = r.household.version;
    let today = r.today;
    let persons = r.household.members.iter().filter(|m| m.active).count() as i64;
    let draft = RwSignal::new(Income {
        year: i64::from(today.year()),
        persons: persons.max(1),
        wages: 0,
        business: 0,
        transfer: 0,
        property: 0,
        costs: 0,
        net_income: None,
        per_capita: None,
    });
    let checks = Checks::new(Memo::new(move |_| {
        draft.with(|d| validate::income(d, today))
    }));
    let action = ServerAction::<SaveIncome>::new();
    follow(action.value(), checks, after_write, Done::Saved);
    let num = move |key: &'static str, get: fn(&Income) -> i64, put: fn(&mut Income, i64)| {
        view! {
            <Field label=Signal::derive(move || form_label(i18n, key)) path=key kind="number" checks
                value=Signal::derive(move || draft.with(|d| get(d).to_string()))
                set=Callback::new(move |v: String| draft.update(|d| put(d, int_or(&v, -1)))) />
        }
    };
    view! {
        <section aria-labelledby="incomes-h">
            <h2 id="incomes-h">{t!(i18n, form.incomes)}</h2>
            {if r.incomes.is_empty() {
                view! { <p class="empty">{t!(i18n, form.no_incomes)}</p> }.into_any()
            } else {
                view! {
                    <table class="data incomes">
                        <thead><tr>
                            <th>{t!(i18n, form.year)}</th><th>{t!(i18n, form.persons)}</th>
                            <th>{t!(i18n, form.net)}</th><th>{t!(i18n, form.per_capita)}</th>
                        </tr></thead>
                        <tbody>
                            {r.incomes.iter().map(|i| view! {
                                <tr>
                                    <td>{i.year}</td><td>{i.persons}</td>
                                    <td class="num">{i.net_income.unwrap_or_default()}</td>
                                    <td class="num">{i.per_capita.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {r.can_edit.then(|| view! {
                <form class="inline income" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    if checks.submit() {
                        action.dispatch(SaveIncome { household_id: id, version, income: draft.get_untracked() });
                    }
                }>
                    {num("year", |d| d.year, |d, v| d.year = v)}
                    {num("persons", |d| d.persons, |d, v| d.persons = v)}
                    {num("wages", |d| d.wages, |d, v| d.wages = v)}
                    {num("business", |d| d.business, |d, v| d.business = v)}
                    {num("transfer", |d| d.transfer, |d, v| d.transfer = v)}
                    {num("property", |d| d.property, |d, v| d.property = v)}
                    {num("costs", |d| d.costs, |d, v| d.costs = v)}
                    <button type="submit" name="save_income">{t!(i18n, form.save_income)}</button>
                    {refusal_line(action.value(), id)}
                </form>
            })}
        </section>
    }
}

/// The current helper, and (for editors) handing the household to another one.
#[component]
fn Helper(r: StaffRecord, after_write: Callback<Done>) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.household.id.unwrap_or_default();
    let version = r.household.version;
    let today = r.today;
    let query = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<i64>);
    let start = RwSignal::new(Some(today));
    let found = Resource::new(
        move || query.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                find_cadres(q).await
            }
        },
    );
    let checks = Checks::new(Memo::new(move |_| {
        let mut e = validate::FieldErrors::default();
        if chosen.get().is_none() {
            e.check("cadre_id", Err("required"));
        }
        match start.get() {
            Some(d) => e.check("start_on", validate::past_date(d, today)),
            None => e.check("start_on", Err("required")),
        }
        e
    }));
    let action = ServerAction::<ChangeHelper>::new();
    follow(action.value(), checks, after_write, Done::Saved);
    view! {
        <section aria-labelledby="helper-h">
            <h2 id="helper-h">{t!(i18n, form.helper)}</h2>
            <p class="current-helper">
                {match r.helper.clone() {
                    Some(c) => format!("{}（{}）", c.name, c.unit),
                    None => t_string!(i18n, form.no_helper).to_string(),
                }}
            </p>
            {r.can_edit.then(|| view! {
                <form class="inline helper" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    if checks.submit() && let (Some(cadre_id), Some(start_on)) = (chosen.get_untracked(), start.get_untracked()) {
                        action.dispatch(ChangeHelper { household_id: id, version, cadre_id, start_on });
                    }
                }>
                    <label class="field">
                        <span class="label">{t!(i18n, form.find_cadre)}</span>
                        <input name="cadre_query" prop:value=query on:input=move |ev| {
                            chosen.set(None);
                            query.set(event_target_value(&ev));
                        } />
                        <FieldError checks path="cadre_id" />
                    </label>
                    <Transition fallback=|| ()>
                        <ul class="picker">
                            {move || found.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                                let cid = c.id;
                                view! {
                                    <li>
                                        <label class="check">
                                            <input type="radio" name="cadre_id" value=cid
                                                prop:checked=move || chosen.get() == Some(cid)
                                                on:change=move |_| chosen.set(Some(cid)) />
                                            <span>{format!("{}（{}）", c.name, c.unit)}</span>
                                        </label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </Transition>
                    <Field label=Signal::derive(move || form_label(i18n, "start_on")) path="start_on" kind="date" checks
                        value=Signal::derive(move || date_text(start.get()))
                        set=Callback::new(move |v: String| start.set(date(&v))) />
                    <button type="submit" name="change_helper">{t!(i18n, form.change_helper)}</button>
                    {refusal_line(action.value(), id)}
                </form>
            })}
        </section>
    }
}

/// Measures given to the household, and recording a new one (helper cadres too).
#[component]
fn Measures(
    r: StaffRecord,
    members: Vec<(i64, String)>,
    after_write: Callback<Done>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.household.id.unwrap_or_default();
    let today = r.today;
    let draft = RwSignal::new(MeasureInput {
        household_id: id,
        member_id: None,
        category: MeasureCategory::Industry,
        name: String::new(),
        given_on: today,
        amount: 0,
        agency: String::new(),
    });
    let checks = Checks::new(Memo::new(move |_| {
        draft.with(|m| validate::measure(m, today))
    }));
    let action = ServerAction::<RecordMeasure>::new();
    follow(action.value(), checks, after_write, |_| Done::Recorded);
    let label = move |k: &'static str| Signal::derive(move || form_label(i18n, k));
    view! {
        <section aria-labelledby="smeasures-h">
            <h2 id="smeasures-h">{t!(i18n, form.measures)}</h2>
            {if r.measures.is_empty() {
                view! { <p class="empty">{t!(i18n, form.no_measures)}</p> }.into_any()
            } else {
                view! {
                    <table class="data measures">
                        <tbody>
                            {r.measures.iter().cloned().map(|m| view! {
                                <tr>
                                    <td>{m.given_on.to_string()}</td>
                                    <td>{move || m.category.label(i18n.get_locale())}</td>
                                    <td>{m.name.clone()}</td>
                                    <td>{m.member.clone().unwrap_or_default()}</td>
                                    <td class="num">{m.amount}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <form class="inline measure" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if checks.submit() {
                    action.dispatch(RecordMeasure { measure: draft.get_untracked() });
                }
            }>
                <CodeSelect label=label("category") path="category" checks
                    value=Signal::derive(move || draft.with(|m| Some(m.category)))
                    set=Callback::new(move |v: Option<MeasureCategory>| if let Some(v) = v { draft.update(|m| m.category = v) }) />
                <Field label=label("measure_name") path="name" checks
                    value=Signal::derive(move || draft.with(|m| m.name.clone()))
                    set=Callback::new(move |v: String| draft.update(|m| m.name = v)) />
                <label class="field">
                    <span class="label">{t!(i18n, form.for_member)}</span>
                    <select name="member_id" on:change=move |ev| {
                        let v = event_target_value(&ev).parse().ok();
                        draft.update(|m| m.member_id = v);
                    }>
                        <option value="">{t!(i18n, form.whole_household)}</option>
                        {members.into_iter().map(|(mid, name)| view! { <option value=mid>{name}</option> }).collect_view()}
                    </select>
                    <FieldError checks path="member_id" />
                </label>
                <Field label=label("given_on") path="given_on" kind="date" checks
                    value=Signal::derive(move || draft.with(|m| date_text(Some(m.given_on))))
                    set=Callback::new(move |v: String| if let Some(d) = date(&v) { draft.update(|m| m.given_on = d) }) />
                <Field label=label("amount") path="amount" kind="number" checks
                    value=Signal::derive(move || draft.with(|m| m.amount.to_string()))
                    set=Callback::new(move |v: String| draft.update(|m| m.amount = int_or(&v, -1))) />
                <Field label=label("agency") path="agency" checks
                    value=Signal::derive(move || draft.with(|m| m.agency.clone()))
                    set=Callback::new(move |v: String| draft.update(|m| m.agency = v)) />
                <button type="submit" name="record_measure">{t!(i18n, form.record_measure)}</button>
                {refusal_line(action.value(), id)}
            </form>
        </section>
    }
}

/// Visits on record, and recording a new one.
#[component]
fn Visits(r: StaffRecord, after_write: Callback<Done>) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.household.id.unwrap_or_default();
    let today = r.today;
    let on = RwSignal::new(Some(today));
    let note = RwSignal::new(String::new());
    let checks = Checks::new(Memo::new(move |_| match on.get() {
        Some(d) => validate::visit(d, &note.get(), today),
        None => {
            let mut e = validate::FieldErrors::default();
            e.check("visited_on", Err("required"));
            e
        }
    }));
    let action = ServerAction::<RecordVisit>::new();
    follow(action.value(), checks, after_write, |_| Done::Recorded);
    view! {
        <section aria-labelledby="visits-h">
            <h2 id="visits-h">{t!(i18n, form.visits)}</h2>
            {if r.visits.is_empty() {
                view! { <p class="empty">{t!(i18n, form.no_visits)}</p> }.into_any()
            } else {
                view! {
                    <ul class="visits">
                        {r.visits.iter().map(|v| view! {
                            <li><strong>{v.visited_on.to_string()}</strong> " " {v.cadre.clone()} {move || colon(i18n.get_locale())} {v.note.clone()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form class="inline visit" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if checks.submit() && let Some(visited_on) = on.get_untracked() {
                    action.dispatch(RecordVisit { household_id: id, visited_on, note: note.get_untracked() });
                }
            }>
                <Field label=Signal::derive(move || form_label(i18n, "visited_on")) path="visited_on" kind="date" checks
                    value=Signal::derive(move || date_text(on.get()))
                    set=Callback::new(move |v: String| on.set(date(&v))) />
                <Field label=Signal::derive(move || form_label(i18n, "note")) path="note" checks
                    value=note set=Callback::new(move |v: String| note.set(v)) />
                <button type="submit" name="record_visit">{t!(i18n, form.record_visit)}</button>
                {refusal_line(action.value(), id)}
            </form>
        </section>
    }
}

/// The audit trail of one household, newest first (reloaded after each write).
#[component]
fn History(entries: HistoryResource) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="history-h">
            <h2 id="history-h">{t!(i18n, staffhh.history)}</h2>
            <Suspense fallback=|| ()>
                {move || {
                    entries
                        .get()
                        .map(|r| match r {
                            Ok(list) if list.is_empty() => {
                                view! { <p class="empty">{t!(i18n, staffhh.no_history)}</p> }.into_any()
                            }
                            Ok(list) => view! {
                                <table class="data history">
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|e| view! {
                                                <tr>
                                                    <td>{e.at}</td>
                                                    <td>{e.actor}</td>
                                                    <td>{e.action}</td>
                                                    <td class="mono">{e.before.unwrap_or_default()}</td>
                                                    <td class="mono">{e.after.unwrap_or_default()}</td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any(),
                            Err(error) => view! { <ErrorMessage error /> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
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
            {move || options.get().map(|r| match r {
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
