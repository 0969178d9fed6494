//! `/staff/monitoring`: the monitoring desk (防止返贫动态监测) — the cases in the asker's scope,
//! overdue first and marked, filtered by category, risk, channel and stage; and
//! `/staff/case/:id`, one case with its timeline, plan and next step.
mod api;
mod case;
mod plan;

pub use api::*;
pub use case::CasePage;

use crate::components::Loaded;
use crate::components::{PageTitle, form::*, list_or};
use crate::{
    components::ErrorMessage,
    i18n::*,
    model::{
        codes::Label,
        grouped,
        monitoring::{
            Category, Channel, Risk, Stage,
            case::{Desk, DeskFilter},
        },
        validate::FieldErrors,
    },
};
use leptos::prelude::*;

#[component]
pub fn MonitoringDeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = RwSignal::new(DeskFilter::default());
    let desk = Resource::new(
        move || filter.get(),
        |f| async move { monitoring_desk(f).await },
    );
    let checks = Checks::new(Memo::new(|_| FieldErrors::default()));
    view! {
        <PageTitle text=move || t_string!(i18n, monitoring.desk).to_string() />
        <h1 class="page-title">{t!(i18n, monitoring.desk)}</h1>
        <form class="inline filters" on:submit=|ev| ev.prevent_default()>
            <CodeSelect label=Signal::derive(move || t_string!(i18n, monitoring.category).to_string()) path="category" checks optional=true
                value=Signal::derive(move || filter.with(|f| f.category))
                set=Callback::new(move |v: Option<Category>| filter.update(|f| f.category = v)) />
            <CodeSelect label=Signal::derive(move || t_string!(i18n, monitoring.risk).to_string()) path="risk" checks optional=true
                value=Signal::derive(move || filter.with(|f| f.risk))
                set=Callback::new(move |v: Option<Risk>| filter.update(|f| f.risk = v)) />
            <CodeSelect label=Signal::derive(move || t_string!(i18n, monitoring.channel).to_string()) path="channel" checks optional=true
                value=Signal::derive(move || filter.with(|f| f.channel))
                set=Callback::new(move |v: Option<Channel>| filter.update(|f| f.channel = v)) />
            <CodeSelect label=Signal::derive(move || t_string!(i18n, monitoring.stage).to_string()) path="stage" checks optional=true
                value=Signal::derive(move || filter.with(|f| f.stage))
                set=Callback::new(move |v: Option<Stage>| filter.update(|f| f.stage = v)) />
            <label class="check">
                <input type="checkbox" name="closed" prop:checked=move || filter.with(|f| f.closed)
                    on:change=move |ev| filter.update(|f| f.closed = event_target_checked(&ev)) />
                {t!(i18n, monitoring.finished)}
            </label>
        </form>
        <p class="exports">
            {t!(i18n, monitoring.export)} " "
            <a href=move || format!("/staff/export/cases.csv?{}", filter.with(|f| f.query())) download>"CSV"</a>
            " · "
            <a href=move || format!("/staff/export/cases.xlsx?{}", filter.with(|f| f.query())) download>"XLSX"</a>
        </p>
        <Suspense fallback=|| ()>
            {move || desk.loaded().map(|r| match r {
                Ok(d) => view! { <DeskTable d /> }.into_any(),
                Err(error) => view! { <ErrorMessage error /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn DeskTable(d: Desk) -> impl IntoView {
    let i18n = use_i18n();
    let (total, overdue) = (d.total, d.overdue);
    let shown = d.rows.len() as i64;
    view! {
        <p class="muted desk-count">
            {t!(i18n, monitoring.count, total = move || grouped(total), overdue = move || grouped(overdue), shown = move || grouped(shown))}
        </p>
        {list_or(d.rows.is_empty(), t!(i18n, monitoring.none), move || view! {
            <table class="data cases">
                <thead><tr>
                    <th>{t!(i18n, monitoring.household)}</th><th>{t!(i18n, monitoring.category)}</th>
                    <th>{t!(i18n, monitoring.risk)}</th><th>{t!(i18n, monitoring.stage)}</th>
                    <th>{t!(i18n, monitoring.due)}</th>
                </tr></thead>
                <tbody>
                    {d.rows.into_iter().map(|r| {
                        let (category, stage, risks) = (r.category, r.stage, r.risks.clone());
                        let held = r.held_on.is_some();
                        let lacking = r.without_development;
                        view! {
                            <tr class:overdue=r.overdue>
                                <td><a href=format!("/staff/case/{}", r.id)>{r.head_name.clone()}</a>
                                    " · " <span class="muted">{r.village_name.clone()}</span>
                                    {(lacking > 0).then(|| view! { " " <span class="badge warn">{t!(i18n, monitoring.desk_no_development, n = move || lacking)}</span> })}</td>
                                <td>{move || category.label(i18n.get_locale())}</td>
                                <td>{move || risks.iter().map(|k| k.label(i18n.get_locale())).collect::<Vec<_>>().join("、")}</td>
                                <td>{move || stage.label(i18n.get_locale())}
                                    {held.then(|| view! { " " <span class="badge held">{t!(i18n, monitoring.held)}</span> })}</td>
                                <td>{r.due_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}
                                    {r.overdue.then(|| view! { " " <span class="badge overdue">{t!(i18n, monitoring.overdue)}</span> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}
