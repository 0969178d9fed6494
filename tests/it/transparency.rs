//! Work updates and public notices on both backends: the state rules (no identification or exit
//! is finalised while its notice runs or while an objection on it is unanswered; an upheld
//! objection withdraws the household), the objection guard (question, one use, limit per
//! address, only while the notice runs), the updates' life (draft, publish, stale edits refused,
//! history) — and over HTTP, who may do what and what the public sees.
use crate::common;
use crate::common::probe::scalar_with;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use chrono::{Days, NaiveDate};
use common::web::{app, get, post_form, send};
use fupin::{
    model::{codes::*, transparency::*},
    server::{
        auth, challenge,
        db::Db,
        repo::{
            household::{self, Saved},
            notices, objections,
            objections::Filed,
            records, updates,
        },
        seed,
    },
    with_pool,
};

async fn exec(db: &Db, sql: &str, a: NaiveDate, b: NaiveDate, id: i64) {
    with_pool!(db, |p| sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(a)
        .bind(b)
        .bind(id)
        .execute(p)
        .await
        .map(|_| ()))
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Moves notice `id` so that it ran from `days_ago` days ago for ten days: time passing.
async fn age_notice(db: &Db, id: i64, days_ago: u64) {
    let today = chrono::Utc::now().date_naive();
    let start = today - Days::new(days_ago);
    exec(
        db,
        "UPDATE notice SET starts_on = $1, ends_on = $2 WHERE id = $3",
        start,
        notice_end(start, 10),
        id,
    )
    .await;
}

/// Two poor households of one village (the village with the most), and a third.
async fn households(db: &Db) -> (i64, i64, i64) {
    let ids: Vec<i64> = with_pool!(db, |p| sqlx::query_scalar(
        "SELECT id FROM household WHERE status = 'poor' AND village_code = \
         (SELECT village_code FROM household WHERE status = 'poor' GROUP BY village_code \
          ORDER BY COUNT(*) DESC, village_code LIMIT 1) ORDER BY id LIMIT 2"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(ids.len(), 2, "two poor households in one village");
    let third = scalar_with(
        db,
        "SELECT MAX(id) FROM household WHERE status = 'poor' AND id <> $1",
        ids[0].max(ids[1]),
    )
    .await;
    (ids[0], ids[1], third)
}

fn exit_form(ids: &[i64], today: NaiveDate) -> ProposeForm {
    ProposeForm {
        kind: NoticeKind::Exit,
        households: ids
            .iter()
            .map(|&household_id| ProposedHousehold {
                household_id,
                reason: "人均纯收入稳定超过当年标准".into(),
            })
            .collect(),
        starts_on: Some(today),
        days: 10,
    }
}

async fn exit(db: &Db, id: i64) -> Saved {
    let h = household::get(db, id).await.unwrap().unwrap();
    let on = NaiveDate::from_ymd_opt(2020, 6, 1).unwrap();
    records::set_status(db, id, h.version, Status::Exited, on, "t")
        .await
        .unwrap()
}

fn refused(s: Saved, code: &str) {
    match s {
        Saved::Rejected { code: c, .. } if c == code => {}
        other => panic!("expected {code}, got {other:?}"),
    }
}

async fn notice_rules(db: Db) {
    seed::seed(&db, 2000, &mut |_, _| {}).await.expect("seed");
    let today = chrono::Utc::now().date_naive();
    let (a, b, c) = households(&db).await;
    common::exit_ready(&db, a, 2020).await;
    common::exit_ready(&db, b, 2020).await;

    // Never proposed: an exit is refused however ready the household is.
    refused(exit(&db, a).await, "notice_missing");

    // Proposed together: one notice for their village, two entries, audited.
    let audit_before = scalar_with(&db, "SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0).await;
    let ids = common::proposed(
        notices::propose(&db, &exit_form(&[a, b], today), "clerk")
            .await
            .unwrap(),
    );
    assert_eq!(ids.len(), 1, "one village, one notice");
    let notice = ids[0];
    assert_eq!(
        scalar_with(
            &db,
            "SELECT COUNT(*) FROM notice_entry WHERE notice_id = $1",
            notice
        )
        .await,
        2
    );
    assert_eq!(
        scalar_with(&db, "SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0).await,
        audit_before + 3,
        "two households and the notice"
    );
    // Not twice at once.
    assert_eq!(
        notices::propose(&db, &exit_form(&[a], today), "clerk")
            .await
            .unwrap(),
        notices::Proposed::Refused {
            field: "households.0".to_string(),
            code: "notice_pending"
        }
    );

    // While the notice runs: refused, nothing moves (the version bump is rolled back too).
    let version = household::get(&db, a).await.unwrap().unwrap().version;
    refused(exit(&db, a).await, "notice_running");
    let h = household::get(&db, a).await.unwrap().unwrap();
    assert_eq!((h.status, h.version), (Status::Poor, version));

    // The public objects to both; the guard: one use per answered question, five per hour and
    // address, only while the notice runs.
    let entries: Vec<i64> = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT id FROM notice_entry WHERE notice_id = $1 ORDER BY household_id"
    )
    .bind(notice)
    .fetch_all(p)
    .await)
    .unwrap();
    let (ea, eb) = (entries[0], entries[1]);
    let file = |entry: i64, key: &'static str, token: String, day: NaiveDate| {
        let db = db.clone();
        async move {
            objections::file_objection(
                &db,
                notice,
                entry,
                "他家有子女在外务工，收入已核实吗？",
                Some("138 0000 1111"),
                key,
                &token,
                day,
            )
            .await
            .unwrap()
        }
    };
    let Filed::Ok(on_a) = file(ea, "addr-1", "t1".into(), today).await else {
        panic!("filed")
    };
    assert_eq!(
        file(ea, "addr-1", "t1".into(), today).await,
        Filed::Replayed
    );
    assert_eq!(
        file(ea, "addr-2", "t2".into(), notice_end(today, 11)).await,
        Filed::Closed
    );
    assert_eq!(
        file(999_999, "addr-2", "t3".into(), today).await,
        Filed::UnknownEntry
    );
    let Filed::Ok(on_b) = file(eb, "addr-2", "t4".into(), today).await else {
        panic!("filed")
    };
    for i in 0..4 {
        assert!(matches!(
            file(eb, "addr-1", format!("x{i}"), today).await,
            Filed::Ok(_)
        ));
    }
    assert_eq!(
        file(eb, "addr-1", "x9".into(), today).await,
        Filed::Throttled
    );

    // The notice is over (ten days have passed), but objections wait for their answers.
    age_notice(&db, notice, 11).await;
    refused(exit(&db, a).await, "objection_open");
    assert_eq!(
        notices::waiting(&db, &None, today)
            .await
            .unwrap()
            .open_objections,
        6
    );

    // Answered (not founded): once only, and the answer is public.
    assert!(
        objections::answer_objection(
            &db,
            on_a,
            ObjectionOutcome::Dismissed,
            "经村委会和工作队核实，该户子女务工收入已计入。",
            today,
            "clerk"
        )
        .await
        .unwrap()
    );
    assert!(
        !objections::answer_objection(
            &db,
            on_a,
            ObjectionOutcome::Upheld,
            "再次答复",
            today,
            "clerk"
        )
        .await
        .unwrap()
    );
    let public = notices::public_notice(&db, notice, today)
        .await
        .unwrap()
        .unwrap();
    let answered = public.objections.iter().find(|o| o.id == on_a).unwrap();
    assert_eq!(answered.outcome, Some(ObjectionOutcome::Dismissed));
    assert!(answered.answer.as_deref().unwrap().contains("已计入"));
    for e in &public.entries {
        assert!(
            e.id_masked.contains('*') && e.id_masked.len() == 18,
            "{}",
            e.id_masked
        );
    }

    // Household a: every objection answered, notice over → the exit goes through, and its
    // entry is finalised in the same transaction.
    assert!(matches!(exit(&db, a).await, Saved::Ok { .. }));
    assert_eq!(
        household::get(&db, a).await.unwrap().unwrap().status,
        Status::Exited
    );
    assert_eq!(
        scalar_with(
            &db,
            "SELECT COUNT(*) FROM notice_entry WHERE id = $1 AND state = 'finalised'",
            ea
        )
        .await,
        1
    );

    // Household b: one objection upheld → withdrawn; the others answered; no exit without a new
    // notice.
    let open_b: Vec<i64> = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT id FROM objection WHERE entry_id = $1 ORDER BY id"
    )
    .bind(eb)
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(open_b[0], on_b);
    objections::answer_objection(
        &db,
        on_b,
        ObjectionOutcome::Upheld,
        "核实属实，暂缓退出。",
        today,
        "clerk",
    )
    .await
    .unwrap();
    for o in &open_b[1..] {
        objections::answer_objection(
            &db,
            *o,
            ObjectionOutcome::Dismissed,
            "同上。",
            today,
            "clerk",
        )
        .await
        .unwrap();
    }
    assert_eq!(
        scalar_with(
            &db,
            "SELECT COUNT(*) FROM notice_entry WHERE id = $1 AND state = 'withdrawn'",
            eb
        )
        .await,
        1
    );
    refused(exit(&db, b).await, "notice_missing");

    // Identification follows the same rule.
    let mut f = exit_form(&[c], today);
    f.kind = NoticeKind::Identification;
    let idn = common::proposed(notices::propose(&db, &f, "clerk").await.unwrap())[0];
    let ends = notice_end(today, 10);
    assert_eq!(
        notices::finalise_identification(&db, c, ends, "clerk")
            .await
            .unwrap(),
        notices::Gate::Shut("notice_running")
    );
    let entry_c = scalar_with(&db, "SELECT id FROM notice_entry WHERE notice_id = $1", idn).await;
    let info = notices::entry_info(&db, entry_c).await.unwrap().unwrap();
    assert_eq!(
        (info.kind, info.state, info.household_id),
        (NoticeKind::Identification, EntryState::Proposed, c)
    );
    assert_eq!(
        notices::finalise_identification(&db, c, ends + Days::new(1), "clerk")
            .await
            .unwrap(),
        notices::Gate::Open(entry_c)
    );
    assert_eq!(
        notices::finalise_identification(&db, c, ends + Days::new(1), "clerk")
            .await
            .unwrap(),
        notices::Gate::Shut("notice_missing"),
        "once"
    );

    // The audit trail holds it all.
    for action in [
        "propose",
        "create_notice",
        "file_objection",
        "answer_objection",
        "set_status",
        "finalise_identification",
    ] {
        let n: i64 = with_pool!(&db, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = $1"
        )
        .bind(action)
        .fetch_one(p)
        .await)
        .unwrap();
        assert!(n > 0, "audit {action}");
    }
}

