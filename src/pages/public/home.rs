//! `/`: the public portal's front door: product name, the search box, and a few figures.
use crate::components::Loaded;
use crate::components::punct::paren;
use crate::{
    components::{ErrorMessage, LatestOnly, Live, PlaceList, SearchBox},
    error::AppError,
    i18n::*,
    model::{SiteStats, grouped, search::SearchResults},
    pages::public::search::search,
};
use leptos::prelude::*;
use leptos_router::location::Url;

/// Public counts for the home page.
#[server(endpoint = "site_stats")]
pub async fn load_site_stats() -> Result<SiteStats, AppError> {
    use crate::{
        model::RegionLevel,
        server::{repo::region, respond, state::db},
    };
    respond(async move {
        let db = db()?;
        let (households, persons) = crate::server::repo::stats::register_totals(&db).await?;
        Ok(SiteStats {
            townships: region::count(&db, RegionLevel::Township).await?,
            villages: region::count(&db, RegionLevel::Village).await?,
            households,
            persons,
        })
    })
    .await
}

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1>{t!(i18n, app_name)}</h1>
            <p class="tagline">{t!(i18n, tagline)}</p>
            <HomeSearch />
        </section>
        <Stats />
    }
}

/// The search box; once hydrated, a preview of the first matches appears as the user types.
#[component]
fn HomeSearch() -> impl IntoView {
    let (typed, set_typed) = signal(String::new());
    let latest = LatestOnly::new();
    // Read without panicking: the resource's task can outlive the page (see the dashboard).
    let preview = Resource::new(
        move || typed.try_get().unwrap_or_default(),
        move |q: String| async move {
            if q.trim().is_empty() {
                None
            } else {
                latest.run(search(q, Some(1))).await
            }
        },
    );
    view! {
        <SearchBox initial="" live=Live::Preview typed=set_typed>
            <Transition fallback=|| ()>
                {move || {
                    preview
                        .loaded()
                        .flatten()
                        .map(|res| match res {
                            Ok(res) => view! { <Preview res /> }.into_any(),
                            Err(error) => view! { <ErrorMessage error /> }.into_any(),
                        })
                }}
            </Transition>
        </SearchBox>
    }
}

/// The first few matches: places, then households, with a link to all results.
#[component]
fn Preview(res: SearchResults) -> impl IntoView {
    let i18n = use_i18n();
    let total = res.total;
    let all = format!("/search?q={}", Url::escape(&res.query));
    view! {
        <div class="suggest" role="status">
            {(!res.places.is_empty()).then(|| view! { <PlaceList places=res.places.clone() /> })}
            {if res.households.is_empty() && res.places.is_empty() {
                view! { <p class="suggest-empty">{t!(i18n, search.no_results)}</p> }.into_any()
            } else {
                view! {
                    <ul class="preview">
                        {res.households
                            .into_iter()
                            .take(5)
                            .map(|h| view! {
                                <li>
                                    <a href=format!("/household/{}", h.id)>{h.head_name}</a>
                                    {h.matched.map(|m| paren(i18n.get_locale_untracked(), &m.name))}
                                    <span class="muted">{format!("{} · {}", h.village_name, h.township_name)}</span>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                    <a class="see-all" href=all>{t!(i18n, search.see_all, total)}</a>
                }
                    .into_any()
            }}
        </div>
    }
}

/// Server-rendered figures (visible with JavaScript off).
#[component]
fn Stats() -> impl IntoView {
    let i18n = use_i18n();
    let stats = Resource::new(|| (), |_| load_site_stats());
    view! {
        <section class="stats">
            <h2>{t!(i18n, home.stats_heading)}</h2>
            <Suspense fallback=|| view! { <p>"…"</p> }>
                {move || {
                    stats
                        .loaded()
                        .map(|res| match res {
                            Ok(s) => {
                                let townships = s.townships;
                                let villages = s.villages;
                                let (households, persons) = (grouped(s.households), grouped(s.persons));
                                view! {
                                    <p class="stat-regions">
                                        {t!(i18n, home.stats_regions, townships, villages)}
                                    </p>
                                    <p class="stat-register">
                                        {t!(i18n, home.stats_register, households = move || households.clone(), persons = move || persons.clone())}
                                        " " <a href="/dashboard">{t!(i18n, home.to_dashboard)}</a>
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <ErrorMessage error /> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}
