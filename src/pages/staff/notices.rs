//! `/staff/notices`: staff propose households for identification or exit (one public notice per
//! village is made), answer the objections the public filed, and finalise each household once
//! its notice is over and every objection on it is answered. City staff set the notice length of
//! a year. Every rule is checked here as the user types and again on the server.
use crate::components::PageTitle;
use crate::components::form::*;
use crate::components::punct::colon;
use crate::{
    components::{ErrorMessage, error_text},
    error::AppError,
    i18n::*,
    model::{codes::*, search::HouseholdHit, transparency::*},
};
use chrono::NaiveDate;
use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// Staff: notices

/// The notices desk: notices in the editor's scope that need them, this year's notice length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDesk {
    pub notices: Vec<StaffNotice>,
    pub days: i64,
    pub year: i32,
    pub today: NaiveDate,
    /// City staff set the notice length per year.
    pub may_set_days: bool,
}

/// The notices desk of the asking editor.
#[server(endpoint = "staff/notice_desk")]
pub async fn load_notice_desk() -> Result<NoticeDesk, AppError> {
    use crate::server::prelude::*;
    use chrono::Datelike;
    respond(async move {
        let (_, db, range) = editor().await?;
        let today = clock::today();
        Ok(NoticeDesk {
            notices: notices::staff_notices(&db, &range, today).await?,
            days: notices::notice_days(&db, today.year()).await?,
            year: today.year(),
            today,
            may_set_days: range.is_none(),
        })
    })
    .await
}

/// Puts households in the editor's scope on notice (one notice per village); returns the new
/// notices' numbers.
#[server(endpoint = "staff/propose", input = Json)]
pub async fn propose_households(form: ProposeForm) -> Result<Vec<i64>, AppError> {
    use crate::server::prelude::*;
    use chrono::Datelike;
    respond(async move {
        let (staff, db, _) = editor().await?;
        let today = clock::today();
        let year = form.starts_on.unwrap_or(today).year();
        let min_days = notices::notice_days(&db, year).await?;
        AppError::from_fields(&propose_form(&form, min_days, today))?;
        for (i, h) in form.households.iter().enumerate() {
            auth::household_in_scope(&db, &staff, h.household_id)
                .await
                .map_err(|e| match e {
                    AppError::NotFound => {
                        AppError::field(format!("households.{i}"), "notice_household_unknown")
                    }
                    other => other,
                })?;
        }
        match notices::propose(&db, &form, &staff.username).await? {
            Ok(ids) => Ok(ids),
            Err((field, code)) => Err(AppError::field(field, code)),
        }
    })
    .await
}

/// The entry and household of notice entry `entry`, after checking its village is in scope.
#[cfg(feature = "ssr")]
async fn entry_in_scope(
    entry: i64,
) -> Result<
    (
        crate::model::staff::StaffInfo,
        crate::server::db::Db,
        crate::server::repo::notices::EntryInfo,
    ),
    AppError,
> {
    use crate::server::prelude::*;
    let (staff, db, range) = editor().await?;
    let info = notices::entry_info(&db, entry)
        .await?
        .ok_or(AppError::NotFound)?;
    if !covers(&range, Some(&info.village_code)) {
        return Err(AppError::NotFound);
    }
    Ok((staff, db, info))
}

/// Finalises a household's identification or exit (on `on`) once its notice is over and every
/// objection on it answered. An exit also passes the exit check (income, 两不愁三保障).
#[server(endpoint = "staff/finalise")]
pub async fn finalise_entry(entry: i64, on: NaiveDate) -> Result<(), AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let (staff, db, info) = entry_in_scope(entry).await?;
        let (kind, state, household) = (info.kind, info.state, info.household_id);
        if state != EntryState::Proposed {
            return Err(AppError::field("entry", "notice_finalised"));
        }
        match kind {
            NoticeKind::Exit => {
                let h = crate::server::repo::household::get(&db, household)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let saved = crate::server::repo::records::set_status(
                    &db,
                    household,
                    h.version,
                    Status::Exited,
                    on,
                    &staff.username,
                )
                .await?;
                use crate::server::repo::household::Saved;
                match saved {
                    Saved::Ok { .. } => Ok(()),
                    Saved::Stale { .. } => Err(AppError::Conflict),
                    Saved::Missing => Err(AppError::NotFound),
                    Saved::Rejected { field, code } => Err(AppError::field(field, code)),
                    Saved::Refused(reasons) => Err(AppError::ExitRefused { reasons }),
                }
            }
            NoticeKind::Identification => {
                match notices::finalise_identification(
                    &db,
                    household,
                    clock::today(),
                    &staff.username,
                )
                .await?
                {
                    Ok(()) => Ok(()),
                    Err(code) => Err(AppError::field("on", code)),
                }
            }
        }
    })
    .await
}

