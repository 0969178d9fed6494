//! Measures given to a household or one of its members.
use super::*;
use crate::components::list_or;
use leptos::server_fn::codec::Json;

/// Records a measure (helper cadres may, for their own households).
#[server(endpoint = "staff/record_measure", input = Json)]
pub async fn record_measure(measure: MeasureInput) -> Result<i64, AppError> {
    use super::api::imp::*;
    use crate::model::validate;
    respond(async move {
        let (staff, db) = in_scope(measure.household_id).await?;
        AppError::from_fields(&validate::measure(&measure, today()))?;
        let saved = records::record_measure(&db, &measure, &staff.username).await?;
        outcome(saved)
    })
    .await
}

/// Measures given to the household, and recording a new one (helper cadres too).
#[component]
pub(super) fn Measures(
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
            {list_or(r.measures.is_empty(), t!(i18n, form.no_measures), || view! {
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
            })}
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
                <MemberSelect members checks set=Callback::new(move |v| draft.update(|m| m.member_id = v)) />
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
                {refusal_line(action.value(), checks, id)}
            </form>
        </section>
    }
}
