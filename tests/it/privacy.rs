//! Privacy of the public portal: every public page and public server function is scanned for a
//! full 18-digit ID number, an 11-digit mobile number or a bank account, on both backends.
use crate::common;

use axum::http::StatusCode;
use common::web::{app, get, post_form, send};
use fupin::{
    model::id_number,
    server::{db::Db, repo::household, seed},
    with_pool,
};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Digit runs that would be personal data: 11 digits (a mobile phone), 15 or more (an ID number
/// or a bank account). 12-digit division codes and years are public. An 18-digit ID may end in X.
fn leaks(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i < bytes.len() && matches!(bytes[i], b'X' | b'x') && i - start == 17 {
                i += 1;
            }
            let run = &text[start..i];
            if run.len() == 11 || run.len() >= 15 {
                found.push(run.to_string());
            }
        } else {
            i += 1;
        }
    }
    found
}

#[test]
fn the_scanner_finds_what_it_must() {
    assert_eq!(leaks("tel 13812345678."), ["13812345678"]);
    assert_eq!(leaks("id 43058119310203901X!"), ["43058119310203901X"]);
    assert_eq!(
        leaks("430581********901X 138****5678 430581104201 2017"),
        Vec::<String>::new()
    );
    assert_eq!(leaks("6217000011112222333"), ["6217000011112222333"]);
}

