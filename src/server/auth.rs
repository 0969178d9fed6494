//! Staff authentication: Argon2id password hashes (password-auth), sessions kept in the database
//! behind a random cookie token (the table stores only its SHA-256), and throttling of failed
//! logins per account and per address. Sessions live in the database, so they survive a restart
//! and every server process sees the same ones; each lookup joins the account, so disabling it
//! ends its sessions at once.
use crate::{
    error::AppError,
    model::{
        codes::Role,
        staff::{StaffInfo, normalize_username},
    },
    server::db::{BeginWrite, Db},
    with_pool,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// Name of the session cookie.
pub const COOKIE: &str = "fupin_session";
/// A session ends this long after login.
pub const SESSION_SECS: i64 = 8 * 3600;
/// Failed logins allowed per account, and per address, within [`WINDOW_SECS`].
pub const ACCOUNT_LIMIT: i64 = 5;
pub const ADDRESS_LIMIT: i64 = 50;
pub const WINDOW_SECS: i64 = 15 * 60;
/// How long a throttled account or address waits.
pub const LOCK_SECS: i64 = 15 * 60;

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Argon2id hash of `password`, computed off the async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|_| AppError::Internal)
}

/// Whether `password` matches `hash` (a malformed hash never matches, and is logged).
async fn verify_password(password: String, hash: String) -> bool {
    let result =
        tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash)).await;
    match result {
        Ok(Ok(())) => true,
        Ok(Err(password_auth::VerifyError::PasswordInvalid)) => false,
        Ok(Err(err)) => {
            tracing::error!(error = %err, "stored password hash cannot be read");
            false
        }
        Err(_) => false,
    }
}

/// A hash no password matches, so that an unknown username costs as much time as a known one.
fn decoy_hash() -> String {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY
        .get_or_init(|| password_auth::generate_hash(b"decoy: no account has this password"))
        .clone()
}

