//! `POST /notices/{id}/objection`: anyone files an objection against a household on a running
//! notice. A plain HTML form posts here, so it works with JavaScript off: success and refusal both
//! answer `303 See Other` back to the notice, the refusal with its message code and the field in
//! the URL (the page shows the message beside the field, in the reader's language). What was typed
//! never goes into a URL (browser history, proxy logs): it waits ten minutes in memory under a
//! random key that only an HttpOnly cookie carries, and the notice page takes it once. An API
//! client sending `Accept: application/json` gets `201 {"id": …}` or `400`/`429` with
//! `{"error", "field", "reason"}` instead.
use super::{
    auth, challenge, clock,
    repo::objections::{self, Filed},
    state::AppState,
};
use crate::model::transparency::{CONTACT_MAX, OBJECTION_MAX};
use axum::{
    Json,
    extract::{FromRequest, Path, Request, State},
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

/// The cookie that names a refused objection's kept text.
pub const DRAFT_COOKIE: &str = "fupin_objection_draft";
const DRAFT_SECS: u64 = 600;
const MAX_DRAFTS: usize = 10_000;

/// What a refused objector had typed, kept for the notice page to show again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub entry: String,
    pub reason: String,
    pub contact: String,
}

static DRAFTS: std::sync::LazyLock<super::drafts::Drafts<Draft>> = std::sync::LazyLock::new(|| {
    super::drafts::Drafts::new(std::time::Duration::from_secs(DRAFT_SECS), MAX_DRAFTS)
});

/// The draft the current request's cookie names (it stays for its ten minutes: the page may be
/// rendered more than once, and a reload shows the same text).
pub fn take_draft() -> Option<Draft> {
    DRAFTS.peek(&super::drafts::request_cookie(DRAFT_COOKIE)?)
}

pub async fn file(
    State(state): State<AppState>,
    Path(notice): Path<i64>,
    req: Request,
) -> Response {
    // The same client address as login throttling (behind a trusted proxy, the forwarded one).
    let address = auth::client_address(req.headers(), auth::peer_address(req.extensions()));
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
        Ok(id) if json => {
            (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response()
        }
        Ok(id) => Redirect::to(&format!("/notices/{notice}?filed={id}#objections")).into_response(),
        Err((status, field, reason)) if json => (
            status,
            Json(serde_json::json!({ "error": "invalid", "field": field, "reason": reason })),
        )
            .into_response(),
        Err((_, field, reason)) => {
            let key = DRAFTS.keep(Draft {
                entry: form.entry.chars().take(20).collect(),
                reason: form.reason.chars().take(2 * OBJECTION_MAX).collect(),
                contact: form.contact.chars().take(2 * CONTACT_MAX).collect(),
            });
            let mut res = Redirect::to(&format!(
                "/notices/{notice}?error={reason}&field={field}#objection-form"
            ))
            .into_response();
            let cookie = DRAFTS.cookie(DRAFT_COOKIE, &key, "/notices");
            if let Ok(v) = header::HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
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
        let code = match e.code.as_str() {
            "required" => "required",
            "control_chars" => "control_chars",
            _ => "text_length",
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
    let filed = objections::file_objection(
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
