//! Page frame: header with the product name and language switch, footer.
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::{hooks::use_location, location::Url};

/// The logged-in clerk's display name as the header shows it, or nothing for a visitor.
///
/// The server finds it before rendering (from the session cookie, see `server::page`) and hands it
/// to the client inside the page ([`SharedValue`]), so the header renders the same on both sides
/// without a request of its own; a login or logout on a hydrated page sets it directly.
#[derive(Debug, Clone, Copy)]
pub struct Viewer(pub RwSignal<Option<String>>);

impl Viewer {
    /// Provided once, by the root component.
    pub fn provide() {
        let name = SharedValue::new(|| {
            #[cfg(feature = "ssr")]
            let name = crate::server::page::viewer_name();
            #[cfg(not(feature = "ssr"))]
            let name: Option<String> = None;
            name
        });
        provide_context(Viewer(RwSignal::new(name.into_inner())));
    }

    /// Tells the header who is logged in now (after a login, or `None` after a logout).
    pub fn set(name: Option<String>) {
        if let Some(Viewer(v)) = use_context::<Viewer>() {
            v.set(name);
        }
    }
}

/// Top bar of every page. A logged-in clerk sees their name, a link to the desk and a logout
/// button where visitors see the staff login.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = use_context::<Viewer>().map(|v| v.0);
    let staff = move || match viewer.and_then(|v| v.get()) {
        // A plain POST to the logout server function: with or without the client it ends the
        // session and comes back to the page (the server function redirects a form post back).
        Some(name) => view! {
            <a class="nav-staff nav-signed-in" href="/staff">
                {t!(i18n, nav.desk)} <span class="nav-name">{name}</span>
            </a>
            <form class="nav-logout" method="post" action="/api/logout">
                <button type="submit" class="link">{t!(i18n, nav.logout)}</button>
            </form>
        }
        .into_any(),
        None => view! { <a class="nav-staff" href="/staff">{t!(i18n, nav.login)}</a> }.into_any(),
    };
    view! {
        <a class="skip-link" href="#main">{t!(i18n, nav.skip)}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"扶"</span>
                <span class="brand-name">{t!(i18n, app_short)}</span>
            </a>
            <nav class="site-nav" aria-label=move || t_string!(i18n, nav.home).to_string()>
                <a href="/">{t!(i18n, nav.home)}</a>
                <a href="/search">{t!(i18n, nav.search)}</a>
                <a href="/dashboard">{t!(i18n, nav.dashboard)}</a>
                <a href="/policies">{t!(i18n, nav.policies)}</a>
                <a href="/updates">{t!(i18n, nav.updates)}</a>
                <a href="/notices">{t!(i18n, nav.notices)}</a>
                {staff}
            </nav>
            <LanguageSwitch />
        </header>
    }
}

/// Chinese / English switch. Without JavaScript each link goes through `/lang/:code`, which sets
/// the locale cookie and returns to the same page; once hydrated, a click switches in place and
/// leptos_i18n writes the same cookie, so the choice is remembered either way.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        let path = location.pathname.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let link = move |locale: Locale| {
        let label = match locale {
            Locale::zh => t_string!(i18n, lang.zh).to_string(),
            Locale::en => t_string!(i18n, lang.en).to_string(),
        };
        let code = locale.as_str();
        view! {
            <a
                href=move || format!("/lang/{code}?next={}", Url::escape(&here()))
                rel="external"
                hreflang=code
                lang=code
                aria-current=move || (i18n.get_locale() == locale).then_some("true")
                on:click=move |ev| {
                    ev.prevent_default();
                    i18n.set_locale(locale);
                }
            >
                {label}
            </a>
        }
    };
    view! {
        <nav class="lang-switch" aria-label=move || t_string!(i18n, lang.label).to_string()>
            {link(Locale::zh)}
            {link(Locale::en)}
        </nav>
    }
}

/// Bottom of every page.
#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{t!(i18n, footer)}</p>
        </footer>
    }
}
