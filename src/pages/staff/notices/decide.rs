//! A running or ended notice at the desk: each household finalised or withdrawn once its notice
//! is over and every objection answered, each objection answered once.
use super::*;
use crate::components::list_or;

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
                saved.written().map(drop)
            }
            // A monitoring notice is decided by the next step of its case.
            NoticeKind::Monitoring | NoticeKind::Clearing => {
                Err(AppError::field("entry", "notice_kind_case"))
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
                    notices::Gate::Open(_) => Ok(()),
                    notices::Gate::Shut(code) => Err(AppError::field("on", code)),
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

/// One notice: its households (finalise / withdraw) and its objections (answer).
#[component]
pub(super) fn NoticeCard(
    n: StaffNotice,
    today: NaiveDate,
    refresh: RwSignal<u32>,
) -> impl IntoView {
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
            {list_or(n.objections.is_empty(), t!(i18n, notice.no_objections), || view! {
                <ol class="objections">
                    {n.objections.into_iter().map(|o| view! { <ObjectionItem o refresh /> }).collect_view()}
                </ol>
            })}
        </article>
    }
}

#[component]
pub(super) fn EntryRow(
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
        NoticeKind::Identification | NoticeKind::Monitoring | NoticeKind::Clearing => {
            t_string!(i18n, staff_notice.finalise_identify).to_string()
        }
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
pub(super) fn ObjectionItem(o: StaffObjection, refresh: RwSignal<u32>) -> impl IntoView {
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
                        {refusal(action.value(), checks)}
                    </form>
                }.into_any(),
            }}
        </li>
    }
}
