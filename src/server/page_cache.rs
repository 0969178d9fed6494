//! Public pages kept as they were sent, while nothing they show has changed.
//!
//! A visitor's page (no session cookie) depends on its address, the language asked for, the
//! encoding accepted, the day, and the database. The database's part is one counter
//! (`stats_generation`, migrations 0010 and 0012) that a trigger moves in every transaction that
//! writes a table a public page reads, whichever process writes it; a kept page is sent again only
//! while the counter (and the database's random token) is what it was when the page was rendered.
//! So a hit costs one single-row query instead of a page's queries and its rendering, and a page
//! is never older than the database.
//!
//! Clerks (any session cookie) are never served from here nor stored: their header names them.
//! Public pages carry no script and so no per-response nonce; a page whose response sets a cookie,
//! says `no-store` (a notice's objection form with its one-time question) or whose CSP carries a
//! nonce is not kept.
//!
//! Visitors who ask for the same page while it is being rendered (32 phones opening the dashboard
//! just after a write moved the generation) wait for that one rendering instead of each starting
//! their own: the first is the page's leader, its rendering runs to the end in a task of its own
//! (a leader who hangs up does not strand the others), and the others get its page when its
//! generation is the one they read. Renderings of pages not kept yet are bounded
//! ([`MISS_RENDERS`] at once), so that kept pages are still sent while many new ones render.
use super::{kept::Generation, state::AppState};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use http_body_util::BodyExt;
use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, LazyLock, Mutex},
    time::Duration,
};
use tokio::sync::{Semaphore, watch};

/// Marks a response sent from here (for operators and tests): `hit` for a kept page, `shared`
/// for a page another visitor's request rendered while this one waited.
pub const HIT_HEADER: &str = "x-page-cache";

/// Pages being rendered at once for the store (each page once, see [`Flights`]); more wait.
const MISS_RENDERS: usize = 8;
static MISS_SLOTS: Semaphore = Semaphore::const_new(MISS_RENDERS);
/// How long a visitor waits for another's rendering of the same page before rendering it alone.
const SHARE_WAIT: Duration = Duration::from_secs(10);

/// Pages kept at most, and their bytes in all; past either the oldest go first.
const MAX_PAGES: usize = 4096;
const MAX_BYTES: usize = 64 << 20;
/// A page larger than this is not kept.
const MAX_PAGE: usize = 1 << 20;

/// What makes two requests get the same page (besides the database).
#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path_and_query: String,
    accept_encoding: Option<HeaderValue>,
    accept_language: Option<HeaderValue>,
    cookie: Option<HeaderValue>,
    today: chrono::NaiveDate,
}

struct Page {
    /// The database's generation read before the page was rendered (`server::kept`).
    generation: Generation,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Default)]
struct Store {
    pages: HashMap<Key, Arc<Page>>,
    order: VecDeque<Key>,
    bytes: usize,
}

impl Store {
    fn insert(&mut self, key: Key, page: Arc<Page>) {
        let size = page.body.len();
        if let Some(old) = self.pages.insert(key.clone(), page) {
            self.bytes -= old.body.len();
        } else {
            self.order.push_back(key);
        }
        self.bytes += size;
        while self.pages.len() > MAX_PAGES || self.bytes > MAX_BYTES {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(old) = self.pages.remove(&oldest) {
                self.bytes -= old.body.len();
            }
        }
    }
}

static STORE: LazyLock<Mutex<Store>> = LazyLock::new(Default::default);

/// Whether kept pages are used (`FUPIN_PAGE_CACHE=0` turns it off, to measure rendering alone).
fn enabled() -> bool {
    static ON: LazyLock<bool> = LazyLock::new(|| {
        !matches!(
            std::env::var("FUPIN_PAGE_CACHE").as_deref().map(str::trim),
            Ok("0" | "false" | "off")
        )
    });
    *ON
}

/// The public pages: everything served by the page renderer except the staff's.
fn public_page(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path.starts_with("/export/")
        || path.starts_with("/lang/")
        || path == "/healthz"
        || path == "/favicon.svg"
        || super::page::path_has_client(path))
}

fn key_of(req: &Request) -> Option<Key> {
    if req.method() != Method::GET || !public_page(req.uri().path()) {
        return None;
    }
    let headers = req.headers();
    let cookies: Vec<&HeaderValue> = headers.get_all(header::COOKIE).iter().collect();
    // A clerk's page (or one that claims to be) is theirs alone.
    let clerk = |c: &&HeaderValue| c.to_str().map_or(true, |c| c.contains(super::auth::COOKIE));
    if cookies.len() > 1 || cookies.iter().any(clerk) {
        return None;
    }
    Some(Key {
        path_and_query: req.uri().path_and_query()?.as_str().to_string(),
        accept_encoding: headers.get(header::ACCEPT_ENCODING).cloned(),
        accept_language: headers.get(header::ACCEPT_LANGUAGE).cloned(),
        cookie: cookies.first().map(|c| (*c).clone()),
        today: super::clock::today(),
    })
}

