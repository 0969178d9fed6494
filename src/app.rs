//! The HTML shell and the root component with its routes.
use crate::components::PageTitle;
use crate::{
    components::{Footer, Header, Viewer},
    i18n::*,
    pages,
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The public portal is complete HTML with no client (nothing to download on a phone: every
    // public page works as a plain page, forms and links); the client takes over the staff pages.
    #[cfg(feature = "ssr")]
    let client = crate::server::page::page_has_client();
    #[cfg(not(feature = "ssr"))]
    let client = true;
    #[cfg(feature = "ssr")]
    crate::server::page::set_page_csp(client);
    // Without a client, nothing reads the resources' values back: they are not written into the
    // page (islands mode does the same outside its islands).
    #[cfg(feature = "ssr")]
    if !client && let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    #[cfg(feature = "ssr")]
    let stylesheet = crate::server::assets::stylesheet_href(&options);
    #[cfg(not(feature = "ssr"))]
    let stylesheet = String::new();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <link rel="stylesheet" id="leptos" href=stylesheet />
                {client.then(|| view! { <HydrationScripts options /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Root component: i18n context (sets `<html lang>`), metadata and the router.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    Viewer::provide();
    // Effects run only in the browser, after hydration: mark the document so that tests (and
    // styles) can tell the interactive page from the server-rendered one.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <I18nContextProvider>
            <DocumentTitle />
            <Router>
                <Header />
                <main id="main">
                    // Async: every page is sent complete, so it reads the same with JavaScript off.
                    <Routes fallback=pages::public::not_found::NotFoundPage>
                        <Route path=path!("") view=pages::public::home::HomePage ssr=SsrMode::Async />
                        <Route path=path!("/search") view=pages::public::search::SearchPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view=pages::public::dashboard::DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/household/:id") view=pages::public::household::HouseholdPage ssr=SsrMode::Async />
                        <Route path=path!("/village/:code") view=pages::public::village::VillagePage ssr=SsrMode::Async />
                        <Route path=path!("/policies") view=pages::public::policies::PoliciesPage ssr=SsrMode::Async />
                        <Route path=path!("/policies/:id") view=pages::public::policies::PolicyPage ssr=SsrMode::Async />
                        <Route path=path!("/township/:code") view=pages::public::township::TownshipPage ssr=SsrMode::Async />
                        <Route path=path!("/updates") view=pages::public::updates::UpdatesPage ssr=SsrMode::Async />
                        <Route path=path!("/updates/:id") view=pages::public::updates::UpdatePage ssr=SsrMode::Async />
                        <Route path=path!("/notices") view=pages::public::notices::NoticesPage ssr=SsrMode::Async />
                        <Route path=path!("/notices/:id") view=pages::public::notices::NoticePage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=pages::staff::login::LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/staff") view=pages::staff::desk::StaffPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/import") view=pages::staff::import::ImportPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/notices") view=pages::staff::notices::StaffNoticesPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/updates") view=pages::staff::updates::StaffUpdatesPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/monitoring") view=pages::staff::monitoring::MonitoringDeskPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/case/:id") view=pages::staff::monitoring::CasePage ssr=SsrMode::Async />
                        <Route path=path!("/staff/household/new") view=pages::staff::household::NewHouseholdPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/household/:id") view=pages::staff::household::StaffHouseholdPage ssr=SsrMode::Async />
                    </Routes>
                </main>
                <Footer />
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn DocumentTitle() -> impl IntoView {
    let i18n = use_i18n();
    view! { <PageTitle text=move || t_string!(i18n, app_name).to_string() /> }
}
