//! `/dashboard?year=2017&township=…`: the city against its target, at a glance. Public
//! (aggregates only). Rendered complete on the server; once interactive, choosing a year or a
//! township (in the form or by its bar) updates the charts without a page load and the URL follows.
use crate::components::PageTitle;
use crate::components::list_or;
use crate::components::punct::{colon, paren};
use crate::{
    components::{
        ErrorMessage,
        chart::{Bar, BarChart, MonthChart},
    },
    error::AppError,
    i18n::*,
    model::{codes::Label, dashboard::Dashboard, grouped, staff::StaffInfo, transparency::Waiting},
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// What waits for the asking staff member (the dashboard's staff view); helper cadres see none.
#[server(endpoint = "staff/waiting")]
pub async fn staff_waiting() -> Result<Waiting, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let staff = auth::require_staff().await?;
        let Ok(range) = editor_range(&staff) else {
            return Ok(Waiting::default());
        };
        Ok(notices::waiting(&db()?, &range, clock::today()).await?)
    })
    .await
}

/// The dashboard's figures for a year (default: this year if it has a target, else the latest
/// target year) and an optional township.
#[server(endpoint = "dashboard")]
pub async fn load_dashboard(
    year: Option<i32>,
    township: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::server::{repo::stats, respond, state::db};
    respond(async move {
        if let Some(y) = year
            && !(2000..=2100).contains(&y)
        {
            return Err(AppError::invalid("year"));
        }
        let township = township.filter(|t| !t.is_empty());
        if let Some(t) = &township
            && (t.len() != 12
                || !t.bytes().all(|b| b.is_ascii_digit())
                || !t.ends_with("000")
                || t.ends_with("000000"))
        {
            return Err(AppError::invalid("township"));
        }
        let today = crate::server::clock::today();
        Ok(stats::dashboard(&db()?, year, township.as_deref(), today).await?)
    })
    .await
}

/// `?year=` and `?township=` of a dashboard URL.
fn href(year: i32, township: Option<&str>) -> String {
    match township {
        Some(t) => format!("/dashboard?year={year}&township={t}"),
        None => format!("/dashboard?year={year}"),
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("year").and_then(|y| y.parse::<i32>().ok()),
            q.get("township").filter(|t| !t.is_empty()),
        )
    });
    // The source is read again in the resource's own task, which can outlive the page's owner
    // when the visitor hangs up (its filters are then gone): read without panicking.
    let data = Resource::new(
        move || filters.try_get().unwrap_or_default(),
        |(year, township)| load_dashboard(year, township),
    );
    // Staff see a little more: their own area one click away, households opening in the staff
    // view, and what waits for them (running notices, objections to answer, drafts). One
    // resource asks both in turn: a resource whose source reads another would be refetched when
    // that one resolves, and a visitor who has hung up by then leaves it reading a disposed value.
    let viewer = Resource::new(
        || (),
        |_| async move {
            let staff = crate::pages::staff::login::whoami().await.ok().flatten();
            let waiting = match staff {
                Some(_) => staff_waiting().await.ok(),
                None => None,
            };
            (staff, waiting)
        },
    );
    view! {
        <PageTitle text=move || t_string!(i18n, dash.title).to_string() />
        <h1 class="page-title">{t!(i18n, dash.title)}</h1>
        <Transition fallback=|| view! { <p class="muted">"…"</p> }>
            {move || data.get().map(|r| match r {
                Ok(d) => {
                    let (staff, waiting) = viewer.get().unwrap_or_default();
                    view! { <DashboardView d staff waiting /> }.into_any()
                }
                Err(error) => view! { <ErrorMessage error /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn DashboardView(
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
            let area = (s.region_code.len() == 12 && s.role != crate::model::codes::Role::CityAdmin)
                .then(|| format!("{}000", &s.region_code[..9]));
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

/// 防止返贫动态监测 on the dashboard: aggregates of the same place (no household named), the
/// chosen year's flow, and four charts.
#[component]
fn MonitoringSection(m: crate::model::dashboard::Monitoring, year: i32) -> impl IntoView {
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
