use super::*;
use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

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

#[test]
fn a_township_account_reaches_its_township_only() {
    use crate::{model::codes::Role, model::place::PlaceRange, server::repo::records::Scope};
    let township = |code: &str| StaffInfo {
        id: 1,
        username: "t".into(),
        display_name: "t".into(),
        role: Role::Township,
        region_code: code.into(),
        cadre_id: None,
    };
    let villages = |code: &str| match scope(&township(code)) {
        Scope::Villages(range) => range,
        other => panic!("{other:?}"),
    };
    let own = villages("430581101000");
    assert!(own.covers("430581101203") && !own.covers("430581102203"));
    // Held at one of its villages' codes: still the township.
    assert_eq!(villages("430581101203"), own);
    // Held at the city's code (a wrong account): no village, not the whole city.
    let city = villages("430581000000");
    assert!(!city.covers("430581101203"), "{city:?}");
    assert_eq!(city, PlaceRange::exactly("430581000000"));
    // Held at something that is no place code: nothing.
    assert!(!villages("x").covers("430581101203"));
}
