//! Previous / next links under a list (plain links: they work without JavaScript).
use crate::i18n::*;
use leptos::prelude::*;

/// Previous / next links: `link` is the list's address up to and including `page=`, so each link
/// keeps the list's filters.
#[component]
pub fn Pager(link: String, page: i64, pages: i64) -> impl IntoView {
    let i18n = use_i18n();
    let href = move |p: i64| format!("{link}{p}");
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, search.pages).to_string()>
            {(page > 1)
                .then(|| view! { <a rel="prev" href=href(page - 1)>{t!(i18n, search.prev)}</a> })}
            <span>{t!(i18n, search.page_of, page, pages)}</span>
            {(page < pages)
                .then(|| view! { <a rel="next" href=href(page + 1)>{t!(i18n, search.next)}</a> })}
        </nav>
    }
}
