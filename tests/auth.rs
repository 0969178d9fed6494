//! Staff login on both backends, through the real router: cookie flags, sessions shared by server
//! processes, logout, throttling, a generic failure message, cross-site writes refused.
mod common;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::web::{app, send};
use fupin::{
    model::codes::Role,
    server::{auth, db::Db, seed},
    with_pool,
};
use tower::ServiceExt;

fn login_req(user: &str, password: &str) -> Request<Body> {
    Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username={user}&password={password}")))
        .unwrap()
}

fn with_cookie(path: &str, cookie: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

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

    // Five failures lock the account for a while, even against the right password.
    for _ in 0..auth::ACCOUNT_LIMIT {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_story_on_sqlite() {
    let t = common::sqlite().await;
    story(t.db.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_story_on_postgres() {
    let Some(t) = common::postgres().await else {
        return;
    };
    story(t.db.clone()).await;
    t.drop_db().await;
}