/// A new session token (43 URL-safe characters from 32 random bytes) and its stored hash.
pub fn new_token() -> (String, Vec<u8>) {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let token = URL_SAFE_NO_PAD.encode(raw);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The session token in a `Cookie:` header, if well-formed.
pub fn token_from_cookies(header: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// `Set-Cookie` value for a new session: HttpOnly (no script reads it), SameSite=Lax (no other
/// site's form sends it), whole site, ends with the session.
pub fn session_cookie(token: &str) -> String {
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECS}")
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

const INSERT_USER: &str = "\
INSERT INTO staff_user (username, display_name, password_hash, role, region_code, cadre_id)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

/// Creates an account; the password is hashed here. Fails on a taken username, an unknown region,
/// or a cadre role without a cadre.
pub async fn create_user(
    db: &Db,
    username: &str,
    display_name: &str,
    password: &str,
    role: Role,
    region_code: &str,
    cadre_id: Option<i64>,
) -> Result<i64, AppError> {
    if password.chars().count() < 10 {
        return Err(AppError::invalid("password_too_short"));
    }
    let username = normalize_username(username);
    let hash = hash_password(password.to_string()).await?;
    let id = with_pool!(db, |p| sqlx::query_scalar(INSERT_USER)
        .bind(&username)
        .bind(display_name.trim())
        .bind(&hash)
        .bind(role.as_str())
        .bind(region_code)
        .bind(cadre_id)
        .fetch_one(p)
        .await)
    .map_err(|err| match &err {
        sqlx::Error::Database(e) if e.is_unique_violation() => AppError::Conflict,
        sqlx::Error::Database(e) if e.is_foreign_key_violation() || e.is_check_violation() => {
            AppError::invalid("staff_user")
        }
        _ => AppError::from(err),
    })?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    region_code: String,
    cadre_id: Option<i64>,
}

impl StaffRow {
    fn into_info(self) -> Result<StaffInfo, AppError> {
        Ok(StaffInfo {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            role: Role::parse(&self.role).ok_or(AppError::Internal)?,
            region_code: self.region_code,
            cadre_id: self.cadre_id,
        })
    }
}

const LOCKED_UNTIL: &str =
    "SELECT COALESCE(MAX(locked_until), 0) FROM login_throttle WHERE key = $1 OR key = $2";
const ACCOUNT: &str = "\
SELECT id, username, display_name, role, region_code, cadre_id, password_hash, active
FROM staff_user WHERE username = $1";
// One statement on both backends: count a failure in the current window, lock at the limit.
const FAILED: &str = "\
INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 1, $2, 0)
ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + 1 END,
    window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END,
    locked_until = CASE WHEN (CASE WHEN login_throttle.window_start < $3 THEN 1
                                   ELSE login_throttle.failures + 1 END) >= $4
                        THEN $5 ELSE login_throttle.locked_until END";
const CLEAR_THROTTLE: &str = "DELETE FROM login_throttle WHERE key = $1";
const INSERT_SESSION: &str = "INSERT INTO staff_session (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
const PURGE_SESSIONS: &str = "DELETE FROM staff_session WHERE expires_at < $1";

type AccountRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
    bool,
);

/// Checks a login from `address`. Returns the account and a new session token, or
/// [`AppError::LoginFailed`] (the same for an unknown name and a wrong password) or
/// [`AppError::Throttled`] when the account or the address has failed too often.
pub async fn login(
    db: &Db,
    username: &str,
    password: &str,
    address: &str,
) -> Result<(StaffInfo, String), AppError> {
    let username = normalize_username(username);
    let account_key = format!("u:{username}");
    let address_key = format!("ip:{address}");
    let t = now();
    let locked: i64 = with_pool!(db, |p| sqlx::query_scalar(LOCKED_UNTIL)
        .bind(&account_key)
        .bind(&address_key)
        .fetch_one(p)
        .await)?;
    if locked > t {
        return Err(AppError::Throttled {
            retry_after: locked - t,
        });
    }
    let row: Option<AccountRow> = with_pool!(db, |p| sqlx::query_as(ACCOUNT)
        .bind(&username)
        .fetch_optional(p)
        .await)?;
    let hash = match &row {
        Some(r) if r.7 => r.6.clone(),
        _ => decoy_hash(),
    };
    let matches = verify_password(password.to_string(), hash).await;
    let Some(row) = row.filter(|r| r.7 && matches) else {
        for (key, limit) in [(&account_key, ACCOUNT_LIMIT), (&address_key, ADDRESS_LIMIT)] {
            with_pool!(db, |p| sqlx::query(FAILED)
                .bind(key)
                .bind(t)
                .bind(t - WINDOW_SECS)
                .bind(limit)
                .bind(t + LOCK_SECS)
                .execute(p)
                .await
                .map(|_| ()))?;
        }
        return Err(AppError::LoginFailed);
    };
    let (id, username, display_name, role, region_code, cadre_id, ..) = row;
    let staff = StaffRow {
        id,
        username,
        display_name,
        role,
        region_code,
        cadre_id,
    }
    .into_info()?;
    let (token, hash) = new_token();
    with_pool!(db, |p| {
        let mut tx = p.begin_write().await?;
        sqlx::query(CLEAR_THROTTLE)
            .bind(&account_key)
            .execute(&mut *tx)
            .await?;
        sqlx::query(PURGE_SESSIONS)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        sqlx::query(INSERT_SESSION)
            .bind(&hash)
            .bind(staff.id)
            .bind(t)
            .bind(t + SESSION_SECS)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    Ok((staff, token))
}

const SESSION: &str = "\
SELECT u.id, u.username, u.display_name, u.role, u.region_code, u.cadre_id
FROM staff_session s JOIN staff_user u ON u.id = s.staff_id
WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active";

/// The account behind a session token, while the session lasts and the account is active.
pub async fn session(db: &Db, token: &str) -> Result<Option<StaffInfo>, AppError> {
    let row: Option<StaffRow> = with_pool!(db, |p| sqlx::query_as(SESSION)
        .bind(token_hash(token))
        .bind(now())
        .fetch_optional(p)
        .await)?;
    row.map(StaffRow::into_info).transpose()
}

/// Ends the session of `token` (the cookie alone is then worthless).
pub async fn logout(db: &Db, token: &str) -> Result<(), AppError> {
    with_pool!(db, |p| sqlx::query(
        "DELETE FROM staff_session WHERE token_hash = $1"
    )
    .bind(token_hash(token))
    .execute(p)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// The session token the current request carries, if any.
pub fn request_token() -> Option<String> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(token_from_cookies)
}

/// The client's address, for throttling (the socket's peer; "unknown" when not served over TCP).
pub fn request_address() -> String {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Adds a `Set-Cookie` header to the current response.
pub fn set_cookie(value: &str) -> Result<(), AppError> {
    let opts =
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>().ok_or(AppError::Internal)?;
    let value = axum::http::HeaderValue::from_str(value).map_err(|_| AppError::Internal)?;
    opts.append_header(axum::http::header::SET_COOKIE, value);
    Ok(())
}

/// The logged-in staff member making the current request, or 401.
pub async fn require_staff() -> Result<StaffInfo, AppError> {
    let token = request_token().ok_or(AppError::Unauthorized)?;
    let db = crate::server::state::db()?;
    session(&db, &token).await?.ok_or(AppError::Unauthorized)
}

const IN_SCOPE_CITY: &str = "SELECT COUNT(*) FROM household WHERE id = $1";
const IN_SCOPE_TOWNSHIP: &str = "SELECT COUNT(*) FROM household h \
     JOIN region v ON v.code = h.village_code WHERE h.id = $1 AND v.parent_code = $2";
const IN_SCOPE_VILLAGE: &str = "SELECT COUNT(*) FROM household WHERE id = $1 AND village_code = $2";
const IN_SCOPE_CADRE: &str = "SELECT COUNT(*) FROM pairing \
     WHERE household_id = $1 AND cadre_id = $2 AND end_on IS NULL";

/// Whether `staff` may see household `id`: the city sees all, a township its villages, a village
/// itself, a helper cadre the households currently paired with them. Out of scope is reported as
/// "not found", so a crafted request learns nothing about households it may not see.
pub async fn household_in_scope(db: &Db, staff: &StaffInfo, id: i64) -> Result<(), AppError> {
    let n: i64 = match staff.role {
        Role::CityAdmin => with_pool!(db, |p| sqlx::query_scalar(IN_SCOPE_CITY)
            .bind(id)
            .fetch_one(p)
            .await)?,
        Role::Township => with_pool!(db, |p| sqlx::query_scalar(IN_SCOPE_TOWNSHIP)
            .bind(id)
            .bind(&staff.region_code)
            .fetch_one(p)
            .await)?,
        Role::Village => with_pool!(db, |p| sqlx::query_scalar(IN_SCOPE_VILLAGE)
            .bind(id)
            .bind(&staff.region_code)
            .fetch_one(p)
            .await)?,
        Role::Cadre => with_pool!(db, |p| sqlx::query_scalar(IN_SCOPE_CADRE)
            .bind(id)
            .bind(staff.cadre_id.unwrap_or(-1))
            .fetch_one(p)
            .await)?,
    };
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The households `staff` may look at, as the finder filters them.
pub fn scope(staff: &StaffInfo) -> crate::server::repo::records::Scope {
    use crate::server::repo::records::Scope;
    let code = &staff.region_code;
    match staff.role {
        Role::CityAdmin => Scope::All,
        Role::Township => Scope::Villages {
            from: format!("{}000", &code[..9.min(code.len())]),
            to: format!("{}999", &code[..9.min(code.len())]),
        },
        Role::Village => Scope::Villages {
            from: code.clone(),
            to: code.clone(),
        },
        Role::Cadre => Scope::Cadre(staff.cadre_id.unwrap_or(-1)),
    }
}

/// Refuses helper cadres: they read their households and add visits and measures, nothing else.
pub fn require_editor(staff: &StaffInfo) -> Result<(), AppError> {
    if staff.role == Role::Cadre {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Whether `staff` may add households to village `code` (403 otherwise).
pub fn village_in_scope(staff: &StaffInfo, code: &str) -> Result<(), AppError> {
    use crate::server::repo::records::Scope;
    require_editor(staff)?;
    let inside = match scope(staff) {
        Scope::All => true,
        Scope::Villages { from, to } => code >= from.as_str() && code <= to.as_str(),
        Scope::Cadre(_) => false,
    };
    if !inside || code.len() != 12 || code.ends_with("000") {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(ha, token_hash(&a));
        assert_eq!(ha.len(), 32);
    }

    #[test]
    fn the_session_cookie_is_found_and_checked() {
        let (t, _) = new_token();
        let header = format!("i18n_pref_locale=zh; {COOKIE}={t}; other=1");
        assert_eq!(token_from_cookies(&header), Some(t));
        assert_eq!(token_from_cookies(&format!("{COOKIE}=short")), None);
        assert_eq!(token_from_cookies("i18n_pref_locale=zh"), None);
        let cookie = session_cookie("x");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    }
}
