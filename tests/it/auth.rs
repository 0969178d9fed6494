//! Staff login on both backends, through the real router: cookie flags, sessions shared by server
//! processes, logout, throttling (per account, per account and address, per address without
//! locking out the real users behind it, `Retry-After`), a generic failure message, cross-site
//! writes refused, bounded and purged throttle rows, disabled accounts whose sessions stay dead.
use crate::common;
use crate::common::probe::scalar_with;

use axum::{
    Router,
    body::Body,
    extract::ConnectInfo,
    http::{HeaderMap, HeaderValue, Request, StatusCode, header},
};
use common::web::{app, send};
use fupin::{
    model::codes::Role,
    server::{auth, db::Db, seed},
    with_pool,
};
use http_body_util::BodyExt;
use std::net::SocketAddr;
use tower::ServiceExt;

fn login_req(user: &str, password: &str) -> Request<Body> {
    Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username={user}&password={password}")))
        .unwrap()
}

/// A login as it arrives over TCP from `peer` (what `serve` records as `ConnectInfo`).
fn login_from(peer: &str, user: &str, password: &str) -> Request<Body> {
    let mut req = login_req(user, password);
    let peer: SocketAddr = peer.parse().expect("peer address");
    req.extensions_mut().insert(ConnectInfo(peer));
    req
}

fn with_cookie(path: &str, cookie: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

/// A staff-only server function (the helper picker), with `cookie` as the session.
fn staff_call(cookie: &str) -> Request<Body> {
    Request::post("/api/staff/cadres")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from("q=x"))
        .unwrap()
}

