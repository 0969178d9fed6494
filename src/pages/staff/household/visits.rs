//! Visits by the household's helper cadre.
use super::*;
use crate::components::list_or;
use chrono::NaiveDate;

/// Records a visit: by the asking helper cadre, or else by the household's current helper.
#[server(endpoint = "staff/record_visit")]
pub async fn record_visit(
    household_id: i64,
    visited_on: NaiveDate,
    note: String,
) -> Result<i64, AppError> {
    use super::api::imp::*;
    use crate::model::{codes::Role, validate};
    respond(async move {
        let (staff, db) = in_scope(household_id).await?;
        AppError::from_fields(&validate::visit(visited_on, &note, today()))?;
        let cadre = (staff.role == Role::Cadre)
            .then_some(staff.cadre_id)
            .flatten();
        let saved =
            records::record_visit(&db, household_id, cadre, visited_on, &note, &staff.username)
                .await?;
        outcome(saved)
    })
    .await
}

/// Visits on record, and recording a new one.
#[component]
pub(super) fn Visits(r: StaffRecord, after_write: Callback<Done>) -> impl IntoView {
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
            {list_or(r.visits.is_empty(), t!(i18n, form.no_visits), || view! {
                <ul class="visits">
                    {r.visits.iter().map(|v| view! {
                        <li><strong>{v.visited_on.to_string()}</strong> " " {v.cadre.clone()} {move || colon(i18n.get_locale())} {v.note.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
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
                {refusal_line(action.value(), checks, id)}
            </form>
        </section>
    }
}