async fn update_life(db: Db) {
    seed::seed(&db, 300, &mut |_, _| {}).await.expect("seed");
    let today = chrono::Utc::now().date_naive();
    let village: String = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT code FROM region WHERE level = 'village' ORDER BY code LIMIT 1"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let form = UpdateForm {
        id: None,
        version: 1,
        title: "产业帮扶现场会".into(),
        body: "召开油茶产业帮扶现场会，落实到户产业资金。".into(),
        happened_on: Some(today),
        place_code: Some(village.clone()),
        measure_category: Some(MeasureCategory::Industry),
    };
    let Saved::Ok { id, version: 1 } = updates::save_update(&db, &form, "clerk").await.unwrap()
    else {
        panic!("saved")
    };
    let everywhere = updates::public_updates(&db, &None, "", 1, 20)
        .await
        .unwrap();
    assert!(
        everywhere.items.iter().all(|u| u.id != id),
        "a draft is not public"
    );
    let Saved::Ok { version: 2, .. } =
        updates::set_update_state(&db, id, 1, UpdateState::Published, "clerk")
            .await
            .unwrap()
    else {
        panic!("published")
    };
    let here = updates::public_updates(
        &db,
        &fupin::model::place::PlaceCode::parse(&village).map(|c| c.range()),
        "油茶",
        1,
        20,
    )
    .await
    .unwrap();
    assert_eq!(here.items.len(), 1);
    let item = &here.items[0];
    assert_eq!(item.id, id);
    let m = item.measures.as_ref().expect("measures in aggregate");
    assert_eq!(m.category, MeasureCategory::Industry);
    let township = format!("{}000", &village[..9]);
    assert!(m.href.contains(&township));
    // The township's page sees it; another text does not.
    assert_eq!(
        updates::public_updates(
            &db,
            &fupin::model::place::PlaceCode::parse(&township).map(|c| c.range()),
            "",
            1,
            20
        )
        .await
        .unwrap()
        .total,
        1
    );
    assert_eq!(
        updates::public_updates(&db, &None, "没有这个词", 1, 20)
            .await
            .unwrap()
            .total,
        0
    );
    // An edit from the old version is refused; from the current one it goes through and the
    // history keeps both texts.
    let mut edit = form.clone();
    edit.id = Some(id);
    edit.version = 1;
    edit.body = "改过的正文".into();
    assert_eq!(
        updates::save_update(&db, &edit, "other").await.unwrap(),
        Saved::Stale {
            current_version: 2,
            by: None
        }
    );
    edit.version = 2;
    assert_eq!(
        updates::save_update(&db, &edit, "other").await.unwrap(),
        Saved::Ok { id, version: 3 }
    );
    let revs = updates::revisions(&db, id).await.unwrap();
    assert_eq!(revs.len(), 2);
    assert_eq!(revs[0].body, "改过的正文");
    assert!(
        updates::public_update(&db, id)
            .await
            .unwrap()
            .unwrap()
            .edited
    );
    // Unpublished: gone from the public.
    updates::set_update_state(&db, id, 3, UpdateState::Unpublished, "clerk")
        .await
        .unwrap();
    assert!(updates::public_update(&db, id).await.unwrap().is_none());
}

