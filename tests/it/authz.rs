//! Authorization matrix: every role × every staff server function × households inside and outside
//! the role's scope, plus no session at all, on both backends. Refusals must leave no trace.
use crate::common;
use crate::common::probe::{cookie_for, counts, scalar};

use axum::{
    Router,
    http::{Request, StatusCode, header},
};
use common::web::{app, send};
use fupin::{
    server::{db::Db, seed},
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

async fn call(app: &Router, path: &str, form: &str, cookie: Option<&str>) -> (StatusCode, String) {
    post(
        app,
        path,
        "application/x-www-form-urlencoded",
        form.to_string(),
        cookie,
    )
    .await
}

async fn call_json(
    app: &Router,
    path: &str,
    body: serde_json::Value,
    cookie: Option<&str>,
) -> (StatusCode, String) {
    post(app, path, "application/json", body.to_string(), cookie).await
}

async fn post(
    app: &Router,
    path: &str,
    content_type: &str,
    body: String,
    cookie: Option<&str>,
) -> (StatusCode, String) {
    let mut req = Request::post(path).header(header::CONTENT_TYPE, content_type);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(axum::body::Body::from(body)).unwrap()).await
}

async fn version_of(db: &Db, h: i64) -> i64 {
    one_id(
        db,
        "SELECT version FROM household WHERE id = CAST($1 AS BIGINT)",
        &h.to_string(),
    )
    .await
}

/// Every table a staff write touches, counted: a refusal must leave all of them as they were.
async fn footprint(db: &Db) -> Vec<i64> {
    const TABLES: [&str; 10] = [
        "SELECT COUNT(*) FROM audit_log",
        "SELECT COUNT(*) FROM household",
        "SELECT COUNT(*) FROM member",
        "SELECT COUNT(*) FROM measure",
        "SELECT COUNT(*) FROM visit",
        "SELECT COUNT(*) FROM pairing",
        "SELECT COUNT(*) FROM household_income",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM household",
        "SELECT COUNT(*) FROM assistance",
        "SELECT COUNT(*) FROM assistance WHERE end_on IS NULL",
    ];
    counts(db, &TABLES).await
}

/// What one staff function does to one household, as a request.
enum Body {
    Form(String),
    Json(serde_json::Value),
}

/// Who may call it on a household in their scope.
#[derive(Clone, Copy, PartialEq)]
enum Who {
    /// Anyone with the household in scope, helper cadres included.
    Everyone,
    /// Not helper cadres (403 for them).
    Editors,
}

