//! Security headers and the content security policy of each page: public pages run no script
//! but Leptos's two empty bootstrap lines (allowed by their hashes); staff pages load the client.
use axum::{
    http::{HeaderValue, header},
    response::Response,
};

/// The Content-Security-Policy of an HTML page: scripts only from this site or inline with this
/// response's nonce (the hydration script), WebAssembly compilation allowed, no framing, forms
/// and fetches to this site only. Inline `style` attributes (chart bars) stay allowed.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// For responses that are not pages (JSON, files, redirects): nothing may run or frame them.
pub const STRICT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Sets the security headers on every response. Pages carry their own CSP (with the nonce of
/// their hydration script, set while rendering); anything else gets [`STRICT_CSP`].
pub async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut res = next.run(req).await;
    crate::server::assets::page_cache_control(&mut res);
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(STRICT_CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// The pages that load the client: the staff desk, its forms, and the login. Public pages are
/// sent as complete HTML without it (a visitor's phone downloads no WASM); a clerk's client,
/// once loaded, also renders public pages it navigates to.
pub fn path_has_client(path: &str) -> bool {
    path == "/login" || path == "/staff" || path.starts_with("/staff/")
}

/// During server rendering: whether this page loads the client ([`path_has_client`]).
pub fn page_has_client() -> bool {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| path_has_client(parts.uri.path()))
}

/// During rendering (or a server function): the response holds something for this visitor alone
/// (an objection form's one-time question), so no cache may keep it: `Cache-Control: no-store`,
/// which `page_cache` respects too.
pub fn not_to_be_kept() {
    if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        opts.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// The two inline scripts Leptos writes into every server-rendered page: the empty start of its
/// resource streaming. A public page has no other script (no client, and its resources are not
/// serialized), so its CSP allows exactly these two, by their hashes.
pub const LEPTOS_BOOTSTRAP: [&str; 2] = [
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

/// A public page's CSP: no script may run but [`LEPTOS_BOOTSTRAP`], nothing may be fetched by
/// script; with no per-response nonce the page is the same for every visitor and may be kept
/// (`page_cache`).
pub fn public_page_csp() -> &'static str {
    static CSP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use base64::{Engine, engine::general_purpose::STANDARD};
        use sha2::{Digest, Sha256};
        let hashes: Vec<String> = LEPTOS_BOOTSTRAP
            .iter()
            .map(|s| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(s.as_bytes()))))
            .collect();
        format!(
            "default-src 'self'; script-src {}; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; connect-src 'none'; font-src 'self'; object-src 'none'; \
             base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            hashes.join(" ")
        )
    });
    &CSP
}

/// During server rendering: puts the page's CSP into its headers: for a page with the client,
/// with this response's nonce; for a public page, [`public_page_csp`].
pub fn set_page_csp(client: bool) {
    if !client {
        if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            opts.insert_header(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(public_page_csp()),
            );
        }
        return;
    }
    let (Some(nonce), Some(opts)) = (
        leptos::nonce::use_nonce(),
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(v) = HeaderValue::from_str(&page_csp(&nonce)) {
        opts.insert_header(header::CONTENT_SECURITY_POLICY, v);
    }
}
