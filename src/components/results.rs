//! How search results read wherever they appear (the search page, the home page's preview, the
//! staff finder): a household card, a place list, a status in words.
use crate::{
    components::punct::paren,
    i18n::*,
    model::{RegionHit, RegionLevel, codes::*, search::*},
};
use leptos::prelude::*;
use leptos_router::location::Url;

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
        (Status::Poor | Status::Ordinary, l) => status.label(l).to_string(),
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
