//! The case's plan (一户一策): its lines and the measures done, a new line while the household
//! is monitored, and the measure that fulfils an open line (helper cadres too).
use super::api::*;
use crate::{
    components::{form::*, list_or},
    i18n::*,
    model::{
        codes::{Label, MeasureCategory},
        help::MeasureInput,
        monitoring::case::{CaseView, PlanEntry, PlanInput},
        validate,
    },
};
use chrono::NaiveDate;
use leptos::prelude::*;

/// The plan: its lines and the measures done; a new line (while monitored).
#[component]
pub(super) fn Plan(c: CaseView, after: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let today = c.today;
    let draft = RwSignal::new(PlanInput {
        case_id: c.head.id,
        category: MeasureCategory::Industry,
        member_id: None,
        name: String::new(),
        due_on: today,
    });
    let checks = Checks::new(Memo::new(move |_| {
        draft.with(|p| crate::model::monitoring::case::plan(p, today))
    }));
    let action = ServerAction::<CasePlan>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => after.run(()),
        Some(Err(e)) => {
            checks.server_error(&e);
        }
        None => {}
    });
    let monitored = c.head.stage.is_monitored();
    let (case_id, household_id) = (c.head.id, c.head.household_id);
    view! {
        <section aria-labelledby="plan-h">
            <h2 id="plan-h">{t!(i18n, monitoring.plan)}</h2>
            {list_or(c.plan.is_empty(), t!(i18n, monitoring.no_plan), || view! {
                <ul class="plan">
                    {c.plan.into_iter().map(|p| {
                        let category = p.category;
                        let open = monitored && p.done_on.is_none();
                        let line = p.clone();
                        view! {
                            <li class:done=p.done_on.is_some()>
                                {move || category.label(i18n.get_locale())} " · " {p.name} " · " {p.due_on.to_string()}
                                {p.member.map(|m| format!(" · {m}"))}
                                {p.done_on.map(|d| view! { " " <span class="badge">{t!(i18n, monitoring.done, date = move || d.to_string())}</span> })}
                                {open.then(|| view! { <Fulfil case_id household_id line today after /> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {monitored.then(|| view! {
                <form class="inline plan" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    if checks.submit() {
                        action.dispatch(CasePlan { plan: draft.get_untracked() });
                    }
                }>
                    <CodeSelect label=Signal::derive(move || t_string!(i18n, form.category).to_string()) path="category" checks
                        value=Signal::derive(move || draft.with(|p| Some(p.category)))
                        set=Callback::new(move |v: Option<MeasureCategory>| if let Some(v) = v { draft.update(|p| p.category = v) }) />
                    <Field label=Signal::derive(move || t_string!(i18n, form.measure_name).to_string()) path="name" checks
                        value=Signal::derive(move || draft.with(|p| p.name.clone()))
                        set=Callback::new(move |v: String| draft.update(|p| p.name = v)) />
                    <Field label=Signal::derive(move || t_string!(i18n, monitoring.due).to_string()) path="due_on" kind="date" checks
                        value=Signal::derive(move || draft.with(|p| date_text(Some(p.due_on))))
                        set=Callback::new(move |v: String| if let Some(d) = date(&v) { draft.update(|p| p.due_on = d) }) />
                    <button type="submit" name="case_plan">{t!(i18n, monitoring.add_plan)}</button>
                    {refusal(action.value(), checks)}
                </form>
            })}
        </section>
    }
}

/// Records the measure that fulfils an open plan line: the line's category, name and member,
/// with the day it was given, its amount and the agency (the measure rules of the household
/// page, checked here and again on the server).
#[component]
fn Fulfil(
    case_id: i64,
    household_id: i64,
    line: PlanEntry,
    today: NaiveDate,
    after: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let plan_id = line.id;
    let draft = RwSignal::new(MeasureInput {
        household_id,
        member_id: line.member_id,
        category: line.category,
        name: line.name,
        given_on: today,
        amount: 0,
        agency: String::new(),
    });
    let checks = Checks::new(Memo::new(move |_| {
        draft.with(|m| validate::measure(m, today))
    }));
    let action = ServerAction::<CaseMeasure>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => after.run(()),
        Some(Err(e)) => {
            checks.server_error(&e);
        }
        None => {}
    });
    view! {
        <form class="inline fulfil" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if checks.submit() {
                action.dispatch(CaseMeasure { case_id, plan_id: Some(plan_id), measure: draft.get_untracked() });
            }
        }>
            <Field label=Signal::derive(move || t_string!(i18n, form.given_on).to_string()) path="given_on" kind="date" checks
                value=Signal::derive(move || draft.with(|m| date_text(Some(m.given_on))))
                set=Callback::new(move |v: String| if let Some(d) = date(&v) { draft.update(|m| m.given_on = d) }) />
            <Field label=Signal::derive(move || t_string!(i18n, form.amount).to_string()) path="amount" kind="number" checks
                value=Signal::derive(move || draft.with(|m| m.amount.to_string()))
                set=Callback::new(move |v: String| draft.update(|m| m.amount = int_or(&v, -1))) />
            <Field label=Signal::derive(move || t_string!(i18n, form.agency).to_string()) path="agency" checks
                value=Signal::derive(move || draft.with(|m| m.agency.clone()))
                set=Callback::new(move |v: String| draft.update(|m| m.agency = v)) />
            <button type="submit" name="case_measure">{t!(i18n, monitoring.fulfil)}</button>
            {refusal(action.value(), checks)}
        </form>
    }
}
