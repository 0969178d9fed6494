//! The spreadsheet endpoints: blank templates, public and staff exports, and the upload that
//! answers with the dry run. (Confirming and following an import are server functions on the
//! import page.)
use super::{export, import, jobs};
use crate::{
    error::AppError,
    model::{staff::StaffInfo, transfer::ExportFilter},
    server::{auth, repo::records::Scope, state::AppState},
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;

/// Largest upload accepted (a 500,000-row register is ~60 MB as CSV).
pub const MAX_UPLOAD: usize = 96 * 1024 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/import/template.csv", get(|| template(Format::Csv)))
        .route("/import/template.xlsx", get(|| template(Format::Xlsx)))
        .route(
            "/export/households.csv",
            get(|s: State<AppState>, q: Query<ExportFilter>| public_export(s, q, Format::Csv)),
        )
        .route(
            "/export/households.xlsx",
            get(|s: State<AppState>, q: Query<ExportFilter>| public_export(s, q, Format::Xlsx)),
        )
        .route(
            "/staff/export/households.csv",
            get(|s: State<AppState>, h: HeaderMap, q: Query<ExportFilter>| {
                staff_export(s, h, q, Format::Csv)
            }),
        )
        .route(
            "/staff/export/households.xlsx",
            get(|s: State<AppState>, h: HeaderMap, q: Query<ExportFilter>| {
                staff_export(s, h, q, Format::Xlsx)
            }),
        )
        .route(
            "/api/staff/import",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
}

/// An error as the server functions answer it: the status and the JSON body.
fn refuse(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(err)).into_response()
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

/// The household list anyone may download: the public pages' facts only.
async fn public_export(
    State(state): State<AppState>,
    Query(filter): Query<ExportFilter>,
    format: Format,
) -> Response {
    let result = async {
        let ids = match filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
            Some(q) => Some(export::search_ids(&state.db, q).await?),
            None => None,
        };
        let exported = export::households(&state.db, &Scope::All, &filter, ids.as_deref()).await?;
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
        Err(e) => refuse(e),
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
    Query(filter): Query<ExportFilter>,
    format: Format,
) -> Response {
    let result = async {
        let staff = staff_of(&state, &headers).await?;
        let exported = export::households(&state.db, &auth::scope(&staff), &filter, None).await?;
        let detail = serde_json::json!({
            "filter": filter,
            "households": exported.households.len(),
            "format": if format == Format::Csv { "csv" } else { "xlsx" },
        });
        crate::server::repo::household::audit(
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

#[derive(Deserialize)]
struct UploadQuery {
    #[serde(default)]
    name: String,
}

/// Receives a file (the request body is the file itself) and answers with its dry run. The file
/// is kept for its confirmation under the report's token; nothing is written to the register.
async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<UploadQuery>,
    body: Bytes,
) -> Response {
    let result = async {
        let staff = staff_of(&state, &headers).await?;
        auth::require_editor(&staff)?;
        let scope = auth::scope(&staff);
        let name: String = q
            .name
            .chars()
            .filter(|c| !c.is_control())
            .take(120)
            .collect();
        let mut report = import::dry_run(&state.db, &scope, &name, &body).await?;
        let token = jobs::keep(staff.id, &name, body.to_vec(), !report.errors.is_empty());
        report.token = Some(token);
        Ok::<_, AppError>(report)
    }
    .await;
    match result {
        Ok(report) => Json(report).into_response(),
        Err(e) => refuse(e),
    }
}
