//! The answer of a server function that failed: its HTTP status (and `Retry-After`) follow the
//! error, instead of the framework's blanket 500.
use crate::error::AppError;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Runs the body of a server function and, when it fails, gives the HTTP response the status that
/// matches the error (400, 403, 404, 409 …) instead of the framework's blanket 500.
pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(err) = &result
        && let Some(opts) = use_context::<ResponseOptions>()
    {
        let status = axum::http::StatusCode::from_u16(err.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        opts.set_status(status);
        if let Some(secs) = err.retry_after()
            && let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string())
        {
            opts.insert_header(axum::http::header::RETRY_AFTER, v);
        }
    }
    result
}
