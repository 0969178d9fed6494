//! Staff server functions on one household. Every one checks, on the server, who is asking (401
//! without a session), whether the household is in their scope (404 otherwise, so nothing is
//! learnt about households outside it) and whether their role may do this (403).
use crate::{
    components::{ErrorMessage, rule_message},
    error::AppError,
    i18n::*,
    model::{codes::Label, staff::StaffHousehold, validate},
    pages::household::id_param,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/staff/household/:id`: the record in full for staff in scope, with the contact form.
#[component]
pub fn StaffHouseholdPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id"),
        |raw| async move { load_staff_household(id_param(raw)?).await },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                data.get()
                    .map(|r| match r {
                        Ok(h) => view! { <StaffHouseholdView h /> }.into_any(),
                        Err(AppError::Unauthorized) => view! {
                            <ErrorMessage error=AppError::Unauthorized />
                            <a href="/login">"→ /login"</a>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn StaffHouseholdView(h: StaffHousehold) -> impl IntoView {
    let i18n = use_i18n();
    let household = h.household;
    let id = household.id.unwrap_or_default();
    let head = household
        .members
        .iter()
        .find(|m| m.relation == crate::model::codes::Relation::Head)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let (version, set_version) = signal(household.version);
    let (address, set_address) = signal(household.address.clone());
    let (phone, set_phone) = signal(household.phone.clone().unwrap_or_default());
    // The same rule the server applies, run here as the user types.
    let phone_error = move || {
        let p = phone.get();
        let p = p.trim();
        (!p.is_empty()).then(|| validate::mobile(p).err()).flatten()
    };
    let address_error = move || {
        let n = address.get().trim().chars().count();
        (n == 0 || n > 100).then_some("address_length")
    };
    let save = ServerAction::<SaveContact>::new();
    Effect::new(move |_| {
        if let Some(Ok(v)) = save.value().get() {
            set_version.set(v);
        }
    });
    let last = h.last_change.clone();
    let name = head.clone();
    view! {
        <Title text=head.clone() />
        <h1 class="page-title">{t!(i18n, staffhh.title, name = move || name.clone())}</h1>
        {last.map(|(by, at)| view! { <p class="muted">{t!(i18n, staffhh.last_change, by = move || by.clone(), at = move || at.clone())}</p> })}
        <section aria-labelledby="contact-h">
            <h2 id="contact-h">{t!(i18n, staffhh.contact)}</h2>
            <form
                class="login"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    // Nothing is sent while a field is invalid: the message is already beside it.
                    if phone_error().is_some() || address_error().is_some() {
                        return;
                    }
                    save.dispatch(SaveContact {
                        id,
                        version: version.get_untracked(),
                        address: address.get_untracked(),
                        phone: phone.get_untracked(),
                    });
                }
            >
                <label>
                    {t!(i18n, staffhh.address)}
                    <input name="address" prop:value=address
                        aria-invalid=move || address_error().is_some().to_string()
                        on:input=move |ev| set_address.set(event_target_value(&ev)) />
                    <span class="field-error" role="alert">
                        {move || address_error().map(|c| rule_message(i18n, c))}
                    </span>
                </label>
                <label>
                    {t!(i18n, staffhh.phone)}
                    <input name="phone" inputmode="tel" prop:value=phone
                        aria-invalid=move || phone_error().is_some().to_string()
                        on:input=move |ev| set_phone.set(event_target_value(&ev)) />
                    <span class="field-error" role="alert">
                        {move || phone_error().map(|c| rule_message(i18n, c))}
                    </span>
                </label>
                <button type="submit" class="primary">{t!(i18n, staffhh.save)}</button>
                {move || {
                    save.value()
                        .get()
                        .map(|r| match r {
                            Ok(version) => view! { <p class="saved" role="status">{t!(i18n, staffhh.saved, version)}</p> }.into_any(),
                            Err(error @ AppError::StaleEdit { .. }) => view! {
                                <ErrorMessage error />
                                <a class="reload" href=format!("/staff/household/{id}") rel="external">{t!(i18n, staffhh.reload)}</a>
                            }
                                .into_any(),
                            Err(error) => view! { <ErrorMessage error /> }.into_any(),
                        })
                }}
            </form>
        </section>
        <History id />
        <section aria-labelledby="smembers-h">
            <h2 id="smembers-h">{t!(i18n, staffhh.members)}</h2>
            <table class="data">
                <tbody>
                    {household
                        .members
                        .into_iter()
                        .map(|m| {
                            let member_id = m.id.unwrap_or_default();
                            let reveal = ServerAction::<RevealId>::new();
                            let masked = m.id_number.clone().unwrap_or_default();
                            view! {
                                <tr>
                                    <td>{m.name}</td>
                                    <td>{move || m.relation.label(i18n.get_locale())}</td>
                                    <td class="mono">
                                        {move || match reveal.value().get() {
                                            Some(Ok(full)) => full,
                                            _ => masked.clone(),
                                        }}
                                    </td>
                                    <td>
                                        <button type="button" on:click=move |_| {
                                            reveal.dispatch(RevealId { household_id: id, member_id });
                                        }>{t!(i18n, staffhh.reveal)}</button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The full record of a household in scope, with ID numbers masked.
#[server(endpoint = "staff/household")]
pub async fn load_staff_household(id: i64) -> Result<StaffHousehold, AppError> {
    use crate::{
        model::id_number::mask_id,
        server::{auth, repo::household, respond, state::db},
    };
    respond(async move {
        let staff = auth::require_staff().await?;
        let db = db()?;
        auth::household_in_scope(&db, &staff, id).await?;
        let mut h = household::get(&db, id).await?.ok_or(AppError::NotFound)?;
        for m in &mut h.members {
            m.id_number = m.id_number.as_deref().map(mask_id);
        }
        Ok(StaffHousehold {
            household: h,
            last_change: household::last_change(&db, id).await?,
        })
    })
    .await
}

/// The household's history from the audit log (who, when, what, before and after).
#[server(endpoint = "staff/history")]
pub async fn household_history(id: i64) -> Result<Vec<crate::model::staff::AuditEntry>, AppError> {
    use crate::server::{auth, repo::household, respond, state::db};
    respond(async move {
        let staff = auth::require_staff().await?;
        let db = db()?;
        auth::household_in_scope(&db, &staff, id).await?;
        Ok(household::history(&db, id).await?)
    })
    .await
}

/// Shows one member's full ID number; the reveal is written to the audit log.
#[server(endpoint = "staff/reveal_id")]
pub async fn reveal_id(household_id: i64, member_id: i64) -> Result<String, AppError> {
    use crate::server::{auth, repo::household, respond, state::db};
    respond(async move {
        let staff = auth::require_staff().await?;
        let db = db()?;
        auth::household_in_scope(&db, &staff, household_id).await?;
        let id_number = household::member_id_number(&db, household_id, member_id)
            .await?
            .ok_or(AppError::NotFound)?;
        household::audit(
            &db,
            &staff.username,
            "reveal_id",
            "household",
            &household_id.to_string(),
            Some(format!(r#"{{"member_id":{member_id}}}"#)),
        )
        .await?;
        Ok(id_number)
    })
    .await
}

/// Saves address and phone on top of `version`. A stale version is refused with who changed the
/// record and when; the phone is checked by the same rule the form runs in the browser.
#[server(endpoint = "staff/save_contact")]
pub async fn save_contact(
    id: i64,
    version: i64,
    address: String,
    phone: String,
) -> Result<i64, AppError> {
    use crate::{
        model::{codes::Role, validate},
        server::{
            auth,
            repo::household::{self, Saved},
            respond,
            state::db,
        },
    };
    respond(async move {
        let staff = auth::require_staff().await?;
        let db = db()?;
        auth::household_in_scope(&db, &staff, id).await?;
        if staff.role == Role::Cadre {
            // Helper cadres read their households and record visits and measures only.
            return Err(AppError::Forbidden);
        }
        let phone = phone.trim();
        if !phone.is_empty() {
            validate::mobile(phone).map_err(AppError::invalid)?;
        }
        let address = address.trim();
        if address.is_empty() || address.chars().count() > 100 {
            return Err(AppError::invalid("address_length"));
        }
        let phone = (!phone.is_empty()).then_some(phone);
        match household::update_contact(&db, id, version, address, phone, &staff.username).await? {
            Saved::Ok { version } => Ok(version),
            Saved::Stale { .. } => {
                let (by, at) = household::last_change(&db, id)
                    .await?
                    .unwrap_or_else(|| ("?".into(), "?".into()));
                Err(AppError::StaleEdit { by, at })
            }
            Saved::Missing => Err(AppError::NotFound),
        }
    })
    .await
}

/// The audit trail of one household, newest first (as of loading the page).
#[component]
fn History(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let entries = Resource::new(|| (), move |_| household_history(id));
    view! {
        <section aria-labelledby="history-h">
            <h2 id="history-h">{t!(i18n, staffhh.history)}</h2>
            <Suspense fallback=|| ()>
                {move || {
                    entries
                        .get()
                        .map(|r| match r {
                            Ok(list) if list.is_empty() => {
                                view! { <p class="empty">{t!(i18n, staffhh.no_history)}</p> }.into_any()
                            }
                            Ok(list) => view! {
                                <table class="data history">
                                    <tbody>
                                        {list
                                            .into_iter()
                                            .map(|e| view! {
                                                <tr>
                                                    <td>{e.at}</td>
                                                    <td>{e.actor}</td>
                                                    <td>{e.action}</td>
                                                    <td class="mono">{e.before.unwrap_or_default()}</td>
                                                    <td class="mono">{e.after.unwrap_or_default()}</td>
                                                </tr>
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any(),
                            Err(error) => view! { <ErrorMessage error /> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}
