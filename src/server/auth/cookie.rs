//! Session tokens and the cookie that carries them: a random token for the browser, only its
//! SHA-256 in the database; `Secure` unless turned off for plain-HTTP development.
use super::{COOKIE, SESSION_SECS};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

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
pub(super) static SECURE_COOKIE: LazyLock<bool> =
    LazyLock::new(|| is_on(std::env::var("FUPIN_SECURE_COOKIE").ok().as_deref()));

/// Whether an on/off setting is on (`1` or `true`, in any case).
pub(super) fn is_on(value: Option<&str>) -> bool {
    value.is_some_and(|v| {
        let v = v.trim();
        v == "1" || v.eq_ignore_ascii_case("true")
    })
}

pub(super) fn secure_attribute(secure: bool) -> &'static str {
    if secure { "; Secure" } else { "" }
}

/// `Set-Cookie` value for a new session: HttpOnly (no script reads it), SameSite=Lax (no other
/// site's form sends it), whole site, ends with the session; `Secure` when configured.
pub fn session_cookie(token: &str) -> String {
    session_cookie_with(token, *SECURE_COOKIE)
}

pub(super) fn session_cookie_with(token: &str, secure: bool) -> String {
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

pub(super) fn clear_cookie_with(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        secure_attribute(secure)
    )
}
