//! `/staff`: the staff desk. Who is logged in, the way to each staff page, the finder of
//! households in scope with its export, and logging out.
use crate::{
    api::{
        households::{find_households, new_household_options},
        session::{Logout, whoami},
    },
    components::{ErrorMessage, HitCard, Loaded, PageTitle},
    error::AppError,
    i18n::*,
    model::codes::{Label, Role},
};
use leptos::prelude::*;

#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| whoami());
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            crate::components::Viewer::set(None);
        }
    });
    // Created here, with the page, not inside the Suspense below (a resource made while a
    // suspended view re-renders would outlive the request's context on the server).
    let query = leptos_router::hooks::use_query_map();
    // The finder's text: typed here (hydrated: sent with POST, never put in the address), else
    // what the form posted without JavaScript (kept on the server under a cookie), else `?q=`.
    let typed = RwSignal::new(None::<String>);
    #[cfg(feature = "ssr")]
    let posted = crate::server::page::posted_find();
    #[cfg(not(feature = "ssr"))]
    let posted: Option<String> = None;
    let q = Memo::new(move |_| {
        typed
            .get()
            .or_else(|| posted.clone())
            .unwrap_or_else(|| query.read().get("q").unwrap_or_default())
    });
    let hits = Resource::new(move || q.get(), find_households);
    // The villages in scope, for the export's village choice (refused for helper cadres).
    let villages = Resource::new(|| (), |_| new_household_options());
    view! {
        <PageTitle text=move || t_string!(i18n, login.staff_home).to_string() />
        <h1 class="page-title">{t!(i18n, login.staff_home)}</h1>
        <Suspense fallback=|| ()>
            {move || {
                me.loaded()
                    .map(|r| match r {
                        Ok(Some(staff)) if logout.value().get().is_none() => {
                            let name = staff.display_name.clone();
                            let role = staff.role;
                            let region = format!("/village/{}", staff.region_code);
                            let editor = role != Role::Cadre;
                            view! {
                                <p class="signed-in">
                                    {t!(i18n, login.signed_in_as, name = move || name.clone(), role = move || role.label(i18n.get_locale()))}
                                </p>
                                <p>
                                    <a class="my-region" href=region>{staff.region_code.clone()}</a>
                                    {editor.then(|| view! {
                                        " · " <a class="new-household" href="/staff/household/new">{t!(i18n, form.new_title)}</a>
                                        " · " <a class="import" href="/staff/import">{t!(i18n, import.link)}</a>
                                        " · " <a class="staff-notices" href="/staff/notices">{t!(i18n, staff_notice.title)}</a>
                                        " · " <a class="staff-updates" href="/staff/updates">{t!(i18n, staff_update.title)}</a>
                                    })}
                                    " · " <a class="staff-monitoring" href="/staff/monitoring">{t!(i18n, monitoring.desk)}</a>
                                </p>
                                <Finder cadre=!editor q typed hits />
                                <StaffExport q villages />
                                <ActionForm action=logout>
                                    <button type="submit">{t!(i18n, login.logout)}</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        Ok(_) => view! {
                            <p>{t!(i18n, login.not_signed_in)} " " <a href="/login">{t!(i18n, login.title)}</a></p>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// Search-first access to households in scope: a name (or its beginning), pinyin, initials, an
/// 18-digit ID or a household number. A POST form (an ID never goes into the address), so it
/// works before hydration too; hydrated, the text goes to the server function directly. A helper
/// cadre sees their own households before typing anything.
#[component]
fn Finder(
    cadre: bool,
    q: Memo<String>,
    typed: RwSignal<Option<String>>,
    hits: Resource<Result<Vec<crate::model::search::HouseholdHit>, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    view! {
        <form class="finder" method="post" action="/staff/find" role="search" on:submit=move |ev| {
            ev.prevent_default();
            typed.set(Some(input.get().map(|i| i.value()).unwrap_or_default()));
        }>
            <label>
                {t!(i18n, desk.find)}
                <input type="search" name="q" node_ref=input value=move || q.get() maxlength="40" placeholder=move || t_string!(i18n, desk.find_hint).to_string() />
            </label>
            <button type="submit">{t!(i18n, search.submit)}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || hits.loaded().map(|r| match r {
                Ok(list) if list.is_empty() && (cadre || !q.get().trim().is_empty()) => {
                    view! { <p class="empty">{t!(i18n, desk.none)}</p> }.into_any()
                }
                Ok(list) => view! {
                    <ol class="results staff-results">
                        {list.into_iter().map(|h| view! { <HitCard h base="/staff/household/" /> }).collect_view()}
                    </ol>
                }.into_any(),
                Err(error) => view! { <ErrorMessage error /> }.into_any(),
            })}
        </Suspense>
    }
}

/// Export of the households in scope that match the finder's text (and a status): a POST form
/// (the text may be an ID), so it works before hydration; the file carries full details and the
/// export is audited.
#[component]
fn StaffExport(
    q: Memo<String>,
    villages: Resource<Result<crate::model::staff::NewHouseholdForm, AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="staff-export" method="post" action="/staff/export/households.xlsx">
            <p class="hint">{t!(i18n, export.staff_hint)}</p>
            <input type="hidden" name="q" value=move || q.get() />
            <Suspense fallback=|| ()>
                {move || villages.loaded().and_then(Result::ok).filter(|f| f.villages.len() > 1).map(|f| view! {
                    <label>
                        {t!(i18n, export.village_label)}
                        <select name="village">
                            <option value="">{t!(i18n, export.village_any)}</option>
                            {f.villages.into_iter().map(|v| view! {
                                <option value=v.code.clone()>{format!("{} · {}", v.township, v.name)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
            </Suspense>
            <label>
                {t!(i18n, export.status)}
                <select name="status">
                    <option value="">{t!(i18n, export.status_any)}</option>
                    {crate::model::codes::Status::ALL.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str()>{move || s.label(i18n.get_locale())}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit">{t!(i18n, export.xlsx)}</button>
            <button type="submit" formaction="/staff/export/households.csv">{t!(i18n, export.csv)}</button>
        </form>
    }
}
