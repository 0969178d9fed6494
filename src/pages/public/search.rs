//! `/search?q=…&page=N`: households found by name, pinyin, initials or place, rendered on the
//! server (a plain GET form works with JavaScript off); once hydrated, typing updates the results
//! and the URL in place.
use crate::components::Loaded;
use crate::components::PageTitle;
use crate::components::list_or;
use crate::{
    components::{ErrorMessage, HitCard, LatestOnly, Live, Pager, PlaceList, SearchBox},
    error::AppError,
    i18n::*,
    model::search::*,
};
use leptos::prelude::*;
use leptos_router::{hooks::use_query_map, location::Url};

/// The public search. Refuses, with a reason, what is not a name, pinyin, initials or place.
#[server(endpoint = "search")]
pub async fn search(q: String, page: Option<u32>) -> Result<SearchResults, AppError> {
    use crate::server::{repo, respond, state::db};
    respond(async move {
        let Some(q) = crate::model::search::normalize_query(&q)? else {
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
                    .loaded()
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
        {list_or(res.households.is_empty(), t!(i18n, search.no_results), || view! {
            <ol class="results">
                {res.households.into_iter().map(|h| view! { <HitCard h /> }).collect_view()}
            </ol>
            <Pager
                link=format!("/search?q={}&page=", Url::escape(&query))
                page=i64::from(res.page)
                pages=i64::from(res.pages)
            />
            <p class="export-links">
                <a href=format!("/export/households.xlsx?q={}", Url::escape(&query)) download>{t!(i18n, export.xlsx)}</a>
                " · "
                <a href=format!("/export/households.csv?q={}", Url::escape(&query)) download>{t!(i18n, export.csv)}</a>
            </p>
        })}
    }
}