on_both! {
    notices_hold_finalisation_on_sqlite, notices_hold_finalisation_on_postgres, |db| notice_rules(db.clone());
}

on_both! {
    updates_live_and_keep_history_on_sqlite, updates_live_and_keep_history_on_postgres, |db| update_life(db.clone());
}

// ---- over HTTP ----

async fn cookie_for(db: &Db, user: &str) -> String {
    let (_, token) = auth::login(db, user, seed::DEMO_PASSWORD, "test")
        .await
        .expect("login");
    format!("{}={token}", auth::COOKIE)
}

fn with_cookie(mut req: Request<Body>, cookie: Option<&str>) -> Request<Body> {
    if let Some(c) = cookie {
        req.headers_mut().insert(header::COOKIE, c.parse().unwrap());
    }
    req
}

fn post_json(uri: &str, body: serde_json::Value, cookie: Option<&str>) -> Request<Body> {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    with_cookie(req, cookie)
}

#[tokio::test]
async fn the_public_objects_and_staff_answer_over_http() {
    let t = common::sqlite().await;
    let db = t.db.clone();
    let village = common::demo_register(&db, 3000).await;
    let app = app(db.clone());
    let mine: Vec<i64> = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT id FROM household WHERE village_code = $1 AND status <> 'exited' ORDER BY id LIMIT 2"
    )
    .bind(&village)
    .fetch_all(p)
    .await)
    .unwrap();
    let elsewhere: i64 = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT id FROM household WHERE substr(village_code, 1, 9) <> substr($1, 1, 9) \
         AND status <> 'exited' ORDER BY id LIMIT 1"
    )
    .bind(&village)
    .fetch_one(p)
    .await)
    .unwrap();
    let today = chrono::Utc::now().date_naive();
    let propose = |ids: &[i64]| serde_json::json!({ "form": exit_form(ids, today) });

    // Every staff function of this part asks who is calling: 401 without a session, 403 for a
    // helper cadre (who sees nothing waiting), and nothing is written.
    let update = serde_json::json!({ "form": UpdateForm {
        title: "标题".into(), body: "正文".into(), happened_on: Some(today),
        place_code: Some(village.clone()), ..UpdateForm::default() } });
    let calls: Vec<(&str, Option<serde_json::Value>, String)> = vec![
        ("/api/staff/update_desk", None, String::new()),
        (
            "/api/staff/save_update",
            Some(update.clone()),
            String::new(),
        ),
        (
            "/api/staff/update_state",
            None,
            "id=1&version=1&state=published".into(),
        ),
        ("/api/staff/update_history", None, "id=1".into()),
        ("/api/staff/notice_desk", None, String::new()),
        ("/api/staff/propose", Some(propose(&mine)), String::new()),
        ("/api/staff/finalise", None, "entry=1&on=2020-01-01".into()),
        ("/api/staff/withdraw", None, "entry=1".into()),
        (
            "/api/staff/answer_objection",
            None,
            "id=1&outcome=dismissed&answer=x".into(),
        ),
        ("/api/staff/notice_days", None, "year=2026&days=12".into()),
        ("/api/staff/waiting", None, String::new()),
    ];
    let cadre = cookie_for(&db, "demo-cadre").await;
    let audit = "SELECT COUNT(*) FROM audit_log WHERE $1 = $1";
    let before = scalar_with(&db, audit, 0).await;
    for (path, json, form) in &calls {
        for (who, expect) in [
            (None, StatusCode::UNAUTHORIZED),
            (Some(cadre.as_str()), StatusCode::FORBIDDEN),
        ] {
            let req = match json {
                Some(j) => post_json(path, j.clone(), who),
                None => with_cookie(post_form(path, form), who),
            };
            let (s, body) = send(&app, req).await;
            let expect = if *path == "/api/staff/waiting" && who.is_some() {
                StatusCode::OK
            } else {
                expect
            };
            assert_eq!(s, expect, "{path} as {who:?}: {body}");
        }
    }
    assert_eq!(
        scalar_with(&db, audit, 0).await,
        before,
        "refusals leave no trace"
    );
    // Places follow the role: a village clerk may not write for the whole city, nor set the
    // notice length; city staff may.
    let clerk = cookie_for(&db, "demo-village").await;
    let mut city_wide = update.clone();
    city_wide["form"]["place_code"] = serde_json::Value::Null;
    let (s, _) = send(
        &app,
        post_json("/api/staff/save_update", city_wide.clone(), Some(&clerk)),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = send(
        &app,
        with_cookie(
            post_form("/api/staff/notice_days", "year=2026&days=12"),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let admin = cookie_for(&db, "demo-admin").await;
    let (s, body) = send(
        &app,
        post_json("/api/staff/save_update", city_wide, Some(&admin)),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, _) = send(
        &app,
        with_cookie(
            post_form("/api/staff/notice_days", "year=2026&days=9"),
            Some(&admin),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // Who may propose: nobody without a session, not a helper cadre, not outside the scope.
    let (s, _) = send(&app, post_json("/api/staff/propose", propose(&mine), None)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let cadre = cookie_for(&db, "demo-cadre").await;
    let (s, _) = send(
        &app,
        post_json("/api/staff/propose", propose(&mine), Some(&cadre)),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let clerk = cookie_for(&db, "demo-village").await;
    let (s, body) = send(
        &app,
        post_json("/api/staff/propose", propose(&[elsewhere]), Some(&clerk)),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("notice_household_unknown"), "{body}");
    // Too short a notice is refused with its field, as the form says.
    let mut short = exit_form(&mine, today);
    short.days = 7;
    let (s, body) = send(
        &app,
        post_json(
            "/api/staff/propose",
            serde_json::json!({ "form": short }),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        body.contains(r#""field":"days""#) && body.contains("notice_too_short"),
        "{body}"
    );
    assert_eq!(
        scalar_with(&db, "SELECT COUNT(*) FROM notice WHERE $1 = $1", 0).await,
        0
    );

    let (s, body) = send(
        &app,
        post_json("/api/staff/propose", propose(&mine), Some(&clerk)),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let notice: i64 = serde_json::from_str::<Vec<i64>>(&body).unwrap()[0];

    // The public page: masked IDs, no phone, and a question.
    let (s, page) = send(&app, get(&format!("/notices/{notice}"))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("objection-form") && page.contains("********"),
        "form and masks"
    );
    let (_, json) = send(&app, post_form("/api/notice", &format!("id={notice}"))).await;
    let n: PublicNotice = serde_json::from_str(&json).unwrap();
    let c = n.challenge.expect("a question while it runs");
    let entry = n.entries[0].id;

    // A wrong answer: back to the form with the reason (no JavaScript), or 400 for an API.
    let form = |answer: i64, token: &str| {
        format!(
            "entry={entry}&reason=%E6%94%B6%E5%85%A5%E4%B8%8D%E5%AE%9E&contact=&token={token}&answer={answer}"
        )
    };
    let (s, _) = send(
        &app,
        post_form(
            &format!("/notices/{notice}/objection"),
            &form(c.a + c.b + 1, &c.token),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let res = tower::ServiceExt::oneshot(
        app.clone(),
        post_form(
            &format!("/notices/{notice}/objection"),
            &form(c.a + c.b + 1, &c.token),
        ),
    )
    .await
    .unwrap();
    let location = res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        location.contains("error=answer_wrong") && location.contains("field=answer"),
        "{location}"
    );
    let (_, back) = send(&app, get(&location)).await;
    assert!(back.contains("答案不对"), "the message beside the field");
    let mut api = post_form(
        &format!("/notices/{notice}/objection"),
        "entry=&reason=&token=&answer=",
    );
    api.headers_mut()
        .insert(header::ACCEPT, "application/json".parse().unwrap());
    let (s, body) = send(&app, api).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.contains(r#""field":"entry""#), "{body}");
    assert_eq!(
        scalar_with(&db, "SELECT COUNT(*) FROM objection WHERE $1 = $1", 0).await,
        0
    );

    // The right answer files it; the same answer again does not.
    let (s, _) = send(
        &app,
        post_form(
            &format!("/notices/{notice}/objection"),
            &form(c.a + c.b, &c.token),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        scalar_with(&db, "SELECT COUNT(*) FROM objection WHERE $1 = $1", 0).await,
        1
    );
    let res = tower::ServiceExt::oneshot(
        app.clone(),
        post_form(
            &format!("/notices/{notice}/objection"),
            &form(c.a + c.b, &c.token),
        ),
    )
    .await
    .unwrap();
    assert!(
        res.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("challenge_used")
    );
    // A question of another notice does not open this one.
    let forged = challenge::issue(&db, notice + 1, auth::now())
        .await
        .unwrap();
    let (s, _) = send(&app, {
        let mut r = post_form(
            &format!("/notices/{notice}/objection"),
            &form(forged.a + forged.b, &forged.token),
        );
        r.headers_mut()
            .insert(header::ACCEPT, "application/json".parse().unwrap());
        r
    })
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // Staff: the desk lists it with the objector's words; another township's staff cannot answer.
    let (s, desk) = send(
        &app,
        with_cookie(post_form("/api/staff/notice_desk", ""), Some(&clerk)),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let desk: serde_json::Value = serde_json::from_str(&desk).unwrap();
    let objection = desk["notices"][0]["objections"][0]["id"].as_i64().unwrap();
    assert_eq!(desk["notices"][0]["objections"][0]["reason"], "收入不实");
    let other_township: String = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT code FROM region WHERE level = 'township' AND substr(code, 1, 9) <> substr($1, 1, 9) \
         ORDER BY code LIMIT 1"
    )
    .bind(&village)
    .fetch_one(p)
    .await)
    .unwrap();
    auth::create_user(
        &db,
        "other-township",
        "别的乡镇",
        seed::DEMO_PASSWORD,
        Role::Township,
        &other_township,
        None,
    )
    .await
    .unwrap();
    let other = cookie_for(&db, "other-township").await;
    let (s, _) = send(
        &app,
        with_cookie(
            post_form(
                "/api/staff/answer_objection",
                &format!("id={objection}&outcome=dismissed&answer=ok"),
            ),
            Some(&other),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, desk) = send(
        &app,
        with_cookie(post_form("/api/staff/notice_desk", ""), Some(&other)),
    )
    .await;
    assert!(!desk.contains("收入不实"), "nor see it");
    // An answer with a phone number is not published.
    let (s, body) = send(
        &app,
        with_cookie(
            post_form(
                "/api/staff/answer_objection",
                &format!(
                    "id={objection}&outcome=dismissed&answer=%E8%AF%B7%E8%81%94%E7%B3%BB13812345678"
                ),
            ),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.contains("personal_data"), "{body}");
    // Finalising now: the notice runs.
    let (s, body) = send(
        &app,
        with_cookie(
            post_form("/api/staff/finalise", &format!("entry={entry}&on={today}")),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("exit_refused") || body.contains("notice_running"),
        "{body}"
    );
    let (s, _) = send(
        &app,
        with_cookie(
            post_form(
                "/api/staff/answer_objection",
                &format!("id={objection}&outcome=dismissed&answer=%E5%B7%B2%E6%A0%B8%E5%AE%9E"),
            ),
            Some(&clerk),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, page) = send(&app, get(&format!("/notices/{notice}"))).await;
    assert!(page.contains("已核实"), "the answer is public");
    assert!(
        !page.contains("收入不实"),
        "the objector's words stay with staff"
    );

    // The staff view of the dashboard counts what waits.
    let (_, waiting) = send(
        &app,
        with_cookie(post_form("/api/staff/waiting", ""), Some(&clerk)),
    )
    .await;
    let w: Waiting = serde_json::from_str(&waiting).unwrap();
    assert_eq!((w.running_notices, w.open_objections), (1, 0));
}
