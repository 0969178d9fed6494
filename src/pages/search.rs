//! `/search?q=…&page=N`: households found by name, pinyin, initials or place, rendered on the
//! server (a plain GET form works with JavaScript off); once hydrated, typing updates the results
//! and the URL in place.
use crate::components::PageTitle;
use crate::components::punct::paren;
use crate::{
    components::{ErrorMessage, LatestOnly, Live, SearchBox},
    error::AppError,
    i18n::*,
    model::{
        RegionHit, RegionLevel,
        codes::{Label, Status},
        search::*,
    },
};
use leptos::prelude::*;
use leptos_router::{hooks::use_query_map, location::Url};

/// The public search. Refuses, with a reason, what is not a name, pinyin, initials or place.
#[server(endpoint = "search")]
pub async fn search(q: String, page: Option<u32>) -> Result<SearchResults, AppError> {
    use crate::server::{repo, respond, state::db};
    respond(async move {
        let Some(q) = crate::model::normalize_query(&q)? else {
            return Err(AppError::invalid("query_empty"));
        };
        let term = SearchTerm::parse(&q)?;
        Ok(repo::search::search(&db()?, &term, page.unwrap_or(1)).await?)
    })
    .await
}

/// The results page.
#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    };
    let latest = LatestOnly::new();
    let results = Resource::new(
        move || (q(), page()),
        move |(q, page)| async move {
            if q.trim().is_empty() {
                None
            } else {
                latest.run(search(q, Some(page))).await
            }
        },
    );
    view! {
        <PageTitle text=move || format!("{} · {}", q(), t_string!(i18n, nav.search)) />
        <h1 class="page-title">{t!(i18n, nav.search)}</h1>
        <SearchBox initial=q() live=Live::Navigate />
        <Transition fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                results
                    .get()
                    .map(|r| match r {
                        None => view! { <p class="empty">{t!(i18n, search.empty_prompt)}</p> }.into_any(),
                        Some(Ok(res)) => view! { <Results res /> }.into_any(),
                        Some(Err(error)) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn Results(res: SearchResults) -> impl IntoView {
    let i18n = use_i18n();
    let total = res.total;
    let query = res.query.clone();
    let places = res.places.clone();
    let summary = if res.capped {
        view! { <p class="summary" role="status">{t!(i18n, search.found_capped, total)}</p> }
            .into_any()
    } else {
        view! { <p class="summary" role="status">{t!(i18n, search.found, total)}</p> }.into_any()
    };
    view! {
        {(!places.is_empty()).then(|| view! { <PlaceList places /> })}
        {summary}
        {if res.households.is_empty() {
            view! { <p class="empty">{t!(i18n, search.no_results)}</p> }.into_any()
        } else {
            view! {
                <ol class="results">
                    {res.households.into_iter().map(|h| view! { <HitCard h /> }).collect_view()}
                </ol>
                <Pager query=query.clone() page=res.page pages=res.pages />
                <p class="export-links">
                    <a href=format!("/export/households.xlsx?q={}", Url::escape(&query)) download>{t!(i18n, export.xlsx)}</a>
                    " · "
                    <a href=format!("/export/households.csv?q={}", Url::escape(&query)) download>{t!(i18n, export.csv)}</a>
                </p>
            }
                .into_any()
        }}
    }
}

/// Places that matched, each linked to its page.
#[component]
pub fn PlaceList(places: Vec<RegionHit>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="places" aria-labelledby="places-h">
            <h2 id="places-h">{t!(i18n, search.suggest_heading)}</h2>
            <ul>
                {places
                    .into_iter()
                    .map(|p| {
                        let level = match p.level {
                            RegionLevel::City => t_string!(i18n, region_level.city).to_string(),
                            RegionLevel::Township => t_string!(i18n, region_level.township).to_string(),
                            RegionLevel::Village => t_string!(i18n, region_level.village).to_string(),
                        };
                        let href = match p.level {
                            RegionLevel::Village => format!("/village/{}", p.code),
                            _ => format!("/search?q={}", Url::escape(&p.name)),
                        };
                        view! {
                            <li data-code=p.code.clone()>
                                <a class="place" href=href>{p.name}</a>
                                <span class="muted">
                                    {p.parent_name.map(|n| format!("{n} · "))}{level}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Status in words: in poverty, exited in year N, relapsed in year N.
pub fn status_text(
    locale: Locale,
    status: Status,
    exit: Option<i32>,
    relapse: Option<i32>,
) -> String {
    match (status, locale) {
        (Status::Exited, Locale::zh) => format!("{}年脱贫", exit.unwrap_or_default()),
        (Status::Exited, Locale::en) => format!("Exited in {}", exit.unwrap_or_default()),
        (Status::Relapsed, Locale::zh) => format!("{}年返贫", relapse.unwrap_or_default()),
        (Status::Relapsed, Locale::en) => format!("Relapsed in {}", relapse.unwrap_or_default()),
        (Status::Poor, l) => status.label(l).to_string(),
    }
}

/// One household found: householder, place, attribute, cause, helper. `base` is where its name
/// links (the public page, or the staff record).
#[component]
pub fn HitCard(
    h: HouseholdHit,
    #[prop(default = "/household/")] base: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let HouseholdHit {
        id,
        head_name,
        village_code,
        village_name,
        township_name,
        attribute,
        main_cause,
        status,
        exit_year,
        relapse_year,
        helper,
        matched,
        ..
    } = h;
    let status_class = format!("badge status-{}", status.as_str());
    view! {
        <li class="hit">
            <div class="hit-head">
                <a class="hit-name" href=format!("{base}{id}")>{head_name}</a>
                <span class=status_class>
                    {move || status_text(i18n.get_locale(), status, exit_year, relapse_year)}
                </span>
            </div>
            {matched
                .map(|m| {
                    view! {
                        <p class="matched">
                            {t!(i18n, search.matched_member)} " " <strong>{m.name}</strong>
                            {move || paren(i18n.get_locale(), m.relation.label(i18n.get_locale()))}
                        </p>
                    }
                })}
            <p class="hit-place">
                <a href=format!("/village/{village_code}")>{village_name}</a>
                " · "
                {township_name}
            </p>
            <dl class="facts">
                <dt>{t!(i18n, household.attribute)}</dt>
                <dd>{move || attribute.label(i18n.get_locale())}</dd>
                <dt>{t!(i18n, household.main_cause)}</dt>
                <dd>{move || main_cause.map(|c| c.label(i18n.get_locale())).unwrap_or("—")}</dd>
                <dt>{t!(i18n, household.helper)}</dt>
                <dd>
                    {match helper {
                        Some(hb) => format!("{}{}", hb.name, paren(i18n.get_locale_untracked(), &hb.unit)),
                        None => "—".to_string(),
                    }}
                </dd>
            </dl>
        </li>
    }
}

/// Previous / next links (plain links: they work without JavaScript).
#[component]
fn Pager(query: String, page: u32, pages: u32) -> impl IntoView {
    let i18n = use_i18n();
    let href = move |p: u32| format!("/search?q={}&page={p}", Url::escape(&query));
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, search.pages).to_string()>
            {(page > 1)
                .then(|| view! { <a rel="prev" href=href(page - 1)>{t!(i18n, search.prev)}</a> })}
            <span>{t!(i18n, search.page_of, page, pages)}</span>
            {(page < pages)
                .then(|| view! { <a rel="next" href=href(page + 1)>{t!(i18n, search.next)}</a> })}
        </nav>
    }
}
