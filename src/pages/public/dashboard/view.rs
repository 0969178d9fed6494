//! The dashboard's body: the city (or a township) against its target, its causes, townships and
//! measures, and what waits for staff.
use super::{href, monitoring::MonitoringSection};
use crate::components::punct::{colon, paren};
use crate::{
    components::{
        chart::{Bar, BarChart, MonthChart},
        list_or,
    },
    i18n::*,
    model::{codes::Label, dashboard::Dashboard, grouped, staff::StaffInfo},
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub(super) fn DashboardView(
    d: Dashboard,
    staff: Option<StaffInfo>,
    waiting: Option<crate::model::transparency::Waiting>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let go = Callback::new(move |to: String| navigate(&to, Default::default()));
    let year = d.year;
    let township = d.township.clone();
    let township_name = township
        .as_ref()
        .and_then(|c| d.townships.iter().find(|t| &t.code == c))
        .map(|t| t.name.clone());
    let k = d.kpi.clone();
    let target = k.target;
    let pct = |n: i64, of: i64| {
        if of > 0 {
            (n * 1000 / of) as f64 / 10.0
        } else {
            0.0
        }
    };
    let progress = target.map(|t| pct(k.exited_persons, t.persons));
    let incidence = k
        .incidence_bp()
        .map(|bp| format!("{:.2}%", bp as f64 / 100.0));
    let scope = township_name
        .clone()
        .unwrap_or_else(|| t_string!(i18n, dash.city).to_string());

    let locale = i18n.get_locale_untracked();
    let township_bars: Vec<Bar> = d
        .townships
        .iter()
        .map(|t| {
            let selected = township.as_deref() == Some(t.code.as_str());
            Bar {
                key: t.code.clone(),
                label: t.name.clone(),
                value: t.households,
                part: Some(t.poor_households),
                note: format!(
                    "{}{}{} / {}",
                    t.name,
                    colon(locale),
                    grouped(t.poor_households),
                    grouped(t.households)
                ),
                href: Some(if selected {
                    href(year, None)
                } else {
                    href(year, Some(&t.code))
                }),
                selected,
            }
        })
        .collect();
    let cause_bars: Vec<Bar> = d
        .causes
        .iter()
        .map(|(c, n)| Bar {
            key: c.as_str().into(),
            label: c.label(locale).into(),
            value: *n,
            part: None,
            note: format!("{}{}{}", c.label(locale), colon(locale), grouped(*n)),
            href: None,
            selected: false,
        })
        .collect();
    let measure_bars: Vec<Bar> = d
        .measures
        .iter()
        .map(|m| Bar {
            key: m.category.as_str().into(),
            label: m.category.label(locale).into(),
            value: m.amount,
            part: None,
            note: {
                let (label, count, amount) = (
                    m.category.label(locale),
                    grouped(m.count),
                    grouped(m.amount),
                );
                t_string!(i18n, dash.measure_note, label, count, amount).to_string()
            },
            href: None,
            selected: false,
        })
        .collect();
    let years = d.years.clone();
    let base = if staff.is_some() {
        "/staff/household/"
    } else {
        "/household/"
    };
    let townships = d.townships.clone();
    let tw = township.clone();
    let on_year = move |ev: leptos::ev::Event| {
        if let Ok(y) = event_target_value(&ev).parse::<i32>() {
            go.run(href(y, tw.as_deref()));
        }
    };
    let on_township = move |ev: leptos::ev::Event| {
        let t = event_target_value(&ev);
        go.run(href(year, (!t.is_empty()).then_some(t.as_str())));
    };
    view! {
        <form class="filters dash-filters" method="get" action="/dashboard">
            <label>
                {t!(i18n, dash.year)}
                <select name="year" on:change=on_year>
                    {years.into_iter().map(|y| view! { <option value=y selected=y == year>{y}</option> }).collect_view()}
                </select>
            </label>
            <label>
                {t!(i18n, dash.township)}
                <select name="township" on:change=on_township>
                    <option value="" selected=township.is_none()>{t!(i18n, dash.all_townships)}</option>
                    {townships.into_iter().map(|t| {
                        let selected = township.as_deref() == Some(t.code.as_str());
                        view! { <option value=t.code selected=selected>{t.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            // Public pages carry no client: the button applies the choice. On a page the client
            // has taken over (a clerk's), a choice applies at once and the button is hidden.
            <button type="submit" class="apply">{t!(i18n, dash.apply)}</button>
        </form>
        <p class="scope" role="status">{scope.clone()} " · " {year}</p>
        {staff.as_ref().map(|s| {
            let area = crate::model::place::PlaceCode::parse(&s.region_code)
                .filter(|_| s.role != crate::model::codes::Role::CityAdmin)
                .map(|c| c.township_of().to_string());
            view! {
                <p class="staff-view">
                    {t!(i18n, dash.staff_view)}
                    {area.map(|t| view! { " " <a class="my-area" href=href(year, Some(&t))>{t!(i18n, dash.my_area)}</a> })}
                </p>
                {waiting.clone().filter(|_| s.role != crate::model::codes::Role::Cadre).map(|w| view! {
                    <p class="staff-waiting" role="status">
                        {t!(i18n, dash.waiting, notices = w.running_notices, objections = w.open_objections, ready = w.ready, drafts = w.drafts)}
                        " · " <a href="/staff/notices">{t!(i18n, dash.to_notices)}</a>
                        " · " <a href="/staff/updates">{t!(i18n, dash.to_updates)}</a>
                    </p>
                })}
            }
        })}
        <section class="kpis" aria-label=move || t_string!(i18n, dash.kpis).to_string()>
            <div class="kpi">
                <span class="kpi-label">{t!(i18n, dash.registered)}</span>
                <span class="kpi-value">{grouped(k.households)} " " {t!(i18n, dash.households_unit)}</span>
                <span class="muted">{grouped(k.persons)} " " {t!(i18n, dash.persons_unit)}</span>
            </div>
            <div class="kpi kpi-target">
                <span class="kpi-label">{t!(i18n, dash.exited_year, year)}</span>
                <span class="kpi-value">{grouped(k.exited_persons)} " " {t!(i18n, dash.persons_unit)}</span>
                {match (target, progress) {
                    (Some(t), Some(p)) => view! {
                        <span class="muted">{t!(i18n, dash.of_target, target = grouped(t.persons), pct = format!("{p:.1}"))}</span>
                        <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax=t.persons aria-valuenow=k.exited_persons>
                            <div class="progress-fill" style=format!("width:{}%", p.min(100.0))></div>
                        </div>
                    }.into_any(),
                    _ => view! { <span class="muted">{t!(i18n, dash.no_target)}</span> }.into_any(),
                }}
                {township_name.is_some().then(|| view! { <span class="muted small">{t!(i18n, dash.target_city_wide)}</span> })}
            </div>
            <div class="kpi">
                <span class="kpi-label">{t!(i18n, dash.incidence)}</span>
                <span class="kpi-value">{incidence.unwrap_or_else(|| "—".into())}</span>
                <span class="muted">{t!(i18n, dash.still_poor, households = grouped(k.poor_households), persons = grouped(k.poor_persons))}</span>
            </div>
            <div class="kpi">
                <span class="kpi-label">{t!(i18n, dash.villages_below)}</span>
                <span class="kpi-value">{k.villages_below} " / " {k.villages}</span>
                <span class="muted">{t!(i18n, dash.villages_rule)}</span>
            </div>
        </section>
        <div class="charts">
            <MonthChart
                title=Signal::derive(move || t_string!(i18n, dash.monthly, year).to_string())
                monthly=d.monthly.clone()
                target=target.map(|t| t.persons)
            />
            <BarChart
                id="townships"
                title=Signal::derive(move || t_string!(i18n, dash.by_township).to_string())
                bars=township_bars
                on_pick=go
            />
            <BarChart
                id="causes"
                title=Signal::derive(move || t_string!(i18n, dash.causes).to_string())
                bars=cause_bars
            />
            <BarChart
                id="measures"
                title=Signal::derive(move || t_string!(i18n, dash.measures, year).to_string())
                bars=measure_bars
            />
        </div>
        <MonitoringSection m=d.monitoring.clone() year />
        <section aria-labelledby="near-h" class="near-exit">
            <h2 id="near-h">{t!(i18n, dash.near_exit)}</h2>
            {list_or(d.near_exit.is_empty(), t!(i18n, dash.none_near), || view! {
                <ol>
                    {d.near_exit.into_iter().map(|v| view! {
                        <li>
                            <a href=format!("/village/{}", v.code)>{v.name.clone()}</a>
                            <span class="muted">" · " {v.township.clone()}</span>
                            <p>{t!(i18n, dash.to_exit, n = grouped(v.to_exit), poor = grouped(v.poor_persons), population = grouped(v.rural_population))}</p>
                            <ul class="holding">
                                {v.households.into_iter().map(|h| view! {
                                    <li><a href=format!("{base}{}", h.id)>{h.head}</a> {move || paren(i18n.get_locale(), &t_string!(i18n, dash.persons_n, n = h.persons).to_string())}</li>
                                }).collect_view()}
                            </ul>
                        </li>
                    }).collect_view()}
                </ol>
            })}
        </section>
    }
}
