//! Proposing households for a notice: find them, give each a reason, choose the start and the
//! length, and put them on notice (one notice per village).
use super::*;

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
            notices::Proposed::Notices(ids) => Ok(ids),
            notices::Proposed::Refused { field, code } => Err(AppError::field(field, code)),
        }
    })
    .await
}

/// Choosing households (by the finder) and putting them on notice.
#[component]
pub(super) fn Propose(
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
    let find = ServerAction::<crate::api::households::FindHouseholds>::new();
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
                NoticeKind::Identification | NoticeKind::Monitoring | NoticeKind::Clearing => {
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
                            find.dispatch(crate::api::households::FindHouseholds { q });
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
                    {NoticeKind::REGISTER.iter().map(|k| {
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
                {refusal(action.value(), checks)}
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
