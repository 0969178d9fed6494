use crate::i18n::*;
use leptos::prelude::*;

/// Shown for any path no route matches; answers with HTTP 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <section class="not-found">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.body)}</p>
            <a href="/">{t!(i18n, not_found.back)}</a>
        </section>
    }
}
