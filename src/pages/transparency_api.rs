//! Server functions of work updates and public notices. The public ones read published updates
//! and notices (de-identified); the staff ones check, on the server, who is asking (401 without a
//! session, 403 for a helper cadre or a place outside the role's scope, 404 for a record outside
//! it), re-run the forms' rules and write in one transaction with an audit row.
use crate::{
    error::AppError,
    model::{codes::*, transparency::*},
};
use chrono::NaiveDate;
use leptos::{prelude::*, server_fn::codec::Json};
use serde::{Deserialize, Serialize};

/// Updates on one page of `/updates`.
pub const PER_PAGE: i64 = 20;

#[cfg(feature = "ssr")]
mod imp {
    pub use crate::server::{
        auth, clock,
        db::Db,
        repo::{
            notices, objections, places,
            places::{Range, range_of},
            records::Scope,
            updates,
        },
        respond,
        state::db,
    };
    use crate::{error::AppError, model::staff::StaffInfo};

    /// A 12-digit code or nothing; anything else is refused.
    pub fn place(code: &str) -> Result<Option<String>, AppError> {
        let code = code.trim();
        if code.is_empty() {
            return Ok(None);
        }
        if code.len() != 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AppError::invalid("place"));
        }
        Ok(Some(code.to_string()))
    }

    /// The places an editor manages: `None` for city staff; 403 for helper cadres.
    pub fn editor_range(staff: &StaffInfo) -> Result<Range, AppError> {
        auth::require_editor(staff)?;
        Ok(match auth::scope(staff) {
            Scope::All => None,
            Scope::Villages { from, to } => Some((from, to)),
            Scope::Cadre(_) => return Err(AppError::Forbidden),
        })
    }

    /// Whether `code` (or the whole city, `None`) lies in `range`.
    pub fn covers(range: &Range, code: Option<&str>) -> bool {
        match (range, code) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((from, to)), Some(c)) => c >= from.as_str() && c <= to.as_str(),
        }
    }

    /// The logged-in editor, the database and the editor's range.
    pub async fn editor() -> Result<(StaffInfo, Db, Range), AppError> {
        let staff = auth::require_staff().await?;
        let range = editor_range(&staff)?;
        Ok((staff, db()?, range))
    }
}

/// Published updates, newest first, tagged in a township or village (either may be empty) and
/// containing `q`.
#[server(endpoint = "updates")]
pub async fn list_updates(
    township: String,
    village: String,
    q: String,
    page: i64,
) -> Result<UpdateList, AppError> {
    use imp::*;
    respond(async move {
        let range = match (place(&village)?, place(&township)?) {
            (Some(v), _) => Some(range_of(&v)),
            (None, Some(t)) => Some(range_of(&format!("{}000", &t[..9]))),
            (None, None) => None,
        };
        if q.chars().count() > crate::model::MAX_QUERY_CHARS {
            return Err(AppError::QueryTooLong {
                max: crate::model::MAX_QUERY_CHARS,
            });
        }
        Ok(updates::public_updates(&db()?, &range, &q, page.clamp(1, 10_000), PER_PAGE).await?)
    })
    .await
}

