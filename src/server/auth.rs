//! Staff authentication: Argon2id password hashes (password-auth), sessions kept in the database
//! behind a random cookie token (the table stores only its SHA-256), and throttling of failed
//! logins per account and per address (see [`login`]). Sessions live in the database, so they
//! survive a restart and every server process sees the same ones; each lookup joins the account,
//! and disabling it or changing its password deletes its sessions (migration 0009), so they end at
//! once and never come back.
use crate::{
    error::AppError,
    model::{
        codes::Role,
        staff::{StaffInfo, normalize_username},
    },
    server::db::{Db, sql},
};
use axum::http::HeaderMap;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::{
    net::{IpAddr, SocketAddr},
    sync::{LazyLock, OnceLock},
};

/// Name of the session cookie.
pub const COOKIE: &str = "fupin_session";
/// A session ends this long after login.
pub const SESSION_SECS: i64 = 8 * 3600;
/// Failed logins allowed within [`WINDOW_SECS`] for one account from one address.
pub const PAIR_LIMIT: i64 = 5;
/// Failed logins allowed within [`WINDOW_SECS`] for one account from all addresses together:
/// higher than [`PAIR_LIMIT`], so that five wrong guesses from one place lock that place out of
/// the account, not the account's owner working elsewhere; still few enough (80 an hour) to make
/// guessing a password online hopeless.
pub const ACCOUNT_LIMIT: i64 = 20;
/// Failed logins allowed from one address within [`WINDOW_SECS`], whatever the names. Past it,
/// logins from the address are refused only for names that are no active account (see
/// [`login`]), so the staff behind a shared address (an office NAT, a proxy) are never locked out
/// by it and the limit can stay low.
pub const ADDRESS_LIMIT: i64 = 50;
/// The window failures are counted in.
pub const WINDOW_SECS: i64 = 15 * 60;
/// How long a throttled account or address waits.
pub const LOCK_SECS: i64 = 15 * 60;
/// Longest username a login looks at, in characters (accounts have at most 40). A longer one is
/// refused before anything is stored or hashed, so a throttle key stays short.
pub const MAX_USERNAME_CHARS: usize = 64;
/// Longest address kept in a throttle key (an IPv6 address has at most 45 characters), so a key
/// never exceeds `3 + 64 + 1 + 64` characters.
const MAX_ADDRESS_CHARS: usize = 64;

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

/// Whether the session cookie carries `Secure` (sent over HTTPS only): `FUPIN_SECURE_COOKIE=1` or
/// `true`, read once. Off by default, because the demo is served over plain HTTP, and a browser
/// that reaches it by any other name than the local host drops a `Secure` cookie there; turn it
/// on behind TLS.
static SECURE_COOKIE: LazyLock<bool> =
    LazyLock::new(|| is_on(std::env::var("FUPIN_SECURE_COOKIE").ok().as_deref()));

/// Whether an on/off setting is on (`1` or `true`, in any case).
fn is_on(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        let v = v.trim();
        v == "1" || v.eq_ignore_ascii_case("true")
    })
}

fn secure_attribute(secure: bool) -> &'static str {
    if secure { "; Secure" } else { "" }
}

/// `Set-Cookie` value for a new session: HttpOnly (no script reads it), SameSite=Lax (no other
/// site's form sends it), whole site, ends with the session; `Secure` when configured.
pub fn session_cookie(token: &str) -> String {
    session_cookie_with(token, *SECURE_COOKIE)
}

fn session_cookie_with(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECS}{}",
        secure_attribute(secure)
    )
}

/// `Set-Cookie` value that removes the session cookie (with the same attributes, so the browser
/// replaces the cookie it holds).
pub fn clear_cookie() -> String {
    clear_cookie_with(*SECURE_COOKIE)
}

fn clear_cookie_with(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        secure_attribute(secure)
    )
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
    let id = sql(INSERT_USER)
        .bind(&username)
        .bind(display_name.trim())
        .bind(&hash)
        .bind(role)
        .bind(region_code)
        .bind(cadre_id)
        .scalar(db)
        .await
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
    role: Role,
    region_code: String,
    cadre_id: Option<i64>,
}

impl StaffRow {
    fn into_info(self) -> StaffInfo {
        StaffInfo {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            role: self.role,
            region_code: self.region_code,
            cadre_id: self.cadre_id,
        }
    }
}

