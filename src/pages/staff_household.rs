//! Staff server functions on one household. Every one checks, on the server, who is asking (401
//! without a session), whether the household is in their scope (404 otherwise, so nothing is
//! learnt about households outside it) and whether their role may do this (403).
use crate::{error::AppError, model::staff::StaffHousehold};
use leptos::prelude::*;

/// The full record of a household in scope, with ID numbers masked.
#[server(endpoint = "staff/household")]
pub async fn load_staff_household(id: i64) -> Result<StaffHousehold, AppError> {
    use crate::{
        model::id_number::mask_id,
        server::{auth, repo::household, respond, state::db},
    };
    respond(async move {
        let staff = auth::require_staff().await?;
        let db = db()?;
        auth::household_in_scope(&db, &staff, id).await?;
        let mut h = household::get(&db, id).await?.ok_or(AppError::NotFound)?;
        for m in &mut h.members {
            m.id_number = m.id_number.as_deref().map(mask_id);
        }
        Ok(StaffHousehold {
            household: h,
            last_change: household::last_change(&db, id).await?,
        })
    })
    .await
}

/// Shows one member's full ID number; the reveal is written to the audit log.
#[server(endpoint = "staff/reveal_id")]
pub async fn reveal_id(household_id: i64, member_id: i64) -> Result<String, AppError> {
    use crate::server::{auth, repo::household, respond, state::db};
    respond(async move {
        let staff = auth::require_staff().await?;
        let db = db()?;
        auth::household_in_scope(&db, &staff, household_id).await?;
        let h = household::get(&db, household_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let id_number = h
            .members
            .iter()
            .find(|m| m.id == Some(member_id))
            .and_then(|m| m.id_number.clone())
            .ok_or(AppError::NotFound)?;
        household::audit(
            &db,
            &staff.username,
            "reveal_id",
            "household",
            &household_id.to_string(),
            Some(format!(r#"{{"member_id":{member_id}}}"#)),
        )
        .await?;
        Ok(id_number)
    })
    .await
}

/// Saves address and phone on top of `version`. A stale version is refused with who changed the
/// record and when; the phone is checked by the same rule the form runs in the browser.
#[server(endpoint = "staff/save_contact")]
pub async fn save_contact(
    id: i64,
    version: i64,
    address: String,
    phone: String,
) -> Result<i64, AppError> {
    use crate::{
        model::{codes::Role, validate},
        server::{
            auth,
            repo::household::{self, Saved},
            respond,
            state::db,
        },
    };
    respond(async move {
        let staff = auth::require_staff().await?;
        let db = db()?;
        auth::household_in_scope(&db, &staff, id).await?;
        if staff.role == Role::Cadre {
            // Helper cadres read their households and record visits and measures only.
            return Err(AppError::Forbidden);
        }
        let phone = phone.trim();
        if !phone.is_empty() {
            validate::mobile(phone).map_err(AppError::invalid)?;
        }
        let address = address.trim();
        if address.is_empty() || address.chars().count() > 100 {
            return Err(AppError::invalid("address_length"));
        }
        let phone = (!phone.is_empty()).then_some(phone);
        match household::update_contact(&db, id, version, address, phone, &staff.username).await? {
            Saved::Ok { version } => Ok(version),
            Saved::Stale { .. } => {
                let (by, at) = household::last_change(&db, id)
                    .await?
                    .unwrap_or_else(|| ("?".into(), "?".into()));
                Err(AppError::StaleEdit { by, at })
            }
            Saved::Missing => Err(AppError::NotFound),
        }
    })
    .await
}
