//! `/township/:code`: a township's villages with their progress, and its latest work.
use crate::api::places::load_place_news;
use crate::{
    components::{PageTitle, PlaceNewsSection, percent_bp, record_view},
    error::AppError,
    i18n::*,
    model::transparency::*,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A township's page.
#[server(endpoint = "township")]
pub async fn get_township(code: String) -> Result<PublicTownship, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let code = place(&code).map_err(|_| AppError::NotFound)?;
        let code = code.ok_or(AppError::NotFound)?;
        places::township(&db()?, code.as_str())
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
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
