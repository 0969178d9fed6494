//! The monitoring server functions through the real router: no session → 401; a case whose
//! household is outside the asker's scope → 404 and nothing written; a step the role does not
//! own → 403 and nothing written; the desk lists only the scope's cases.
use super::*;
use crate::common::{
    probe::cookie_for,
    web::{app, send},
};
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};

async fn post(
    app: &Router,
    path: &str,
    json: Option<serde_json::Value>,
    form: &str,
    cookie: Option<&str>,
) -> (StatusCode, String) {
    let (kind, body) = match json {
        Some(j) => ("application/json", j.to_string()),
        None => ("application/x-www-form-urlencoded", form.to_string()),
    };
    let mut req = Request::post(path).header(header::CONTENT_TYPE, kind);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

/// A case step sent as the case page's form sends it.
async fn send_step(app: &Router, s: &StepInput, cookie: Option<&str>) -> (StatusCode, String) {
    let json = serde_json::json!({ "step": s });
    post(app, "/api/staff/case_step", Some(json), "", cookie).await
}

async fn steps(db: &Db) -> i64 {
    scalar(db, "SELECT COUNT(*) FROM case_step").await
}

pub(super) async fn authorization(db: &Db) {
    let village = common::demo_register(db, 3000).await;
    let today = chrono::Utc::now().date_naive();
    let township = village[..9].to_string();
    let inside = scalar_with(
        db,
        "SELECT MIN(id) FROM household WHERE status = 'exited' AND village_code = $1",
        village.clone(),
    )
    .await;
    let outside = scalar_with(db, "SELECT MIN(id) FROM household WHERE status = 'exited' AND substr(village_code, 1, 9) <> $1", township).await;
    let open = |h| {
        lead(
            h,
            Category::Unstable,
            vec![Risk::Illness],
            today - Days::new(40),
        )
    };
    let Saved::Ok {
        id: mine,
        version: v_mine,
    } = monitoring::open_case(db, &open(inside), "t").await.unwrap()
    else {
        panic!()
    };
    let Saved::Ok {
        id: theirs,
        version: v_theirs,
    } = monitoring::open_case(db, &open(outside), "t")
        .await
        .unwrap()
    else {
        panic!()
    };
    let app = app(db.clone());

    // No session: 401, nothing written.
    let before = steps(db).await;
    let home_check = step(mine, v_mine, Stage::HomeCheck, today - Days::new(39));
    assert_eq!(
        send_step(&app, &home_check, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post(&app, "/api/staff/case", None, &format!("id={mine}"), None)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post(
            &app,
            "/api/staff/monitoring_desk",
            Some(serde_json::json!({ "filter": {} })),
            "",
            None
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );

    // Village staff: their village's case, not another township's (404, as if there were none).
    let village_staff = cookie_for(db, "demo-village").await;
    let (status, body) = post(
        &app,
        "/api/staff/case",
        None,
        &format!("id={mine}"),
        Some(&village_staff),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("\"next\":\"home_check\""), "{body}");
    assert_eq!(
        post(
            &app,
            "/api/staff/case",
            None,
            &format!("id={theirs}"),
            Some(&village_staff)
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(
            &app,
            "/api/staff/case",
            None,
            "id=999999",
            Some(&village_staff)
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let foreign = step(theirs, v_theirs, Stage::HomeCheck, today);
    assert_eq!(
        send_step(&app, &foreign, Some(&village_staff)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(steps(db).await, before, "refusals write nothing");
    let (status, body) = send_step(&app, &home_check, Some(&village_staff)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(steps(db).await, before + 1);
    // The same form again: the case moved on (409, naming who moved it as staff know them).
    let (status, body) = send_step(&app, &home_check, Some(&village_staff)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("演示·村干部"), "{body}");
    assert!(
        !body.contains("demo-village"),
        "a login name where staff expect a name: {body}"
    );

    // The desk: the scope's cases only.
    let desk = desk_for(&app, &village_staff).await;
    assert!(
        desk.contains(&format!("\"id\":{mine},")) && !desk.contains(&format!("\"id\":{theirs},")),
        "{desk}"
    );
    let admin = cookie_for(db, "demo-admin").await;
    let desk = desk_for(&app, &admin).await;
    assert!(
        desk.contains(&format!("\"id\":{mine},")) && desk.contains(&format!("\"id\":{theirs},")),
        "{desk}"
    );
    // A village filter that is no village code (here 100,000 characters of it) names no
    // village: an empty desk, read from nothing and kept under no key.
    let (status, desk) = post(
        &app,
        "/api/staff/monitoring_desk",
        Some(serde_json::json!({ "filter": { "village": "1' OR '1'='1".repeat(8_000) } })),
        "",
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{desk}");
    assert!(
        desk.contains("\"rows\":[]") && desk.contains("\"total\":0"),
        "{}",
        desk.chars().take(300).collect::<String>()
    );

    // A case at the township review: the village may not record it, the township may; the county
    // decision is the city's alone.
    walk(
        db,
        mine,
        v_mine + 1,
        Stage::TownshipReview,
        today - Days::new(38),
        today,
    )
    .await;
    let head = monitoring::head(db, mine).await.unwrap().unwrap();
    assert_eq!(head.stage, Stage::TownshipReview);
    let decide = step(mine, head.version, Stage::Monitored, today);
    let before = steps(db).await;
    for user in ["demo-village", "demo-township", "demo-cadre"] {
        let cookie = cookie_for(db, user).await;
        let (status, body) = send_step(&app, &decide, Some(&cookie)).await;
        assert!(
            matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{user}: {status} {body}"
        );
    }
    assert_eq!(steps(db).await, before);
    let (status, body) = send_step(&app, &decide, Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A helper cadre opens no case (403 in scope, 404 outside).
    let cadre = cookie_for(db, "demo-cadre").await;
    let lead_json = serde_json::json!({ "lead": open(outside) });
    assert_eq!(
        post(
            &app,
            "/api/staff/open_case",
            Some(lead_json),
            "",
            Some(&cadre)
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
}

/// The desk's answer for the session `cookie`, as its JSON text.
async fn desk_for(app: &Router, cookie: &str) -> String {
    let (status, desk) = post(
        app,
        "/api/staff/monitoring_desk",
        Some(serde_json::json!({ "filter": {} })),
        "",
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{desk}");
    desk
}
