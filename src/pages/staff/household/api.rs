//! Staff server functions. Every one checks, on the server, who is asking (401 without a session),
//! whether the household or village is in their scope (404 for a household outside it, so nothing
//! is learnt about it; 403 for a village) and whether their role may do this (403). Every write is
//! checked by the same rules the browser ran (`model::validate`), refused with the field and the
//! message code, and done in one transaction with its audit row.
use crate::{
    error::AppError,
    model::{registry::Household, staff::StaffRecord},
};
use leptos::{prelude::*, server_fn::codec::Json};

#[cfg(feature = "ssr")]
pub(super) mod imp {
    pub use crate::server::{
        auth,
        db::Db,
        repo::{
            household::{self, Saved},
            records,
        },
        respond,
        state::db,
    };
    use crate::{error::AppError, model::staff::StaffInfo};

    /// The logged-in staff member and the database, after checking that household `id` is theirs.
    pub async fn in_scope(id: i64) -> Result<(StaffInfo, Db), AppError> {
        let staff = auth::require_staff().await?;
        let db = db()?;
        auth::household_in_scope(&db, &staff, id).await?;
        Ok((staff, db))
    }

    /// The answer for a save: the new version, or why nothing was written (a stale save names
    /// who saved first).
    pub fn outcome(saved: Saved) -> Result<i64, AppError> {
        Ok(saved.written()?.1)
    }

    pub fn today() -> chrono::NaiveDate {
        crate::server::clock::today()
    }
}

/// The full record of a household in scope (ID numbers masked), with incomes, helper, measures
/// and visits.
#[server(endpoint = "staff/household")]
pub async fn load_staff_household(id: i64) -> Result<StaffRecord, AppError> {
    use crate::{model::codes::Role, model::id_number::mask_id, server::repo::region};
    use imp::*;
    respond(async move {
        let (staff, db) = in_scope(id).await?;
        let mut h = household::get(&db, id).await?.ok_or(AppError::NotFound)?;
        for m in &mut h.members {
            m.id_number = m.id_number.as_deref().map(mask_id);
        }
        let village_name = region::get(&db, &h.village_code)
            .await?
            .map(|r| r.name)
            .unwrap_or_default();
        Ok(StaffRecord {
            last_change: household::last_change_shown(&db, id)
                .await?
                .map(|s| (s.by, s.at)),
            today: today(),
            can_edit: staff.role != Role::Cadre,
            village_name,
            incomes: records::incomes(&db, id).await?,
            helper: records::helper(&db, id).await?,
            measures: records::measures(&db, id).await?,
            visits: records::visits(&db, id).await?,
            assistance: records::assistance(&db, id).await?,
            cases: crate::server::repo::monitoring::cases_of(&db, id).await?,
            exit_check: match h.status {
                crate::model::codes::Status::Exited | crate::model::codes::Status::Ordinary => None,
                _ => Some(records::exit_check(&db, &h, today()).await?),
            },
            household: h,
        })
    })
    .await
}

/// Shows one member's full ID number; the reveal is written to the audit log.
#[server(endpoint = "staff/reveal_id")]
pub async fn reveal_id(household_id: i64, member_id: i64) -> Result<String, AppError> {
    use imp::*;
    respond(async move {
        let (staff, db) = in_scope(household_id).await?;
        let id_number = household::member_id_number(&db, household_id, member_id)
            .await?
            .ok_or(AppError::NotFound)?;
        crate::server::repo::audit::trace(
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

/// Puts back the full ID numbers the form could not see (it holds masked ones): a member whose
/// ID field still shows the mask keeps the stored number.
#[cfg(feature = "ssr")]
fn unmask(form: &mut Household, stored: &Household) {
    use crate::model::id_number::mask_id;
    for m in &mut form.members {
        let Some(old) =
            m.id.and_then(|id| stored.members.iter().find(|o| o.id == Some(id)))
        else {
            continue;
        };
        if let (Some(typed), Some(full)) = (&m.id_number, &old.id_number)
            && *typed == mask_id(full)
        {
            m.id_number = Some(full.clone());
        }
    }
}

/// Trims text fields and turns empty optional ones into `None`, as the database keeps them.
#[cfg(feature = "ssr")]
fn tidy(h: &mut Household) {
    fn opt(v: &mut Option<String>) {
        if let Some(s) = v {
            let t = s.trim();
            *v = (!t.is_empty()).then(|| t.to_string());
        }
    }
    h.address = h.address.trim().to_string();
    opt(&mut h.phone);
    opt(&mut h.bank_name);
    opt(&mut h.bank_account);
    for m in &mut h.members {
        m.name = m.name.trim().to_string();
        opt(&mut m.id_number);
        if let Some(id) = &mut m.id_number {
            *id = id.to_uppercase();
        }
        opt(&mut m.disability_cert);
    }
}

/// Saves the whole record (household fields, causes, members, housing) on top of its version.
#[server(endpoint = "staff/save_household", input = Json)]
pub async fn save_household(household: Household) -> Result<i64, AppError> {
    use crate::model::validate;
    use imp::*;
    respond(async move {
        let id = household.id.ok_or(AppError::NotFound)?;
        let (staff, db) = in_scope(id).await?;
        auth::require_editor(&staff)?;
        let stored = household::get(&db, id).await?.ok_or(AppError::NotFound)?;
        let mut h = household;
        tidy(&mut h);
        unmask(&mut h, &stored);
        // A mask that does not match the stored number was typed over: not an ID number.
        if let Some(i) = h
            .members
            .iter()
            .position(|m| m.id_number.as_deref().is_some_and(|n| n.contains('*')))
        {
            return Err(AppError::field(
                format!("members.{i}.id_number"),
                "id_format",
            ));
        }
        // Status and its dates are changed by set_status only; check the rest as the form did.
        h.status = stored.status;
        h.identified_on = stored.identified_on;
        h.exited_on = stored.exited_on;
        h.relapsed_on = stored.relapsed_on;
        h.village_code = stored.village_code.clone();
        AppError::from_fields(&validate::household(&h, today()))?;
        let saved = household::update(&db, &h, &staff.username).await?;
        outcome(saved)
    })
    .await
}

/// Adds a household with its members to a village in scope; returns its number.
#[server(endpoint = "staff/create_household", input = Json)]
pub async fn create_household(household: Household) -> Result<i64, AppError> {
    use crate::model::{codes::Status, validate};
    use imp::*;
    respond(async move {
        let staff = auth::require_staff().await?;
        auth::village_in_scope(&staff, &household.village_code)?;
        let db = db()?;
        let mut h = household;
        tidy(&mut h);
        h.id = None;
        h.version = 1;
        // A new household is a poor one of the register, or an ordinary rural household (一般农户)
        // kept for monitoring; never one already exited or relapsed.
        if h.status != Status::Ordinary {
            h.status = Status::Poor;
        }
        h.exited_on = None;
        h.relapsed_on = None;
        for m in &mut h.members {
            m.id = None;
        }
        AppError::from_fields(&validate::household(&h, today()))?;
        match household::create_by(&db, &h, Some(&staff.username)).await {
            Ok(id) => Ok(id),
            Err(e) if household::is_unique_violation(&e) => {
                // Which member's ID is already held by an active person elsewhere.
                for (i, m) in h.members.iter().enumerate() {
                    if let Some(id) = &m.id_number
                        && records::id_number_taken(&db, id).await?
                    {
                        return Err(AppError::field(
                            format!("members.{i}.id_number"),
                            "id_taken",
                        ));
                    }
                }
                Err(AppError::field("members", "id_taken"))
            }
            Err(e) => Err(e.into()),
        }
    })
    .await
}
