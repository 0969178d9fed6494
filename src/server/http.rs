//! The axum router: Leptos pages and server functions, health check, language switch, static files.
use super::state::AppState;
use crate::app::{App, shell};
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

/// Builds the whole application for `state`. Tests drive it in-process with `oneshot`.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let shell_options = state.leptos_options.clone();
    let fallback_options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/lang/{locale}", get(set_language))
        .route(
            "/notices/{id}/objection",
            axum::routing::post(super::objection::file),
        )
        .merge(super::transfer::http::routes())
        .leptos_routes(&state, routes, move || shell(shell_options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(|| {}, move |_| shell(fallback_options.clone())))
        .layer(axum::middleware::from_fn(same_origin_writes))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// `200 ok` when the database answers a query, `503` otherwise (for load balancers and `make run`).
async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database not answering");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// Refuses a write (any method but GET/HEAD/OPTIONS) sent from another site: the browser says so
/// in `Sec-Fetch-Site`, or its `Origin` names another host than the one addressed. Requests
/// without either header (curl, tests, old browsers) pass; they carry no other site's cookies.
async fn same_origin_writes(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::Method;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let h = req.headers();
        let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross_site = matches!(site, Some(s) if s != "same-origin" && s != "none");
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin_host = h
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .filter(|o| *o != "null")
            .map(|o| o.split_once("://").map_or(o, |(_, rest)| rest));
        let foreign_origin = matches!((origin_host, host), (Some(o), Some(h)) if o != h);
        if cross_site || foreign_origin {
            return (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"error":"forbidden"}"#,
            )
                .into_response();
        }
    }
    next.run(req).await
}

#[derive(Deserialize)]
struct LangQuery {
    next: Option<String>,
}

/// The cookie leptos_i18n reads and writes for the chosen locale.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// Language switch that works without JavaScript: remembers the choice in the same cookie the
/// hydrated switch writes, then returns to the page the user was on (local paths only).
async fn set_language(Path(locale): Path<String>, Query(q): Query<LangQuery>) -> Response {
    if !matches!(locale.as_str(), "zh" | "en") {
        return (StatusCode::NOT_FOUND, "unknown language\n").into_response();
    }
    let next = q
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".into());
    let cookie = format!("{LOCALE_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut res = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}
