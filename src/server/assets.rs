//! The client's files: served as built, never compressed per request, cached by what their names
//! say.
//!
//! `cargo leptos build --release --precompress` writes every file of the site twice more, as
//! `.br` (brotli, quality 11) and `.gz`; `ServeDir` answers with the one the browser accepts. With
//! `hash-files` the names under `/pkg` carry a hash of their content, so a browser may keep them a
//! year without asking again (a new build has new names). Other files (the icon) are kept a day
//! and revalidated with `If-Modified-Since` (304). Pages are never stored by shared caches and are
//! revalidated on each visit (see [`page_cache_control`]).
use axum::{
    Router,
    http::{HeaderValue, header},
    response::Response,
};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// Hashed client files: a year, never revalidated.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Files whose name stays the same from build to build.
pub const DAILY: &str = "public, max-age=86400";
/// HTML pages: they change with every write and may show a logged-in clerk's name.
pub const PAGE: &str = "private, no-cache";

/// The stylesheet's address, worked out once: with `hash-files`, `hash.txt` beside the binary
/// names its hash (leptos_meta's `HashedStylesheet` reads that file again for every page).
pub fn stylesheet_href(options: &leptos::prelude::LeptosOptions) -> String {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hash = options
            .hash_files
            .then(|| {
                let exe = std::env::current_exe().ok()?;
                let file = exe.parent()?.join(options.hash_file.as_ref());
                let text = std::fs::read_to_string(file).ok()?;
                text.lines().find_map(|line| {
                    let (kind, hash) = line.split_once(':')?;
                    (kind.trim() == "css").then(|| hash.trim().to_string())
                })
            })
            .flatten();
        match hash {
            Some(hash) => format!(
                "/{}/{}.{hash}.css",
                options.site_pkg_dir, options.output_name
            ),
            None => format!("/{}/{}.css", options.site_pkg_dir, options.output_name),
        }
    })
    .clone()
}

/// Routes for `/pkg/…` and the files of `public/` at the site's root.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &str, hashed: bool) -> Router<S> {
    let root = Path::new(site_root);
    let pkg = ServeDir::new(root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let icon = ServeFile::new(root.join("favicon.svg"))
        .precompressed_br()
        .precompressed_gzip();
    let pkg_policy = if hashed { IMMUTABLE } else { DAILY };
    Router::new()
        .nest_service("/pkg", pkg)
        .route_service("/favicon.svg", icon)
        .layer(axum::middleware::map_response(
            move |req_path: axum::extract::OriginalUri, res: Response| async move {
                cache_by_path(req_path.path(), pkg_policy, res)
            },
        ))
}

fn cache_by_path(path: &str, pkg_policy: &'static str, mut res: Response) -> Response {
    if res.status().is_success() || res.status() == axum::http::StatusCode::NOT_MODIFIED {
        let policy = if path.starts_with("/pkg/") {
            pkg_policy
        } else {
            DAILY
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// `Cache-Control` for a page of the application that set none.
pub fn page_cache_control(res: &mut Response) {
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if html {
        res.headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(PAGE));
    }
}
