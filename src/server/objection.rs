//! `POST /notices/{id}/objection`: anyone files an objection against a household on a running
//! notice. A plain HTML form posts here, so it works with JavaScript off: success and refusal both
//! answer `303 See Other` back to the notice, the refusal with its message code, the field and
//! what was typed (the page shows the message beside the field, in the reader's language). An API
//! client sending `Accept: application/json` gets `201 {"id": …}` or `400`/`429` with
//! `{"error", "field", "reason"}` instead.
use super::{
    auth, challenge, clock,
    repo::transparency::{self, Filed},
    state::AppState,
};
use axum::{
    Json,
    extract::{ConnectInfo, FromRequest, Path, Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ObjectionForm {
    pub entry: String,
    pub reason: String,
    pub contact: String,
    pub token: String,
    pub answer: String,
}

/// Percent-encodes a query value (UTF-8 bytes; unreserved characters kept).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub async fn file(
    State(state): State<AppState>,
    Path(notice): Path<i64>,
    req: Request,
) -> Response {
    let address = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let json = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    let form = match axum::Form::<ObjectionForm>::from_request(req, &state).await {
        Ok(axum::Form(f)) => f,
        Err(_) => ObjectionForm::default(),
    };
    match check_and_file(&state, notice, &form, &address).await {
        Ok(id) if json => (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response(),
        Ok(id) => Redirect::to(&format!("/notices/{notice}?filed={id}#objections")).into_response(),
        Err((status, field, reason)) if json => (
            status,
            Json(serde_json::json!({ "error": "invalid", "field": field, "reason": reason })),
        )
            .into_response(),
        Err((_, field, reason)) => Redirect::to(&format!(
            "/notices/{notice}?error={reason}&field={field}&entry={}&reason={}&contact={}#objection-form",
            encode(&form.entry),
            encode(&form.reason),
            encode(&form.contact),
        ))
        .into_response(),
    }
}

type Refusal = (StatusCode, &'static str, &'static str);

async fn check_and_file(
    state: &AppState,
    notice: i64,
    f: &ObjectionForm,
    address: &str,
) -> Result<i64, Refusal> {
    let bad = |field, reason| (StatusCode::BAD_REQUEST, field, reason);
    let internal = |err: sqlx::Error| {
        tracing::error!(error = %err, "filing an objection");
        (StatusCode::INTERNAL_SERVER_ERROR, "form", "internal")
    };
    let Ok(entry) = f.entry.trim().parse::<i64>() else {
        return Err(bad("entry", "required"));
    };
    let errors = crate::model::transparency::objection(&f.reason, &f.contact);
    if let Some(e) = errors.first() {
        let field = if e.field == "reason" {
            "reason"
        } else {
            "contact"
        };
        let code = if e.code == "required" {
            "required"
        } else {
            "text_length"
        };
        return Err(bad(field, code));
    }
    let db = &state.db;
    let now = auth::now();
    let challenge = match challenge::verify(db, notice, &f.token, &f.answer, now)
        .await
        .map_err(internal)?
    {
        Ok(hash) => hash,
        Err(code) => return Err(bad("answer", code)),
    };
    let key = challenge::address_key(db, address)
        .await
        .map_err(internal)?;
    let contact = (!f.contact.trim().is_empty()).then_some(f.contact.as_str());
    let filed = transparency::file_objection(
        db,
        notice,
        entry,
        &f.reason,
        contact,
        &key,
        &challenge,
        clock::today(),
    )
    .await
    .map_err(internal)?;
    match filed {
        Filed::Ok(id) => Ok(id),
        Filed::Closed => Err(bad("form", "notice_closed")),
        Filed::UnknownEntry => Err(bad("entry", "entry_unknown")),
        Filed::Throttled => Err((StatusCode::TOO_MANY_REQUESTS, "form", "objection_throttled")),
        Filed::Replayed => Err(bad("answer", "challenge_used")),
    }
}
