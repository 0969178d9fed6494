//! The HTML shell and the root component with its routes.
use crate::components::PageTitle;
use crate::{
    components::{Footer, Header, SessionChanged},
    i18n::*,
    pages,
};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};
use leptos_router::{
    Lazy, LazyRoute, SsrMode,
    components::{Route, Router, Routes},
    lazy_route, path,
};

/// The document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::http::set_page_csp();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HashedStylesheet id="leptos" options=options.clone() />
                <HydrationScripts options />
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
    SessionChanged::provide();
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
                    <Routes fallback=pages::NotFoundPage>
                        <Route path=path!("") view={Lazy::<Home>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/search") view={Lazy::<Search>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view={Lazy::<Dashboard>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/household/:id") view={Lazy::<Household>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/village/:code") view={Lazy::<Village>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/policies") view={Lazy::<Policies>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/policies/:id") view={Lazy::<Policy>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/township/:code") view={Lazy::<Township>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/updates") view={Lazy::<Updates>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/updates/:id") view={Lazy::<Update>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/notices") view={Lazy::<Notices>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/notices/:id") view={Lazy::<Notice>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/login") view={Lazy::<Login>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff") view={Lazy::<StaffDesk>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/import") view={Lazy::<StaffImport>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/notices") view={Lazy::<StaffNotices>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/updates") view={Lazy::<StaffUpdates>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/household/new") view={Lazy::<StaffNewHousehold>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/household/:id") view={Lazy::<StaffHousehold>::new()} ssr=SsrMode::Async />
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

/// A route whose view is its own WASM chunk (cargo-leptos `--split`): the browser fetches the
/// chunk of the page it opens, never the code of pages it does not visit (the staff desk, the
/// import, the record forms stay out of a visitor's download). On the server it is the plain
/// page. A macro because `#[lazy_route]` names each chunk after a type of its own.
macro_rules! lazy_page {
    ($($route:ident => $page:path;)*) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_page! {
    Home => pages::HomePage;
    Search => pages::SearchPage;
    Dashboard => pages::dashboard::DashboardPage;
    Household => pages::HouseholdPage;
    Village => pages::VillagePage;
    Policies => pages::PoliciesPage;
    Policy => pages::PolicyPage;
    Township => pages::updates::TownshipPage;
    Updates => pages::updates::UpdatesPage;
    Update => pages::updates::UpdatePage;
    Notices => pages::notices::NoticesPage;
    Notice => pages::notices::NoticePage;
    Login => pages::LoginPage;
    StaffDesk => pages::StaffPage;
    StaffImport => pages::staff_import::ImportPage;
    StaffNotices => pages::staff_notices::StaffNoticesPage;
    StaffUpdates => pages::staff_updates::StaffUpdatesPage;
    StaffNewHousehold => pages::staff_household::NewHouseholdPage;
    StaffHousehold => pages::staff_household::StaffHouseholdPage;
}