/// One published update.
#[server(endpoint = "update")]
pub async fn get_update(id: i64) -> Result<UpdateItem, AppError> {
    use imp::*;
    respond(async move {
        updates::public_update(&db()?, id)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// The latest published updates about a village or township (its villages included), and the
/// notices there that ran in the last 30 days or still run.
#[server(endpoint = "place_news")]
pub async fn load_place_news(code: String) -> Result<PlaceNews, AppError> {
    use imp::*;
    respond(async move {
        let code = place(&code)?.ok_or(AppError::NotFound)?;
        let range = Some(range_of(&code));
        let db = db()?;
        Ok(PlaceNews {
            updates: updates::public_updates(&db, &range, "", 1, 5).await?.items,
            notices: notices::notices(&db, &range, true, clock::today()).await?,
        })
    })
    .await
}

/// What the village and township pages show of the work there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceNews {
    pub updates: Vec<UpdateItem>,
    pub notices: Vec<NoticeBrief>,
}

/// Every township with its villages (the place filters).
#[server(endpoint = "places")]
pub async fn list_places() -> Result<Vec<TownshipVillages>, AppError> {
    use imp::*;
    respond(async move { Ok(places::places(&db()?).await?) }).await
}

/// A township's page.
#[server(endpoint = "township")]
pub async fn get_township(code: String) -> Result<PublicTownship, AppError> {
    use imp::*;
    respond(async move {
        let code = place(&code).map_err(|_| AppError::NotFound)?;
        let code = code.ok_or(AppError::NotFound)?;
        places::township(&db()?, &code)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Notices running or ended in the last 30 days (`all`: every notice), in a township or village.
#[server(endpoint = "notices")]
pub async fn list_notices(
    township: String,
    village: String,
    all: bool,
) -> Result<Vec<NoticeBrief>, AppError> {
    use imp::*;
    respond(async move {
        let range = match (place(&village)?, place(&township)?) {
            (Some(v), _) => Some(range_of(&v)),
            (None, Some(t)) => Some(range_of(&format!("{}000", &t[..9]))),
            (None, None) => None,
        };
        Ok(notices::notices(&db()?, &range, !all, clock::today()).await?)
    })
    .await
}

/// One notice as the public sees it, with a fresh question for the objection form while it runs.
#[server(endpoint = "notice")]
pub async fn get_notice(id: i64) -> Result<PublicNotice, AppError> {
    use imp::*;
    respond(async move {
        let db = db()?;
        let today = clock::today();
        let mut n = notices::public_notice(&db, id, today)
            .await?
            .ok_or(AppError::NotFound)?;
        if notice_runs(n.notice.starts_on, n.notice.ends_on, today) {
            n.challenge = Some(crate::server::challenge::issue(&db, id, auth::now()).await?);
            // The question is for this visitor alone (answerable once): the page is not kept.
            crate::server::http::not_to_be_kept();
        }
        Ok(n)
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Staff: updates

/// The staff updates desk: the updates the asking editor manages, the places they may tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateDesk {
    pub updates: Vec<StaffUpdate>,
    /// (code, label) of every place the editor may tag; the whole city first for city staff.
    pub places: Vec<(String, String)>,
    pub city_wide: bool,
    pub today: NaiveDate,
}

/// The updates desk of the asking editor.
#[server(endpoint = "staff/update_desk")]
pub async fn load_update_desk() -> Result<UpdateDesk, AppError> {
    use imp::*;
    respond(async move {
        let (_, db, range) = editor().await?;
        let mut places = Vec::new();
        for t in places::places(&db).await? {
            if covers(&range, Some(&t.code)) {
                places.push((t.code.clone(), t.name.clone()));
            }
            for (v, vn) in t.villages {
                if covers(&range, Some(&v)) {
                    places.push((v, format!("{} · {vn}", t.name)));
                }
            }
        }
        Ok(UpdateDesk {
            updates: updates::staff_updates(&db, &range).await?,
            places,
            city_wide: range.is_none(),
            today: clock::today(),
        })
    })
    .await
}

/// Saves an update (new: a draft) within the editor's places; an edit names its version (409
/// when someone saved in between). Returns (id, version).
#[server(endpoint = "staff/save_update", input = Json)]
pub async fn save_update(form: UpdateForm) -> Result<(i64, i64), AppError> {
    use imp::*;
    respond(async move {
        let (staff, db, range) = editor().await?;
        let mut f = form;
        f.place_code = f.place_code.filter(|p| !p.trim().is_empty());
        AppError::from_fields(&update_form(&f, clock::today()))?;
        if !covers(&range, f.place_code.as_deref()) {
            return Err(AppError::Forbidden);
        }
        if let Some(id) = f.id {
            let stored = updates::staff_update_by_id(&db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            if !covers(&range, stored.form.place_code.as_deref()) {
                return Err(AppError::NotFound);
            }
        }
        updates::save_update(&db, &f, &staff.username).await?.written()
    })
    .await
}

/// Publishes or unpublishes an update on top of its version; returns the new version.
#[server(endpoint = "staff/update_state")]
pub async fn change_update_state(
    id: i64,
    version: i64,
    state: UpdateState,
) -> Result<i64, AppError> {
    use imp::*;
    respond(async move {
        let (staff, db, range) = editor().await?;
        let stored = updates::staff_update_by_id(&db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !covers(&range, stored.form.place_code.as_deref()) {
            return Err(AppError::NotFound);
        }
        let (_, version) =
            updates::set_update_state(&db, id, version, state, &staff.username).await?.written()?;
        Ok(version)
    })
    .await
}

/// Every saved version of an update the editor manages.
#[server(endpoint = "staff/update_history")]
pub async fn update_history(id: i64) -> Result<Vec<UpdateRevision>, AppError> {
    use imp::*;
    respond(async move {
        let (_, db, range) = editor().await?;
        let stored = updates::staff_update_by_id(&db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !covers(&range, stored.form.place_code.as_deref()) {
            return Err(AppError::NotFound);
        }
        Ok(updates::revisions(&db, id).await?)
    })
    .await
}

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
    use chrono::Datelike;
    use imp::*;
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

/// Puts households in the editor's scope on notice (one notice per village); returns the new
/// notices' numbers.
#[server(endpoint = "staff/propose", input = Json)]
pub async fn propose_households(form: ProposeForm) -> Result<Vec<i64>, AppError> {
    use chrono::Datelike;
    use imp::*;
    respond(async move {
        let (staff, db, _) = editor().await?;
        let today = clock::today();
        let year = form.starts_on.unwrap_or(today).year();
        let min_days = notices::notice_days(&db, year).await?;
        AppError::from_fields(&propose_form(&form, min_days, today))?;
        for (i, h) in form.households.iter().enumerate() {
            auth::household_in_scope(&db, &staff, h.household_id)
                .await
                .map_err(|e| match e {
                    AppError::NotFound => {
                        AppError::field(format!("households.{i}"), "notice_household_unknown")
                    }
                    other => other,
                })?;
        }
        match notices::propose(&db, &form, &staff.username).await? {
            Ok(ids) => Ok(ids),
            Err((field, code)) => Err(AppError::field(field, code)),
        }
    })
    .await
}

/// The entry and household of notice entry `entry`, after checking its village is in scope.
#[cfg(feature = "ssr")]
async fn entry_in_scope(
    entry: i64,
) -> Result<
    (
        crate::model::staff::StaffInfo,
        imp::Db,
        crate::server::repo::notices::EntryInfo,
    ),
    AppError,
> {
    use imp::*;
    let (staff, db, range) = editor().await?;
    let info = notices::entry_info(&db, entry)
        .await?
        .ok_or(AppError::NotFound)?;
    if !covers(&range, Some(&info.village_code)) {
        return Err(AppError::NotFound);
    }
    Ok((staff, db, info))
}

/// Finalises a household's identification or exit (on `on`) once its notice is over and every
/// objection on it answered. An exit also passes the exit check (income, 两不愁三保障).
#[server(endpoint = "staff/finalise")]
pub async fn finalise_entry(entry: i64, on: NaiveDate) -> Result<(), AppError> {
    use imp::*;
    respond(async move {
        let (staff, db, info) = entry_in_scope(entry).await?;
        let (kind, state, household) = (info.kind, info.state, info.household_id);
        if state != EntryState::Proposed {
            return Err(AppError::field("entry", "notice_finalised"));
        }
        match kind {
            NoticeKind::Exit => {
                let h = crate::server::repo::household::get(&db, household)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let saved = crate::server::repo::records::set_status(
                    &db,
                    household,
                    h.version,
                    Status::Exited,
                    on,
                    &staff.username,
                )
                .await?;
                use crate::server::repo::household::Saved;
                match saved {
                    Saved::Ok { .. } => Ok(()),
                    Saved::Stale { .. } => Err(AppError::Conflict),
                    Saved::Missing => Err(AppError::NotFound),
                    Saved::Rejected { field, code } => Err(AppError::field(field, code)),
                    Saved::Refused(reasons) => Err(AppError::ExitRefused { reasons }),
                }
            }
            NoticeKind::Identification => {
                match notices::finalise_identification(
                    &db,
                    household,
                    clock::today(),
                    &staff.username,
                )
                .await?
                {
                    Ok(()) => Ok(()),
                    Err(code) => Err(AppError::field("on", code)),
                }
            }
        }
    })
    .await
}

/// Takes a proposed household off its notice.
#[server(endpoint = "staff/withdraw")]
pub async fn withdraw_entry(entry: i64) -> Result<(), AppError> {
    use imp::*;
    respond(async move {
        let (staff, db, _) = entry_in_scope(entry).await?;
        if !notices::withdraw_entry(&db, entry, clock::today(), &staff.username).await? {
            return Err(AppError::field("entry", "notice_finalised"));
        }
        Ok(())
    })
    .await
}

/// Answers an objection in scope (once); the answer is published with the notice, an upheld
/// objection takes the household off it.
#[server(endpoint = "staff/answer_objection")]
pub async fn answer_objection(
    id: i64,
    outcome: ObjectionOutcome,
    answer: String,
) -> Result<(), AppError> {
    use imp::*;
    respond(async move {
        let (staff, db, range) = editor().await?;
        let (village, answered) = objections::objection_village(&db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !covers(&range, Some(&village)) {
            return Err(AppError::NotFound);
        }
        AppError::from_fields(&crate::model::transparency::answer(&answer))?;
        if answered
            || !objections::answer_objection(
                &db,
                id,
                outcome,
                &answer,
                clock::today(),
                &staff.username,
            )
            .await?
        {
            return Err(AppError::field("answer", "objection_answered"));
        }
        Ok(())
    })
    .await
}

/// Sets how many days notices starting in `year` run (city staff; 10 to 60).
#[server(endpoint = "staff/notice_days")]
pub async fn set_notice_days(year: i32, days: i64) -> Result<(), AppError> {
    use imp::*;
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

/// What waits for the asking staff member (the dashboard's staff view); helper cadres see none.
#[server(endpoint = "staff/waiting")]
pub async fn staff_waiting() -> Result<Waiting, AppError> {
    use imp::*;
    respond(async move {
        let staff = auth::require_staff().await?;
        let Ok(range) = editor_range(&staff) else {
            return Ok(Waiting::default());
        };
        Ok(notices::waiting(&db()?, &range, clock::today()).await?)
    })
    .await
}
