//! Authorization matrix: every role × every staff server function × households inside and outside
//! the role's scope, plus no session at all, on both backends. Refusals must leave no trace.
mod common;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use common::web::{app, send};
use fupin::{
    server::{auth, db::Db, seed},
    with_pool,
};

async fn one_id(db: &Db, sql: &'static str, bind: &str) -> i64 {
    with_pool!(db, |p| sqlx::query_scalar::<_, i64>(sql)
        .bind(bind)
        .fetch_one(p)
        .await)
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn head_of(db: &Db, h: i64) -> i64 {
    one_id(
        db,
        "SELECT id FROM member WHERE household_id = CAST($1 AS BIGINT) AND relation = 'head'",
        &h.to_string(),
    )
    .await
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    with_pool!(db, |p| sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap()
}

async fn call(app: &Router, path: &str, form: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let mut req =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::from(form.to_string())).unwrap()).await
}

async fn cookie_for(db: &Db, user: &str) -> String {
    let (_, token) = auth::login(db, user, seed::DEMO_PASSWORD, "test")
        .await
        .expect("login");
    format!("{}={token}", auth::COOKIE)
}

async fn matrix(db: Db) {
    seed::seed(&db, 3000, &mut |_, _| {}).await.expect("seed");
    seed::demo_users(&db).await.expect("demo users");
    let village: String = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT region_code FROM staff_user WHERE username = 'demo-village'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let township = format!("{}000", &village[..9]);
    let cadre_home = one_id(
        &db,
        "SELECT p.household_id FROM pairing p JOIN staff_user u ON u.cadre_id = p.cadre_id \
         JOIN household h ON h.id = p.household_id \
         WHERE u.username = $1 AND p.end_on IS NULL AND h.village_code = u.region_code \
         ORDER BY p.household_id LIMIT 1",
        "demo-cadre",
    )
    .await;
    let in_village = one_id(&db, "SELECT h.id FROM household h WHERE h.village_code = $1 AND NOT EXISTS \
         (SELECT 1 FROM pairing p JOIN staff_user u ON u.cadre_id = p.cadre_id \
          WHERE p.household_id = h.id AND p.end_on IS NULL AND u.username = 'demo-cadre') ORDER BY h.id LIMIT 1", &village).await;
    let in_township = one_id(&db, "SELECT h.id FROM household h JOIN region v ON v.code = h.village_code \
         WHERE v.parent_code = $1 AND h.village_code <> v.parent_code AND h.village_code NOT IN \
         (SELECT region_code FROM staff_user WHERE username = 'demo-village') ORDER BY h.id LIMIT 1", &township).await;
    let outside = one_id(
        &db,
        "SELECT h.id FROM household h JOIN region v ON v.code = h.village_code \
         WHERE v.parent_code <> $1 ORDER BY h.id LIMIT 1",
        &township,
    )
    .await;
    let households = [cadre_home, in_village, in_township, outside];

    // Which households each role sees, in the order above.
    let sees: [(&str, [bool; 4]); 4] = [
        ("demo-admin", [true, true, true, true]),
        ("demo-township", [true, true, true, false]),
        ("demo-village", [true, true, false, false]),
        ("demo-cadre", [true, false, false, false]),
    ];
    let app = app(db.clone());

    // Without a session every staff function answers 401 and does nothing.
    for h in households {
        let m = head_of(&db, h).await;
        for (path, form) in [
            ("/api/staff/household", format!("id={h}")),
            ("/api/staff/history", format!("id={h}")),
            (
                "/api/staff/reveal_id",
                format!("household_id={h}&member_id={m}"),
            ),
            (
                "/api/staff/save_contact",
                format!("id={h}&version=1&address=x&phone="),
            ),
        ] {
            assert_eq!(
                call(&app, path, &form, None).await.0,
                StatusCode::UNAUTHORIZED,
                "{path}"
            );
        }
    }
    assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log").await, 0);

    for (user, row) in sees {
        let cookie = cookie_for(&db, user).await;
        for (h, visible) in households.into_iter().zip(row) {
            let m = head_of(&db, h).await;
            let audit_before = count(&db, "SELECT COUNT(*) FROM audit_log").await;
            let (status, json) = call(
                &app,
                "/api/staff/household",
                &format!("id={h}"),
                Some(&cookie),
            )
            .await;
            let expect = if visible {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(status, expect, "{user} views {h}: {json}");
            if visible {
                // Full details for staff, but ID numbers stay masked until revealed.
                assert!(json.contains("********"), "{json}");
                assert!(json.contains("bank_account"), "{json}");
            }
            let (status, json) = call(
                &app,
                "/api/staff/reveal_id",
                &format!("household_id={h}&member_id={m}"),
                Some(&cookie),
            )
            .await;
            assert_eq!(status, expect, "{user} reveals in {h}: {json}");
            if visible {
                assert_eq!(json.trim_matches('"').len(), 18, "{json}");
                assert_eq!(
                    count(&db, "SELECT COUNT(*) FROM audit_log").await,
                    audit_before + 1,
                    "reveal audited"
                );
            }
            let version: i64 = one_id(
                &db,
                "SELECT version FROM household WHERE id = CAST($1 AS BIGINT)",
                &h.to_string(),
            )
            .await;
            let address = format!("{user}改的地址");
            let (status, json) = call(
                &app,
                "/api/staff/save_contact",
                &format!("id={h}&version={version}&address={address}&phone=13912345678"),
                Some(&cookie),
            )
            .await;
            let expect_save = match (visible, user) {
                (false, _) => StatusCode::NOT_FOUND,
                (true, "demo-cadre") => StatusCode::FORBIDDEN,
                (true, _) => StatusCode::OK,
            };
            assert_eq!(status, expect_save, "{user} saves {h}: {json}");
            let after: i64 = one_id(
                &db,
                "SELECT version FROM household WHERE id = CAST($1 AS BIGINT)",
                &h.to_string(),
            )
            .await;
            let audits = count(&db, "SELECT COUNT(*) FROM audit_log").await;
            if expect_save == StatusCode::OK {
                assert_eq!(after, version + 1);
                assert_eq!(json, (version + 1).to_string());
                assert_eq!(audits, audit_before + 2, "reveal + save audited");
            } else {
                // Refused: nothing changed, nothing written.
                assert_eq!(after, version, "{user} changed {h}");
                assert_eq!(audits, audit_before + u8::from(visible) as i64);
            }
        }
    }

    // A stale form gets "changed by X at T"; a bad phone is refused with the form's own message code.
    let cookie = cookie_for(&db, "demo-village").await;
    let version: i64 = one_id(
        &db,
        "SELECT version FROM household WHERE id = CAST($1 AS BIGINT)",
        &in_village.to_string(),
    )
    .await;
    let (status, json) = call(
        &app,
        "/api/staff/save_contact",
        &format!(
            "id={in_village}&version={}&address=旧表单&phone=",
            version - 1
        ),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert!(
        json.starts_with(r#"{"error":"stale_edit","by":"demo-"#),
        "{json}"
    );
    let (status, json) = call(
        &app,
        "/api/staff/save_contact",
        &format!("id={in_village}&version={version}&address=新地址&phone=12345"),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json, r#"{"error":"invalid","reason":"phone_format"}"#);
    let cookie_admin = cookie_for(&db, "demo-admin").await;
    let (_, json) = call(
        &app,
        "/api/staff/history",
        &format!("id={in_village}"),
        Some(&cookie_admin),
    )
    .await;
    assert!(
        json.contains("update_contact") && json.contains("reveal_id"),
        "{json}"
    );
    assert!(
        json.contains("demo-village改的地址"),
        "before and after are kept: {json}"
    );
    let unchanged: i64 = one_id(
        &db,
        "SELECT version FROM household WHERE id = CAST($1 AS BIGINT)",
        &in_village.to_string(),
    )
    .await;
    assert_eq!(unchanged, version);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_matrix_on_sqlite() {
    let t = common::sqlite().await;
    matrix(t.db.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_matrix_on_postgres() {
    let Some(t) = common::postgres().await else {
        return;
    };
    matrix(t.db.clone()).await;
    t.drop_db().await;
}

/// N parallel saves of the same version: exactly one wins; then N writers that retry on a stale
/// version all land, one version each, and every change is in the audit log.
async fn concurrent_edits(db: Db) {
    use fupin::server::repo::household::{self, Saved};
    seed::seed(&db, 100, &mut |_, _| {}).await.expect("seed");
    const N: usize = 8;
    let id = 7;
    let base: i64 = one_id(
        &db,
        "SELECT version FROM household WHERE id = CAST($1 AS BIGINT)",
        "7",
    )
    .await;
    let mut tasks = Vec::new();
    for i in 0..N {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            household::update_contact(
                &db,
                id,
                base,
                &format!("并发地址{i}"),
                None,
                &format!("w{i}"),
            )
            .await
        }));
    }
    let mut wins = 0;
    for t in tasks {
        match t.await.unwrap().expect("no database error") {
            Saved::Ok { version } => {
                wins += 1;
                assert_eq!(version, base + 1);
            }
            Saved::Stale { current_version } => assert_eq!(current_version, base + 1),
            Saved::Missing => panic!("missing"),
        }
    }
    assert_eq!(wins, 1, "exactly one save of version {base} wins");

    let mut tasks = Vec::new();
    for i in 0..N {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let v: i64 = one_id(
                    &db,
                    "SELECT version FROM household WHERE id = CAST($1 AS BIGINT)",
                    "7",
                )
                .await;
                match household::update_contact(
                    &db,
                    id,
                    v,
                    &format!("重试地址{i}"),
                    None,
                    &format!("r{i}"),
                )
                .await
                {
                    Ok(Saved::Ok { .. }) => break,
                    Ok(Saved::Stale { .. }) => tokio::task::yield_now().await,
                    Err(e) => panic!("database error under contention: {e}"),
                    Ok(Saved::Missing) => panic!("missing"),
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let last: i64 = one_id(
        &db,
        "SELECT version FROM household WHERE id = CAST($1 AS BIGINT)",
        "7",
    )
    .await;
    assert_eq!(last, base + 1 + N as i64, "every retried edit landed once");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM audit_log").await,
        1 + N as i64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_edits_on_sqlite() {
    let t = common::sqlite().await;
    concurrent_edits(t.db.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_edits_on_postgres() {
    let Some(t) = common::postgres().await else {
        return;
    };
    concurrent_edits(t.db.clone()).await;
    t.drop_db().await;
}
