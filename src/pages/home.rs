//! `/`: the public portal's front door: product name, the search box, and a few figures.
use crate::{
    components::ErrorMessage,
    error::AppError,
    i18n::*,
    model::{MAX_QUERY_CHARS, RegionHit, RegionLevel, SiteStats},
};
use leptos::prelude::*;

/// Places whose name contains the typed text (the search box's live suggestions).
#[server(endpoint = "suggest_places")]
pub async fn suggest_places(q: String) -> Result<Vec<RegionHit>, AppError> {
    use crate::server::{repo::region, respond, state::db};
    respond(async move {
        let Some(q) = crate::model::normalize_query(&q)? else {
            return Ok(Vec::new());
        };
        Ok(region::search(&db()?, &q, 8).await?)
    })
    .await
}

/// Public counts for the home page.
#[server(endpoint = "site_stats")]
pub async fn load_site_stats() -> Result<SiteStats, AppError> {
    use crate::server::{repo::region, respond, state::db};
    respond(async move {
        let db = db()?;
        Ok(SiteStats {
            townships: region::count(&db, RegionLevel::Township).await?,
            villages: region::count(&db, RegionLevel::Village).await?,
            backend: db.backend().name().to_string(),
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
            <SearchBox />
        </section>
        <Stats />
    }
}

/// A plain GET form (works without JavaScript); once hydrated it also suggests places as the
/// user types. Typing is debounced, and only the answer to the latest text is shown.
#[component]
fn SearchBox() -> impl IntoView {
    let i18n = use_i18n();
    let (text, set_text) = signal(String::new());
    let debounced = leptos_use::signal_debounced(text, 250.0);
    let suggestions = Resource::new(
        move || debounced.get(),
        |q: String| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                suggest_places(q).await
            }
        },
    );
    view! {
        <form class="search" method="get" action="/search" role="search">
            <label for="q">{t!(i18n, search.label)}</label>
            <div class="search-row">
                <input
                    id="q"
                    name="q"
                    type="search"
                    autocomplete="off"
                    maxlength=MAX_QUERY_CHARS
                    placeholder=move || t_string!(i18n, search.placeholder).to_string()
                    on:input=move |ev| set_text.set(event_target_value(&ev))
                    prop:value=text
                />
                <button type="submit">{t!(i18n, search.submit)}</button>
            </div>
            <p class="hint">{t!(i18n, search.hint)}</p>
            <Transition fallback=|| ()>
                {move || {
                    let typed = !debounced.get().trim().is_empty();
                    suggestions.get().filter(|_| typed).map(|res| match res {
                        Ok(hits) => view! { <Suggestions hits /> }.into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
                }}
            </Transition>
        </form>
    }
}

#[component]
fn Suggestions(hits: Vec<RegionHit>) -> impl IntoView {
    let i18n = use_i18n();
    if hits.is_empty() {
        return view! { <p class="suggest-empty" role="status">{t!(i18n, search.no_suggestions)}</p> }
            .into_any();
    }
    view! {
        <div class="suggest" role="status">
            <h2>{t!(i18n, search.suggest_heading)}</h2>
            <ul>
                {hits
                    .into_iter()
                    .map(|hit| {
                        let level = match hit.level {
                            RegionLevel::City => t_string!(i18n, region_level.city).to_string(),
                            RegionLevel::Township => t_string!(i18n, region_level.township).to_string(),
                            RegionLevel::Village => t_string!(i18n, region_level.village).to_string(),
                        };
                        view! {
                            <li data-code=hit.code.clone()>
                                <span class="place">{hit.name}</span>
                                <span class="muted">
                                    {hit.parent_name.map(|p| format!("{p} · "))}{level}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
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
                        .get()
                        .map(|res| match res {
                            Ok(s) => {
                                let townships = s.townships;
                                let villages = s.villages;
                                let backend = s.backend;
                                view! {
                                    <p class="stat-regions">
                                        {t!(i18n, home.stats_regions, townships, villages)}
                                    </p>
                                    <p class="muted">{t!(i18n, home.backend, backend = move || backend.clone())}</p>
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
