//! Server-only code: configuration, database, HTTP.
pub mod auth;
pub mod challenge;
pub mod clock;
pub mod config;
pub mod db;
pub mod http;
pub mod names;
pub mod objection;
pub mod repo;
pub mod seed;
pub mod state;
pub mod transfer;

use crate::error::AppError;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Runs the body of a server function and, when it fails, gives the HTTP response the status that
/// matches the error (400, 403, 404, 409 …) instead of the framework's blanket 500.
pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(err) = &result
        && let Some(opts) = use_context::<ResponseOptions>()
    {
        let status = axum::http::StatusCode::from_u16(err.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        opts.set_status(status);
    }
    result
}

/// Leptos settings for serving: the values cargo-leptos would set, from our own configuration
/// (so the release binary runs alone, without `cargo leptos` or a Cargo.toml beside it).
pub fn leptos_options(
    addr: std::net::SocketAddr,
    site_root: &str,
) -> leptos::prelude::LeptosOptions {
    leptos::prelude::LeptosOptions::builder()
        .output_name("fupin")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(leptos::config::Env::PROD)
        .build()
}

/// Serves `state` on `listener` until Ctrl-C or SIGTERM, then lets in-flight requests finish and
/// closes the database (SQLite checkpoints its WAL on close).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: state::AppState,
) -> std::io::Result<()> {
    let db = state.db.clone();
    let app = http::router(state);
    // The peer address reaches server functions (login throttling per address).
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("shutting down: closing the database");
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
