//! The spreadsheet endpoints: blank templates, public and staff exports, and the upload that
//! answers with the dry run. (Confirming and following an import are server functions on the
//! import page.)
use super::{export, import, jobs};
use crate::{
    error::AppError,
    model::{monitoring::case::DeskFilter, staff::StaffInfo, transfer::ExportFilter},
    server::{auth, repo::records::Scope, state::AppState},
};
use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{MethodRouter, get, post},
};
use serde::Deserialize;

/// Largest upload accepted: Wugang's whole register (96,222 persons) exports as 31 MB of CSV or
/// 16.5 MB of XLSX; a larger county imports by township or with `fupin import`.
pub const MAX_UPLOAD: usize = 48 * 1024 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/import/template.csv", get(|| template(Format::Csv)))
        .route("/import/template.xlsx", get(|| template(Format::Xlsx)))
        .route("/export/households.csv", public_export_route(Format::Csv))
        .route("/export/households.xlsx", public_export_route(Format::Xlsx))
        .route(
            "/staff/export/households.csv",
            staff_export_route(Format::Csv),
        )
        .route(
            "/staff/export/households.xlsx",
            staff_export_route(Format::Xlsx),
        )
        .route(
            "/staff/export/cases.csv",
            get(
                move |s: State<AppState>, h: HeaderMap, q: Query<Vec<(String, String)>>| {
                    case_export(s, h, q.0, Format::Csv)
                },
            ),
        )
        .route(
            "/staff/export/cases.xlsx",
            get(
                move |s: State<AppState>, h: HeaderMap, q: Query<Vec<(String, String)>>| {
                    case_export(s, h, q.0, Format::Xlsx)
                },
            ),
        )
        .route(
            "/api/staff/import",
            post(upload).layer(DefaultBodyLimit::disable()),
        )
}

/// The public list in `format`, filtered by the query string.
fn public_export_route(format: Format) -> MethodRouter<AppState> {
    get(
        move |s: State<AppState>, h: HeaderMap, q: Query<ExportFilter>| {
            public_export(s, h, q, format)
        },
    )
}

/// The staff's register rows in `format`: filtered by the query string, or by a posted form (a
/// selection of households).
fn staff_export_route(format: Format) -> MethodRouter<AppState> {
    get(
        move |s: State<AppState>, h: HeaderMap, q: Query<ExportFilter>| {
            staff_export(s, h, q.0, format)
        },
    )
    .post(
        move |s: State<AppState>, h: HeaderMap, f: axum::Form<ExportFilter>| {
            staff_export(s, h, f.0, format)
        },
    )
}