// The locks of up to three throttle keys that are still running.
const LOCKS: &str = "\
SELECT key, locked_until FROM login_throttle WHERE key IN ($1, $2, $3) AND locked_until > $4";
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
// A row whose window and lock are both over counts for nothing (the next failure would start
// afresh), so it is deleted: the table holds only the current window's rows.
const PURGE_THROTTLE: &str =
    "DELETE FROM login_throttle WHERE window_start < $1 AND locked_until <= $2";
const CLEAR_THROTTLE: &str = "DELETE FROM login_throttle WHERE key = $1 OR key = $2";
const INSERT_SESSION: &str = "INSERT INTO staff_session (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
const PURGE_SESSIONS: &str = "DELETE FROM staff_session WHERE expires_at < $1";

#[derive(sqlx::FromRow)]
struct AccountRow {
    #[sqlx(flatten)]
    staff: StaffRow,
    password_hash: String,
    active: bool,
}

/// Whether `s` has more than `max` characters (reading at most `max + 1` of them).
fn longer_than(s: &str, max: usize) -> bool {
    s.chars().nth(max).is_some()
}

/// The first `max` characters of `s`.
fn truncated(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((end, _)) => &s[..end],
        None => s,
    }
}

/// The latest running lock on `key` among `locks` (0 when there is none).
fn lock_of(locks: &[(String, i64)], key: &str) -> i64 {
    locks
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, until)| *until)
        .max()
        .unwrap_or(0)
}

/// Checks a login from `address` (the client, as [`client_address`] finds it). Returns the
/// account and a new session token, or [`AppError::LoginFailed`] (the same for an unknown name,
/// an inactive account and a wrong password) or [`AppError::Throttled`] (which
/// [`crate::server::respond`] answers with 429 and `Retry-After`).
///
/// Every failure is counted under three keys, each within a [`WINDOW_SECS`] window:
///
/// - `ua:{address}|{name}`: [`PAIR_LIMIT`] failures lock the account for [`LOCK_SECS`] from that
///   address only, so an attacker who knows a colleague's name locks out himself, not her;
/// - `u:{name}`: [`ACCOUNT_LIMIT`] failures lock the account from everywhere (the bound on
///   guessing one account's password from however many addresses);
/// - `ip:{address}`: [`ADDRESS_LIMIT`] failures, whatever the names. This lock refuses only names
///   that are no active account, cheaply (no hash computed) and with the same
///   [`AppError::LoginFailed`] as any failure. Spraying random names from one address therefore
///   never locks out a real user behind the same address (a proxy, an office NAT): an active
///   account is bounded by its own keys alone. The price: once an address is past the limit, the
///   time an answer takes tells it whether a name is an active account.
///
/// A name longer than [`MAX_USERNAME_CHARS`] is refused before anything is stored or verified,
/// and rows whose window and lock are over are purged on every failure and every login.
pub async fn login(
    db: &Db,
    username: &str,
    password: &str,
    address: &str,
) -> Result<(StaffInfo, String), AppError> {
    // No account has such a name; storing it would only bloat the throttle table. Checked again
    // after normalising, since lowercasing can lengthen a string.
    if longer_than(username, MAX_USERNAME_CHARS) {
        return Err(AppError::LoginFailed);
    }
    let username = normalize_username(username);
    if longer_than(&username, MAX_USERNAME_CHARS) {
        return Err(AppError::LoginFailed);
    }
    let address = truncated(address, MAX_ADDRESS_CHARS);
    let account_key = format!("u:{username}");
    let pair_key = format!("ua:{address}|{username}");
    let address_key = format!("ip:{address}");
    let t = now();
    let locks: Vec<(String, i64)> = sql(LOCKS)
        .bind(&account_key)
        .bind(&pair_key)
        .bind(&address_key)
        .bind(t)
        .fetch_all(db)
        .await?;
    let account_locked = lock_of(&locks, &account_key).max(lock_of(&locks, &pair_key));
    if account_locked > t {
        return Err(AppError::Throttled {
            retry_after: account_locked - t,
        });
    }
    let row: Option<AccountRow> = sql(ACCOUNT).bind(&username).fetch_optional(db).await?;
    let active = row.as_ref().is_some_and(|r| r.active);
    if !active && lock_of(&locks, &address_key) > t {
        return Err(AppError::LoginFailed);
    }
    let hash = match &row {
        Some(r) if r.active => r.password_hash.clone(),
        _ => decoy_hash(),
    };
    let matches = verify_password(password.to_string(), hash).await;
    let Some(row) = row.filter(|r| r.active && matches) else {
        record_failure(
            db,
            [
                (account_key.as_str(), ACCOUNT_LIMIT),
                (pair_key.as_str(), PAIR_LIMIT),
                (address_key.as_str(), ADDRESS_LIMIT),
            ],
            t,
        )
        .await?;
        return Err(AppError::LoginFailed);
    };
    let staff = row.staff.into_info();
    let (token, hash) = new_token();
    let mut tx = db.begin_write().await?;
    sql(PURGE_THROTTLE)
        .bind(t - WINDOW_SECS)
        .bind(t)
        .execute(&mut tx)
        .await?;
    sql(CLEAR_THROTTLE)
        .bind(&account_key)
        .bind(&pair_key)
        .execute(&mut tx)
        .await?;
    sql(PURGE_SESSIONS).bind(t).execute(&mut tx).await?;
    sql(INSERT_SESSION)
        .bind(&hash)
        .bind(staff.id)
        .bind(t)
        .bind(t + SESSION_SECS)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok((staff, token))
}

