//! The helper cadre of a household, and handing it to another (picked by name).
use super::*;
use crate::model::staff::CadreBrief;
use chrono::NaiveDate;

/// Hands the household to another helper cadre from `start_on` (the old pairing is kept).
#[server(endpoint = "staff/change_helper")]
pub async fn change_helper(
    household_id: i64,
    version: i64,
    cadre_id: i64,
    start_on: NaiveDate,
) -> Result<i64, AppError> {
    use super::api::imp::*;
    use crate::model::validate;
    respond(async move {
        let (staff, db) = in_scope(household_id).await?;
        auth::require_editor(&staff)?;
        validate::past_date(start_on, today()).map_err(|c| AppError::field("start_on", c))?;
        let saved = records::change_helper(
            &db,
            household_id,
            version,
            cadre_id,
            start_on,
            &staff.username,
        )
        .await?;
        outcome(saved)
    })
    .await
}

/// Active cadres whose name starts with `q` (the helper picker); not for helper cadres.
#[server(endpoint = "staff/cadres")]
pub async fn find_cadres(q: String) -> Result<Vec<CadreBrief>, AppError> {
    use super::api::imp::*;
    respond(async move {
        let staff = auth::require_staff().await?;
        auth::require_editor(&staff)?;
        if q.trim().is_empty() || q.chars().count() > 20 {
            return Ok(Vec::new());
        }
        Ok(records::cadres(&db()?, &q).await?)
    })
    .await
}

/// The current helper, and (for editors) handing the household to another one.
#[component]
pub(super) fn Helper(r: StaffRecord, after_write: Callback<Done>) -> impl IntoView {
    let i18n = use_i18n();
    let id = r.household.id.unwrap_or_default();
    let version = r.household.version;
    let today = r.today;
    let query = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<i64>);
    let start = RwSignal::new(Some(today));
    let found = Resource::new(
        move || query.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                find_cadres(q).await
            }
        },
    );
    let checks = Checks::new(Memo::new(move |_| {
        let mut e = validate::FieldErrors::default();
        if chosen.get().is_none() {
            e.check("cadre_id", Err("required"));
        }
        match start.get() {
            Some(d) => e.check("start_on", validate::past_date(d, today)),
            None => e.check("start_on", Err("required")),
        }
        e
    }));
    let action = ServerAction::<ChangeHelper>::new();
    follow(action.value(), checks, after_write, Done::Saved);
    view! {
        <section aria-labelledby="helper-h">
            <h2 id="helper-h">{t!(i18n, form.helper)}</h2>
            <p class="current-helper">
                {match r.helper.clone() {
                    Some(c) => format!("{}（{}）", c.name, c.unit),
                    None => t_string!(i18n, form.no_helper).to_string(),
                }}
            </p>
            {r.can_edit.then(|| view! {
                <form class="inline helper" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    if checks.submit() && let (Some(cadre_id), Some(start_on)) = (chosen.get_untracked(), start.get_untracked()) {
                        action.dispatch(ChangeHelper { household_id: id, version, cadre_id, start_on });
                    }
                }>
                    <label class="field">
                        <span class="label">{t!(i18n, form.find_cadre)}</span>
                        <input name="cadre_query" prop:value=query on:input=move |ev| {
                            chosen.set(None);
                            query.set(event_target_value(&ev));
                        } />
                        <FieldError checks path="cadre_id" />
                    </label>
                    <Transition fallback=|| ()>
                        <ul class="picker">
                            {move || found.loaded().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                                let cid = c.id;
                                view! {
                                    <li>
                                        <label class="check">
                                            <input type="radio" name="cadre_id" value=cid
                                                prop:checked=move || chosen.get() == Some(cid)
                                                on:change=move |_| chosen.set(Some(cid)) />
                                            <span>{format!("{}（{}）", c.name, c.unit)}</span>
                                        </label>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </Transition>
                    <Field label=Signal::derive(move || form_label(i18n, "start_on")) path="start_on" kind="date" checks
                        value=Signal::derive(move || date_text(start.get()))
                        set=Callback::new(move |v: String| start.set(date(&v))) />
                    <button type="submit" name="change_helper">{t!(i18n, form.change_helper)}</button>
                    {refusal_line(action.value(), checks, id)}
                </form>
            })}
        </section>
    }
}
