//! `/household/:id`: one household as the public may see it.
use crate::components::PageTitle;
use crate::components::list_or;
use crate::{
    components::{id_param, record_view, status_text, yuan},
    error::AppError,
    i18n::*,
    model::{codes::Label, public::*},
};
use chrono::Datelike;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The public record of one household (masked IDs; no phone, health, bank or income).
#[server(endpoint = "household")]
pub async fn get_household(id: i64) -> Result<PublicHousehold, AppError> {
    use crate::server::{repo, respond, state::db};
    respond(async move {
        let today = crate::server::clock::today();
        repo::public::household(&db()?, id, today)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id"),
        |raw| async move { get_household(id_param(raw)?).await },
    );
    record_view(data, |h| view! { <HouseholdView h /> }.into_any())
}

#[component]
fn HouseholdView(h: PublicHousehold) -> impl IntoView {
    let i18n = use_i18n();
    let title = h.head_name.clone();
    let status = h.status;
    let exit = h.exited_on.map(|d| d.year());
    let relapse = h.relapsed_on.map(|d| d.year());
    let causes = h.causes.clone();
    let attribute = h.attribute;
    let standard = h.standard;
    let total: i64 = h.measures.iter().map(|m| m.amount).sum();
    let group_no = h.group_no;
    view! {
        <PageTitle text=format!("{title} · {}", h.village_name) />
        <nav class="crumbs">
            <a href=format!("/village/{}", h.village_code)>{h.village_name.clone()}</a>
            " · "
            {h.township_name.clone()}
        </nav>
        <h1 class="page-title">
            {t!(i18n, household.title, name = move || title.clone())}
            <span class="pinyin" lang="zh-Latn">{h.head_pinyin.clone()}</span>
            <span class=format!("badge status-{}", status.as_str())>
                {move || status_text(i18n.get_locale(), status, exit, relapse)}
            </span>
        </h1>
        <dl class="facts wide">
            <dt>{t!(i18n, household.address)}</dt>
            <dd>
                {h.village_name.clone()}
                {move || group_no.map(|g| format!(" {}", crate::components::punct::group(i18n.get_locale(), g)))}
            </dd>
            <dt>{t!(i18n, household.attribute)}</dt>
            <dd>{move || attribute.label(i18n.get_locale())}</dd>
            <dt>{t!(i18n, household.standard)}</dt>
            <dd>{move || standard.label(i18n.get_locale())}</dd>
            <dt>{t!(i18n, household.causes)}</dt>
            <dd>
                {move || {
                    let l = i18n.get_locale();
                    causes.iter().map(|c| c.label(l)).collect::<Vec<_>>().join("、")
                }}
            </dd>
        </dl>
        <section aria-labelledby="hist-h">
            <h2 id="hist-h">{t!(i18n, household.history)}</h2>
            <ol class="timeline">
                <li>{h.identified_on.to_string()} " " {t!(i18n, household.identified)}</li>
                {h.exited_on.map(|d| view! { <li>{d.to_string()} " " {t!(i18n, household.exited)}</li> })}
                {h.relapsed_on.map(|d| view! { <li>{d.to_string()} " " {t!(i18n, household.relapsed)}</li> })}
            </ol>
        </section>
        <section aria-labelledby="members-h">
            <h2 id="members-h">{t!(i18n, household.members)}</h2>
            <table class="data">
                <thead>
                    <tr>
                        <th>{t!(i18n, household.name)}</th>
                        <th>{t!(i18n, household.relation)}</th>
                        <th>{t!(i18n, household.sex)}</th>
                        <th>{t!(i18n, household.age)}</th>
                        <th>{t!(i18n, household.id_number)}</th>
                    </tr>
                </thead>
                <tbody>
                    {h.members
                        .into_iter()
                        .map(|m| {
                            view! {
                                <tr>
                                    <td>{m.name}</td>
                                    <td>{move || m.relation.label(i18n.get_locale())}</td>
                                    <td>{move || m.sex.label(i18n.get_locale())}</td>
                                    <td>{m.age}</td>
                                    <td class="mono">{m.id_masked.unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="measures-h">
            <h2 id="measures-h">{t!(i18n, household.measures)}</h2>
            {list_or(h.measures.is_empty(), t!(i18n, household.no_measures), || view! {
                <table class="data">
                    <thead>
                        <tr>
                            <th>{t!(i18n, household.year)}</th>
                            <th>{t!(i18n, household.category)}</th>
                            <th>{t!(i18n, household.measure)}</th>
                            <th class="num">{t!(i18n, household.amount)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {h.measures
                            .into_iter()
                            .map(|m| {
                                let name = match m.policy_id {
                                    Some(p) => view! { <a href=format!("/policies/{p}")>{m.name}</a> }.into_any(),
                                    None => m.name.into_any(),
                                };
                                view! {
                                    <tr>
                                        <td>{m.year}</td>
                                        <td>{move || m.category.label(i18n.get_locale())}</td>
                                        <td>{name}</td>
                                        <td class="num">{yuan(m.amount)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <td colspan="3">{t!(i18n, household.total)}</td>
                            <td class="num">{yuan(total)}</td>
                        </tr>
                    </tfoot>
                </table>
            })}
        </section>
        <section aria-labelledby="assist-h">
            <h2 id="assist-h">{t!(i18n, household.assistance)}</h2>
            {list_or(h.assistance.is_empty(), t!(i18n, household.no_assistance), || view! {
                <ul class="assistance">
                    {h.assistance.into_iter().map(|a| {
                        let kind = a.kind;
                        let since = a.since.to_string();
                        view! {
                            <li>
                                <strong>{move || kind.label(i18n.get_locale())}</strong>
                                " · " {t!(i18n, household.since, date = move || since.clone())}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </section>
        <section aria-labelledby="helpers-h">
            <h2 id="helpers-h">{t!(i18n, household.helpers)}</h2>
            <ul class="helpers">
                {h.helpers
                    .into_iter()
                    .map(|s| {
                        let current = s.end_on.is_none();
                        let span = format!(
                            "{} – {}",
                            s.start_on,
                            s.end_on.map(|d| d.to_string()).unwrap_or_default(),
                        );
                        view! {
                            <li class:current=current>
                                <strong>{s.name}</strong> " · " {s.unit} " · " <span class="muted">{span}</span>
                                {current.then(|| view! { " " <span class="badge">{t!(i18n, household.current)}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
