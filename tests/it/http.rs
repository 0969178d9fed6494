//! The whole router driven in-process (no socket): pages, server functions, health, errors.
use crate::common;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::web::{app, get, post_form, send};
use fupin::server::{auth, db::Db, seed};
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

    // The public portal is sent without the client (no script or WASM to fetch); the staff
    // pages load it.
    for path in [
        "/",
        "/search?q=%E7%8E%8B",
        "/dashboard",
        "/household/1",
        "/policies",
        "/updates",
        "/notices",
        "/no-such-page",
    ] {
        let (_, html) = send(&app, get(path)).await;
        assert!(
            !html.contains(".wasm") && !html.contains("/pkg/fupin.js"),
            "{path} loads the client: {html}"
        );
        assert!(!html.contains("modulepreload"), "{path}: {html}");
    }
    for path in ["/login", "/staff"] {
        let (_, html) = send(&app, get(path)).await;
        assert!(
            html.contains(r#"rel="modulepreload""#) && html.contains(".wasm"),
            "{path} does not load the client: {html}"
        );
    }
    // The header names a logged-in clerk, on public pages too, with the desk and a logout; a
    // visitor (or a stale cookie) sees the staff login.
    seed::demo_users(&db).await.expect("demo users");
    let (_, token) = auth::login(&db, "demo-township", seed::DEMO_PASSWORD, "test")
        .await
        .expect("login");
    for path in ["/policies", "/staff"] {
        let req = Request::get(path)
            .header(header::COOKIE, format!("{}={token}", auth::COOKIE))
            .body(Body::empty())
            .unwrap();
        let (_, html) = send(&app, req).await;
        assert!(
            html.contains(r#"class="nav-staff nav-signed-in""#),
            "{path}: {html}"
        );
        assert!(html.contains(r#"action="/api/logout""#), "{path}: {html}");
    }
    let stale = format!("{}={}", auth::COOKIE, "x".repeat(43));
    let req = Request::get("/policies")
        .header(header::COOKIE, stale)
        .body(Body::empty())
        .unwrap();
    let (_, html) = send(&app, req).await;
    assert!(!html.contains("nav-signed-in"), "{html}");
    assert!(html.contains("工作人员登录"), "{html}");

    // Visitors' pages are kept while nothing they show changes; a write is seen at once.
    let policy = |db: Db| async move {
        let sql = "UPDATE policy SET title = 'Changed <b>title</b>' WHERE id = (SELECT MIN(id) FROM policy)";
        match db {
            Db::Sqlite(p) => sqlx::query(sql).execute(&p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query(sql).execute(&p).await.map(|_| ()),
        }
        .expect("update a policy");
    };
    let min_policy: i64 = match &db {
        Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT MIN(id) FROM policy")
                .fetch_one(p)
                .await
        }
        Db::Postgres(p) => {
            sqlx::query_scalar("SELECT MIN(id) FROM policy")
                .fetch_one(p)
                .await
        }
    }
    .expect("a policy");
    let url = format!("/policies/{min_policy}");
    let hit = |res: &axum::response::Response| res.headers().contains_key("x-page-cache");
    let first = app.clone().oneshot(get(&url)).await.unwrap();
    assert!(!hit(&first));
    let again = app.clone().oneshot(get(&url)).await.unwrap();
    assert!(hit(&again), "the second visit renders again");
    let (_, kept) = send(&app, get(&url)).await;
    policy(db.clone()).await;
    let res = app.clone().oneshot(get(&url)).await.unwrap();
    assert!(!hit(&res), "a kept page outlived a write");
    let (_, html) = send(&app, get(&url)).await;
    assert!(html.contains("Changed &lt;b&gt;title&lt;/b&gt;"), "{html}");
    assert_ne!(html, kept);
    // Visitors who ask at once for a page that is not kept share one rendering of it.
    policy(db.clone()).await;
    let burst = futures::future::join_all((0..12).map(|_| app.clone().oneshot(get(&url)))).await;
    let burst: Vec<_> = burst.into_iter().map(Result::unwrap).collect();
    let rendered = burst.iter().filter(|r| !hit(r)).count();
    assert_eq!(rendered, 1, "one rendering for a burst of first visits");
    let mut bodies = Vec::new();
    for res in burst {
        assert_eq!(res.status(), StatusCode::OK);
        bodies.push(
            axum::body::to_bytes(res.into_body(), usize::MAX)
                .await
                .unwrap(),
        );
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "the same page for all"
    );
    // Another language is another page; a clerk is never served a visitor's page.
    let req = Request::get(url.as_str())
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert!(!hit(&res));
    let req = Request::get(url.as_str())
        .header(header::COOKIE, format!("{}={token}", auth::COOKIE))
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert!(!hit(&res));

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

on_both! {
    http_on_sqlite, http_on_postgres, |db| story(db.clone()), threads = 2;
}

/// Panics raised by the server's code (anywhere but this file's own assertions).
const CLIENTS: usize = 48;
const ROUNDS: usize = 60;
static SERVER_PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

// Many visitors at once over real sockets, a third of whom hang up after the first bytes of the
// answer (a phone losing signal, a closed tab): every page is answered or abandoned cleanly, the
// server logs no panic (a page whose request is dropped mid-render must not touch what was
// disposed with it), and it goes on serving.
// On PostgreSQL every query waits on a socket: more pages are mid-render, with a query in
// flight, when their visitor hangs up.
on_both! {
    concurrent_visitors_and_dropped_connections_cause_no_panic_on_sqlite, concurrent_visitors_and_dropped_connections_cause_no_panic_on_postgres, |db| visitors_hang_up(db), threads = 2;
}

/// One panic hook for the whole test binary, installed once.
fn count_server_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info
                .location()
                .is_none_or(|l| !l.file().ends_with("tests/it/http.rs"))
            {
                SERVER_PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

async fn visitors_hang_up(db: &Db) {
    use std::sync::atomic::Ordering;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // One backend at a time, so that a panic is counted against the run that caused it.
    static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _turn = ONE_AT_A_TIME.lock().await;
    count_server_panics();
    SERVER_PANICS.store(0, Ordering::SeqCst);
    seed::seed(db, 600, &mut |_, _| {}).await.expect("seed");
    seed::demo_users(db).await.expect("demo users");
    seed::demo_transparency(db).await.expect("demo notices");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = fupin::server::state::AppState {
        leptos_options: fupin::server::leptos_options(addr, "target/site"),
        db: db.clone(),
    };
    let server = tokio::spawn(fupin::server::serve(listener, state));
    let first_village = "SELECT v.code, v.parent_code FROM region v WHERE v.level = 'village' ORDER BY v.code LIMIT 1";
    let (village, township): (String, String) = match db {
        Db::Sqlite(p) => sqlx::query_as(first_village).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(first_village).fetch_one(p).await.unwrap(),
    };
    let pages: Vec<String> = vec![
        "/".into(),
        "/search?q=%E5%BC%A0".into(),
        "/search?q=%E7%8E%8B".into(),
        "/household/1".into(),
        "/household/77".into(),
        format!("/village/{village}"),
        format!("/township/{township}"),
        "/dashboard".into(),
        format!("/dashboard?year=2017&township={township}"),
        "/policies".into(),
        "/updates".into(),
        "/notices".into(),
        "/notices/1".into(),
        "/login".into(),
        "/no-such-page".into(),
    ];
    let pages = std::sync::Arc::new(pages);
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let pages = pages.clone();
        clients.push(tokio::spawn(async move {
            let (mut answered, mut dropped) = (0, 0);
            for i in 0..ROUNDS {
                let path = &pages[(c * 7 + i) % pages.len()];
                let lang = if (c + i) % 2 == 0 { "zh-CN" } else { "en" };
                let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
                let req = format!(
                    "GET {path} HTTP/1.1\r\nHost: x\r\nAccept-Language: {lang}\r\nAccept-Encoding: br, gzip\r\nConnection: close\r\n\r\n"
                );
                s.write_all(req.as_bytes()).await.unwrap();
                if (c + i) % 3 != 0 {
                    // Hang up before the answer (while the page renders), or after its first
                    // bytes.
                    if i % 2 == 0 {
                        tokio::time::sleep(std::time::Duration::from_micros(((c * 13 + i * 7) % 40 * 200) as u64)).await;
                    } else {
                        let mut first = [0u8; 64];
                        let _ = s.read(&mut first).await;
                    }
                    drop(s);
                    dropped += 1;
                } else {
                    let mut answer = Vec::new();
                    tokio::time::timeout(
                        std::time::Duration::from_secs(60),
                        s.read_to_end(&mut answer),
                    )
                    .await
                    .expect("answered in time")
                    .unwrap();
                    let head = String::from_utf8_lossy(&answer[..answer.len().min(12)]).to_string();
                    let expected = if path == "/no-such-page" { "404" } else { "200" };
                    assert!(head.starts_with(&format!("HTTP/1.1 {expected}")), "{path}: {head}");
                    answered += 1;
                }
            }
            (answered, dropped)
        }));
    }
    let (mut answered, mut dropped) = (0, 0);
    for c in clients {
        let (a, d) = c.await.expect("client");
        answered += a;
        dropped += d;
    }
    // Give the abandoned answers time to be dropped on the server side.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(answered + dropped, CLIENTS * ROUNDS);
    assert!(answered > 0 && dropped > answered);
    assert_eq!(
        SERVER_PANICS.load(Ordering::SeqCst),
        0,
        "the server panicked (see the messages above)"
    );
    server.abort();
}
