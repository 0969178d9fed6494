//! The whole router driven in-process (no socket), asked as a browser asks: every request
//! carries `Accept-Encoding: gzip, br` unless it names its own, and a gzipped answer is
//! inflated before the test reads it (a status the compression changes is then seen).
use axum::{
    Router,
    body::Body,
    http::{HeaderValue, Request, StatusCode, header, response::Parts},
};
use fupin::server::{db::Db, http::router, leptos_options, state::AppState};
use http_body_util::BodyExt;
use std::io::Read;
use tower::ServiceExt;

/// What every browser says it accepts.
pub const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

pub fn app(db: Db) -> Router {
    let options = leptos_options("127.0.0.1:3000".parse().unwrap(), "target/site");
    router(AppState {
        leptos_options: options,
        db,
    })
}

/// Status and body; Leptos' hydration markers (`<!>`) are removed so text reads as a person sees it.
pub async fn send(app: &Router, req: Request<Body>) -> (StatusCode, String) {
    let (status, bytes) = send_bytes(app, req).await;
    (status, String::from_utf8_lossy(&bytes).replace("<!>", ""))
}

/// Status and body bytes, as a browser would read them (inflated when gzipped).
pub async fn send_bytes(app: &Router, req: Request<Body>) -> (StatusCode, Vec<u8>) {
    let (parts, bytes) = respond(app, req).await;
    (parts.status, bytes)
}

/// The answer's head (status, headers) and its body as a browser reads it (inflated when
/// gzipped), for a request sent with a browser's `Accept-Encoding`.
pub async fn respond(app: &Router, mut req: Request<Body>) -> (Parts, Vec<u8>) {
    req.headers_mut()
        .entry(header::ACCEPT_ENCODING)
        .or_insert(HeaderValue::from_static(BROWSER_ENCODINGS));
    let res = app.clone().oneshot(req).await.expect("response");
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.expect("body").to_bytes();
    let gzipped = parts
        .headers
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| v == "gzip");
    if !gzipped {
        return (parts, bytes.to_vec());
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut out)
        .expect("a gzipped body that inflates");
    (parts, out)
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
