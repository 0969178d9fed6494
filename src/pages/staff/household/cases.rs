//! The household's monitoring cases, and a lead to open one (not helper cadres).
use super::*;
use crate::{
    components::list_or,
    model::monitoring::{
        Category, Channel, Risk,
        case::{LeadInput, lead},
    },
    pages::staff::monitoring::OpenCase,
};

/// The cases, and the lead form while no case is open.
#[component]
pub(super) fn Cases(r: StaffRecord) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.household.id.unwrap_or_default();
    let today = r.today;
    let open = r.cases.iter().any(|c| !c.stage.is_final());
    let category = if r.household.status == Status::Ordinary {
        Category::Marginal
    } else {
        Category::Unstable
    };
    let draft = RwSignal::new(LeadInput {
        household_id: id,
        category,
        risks: Vec::new(),
        channel: Channel::Visit,
        source: String::new(),
        description: String::new(),
        raised_on: today,
    });
    let checks = Checks::new(Memo::new(move |_| draft.with(|l| lead(l, today))));
    let action = ServerAction::<OpenCase>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(case)) => navigate(&format!("/staff/case/{case}"), Default::default()),
        Some(Err(e)) => {
            checks.server_error(&e);
        }
        None => {}
    });
    let label = move |k: &'static str| Signal::derive(move || form_label(i18n, k));
    view! {
        <section aria-labelledby="cases-h">
            <h2 id="cases-h">{t!(i18n, monitoring.desk)}</h2>
            {list_or(r.cases.is_empty(), t!(i18n, monitoring.none), || view! {
                <ul class="cases">
                    {r.cases.iter().map(|c| {
                        let (category, stage) = (c.category, c.stage);
                        view! {
                            <li><a href=format!("/staff/case/{}", c.id)>{c.raised_on.to_string()}</a>
                                " · " {move || category.label(i18n.get_locale())}
                                " · " {move || stage.label(i18n.get_locale())}</li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(r.can_edit && !open).then(|| view! {
                <form class="inline lead" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    if checks.submit() {
                        action.dispatch(OpenCase { lead: draft.get_untracked() });
                    }
                }>
                    <CodeSelect label=Signal::derive(move || t_string!(i18n, monitoring.category).to_string()) path="category" checks
                        value=Signal::derive(move || draft.with(|l| Some(l.category)))
                        set=Callback::new(move |v: Option<Category>| if let Some(v) = v { draft.update(|l| l.category = v) }) />
                    <fieldset class="chips">
                        <legend>{t!(i18n, monitoring.risk)}</legend>
                        {Risk::ALL.iter().map(|k| {
                            let k = *k;
                            view! {
                                <label>
                                    <input type="checkbox" name="risks" value=k.as_str()
                                        prop:checked=move || draft.with(|l| l.risks.contains(&k))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            draft.update(|l| {
                                                l.risks.retain(|r| *r != k);
                                                if on {
                                                    l.risks.push(k);
                                                }
                                            });
                                        } />
                                    {move || k.label(i18n.get_locale())}
                                </label>
                            }
                        }).collect_view()}
                        <FieldError checks path="risks" />
                    </fieldset>
                    <CodeSelect label=Signal::derive(move || t_string!(i18n, monitoring.channel).to_string()) path="channel" checks
                        value=Signal::derive(move || draft.with(|l| Some(l.channel)))
                        set=Callback::new(move |v: Option<Channel>| if let Some(v) = v { draft.update(|l| l.channel = v) }) />
                    <Field label=Signal::derive(move || t_string!(i18n, monitoring.source).to_string()) path="source" checks
                        value=Signal::derive(move || draft.with(|l| l.source.clone()))
                        set=Callback::new(move |v: String| draft.update(|l| l.source = v)) />
                    <Field label=Signal::derive(move || t_string!(i18n, monitoring.description).to_string()) path="description" checks
                        value=Signal::derive(move || draft.with(|l| l.description.clone()))
                        set=Callback::new(move |v: String| draft.update(|l| l.description = v)) />
                    <Field label=label("on_date") path="raised_on" kind="date" checks
                        value=Signal::derive(move || draft.with(|l| date_text(Some(l.raised_on))))
                        set=Callback::new(move |v: String| if let Some(d) = date(&v) { draft.update(|l| l.raised_on = d) }) />
                    <button type="submit" name="open_case">{t!(i18n, monitoring.open_case)}</button>
                    {refusal(action.value(), checks)}
                </form>
            })}
        </section>
    }
}
