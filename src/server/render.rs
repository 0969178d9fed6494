//! Where pages are rendered: each request that reaches the Leptos renderer runs to its end on
//! one of a few render threads, each a single-threaded runtime of its own.
//!
//! Why not the server's worker threads: a page spawns reactive tasks while it renders (the
//! locale effect of `leptos_i18n` runs on the server), and Leptos cleans up the page's reactive
//! owner when its stream ends. On a multi-threaded runtime one of those tasks can run on another
//! worker at the very moment the owner is cleaned up, read a signal that has just been disposed,
//! and panic ("already been disposed": measured about one run in ten of the hang-up test). On a
//! single-threaded runtime the clean-up runs within one poll: the page's tasks run before it or
//! find their effect gone after it, never during it. Everything a render spawns (`tokio::spawn`,
//! Leptos's executor) stays on its render thread, since that is the current runtime.
use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use std::{
    future::Future,
    sync::{
        LazyLock,
        atomic::{AtomicUsize, Ordering},
    },
};

/// A render thread: its runtime's handle and how many requests it holds now.
struct RenderThread {
    handle: tokio::runtime::Handle,
    holding: AtomicUsize,
}

/// One render thread per core.
static RENDER_THREADS: LazyLock<Vec<RenderThread>> = LazyLock::new(|| {
    let n = std::thread::available_parallelism().map_or(2, |n| n.get());
    (0..n)
        .map(|i| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a render thread's runtime starts");
            let handle = runtime.handle().clone();
            std::thread::Builder::new()
                .name(format!("fupin-render-{i}"))
                .spawn(move || runtime.block_on(std::future::pending::<()>()))
                .expect("a render thread starts");
            RenderThread {
                handle,
                holding: AtomicUsize::new(0),
            }
        })
        .collect()
});
static NEXT_THREAD: AtomicUsize = AtomicUsize::new(0);

/// Runs `fut` on the render thread holding the fewest requests (ties taken in turn), so that a
/// slow page does not hold up the requests behind it while another thread is idle.
fn on_a_render_thread<F>(fut: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let threads = &*RENDER_THREADS;
    let start = NEXT_THREAD.fetch_add(1, Ordering::Relaxed);
    let i = (0..threads.len())
        .map(|k| (start + k) % threads.len())
        .min_by_key(|&i| threads[i].holding.load(Ordering::Relaxed))
        .unwrap_or(0);
    let thread = &threads[i];
    thread.holding.fetch_add(1, Ordering::Relaxed);
    // Counted down when the task ends, however it ends (finished, panicked, dropped).
    struct Held(&'static AtomicUsize);
    impl Drop for Held {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::Relaxed);
        }
    }
    let held = Held(&thread.holding);
    thread.handle.spawn(async move {
        let _held = held;
        fut.await
    })
}

/// Pages (and server functions) rendered at once, across all connections.
const RENDERS: usize = 64;
static RENDER_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(RENDERS);

/// How long a page (or a server function) may take, read to its end, before it is given up and
/// its render slot freed: a page whose stream never ends must not hold a slot for good.
const RENDER_DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);
/// What the requests that are not held to it get: a day (a bound, never reached in practice).
const NO_DEADLINE: std::time::Duration = std::time::Duration::from_secs(86_400);

/// Largest page read to its end in [`render_to_completion`] (pages are tens of kilobytes).
const MAX_PAGE_BYTES: usize = 8 << 20;

/// Runs each page's rendering to its end in a task of its own, even when the client hangs up
/// midway (a closed tab, a phone losing signal, a load tester stopping), bounded by [`RENDERS`]
/// at once (a client that opens and drops connections waits here, on its own connection, for a
/// slot).
///
/// The task runs on one of the render threads ([`on_a_render_thread`]), and a page's body is
/// read to its end there, before it is handed on: a page's reactive owner is cleaned up when its
/// stream ends, on the thread that rendered it, whoever is still listening. An `Async` page is
/// complete before its first byte anyway, so nothing is lost by not streaming it.
pub async fn render_to_completion(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Ok(slot) = RENDER_SLOTS.acquire().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let deadline = if has_deadline(&req) {
        RENDER_DEADLINE
    } else {
        NO_DEADLINE
    };
    let task = on_a_render_thread(async move {
        let rendered = tokio::time::timeout(deadline, async move {
            let res = next.run(req).await;
            if is_page(&res) {
                read_to_end(res).await
            } else {
                res
            }
        })
        .await;
        drop(slot);
        rendered
    });
    match task.await {
        Ok(Ok(res)) => res,
        Ok(Err(_)) => {
            tracing::error!("a page's rendering ran past its deadline");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(crate::error::AppError::Internal),
            )
                .into_response()
        }
        Err(err) => {
            tracing::error!(error = %err, "a page's rendering failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                axum::Json(crate::error::AppError::Internal),
            )
                .into_response()
        }
    }
}

/// Whether a request is held to [`RENDER_DEADLINE`]: a page (a GET), but not a file export or
/// template, whose size grows with the register, nor a write, whose upload may come slowly.
fn has_deadline(req: &axum::extract::Request) -> bool {
    use axum::http::Method;
    let path = req.uri().path();
    matches!(*req.method(), Method::GET | Method::HEAD)
        && !["/export/", "/staff/export/", "/import/"]
            .iter()
            .any(|p| path.starts_with(p))
}

/// Whether a response is a rendered page (its body a Leptos stream with a reactive owner).
fn is_page(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The response with its body read to the end (as sent: compressed when it is).
async fn read_to_end(res: Response) -> Response {
    use http_body_util::BodyExt;
    let (parts, body) = res.into_parts();
    match http_body_util::Limited::new(body, MAX_PAGE_BYTES)
        .collect()
        .await
    {
        Ok(collected) => Response::from_parts(parts, axum::body::Body::from(collected.to_bytes())),
        Err(err) => {
            tracing::error!(error = %err, "a page could not be read to its end");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                axum::Json(crate::error::AppError::Internal),
            )
                .into_response()
        }
    }
}
