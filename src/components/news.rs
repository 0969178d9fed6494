//! Work updates and notices as cards and lists: on their own pages and in the "work here"
//! section of village and township pages.
use super::loaded::Loaded;
use crate::components::list_or;
use crate::{
    components::yuan,
    i18n::*,
    model::{codes::Label, transparency::*},
};
use chrono::NaiveDate;
use leptos::prelude::*;

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

/// The latest work updates and notices of a village or township.
#[component]
pub fn PlaceNewsSection(
    news: Resource<Result<PlaceNews, crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                news.loaded()
                    .and_then(Result::ok)
                    .map(|n| {
                        view! {
                            <section aria-labelledby="work-h">
                                <h2 id="work-h">{t!(i18n, updates.here)}</h2>
                                {list_or(n.updates.is_empty(), t!(i18n, updates.none_here), || view! {
                                    <ul class="updates">
                                        {n.updates
                                            .into_iter()
                                            .map(|u| view! { <UpdateCard u full=false /> })
                                            .collect_view()}
                                    </ul>
                                })}
                            </section>
                            <section aria-labelledby="notices-h">
                                <h2 id="notices-h">{t!(i18n, notice.here)}</h2>
                                <NoticeList notices=n.notices today=None />
                            </section>
                        }
                    })
            }}
        </Suspense>
    }
}

/// Notices as a table: kind, village, period, households, objections, running or over.
#[component]
pub fn NoticeList(notices: Vec<NoticeBrief>, today: Option<NaiveDate>) -> impl IntoView {
    let i18n = use_i18n();
    if notices.is_empty() {
        return view! { <p class="empty">{t!(i18n, notice.none)}</p> }.into_any();
    }
    view! {
        <table class="data notices">
            <thead>
                <tr>
                    <th>{t!(i18n, notice.kind)}</th>
                    <th>{t!(i18n, updates.village)}</th>
                    <th>{t!(i18n, notice.period)}</th>
                    <th class="num">{t!(i18n, notice.households)}</th>
                    <th class="num">{t!(i18n, notice.objections)}</th>
                </tr>
            </thead>
            <tbody>
                {notices
                    .into_iter()
                    .map(|n| {
                        let kind = n.kind;
                        let running = today.map(|d| notice_runs(n.starts_on, n.ends_on, d));
                        view! {
                            <tr>
                                <td>
                                    <a href=format!("/notices/{}", n.id)>
                                        {move || kind.label(i18n.get_locale())}
                                    </a>
                                    {running.map(|r| view! { " " <NoticeState running=r /> })}
                                    {n.on_paper.then(|| view! { " " <span class="badge paper">{t!(i18n, monitoring.paper_badge)}</span> })}
                                </td>
                                <td>{n.township_name} " · " {n.village_name}</td>
                                <td>{format!("{} – {}", n.starts_on, n.ends_on)}</td>
                                <td class="num">{n.households}</td>
                                <td class="num">{n.objections}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn NoticeState(running: bool) -> impl IntoView {
    let i18n = use_i18n();
    if running {
        view! { <span class="badge status-poor">{t!(i18n, notice.running)}</span> }.into_any()
    } else {
        view! { <span class="badge status-exited">{t!(i18n, notice.over)}</span> }.into_any()
    }
}