async fn scan(db: &Db) {
    seed::seed(db, 400, &mut |_, _| {}).await.expect("seed");
    let village: String = with_pool!(db, |p| sqlx::query_scalar(
        "SELECT code FROM region WHERE level = 'village' ORDER BY code LIMIT 1"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let head_id = id_number::build("430581", common::d("1931-02-03"), 901);
    let spouse_id = id_number::build("430581", common::d("1932-04-05"), 902);
    let mut h = common::new_household(&village, &head_id, &spouse_id);
    h.members[0].name = "隐私甲".into();
    h.members[1].health = Health::Serious;
    h.members[1].disability_cert = Some(format!("{spouse_id}42"));
    let id = household::create(db, &h).await.expect("create");
    let app = app(db.clone());

    // The household on a running exit notice, with an objection whose words and contact carry
    // a phone number; a published work update about its village.
    use fupin::{
        model::{codes::*, transparency::*},
        server::repo::{notices, objections, updates},
    };
    let today = chrono::Utc::now().date_naive();
    let notice = common::proposed(
        notices::propose(
            db,
            &ProposeForm {
                kind: NoticeKind::Exit,
                households: vec![ProposedHousehold {
                    household_id: id,
                    reason: "收入稳定超过标准".into(),
                }],
                starts_on: Some(today),
                days: 10,
            },
            "t",
        )
        .await
        .unwrap(),
    )[0];
    let entry: i64 = with_pool!(db, |p| sqlx::query_scalar(
        "SELECT id FROM notice_entry WHERE notice_id = $1"
    )
    .bind(notice)
    .fetch_one(p)
    .await)
    .unwrap();
    let filed = objections::file_objection(
        db,
        notice,
        entry,
        "请打13912345678核实",
        Some("13912345678"),
        "k",
        "c",
        today,
    )
    .await
    .unwrap();
    let objections::Filed::Ok(objection) = filed else {
        panic!("{filed:?}")
    };
    objections::answer_objection(
        db,
        objection,
        ObjectionOutcome::Dismissed,
        "经核实，情况属实。",
        today,
        "t",
    )
    .await
    .unwrap();
    let fupin::server::repo::Saved::Ok { id: update, .. } = updates::save_update(
        db,
        &UpdateForm {
            id: None,
            version: 1,
            title: "入户核查".into(),
            body: "工作队入户核查收入情况。".into(),
            happened_on: Some(today),
            place_code: Some(village.clone()),
            measure_category: Some(MeasureCategory::Education),
        },
        "t",
    )
    .await
    .unwrap() else {
        panic!("update")
    };
    updates::set_update_state(db, update, 1, UpdateState::Published, "t")
        .await
        .unwrap();
    let township = format!("{}000", &village[..9]);

    // Monitoring: demo cases (their notices published, one objected to) and ordinary households.
    seed::demo_monitoring(db).await.expect("demo monitoring");
    // Those still public (a monitoring notice leaves 30 days after its end); the rest answer 404.
    let today = fupin::server::clock::today();
    let since =
        today - chrono::Days::new(fupin::model::transparency::CASE_NOTICE_PUBLIC_DAYS as u64);
    let (monitoring_notices, gone): (Vec<(i64, chrono::NaiveDate)>, _) =
        with_pool!(db, |p| sqlx::query_as(
            "SELECT id, ends_on FROM notice WHERE kind IN ('monitoring', 'clearing') ORDER BY id"
        )
        .fetch_all(p)
        .await)
        .unwrap()
        .into_iter()
        .partition(|(_, ends_on): &(i64, chrono::NaiveDate)| *ends_on >= since);
    let monitoring_notices: Vec<i64> = monitoring_notices.into_iter().map(|(id, _)| id).collect();
    assert!(monitoring_notices.len() >= 2, "{monitoring_notices:?}");
    assert!(
        !gone.is_empty(),
        "no monitoring notice past its public term in the demo"
    );
    for (id, _) in &gone {
        let (status, html) = send(&app, get(&format!("/notices/{id}"))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "/notices/{id} past its term");
        assert_eq!(leaks(&html), Vec::<String>::new(), "/notices/{id}");
    }
    let descriptions: Vec<String> = with_pool!(db, |p| sqlx::query_scalar(
        "SELECT DISTINCT description FROM monitoring_case"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    let ordinary: i64 = with_pool!(db, |p| sqlx::query_scalar(
        "SELECT MIN(id) FROM household WHERE status = 'ordinary'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let policy: i64 = with_pool!(db, |p| sqlx::query_scalar("SELECT MIN(id) FROM policy")
        .fetch_one(p)
        .await)
    .unwrap();
    let mut pages = vec![
        "/".to_string(),
        "/search?q=%E9%9A%90%E7%A7%81%E7%94%B2".to_string(),
        "/search?q=yinsijia".to_string(),
        "/search?q=%E7%8E%8B".to_string(),
        format!("/household/{id}"),
        format!("/village/{village}"),
        "/policies".to_string(),
        format!("/policies/{policy}"),
        "/dashboard".to_string(),
        format!("/dashboard?year=2017&township={}000", &village[..9]),
        "/updates".to_string(),
        format!("/updates/{update}"),
        format!("/updates?village={village}&q=%E6%A0%B8%E6%9F%A5"),
        "/notices".to_string(),
        format!("/notices?township={township}&all=1"),
        format!("/notices/{notice}"),
        format!("/township/{township}"),
        "/dashboard?year=2023".to_string(),
        format!("/dashboard?year=2024&township={township}"),
    ];
    pages.extend(monitoring_notices.iter().map(|n| format!("/notices/{n}")));
    for page in &pages {
        let (status, html) = send(&app, get(page)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(leaks(&html), Vec::<String>::new(), "{page}");
        // Nothing of a case but its notice's category: no lead's words, no risk type.
        for words in &descriptions {
            assert!(
                !html.contains(words.as_str()),
                "{page} shows a lead: {words}"
            );
        }
        if page.starts_with("/notices/") {
            for risk in [
                "因病",
                "因学",
                "因残",
                "因自然灾害",
                "因意外事故",
                "因务工就业不稳",
            ] {
                assert!(!html.contains(risk), "{page} names the risk {risk}");
            }
        }
        for secret in [
            "13812345678",
            "6217000011112222333",
            "重病",
            "serious",
            "残疾证",
            "13912345678",
        ] {
            assert!(!html.contains(secret), "{page} shows {secret}");
        }
    }
    let (_, html) = send(&app, get(&format!("/notices/{notice}"))).await;
    assert!(
        html.contains("隐私甲") && html.contains(&id_number::mask_id(&head_id)),
        "{html}"
    );
    assert!(html.contains("经核实"), "the answer is published");
    // The public exports (a search's list, a village's): de-identified too. The whole city is
    // not a public download (tests/it/hostile.rs).
    for path in [
        "/export/households.csv?q=%E9%9A%90%E7%A7%81%E7%94%B2".to_string(),
        format!("/export/households.csv?village={village}"),
        format!("/export/households.xlsx?village={village}"),
    ] {
        let res = app.clone().oneshot(get(&path)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let text = fupin::server::transfer::read_table(&bytes)
            .unwrap()
            .lines()
            .iter()
            .map(|(_, r)| r.join(","))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(text.contains("隐私甲"), "{path}");
        assert!(text.contains(&id_number::mask_id(&head_id)), "{path}");
        assert_eq!(leaks(&text), Vec::<String>::new(), "{path}");
        for secret in [
            "13812345678",
            "6217000011112222333",
            "重病",
            "残疾",
            "湾头桥镇测试村3组",
        ] {
            assert!(!text.contains(secret), "{path} shows {secret}");
        }
    }
    // An ordinary household has no public page, nor public record.
    assert_eq!(
        send(&app, get(&format!("/household/{ordinary}"))).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&app, post_form("/api/household", &format!("id={ordinary}")))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, html) = send(&app, get(&format!("/household/{id}"))).await;
    // The ID is there, masked as first 6 + last 4.
    assert!(html.contains(&id_number::mask_id(&head_id)), "{html}");
    assert!(html.contains("430581********"), "{html}");

    let calls = [
        ("/api/search", "q=%E9%9A%90%E7%A7%81%E7%94%B2".to_string()),
        ("/api/search", "q=ysj".to_string()),
        ("/api/household", format!("id={id}")),
        ("/api/village", format!("code={village}")),
        ("/api/policies", "category=&q=".to_string()),
        ("/api/policy", format!("id={policy}")),
        ("/api/site_stats", String::new()),
        ("/api/dashboard", "year=2017".to_string()),
        ("/api/updates", "township=&village=&q=&page=1".to_string()),
        ("/api/update", format!("id={update}")),
        ("/api/notices", "township=&village=&all=true".to_string()),
        ("/api/notice", format!("id={notice}")),
        ("/api/place_news", format!("code={village}")),
        ("/api/township", format!("code={township}")),
    ];
    for (path, form) in calls {
        let (status, json) = send(&app, post_form(path, &form)).await;
        assert_eq!(status, StatusCode::OK, "{path} {json}");
        assert_eq!(leaks(&json), Vec::<String>::new(), "{path}");
        // Fields that would carry personal data (a cause code such as "disability" in an
        // aggregate is not one).
        for field in [
            "\"id_number\":",
            "\"phone\":",
            "\"bank_name\":",
            "\"bank_account\":",
            "\"health\":",
            "\"incomes\":",
            "\"net_income\":",
            "\"per_capita\":",
            "\"disability_cert\":",
            "\"contact\":",
        ] {
            assert!(!json.contains(field), "{path} carries {field}: {json}");
        }
    }
    let (_, json) = send(&app, post_form("/api/household", &format!("id={id}"))).await;
    assert!(json.contains(&id_number::mask_id(&spouse_id)), "{json}");
}

on_both! {
    public_pages_leak_nothing_on_sqlite, public_pages_leak_nothing_on_postgres, |db| scan(db), threads = 2;
}
