//! Server-only code: configuration, database, HTTP.
pub mod assets;
pub mod auth;
pub mod challenge;
pub mod clock;
pub mod config;
pub mod db;
pub mod drafts;
pub mod editor;
pub mod floor;
pub mod http;
pub mod kept;
pub mod names;
pub mod objection;
pub mod page;
pub mod page_cache;
pub mod prelude;
pub mod render;
pub mod repo;
pub mod request;
mod respond;
pub mod seed;
pub mod state;
pub mod transfer;

pub use respond::respond;

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
        .hash_files(hashed_build())
        .build()
}

/// `cargo leptos build` (with `hash-files`) writes the content hashes of the client's files to
/// `hash.txt` beside the server binary; Leptos reads it to name them in each page. A binary
/// without one (a test binary) names the unhashed files.
fn hashed_build() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("hash.txt")))
        .is_some_and(|file| file.is_file())
}

/// How long a client may take to send a request's headers (from the moment it connects, or
/// after its last answer on a kept-alive connection); a connection that sends nothing more is
/// closed (a slow-headers attack holds sockets otherwise).
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// Connections served at once; past it new ones are closed at once, so the process keeps file
/// descriptors for its database and `/healthz` however many sockets are opened.
pub const MAX_CONNECTIONS: usize = 768;
/// Connections one client address may hold at once (a browser opens about six; an office behind
/// one NAT address a few hundred at most). Trusted proxies (`FUPIN_TRUSTED_PROXY`) are exempt.
pub const MAX_PER_PEER: usize = 128;

/// Open connections per client address.
#[derive(Default)]
struct PeerSlots(std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>);

/// One connection's place in [`PeerSlots`], given back when dropped.
struct PeerSlot {
    slots: std::sync::Arc<PeerSlots>,
    ip: std::net::IpAddr,
}

impl PeerSlots {
    fn take(self: &std::sync::Arc<Self>, ip: std::net::IpAddr) -> Option<PeerSlot> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = map.entry(ip).or_default();
        if *n >= MAX_PER_PEER && !auth::is_trusted_proxy(ip) {
            return None;
        }
        *n += 1;
        Some(PeerSlot {
            slots: self.clone(),
            ip,
        })
    }
}

impl Drop for PeerSlot {
    fn drop(&mut self) {
        let mut map = self.slots.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.ip);
            }
        }
    }
}

/// Serves `state` on `listener` until Ctrl-C or SIGTERM, then lets in-flight requests finish and
/// closes the database (SQLite checkpoints its WAL on close). The loop is hyper's own HTTP/1.1
/// server (what `axum::serve` runs) with what `axum::serve` leaves out: a header-read timeout
/// that also covers a connection that sends nothing at all, a bound on connections in all and per
/// client address, and (in the router) a timeout on a body that stops sending. HTTP/2 is not
/// spoken: a proxy in front speaks it to browsers where wanted.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: state::AppState,
) -> std::io::Result<()> {
    use hyper_util::{
        rt::{TokioIo, TokioTimer},
        server::graceful::GracefulShutdown,
    };
    use tower::ServiceExt;
    let db = state.db.clone();
    // The dashboard's monitoring figures take seconds to read at a province's size: they are read
    // now, while the first visitors are still on their way (a failure here is the next visitor's
    // to see, not the server's).
    let warm = db.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match repo::stats::warm_dashboard(&warm, clock::today()).await {
            Ok(()) => tracing::info!(took = ?started.elapsed(), "dashboard figures read"),
            Err(err) => {
                tracing::warn!(error = %err, "reading the dashboard's figures at start failed")
            }
        }
    });
    let app = http::router(state);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let peers = std::sync::Arc::new(PeerSlots::default());
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(err) => {
                    // Out of file descriptors and the like: wait a moment instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let Some(peer_slot) = peers.take(peer.ip()) else {
            tracing::warn!(%peer, "too many connections from one address: closing a new one");
            continue;
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(%peer, "too many connections: closing a new one");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let builder = builder.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            // hyper's header timer starts with the first byte: a client that connects and then
            // says nothing is closed here instead.
            let mut first = [0u8; 1];
            match tokio::time::timeout(HEADER_READ_TIMEOUT, stream.peek(&mut first)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => return,
            }
            // The peer address reaches handlers and server functions (throttling per address).
            let service = hyper::service::service_fn(
                move |mut req: hyper::Request<hyper::body::Incoming>| {
                    req.extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    app.clone().oneshot(req)
                },
            );
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            if let Err(err) = watcher.watch(conn).await {
                tracing::debug!(error = %err, %peer, "connection ended with an error");
            }
            drop((slot, peer_slot));
        });
    }
    tracing::info!("shutting down: finishing open requests");
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(std::time::Duration::from_secs(30)) => {
            tracing::warn!("requests still open after 30 s: closing them");
        }
    }
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
