//! Bad input from outside, sent with the headers every browser sends (`Accept-Encoding: gzip,
//! br`): arguments that do not decode answer 400 (not a 500 once the answer is gzipped), and
//! what the schema's CHECKs refuse (a long refusal reason, a NUL, a date past 9999) is refused
//! by the shared rules with its message before anything is written.
use super::*;
use crate::common::{
    probe::{cookie_for, counts},
    web::respond,
};
use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

/// A POST to `path` as a logged-in browser would send it: JSON, or a form when `form` is set.
fn post(path: &str, body: impl Into<String>, form: bool, cookie: &str) -> Request<Body> {
    let kind = if form {
        "application/x-www-form-urlencoded"
    } else {
        "application/json"
    };
    Request::post(path)
        .header(header::CONTENT_TYPE, kind)
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.into()))
        .unwrap()
}

/// Sends `req`; asserts a 400 whose body names `reason` and answers whether it came gzipped.
async fn refused(app: &axum::Router, req: Request<Body>, reason: &str) -> bool {
    let what = format!("{} {}", req.method(), req.uri());
    let (parts, body) = respond(app, req).await;
    let text = String::from_utf8_lossy(&body);
    assert_eq!(parts.status, StatusCode::BAD_REQUEST, "{what}: {text}");
    assert!(text.contains(reason), "{what}: {reason} not in {text}");
    parts
        .headers
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| v == "gzip")
}

fn with(mut v: Value, path: &[&str], to: Value) -> Value {
    let mut at = &mut v;
    for p in path {
        at = &mut at[*p];
    }
    *at = to;
    v
}

const FOOTPRINT: &[&str] = &[
    "SELECT COUNT(*) FROM monitoring_case",
    "SELECT COUNT(*) FROM case_step",
    "SELECT COUNT(*) FROM case_plan",
    "SELECT COUNT(*) FROM measure",
    "SELECT COUNT(*) FROM assistance",
    "SELECT COUNT(*) FROM objection",
    "SELECT COUNT(*) FROM audit_log",
];

