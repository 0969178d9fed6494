//! The session: logging in and out, and who is asking. The login page, the desk and the public
//! dashboard (which shows staff a little more) call these.
use crate::{error::AppError, model::staff::StaffInfo};
use leptos::prelude::*;

/// Logs in; on success the response carries the session cookie.
#[server(endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<StaffInfo, AppError> {
    use crate::server::{auth, respond, state::db};
    respond(async move {
        let (staff, token) =
            auth::login(&db()?, &username, &password, &auth::request_address()).await?;
        auth::set_cookie(&auth::session_cookie(&token))?;
        Ok(staff)
    })
    .await
}

/// Ends the current session (if any) and removes the cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{auth, respond, state::db};
    respond(async move {
        if let Some(token) = auth::request_token() {
            auth::logout(&db()?, &token).await?;
        }
        auth::set_cookie(&auth::clear_cookie())
    })
    .await
}

/// Who is logged in, or nothing.
#[server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<StaffInfo>, AppError> {
    use crate::server::{auth, respond, state::db};
    respond(async move {
        match auth::request_token() {
            Some(token) => auth::session(&db()?, &token).await,
            None => Ok(None),
        }
    })
    .await
}
