//! A household's status: exit (after its notice and the exit check) or relapse, with its date.
use super::*;
use chrono::NaiveDate;

/// Marks the household exited or relapsed on a date.
#[server(endpoint = "staff/set_status")]
pub async fn set_status(
    household_id: i64,
    version: i64,
    status: Status,
    on: NaiveDate,
) -> Result<i64, AppError> {
    use super::api::imp::*;
    respond(async move {
        let (staff, db) = in_scope(household_id).await?;
        auth::require_editor(&staff)?;
        let saved =
            records::set_status(&db, household_id, version, status, on, &staff.username).await?;
        outcome(saved)
    })
    .await
}

/// Mark exit (poor or relapsed → exited) or relapse (exited → relapsed), with its date.
#[component]
pub(super) fn StatusForm(r: StaffRecord, after_write: Callback<Done>) -> impl IntoView {
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
                {refusal_line(action.value(), checks, id)}
            </form>
        </section>
    }
}