async fn requests(db: &Db, h: i64, today: &str) -> Vec<(&'static str, Who, Body)> {
    use fupin::server::repo::household;
    let m = head_of(db, h).await;
    let version = version_of(db, h).await;
    let mut record = household::get(db, h).await.unwrap().unwrap();
    record.address = format!("改过的地址{version}");
    let status: String = with_pool!(db, |p| sqlx::query_scalar(
        "SELECT status FROM household WHERE id = $1"
    )
    .bind(h)
    .fetch_one(p)
    .await)
    .unwrap();
    let to = if status == "exited" {
        "relapsed"
    } else {
        "exited"
    };
    let other_cadre = one_id(
        db,
        "SELECT id FROM cadre WHERE active AND id NOT IN (SELECT cadre_id FROM pairing \
         WHERE household_id = CAST($1 AS BIGINT) AND end_on IS NULL) \
         AND id NOT IN (SELECT cadre_id FROM staff_user WHERE cadre_id IS NOT NULL) ORDER BY id LIMIT 1",
        &h.to_string(),
    )
    .await;
    // The newest running enrolment (the one add_assistance just added, for editors).
    let running = count_for(
        db,
        "SELECT COALESCE(MAX(id), 0) FROM assistance WHERE household_id = CAST($1 AS BIGINT) AND end_on IS NULL",
        h,
    )
    .await;
    // Each editor's enrolment starts a day before the last one's: an enrolment is its household,
    // kind, person and start, held once (migration 0016).
    let held = count_for(
        db,
        "SELECT COUNT(*) FROM assistance WHERE household_id = CAST($1 AS BIGINT)",
        h,
    )
    .await;
    let start_on = (today.parse::<chrono::NaiveDate>().expect("a date")
        - chrono::Days::new(held.unsigned_abs()))
    .to_string();
    vec![
        (
            "/api/staff/household",
            Who::Everyone,
            Body::Form(format!("id={h}")),
        ),
        (
            "/api/staff/history",
            Who::Everyone,
            Body::Form(format!("id={h}")),
        ),
        (
            "/api/staff/reveal_id",
            Who::Everyone,
            Body::Form(format!("household_id={h}&member_id={m}")),
        ),
        (
            "/api/staff/save_household",
            Who::Editors,
            Body::Json(serde_json::json!({ "household": record })),
        ),
        (
            "/api/staff/save_income",
            Who::Editors,
            Body::Json(
                serde_json::json!({ "household_id": h, "version": version, "income": {
                "year": 2025, "persons": 2, "wages": 9000, "business": 1000, "transfer": 600,
                "property": 0, "costs": 400, "net_income": null, "per_capita": null } }),
            ),
        ),
        (
            "/api/staff/record_measure",
            Who::Everyone,
            Body::Json(serde_json::json!({ "measure": {
                "household_id": h, "member_id": m, "category": "education", "name": "雨露计划补助",
                "given_on": today, "amount": 1500, "agency": "市扶贫办" } })),
        ),
        (
            "/api/staff/record_visit",
            Who::Everyone,
            Body::Form(format!(
                "household_id={h}&visited_on={today}&note=了解务工情况"
            )),
        ),
        (
            "/api/staff/set_status",
            Who::Editors,
            Body::Form(format!(
                "household_id={h}&version={version}&status={to}&on={today}"
            )),
        ),
        (
            "/api/staff/change_helper",
            Who::Editors,
            Body::Form(format!(
                "household_id={h}&version={version}&cadre_id={other_cadre}&start_on={today}"
            )),
        ),
        (
            "/api/staff/add_assistance",
            Who::Editors,
            Body::Json(serde_json::json!({ "entry": {
                "household_id": h, "member_id": null, "kind": "dibao", "start_on": start_on,
                "monthly_amount": 320, "lump_sum": 0, "agency": "武冈市民政局" } })),
        ),
        (
            "/api/staff/end_assistance",
            Who::Editors,
            Body::Json(serde_json::json!({ "household_id": h, "id": running, "end_on": today })),
        ),
    ]
}