/// Whether a rendered response may be kept for other visitors.
fn keepable(res: &Response) -> bool {
    let h = res.headers();
    matches!(res.status(), StatusCode::OK | StatusCode::NOT_FOUND)
        && !h.contains_key(header::SET_COOKIE)
        && h.get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| !v.contains("no-store"))
        && h.get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
        && h.get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.contains("nonce-"))
        && h.get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .is_none_or(|n| n <= MAX_PAGE)
}

/// A page rendered by one request for those that asked for it meanwhile: `None` until it is
/// done; the sender is dropped without a page when it may not be kept.
type Flight = watch::Receiver<Option<Arc<Page>>>;

/// The pages being rendered now, by key.
#[derive(Default)]
struct Flights(Mutex<HashMap<Key, Flight>>);

enum Turn {
    /// This request renders the page and hands it on; the key leaves the map when this is dropped.
    Lead(Leader),
    /// Another request renders it.
    Follow(Flight),
}

struct Leader {
    key: Key,
    flights: &'static Flights,
    tx: watch::Sender<Option<Arc<Page>>>,
}

impl Drop for Leader {
    fn drop(&mut self) {
        if let Ok(mut map) = self.flights.0.lock() {
            map.remove(&self.key);
        }
    }
}

impl Flights {
    fn join(&'static self, key: &Key) -> Option<Turn> {
        let mut map = self.0.lock().ok()?;
        if let Some(flight) = map.get(key) {
            return Some(Turn::Follow(flight.clone()));
        }
        let (tx, rx) = watch::channel(None);
        map.insert(key.clone(), rx);
        Some(Turn::Lead(Leader {
            key: key.clone(),
            flights: self,
            tx,
        }))
    }
}

static FLIGHTS: LazyLock<Flights> = LazyLock::new(Default::default);

/// Waits for another request's rendering; its page when it was kept for the same database.
async fn share(mut flight: Flight, seen: &Generation) -> Option<Arc<Page>> {
    let page = tokio::time::timeout(SHARE_WAIT, flight.wait_for(Option::is_some))
        .await
        .ok()?
        .ok()?
        .clone()?;
    page.generation.serves(seen).then_some(page)
}

fn send_kept(page: &Page, how: &'static str) -> Response {
    let mut res = (page.status, page.body.clone()).into_response();
    *res.headers_mut() = page.headers.clone();
    res.headers_mut()
        .insert(HIT_HEADER, HeaderValue::from_static(how));
    res
}

/// The middleware: a kept page when its generation serves the database's, else the rendered one
/// (kept for the next visitor when it may be).
pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let key = if enabled() { key_of(&req) } else { None };
    let Some(key) = key else {
        return next.run(req).await;
    };
    // Read before rendering: a write that lands while the page renders makes the kept page look
    // older than it is, so the next visitor gets it rendered again; never the other way round.
    let Ok(seen) = Generation::read(&state.db).await else {
        return next.run(req).await;
    };
    let kept = STORE
        .lock()
        .ok()
        .and_then(|s| s.pages.get(&key).cloned())
        .filter(|p| p.generation.serves(&seen));
    if let Some(page) = kept {
        return send_kept(&page, "hit");
    }
    let leader = match FLIGHTS.join(&key) {
        Some(Turn::Follow(flight)) => {
            if let Some(page) = share(flight, &seen).await {
                return send_kept(&page, "shared");
            }
            None
        }
        Some(Turn::Lead(leader)) => Some(leader),
        None => None,
    };
    // The rendering runs to its end even when this visitor hangs up: others may be waiting.
    let render = tokio::spawn(async move {
        let _slot = MISS_SLOTS.acquire().await;
        let res = next.run(req).await;
        if !keepable(&res) {
            return res;
        }
        let (parts, body) = res.into_parts();
        let Ok(collected) = http_body_util::Limited::new(body, MAX_PAGE).collect().await else {
            return (StatusCode::INTERNAL_SERVER_ERROR, "page too large\n").into_response();
        };
        let body = collected.to_bytes();
        let page = Arc::new(Page {
            generation: seen,
            status: parts.status,
            headers: parts.headers.clone(),
            body: body.clone(),
        });
        if let Ok(mut store) = STORE.lock() {
            store.insert(key, page.clone());
        }
        if let Some(leader) = leader {
            leader.tx.send_replace(Some(page));
        }
        Response::from_parts(parts, Body::from(body))
    });
    render.await.unwrap_or_else(|e| {
        tracing::error!("page rendering failed: {e}");
        (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
    })
}

#[cfg(test)]
mod tests;
