//! Pieces of every record page: reading its route parameter, showing the record or a 404 with
//! the right status, and money and shares as people read them.
use super::loaded::Loaded;
use crate::{components::ErrorMessage, error::AppError};
use leptos::prelude::*;

/// A list, or the sentence that says there is nothing to list (`<p class="empty">`).
pub fn list_or<V: IntoView + 'static>(
    empty: bool,
    nothing: impl IntoView + 'static,
    list: impl FnOnce() -> V,
) -> AnyView {
    if empty {
        view! { <p class="empty">{nothing}</p> }.into_any()
    } else {
        list().into_any()
    }
}

/// Parses a numeric path segment; anything else is "not found", not a server error.
pub fn id_param(raw: Option<String>) -> Result<i64, AppError> {
    raw.and_then(|s| s.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}

/// A record page's body: the record once loaded, or its error (answering 404 when not found).
pub fn record_view<T>(
    data: Resource<Result<T, AppError>>,
    show: impl Fn(T) -> AnyView + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || {
                data.loaded()
                    .map(|r| match r {
                        Ok(record) => show(record),
                        Err(error) => view! { <NotFoundStatus error /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// Shows an error and, when it is "not found", answers the page with 404.
#[component]
pub fn NotFoundStatus(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        let status = axum::http::StatusCode::from_u16(error.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        opts.set_status(status);
    }
    view! { <ErrorMessage error /> }
}

/// An amount in yuan with thousands separators (`12,500 元` / `¥12,500`).
pub fn yuan(amount: i64) -> String {
    format!("¥{}", crate::model::grouped(amount))
}

/// Basis points as a percentage with two decimals (`137` → `1.37%`).
pub fn percent_bp(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn yuan_groups_thousands() {
        assert_eq!(super::yuan(0), "¥0");
        assert_eq!(super::yuan(999), "¥999");
        assert_eq!(super::yuan(12500), "¥12,500");
        assert_eq!(super::yuan(-1234567), "¥-1,234,567");
    }
}
