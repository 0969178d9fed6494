//! `/dashboard?year=2017&township=…`: the city against its target, at a glance. Public
//! (aggregates only). Rendered complete on the server; once interactive, choosing a year or a
//! township (in the form or by its bar) updates the charts without a page load and the URL follows.
use crate::{
    components::{ErrorMessage, Loaded, PageTitle},
    error::AppError,
    i18n::*,
    model::{dashboard::Dashboard, transparency::Waiting},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

mod monitoring;
mod view;
use view::DashboardView;

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
            && crate::model::place::PlaceCode::township(t).is_none()
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
            let staff = crate::api::session::whoami().await.ok().flatten();
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
            {move || data.loaded().map(|r| match r {
                Ok(d) => {
                    let (staff, waiting) = viewer.loaded().unwrap_or_default();
                    view! { <DashboardView d staff waiting /> }.into_any()
                }
                Err(error) => view! { <ErrorMessage error /> }.into_any(),
            })}
        </Transition>
    }
}
