//! `/login`: a staff member logs in, and the desk opens.
use crate::{
    api::session::Login,
    components::{ErrorMessage, PageTitle},
    i18n::*,
};
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(staff)) = action.value().get() {
            crate::components::Viewer::set(Some(staff.display_name));
            navigate("/staff", Default::default());
        }
    });
    view! {
        <PageTitle text=move || t_string!(i18n, login.title).to_string() />
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
