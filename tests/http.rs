//! The whole router driven in-process (no socket): pages, server functions, health, errors.
mod common;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::web::{app, get, post_form, send};
use fupin::server::{db::Db, seed};
use tower::ServiceExt;

async fn story(db: Db) {
    seed::seed(&db, 500, &mut |_, _| {}).await.expect("seed");
    let app = app(db.clone());

    let (status, body) = send(&app, get("/healthz")).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));

    // Chinese by default, server-rendered with the figures from the database.
    let (status, html) = send(&app, get("/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="zh""#), "{html}");
    assert!(html.contains("武冈市精准扶贫信息公开平台"));
    // Rendered in place (not streamed out of order), so it reads the same without JavaScript.
    assert!(
        html.contains("已登记 18 个乡镇（街道）、306 个行政村"),
        "{html}"
    );
    assert!(!html.contains("<template"), "{html}");
    assert!(html.contains(r#"action="/search""#));

    // English from the browser's preference, and from the remembered cookie.
    let req = Request::get("/")
        .header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")
        .body(Body::empty())
        .unwrap();
    let (_, html) = send(&app, req).await;
    assert!(html.contains(r#"<html lang="en""#), "{html}");
    assert!(html.contains("Wugang Poverty Alleviation Open Data"));
    let req = Request::get("/")
        .header(header::COOKIE, "i18n_pref_locale=en")
        .body(Body::empty())
        .unwrap();
    let (_, html) = send(&app, req).await;
    assert!(html.contains(r#"<html lang="en""#));

    // The no-JavaScript language switch sets the cookie and returns to a local page only.
    let res = app
        .clone()
        .oneshot(get("/lang/en?next=/%3Fa%3D1"))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/?a=1");
    assert!(
        res.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("i18n_pref_locale=en;")
    );
    let res = app
        .clone()
        .oneshot(get("/lang/en?next=//evil.example"))
        .await
        .unwrap();
    assert_eq!(res.headers()[header::LOCATION], "/");
    let (status, _) = send(&app, get("/lang/fr")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Server function: the search as JSON (a place name lists the place).
    let (status, json) = send(&app, post_form("/api/search", "q=%E6%B9%BE%E5%A4%B4")).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert!(json.contains("湾头桥镇"), "{json}");
    // Bad input is a 400 with a reason, not a 500.
    let long = "%E5%BC%A0".repeat(41);
    let (status, json) = send(&app, post_form("/api/search", &format!("q={long}"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json, r#"{"error":"query_too_long","max":40}"#);
    let (status, json) = send(&app, post_form("/api/search", "q=a%07b")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json.contains("control_characters"), "{json}");
    for (q, reason) in [
        ("", "query_empty"),
        ("%EF%BC%8C%EF%BC%81", "query_empty"),
        ("430581", "query_digits"),
        ("%E5%BC%A0w", "query_mixed"),
    ] {
        let (status, json) = send(&app, post_form("/api/search", &format!("q={q}"))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}");
        assert_eq!(
            json,
            format!(r#"{{"error":"invalid","reason":"{reason}"}}"#)
        );
    }
    // …and on the page, a message where the user is, in the user's language.
    let (_, html) = send(&app, get("/search?q=430581")).await;
    assert!(html.contains("不支持按号码查询"), "{html}");
    let (status, html) = send(&app, get("/search?q=%EF%BC%8C")).await;
    assert!(html.contains("不能只有标点符号"), "{status} {html}");
    let (_, html) = send(&app, get("/search")).await;
    assert!(html.contains("请输入贫困户或家庭成员的姓名"), "{html}");

    // Unknown pages are a 404 page.
    let (status, html) = send(&app, get("/no-such-page")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("页面不存在"));

    // A database failure is logged and reported as a clean "internal" error: no SQL text leaks.
    let broken = match &db {
        Db::Sqlite(p) => sqlx::query("ALTER TABLE region RENAME TO region_gone")
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query("ALTER TABLE region RENAME TO region_gone")
            .execute(p)
            .await
            .map(|_| ()),
    };
    broken.expect("break the schema");
    let (status, json) = send(&app, post_form("/api/site_stats", "")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(json, r#"{"error":"internal"}"#);

    // Health follows the database: closed pool, 503.
    db.close().await;
    let (status, _) = send(&app, get("/healthz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_on_sqlite() {
    let t = common::sqlite().await;
    story(t.db.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_on_postgres() {
    let Some(t) = common::postgres().await else {
        return;
    };
    story(t.db.clone()).await;
    t.drop_db().await;
}
