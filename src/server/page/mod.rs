//! What the shell and the pages read or set while one page is rendered on the server: whether
//! it loads the client and its content security policy, the mark that it may not be kept, the
//! clerk it is rendered for, the staff finder's posted text and the locale cookie. The router
//! (`server::http`) depends on this module, never the other way round.
use axum::{extract::State, http::header, response::Response};

mod csp;
pub use csp::*;

use super::state::AppState;

/// The cookie leptos_i18n reads and writes for the chosen locale.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// What a staff member searched for without JavaScript: an ID number must not go into a URL.
pub const FIND_COOKIE: &str = "fupin_find";
/// The text, with the hash of the session that searched (another session, or this one after
/// logging out, finds nothing).
static FINDS: std::sync::LazyLock<crate::server::drafts::Drafts<(Vec<u8>, String)>> =
    std::sync::LazyLock::new(|| {
        crate::server::drafts::Drafts::new(std::time::Duration::from_secs(1800), 10_000)
    });

/// Keeps what the finder's form posted under a new key for this session; the cookie that names it.
pub fn keep_find(session: &str, q: String) -> String {
    let key = FINDS.keep((crate::server::auth::token_hash(session), q));
    FINDS.cookie(FIND_COOKIE, &key, "/staff")
}

/// During server rendering of the desk: what the finder's form posted, if its cookie is here.
pub fn posted_find() -> Option<String> {
    let (session, q) = FINDS.peek(&crate::server::drafts::request_cookie(FIND_COOKIE)?)?;
    let current = crate::server::auth::token_hash(&crate::server::auth::request_token()?);
    (session == current).then_some(q)
}

/// The display name of the clerk a page is rendered for, put into the request by [`find_viewer`].
#[derive(Debug, Clone)]
struct ViewerName(String);

/// During server rendering: the logged-in clerk's display name, for the header.
pub fn viewer_name() -> Option<String> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    parts.extensions.get::<ViewerName>().map(|v| v.0.clone())
}

/// Before a page is rendered: when the request carries a session cookie, looks up who it is, so
/// the header can name them (visitors, who carry none, cost nothing). Not for server functions
/// (they check the session themselves) or writes.
pub async fn find_viewer(
    State(state): State<AppState>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if req.method() == axum::http::Method::GET && !req.uri().path().starts_with("/api/") {
        let token = req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(crate::server::auth::token_from_cookies);
        if let Some(token) = token
            && let Ok(Some(staff)) = crate::server::auth::session(&state.db, &token).await
        {
            req.extensions_mut().insert(ViewerName(staff.display_name));
        }
    }
    next.run(req).await
}
