//! A household's yearly incomes: the list, and one year recorded or corrected.
use super::*;
use crate::{
    components::list_or,
    model::{grouped, monitoring::counted_income},
};
use leptos::server_fn::codec::Json;

/// Records (or corrects) one year's income on top of the household's version.
#[server(endpoint = "staff/save_income", input = Json)]
pub async fn save_income(household_id: i64, version: i64, income: Income) -> Result<i64, AppError> {
    use super::api::imp::*;
    use crate::model::validate;
    respond(async move {
        let (staff, db) = in_scope(household_id).await?;
        auth::require_editor(&staff)?;
        AppError::from_fields(&validate::income(&income, today()))?;
        let saved =
            records::save_income(&db, household_id, version, &income, &staff.username).await?;
        outcome(saved)
    })
    .await
}

/// Yearly incomes, and (for editors) a form for one year's figures.
#[component]
pub(super) fn Incomes(r: StaffRecord, after_write: Callback<Done>) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.household.id.unwrap_or_default();
    let version = r.household.version;
    let today = r.today;
    let persons = r.household.members.iter().filter(|m| m.active).count() as i64;
    let draft = RwSignal::new(Income::blank(i64::from(today.year()), persons.max(1)));
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
            {list_or(r.incomes.is_empty(), t!(i18n, form.no_incomes), || view! {
                <table class="data incomes">
                    <thead><tr>
                        <th>{t!(i18n, form.year)}</th><th>{t!(i18n, form.persons)}</th>
                        <th>{t!(i18n, form.wages)}</th><th>{t!(i18n, form.business)}</th>
                        <th>{t!(i18n, form.property)}</th><th>{t!(i18n, form.transfer)}</th>
                        <th>{t!(i18n, form.costs)}</th>
                        <th>{t!(i18n, form.net)}</th><th>{t!(i18n, form.per_capita)}</th>
                        <th>{t!(i18n, form.spending)}</th><th>{t!(i18n, form.counted)}</th>
                    </tr></thead>
                    <tbody>
                        {r.incomes.iter().map(|i| view! {
                            <tr>
                                <td>{i.year}</td><td>{i.persons}</td>
                                <td class="num">{grouped(i.wages)}</td>
                                <td class="num">{grouped(i.business)}</td>
                                <td class="num">{grouped(i.property)}</td>
                                <td class="num">{grouped(i.transfer)}</td>
                                <td class="num">{grouped(i.costs)}</td>
                                <td class="num">{grouped(i.net_income.unwrap_or_default())}</td>
                                <td class="num">{grouped(i.per_capita.unwrap_or_default())}</td>
                                <td class="num">{grouped(i.spending)}</td>
                                <td class="num">{grouped(counted_income(i))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
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
                    {num("spending", |d| d.spending, |d, v| d.spending = v)}
                    <p class="hint counted">
                        {t!(i18n, form.counted)}": "
                        {move || draft.with(|d| grouped(counted_income(d)))}
                    </p>
                    <button type="submit" name="save_income">{t!(i18n, form.save_income)}</button>
                    {refusal_line(action.value(), checks, id)}
                </form>
            })}
        </section>
    }
}