/// An error as the server functions answer it: the status and the JSON body.
fn refuse(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let retry = err.retry_after();
    let mut res = (status, Json(err)).into_response();
    if let Some(secs) = retry
        && let Ok(v) = header::HeaderValue::from_str(&secs.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// A refusal for someone who followed a download link: the sentence in their language (the
/// language cookie, else `Accept-Language`), as plain text, with the error's status.
fn refuse_in_words(headers: &HeaderMap, err: AppError) -> Response {
    use crate::i18n::*;
    let cookie = crate::server::drafts::cookie_in(headers, crate::server::page::LOCALE_COOKIE);
    let english = match cookie {
        Some(l) => l == "en",
        None => headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|l| l.trim_start().starts_with("en")),
    };
    let locale = if english { Locale::en } else { Locale::zh };
    let text = match &err {
        AppError::Invalid { reason } => crate::components::import_message_in(locale, reason),
        AppError::Busy { retry_after } => {
            let seconds = *retry_after;
            td_string!(locale, error.busy, seconds).to_string()
        }
        AppError::Unauthorized => td_string!(locale, error.unauthorized).to_string(),
        AppError::Forbidden => td_string!(locale, error.forbidden).to_string(),
        _ => td_string!(locale, error.internal).to_string(),
    };
    let mut res = refuse(err);
    *res.body_mut() = axum::body::Body::from(text + "\n");
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

fn download(bytes: Vec<u8>, name: &str, format: Format) -> Response {
    let (ext, mime) = match format {
        Format::Csv => ("csv", "text/csv; charset=utf-8"),
        Format::Xlsx => (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

fn encode(sheet: export::Sheet, format: Format, template: bool) -> Result<Vec<u8>, AppError> {
    match format {
        Format::Csv => Ok(export::to_csv(&sheet)),
        Format::Xlsx => export::to_xlsx(&sheet, template).map_err(|e| {
            tracing::error!(error = %e, "cannot write the workbook");
            AppError::Internal
        }),
    }
}

async fn template(format: Format) -> Response {
    let sheet = export::Sheet {
        name: "建档立卡",
        header: crate::model::transfer::Col::ALL
            .iter()
            .map(|c| c.zh().to_string())
            .collect(),
        rows: Vec::new(),
    };
    match encode(sheet, format, true) {
        Ok(bytes) => download(bytes, "fupin-import-template", format),
        Err(e) => refuse(e),
    }
}

/// Households one public export may hold: a village (the largest has ~3,300 at a million
/// households) or a search's results up to this many.
pub const MAX_PUBLIC_EXPORT: usize = 5_000;

type Gate = std::sync::LazyLock<tokio::sync::Semaphore>;

/// Public exports running at once (each reads thousands of rows and builds a file).
static PUBLIC_EXPORTS: Gate = Gate::new(|| tokio::sync::Semaphore::new(2));
/// Staff exports running at once (kept apart, so that anonymous downloads never starve staff).
static STAFF_EXPORTS: Gate = Gate::new(|| tokio::sync::Semaphore::new(2));
/// Uploads read and checked at once (each holds its file and table in memory).
static DRY_RUNS: Gate = Gate::new(|| tokio::sync::Semaphore::new(2));

/// A place behind `gate`: more requests wait up to 5 s, then get 503 with `Retry-After`.
async fn permit(gate: &'static Gate) -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    match tokio::time::timeout(std::time::Duration::from_secs(5), gate.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(AppError::Busy { retry_after: 5 }),
    }
}

/// The household list anyone may download: the public pages' facts only, of one village or of a
/// search's results (never the whole register: `export_filter_required`).
async fn public_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<ExportFilter>,
    format: Format,
) -> Response {
    let filter = ExportFilter {
        register_only: true,
        ..filter
    };
    let result = async {
        let q = filter.q.as_deref().filter(|q| !q.trim().is_empty());
        let village = filter.village.as_deref().map(str::trim).unwrap_or("");
        let village_ok = crate::model::place::PlaceCode::parse(village).is_some();
        if q.is_none() && !village_ok {
            return Err(AppError::invalid("export_filter_required"));
        }
        let _permit = permit(&PUBLIC_EXPORTS).await?;
        let ids = match q {
            Some(q) => Some(export::search_ids(&state.db, q, MAX_PUBLIC_EXPORT).await?),
            None => None,
        };
        let exported =
            export::households(&state.db, &Scope::All, &filter, ids.as_deref(), false).await?;
        if exported.households.len() > MAX_PUBLIC_EXPORT {
            return Err(AppError::invalid("export_too_many"));
        }
        let bytes = tokio::task::spawn_blocking(move || {
            encode(export::public_sheet(&exported), format, false)
        })
        .await
        .map_err(|_| AppError::Internal)??;
        Ok::<_, AppError>(bytes)
    }
    .await;
    match result {
        Ok(bytes) => download(bytes, "fupin-households", format),
        Err(e) => refuse_in_words(&headers, e),
    }
}

async fn staff_of(state: &AppState, headers: &HeaderMap) -> Result<StaffInfo, AppError> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(auth::token_from_cookies)
        .ok_or(AppError::Unauthorized)?;
    auth::session(&state.db, &token)
        .await?
        .ok_or(AppError::Unauthorized)
}

/// The register rows of the households in the staff member's scope that match the filter, with
/// full details (the file re-imports as it is); every export leaves an audit row.
async fn staff_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    filter: ExportFilter,
    format: Format,
) -> Response {
    let result = async {
        let staff = staff_of(&state, &headers).await?;
        // Full IDs, phones and health: editors only. Helper cadres read their households one
        // at a time, with the audited reveal.
        auth::require_editor(&staff)?;
        let _permit = permit(&STAFF_EXPORTS).await?;
        let exported =
            export::households(&state.db, &auth::scope(&staff), &filter, None, true).await?;
        let detail = serde_json::json!({
            "filter": filter,
            "households": exported.households.len(),
            "format": if format == Format::Csv { "csv" } else { "xlsx" },
        });
        crate::server::repo::audit::trace(
            &state.db,
            &staff.username,
            "export",
            "households",
            "",
            Some(detail.to_string()),
        )
        .await?;
        let bytes = tokio::task::spawn_blocking(move || {
            encode(export::register_sheet(&exported), format, false)
        })
        .await
        .map_err(|_| AppError::Internal)??;
        Ok::<_, AppError>(bytes)
    }
    .await;
    match result {
        Ok(bytes) => download(bytes, "fupin-register", format),
        Err(e) => refuse(e),
    }
}

/// The monitoring desk's case list (the filters of the desk, every case they match, not only the
/// first page) in the staff member's scope; every export leaves an audit row. Helper cadres get
/// the cases of their households, as on their desk.
async fn case_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    pairs: Vec<(String, String)>,
    format: Format,
) -> Response {
    let result = async {
        let staff = staff_of(&state, &headers).await?;
        let filter = DeskFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|_| AppError::invalid("export_filter_invalid"))?;
        let _permit = permit(&STAFF_EXPORTS).await?;
        let today = crate::server::clock::today();
        let rows = crate::server::repo::monitoring::desk_export(
            &state.db,
            &auth::scope(&staff),
            &filter,
            today,
        )
        .await?;
        let detail = serde_json::json!({
            "filter": filter,
            "cases": rows.len(),
            "format": if format == Format::Csv { "csv" } else { "xlsx" },
        });
        crate::server::repo::audit::trace(
            &state.db,
            &staff.username,
            "export",
            "monitoring_case",
            "",
            Some(detail.to_string()),
        )
        .await?;
        let bytes =
            tokio::task::spawn_blocking(move || encode(export::case_sheet(&rows), format, false))
                .await
                .map_err(|_| AppError::Internal)??;
        Ok::<_, AppError>(bytes)
    }
    .await;
    match result {
        Ok(bytes) => download(bytes, "fupin-monitoring", format),
        Err(e) => refuse_in_words(&headers, e),
    }
}

