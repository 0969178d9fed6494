//! `/updates` (work updates, newest first: township / village filter and text search in a plain
//! GET form), `/updates/:id`, `/township/:code`, and the "work here" section of village and
//! township pages.
use super::transparency_api::*;
use crate::components::PageTitle;
use crate::{
    components::ErrorMessage,
    i18n::*,
    model::{codes::Label, transparency::*},
    pages::{
        household::{id_param, record_view, yuan},
        village::percent_bp,
    },
};
use leptos::prelude::*;
use leptos_router::{
    hooks::{use_params_map, use_query_map},
    location::Url,
};

/// The township / village choice of a filter form (plain selects: they work without JavaScript).
#[component]
pub fn PlaceFilter(
    places: Vec<TownshipVillages>,
    township: String,
    village: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let townships: Vec<(String, String)> = places
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    view! {
        <label class="field">
            <span class="label">{t!(i18n, updates.township)}</span>
            <select name="township">
                <option value="">{t!(i18n, updates.any_place)}</option>
                {townships
                    .into_iter()
                    .map(|(code, name)| {
                        let selected = code == township;
                        view! { <option value=code selected=selected>{name}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
        <label class="field">
            <span class="label">{t!(i18n, updates.village)}</span>
            <select name="village">
                <option value="">{t!(i18n, updates.any_place)}</option>
                {places
                    .into_iter()
                    .map(|t| {
                        view! {
                            <optgroup label=t.name>
                                {t.villages
                                    .into_iter()
                                    .map(|(code, name)| {
                                        let selected = code == village;
                                        view! { <option value=code selected=selected>{name}</option> }
                                    })
                                    .collect_view()}
                            </optgroup>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
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
    let places = Resource::new(|| (), |_| list_places());
    view! {
        <PageTitle text=move || t_string!(i18n, updates.title).to_string() />
        <h1 class="page-title">{t!(i18n, updates.title)}</h1>
        <p class="muted">{t!(i18n, updates.intro)} " " <a href="/notices">{t!(i18n, notice.title)}</a></p>
        <form class="filters" method="get" action="/updates">
            <Suspense fallback=|| ()>
                {move || {
                    places.get().map(|r| {
                        let places = r.unwrap_or_default();
                        view! { <PlaceFilter places township=param("township") village=param("village") /> }
                    })
                }}
            </Suspense>
            <div class="search-row">
                <input type="search" name="q" value=move || param("q")
                    maxlength=crate::model::MAX_QUERY_CHARS
                    aria-label=move || t_string!(i18n, updates.search).to_string()
                    placeholder=move || t_string!(i18n, updates.search).to_string() />
                <button type="submit">{t!(i18n, policies.apply)}</button>
            </div>
        </form>
        <Transition fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                list.get()
                    .map(|r| match r {
                        Ok(l) if l.items.is_empty() => {
                            view! { <p class="empty">{t!(i18n, updates.none)}</p> }.into_any()
                        }
                        Ok(l) => {
                            let pages = (l.total + l.per_page - 1) / l.per_page;
                            let page = l.page;
                            let href = move |p: i64| {
                                format!(
                                    "/updates?township={}&village={}&q={}&page={p}",
                                    Url::escape(&param("township")),
                                    Url::escape(&param("village")),
                                    Url::escape(&param("q")),
                                )
                            };
                            let total = l.total;
                            view! {
                                <p class="muted" role="status">{t!(i18n, updates.total, n = total)}</p>
                                <ul class="updates">
                                    {l.items
                                        .into_iter()
                                        .map(|u| view! { <UpdateCard u full=false /> })
                                        .collect_view()}
                                </ul>
                                <nav class="pager">
                                    {(page > 1)
                                        .then(|| view! { <a rel="prev" href=href(page - 1)>{t!(i18n, search.prev)}</a> })}
                                    <span>{t!(i18n, search.page_of, page, pages)}</span>
                                    {(page < pages)
                                        .then(|| view! { <a rel="next" href=href(page + 1)>{t!(i18n, search.next)}</a> })}
                                </nav>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// Where a place's page is.
pub fn place_href(code: &str) -> String {
    if code.ends_with("000") {
        format!("/township/{code}")
    } else {
        format!("/village/{code}")
    }
}

/// One update: title, date, place, text (the first 160 characters in lists), measures.
#[component]
pub fn UpdateCard(u: UpdateItem, full: bool) -> impl IntoView {
    let i18n = use_i18n();
    let body = if full || u.body.chars().count() <= 160 {
        u.body.clone()
    } else {
        format!("{}…", u.body.chars().take(160).collect::<String>())
    };
    let place = u.place.clone();
    view! {
        <li class="update">
            <h3 class="update-title">
                {if full {
                    view! { <span>{u.title.clone()}</span> }.into_any()
                } else {
                    view! { <a href=format!("/updates/{}", u.id)>{u.title.clone()}</a> }.into_any()
                }}
            </h3>
            <p class="muted">
                <time datetime=u.happened_on.to_string()>{u.happened_on.to_string()}</time>
                " · "
                {match place {
                    Some(p) => view! {
                        {p.township.map(|(code, name)| view! { <a href=place_href(&code)>{name}</a> " · " })}
                        <a href=place_href(&p.code)>{p.name}</a>
                    }
                        .into_any(),
                    None => view! { <span>{t!(i18n, updates.city_wide)}</span> }.into_any(),
                }}
                {u.edited.then(|| view! { " · " <span class="badge">{t!(i18n, updates.edited)}</span> })}
            </p>
            <div class="update-body">
                {body.split('\n').map(|para| view! { <p>{para.to_string()}</p> }).collect_view()}
            </div>
            {u.measures.map(|m| {
                let category = m.category;
                let year = m.year;
                let measures = m.measures;
                let amount = yuan(m.amount);
                view! {
                    <p class="update-measures">
                        {t!(i18n, updates.measures, year, measures, amount = move || amount.clone())}
                        " "
                        <span class="badge">{move || category.label(i18n.get_locale())}</span>
                        " "
                        <a href=m.href>{t!(i18n, updates.to_dashboard)}</a>
                    </p>
                }
            })}
        </li>
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

/// The latest work updates and notices of a village or township.
#[component]
pub fn PlaceNewsSection(
    news: Resource<Result<PlaceNews, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                news.get()
                    .and_then(Result::ok)
                    .map(|n| {
                        view! {
                            <section aria-labelledby="work-h">
                                <h2 id="work-h">{t!(i18n, updates.here)}</h2>
                                {if n.updates.is_empty() {
                                    view! { <p class="empty">{t!(i18n, updates.none_here)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="updates">
                                            {n.updates
                                                .into_iter()
                                                .map(|u| view! { <UpdateCard u full=false /> })
                                                .collect_view()}
                                        </ul>
                                    }
                                        .into_any()
                                }}
                            </section>
                            <section aria-labelledby="notices-h">
                                <h2 id="notices-h">{t!(i18n, notice.here)}</h2>
                                <super::notices::NoticeList notices=n.notices today=None />
                            </section>
                        }
                    })
            }}
        </Suspense>
    }
}

#[component]
pub fn TownshipPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, get_township);
    let news = Resource::new(code, load_place_news);
    view! {
        {record_view(data, |t| view! { <TownshipView t /> }.into_any())}
        <PlaceNewsSection news />
    }
}

#[component]
fn TownshipView(t: PublicTownship) -> impl IntoView {
    let i18n = use_i18n();
    let code = t.code.clone();
    view! {
        <PageTitle text=t.name.clone() />
        <h1 class="page-title">{t.name.clone()}</h1>
        <p class="muted">
            <a href=format!("/dashboard?township={code}")>{t!(i18n, updates.township_dashboard)}</a>
            " · "
            <a href=format!("/updates?township={code}")>{t!(i18n, updates.title)}</a>
            " · "
            <a href=format!("/notices?township={code}")>{t!(i18n, notice.title)}</a>
        </p>
        <table class="data">
            <thead>
                <tr>
                    <th>{t!(i18n, updates.village)}</th>
                    <th class="num">{t!(i18n, village.registered)}</th>
                    <th class="num">{t!(i18n, village.still_poor)}</th>
                    <th class="num">{t!(i18n, village.incidence)}</th>
                </tr>
            </thead>
            <tbody>
                {t.villages
                    .into_iter()
                    .map(|v| {
                        let incidence = v
                            .rural_population
                            .filter(|p| *p > 0)
                            .map(|p| percent_bp(v.poor_persons * 10_000 / p))
                            .unwrap_or_else(|| "—".into());
                        view! {
                            <tr>
                                <td><a href=format!("/village/{}", v.code)>{v.name}</a></td>
                                <td class="num">{v.households}</td>
                                <td class="num">{v.poor_households}</td>
                                <td class="num">{incidence}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