pub(super) async fn bad_input(db: &Db) {
    seed::seed(db, 600, &mut |_, _| {}).await.expect("seed");
    seed::demo_users(db).await.expect("demo users");
    let app = crate::common::web::app(db.clone());
    let admin = cookie_for(db, "demo-admin").await;
    let today = chrono::Utc::now().date_naive();
    let h = household_with(db, "exited").await;
    let Saved::Ok { id, version: v } = monitoring::open_case(
        db,
        &lead(
            h,
            Category::Unstable,
            vec![Risk::UnstableWork],
            today - Days::new(10),
        ),
        "t",
    )
    .await
    .unwrap() else {
        panic!()
    };
    let v = walk(db, id, v, Stage::CrossCheck, today - Days::new(9), today).await;
    let review = json!({ "step": step(id, v, Stage::VillageReview, today) });
    let before = counts(db, FOOTPRINT).await;

    // 3. Arguments that do not decode.
    let mut gzipped = 0;
    let big = serde_json::to_string(&review).unwrap().replacen(
        &format!("\"case_id\":{id}"),
        "\"case_id\":9223372036854775808",
        1,
    );
    let undecodable: Vec<(&str, String, bool)> = vec![
        ("/api/household", "id=abc".into(), true),
        ("/api/search", "q=%E5%BC%A0&page=abc".into(), true),
        (
            "/api/staff/case_step",
            with(review.clone(), &["step", "done_on"], json!("2023-02-30")).to_string(),
            false,
        ),
        (
            "/api/staff/case_step",
            with(review.clone(), &["step", "notice_days"], json!("三百")).to_string(),
            false,
        ),
        ("/api/staff/case_step", big, false),
        ("/api/staff/case_step", "{\"step\": {".into(), false),
        ("/api/staff/case_step", "{\"step\": {}}".into(), false),
        (
            "/api/staff/monitoring_desk",
            json!({ "filter": { "category": "nope" } }).to_string(),
            false,
        ),
        (
            "/api/staff/case_plan",
            json!({ "plan": { "case_id": id, "category": "industry",
            "member_id": null, "name": "养殖", "due_on": "+10000-01-01x" } })
            .to_string(),
            false,
        ),
    ];
    for (path, body, form) in undecodable {
        if refused(&app, post(path, body, form, &admin), "bad_arguments").await {
            gzipped += 1;
        }
    }
    assert!(gzipped > 0, "no refusal went through the compression");

    // 4. What the schema refuses, refused first by the rules, with the field and its message.
    let long = "理".repeat(700);
    let no = |note: &str| {
        let r = with(review.clone(), &["step", "approved"], json!(false));
        with(r, &["step", "note"], json!(note))
    };
    refused(
        &app,
        post("/api/staff/case_step", no(&long).to_string(), false, &admin),
        "text_length",
    )
    .await;
    refused(
        &app,
        post(
            "/api/staff/case_step",
            no("\u{0}").to_string(),
            false,
            &admin,
        ),
        "control_chars",
    )
    .await;
    let other = household_with(db, "poor").await;
    let nul_lead = lead(other, Category::Sudden, vec![Risk::Disaster], today);
    let nul_lead = LeadInput {
        description: "\u{0}".into(),
        ..nul_lead
    };
    refused(
        &app,
        post(
            "/api/staff/open_case",
            json!({ "lead": nul_lead }).to_string(),
            false,
            &admin,
        ),
        "control_chars",
    )
    .await;
    let measure = json!({ "measure": { "household_id": h, "member_id": null, "category": "industry",
        "name": "\u{0}", "given_on": today, "amount": 0, "agency": "" } });
    refused(
        &app,
        post(
            "/api/staff/record_measure",
            measure.to_string(),
            false,
            &admin,
        ),
        "control_chars",
    )
    .await;
    let enrolment = json!({ "entry": { "household_id": h, "member_id": null, "kind": "dibao",
        "start_on": today, "monthly_amount": 300, "lump_sum": 0, "agency": "\u{0}" } });
    refused(
        &app,
        post(
            "/api/staff/add_assistance",
            enrolment.to_string(),
            false,
            &admin,
        ),
        "control_chars",
    )
    .await;
    assert_eq!(
        counts(db, FOOTPRINT).await,
        before,
        "a refusal wrote something"
    );

    // A monitored case's plan: a NUL name, and due dates past any plan.
    let (mon, mv) = match monitoring::open_case(
        db,
        &lead(
            other,
            Category::Sudden,
            vec![Risk::Disaster],
            today - Days::new(30),
        ),
        "t",
    )
    .await
    .unwrap()
    {
        Saved::Ok { id, version } => (id, version),
        x => panic!("{x:?}"),
    };
    walk(db, mon, mv, Stage::Monitored, today - Days::new(29), today).await;
    let before_plan = counts(db, FOOTPRINT).await;
    let plan = |name: &str, due: &str| {
        json!({ "plan": { "case_id": mon, "category": "industry", "member_id": null,
            "name": name, "due_on": due } })
        .to_string()
    };
    let soon = (today + Days::new(30)).to_string();
    refused(
        &app,
        post("/api/staff/case_plan", plan("\u{0}", &soon), false, &admin),
        "control_chars",
    )
    .await;
    for due in ["9999-12-31", "+10000-01-01"] {
        refused(
            &app,
            post("/api/staff/case_plan", plan("养殖", due), false, &admin),
            "date_too_late",
        )
        .await;
    }
    assert_eq!(
        counts(db, FOOTPRINT).await,
        before_plan,
        "a refusal wrote something"
    );

    // The objection form: a reason of one NUL, refused beside its field.
    walk(db, id, v, Stage::Notice, today - Days::new(1), today).await;
    let notice: i64 = scalar_with(
        db,
        "SELECT MAX(notice_id) FROM notice_entry WHERE household_id = $1",
        h,
    )
    .await;
    let entry: i64 = scalar_with(
        db,
        "SELECT MAX(id) FROM notice_entry WHERE household_id = $1",
        h,
    )
    .await;
    let form = format!("entry={entry}&reason=%00&contact=&token=x&answer=1");
    refused(
        &app,
        post(&format!("/notices/{notice}/objection"), form, true, ""),
        "control_chars",
    )
    .await;
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM objection").await,
        before[5],
        "an objection was filed"
    );
}
