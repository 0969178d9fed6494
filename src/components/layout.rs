//! Page frame: header with the product name and language switch, footer.
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::{hooks::use_location, location::Url};

/// Moves when someone logs in or out on this page, so that the header asks again who it is.
#[derive(Debug, Clone, Copy)]
pub struct SessionChanged(pub RwSignal<u32>);

impl SessionChanged {
    /// Provided once, by the root component.
    pub fn provide() {
        provide_context(SessionChanged(RwSignal::new(0)));
    }

    /// Tells the header (after a login or a logout).
    pub fn notify() {
        if let Some(SessionChanged(n)) = use_context::<SessionChanged>() {
            n.update(|n| *n += 1);
        }
    }
}

/// Top bar of every page.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
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
                <a class="nav-staff" href="/staff">{t!(i18n, nav.login)}</a>
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
