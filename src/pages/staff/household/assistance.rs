//! Social assistance (低保, 特困供养, 临时救助): the household's enrolments with their amounts, a new
//! one added, a running one ended. Editors only; helper cadres see the list.
use super::*;
use crate::{
    components::list_or,
    model::{
        codes::AssistanceKind,
        grouped,
        help::{AssistanceEntry, AssistanceInput},
    },
};
use leptos::server_fn::codec::Json;

/// Adds an enrolment to a household in scope.
#[server(endpoint = "staff/add_assistance", input = Json)]
pub async fn add_assistance(entry: AssistanceInput) -> Result<i64, AppError> {
    use super::api::imp::*;
    respond(async move {
        let (staff, db) = in_scope(entry.household_id).await?;
        auth::require_editor(&staff)?;
        AppError::from_fields(&validate::assistance(&entry, today()))?;
        let saved = records::add_assistance(&db, &entry, &staff.username).await?;
        outcome(saved)
    })
    .await
}

/// Ends a running enrolment of a household in scope on `end_on`.
#[server(endpoint = "staff/end_assistance", input = Json)]
pub async fn end_assistance(
    household_id: i64,
    id: i64,
    end_on: chrono::NaiveDate,
) -> Result<i64, AppError> {
    use super::api::imp::*;
    respond(async move {
        let (staff, db) = in_scope(household_id).await?;
        auth::require_editor(&staff)?;
        validate::past_date(end_on, today()).map_err(|code| AppError::Field {
            field: "end_on".into(),
            reason: code.into(),
        })?;
        let saved = records::end_assistance(&db, household_id, id, end_on, &staff.username).await?;
        outcome(saved)
    })
    .await
}

/// The enrolments, and for editors the forms to add and end them.
#[component]
pub(super) fn Assistance(
    r: StaffRecord,
    members: Vec<(i64, String)>,
    after_write: Callback<Done>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.household.id.unwrap_or_default();
    let today = r.today;
    let can_edit = r.can_edit;
    let draft = RwSignal::new(AssistanceInput {
        household_id: id,
        member_id: None,
        kind: AssistanceKind::Dibao,
        start_on: today,
        monthly_amount: 0,
        lump_sum: 0,
        agency: String::new(),
    });
    let checks = Checks::new(Memo::new(move |_| {
        draft.with(|a| validate::assistance(a, today))
    }));
    let action = ServerAction::<AddAssistance>::new();
    follow(action.value(), checks, after_write, |_| Done::Recorded);
    let ending = ServerAction::<EndAssistance>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = ending.value().get() {
            after_write.run(Done::Recorded);
        }
    });
    let label = move |k: &'static str| Signal::derive(move || form_label(i18n, k));
    let rows = r.assistance.clone();
    view! {
        <section aria-labelledby="sassist-h">
            <h2 id="sassist-h">{t!(i18n, form.assistance)}</h2>
            {list_or(rows.is_empty(), t!(i18n, form.no_assistance), move || view! {
                <table class="data assistance">
                    <thead><tr>
                        <th>{t!(i18n, form.assistance_kind)}</th><th>{t!(i18n, form.for_member)}</th>
                        <th>{t!(i18n, form.start_on)}</th><th>{t!(i18n, form.end_on)}</th>
                        <th class="num">{t!(i18n, form.monthly_amount)}</th>
                        <th class="num">{t!(i18n, form.lump_sum)}</th>
                        <th>{t!(i18n, form.agency_approving)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|a| view! { <Row a household_id=id can_edit today ending /> }).collect_view()}
                    </tbody>
                </table>
            })}
            {move || ending.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error /> })}
            {can_edit.then(|| view! {
                <form class="inline assistance" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    if checks.submit() {
                        action.dispatch(AddAssistance { entry: draft.get_untracked() });
                    }
                }>
                    <CodeSelect label=label("kind") path="kind" checks
                        value=Signal::derive(move || draft.with(|a| Some(a.kind)))
                        set=Callback::new(move |v: Option<AssistanceKind>| if let Some(v) = v { draft.update(|a| a.kind = v) }) />
                    <MemberSelect members checks set=Callback::new(move |v| draft.update(|a| a.member_id = v)) />
                    <Field label=label("start_on") path="start_on" kind="date" checks
                        value=Signal::derive(move || draft.with(|a| date_text(Some(a.start_on))))
                        set=Callback::new(move |v: String| if let Some(d) = date(&v) { draft.update(|a| a.start_on = d) }) />
                    <Field label=label("monthly_amount") path="monthly_amount" kind="number" checks
                        value=Signal::derive(move || draft.with(|a| a.monthly_amount.to_string()))
                        set=Callback::new(move |v: String| draft.update(|a| a.monthly_amount = int_or(&v, -1))) />
                    <Field label=label("lump_sum") path="lump_sum" kind="number" checks
                        value=Signal::derive(move || draft.with(|a| a.lump_sum.to_string()))
                        set=Callback::new(move |v: String| draft.update(|a| a.lump_sum = int_or(&v, -1))) />
                    <Field label=Signal::derive(move || t_string!(i18n, form.agency_approving).to_string()) path="agency" checks
                        value=Signal::derive(move || draft.with(|a| a.agency.clone()))
                        set=Callback::new(move |v: String| draft.update(|a| a.agency = v)) />
                    <button type="submit" name="add_assistance">{t!(i18n, form.add_assistance)}</button>
                    {refusal_line(action.value(), checks, id)}
                </form>
            })}
        </section>
    }
}

/// One enrolment; a running one (for editors) with the date it ends and the button.
#[component]
fn Row(
    a: AssistanceEntry,
    household_id: i64,
    can_edit: bool,
    today: chrono::NaiveDate,
    ending: ServerAction<EndAssistance>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind = a.kind;
    let end_on = RwSignal::new(today);
    let running = a.end_on.is_none();
    let row = a.id;
    view! {
        <tr class:running=running>
            <td>{move || kind.label(i18n.get_locale())}</td>
            <td>{a.member.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{a.start_on.to_string()}</td>
            <td>
                {match a.end_on {
                    Some(d) => d.to_string().into_any(),
                    None if can_edit => view! {
                        <span class="badge">{t!(i18n, form.running)}</span>
                        <input type="date" name="end_on" aria-label=move || t_string!(i18n, form.end_on).to_string()
                            prop:value=move || date_text(Some(end_on.get()))
                            on:change=move |ev| if let Some(d) = date(&event_target_value(&ev)) { end_on.set(d) } />
                        <button type="button" name="end_assistance" on:click=move |_| {
                            ending.dispatch(EndAssistance { household_id, id: row, end_on: end_on.get_untracked() });
                        }>{t!(i18n, form.end_assistance)}</button>
                    }.into_any(),
                    None => view! { <span class="badge">{t!(i18n, form.running)}</span> }.into_any(),
                }}
            </td>
            <td class="num">{grouped(a.monthly_amount)}</td>
            <td class="num">{grouped(a.lump_sum)}</td>
            <td>{a.agency.clone()}</td>
        </tr>
    }
}
