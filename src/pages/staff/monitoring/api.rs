//! The monitoring server functions. Each checks who is asking: a session (401), the case's
//! household in the asker's scope (404, whether or not the case exists), and the role the
//! action needs (403); a step's owning level is checked again inside its write.
use crate::{
    error::AppError,
    model::{
        help::MeasureInput,
        monitoring::case::{CaseView, Desk, DeskFilter, LeadInput, PlanInput, StepInput},
    },
};
use chrono::NaiveDate;
use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
pub(super) mod imp {
    pub use crate::server::prelude::*;
    use crate::{error::AppError, model::staff::StaffInfo, server::repo::monitoring};

    /// The asker and the database, when case `id`'s household is in their scope (404 otherwise,
    /// and for a case that does not exist).
    pub async fn case_in_scope(id: i64) -> Result<(StaffInfo, Db), AppError> {
        let staff = auth::require_staff().await?;
        let db = db()?;
        let household = monitoring::household_of(&db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        auth::household_in_scope(&db, &staff, household).await?;
        Ok((staff, db))
    }
}

/// The cases in the asker's scope matching `filter`, overdue first.
#[server(endpoint = "staff/monitoring_desk", input = Json)]
pub async fn monitoring_desk(filter: DeskFilter) -> Result<Desk, AppError> {
    use imp::*;
    respond(async move {
        let staff = auth::require_staff().await?;
        let db = db()?;
        Ok(repo::monitoring::desk(&db, &auth::scope(&staff), &filter, clock::today()).await?)
    })
    .await
}

/// Opens a case from a lead on a household in scope (not helper cadres). Returns its id.
#[server(endpoint = "staff/open_case", input = Json)]
pub async fn open_case(lead: LeadInput) -> Result<i64, AppError> {
    use imp::*;
    respond(async move {
        let staff = auth::require_staff().await?;
        let db = db()?;
        auth::household_in_scope(&db, &staff, lead.household_id).await?;
        auth::require_editor(&staff)?;
        AppError::from_fields(&crate::model::monitoring::case::lead(&lead, clock::today()))?;
        let saved = repo::monitoring::open_case(&db, &lead, &staff.username).await?;
        Ok(saved.written()?.0)
    })
    .await
}

/// The case page.
#[server(endpoint = "staff/case")]
pub async fn load_case(id: i64) -> Result<CaseView, AppError> {
    use imp::*;
    respond(async move {
        let (staff, db) = case_in_scope(id).await?;
        repo::monitoring::case_view(&db, id, staff.role, clock::today())
            .await?
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Records the next step of a case (the owning level only). Returns the case's new version.
#[server(endpoint = "staff/case_step", input = Json)]
pub async fn case_step(step: StepInput) -> Result<i64, AppError> {
    use imp::*;
    respond(async move {
        let (staff, db) = case_in_scope(step.case_id).await?;
        let saved =
            repo::monitoring::step(&db, &step, staff.role, &staff.username, clock::today()).await?;
        Ok(saved.written()?.1)
    })
    .await
}

/// Marks the case's spending resolved (`hold = false`) or the household 暂不标注 (`hold = true`)
/// on `on`, on top of the case's `version` (not helper cadres).
#[server(endpoint = "staff/case_mark")]
pub async fn case_mark(
    case_id: i64,
    version: i64,
    on: NaiveDate,
    hold: bool,
) -> Result<i64, AppError> {
    use imp::*;
    respond(async move {
        let (staff, db) = case_in_scope(case_id).await?;
        auth::require_editor(&staff)?;
        crate::model::validate::past_date(on, clock::today())
            .map_err(|code| AppError::field("on", code))?;
        let saved = if hold {
            repo::monitoring::hold(&db, case_id, version, on, &staff.username).await?
        } else {
            repo::monitoring::resolve_spending(&db, case_id, version, on, &staff.username).await?
        };
        Ok(saved.written()?.1)
    })
    .await
}

/// Adds a planned measure (一户一策) to a monitored case (not helper cadres).
#[server(endpoint = "staff/case_plan", input = Json)]
pub async fn case_plan(plan: PlanInput) -> Result<i64, AppError> {
    use imp::*;
    respond(async move {
        let (staff, db) = case_in_scope(plan.case_id).await?;
        auth::require_editor(&staff)?;
        AppError::from_fields(&crate::model::monitoring::case::plan(&plan, clock::today()))?;
        let saved = repo::monitoring::add_plan(&db, &plan, &staff.username).await?;
        Ok(saved.written()?.0)
    })
    .await
}

/// Records a measure against a case, fulfilling plan line `plan_id` when given (helper cadres
/// too, for their households).
#[server(endpoint = "staff/case_measure", input = Json)]
pub async fn case_measure(
    case_id: i64,
    plan_id: Option<i64>,
    measure: MeasureInput,
) -> Result<i64, AppError> {
    use imp::*;
    respond(async move {
        let (staff, db) = case_in_scope(case_id).await?;
        AppError::from_fields(&crate::model::validate::measure(&measure, clock::today()))?;
        let saved =
            repo::monitoring::record_measure(&db, case_id, plan_id, &measure, &staff.username)
                .await?;
        Ok(saved.written()?.0)
    })
    .await
}
