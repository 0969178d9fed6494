//! The one search box of the portal: a plain GET form to `/search` (it works with JavaScript
//! off); once hydrated it reacts as the user types, debounced by 250 ms.
use crate::{i18n::*, model::search::MAX_QUERY_CHARS};
use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate, location::Url};

/// How the hydrated box reacts to typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    /// Show a preview below the box (the `preview` child) without leaving the page.
    Preview,
    /// Replace the URL (`/search?q=…`), so the results page updates in place and stays shareable.
    Navigate,
}

/// The search form. `typed` receives the debounced text, for a preview.
#[component]
pub fn SearchBox(
    #[prop(into)] initial: String,
    live: Live,
    #[prop(optional, into)] typed: Option<WriteSignal<String>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (text, set_text) = signal(initial.clone());
    let debounced = leptos_use::signal_debounced(text, 250.0);
    let navigate = use_navigate();
    // The text as the page was rendered: in the `value` attribute, so that without JavaScript the
    // results page shows the query in its box, ready to refine.
    let rendered = initial.clone();
    let last_sent = StoredValue::new(initial);
    Effect::new(move |_| {
        let q: String = debounced.get();
        if q == last_sent.get_value() {
            return;
        }
        last_sent.set_value(q.clone());
        match live {
            Live::Preview => {
                if let Some(typed) = typed {
                    typed.set(q);
                }
            }
            Live::Navigate => navigate(
                &format!("/search?q={}", Url::escape(q.trim())),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            ),
        }
    });
    view! {
        <form class="search" method="get" action="/search" role="search">
            <label for="q">{t!(i18n, search.label)}</label>
            <div class="search-row">
                <input
                    id="q"
                    name="q"
                    type="search"
                    autocomplete="off"
                    maxlength=MAX_QUERY_CHARS
                    placeholder=move || t_string!(i18n, search.placeholder).to_string()
                    on:input=move |ev| set_text.set(event_target_value(&ev))
                    value=rendered
                    prop:value=text
                />
                <button type="submit">{t!(i18n, search.submit)}</button>
            </div>
            <p class="hint">{t!(i18n, search.hint)}</p>
            {children.map(|c| c())}
        </form>
    }
}

/// Keeps only the latest of a series of requests: starting one aborts the one before, which
/// drops its future and so cancels its HTTP request (server functions abort on drop).
#[derive(Clone, Copy)]
pub struct LatestOnly(StoredValue<Option<AbortHandle>>);

impl LatestOnly {
    pub fn new() -> Self {
        LatestOnly(StoredValue::new(None))
    }

    /// Runs `fut` unless a later call supersedes it (then `None`).
    pub async fn run<T>(self, fut: impl Future<Output = T>) -> Option<T> {
        let (handle, registration) = AbortHandle::new_pair();
        if let Some(previous) = self
            .0
            .try_update_value(|slot| slot.replace(handle))
            .flatten()
        {
            previous.abort();
        }
        Abortable::new(fut, registration).await.ok()
    }
}

impl Default for LatestOnly {
    fn default() -> Self {
        Self::new()
    }
}