/// Takes a proposed household off its notice.
#[server(endpoint = "staff/withdraw")]
pub async fn withdraw_entry(entry: i64) -> Result<(), AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let (staff, db, _) = entry_in_scope(entry).await?;
        if !notices::withdraw_entry(&db, entry, clock::today(), &staff.username).await? {
            return Err(AppError::field("entry", "notice_finalised"));
        }
        Ok(())
    })
    .await
}

/// Answers an objection in scope (once); the answer is published with the notice, an upheld
/// objection takes the household off it.
#[server(endpoint = "staff/answer_objection")]
pub async fn answer_objection(
    id: i64,
    outcome: ObjectionOutcome,
    answer: String,
) -> Result<(), AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let (staff, db, range) = editor().await?;
        let (village, answered) = objections::objection_village(&db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !covers(&range, Some(&village)) {
            return Err(AppError::NotFound);
        }
        AppError::from_fields(&crate::model::transparency::answer(&answer))?;
        if answered
            || !objections::answer_objection(
                &db,
                id,
                outcome,
                &answer,
                clock::today(),
                &staff.username,
            )
            .await?
        {
            return Err(AppError::field("answer", "objection_answered"));
        }
        Ok(())
    })
    .await
}

/// Sets how many days notices starting in `year` run (city staff; 10 to 60).
#[server(endpoint = "staff/notice_days")]
pub async fn set_notice_days(year: i32, days: i64) -> Result<(), AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let (staff, db, range) = editor().await?;
        if range.is_some() {
            return Err(AppError::Forbidden);
        }
        if days < MIN_NOTICE_DAYS {
            return Err(AppError::field("days", "notice_too_short"));
        }
        if days > MAX_NOTICE_DAYS {
            return Err(AppError::field("days", "notice_too_long"));
        }
        if !(2000..=2100).contains(&year) {
            return Err(AppError::field("year", "year_range"));
        }
        notices::set_notice_days(&db, year, days, &staff.username).await?;
        Ok(())
    })
    .await
}