async fn matrix(db: Db) {
    let village = common::demo_register(&db, 3000).await;
    let today = chrono::Utc::now().date_naive().to_string();
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

    // Which households each role sees, in the order above. The helper cadre goes first: the
    // others then hand the cadre's household to someone else (change_helper).
    let sees: [(&str, [bool; 4]); 4] = [
        ("demo-cadre", [true, false, false, false]),
        ("demo-village", [true, true, false, false]),
        ("demo-township", [true, true, true, false]),
        ("demo-admin", [true, true, true, true]),
    ];
    let app = app(db.clone());

    // Without a session every staff function answers 401 and does nothing.
    let before = footprint(&db).await;
    for h in households {
        for (path, _, body) in requests(&db, h, &today).await {
            let (status, json) = match body {
                Body::Form(f) => call(&app, path, &f, None).await,
                Body::Json(j) => call_json(&app, path, j, None).await,
            };
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {json}");
        }
    }
    for (path, form) in [
        ("/api/staff/find", "q=张"),
        ("/api/staff/cadres", "q=张"),
        ("/api/staff/new_household", ""),
    ] {
        assert_eq!(
            call(&app, path, form, None).await.0,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    assert_eq!(footprint(&db).await, before, "refusals leave no trace");

    for (user, row) in sees {
        let cookie = cookie_for(&db, user).await;
        for (h, visible) in households.into_iter().zip(row) {
            let has_helper = count_for(&db, "SELECT COUNT(*) FROM pairing WHERE household_id = CAST($1 AS BIGINT) AND end_on IS NULL", h).await > 0;
            for k in 0..11 {
                // Built afresh each time: the previous write moved the version on.
                let (path, who, body) = requests(&db, h, &today).await.swap_remove(k);
                let before = footprint(&db).await;
                let version = version_of(&db, h).await;
                let exiting = one_id_text(
                    &db,
                    "SELECT status FROM household WHERE id = CAST($1 AS BIGINT)",
                    &h.to_string(),
                )
                .await
                    != "exited";
                let (status, json) = match body {
                    Body::Form(f) => call(&app, path, &f, Some(&cookie)).await,
                    Body::Json(j) => call_json(&app, path, j, Some(&cookie)).await,
                };
                let cadre = user == "demo-cadre";
                let expect = if !visible {
                    StatusCode::NOT_FOUND
                } else if who == Who::Editors && cadre {
                    StatusCode::FORBIDDEN
                } else if path.ends_with("record_visit") && !has_helper && !cadre {
                    StatusCode::BAD_REQUEST
                } else if path.ends_with("set_status") && exiting {
                    // No household here went through an exit notice (公示), so none may exit.
                    StatusCode::BAD_REQUEST
                } else {
                    StatusCode::OK
                };
                assert_eq!(status, expect, "{user} → {path} on {h}: {json}");
                if path.ends_with("set_status") && exiting && expect == StatusCode::BAD_REQUEST {
                    assert!(
                        json.contains(r#""field":"on""#) && json.contains("notice_missing"),
                        "{json}"
                    );
                }
                let after = footprint(&db).await;
                let reads = ["/api/staff/household", "/api/staff/history"];
                if expect != StatusCode::OK || reads.contains(&path) {
                    assert_eq!(after, before, "{user} → {path} on {h} left a trace");
                    continue;
                }
                // Every successful write (and every reveal) appends exactly one audit row.
                assert_eq!(after[0], before[0] + 1, "{user} → {path} audited");
                match path {
                    "/api/staff/household" => {}
                    "/api/staff/reveal_id" => {
                        assert_eq!(json.trim_matches('"').len(), 18, "{json}")
                    }
                    "/api/staff/record_measure" => assert_eq!(after[3], before[3] + 1),
                    "/api/staff/record_visit" => assert_eq!(after[4], before[4] + 1),
                    "/api/staff/change_helper" => assert_eq!(after[5], before[5] + 1),
                    // Enrolments append or end; neither takes the household's version.
                    "/api/staff/add_assistance" => {
                        assert_eq!((after[8], after[9]), (before[8] + 1, before[9] + 1));
                        assert_eq!(after[7], before[7], "{path} left the version");
                    }
                    "/api/staff/end_assistance" => {
                        assert_eq!((after[8], after[9]), (before[8], before[9] - 1));
                        assert_eq!(after[7], before[7], "{path} left the version");
                    }
                    _ => {
                        // Replacing writes take the household to its next version.
                        assert_eq!(json, (version + 1).to_string(), "{path}");
                        assert_eq!(version_of(&db, h).await, version + 1);
                    }
                }
            }
            // Viewing shows everything but masked ID numbers.
            let (_, json) = call(
                &app,
                "/api/staff/household",
                &format!("id={h}"),
                Some(&cookie),
            )
            .await;
            if visible {
                assert!(
                    json.contains("********") && json.contains("bank_account"),
                    "{json}"
                );
            }
        }
        // The finder stays in scope: each household is found by its householder's name only by
        // those who may see it.
        for (h, visible) in households.into_iter().zip(row) {
            let name: String = with_pool!(&db, |p| {
                sqlx::query_scalar(
                "SELECT name FROM member WHERE household_id = $1 AND relation = 'head' AND active"
            )
            .bind(h)
            .fetch_one(p)
            .await
            })
            .unwrap();
            let (status, json) =
                call(&app, "/api/staff/find", &format!("q={name}"), Some(&cookie)).await;
            assert_eq!(status, StatusCode::OK, "{json}");
            assert_eq!(
                json.contains(&format!("{{\"id\":{h},")),
                visible,
                "{user} finds {h} by {name}: {json}"
            );
            let (_, json) = call(&app, "/api/staff/find", &format!("q={h}"), Some(&cookie)).await;
            assert_eq!(
                json.contains(&format!("{{\"id\":{h},")),
                visible,
                "{user} finds number {h}"
            );
        }
        let (status, _) = call(&app, "/api/staff/cadres", "q=王", Some(&cookie)).await;
        let (status_new, json_new) =
            call(&app, "/api/staff/new_household", "", Some(&cookie)).await;
        if user == "demo-cadre" {
            assert_eq!(
                (status, status_new),
                (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN)
            );
        } else {
            assert_eq!(
                (status, status_new),
                (StatusCode::OK, StatusCode::OK),
                "{json_new}"
            );
            let villages: serde_json::Value = serde_json::from_str(&json_new).unwrap();
            let codes: Vec<&str> = villages["villages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["code"].as_str().unwrap())
                .collect();
            match user {
                "demo-village" => assert_eq!(codes, [village.as_str()]),
                "demo-township" => {
                    assert!(codes.len() > 1 && codes.iter().all(|c| c[..9] == village[..9]))
                }
                _ => assert!(codes.len() > 20),
            }
        }
        // Adding a household: inside the scope it is created (and audited); outside, or by a
        // helper cadre, refused with nothing written.
        let target_village = one_id_text(
            &db,
            "SELECT h.village_code FROM household h WHERE h.id = CAST($1 AS BIGINT)",
            &in_village.to_string(),
        )
        .await;
        let far_village = one_id_text(
            &db,
            "SELECT h.village_code FROM household h WHERE h.id = CAST($1 AS BIGINT)",
            &outside.to_string(),
        )
        .await;
        for (code, allowed) in [
            (target_village.as_str(), user != "demo-cadre"),
            (far_village.as_str(), user == "demo-admin"),
        ] {
            let seq = 500 + scalar(&db, "SELECT COUNT(*) FROM household").await % 400;
            let h = common::new_household(
                code,
                &fupin::model::id_number::build(
                    "430581",
                    common::d("1970-03-04"),
                    seq as u16 * 2 + 1,
                ),
                &fupin::model::id_number::build("430581", common::d("1972-08-09"), seq as u16 * 2),
            );
            let before = footprint(&db).await;
            let (status, json) = call_json(
                &app,
                "/api/staff/create_household",
                serde_json::json!({ "household": h }),
                Some(&cookie),
            )
            .await;
            if allowed {
                assert_eq!(status, StatusCode::OK, "{user} creates in {code}: {json}");
                let after = footprint(&db).await;
                assert_eq!(
                    (after[0], after[1], after[2]),
                    (before[0] + 1, before[1] + 1, before[2] + 2)
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{user} creates in {code}: {json}"
                );
                assert_eq!(footprint(&db).await, before);
            }
        }
    }

    // A stale form gets "changed by X at T" (X as staff know them, not a login name); a bad phone is refused with the form's own field and
    // message code, before anything is written.
    use fupin::server::repo::household;
    let cookie = cookie_for(&db, "demo-village").await;
    let current = household::get(&db, in_village).await.unwrap().unwrap();
    let save = async |h: &fupin::model::registry::Household| {
        let body = serde_json::json!({ "household": h });
        call_json(&app, "/api/staff/save_household", body, Some(&cookie)).await
    };
    let mut old = current.clone();
    old.version -= 1;
    old.address = "旧表单".into();
    let (status, json) = save(&old).await;
    assert_eq!(status, StatusCode::CONFLICT, "{json}");
    assert!(
        json.starts_with(r#"{"error":"stale_edit","by":"演示·"#),
        "{json}"
    );
    let mut bad = current.clone();
    bad.phone = Some("12345".into());
    let (status, json) = save(&bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        json,
        r#"{"error":"field","field":"phone","reason":"phone_format"}"#
    );
    // The ID rule, bypassing the browser: a wrong checksum is refused on the member's field.
    let mut bad = current.clone();
    let id = bad.members[0].id_number.clone().unwrap();
    let last = if id.ends_with('0') { "1" } else { "0" };
    bad.members[0].id_number = Some(format!("{}{last}", &id[..17]));
    let (status, json) = save(&bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        json,
        r#"{"error":"field","field":"members.0.id_number","reason":"id_checksum"}"#
    );
    // A masked ID sent back as it was shown keeps the stored number.
    let mut masked = current.clone();
    masked.members[0].id_number = Some(fupin::model::id_number::mask_id(&id));
    masked.address = "掩码未改".into();
    let (status, json) = save(&masked).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let now = household::get(&db, in_village).await.unwrap().unwrap();
    assert_eq!(now.members[0].id_number.as_deref(), Some(id.as_str()));
    assert_eq!(now.address, "掩码未改");
    // Exit is refused when the date comes before identification.
    let (status, json) = call(
        &app,
        "/api/staff/set_status",
        &format!(
            "household_id={in_village}&version={}&status=exited&on=1990-01-01",
            now.version
        ),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
    let cookie_admin = cookie_for(&db, "demo-admin").await;
    let (_, json) = call(
        &app,
        "/api/staff/history",
        &format!("id={in_village}"),
        Some(&cookie_admin),
    )
    .await;
    for action in [
        "\"update\"",
        "reveal_id",
        "save_income",
        "record_measure",
        "set_status",
        "change_helper",
    ] {
        assert!(json.contains(action), "{action} in {json}");
    }
    assert!(
        json.contains("掩码未改"),
        "before and after are kept: {json}"
    );
    assert!(!json.contains(&id), "the history masks ID numbers: {json}");
}

async fn count_for(db: &Db, sql: &'static str, h: i64) -> i64 {
    one_id(db, sql, &h.to_string()).await
}

async fn one_id_text(db: &Db, sql: &'static str, bind: &str) -> String {
    with_pool!(db, |p| sqlx::query_scalar::<_, String>(sql)
        .bind(bind)
        .fetch_one(p)
        .await)
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

on_both! {
    authorization_matrix_on_sqlite, authorization_matrix_on_postgres, |db| matrix(db.clone()), threads = 2;
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
    let record = household::get(&db, id).await.unwrap().unwrap();
    let mut tasks = Vec::new();
    for i in 0..N {
        let db = db.clone();
        let mut edit = record.clone();
        edit.address = format!("并发地址{i}");
        tasks.push(tokio::spawn(async move {
            household::update(&db, &edit, &format!("w{i}")).await
        }));
    }
    let mut wins = 0;
    for t in tasks {
        match t.await.unwrap().expect("no database error") {
            Saved::Ok { version, .. } => {
                wins += 1;
                assert_eq!(version, base + 1);
            }
            Saved::Stale {
                current_version, ..
            } => assert_eq!(current_version, base + 1),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(wins, 1, "exactly one save of version {base} wins");

    let mut tasks = Vec::new();
    for i in 0..N {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let mut edit = household::get(&db, id).await.unwrap().unwrap();
                edit.address = format!("重试地址{i}");
                match household::update(&db, &edit, &format!("r{i}")).await {
                    Ok(Saved::Ok { .. }) => break,
                    Ok(Saved::Stale { .. }) => tokio::task::yield_now().await,
                    Err(e) => panic!("database error under contention: {e}"),
                    Ok(other) => panic!("{other:?}"),
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
        scalar(&db, "SELECT COUNT(*) FROM audit_log").await,
        1 + N as i64
    );
}

on_both! {
    concurrent_edits_on_sqlite, concurrent_edits_on_postgres, |db| concurrent_edits(db.clone()), threads = 4;
}
