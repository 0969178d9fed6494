//! Places as several public pages show them: the township and village lists of the place
//! filters, and a place's latest work.
use crate::{
    error::AppError,
    model::transparency::{PlaceNews, TownshipVillages},
};
use leptos::prelude::*;

/// Every township with its villages (the place filters).
#[server(endpoint = "places")]
pub async fn list_places() -> Result<Vec<TownshipVillages>, AppError> {
    use crate::server::prelude::*;
    respond(async move { Ok(places::places(&db()?).await?.to_vec()) }).await
}

/// The latest published updates about a village or township (its villages included), and the
/// notices there that ran in the last 30 days or still run.
#[server(endpoint = "place_news")]
pub async fn load_place_news(code: String) -> Result<PlaceNews, AppError> {
    use crate::server::prelude::*;
    respond(async move {
        let code = place(&code)?.ok_or(AppError::NotFound)?;
        let range = Some(code.range());
        let db = db()?;
        Ok(PlaceNews {
            updates: updates::public_updates(&db, &range, "", 1, 5).await?.items,
            notices: notices::notices(&db, &range, true, clock::today()).await?,
        })
    })
    .await
}
