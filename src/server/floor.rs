//! `fupin floor`: the bare axum server that `scripts/load.sh` measures the pages against, in the
//! same run on the same machine — one route, a fixed 2 KB HTML page, no database, no rendering.
//! What the pages reach as a share of it says how much of the machine the application itself
//! spends, whatever the machine.
use axum::{Router, response::Html, routing::get};

/// About 2 KB of HTML, built once.
fn page() -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>floor</title></head><body><main>",
    );
    while html.len() < 2000 {
        html.push_str("<p>扶贫 floor page: a fixed answer for the load script.</p>");
    }
    html.push_str("</main></body></html>");
    html
}

/// Serves the fixed page on `addr` until the process is stopped.
pub async fn serve(addr: std::net::SocketAddr) -> std::io::Result<()> {
    let page: &'static str = Box::leak(page().into_boxed_str());
    let app = Router::new().route("/", get(move || async move { Html(page) }));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("floor page on http://{addr}/");
    axum::serve(listener, app).await
}