#[component]
pub fn StaffNoticesPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let desk = Resource::new(move || refresh.get(), |_| load_notice_desk());
    // The notices just made: kept here, as the desk below is rebuilt when it reloads.
    let done = RwSignal::new(Vec::<i64>::new());
    view! {
        <PageTitle text=move || t_string!(i18n, staff_notice.title).to_string() />
        <nav class="crumbs"><a href="/staff">{t!(i18n, login.staff_home)}</a></nav>
        <h1 class="page-title">{t!(i18n, staff_notice.title)}</h1>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                desk.get()
                    .map(|r| match r {
                        Ok(d) => view! { <Desk d refresh done /> }.into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn Desk(d: NoticeDesk, refresh: RwSignal<u32>, done: RwSignal<Vec<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let today = d.today;
    view! {
        <Propose today=d.today days=d.days refresh done />
        <section aria-labelledby="running-h">
            <h2 id="running-h">{t!(i18n, staff_notice.list)}</h2>
            {if d.notices.is_empty() {
                view! { <p class="empty">{t!(i18n, notice.none)}</p> }.into_any()
            } else {
                d.notices
                    .into_iter()
                    .map(|n| view! { <NoticeCard n today refresh /> })
                    .collect_view()
                    .into_any()
            }}
        </section>
        {d.may_set_days.then(|| view! { <DaysSetting year=d.year days=d.days refresh /> })}
    }
}

/// Choosing households (by the finder) and putting them on notice.
#[component]
fn Propose(
    today: NaiveDate,
    days: i64,
    refresh: RwSignal<u32>,
    done: RwSignal<Vec<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let min_days = days;
    let form = RwSignal::new(ProposeForm {
        kind: NoticeKind::Exit,
        households: Vec::new(),
        starts_on: Some(today),
        days,
    });
    // Names of the chosen households, by number (for the list).
    let names = RwSignal::new(Vec::<(i64, String)>::new());
    let errors = Memo::new(move |_| form.with(|f| propose_form(f, min_days, today)));
    let checks = Checks::new(errors);
    // Asked only in the browser, once the user has typed (an action: nothing to hydrate).
    let find = ServerAction::<crate::pages::staff::login::FindHouseholds>::new();
    let action = ServerAction::<ProposeHouseholds>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(ids)) => {
            done.set(ids);
            form.update(|f| f.households.clear());
            names.set(Vec::new());
            refresh.update(|n| *n += 1);
        }
        Some(Err(e)) => {
            checks.server_error(&e);
        }
        None => {}
    });
    let add = move |h: &HouseholdHit| {
        let id = h.id;
        let label = format!("{}（{}）", h.head_name, h.village_name);
        if form.with_untracked(|f| f.households.iter().any(|x| x.household_id == id)) {
            return;
        }
        form.update(|f| {
            let reason = match f.kind {
                NoticeKind::Exit => t_string!(i18n, staff_notice.default_exit).to_string(),
                NoticeKind::Identification => {
                    t_string!(i18n, staff_notice.default_identify).to_string()
                }
            };
            f.households.push(ProposedHousehold {
                household_id: id,
                reason,
            })
        });
        names.update(|n| n.push((id, label)));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if checks.submit() {
            action.dispatch(ProposeHouseholds {
                form: form.get_untracked(),
            });
        }
    };
    view! {
        <section aria-labelledby="propose-h" class="propose">
            <h2 id="propose-h">{t!(i18n, staff_notice.propose)}</h2>
            <p class="muted">{t!(i18n, staff_notice.propose_help)}</p>
            <label class="field">
                <span class="label">{t!(i18n, staff_notice.find)}</span>
                <input type="search" class="propose-find" maxlength="40"
                    placeholder=move || t_string!(i18n, desk.find_hint).to_string()
                    on:change=move |ev| {
                        let q = event_target_value(&ev);
                        if !q.trim().is_empty() {
                            find.dispatch(crate::pages::staff::login::FindHouseholds { q });
                        }
                    } />
            </label>
            {move || find.value().get().map(|r| match r {
                    Ok(list) => view! {
                        <ul class="propose-hits">
                            {list.into_iter().map(|h| {
                                let status = h.status;
                                let label = format!("{}（{} · {}）", h.head_name, h.township_name, h.village_name);
                                view! {
                                    <li>
                                        {label} " "
                                        <span class="badge">{move || status.label(i18n.get_locale())}</span> " "
                                        <button type="button" class="add" on:click=move |_| add(&h)>
                                            {t!(i18n, staff_notice.add)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                })}
            <form class="propose-form" on:submit=submit>
                <fieldset class="chips">
                    <legend>{t!(i18n, notice.kind)}</legend>
                    {NoticeKind::ALL.iter().map(|k| {
                        let k = *k;
                        view! {
                            <label>
                                <input type="radio" name="kind" value=k.as_str()
                                    prop:checked=move || form.with(|f| f.kind == k)
                                    on:change=move |_| form.update(|f| f.kind = k) />
                                {move || k.label(i18n.get_locale())}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <FieldError checks path="households" />
                <ol class="chosen">
                    {move || {
                        let list = form.with(|f| f.households.clone());
                        list.into_iter().enumerate().map(|(i, h)| {
                            let id = h.household_id;
                            let name = names.with(|n| n.iter().find(|(x, _)| *x == id).map(|(_, l)| l.clone()).unwrap_or_default());
                            let path = format!("households.{i}.reason");
                            view! {
                                <li>
                                    <Field
                                        label=name
                                        path
                                        value=Signal::derive(move || form.with(|f| f.households.get(i).map(|h| h.reason.clone()).unwrap_or_default()))
                                        set=Callback::new(move |v: String| form.update(|f| if let Some(h) = f.households.get_mut(i) { h.reason = v }))
                                        checks
                                    />
                                    <FieldError checks path=format!("households.{i}") />
                                    <button type="button" class="remove" on:click=move |_| {
                                        form.update(|f| f.households.retain(|h| h.household_id != id));
                                        names.update(|n| n.retain(|(x, _)| *x != id));
                                    }>{t!(i18n, staff_notice.remove)}</button>
                                </li>
                            }
                        }).collect_view()
                    }}
                </ol>
                <div class="row">
                    <Field
                        label=Signal::derive(move || t_string!(i18n, staff_notice.starts_on).to_string())
                        path="starts_on"
                        kind="date"
                        value=Signal::derive(move || form.with(|f| date_text(f.starts_on)))
                        set=Callback::new(move |v: String| form.update(|f| f.starts_on = date(&v)))
                        checks
                    />
                    <Field
                        label=Signal::derive(move || t_string!(i18n, staff_notice.days).to_string())
                        path="days"
                        kind="number"
                        value=Signal::derive(move || form.with(|f| f.days.to_string()))
                        set=Callback::new(move |v: String| form.update(|f| f.days = int_or(&v, 0)))
                        checks
                    />
                </div>
                <button type="submit" class="propose-submit" disabled=move || action.pending().get()>
                    {t!(i18n, staff_notice.submit)}
                </button>
                {move || {
                    let ids = done.get();
                    (!ids.is_empty()).then(|| view! {
                        <p class="notice-ok" role="status">
                            {t!(i18n, staff_notice.created)} " "
                            {ids.into_iter().map(|id| view! { <a href=format!("/notices/{id}")>{format!("#{id}")}</a> " " }).collect_view()}
                        </p>
                    })
                }}
            </form>
        </section>
    }
}

/// One notice: its households (finalise / withdraw) and its objections (answer).
#[component]
fn NoticeCard(n: StaffNotice, today: NaiveDate, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = n.notice.kind;
    let running = notice_runs(n.notice.starts_on, n.notice.ends_on, today);
    let id = n.notice.id;
    view! {
        <article class="notice-card" data-notice=id.to_string()>
            <h3>
                <a href=format!("/notices/{id}")>{format!("#{id} ")} {move || kind.label(i18n.get_locale())}</a>
                " · " {n.notice.township_name.clone()} " · " {n.notice.village_name.clone()}
            </h3>
            <p class="muted">
                {format!("{} – {}", n.notice.starts_on, n.notice.ends_on)} " "
                {if running {
                    view! { <span class="badge status-poor">{t!(i18n, notice.running)}</span> }.into_any()
                } else {
                    view! { <span class="badge status-exited">{t!(i18n, notice.over)}</span> }.into_any()
                }}
            </p>
            <table class="data">
                <thead>
                    <tr>
                        <th>{t!(i18n, household.head)}</th>
                        <th>{t!(i18n, notice.reason)}</th>
                        <th>{t!(i18n, notice.state)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {n.entries.into_iter().map(|e| view! { <EntryRow e kind today refresh /> }).collect_view()}
                </tbody>
            </table>
            <h4>{t!(i18n, notice.objections_title)}</h4>
            {if n.objections.is_empty() {
                view! { <p class="empty">{t!(i18n, notice.no_objections)}</p> }.into_any()
            } else {
                view! {
                    <ol class="objections">
                        {n.objections.into_iter().map(|o| view! { <ObjectionItem o refresh /> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </article>
    }
}

#[component]
fn EntryRow(
    e: StaffEntry,
    kind: NoticeKind,
    today: NaiveDate,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = e.state;
    let entry = e.id;
    let on = RwSignal::new(today.to_string());
    let finalise = ServerAction::<FinaliseEntry>::new();
    let withdraw = ServerAction::<WithdrawEntry>::new();
    Effect::new(move |_| {
        if matches!(finalise.value().get(), Some(Ok(())))
            || matches!(withdraw.value().get(), Some(Ok(())))
        {
            refresh.update(|n| *n += 1);
        }
    });
    let error = move || {
        finalise
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| withdraw.value().get().and_then(Result::err))
            .map(|e| error_text(i18n, &e))
    };
    let label = match kind {
        NoticeKind::Exit => t_string!(i18n, staff_notice.finalise_exit).to_string(),
        NoticeKind::Identification => t_string!(i18n, staff_notice.finalise_identify).to_string(),
    };
    view! {
        <tr data-entry=entry.to_string()>
            <td><a href=format!("/staff/household/{}", e.household_id)>{e.head_name}</a>
                {move || e.group_no.map(|g| format!(" · {}", crate::components::punct::group(i18n.get_locale(), g)))}</td>
            <td>{e.reason}</td>
            <td>
                {move || state.label(i18n.get_locale())}
                {e.decided_on.map(|d| format!(" {d}"))}
            </td>
            <td class="actions">
                {(state == EntryState::Proposed).then(|| view! {
                    {(kind == NoticeKind::Exit).then(|| view! {
                        <input type="date" class="finalise-on" aria-label=move || t_string!(i18n, staff_notice.exit_on).to_string()
                            prop:value=move || on.get() on:input=move |ev| on.set(event_target_value(&ev)) />
                    })}
                    <button type="button" class="finalise" disabled=move || finalise.pending().get()
                        on:click=move |_| {
                            let on = date(&on.get_untracked()).unwrap_or(today);
                            finalise.dispatch(FinaliseEntry { entry, on });
                        }>{label.clone()}</button>
                    <button type="button" class="withdraw" disabled=move || withdraw.pending().get()
                        on:click=move |_| { withdraw.dispatch(WithdrawEntry { entry }); }>
                        {t!(i18n, staff_notice.withdraw)}
                    </button>
                    <span class="field-error" role="alert">{error}</span>
                })}
            </td>
        </tr>
    }
}

#[component]
fn ObjectionItem(o: StaffObjection, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let id = o.id;
    let text = RwSignal::new(String::new());
    let outcome = RwSignal::new(ObjectionOutcome::Dismissed);
    let errors = Memo::new(move |_| text.with(|t| answer(t)));
    let checks = Checks::new(errors);
    let action = ServerAction::<AnswerObjection>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => refresh.update(|n| *n += 1),
        Some(Err(e)) => {
            checks.server_error(&e);
        }
        None => {}
    });
    let answered = o.outcome.zip(o.answer.clone());
    view! {
        <li class="objection" data-objection=id.to_string()>
            <p><strong>{o.head_name}</strong> " · " {o.filed_at}
                {o.contact.map(|c| view! { " · " {t!(i18n, notice.contact)} {move || colon(i18n.get_locale())} {c} })}</p>
            <blockquote>{o.reason}</blockquote>
            {match answered {
                Some((outcome, answer)) => view! {
                    <p class="answer">
                        <span class="badge">{move || outcome.label(i18n.get_locale())}</span>
                        " " {answer} " — " {o.answered_by.unwrap_or_default()}
                    </p>
                }.into_any(),
                None => view! {
                    <form class="answer-form" on:submit=move |ev| {
                        ev.prevent_default();
                        if checks.submit() {
                            action.dispatch(AnswerObjection { id, outcome: outcome.get_untracked(), answer: text.get_untracked() });
                        }
                    }>
                        <label class="field">
                            <span class="label">{t!(i18n, staff_notice.answer)}</span>
                            <textarea name="answer" rows="3" prop:value=move || text.get()
                                on:input=move |ev| { checks.touch("answer"); text.set(event_target_value(&ev)); }></textarea>
                            <FieldError checks path="answer" />
                        </label>
                        <label class="field">
                            <span class="label">{t!(i18n, staff_notice.outcome)}</span>
                            <select name="outcome" on:change=move |ev| {
                                if let Some(o) = ObjectionOutcome::parse(&event_target_value(&ev)) { outcome.set(o) }
                            }>
                                {ObjectionOutcome::ALL.iter().map(|o| {
                                    let o = *o;
                                    view! { <option value=o.as_str()>{move || o.label(i18n.get_locale())}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <button type="submit" disabled=move || action.pending().get()>{t!(i18n, staff_notice.publish_answer)}</button>
                    </form>
                }.into_any(),
            }}
        </li>
    }
}

#[component]
fn DaysSetting(year: i32, days: i64, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let y = RwSignal::new(year.to_string());
    let d = RwSignal::new(days.to_string());
    let action = ServerAction::<SetNoticeDays>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <section aria-labelledby="days-h">
            <h2 id="days-h">{t!(i18n, staff_notice.days_title)}</h2>
            <form class="row" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(SetNoticeDays {
                    year: y.get_untracked().trim().parse().unwrap_or(0),
                    days: d.get_untracked().trim().parse().unwrap_or(0),
                });
            }>
                <label class="field"><span class="label">{t!(i18n, staff_notice.year)}</span>
                    <input type="number" prop:value=move || y.get() on:input=move |ev| y.set(event_target_value(&ev)) /></label>
                <label class="field"><span class="label">{t!(i18n, staff_notice.days)}</span>
                    <input type="number" min=MIN_NOTICE_DAYS max=MAX_NOTICE_DAYS prop:value=move || d.get() on:input=move |ev| d.set(event_target_value(&ev)) /></label>
                <button type="submit">{t!(i18n, staff_notice.save)}</button>
                <span class="field-error" role="alert">
                    {move || action.value().get().and_then(Result::err).map(|e| error_text(i18n, &e))}
                </span>
            </form>
        </section>
    }
}
