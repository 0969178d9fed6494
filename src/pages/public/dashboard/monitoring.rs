//! The dashboard's monitoring section (防止返贫动态监测): households monitored, identified and
//! cleared, their risks and the help they get.
use crate::components::punct::colon;
use crate::{
    components::{
        chart::{Bar, BarChart},
        list_or,
    },
    i18n::*,
    model::{codes::Label, grouped},
};
use leptos::prelude::*;

/// 防止返贫动态监测 on the dashboard: aggregates of the same place (no household named), the
/// chosen year's flow, and four charts.
#[component]
pub(super) fn MonitoringSection(
    m: crate::model::dashboard::Monitoring,
    year: i32,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let (objects, cleared) = (m.objects(), m.cleared());
    let share = m
        .cleared_permille()
        .map(|p| format!("{}.{}", p / 10, p % 10));
    let in_year = m.years.iter().find(|y| y.year == year).copied();
    let bar = |key: &str, label: &str, value: i64, part: Option<i64>, note: String| Bar {
        key: key.into(),
        label: label.into(),
        value,
        part,
        note,
        href: None,
        selected: false,
    };
    let category_bars: Vec<Bar> = m
        .by_category
        .iter()
        .map(|(c, all, done)| {
            let (label, all_n, cleared_n) = (c.label(locale), grouped(*all), grouped(*done));
            bar(
                c.as_str(),
                label,
                *all,
                Some(*done),
                t_string!(
                    i18n,
                    dash.mon_category_note,
                    label,
                    all = all_n,
                    cleared = cleared_n
                )
                .to_string(),
            )
        })
        .collect();
    let risk_bars: Vec<Bar> = m
        .by_risk
        .iter()
        .map(|(r, n)| {
            let label = r.label(locale);
            bar(
                r.as_str(),
                label,
                *n,
                None,
                format!("{label}{}{}", colon(locale), grouped(*n)),
            )
        })
        .collect();
    let stage_bars: Vec<Bar> = m
        .by_stage
        .iter()
        .map(|(st, n)| {
            let label = st.label(locale);
            bar(
                st.as_str(),
                label,
                *n,
                None,
                format!("{label}{}{}", colon(locale), grouped(*n)),
            )
        })
        .collect();
    let year_bars: Vec<Bar> = m
        .years
        .iter()
        .map(|y| {
            let (new, cleared, monitored) =
                (grouped(y.new), grouped(y.cleared), grouped(y.monitored));
            Bar {
                key: y.year.to_string(),
                label: y.year.to_string(),
                value: y.monitored,
                part: None,
                note: t_string!(
                    i18n,
                    dash.mon_year_note,
                    year = y.year,
                    new,
                    cleared,
                    monitored
                )
                .to_string(),
                href: None,
                selected: y.year == year,
            }
        })
        .collect();
    let assistance_bars: Vec<Bar> = m
        .assistance
        .iter()
        .map(|(k, households, persons)| {
            let (label, h, p) = (k.label(locale), grouped(*households), grouped(*persons));
            bar(
                k.as_str(),
                label,
                *households,
                None,
                t_string!(
                    i18n,
                    dash.mon_assistance_note,
                    label,
                    households = h,
                    persons = p
                )
                .to_string(),
            )
        })
        .collect();
    let monitored_now = m.years.last().map_or(0, |y| y.monitored);
    let years = m.years.clone();
    view! {
        <section aria-labelledby="mon-h" class="monitoring-section">
            <h2 id="mon-h">{t!(i18n, dash.mon_title)}</h2>
            <p class="muted">{t!(i18n, dash.mon_lead)}</p>
            {list_or(objects == 0 && m.by_stage.is_empty(), t!(i18n, dash.mon_none), move || view! {
                <section class="kpis" aria-label=move || t_string!(i18n, dash.mon_title).to_string()>
                    <div class="kpi">
                        <span class="kpi-label">{t!(i18n, dash.mon_objects)}</span>
                        <span class="kpi-value">{grouped(objects)} " " {t!(i18n, dash.mon_objects_unit)}</span>
                    </div>
                    <div class="kpi">
                        <span class="kpi-label">{t!(i18n, dash.mon_cleared)}</span>
                        <span class="kpi-value">{grouped(cleared)} " " {t!(i18n, dash.mon_objects_unit)}</span>
                        {share.clone().map(|pct| view! { <span class="muted">{t!(i18n, dash.mon_cleared_share, pct)}</span> })}
                    </div>
                    <div class="kpi">
                        <span class="kpi-label">{t!(i18n, dash.mon_monitored)}</span>
                        <span class="kpi-value">{grouped(monitored_now)} " " {t!(i18n, dash.mon_objects_unit)}</span>
                    </div>
                    <div class="kpi">
                        <span class="kpi-label">{t!(i18n, dash.mon_overdue)}</span>
                        <span class="kpi-value">{grouped(m.overdue)}</span>
                        <span class="muted">{t!(i18n, dash.mon_overdue_note)}</span>
                    </div>
                </section>
                {in_year.map(|y| view! {
                    <p class="mon-scope" role="status">{t!(i18n, dash.mon_in_year, year = y.year, new = grouped(y.new), cleared = grouped(y.cleared), monitored = grouped(y.monitored))}</p>
                })}
                <div class="charts">
                    <BarChart
                        id="mon-years"
                        title=Signal::derive(move || t_string!(i18n, dash.mon_by_year).to_string())
                        bars=year_bars.clone()
                    />
                    <BarChart
                        id="mon-categories"
                        title=Signal::derive(move || t_string!(i18n, dash.mon_by_category).to_string())
                        bars=category_bars.clone()
                    />
                    <BarChart
                        id="mon-risks"
                        title=Signal::derive(move || t_string!(i18n, dash.mon_by_risk).to_string())
                        bars=risk_bars.clone()
                    />
                    <BarChart
                        id="mon-stages"
                        title=Signal::derive(move || t_string!(i18n, dash.mon_by_stage).to_string())
                        bars=stage_bars.clone()
                    />
                    <BarChart
                        id="mon-assistance"
                        title=Signal::derive(move || t_string!(i18n, dash.mon_assistance).to_string())
                        bars=assistance_bars.clone()
                    />
                </div>
                <table class="data mon-years">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, dash.mon_year)}</th>
                            <th scope="col">{t!(i18n, dash.mon_new)}</th>
                            <th scope="col">{t!(i18n, dash.mon_cleared_col)}</th>
                            <th scope="col">{t!(i18n, dash.mon_at_end)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {years.iter().map(|y| view! {
                            <tr>
                                <th scope="row">{y.year}</th>
                                <td>{grouped(y.new)}</td>
                                <td>{grouped(y.cleared)}</td>
                                <td>{grouped(y.monitored)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
