//! Shared state of the web server.
use super::db::Db;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

/// Everything a handler or server function needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
}

/// The database handle inside a server function (`leptos_routes_with_context` puts the whole
/// [`AppState`] into the reactive context of every request).
pub fn db() -> Result<Db, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .map(|s| s.db)
        .ok_or_else(|| {
            tracing::error!("database handle missing from the server-function context");
            crate::error::AppError::Internal
        })
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
