//! What the current request carries: its session token and its client's address (believing
//! `X-Forwarded-For` only from configured proxies), and the cookie set on its answer.
use super::token_from_cookies;
use crate::error::AppError;
use axum::http::HeaderMap;
use std::{
    net::{IpAddr, SocketAddr},
    sync::LazyLock,
};

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
pub(super) static TRUSTED_PROXIES: LazyLock<Vec<IpAddr>> = LazyLock::new(|| {
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
pub(super) fn parse_proxies(list: &str) -> Vec<IpAddr> {
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
pub(super) fn parse_hop(entry: &str) -> Option<IpAddr> {
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

pub(super) fn client_address_via(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trusted: &[IpAddr],
) -> String {
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