/// Counts one failed login under each `(key, limit)` and purges the rows that count for nothing
/// any more, in one transaction (one commit per failure).
async fn record_failure(db: &Db, counters: [(&str, i64); 3], t: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sql(PURGE_THROTTLE)
        .bind(t - WINDOW_SECS)
        .bind(t)
        .execute(&mut tx)
        .await?;
    for (key, limit) in counters {
        sql(FAILED)
            .bind(key)
            .bind(t)
            .bind(t - WINDOW_SECS)
            .bind(limit)
            .bind(t + LOCK_SECS)
            .execute(&mut tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

const SET_ACTIVE: &str = "UPDATE staff_user SET active = $1 WHERE username = $2";

/// Enables or disables the account `username`; `Ok(false)` when there is no such account.
/// Disabling deletes the account's sessions (the trigger of migration 0009, which also covers a
/// change made with plain SQL), so enabling it again later does not revive a cookie from before.
pub async fn set_active(db: &Db, username: &str, active: bool) -> Result<bool, AppError> {
    let username = normalize_username(username);
    let changed = sql(SET_ACTIVE)
        .bind(active)
        .bind(&username)
        .execute(db)
        .await?;
    Ok(changed > 0)
}

const SESSION: &str = "\
SELECT u.id, u.username, u.display_name, u.role, u.region_code, u.cadre_id
FROM staff_session s JOIN staff_user u ON u.id = s.staff_id
WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active";

/// The account behind a session token, while the session lasts and the account is active.
pub async fn session(db: &Db, token: &str) -> Result<Option<StaffInfo>, AppError> {
    let row: Option<StaffRow> = sql(SESSION)
        .bind(token_hash(token))
        .bind(now())
        .fetch_optional(db)
        .await?;
    Ok(row.map(StaffRow::into_info))
}

/// Ends the session of `token` (the cookie alone is then worthless).
pub async fn logout(db: &Db, token: &str) -> Result<(), AppError> {
    sql("DELETE FROM staff_session WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(db)
        .await?;
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

/// The reverse proxies whose `X-Forwarded-For` is believed: `FUPIN_TRUSTED_PROXY`, a
/// comma-separated list of IP addresses, read once. Empty (the default) believes no header, so a
/// client cannot pick its own address for throttling by sending one.
static TRUSTED_PROXIES: LazyLock<Vec<IpAddr>> = LazyLock::new(|| {
    let proxies = parse_proxies(&std::env::var("FUPIN_TRUSTED_PROXY").unwrap_or_default());
    if !proxies.is_empty() {
        tracing::info!(?proxies, "X-Forwarded-For is believed from these proxies");
    }
    proxies
});

/// Whether `ip` is one of the configured reverse proxies (`FUPIN_TRUSTED_PROXY`).
pub fn is_trusted_proxy(ip: IpAddr) -> bool {
    TRUSTED_PROXIES.contains(&ip.to_canonical())
}

/// The addresses of a comma-separated list; an entry that is no IP address is logged and skipped.
fn parse_proxies(list: &str) -> Vec<IpAddr> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .filter_map(|entry| match entry.parse::<IpAddr>() {
            Ok(ip) => Some(ip.to_canonical()),
            Err(_) => {
                tracing::warn!(entry = %entry, "FUPIN_TRUSTED_PROXY: not an IP address, ignored");
                None
            }
        })
        .collect()
}

/// One `X-Forwarded-For` entry as an address: `203.0.113.7`, `2001:db8::7`, or either with a
/// port (`203.0.113.7:5555`, `[2001:db8::7]:5555`). IPv4-mapped IPv6 addresses become IPv4, so
/// one client has one spelling.
fn parse_hop(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

/// The TCP peer of a request (the `ConnectInfo` that [`crate::server::serve`] provides).
pub fn peer_address(extensions: &axum::http::Extensions) -> Option<SocketAddr> {
    extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
}

/// The client's address, for throttling logins and objections: the TCP `peer` itself, unless it
/// is a trusted proxy (`FUPIN_TRUSTED_PROXY`); then the right-most `X-Forwarded-For` address that
/// is not a trusted proxy. "unknown" when the request did not come over TCP.
///
/// Each proxy appends the address it saw, so only the right-hand part of the header, written by
/// trusted proxies, can be believed; whatever stands left of the client was sent by the client.
/// An entry that is no address ends the walk (nothing left of it can be trusted): the answer is
/// then the nearest trusted proxy, as it is when every entry is a trusted proxy or there is no
/// header.
pub fn client_address(headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    client_address_via(headers, peer, &TRUSTED_PROXIES)
}

fn client_address_via(headers: &HeaderMap, peer: Option<SocketAddr>, trusted: &[IpAddr]) -> String {
    let Some(peer) = peer else {
        return "unknown".into();
    };
    let mut hop = peer.ip().to_canonical();
    if !trusted.contains(&hop) {
        return hop.to_string();
    }
    // Several header lines form one list, in order: walk the last line first, right to left.
    for line in headers.get_all("x-forwarded-for").iter().rev() {
        let Ok(line) = line.to_str() else {
            return hop.to_string();
        };
        for entry in line.rsplit(',') {
            match parse_hop(entry) {
                Some(ip) if trusted.contains(&ip) => hop = ip,
                Some(ip) => return ip.to_string(),
                None => return hop.to_string(),
            }
        }
    }
    hop.to_string()
}

/// The client's address for the current request ([`client_address`]; "unknown" outside one).
pub fn request_address() -> String {
    match leptos::prelude::use_context::<axum::http::request::Parts>() {
        Some(parts) => client_address(&parts.headers, peer_address(&parts.extensions)),
        None => "unknown".into(),
    }
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
        Role::CityAdmin => sql(IN_SCOPE_CITY).bind(id).scalar(db).await?,
        Role::Township => {
            sql(IN_SCOPE_TOWNSHIP)
                .bind(id)
                .bind(&staff.region_code)
                .scalar(db)
                .await?
        }
        Role::Village => {
            sql(IN_SCOPE_VILLAGE)
                .bind(id)
                .bind(&staff.region_code)
                .scalar(db)
                .await?
        }
        Role::Cadre => {
            sql(IN_SCOPE_CADRE)
                .bind(id)
                .bind(staff.cadre_id.unwrap_or(-1))
                .scalar(db)
                .await?
        }
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

    #[test]
    fn cookies_are_secure_only_when_configured() {
        let plain = session_cookie_with("x", false);
        assert!(!plain.contains("Secure"), "{plain}");
        let secure = session_cookie_with("x", true);
        assert!(
            secure.ends_with("; Secure") && secure.contains("HttpOnly"),
            "{secure}"
        );
        assert!(!clear_cookie_with(false).contains("Secure"));
        let clear = clear_cookie_with(true);
        assert!(
            clear.contains("Max-Age=0") && clear.ends_with("; Secure"),
            "{clear}"
        );
        for on in ["1", "true", "TRUE", " True "] {
            assert!(is_on(Some(on)), "{on:?}");
        }
        for off in ["", "0", "false", "yes", "on"] {
            assert!(!is_on(Some(off)), "{off:?}");
        }
        assert!(!is_on(None));
    }

    #[test]
    fn long_names_are_measured_in_characters() {
        assert!(!longer_than(
            &"中".repeat(MAX_USERNAME_CHARS),
            MAX_USERNAME_CHARS
        ));
        assert!(longer_than(
            &"中".repeat(MAX_USERNAME_CHARS + 1),
            MAX_USERNAME_CHARS
        ));
        assert_eq!(truncated("ab中文", 3), "ab中");
        assert_eq!(truncated("ab", 3), "ab");
    }

    fn forwarded(lines: &[&[u8]]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(
                "x-forwarded-for",
                axum::http::HeaderValue::from_bytes(line).expect("header value"),
            );
        }
        headers
    }

    fn peer(addr: &str) -> Option<SocketAddr> {
        Some(addr.parse().expect("socket address"))
    }

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|a| a.parse().expect("ip")).collect()
    }

    #[test]
    fn a_forwarded_header_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        let spoofed = forwarded(&[b"6.6.6.6"]);
        assert_eq!(
            client_address_via(&spoofed, peer("198.51.100.9:5000"), &[]),
            "198.51.100.9"
        );
        assert_eq!(
            client_address_via(&spoofed, peer("198.51.100.9:5000"), &ips(&["10.0.0.1"])),
            "198.51.100.9"
        );
        assert_eq!(
            client_address_via(&spoofed, None, &ips(&["10.0.0.1"])),
            "unknown"
        );
        assert_eq!(client_address_via(&HeaderMap::new(), None, &[]), "unknown");
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_address_is_the_client() {
        let trusted = ips(&["10.0.0.1", "10.0.0.2"]);
        let via = |headers: &HeaderMap| client_address_via(headers, peer("10.0.0.1:443"), &trusted);
        assert_eq!(via(&forwarded(&[b"203.0.113.7"])), "203.0.113.7");
        // What the client wrote itself stands left of what the proxies appended.
        assert_eq!(
            via(&forwarded(&[b"6.6.6.6, 203.0.113.7, 10.0.0.2"])),
            "203.0.113.7"
        );
        assert_eq!(
            via(&forwarded(&[b"6.6.6.6", b"203.0.113.7,10.0.0.2"])),
            "203.0.113.7"
        );
        // No header, or only proxies: the request comes from the nearest proxy itself.
        assert_eq!(via(&HeaderMap::new()), "10.0.0.1");
        assert_eq!(via(&forwarded(&[b"10.0.0.2"])), "10.0.0.2");
        // Ports, IPv6 and IPv4-mapped spellings.
        assert_eq!(via(&forwarded(&[b"203.0.113.7:5555"])), "203.0.113.7");
        assert_eq!(via(&forwarded(&[b"[2001:db8::7]:5555"])), "2001:db8::7");
        assert_eq!(via(&forwarded(&[b" 2001:db8::7 "])), "2001:db8::7");
        assert_eq!(via(&forwarded(&[b"::ffff:203.0.113.7"])), "203.0.113.7");
        assert_eq!(
            client_address_via(
                &forwarded(&[b"203.0.113.7"]),
                peer("[::ffff:10.0.0.1]:443"),
                &trusted
            ),
            "203.0.113.7"
        );
    }

    #[test]
    fn garbage_in_the_forwarded_header_is_never_taken_for_the_client() {
        let trusted = ips(&["10.0.0.1"]);
        let via = |headers: &HeaderMap| client_address_via(headers, peer("10.0.0.1:443"), &trusted);
        // Left of the client: ignored.
        assert_eq!(via(&forwarded(&[b"nonsense, 203.0.113.7"])), "203.0.113.7");
        // Right of it: the walk stops at the nearest trusted proxy rather than believe the rest.
        assert_eq!(via(&forwarded(&[b"203.0.113.7, nonsense"])), "10.0.0.1");
        assert_eq!(via(&forwarded(&[b"203.0.113.7,"])), "10.0.0.1");
        assert_eq!(via(&forwarded(&[b"unknown"])), "10.0.0.1");
        assert_eq!(
            via(&forwarded(&[b"203.0.113.7", b"\xff1.2.3.4"])),
            "10.0.0.1"
        );
        assert_eq!(
            parse_proxies(" 10.0.0.1, ::1 ,bogus,, 10.0.0.300"),
            ips(&["10.0.0.1", "::1"])
        );
        assert!(parse_proxies("").is_empty());
    }
}
