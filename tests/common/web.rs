//! The whole router driven in-process (no socket).
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use fupin::server::{db::Db, http::router, leptos_options, state::AppState};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub fn app(db: Db) -> Router {
    let options = leptos_options("127.0.0.1:3000".parse().unwrap(), "target/site");
    router(AppState {
        leptos_options: options,
        db,
    })
}

/// Status and body; Leptos' hydration markers (`<!>`) are removed so text reads as a person sees it.
pub async fn send(app: &Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&bytes).replace("<!>", ""))
}

pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

pub fn post_form(uri: &str, form: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap()
}
