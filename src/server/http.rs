//! The axum router: Leptos pages and server functions, health check, language switch, static files.
use super::page::{LOCALE_COOKIE, find_viewer, security_headers};
use super::request::{is_local_path, longer_than};
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

/// The pages' routes. Leptos finds them by rendering the app once under an owner it drops at the
/// end; the locale effect of `leptos_i18n` that this render spawns could then run on the server's
/// runtime after its owner is gone and panic ("already been disposed"). So the render runs on a
/// runtime of its own in a thread of its own, and what it spawned is dropped with that runtime,
/// never polled. (A panic of that kind was seen once per `make load` run, on a worker thread; it
/// was not reproduced apart, so this is one possible source of it, not a proven one.)
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    std::thread::scope(|s| {
        s.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the route list")
                .block_on(async { generate_route_list(App) })
        })
        .join()
        .expect("the route list")
    })
}

/// Builds the whole application for `state`. Tests drive it in-process with `oneshot`.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let shell_options = state.leptos_options.clone();
    let fallback_options = state.leptos_options.clone();
    let assets = super::assets::routes(
        &state.leptos_options.site_root,
        state.leptos_options.hash_files,
    );
    Router::new()
        .route("/healthz", get(healthz))
        .route("/lang/{locale}", get(set_language))
        .route("/staff/find", axum::routing::post(staff_find))
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
        // A server function's refusal gets its status here, from its body as the function wrote
        // it: inside the compression, which would otherwise hand this layer gzipped bytes.
        .layer(axum::middleware::from_fn(server_fn_statuses))
        // Pages and server functions are gzipped as they are sent, at level 4: brotli's encoder
        // (at its default quality 11 milliseconds per page; even at 4 it clears large tables for
        // every response) is for files made once. The client's files are compressed at build
        // time, with brotli 11 (merged after this layer, never seen by it).
        .layer(
            CompressionLayer::new()
                .no_br()
                .quality(tower_http::CompressionLevel::Precise(4)),
        )
        .layer(axum::middleware::from_fn(
            super::render::render_to_completion,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            find_viewer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::page_cache::serve,
        ))
        .merge(assets)
        .layer(axum::middleware::from_fn(same_origin_writes))
        .layer(axum::middleware::from_fn(security_headers))
        // A body that stops sending is dropped after this long without data.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            std::time::Duration::from_secs(30),
        ))
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
/// in `Sec-Fetch-Site`, or its `Origin` names another host than the one addressed, or is `null`
/// (sandboxed frames, `data:` pages and some redirects send that: never our own pages). Requests
/// without either header (curl, tests, old browsers) pass; they carry no other site's cookies.
async fn same_origin_writes(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::Method;
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let h = req.headers();
        let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross_site = matches!(site, Some(s) if s != "same-origin" && s != "none");
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin = h.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("null"));
        let origin_host = origin.map(|o| o.split_once("://").map_or(o, |(_, rest)| rest));
        let foreign_origin = match (origin, origin_host, host) {
            (Some("null"), ..) => true,
            (_, Some(o), Some(h)) => o != h,
            _ => false,
        };
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

#[derive(Deserialize, Default)]
#[serde(default)]
struct FindForm {
    q: String,
}

/// `POST /staff/find`: the staff finder's form without JavaScript. The text waits under a
/// cookie's key and the desk shows its results at `/staff` (a plain address).
async fn staff_find(
    headers: axum::http::HeaderMap,
    form: Result<axum::Form<FindForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let session = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(super::auth::token_from_cookies);
    let Some(session) = session else {
        return Redirect::to("/login").into_response();
    };
    let q: String = form
        .map(|f| f.0.q)
        .unwrap_or_default()
        .chars()
        .take(40)
        .collect();
    let mut res = Redirect::to("/staff").into_response();
    if let Ok(v) = HeaderValue::from_str(&super::page::keep_find(&session, q)) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

#[derive(Deserialize)]
struct LangQuery {
    next: Option<String>,
}

/// Language switch that works without JavaScript: remembers the choice in the same cookie the
/// hydrated switch writes, then returns to the page the user was on (local paths only).
async fn set_language(Path(locale): Path<String>, Query(q): Query<LangQuery>) -> Response {
    if !matches!(locale.as_str(), "zh" | "en") {
        return (StatusCode::NOT_FOUND, "unknown language\n").into_response();
    }
    let next = q
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".into());
    let cookie = format!("{LOCALE_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax");
    let mut res = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// Largest body a server function accepts (forms and record saves are a few kilobytes); the
/// upload endpoint has its own limit.
pub const API_BODY_LIMIT: usize = 256 * 1024;

/// Gives a server function's error the status its [`AppError`] names. Errors raised before the
/// function body runs (arguments that do not decode: `page=abc`, a missing field) otherwise leave
/// the framework's blanket 500. A body over [`API_BODY_LIMIT`] is refused with 413 before it is read.
async fn server_fn_statuses(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use crate::error::AppError;
    let api = req.uri().path().starts_with("/api/") && req.uri().path() != "/api/staff/import";
    if api && longer_than(req.headers(), API_BODY_LIMIT) {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            axum::Json(AppError::TooLarge),
        )
            .into_response();
    }
    let (parts, body) = req.into_parts();
    let req = axum::extract::Request::from_parts(
        parts,
        if api {
            axum::body::Body::new(http_body_util::Limited::new(body, API_BODY_LIMIT))
        } else {
            body
        },
    );
    let res = next.run(req).await;
    if !api
        || res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(AppError::Internal),
        )
            .into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(parts.status);
        if let Some(secs) = err.retry_after()
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            parts.headers.insert(header::RETRY_AFTER, v);
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