/// Status, headers and body of one request.
async fn send_full(app: &Router, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// Logs `user` in with the demo password; the `name=value` part of the session cookie.
async fn login_cookie(app: &Router, user: &str) -> String {
    let (status, headers, json) = send_full(app, login_req(user, seed::DEMO_PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "login {user}: {json}");
    headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

async fn seeded(db: &Db) {
    seed::seed(db, 200, &mut |_, _| {}).await.expect("seed");
    seed::demo_users(db).await.expect("demo users");
}

const LOGIN_FAILED: &str = r#"{"error":"login_failed"}"#;

async fn story(db: Db) {
    seed::seed(&db, 50, &mut |_, _| {}).await.expect("seed");
    let village: String = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT code FROM region WHERE level = 'village' ORDER BY code LIMIT 1"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    auth::create_user(
        &db,
        " Li.Cun ",
        "李村干",
        "correct horse 1",
        Role::Village,
        &village,
        None,
    )
    .await
    .expect("create");
    // Usernames are unique (case-insensitively); short passwords and cadres without a cadre refused.
    assert_eq!(
        auth::create_user(
            &db,
            "li.cun",
            "x",
            "another pass 2",
            Role::Village,
            &village,
            None
        )
        .await,
        Err(fupin::error::AppError::Conflict)
    );
    assert!(
        auth::create_user(&db, "short", "x", "123", Role::Village, &village, None)
            .await
            .is_err()
    );
    assert!(
        auth::create_user(
            &db,
            "cadre1",
            "x",
            "long enough 12",
            Role::Cadre,
            &village,
            None
        )
        .await
        .is_err()
    );

    let one = app(db.clone());
    // A wrong password and an unknown user get the same answer.
    let (status, json) = send(&one, login_req("li.cun", "wrong")).await;
    assert_eq!(
        (status, json.as_str()),
        (StatusCode::UNAUTHORIZED, r#"{"error":"login_failed"}"#)
    );
    let (status, json) = send(&one, login_req("nobody", "wrong")).await;
    assert_eq!(
        (status, json.as_str()),
        (StatusCode::UNAUTHORIZED, r#"{"error":"login_failed"}"#)
    );

    // Success: an HttpOnly, SameSite session cookie; the database keeps only the token's hash.
    let res = one
        .clone()
        .oneshot(login_req("LI.CUN", "correct%20horse%201"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let set = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(set.starts_with("fupin_session="), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    let token = cookie.trim_start_matches("fupin_session=").to_string();
    let stored: Vec<Vec<u8>> = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT token_hash FROM staff_session"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(stored, vec![auth::token_hash(&token)]);

    // The session works on this server and on another process sharing the database.
    let (status, json) = send(&one, with_cookie("/api/whoami", &cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        json.contains(r#""username":"li.cun""#) && json.contains(r#""role":"village""#),
        "{json}"
    );
    let two = app(db.clone());
    let (_, json) = send(&two, with_cookie("/api/whoami", &cookie)).await;
    assert!(json.contains("李村干"), "{json}");
    // No cookie or a forged one: nobody.
    let (_, json) = send(
        &two,
        with_cookie(
            "/api/whoami",
            "fupin_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ),
    )
    .await;
    assert_eq!(json, "null");

    // A write from another site is refused before it reaches a server function.
    let req = Request::post("/api/logout")
        .header(header::COOKIE, &cookie)
        .header(header::HOST, "fupin.example")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&one, req).await.0, StatusCode::FORBIDDEN);
    let (_, json) = send(&one, with_cookie("/api/whoami", &cookie)).await;
    assert!(json.contains("li.cun"), "still logged in: {json}");

    // Logging out on one process ends the session everywhere; the old cookie is worthless.
    let res = two
        .clone()
        .oneshot(with_cookie("/api/logout", &cookie))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (_, json) = send(&one, with_cookie("/api/whoami", &cookie)).await;
    assert_eq!(json, "null");

    // A disabled account's sessions end at once.
    let res = one
        .clone()
        .oneshot(login_req("li.cun", "correct%20horse%201"))
        .await
        .unwrap();
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    with_pool!(&db, |p| sqlx::query("UPDATE staff_user SET active = FALSE")
        .execute(p)
        .await
        .map(|_| ()))
    .unwrap();
    let (_, json) = send(&one, with_cookie("/api/whoami", &cookie)).await;
    assert_eq!(json, "null");
    with_pool!(&db, |p| sqlx::query("UPDATE staff_user SET active = TRUE")
        .execute(p)
        .await
        .map(|_| ()))
    .unwrap();

    // Five failures lock the account for a while from this address, even against the right password.
    for _ in 0..auth::PAIR_LIMIT {
        assert_eq!(
            send(&one, login_req("li.cun", "guess")).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, json) = send(&one, login_req("li.cun", "correct%20horse%201")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{json}");
    assert!(
        json.starts_with(r#"{"error":"throttled","retry_after":"#),
        "{json}"
    );
    // Another account from the same address is not locked by it.
    let township = format!("{}000", &village[..9]);
    auth::create_user(
        &db,
        "wang.zhen",
        "王镇",
        "another pass 22",
        Role::Township,
        &township,
        None,
    )
    .await
    .expect("township user");
    let (status, _) = send(&one, login_req("wang.zhen", "another%20pass%2022")).await;
    assert_eq!(status, StatusCode::OK);
}

on_both! {
    login_story_on_sqlite, login_story_on_postgres, |db| story(db.clone()), threads = 2;
}

/// An old row (window and lock over) for key `key`, as a login long ago would have left it.
async fn stale_row(db: &Db, key: &str) {
    let t = auth::now();
    with_pool!(db, |p| sqlx::query(
        "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 3, $2, $3)"
    )
    .bind(key)
    .bind(t - 2 * auth::WINDOW_SECS)
    .bind(t - auth::WINDOW_SECS)
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
}

/// The attacks on login throttling, from outside.
async fn throttling(db: Db) {
    seeded(&db).await;
    let app = app(db.clone());

    // Spraying random names from one address (an office behind one NAT or proxy) past the
    // address limit: every attempt is an ordinary failure, and the address is locked ...
    const OFFICE: &str = "203.0.113.7:40000";
    for i in 0..auth::ADDRESS_LIMIT + 10 {
        let (status, json) = send(&app, login_from(OFFICE, &format!("spray{i}"), "guess")).await;
        assert_eq!(
            (status, json.as_str()),
            (StatusCode::UNAUTHORIZED, LOGIN_FAILED),
            "attempt {i}"
        );
    }
    let locked = scalar_with(
        &db,
        "SELECT locked_until FROM login_throttle WHERE key = $1",
        "ip:203.0.113.7",
    )
    .await;
    assert!(locked > auth::now(), "the address is locked");
    // ... but only for names that are no active account: a colleague behind it still logs in.
    let (status, headers, json) = send_full(
        &app,
        login_from(OFFICE, "demo-village", seed::DEMO_PASSWORD),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert!(headers.contains_key(header::SET_COOKIE));
    let (status, json) = send(&app, login_from(OFFICE, "spray-again", "guess")).await;
    assert_eq!(
        (status, json.as_str()),
        (StatusCode::UNAUTHORIZED, LOGIN_FAILED)
    );

    // Five wrong passwords lock the account from that address, with `Retry-After` on the answer;
    // its owner elsewhere still logs in. Twenty from anywhere lock it everywhere.
    const HOME: &str = "198.51.100.4:50000";
    for _ in 0..auth::PAIR_LIMIT {
        let (status, json) = send(&app, login_from(HOME, "demo-township", "guess")).await;
        assert_eq!(
            (status, json.as_str()),
            (StatusCode::UNAUTHORIZED, LOGIN_FAILED)
        );
    }
    let (status, headers, _) =
        send_full(&app, login_from(HOME, "demo-township", seed::DEMO_PASSWORD)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.contains_key(header::RETRY_AFTER));
    let (status, _, json) = send_full(
        &app,
        login_from("192.0.2.77:1", "demo-township", seed::DEMO_PASSWORD),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the owner elsewhere is not locked out: {json}"
    );
    for i in 0..auth::ACCOUNT_LIMIT {
        let peer = format!("203.0.113.{}:1", 10 + i / auth::PAIR_LIMIT);
        send(&app, login_from(&peer, "demo-township", "guess")).await;
    }
    for peer in [HOME, "192.0.2.200:1"] {
        let (status, headers, json) =
            send_full(&app, login_from(peer, "demo-township", seed::DEMO_PASSWORD)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{peer}: {json}");
        let retry_after: i64 = headers
            .get(header::RETRY_AFTER)
            .unwrap_or_else(|| panic!("{peer}: no Retry-After"))
            .to_str()
            .unwrap()
            .parse()
            .expect("Retry-After in seconds");
        assert!(
            (1..=auth::LOCK_SECS).contains(&retry_after),
            "{retry_after}"
        );
        let body: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(body["error"], "throttled", "{json}");
        let in_body = body["retry_after"].as_i64().expect("retry_after");
        assert!(
            (retry_after - in_body).abs() <= 1,
            "{json} vs {retry_after}"
        );
    }

    // Without FUPIN_TRUSTED_PROXY, X-Forwarded-For is ignored: a client cannot pick a fresh
    // address for every attempt (nor blame another one).
    let mut req = login_from("192.0.2.1:1234", "nobody", "guess");
    req.headers_mut()
        .insert("x-forwarded-for", HeaderValue::from_static("10.9.8.7"));
    assert_eq!(send(&app, req).await.0, StatusCode::UNAUTHORIZED);
    let sql = "SELECT COUNT(*) FROM login_throttle WHERE key LIKE $1";
    assert_eq!(
        scalar_with(&db, sql, "%192.0.2.1|%").await,
        1,
        "ua: key of the peer"
    );
    assert_eq!(
        scalar_with(&db, sql, "ip:192.0.2.1").await,
        1,
        "ip: key of the peer"
    );
    assert_eq!(
        scalar_with(&db, sql, "%10.9.8.7%").await,
        0,
        "the header was believed"
    );

    // A 1 MB username is refused (as a failed login, or before that as a body too large for a
    // server function), a 100 kB one like any failed login, and nothing long is stored.
    let huge = "a".repeat(1_000_000);
    let (status, json) = send(&app, login_from(HOME, &huge, "guess")).await;
    assert!(
        status.is_client_error() && status != StatusCode::TOO_MANY_REQUESTS,
        "{status}: {json}"
    );
    let big = "a".repeat(100_000);
    let (status, json) = send(&app, login_from(HOME, &big, "guess")).await;
    assert_eq!(
        (status, json.as_str()),
        (StatusCode::UNAUTHORIZED, LOGIN_FAILED)
    );
    let long_name = "b".repeat(auth::MAX_USERNAME_CHARS + 1);
    let (status, _) = send(&app, login_from(HOME, &long_name, "guess")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let longest: i64 = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(LENGTH(key)), 0) AS BIGINT) FROM login_throttle"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert!(longest <= 100, "a throttle key of {longest} characters");
    assert_eq!(scalar_with(&db, sql, "%bbbb%").await, 0);

    // Rows whose window and lock are over are purged by the next login, failed or not; the
    // running ones stay.
    let stale = "SELECT COUNT(*) FROM login_throttle WHERE key = $1";
    stale_row(&db, "u:stale-one").await;
    assert_eq!(scalar_with(&db, stale, "u:stale-one").await, 1);
    let (status, _) = send(&app, login_from(HOME, "demo-admin", seed::DEMO_PASSWORD)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        scalar_with(&db, stale, "u:stale-one").await,
        0,
        "purged by a login"
    );
    stale_row(&db, "u:stale-two").await;
    let (status, _) = send(&app, login_from(HOME, "nobody", "guess")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        scalar_with(&db, stale, "u:stale-two").await,
        0,
        "purged by a failure"
    );
    assert_eq!(
        scalar_with(&db, stale, "ip:203.0.113.7").await,
        1,
        "a running lock stays"
    );
    assert_eq!(
        scalar_with(&db, stale, "u:demo-township").await,
        1,
        "a running lock stays"
    );
}

on_both! {
    throttling_on_sqlite, throttling_on_postgres, |db| throttling(db.clone()), threads = 2;
}

/// Disabling an account ends its sessions for good: enabling it again does not revive them.
async fn disabling(db: Db) {
    seeded(&db).await;
    let app = app(db.clone());
    let cookie = login_cookie(&app, "demo-village").await;
    assert_eq!(send(&app, staff_call(&cookie)).await.0, StatusCode::OK);

    assert_eq!(
        auth::set_active(&db, " Demo-Village ", false).await,
        Ok(true)
    );
    assert_eq!(
        send(&app, staff_call(&cookie)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, json) = send(&app, login_req("demo-village", seed::DEMO_PASSWORD)).await;
    assert_eq!(
        (status, json.as_str()),
        (StatusCode::UNAUTHORIZED, LOGIN_FAILED),
        "a disabled account cannot log in"
    );

    assert_eq!(auth::set_active(&db, "demo-village", true).await, Ok(true));
    assert_eq!(
        send(&app, staff_call(&cookie)).await.0,
        StatusCode::UNAUTHORIZED,
        "the old session came back"
    );
    let token = cookie.trim_start_matches("fupin_session=").to_string();
    let hash = auth::token_hash(&token);
    let left: i64 = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff_session WHERE token_hash = $1"
    )
    .bind(&hash)
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(left, 0, "the old session row is gone");
    let fresh = login_cookie(&app, "demo-village").await;
    assert_eq!(send(&app, staff_call(&fresh)).await.0, StatusCode::OK);

    assert_eq!(auth::set_active(&db, "nobody", false).await, Ok(false));

    // A new password ends the sessions too (after a stolen cookie, the thief is out).
    let new_hash = auth::hash_password("a brand new pass 1".into())
        .await
        .expect("hash");
    with_pool!(&db, |p| sqlx::query(
        "UPDATE staff_user SET password_hash = $1 WHERE username = 'demo-village'"
    )
    .bind(&new_hash)
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    assert_eq!(
        send(&app, staff_call(&fresh)).await.0,
        StatusCode::UNAUTHORIZED
    );
    // Other accounts' sessions are untouched.
    let admin = login_cookie(&app, "demo-admin").await;
    auth::set_active(&db, "demo-township", false)
        .await
        .expect("disable");
    assert_eq!(send(&app, staff_call(&admin)).await.0, StatusCode::OK);
}

on_both! {
    disabling_on_sqlite, disabling_on_postgres, |db| disabling(db.clone()), threads = 2;
}
