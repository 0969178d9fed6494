//! `/staff/notices`: staff propose households for identification or exit (one public notice per
//! village is made), answer the objections the public filed, and finalise each household once
//! its notice is over and every objection on it is answered. City staff set the notice length of
//! a year. Every rule is checked here as the user types and again on the server.
use crate::components::Loaded;
use crate::components::PageTitle;
use crate::components::form::*;
use crate::components::list_or;
use crate::components::punct::colon;
use crate::{
    components::{ErrorMessage, error_text},
    error::AppError,
    i18n::*,
    model::{codes::*, search::HouseholdHit, transparency::*},
};
use chrono::NaiveDate;
use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

mod decide;
mod propose;

use decide::NoticeCard;
use propose::Propose;

// ---------------------------------------------------------------------------------------------
// Staff: notices

/// The notices desk: notices in the editor's scope that need them, this year's notice length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDesk {
    pub notices: Vec<StaffNotice>,
    pub days: i64,
    pub year: i32,
    pub today: NaiveDate,
    /// City staff set the notice length per year.
    pub may_set_days: bool,
}

/// The notices desk of the asking editor.
#[server(endpoint = "staff/notice_desk")]
pub async fn load_notice_desk() -> Result<NoticeDesk, AppError> {
    use crate::server::prelude::*;
    use chrono::Datelike;
    respond(async move {
        let (_, db, range) = editor().await?;
        let today = clock::today();
        Ok(NoticeDesk {
            notices: notices::staff_notices(&db, &range, today).await?,
            days: notices::notice_days(&db, today.year()).await?,
            year: today.year(),
            today,
            may_set_days: range.is_none(),
        })
    })
    .await
}

/// Sets how many days notices starting in `year` run (city staff; 10 to 60).
#[server(endpoint = "staff/notice_days")]
pub async fn set_notice_days(year: i32, days: i64) -> Result<(), AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let (staff, db, range) = editor().await?;
        if range.is_some() {
            return Err(AppError::Forbidden);
        }
        if days < MIN_NOTICE_DAYS {
            return Err(AppError::field("days", "notice_too_short"));
        }
        if days > MAX_NOTICE_DAYS {
            return Err(AppError::field("days", "notice_too_long"));
        }
        if !(2000..=2100).contains(&year) {
            return Err(AppError::field("year", "year_range"));
        }
        notices::set_notice_days(&db, year, days, &staff.username).await?;
        Ok(())
    })
    .await
}

#[component]
pub fn StaffNoticesPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let desk = Resource::new(move || refresh.get(), |_| load_notice_desk());
    // The notices just made: kept here, as the desk below is rebuilt when it reloads.
    let done = RwSignal::new(Vec::<i64>::new());
    view! {
        <PageTitle text=move || t_string!(i18n, staff_notice.title).to_string() />
        <nav class="crumbs"><a href="/staff">{t!(i18n, login.staff_home)}</a></nav>
        <h1 class="page-title">{t!(i18n, staff_notice.title)}</h1>
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                desk.loaded()
                    .map(|r| match r {
                        Ok(d) => view! { <Desk d refresh done /> }.into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn Desk(d: NoticeDesk, refresh: RwSignal<u32>, done: RwSignal<Vec<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let today = d.today;
    view! {
        <Propose today=d.today days=d.days refresh done />
        <section aria-labelledby="running-h">
            <h2 id="running-h">{t!(i18n, staff_notice.list)}</h2>
            {list_or(d.notices.is_empty(), t!(i18n, notice.none), || {
                d.notices
                    .into_iter()
                    .map(|n| view! { <NoticeCard n today refresh /> })
                    .collect_view()
            })}
        </section>
        {d.may_set_days.then(|| view! { <DaysSetting year=d.year days=d.days refresh /> })}
    }
}

#[component]
fn DaysSetting(year: i32, days: i64, refresh: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let y = RwSignal::new(year.to_string());
    let d = RwSignal::new(days.to_string());
    let action = ServerAction::<SetNoticeDays>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <section aria-labelledby="days-h">
            <h2 id="days-h">{t!(i18n, staff_notice.days_title)}</h2>
            <form class="row" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(SetNoticeDays {
                    year: y.get_untracked().trim().parse().unwrap_or(0),
                    days: d.get_untracked().trim().parse().unwrap_or(0),
                });
            }>
                <label class="field"><span class="label">{t!(i18n, staff_notice.year)}</span>
                    <input type="number" prop:value=move || y.get() on:input=move |ev| y.set(event_target_value(&ev)) /></label>
                <label class="field"><span class="label">{t!(i18n, staff_notice.days)}</span>
                    <input type="number" min=MIN_NOTICE_DAYS max=MAX_NOTICE_DAYS prop:value=move || d.get() on:input=move |ev| d.set(event_target_value(&ev)) /></label>
                <button type="submit">{t!(i18n, staff_notice.save)}</button>
                <span class="field-error" role="alert">
                    {move || action.value().get().and_then(Result::err).map(|e| error_text(i18n, &e))}
                </span>
            </form>
        </section>
    }
}
