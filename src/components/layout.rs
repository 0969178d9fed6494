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

/// Top bar of every page. A logged-in clerk sees their name, a link to the desk and a logout
/// button where visitors see the staff login.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let changed = use_context::<SessionChanged>().map(|c| c.0);
    let me = Resource::new(
        move || changed.map(|c| c.get()),
        |_| crate::pages::login::whoami(),
    );
    let logout = ServerAction::<crate::pages::login::Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            SessionChanged::notify();
        }
    });
    let login_link = move || view! { <a class="nav-staff" href="/staff">{t!(i18n, nav.login)}</a> };
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
                <Suspense fallback=login_link>
                    {move || me.get().map(|who| match who {
                        Ok(Some(staff)) => view! {
                            <a class="nav-staff nav-signed-in" href="/staff">
                                {t!(i18n, nav.desk)} <span class="nav-name">{staff.display_name}</span>
                            </a>
                            <ActionForm action=logout attr:class="nav-logout">
                                <button type="submit" class="link">{t!(i18n, nav.logout)}</button>
                            </ActionForm>
                        }
                            .into_any(),
                        _ => login_link().into_any(),
                    })}
                </Suspense>
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
                    remember_locale(locale);
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

/// Writes the locale cookie the server reads (the same one `/lang/:code` sets), so the choice
/// made in place holds on the next page load.
fn remember_locale(locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = doc.set_cookie(&format!(
                "i18n_pref_locale={}; Path=/; Max-Age=31536000; SameSite=Lax",
                locale.as_str()
            ));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = locale;
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
