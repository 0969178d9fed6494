//! `/login` and the staff desk `/staff`: log in, see who you are, log out.
use crate::{
    components::ErrorMessage,
    error::AppError,
    i18n::*,
    model::{codes::Label, staff::StaffInfo},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
mod session {
    use crate::{error::AppError, server::auth};
    use axum::http::{HeaderValue, header, request::Parts};
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    /// The session token the browser sent, if any.
    pub fn token() -> Option<String> {
        let parts = use_context::<Parts>()?;
        parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(auth::token_from_cookies)
    }

    /// The client's address, for throttling (the socket's peer; "unknown" when not served over TCP).
    pub fn address() -> String {
        use_context::<Parts>()
            .and_then(|p| {
                p.extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0.ip().to_string())
            })
            .unwrap_or_else(|| "unknown".into())
    }

    pub fn set_cookie(value: &str) -> Result<(), AppError> {
        let opts = use_context::<ResponseOptions>().ok_or(AppError::Internal)?;
        let value = HeaderValue::from_str(value).map_err(|_| AppError::Internal)?;
        opts.append_header(header::SET_COOKIE, value);
        Ok(())
    }
}

/// Logs in; on success the response carries the session cookie.
#[server(endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<StaffInfo, AppError> {
    use crate::server::{auth, respond, state::db};
    respond(async move {
        let (staff, token) = auth::login(&db()?, &username, &password, &session::address()).await?;
        session::set_cookie(&auth::session_cookie(&token))?;
        Ok(staff)
    })
    .await
}

/// Ends the current session (if any) and removes the cookie.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{auth, respond, state::db};
    respond(async move {
        if let Some(token) = session::token() {
            auth::logout(&db()?, &token).await?;
        }
        session::set_cookie(&auth::clear_cookie())
    })
    .await
}

/// Who is logged in, or nothing.
#[server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<StaffInfo>, AppError> {
    use crate::server::{auth, respond, state::db};
    respond(async move {
        match session::token() {
            Some(token) => auth::session(&db()?, &token).await,
            None => Ok(None),
        }
    })
    .await
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            navigate("/staff", Default::default());
        }
    });
    view! {
        <Title text=move || t_string!(i18n, login.title).to_string() />
        <h1 class="page-title">{t!(i18n, login.title)}</h1>
        <ActionForm action attr:class="login">
            <label>
                {t!(i18n, login.username)}
                <input name="username" autocomplete="username" required maxlength="40" />
            </label>
            <label>
                {t!(i18n, login.password)}
                <input name="password" type="password" autocomplete="current-password" required />
            </label>
            <button type="submit" class="primary">{t!(i18n, login.submit)}</button>
            {move || {
                action.value().get().and_then(Result::err).map(|error| view! { <ErrorMessage error /> })
            }}
        </ActionForm>
    }
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| whoami());
    let logout = ServerAction::<Logout>::new();
    view! {
        <Title text=move || t_string!(i18n, login.staff_home).to_string() />
        <h1 class="page-title">{t!(i18n, login.staff_home)}</h1>
        <Suspense fallback=|| ()>
            {move || {
                me.get()
                    .map(|r| match r {
                        Ok(Some(staff)) if logout.value().get().is_none() => {
                            let name = staff.display_name.clone();
                            let role = staff.role;
                            view! {
                                <p class="signed-in">
                                    {t!(i18n, login.signed_in_as, name = move || name.clone(), role = move || role.label(i18n.get_locale()))}
                                </p>
                                <ActionForm action=logout>
                                    <button type="submit">{t!(i18n, login.logout)}</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        Ok(_) => view! {
                            <p>{t!(i18n, login.not_signed_in)} " " <a href="/login">{t!(i18n, login.title)}</a></p>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}
