//! Who may see or change what: the logged-in staff member, and the households and villages of
//! their role (city, township, village, or a helper cadre's own pairings).
use super::{request_token, session};
use crate::{
    error::AppError,
    model::{
        RegionLevel,
        codes::Role,
        place::{PlaceCode, PlaceRange},
        staff::StaffInfo,
    },
    server::db::{Db, sql},
};

/// The logged-in staff member making the current request, or 401.
pub async fn require_staff() -> Result<StaffInfo, AppError> {
    let token = request_token().ok_or(AppError::Unauthorized)?;
    let db = crate::server::state::db()?;
    session(&db, &token).await?.ok_or(AppError::Unauthorized)
}

pub(super) const IN_SCOPE_CITY: &str = "SELECT COUNT(*) FROM household WHERE id = $1";
pub(super) const IN_SCOPE_TOWNSHIP: &str = "SELECT COUNT(*) FROM household h \
     JOIN region v ON v.code = h.village_code WHERE h.id = $1 AND v.parent_code = $2";
pub(super) const IN_SCOPE_VILLAGE: &str =
    "SELECT COUNT(*) FROM household WHERE id = $1 AND village_code = $2";
pub(super) const IN_SCOPE_CADRE: &str = "SELECT COUNT(*) FROM pairing \
     WHERE household_id = $1 AND cadre_id = $2 AND end_on IS NULL";

/// Whether `staff` may see household `id`: the city sees all, a township its villages, a village
/// itself, a helper cadre the households currently paired with them. Out of scope is reported as
/// "not found", so a crafted request learns nothing about households it may not see.
pub async fn household_in_scope(db: &Db, staff: &StaffInfo, id: i64) -> Result<(), AppError> {
    let n: i64 = match staff.role {
        Role::CityAdmin => sql(IN_SCOPE_CITY).bind(id).scalar(db).await?,
        Role::Township => {
            sql(IN_SCOPE_TOWNSHIP)
                .bind(id)
                .bind(&staff.region_code)
                .scalar(db)
                .await?
        }
        Role::Village => {
            sql(IN_SCOPE_VILLAGE)
                .bind(id)
                .bind(&staff.region_code)
                .scalar(db)
                .await?
        }
        Role::Cadre => {
            sql(IN_SCOPE_CADRE)
                .bind(id)
                .bind(staff.cadre_id.unwrap_or(-1))
                .scalar(db)
                .await?
        }
    };
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The households `staff` may look at, as the finder filters them.
pub fn scope(staff: &StaffInfo) -> crate::server::repo::records::Scope {
    use crate::server::repo::records::Scope;
    let code = &staff.region_code;
    match staff.role {
        Role::CityAdmin => Scope::All,
        // A township account's township (held at a village's code: that village's township);
        // an account whose place is the city or no place at all reaches no household.
        Role::Township => Scope::Villages(match PlaceCode::parse(code) {
            Some(c) if c.level() != RegionLevel::City => c.township_of().range(),
            _ => PlaceRange::exactly(code),
        }),
        Role::Village => Scope::Villages(PlaceRange::exactly(code)),
        Role::Cadre => Scope::Cadre(staff.cadre_id.unwrap_or(-1)),
    }
}

/// Refuses helper cadres: they read their households and add visits and measures, nothing else.
pub fn require_editor(staff: &StaffInfo) -> Result<(), AppError> {
    if staff.role == Role::Cadre {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Whether `staff` may add households to village `code` (403 otherwise).
pub fn village_in_scope(staff: &StaffInfo, code: &str) -> Result<(), AppError> {
    use crate::server::repo::records::Scope;
    require_editor(staff)?;
    let inside = match scope(staff) {
        Scope::All => true,
        Scope::Villages(range) => range.covers(code),
        Scope::Cadre(_) => false,
    };
    if !inside || PlaceCode::parse(code).is_none_or(|c| c.level() != RegionLevel::Village) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}
