//! `/updates` (work updates, newest first: township / village filter and text search in a plain
//! GET form), `/updates/:id`, `/township/:code`, and the "work here" section of village and
//! township pages.
use crate::components::Loaded;
use crate::components::PageTitle;
use crate::{
    components::{ErrorMessage, Pager, PlaceFilter, UpdateCard, id_param, record_view},
    error::AppError,
    i18n::*,
    model::transparency::*,
};
use leptos::prelude::*;
use leptos_router::{
    hooks::{use_params_map, use_query_map},
    location::Url,
};

/// Updates on one page of `/updates`.
pub const PER_PAGE: i64 = 20;

/// Published updates, newest first, tagged in a township or village (either may be empty) and
/// containing `q`.
#[server(endpoint = "updates")]
pub async fn list_updates(
    township: String,
    village: String,
    q: String,
    page: i64,
) -> Result<UpdateList, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let range = match (place(&village)?, place(&township)?) {
            (Some(v), _) => Some(v.range()),
            (None, Some(t)) => Some(t.township_of().range()),
            (None, None) => None,
        };
        if q.chars().count() > crate::model::search::MAX_QUERY_CHARS {
            return Err(AppError::QueryTooLong {
                max: crate::model::search::MAX_QUERY_CHARS,
            });
        }
        Ok(updates::public_updates(&db()?, &range, &q, page.clamp(1, 10_000), PER_PAGE).await?)
    })
    .await
}

/// One published update.
#[server(endpoint = "update")]
pub async fn get_update(id: i64) -> Result<UpdateItem, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        updates::public_update(&db()?, id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

#[component]
pub fn UpdatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let list = Resource::new(
        move || {
            (
                param("township"),
                param("village"),
                param("q"),
                param("page").parse::<i64>().unwrap_or(1),
            )
        },
        |(t, v, q, p)| list_updates(t, v, q, p),
    );
    view! {
        <PageTitle text=move || t_string!(i18n, updates.title).to_string() />
        <h1 class="page-title">{t!(i18n, updates.title)}</h1>
        <p class="muted">{t!(i18n, updates.intro)} " " <a href="/notices">{t!(i18n, notice.title)}</a></p>
        <form class="filters" method="get" action="/updates">
            <PlaceFilter
                township=Signal::derive(move || param("township"))
                village=Signal::derive(move || param("village"))
            />
            <div class="search-row">
                <input type="search" name="q" value=move || param("q")
                    maxlength=crate::model::search::MAX_QUERY_CHARS
                    aria-label=move || t_string!(i18n, updates.search).to_string()
                    placeholder=move || t_string!(i18n, updates.search).to_string() />
                <button type="submit">{t!(i18n, policies.apply)}</button>
            </div>
        </form>
        <Transition fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                list.loaded()
                    .map(|r| match r {
                        Ok(l) if l.items.is_empty() => {
                            view! { <p class="empty">{t!(i18n, updates.none)}</p> }.into_any()
                        }
                        Ok(l) => {
                            let pages = (l.total + l.per_page - 1) / l.per_page;
                            let page = l.page;
                            let link = format!(
                                "/updates?township={}&village={}&q={}&page=",
                                Url::escape(&param("township")),
                                Url::escape(&param("village")),
                                Url::escape(&param("q")),
                            );
                            let total = l.total;
                            view! {
                                <p class="muted" role="status">{t!(i18n, updates.total, n = total)}</p>
                                <ul class="updates">
                                    {l.items
                                        .into_iter()
                                        .map(|u| view! { <UpdateCard u full=false /> })
                                        .collect_view()}
                                </ul>
                                <Pager link page pages />
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
pub fn UpdatePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id"),
        |raw| async move { get_update(id_param(raw)?).await },
    );
    record_view(data, |u| {
        view! {
            <PageTitle text=u.title.clone() />
            <nav class="crumbs"><a href="/updates">{move || t_string!(use_i18n(), updates.title)}</a></nav>
            <ul class="updates single"><UpdateCard u full=true /></ul>
        }
        .into_any()
    })
}