#[derive(Deserialize)]
struct UploadQuery {
    #[serde(default)]
    name: String,
}

/// Receives a file (the request body is the file itself) and answers with its dry run. The
/// session and the role are checked before a byte of the body is read, and the body is read up to
/// [`MAX_UPLOAD`] (413 past it). A clean file is kept for its confirmation under the report's
/// token; nothing is written to the register.
async fn upload(
    State(state): State<AppState>,
    Query(q): Query<UploadQuery>,
    req: axum::extract::Request,
) -> Response {
    let result = async {
        let staff = staff_of(&state, req.headers()).await?;
        auth::require_editor(&staff)?;
        if crate::server::request::longer_than(req.headers(), MAX_UPLOAD) {
            return Err(AppError::TooLarge);
        }
        // Taken before the body is read: a waiting upload buffers nothing.
        let _permit = permit(&DRY_RUNS).await?;
        let body = axum::body::to_bytes(req.into_body(), MAX_UPLOAD)
            .await
            .map_err(|_| AppError::TooLarge)?;
        let scope = auth::scope(&staff);
        let name: String = q
            .name
            .chars()
            .filter(|c| !c.is_control())
            .take(120)
            .collect();
        let mut report = import::dry_run(&state.db, &scope, &name, body.clone()).await?;
        if report.errors.is_empty() {
            report.token = Some(jobs::keep(staff.id, &name, body));
        }
        Ok::<_, AppError>(report)
    }
    .await;
    match result {
        Ok(report) => Json(report).into_response(),
        Err(e) => refuse(e),
    }
}
