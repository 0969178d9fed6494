//! Households as the staff pages look them up: the finder of the desk and of a notice's
//! proposal, and the villages a new household may be added to (the form and the desk's export).
use crate::{
    error::AppError,
    model::{search::HouseholdHit, staff::NewHouseholdForm},
};
use leptos::prelude::*;

/// Villages the asking staff member may add households to, and the server's date.
#[server(endpoint = "staff/new_household")]
pub async fn new_household_options() -> Result<NewHouseholdForm, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let staff = auth::require_staff().await?;
        auth::require_editor(&staff)?;
        let db = db()?;
        let PlaceRange { from, to } = match auth::scope(&staff) {
            records::Scope::Villages(range) => range,
            _ => PlaceRange::all(),
        };
        Ok(NewHouseholdForm {
            villages: records::villages(&db, &from, &to).await?,
            today: clock::today(),
        })
    })
    .await
}

/// Households in the asking staff member's scope matching a name, pinyin, initials, an 18-digit
/// ID or a household number (a helper cadre with an empty query: their own households).
#[server(endpoint = "staff/find")]
pub async fn find_households(q: String) -> Result<Vec<HouseholdHit>, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let staff = auth::require_staff().await?;
        if q.chars().count() > 40 {
            return Err(AppError::QueryTooLong { max: 40 });
        }
        Ok(records::find(&db()?, &auth::scope(&staff), &q).await?)
    })
    .await
}
