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
use std::sync::OnceLock;

mod cookie;
mod request;
mod scope;

pub use cookie::*;
pub use request::*;
pub use scope::*;

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
    purge_throttle(&mut tx, t).await?;
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

/// Deletes the throttle rows that count for nothing at `t`.
async fn purge_throttle(tx: &mut crate::server::db::Tx, t: i64) -> Result<(), sqlx::Error> {
    sql(PURGE_THROTTLE)
        .bind(t - WINDOW_SECS)
        .bind(t)
        .execute(tx)
        .await
        .map(drop)
}

/// Counts one failed login under each `(key, limit)` and purges the rows that count for nothing
/// any more, in one transaction (one commit per failure).
async fn record_failure(db: &Db, counters: [(&str, i64); 3], t: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    purge_throttle(&mut tx, t).await?;
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

#[cfg(test)]
mod tests;
