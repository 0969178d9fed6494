//! `/village/:code`: a village's poor households and persons, incidence, work team, measures.
use crate::components::PageTitle;
use crate::components::list_or;
use crate::components::punct::{colon, group};
use crate::{
    components::{PlaceNewsSection, percent_bp, record_view, yuan},
    error::AppError,
    i18n::*,
    model::{codes::Label, public::*},
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The public page of one village.
#[server(endpoint = "village")]
pub async fn get_village(code: String) -> Result<PublicVillage, AppError> {
    use crate::server::{repo, respond, state::db};
    respond(async move {
        let Some(code) = crate::model::place::PlaceCode::parse(&code) else {
            return Err(AppError::NotFound);
        };
        repo::public::village(&db()?, code.as_str())
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

#[component]
pub fn VillagePage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, get_village);
    let news = Resource::new(code, crate::api::places::load_place_news);
    view! {
        {record_view(data, |v| view! { <VillageView v /> }.into_any())}
        <PlaceNewsSection news />
    }
}

#[component]
fn VillageView(v: PublicVillage) -> impl IntoView {
    let i18n = use_i18n();
    let name = v.name.clone();
    let households = v.households;
    let persons = v.persons;
    let poor_households = v.poor_households;
    let poor_persons = v.poor_persons;
    view! {
        <PageTitle text=format!("{} · {}", v.name, v.township_name) />
        <nav class="crumbs">
            <a href=township_href(&v.code)>{v.township_name.clone()}</a>
        </nav>
        <h1 class="page-title">{name}</h1>
        <div class="kpis">
            <div class="kpi">
                <span class="kpi-label">{t!(i18n, village.registered)}</span>
                <span class="kpi-value">{t!(i18n, village.households_persons, households, persons)}</span>
            </div>
            <div class="kpi">
                <span class="kpi-label">{t!(i18n, village.still_poor)}</span>
                <span class="kpi-value">
                    {t!(i18n, village.households_persons, households = poor_households, persons = poor_persons)}
                </span>
            </div>
            <div class="kpi">
                <span class="kpi-label">{t!(i18n, village.incidence)}</span>
                <span class="kpi-value">{v.incidence_bp.map(percent_bp).unwrap_or_else(|| "—".into())}</span>
                {v.rural_population.map(|population| view! {
                    <span class="muted">{t!(i18n, village.population, population = crate::model::grouped(population))}</span>
                })}
                // The village exit rule: incidence below 2 %.
                {v.rural_population.filter(|p| *p > 0).map(|population| {
                    let to_go = crate::model::rules::persons_to_exit(poor_persons, population);
                    if crate::model::rules::village_may_exit(poor_persons, population) {
                        view! { <span class="exit-ok">{t!(i18n, village.may_exit)}</span> }.into_any()
                    } else {
                        view! { <span class="exit-not">{t!(i18n, village.to_exit, n = to_go)}</span> }.into_any()
                    }
                })}
            </div>
        </div>
        <p class="export-links">
            {t!(i18n, export.hint)} {move || colon(i18n.get_locale())}
            <a href=format!("/export/households.xlsx?village={}", v.code) download>{t!(i18n, export.xlsx)}</a>
            " · "
            <a href=format!("/export/households.csv?village={}", v.code) download>{t!(i18n, export.csv)}</a>
        </p>
        <section aria-labelledby="team-h">
            <h2 id="team-h">{t!(i18n, village.work_team)}</h2>
            {list_or(v.work_teams.is_empty(), t!(i18n, village.no_team), || {
                v.work_teams
                    .into_iter()
                    .map(|team| {
                        let span = format!(
                            "{} – {}",
                            team.start_on,
                            team.end_on.map(|d| d.to_string()).unwrap_or_default(),
                        );
                        view! {
                            <div class="team">
                                <p>
                                    <strong>{team.unit}</strong> " · " <span class="muted">{span}</span>
                                </p>
                                <p>
                                    {t!(i18n, village.leader)} {move || colon(i18n.get_locale())}
                                    {team.leader.unwrap_or_else(|| "—".into())}
                                    {(!team.members.is_empty()).then(|| view! {
                                        " · " {t!(i18n, village.team_members)} {move || colon(i18n.get_locale())} {team.members.join("、")}
                                    })}
                                </p>
                            </div>
                        }
                    })
                    .collect_view()
            })}
        </section>
        <section aria-labelledby="vm-h">
            <h2 id="vm-h">{t!(i18n, village.measures)}</h2>
            <table class="data">
                <thead>
                    <tr>
                        <th>{t!(i18n, household.category)}</th>
                        <th class="num">{t!(i18n, village.count)}</th>
                        <th class="num">{t!(i18n, household.amount)}</th>
                    </tr>
                </thead>
                <tbody>
                    {v.measures
                        .into_iter()
                        .map(|c| view! {
                            <tr>
                                <td>{move || c.category.label(i18n.get_locale())}</td>
                                <td class="num">{c.count}</td>
                                <td class="num">{yuan(c.amount)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="poor-h">
            <h2 id="poor-h">{t!(i18n, village.poor_list)}</h2>
            {list_or(v.still_poor.is_empty(), t!(i18n, village.none_poor), || {
                let shown = v.still_poor.len() as i64;
                let more = (v.poor_households > shown).then(|| {
                    let (shown, all) = (crate::model::grouped(shown), crate::model::grouped(v.poor_households));
                    let search = format!("/search?q={}", leptos_router::location::Url::escape(&v.name));
                    view! {
                        <p class="muted">
                            {t!(i18n, village.poor_first, shown = shown.clone(), all = all.clone())}
                            " " <a href=search>{t!(i18n, village.search_all)}</a>
                        </p>
                    }
                });
                view! {
                    {more}
                    <table class="data">
                        <thead>
                            <tr>
                                <th>{t!(i18n, household.head)}</th>
                                <th>{t!(i18n, village.group)}</th>
                                <th class="num">{t!(i18n, village.persons)}</th>
                                <th>{t!(i18n, household.attribute)}</th>
                                <th>{t!(i18n, household.main_cause)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {v.still_poor
                                .into_iter()
                                .map(|h| view! {
                                    <tr>
                                        <td><a href=format!("/household/{}", h.id)>{h.head_name}</a></td>
                                        <td>{move || h.group_no.map(|g| group(i18n.get_locale(), g))}</td>
                                        <td class="num">{h.persons}</td>
                                        <td>{move || h.attribute.label(i18n.get_locale())}</td>
                                        <td>{move || h.main_cause.map(|c| c.label(i18n.get_locale())).unwrap_or("—")}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </section>
    }
}

/// The page of the township village `code` lies in.
fn township_href(code: &str) -> String {
    crate::model::place::PlaceCode::parse(code)
        .map(|c| format!("/township/{}", c.township_of()))
        .unwrap_or_else(|| "/".into())
}
