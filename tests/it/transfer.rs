//! Import and export of register files, on both backends: a file mixing good rows with each kind
//! of mistake is reported row by row and cannot be imported (nothing is written); a clean file —
//! UTF-8 or GBK — imports in one go; importing it again changes nothing; an edited file updates
//! exactly what changed; a staff export re-imports as "unchanged"; the public export is
//! de-identified; the HTTP endpoints check who is asking.
use crate::common;
use crate::common::probe::{cookie_for, counts, scalar};
use axum::body::Bytes;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use common::web::{app, get, send};
use fupin::{
    model::{
        codes::*,
        id_number,
        registry::Household,
        transfer::{Col, ExportFilter, ImportProgress, ImportReport},
    },
    server::{
        db::Db,
        repo::records::Scope,
        seed,
        transfer::{
            export::{self, register_cell},
            import::{self, Outcome},
            read_table,
        },
    },
    with_pool,
};

/// A dry run of `file` that must not fail to read.
async fn dry(db: &Db, scope: &Scope, name: &str, file: &[u8]) -> ImportReport {
    import::dry_run(db, scope, name, Bytes::copy_from_slice(file))
        .await
        .unwrap()
}

/// An import of `file` by "tester" that must not fail to read.
async fn apply(db: &Db, scope: &Scope, name: &str, file: &[u8]) -> Outcome {
    import::run(
        db,
        scope,
        "tester",
        name,
        Bytes::copy_from_slice(file),
        &|_| {},
    )
    .await
    .unwrap()
}

/// What an import may touch: if none of these moved, nothing was written.
async fn footprint(db: &Db) -> Vec<i64> {
    const TABLES: [&str; 7] = [
        "SELECT COUNT(*) FROM household",
        "SELECT COUNT(*) FROM member",
        "SELECT COUNT(*) FROM household_cause",
        "SELECT COUNT(*) FROM housing",
        "SELECT COUNT(*) FROM name_token",
        "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM household",
        "SELECT CAST(COALESCE(SUM(households), 0) AS BIGINT) FROM village_stats",
    ];
    counts(db, &TABLES).await
}

async fn audit_rows(db: &Db) -> i64 {
    scalar(db, "SELECT COUNT(*) FROM audit_log").await
}

/// Two villages of one township, and a village of another township.
async fn places(db: &Db) -> (String, String, String, String) {
    let rows: Vec<(String, String)> = with_pool!(db, |p| sqlx::query_as(
        "SELECT code, parent_code FROM region WHERE level = 'village' ORDER BY code"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    let (v1, t1) = rows[0].clone();
    let v2 = rows[1].0.clone();
    assert_eq!(rows[1].1, t1);
    let other = rows.iter().find(|(_, t)| *t != t1).unwrap().0.clone();
    (t1, v1, v2, other)
}

fn id(seq: u16, birth: &str) -> String {
    id_number::build("430581", common::d(birth), seq)
}

/// The file rows of a household, made the way the export writes them.
fn rows_of(h: &Household) -> Vec<Vec<String>> {
    h.members
        .iter()
        .map(|m| {
            Col::ALL
                .iter()
                .map(|&c| match c {
                    Col::Township | Col::Village => String::new(),
                    c => register_cell(h, m, None, c, ("", "")),
                })
                .collect()
        })
        .collect()
}

fn set(row: &mut [String], col: Col, value: &str) {
    let i = Col::ALL.iter().position(|c| *c == col).unwrap();
    row[i] = value.to_string();
}

fn csv(rows: &[Vec<String>]) -> String {
    let mut out = Col::ALL
        .iter()
        .map(|c| c.zh())
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for r in rows {
        out.push_str(&r.join(","));
        out.push('\n');
    }
    out
}

fn household(village: &str, seq: u16) -> Household {
    let mut h = common::new_household(village, &id(seq, "1970-05-06"), &id(seq + 1, "1972-08-09"));
    // No commas in the address: the test writes CSV by hand.
    h.address = format!("测试村{seq}号");
    h.members[0].name = "导入甲".into();
    h.members[1].name = "导入乙".into();
    h
}

fn codes(report: &ImportReport) -> Vec<(u32, Option<Col>, String)> {
    report
        .errors
        .iter()
        .map(|e| (e.row, e.col, e.code.clone()))
        .collect()
}

async fn story(db: Db) {
    seed::seed(&db, 200, &mut |_, _| {}).await.unwrap();
    let (township, v1, v2, other) = places(&db).await;
    let scope = Scope::Villages(fupin::model::place::PlaceRange {
        from: format!("{}000", &township[..9]),
        to: format!("{}999", &township[..9]),
    });
    // A person of a seeded household (their ID belongs to that household).
    let taken: String = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT id_number FROM member WHERE active AND id_number IS NOT NULL AND relation <> 'head' ORDER BY id LIMIT 1"
    )
    .fetch_one(p)
    .await)
    .unwrap();

    // --- A file mixing good rows with every kind of mistake ---
    let good = household(&v1, 100);
    let mut rows = rows_of(&good); // rows 2, 3
    let mut bad_checksum = rows_of(&household(&v1, 110)); // rows 4, 5
    let broken = {
        let id =
            bad_checksum[0][Col::ALL.iter().position(|c| *c == Col::IdNumber).unwrap()].clone();
        let last = if id.ends_with('1') { '2' } else { '1' };
        format!("{}{last}", &id[..17])
    };
    set(&mut bad_checksum[0], Col::IdNumber, &broken);
    set(&mut bad_checksum[0], Col::HeadId, &broken);
    set(&mut bad_checksum[1], Col::HeadId, &broken);
    rows.extend(bad_checksum);
    let mut unknown_cause = rows_of(&household(&v1, 120)); // rows 6, 7
    set(&mut unknown_cause[0], Col::MainCause, "懒惰");
    rows.extend(unknown_cause);
    let mut second_main = rows_of(&household(&v2, 130)); // rows 8, 9
    set(&mut second_main[1], Col::MainCause, "因学");
    rows.extend(second_main);
    let mut duplicate = rows_of(&household(&v2, 140)); // rows 10, 11
    let spouse_of_good = good.members[1].id_number.clone().unwrap();
    set(&mut duplicate[1], Col::IdNumber, &spouse_of_good);
    rows.extend(duplicate);
    rows.extend(rows_of(&household(&other, 150))); // rows 12, 13: outside the township
    let mut elsewhere = rows_of(&household(&v2, 160)); // rows 14, 15
    set(&mut elsewhere[1], Col::IdNumber, &taken);
    rows.extend(elsewhere);
    let file = csv(&rows);

    let before = footprint(&db).await;
    let audits = audit_rows(&db).await;
    let report = dry(&db, &scope, "mixed.csv", file.as_bytes()).await;
    let found = codes(&report);
    for expected in [
        (4, Some(Col::IdNumber), "id_checksum"),
        (6, Some(Col::MainCause), "unknown_value"),
        (9, Some(Col::MainCause), "household_conflict"),
        (11, Some(Col::IdNumber), "id_in_file_twice"),
        (12, Some(Col::VillageCode), "village_out_of_scope"),
        (15, Some(Col::IdNumber), "id_other_household"),
    ] {
        let e = (expected.0, expected.1, expected.2.to_string());
        assert!(found.contains(&e), "{e:?} missing from {found:#?}");
    }
    assert!(
        found.iter().all(|(row, _, _)| *row >= 4),
        "the good household has no error: {found:#?}"
    );
    assert_eq!(report.rows, 14);
    assert_eq!(report.format, "UTF-8");
    // The masked value is shown for ID cells, never the whole number.
    let e = report
        .errors
        .iter()
        .find(|e| e.code == "id_checksum")
        .unwrap();
    assert_eq!(e.value, id_number::mask_id(&broken));
    // Confirming anyway is refused, and nothing was written either time.
    let outcome = apply(&db, &scope, "mixed.csv", file.as_bytes()).await;
    assert!(
        matches!(&outcome, Outcome::Failed { reason, errors } if reason == "import_has_errors" && !errors.is_empty()),
        "{outcome:?}"
    );
    assert_eq!(footprint(&db).await, before);
    assert_eq!(audit_rows(&db).await, audits);

    // --- The good household alone, as GBK (what Chinese Excel saves) ---
    let clean = csv(&rows_of(&good));
    let (gbk, _, _) = encoding_rs::GBK.encode(&clean);
    let report = dry(&db, &scope, "good.csv", &gbk).await;
    assert_eq!(report.format, "GB18030");
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(
        (report.counts.households_new, report.counts.members_new),
        (1, 2)
    );
    assert_eq!(footprint(&db).await, before, "a dry run writes nothing");
    let seen = std::sync::Mutex::new(Vec::new());
    let outcome = import::run(
        &db,
        &scope,
        "tester",
        "good.csv",
        Bytes::copy_from_slice(&gbk),
        &|p| seen.lock().unwrap().push(p),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, Outcome::Done(c) if c.households_new == 1 && c.members_new == 2));
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .any(|p| matches!(p, ImportProgress::Writing { done: 1, total: 1 }))
    );
    let after_first = footprint(&db).await;
    assert_eq!(after_first[0], before[0] + 1);
    assert_eq!(after_first[1], before[1] + 2);
    assert_eq!(
        after_first[6],
        before[6] + 1,
        "the village summary counts it"
    );
    assert_eq!(
        audit_rows(&db).await,
        audits + 2,
        "one row for the household, one for the file"
    );
    // Found by name at once.
    let hits = fupin::server::repo::records::find(&db, &scope, "导入甲")
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);

    // --- The same file again changes nothing ---
    let report = dry(&db, &scope, "good.csv", &gbk).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(
        (
            report.counts.households_new,
            report.counts.households_updated,
            report.counts.households_unchanged,
            report.counts.members_unchanged
        ),
        (0, 0, 1, 2)
    );
    let outcome = apply(&db, &scope, "good.csv", &gbk).await;
    assert!(
        matches!(outcome, Outcome::Done(c) if c.households_unchanged == 1 && c.households_new == 0)
    );
    assert_eq!(footprint(&db).await, after_first);

    // --- An edited file updates what changed: a new phone and a new child ---
    let mut edited = good.clone();
    edited.phone = Some("13900001111".into());
    let mut child = common::member("导入丙", Relation::Child, &id(170, "2010-02-03"));
    child.education = Education::Primary;
    child.student_status = StudentStatus::Primary;
    edited.members.push(child);
    let text = csv(&rows_of(&edited));
    let report = dry(&db, &scope, "edited.csv", text.as_bytes()).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(
        (
            report.counts.households_updated,
            report.counts.members_new,
            report.counts.members_unchanged
        ),
        (1, 1, 2)
    );
    let outcome = apply(&db, &scope, "edited.csv", text.as_bytes()).await;
    assert!(matches!(outcome, Outcome::Done(c) if c.households_updated == 1));
    let now = footprint(&db).await;
    assert_eq!(now[0], after_first[0], "no household added");
    assert_eq!(now[1], after_first[1] + 1, "one member added");
    assert_eq!(
        now[5],
        after_first[5] + 1,
        "the household's version moved once"
    );

    // --- Social assistance: refused cell by cell (nothing written), then added once ---
    let household_id = scalar(
        &db,
        &format!(
            "SELECT household_id FROM member WHERE active AND id_number = '{}'",
            edited.members[0].id_number.clone().unwrap()
        ),
    )
    .await;
    let enrolments = "SELECT COUNT(*) FROM assistance";
    let held = scalar(&db, enrolments).await;
    let aid = |row: &mut Vec<String>, kind: &str, covers: &str, since: &str, amount: &str| {
        set(row, Col::Assistance, kind);
        set(row, Col::AssistanceCovers, covers);
        set(row, Col::AssistanceSince, since);
        set(row, Col::AssistanceAmount, amount);
        set(row, Col::AssistanceAgency, "武冈市民政局");
    };
    let mut wrong = rows_of(&edited); // rows 2, 3, 4
    aid(&mut wrong[0], "低保", "全户", "2023-05-01", "");
    aid(&mut wrong[1], "医保", "", "2023-05-01", "300");
    set(&mut wrong[2], Col::AssistanceCovers, "本人");
    let report = dry(&db, &scope, "aid.csv", csv(&wrong).as_bytes()).await;
    let found = codes(&report);
    for expected in [
        (2, Some(Col::AssistanceAmount), "amount_required"),
        (3, Some(Col::Assistance), "unknown_value"),
        (4, Some(Col::Assistance), "required"),
    ] {
        let e = (expected.0, expected.1, expected.2.to_string());
        assert!(found.contains(&e), "{e:?} missing from {found:#?}");
    }
    let mut conflict = rows_of(&edited); // rows 2, 3, 4
    aid(&mut conflict[0], "低保", "", "2023-05-01", "300");
    aid(&mut conflict[1], "农村低保", "全户", "2023-05-01", "320");
    let report = dry(&db, &scope, "aid.csv", csv(&conflict).as_bytes()).await;
    assert_eq!(
        codes(&report),
        [(3, Some(Col::Assistance), "household_conflict".to_string())]
    );
    let outcome = apply(&db, &scope, "aid.csv", csv(&conflict).as_bytes()).await;
    assert!(matches!(outcome, Outcome::Failed { .. }), "{outcome:?}");
    assert_eq!(scalar(&db, enrolments).await, held, "nothing written");
    // The household's 低保 on each of its adults' rows (counted once), the child's 临时救助.
    let mut given = rows_of(&edited);
    aid(&mut given[0], "低保户", "全户", "2023-05-01", "300");
    aid(&mut given[1], "农村低保", "", "2023/5/1", "300.00");
    aid(&mut given[2], "临时救助", "本人", "2024-02-01", "1500");
    let text = csv(&given);
    let report = dry(&db, &scope, "aid.csv", text.as_bytes()).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(
        (
            report.counts.households_unchanged,
            report.counts.assistance_new
        ),
        (1, 2)
    );
    let audits = audit_rows(&db).await;
    let outcome = apply(&db, &scope, "aid.csv", text.as_bytes()).await;
    assert!(
        matches!(outcome, Outcome::Done(c) if c.assistance_new == 2),
        "{outcome:?}"
    );
    assert_eq!(scalar(&db, enrolments).await, held + 2);
    assert_eq!(
        audit_rows(&db).await,
        audits + 3,
        "one row per enrolment, one for the file"
    );
    // kind, member, start, end, monthly amount, one-off sum, agency
    type Enrolment = (
        String,
        Option<String>,
        String,
        Option<String>,
        i64,
        i64,
        String,
    );
    let rows: Vec<Enrolment> = with_pool!(&db, |p| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT a.kind, m.name, CAST(a.start_on AS TEXT), CAST(a.end_on AS TEXT), \
             a.monthly_amount, a.lump_sum, a.agency FROM assistance a \
             LEFT JOIN member m ON m.id = a.member_id \
             WHERE a.household_id = {household_id} ORDER BY a.start_on"
    )))
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(
        rows,
        [
            (
                "dibao".to_string(),
                None,
                "2023-05-01".to_string(),
                None,
                300,
                0,
                "武冈市民政局".to_string()
            ),
            (
                "temporary".to_string(),
                Some("导入丙".to_string()),
                "2024-02-01".to_string(),
                Some("2024-02-01".to_string()),
                0,
                1500,
                "武冈市民政局".to_string()
            ),
        ]
    );
    // Again: nothing to add.
    let report = dry(&db, &scope, "aid.csv", text.as_bytes()).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(report.counts.assistance_new, 0);

    // --- A registered household's status is the exit procedure's, not the file's ---
    let mut exited = rows_of(&edited);
    for r in &mut exited {
        set(r, Col::Status, "已脱贫");
        set(r, Col::ExitedOn, "2016-12-01");
    }
    let report = dry(&db, &scope, "status.csv", csv(&exited).as_bytes()).await;
    assert!(
        codes(&report).contains(&(2, Some(Col::Status), "status_differs".into())),
        "{:#?}",
        report.errors
    );

    // --- A staff export of the township re-imports as unchanged, in CSV and XLSX ---
    let filter = ExportFilter {
        township: Some(township.clone()),
        ..Default::default()
    };
    let exported = export::households(&db, &scope, &filter, None, true)
        .await
        .unwrap();
    let n = exported.households.len() as u32;
    assert!(n > 2);
    assert!(
        exported
            .households
            .iter()
            .all(|h| h.village_code.starts_with(&township[..9]))
    );
    let sheet = export::register_sheet(&exported);
    let csv_bytes = export::to_csv(&sheet);
    assert!(csv_bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let xlsx_bytes = export::to_xlsx(&sheet, false).unwrap();
    assert_eq!(
        read_table(&xlsx_bytes).unwrap().lines(),
        read_table(&csv_bytes).unwrap().lines()
    );
    for bytes in [&csv_bytes, &xlsx_bytes] {
        let report = dry(&db, &scope, "export", bytes).await;
        assert!(
            report.errors.is_empty(),
            "{:#?}",
            &report.errors[..report.errors.len().min(5)]
        );
        assert_eq!(report.counts.households_unchanged, n);
        assert_eq!(
            report.counts.assistance_new, 0,
            "the enrolments are the register's"
        );
        assert_eq!(
            report.counts.households_updated + report.counts.households_new,
            0
        );
    }
    // The same export is refused to a scope that does not hold those villages.
    let elsewhere_scope = Scope::Villages(fupin::model::place::PlaceRange {
        from: other.clone(),
        to: other.clone(),
    });
    let report = dry(&db, &elsewhere_scope, "export", &csv_bytes).await;
    assert!(
        report
            .errors
            .iter()
            .all(|e| e.code == "village_out_of_scope"),
        "{:#?}",
        &report.errors[..3]
    );

    // --- The public export: one row per household, masked, no phone or address ---
    let all = export::households(
        &db,
        &Scope::All,
        &ExportFilter {
            village: Some(v1.clone()),
            ..Default::default()
        },
        None,
        false,
    )
    .await
    .unwrap();
    let public = String::from_utf8(export::to_csv(&export::public_sheet(&all))).unwrap();
    assert_eq!(public.lines().count(), all.households.len() + 1);
    assert!(public.contains("导入甲"));
    assert!(!public.contains("13900001111"));
    assert!(!public.contains(&good.members[0].id_number.clone().unwrap()));
    assert!(public.contains(&id_number::mask_id(
        good.members[0].id_number.as_deref().unwrap()
    )));
    assert!(!public.contains("测试村100号"));

    // --- An ordinary rural household (一般农户): no standard, attribute or cause; its members
    // unlisted, so no public search finds them; a cause given for one is refused ---
    let mut plain = household(&v2, 300);
    plain.members[0].name = "普通户甲".into();
    plain.members[1].name = "普通户乙".into();
    let mut rows = rows_of(&plain);
    for r in &mut rows {
        set(r, Col::Status, "一般农户");
        for c in [
            Col::Standard,
            Col::Attribute,
            Col::MainCause,
            Col::OtherCauses,
        ] {
            set(r, c, "");
        }
    }
    let mut with_cause = rows.clone();
    set(&mut with_cause[0], Col::MainCause, "因病");
    let report = import::dry_run(&db, &scope, "ordinary.csv", Bytes::from(csv(&with_cause)))
        .await
        .unwrap();
    assert!(
        report.errors.iter().any(|e| e.code == "causes_ordinary"),
        "{:#?}",
        report.errors
    );
    let outcome = import::run(
        &db,
        &scope,
        "tester",
        "ordinary.csv",
        Bytes::from(csv(&rows)),
        &|_| {},
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, Outcome::Done(c) if c.households_new == 1),
        "{outcome:?}"
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM member m JOIN household h ON h.id = m.household_id \
             WHERE h.status = 'ordinary' AND m.name LIKE '普通户%' AND NOT m.listed"
        )
        .await,
        2
    );
    let term = fupin::model::search::SearchTerm::parse("普通户甲").unwrap();
    let found = fupin::server::repo::search::search(&db, &term, 1)
        .await
        .unwrap();
    assert!(
        !format!("{:?}", found.households).contains("普通户甲"),
        "{found:?}"
    );
}

on_both! {
    import_and_export_on_sqlite, import_and_export_on_postgres, |db| story(db.clone());
}

fn upload(name: &str, body: Vec<u8>, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::post(format!("/api/staff/import?name={name}"));
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(body)).unwrap()
}

fn confirm(token: &str, cookie: &str) -> Request<Body> {
    Request::post("/api/staff/import/confirm")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(format!("token={token}")))
        .unwrap()
}

async fn wait_for_end(app: &Router, token: &str, cookie: &str) -> ImportProgress {
    for _ in 0..200 {
        let req = Request::post("/api/staff/import/progress")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(format!("token={token}")))
            .unwrap();
        let (status, body) = send(app, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let p: ImportProgress = serde_json::from_str(&body).unwrap();
        if !matches!(p, ImportProgress::Checking | ImportProgress::Writing { .. }) {
            return p;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

/// Who may upload, confirm and export, over HTTP.
#[tokio::test]
async fn the_endpoints_check_who_is_asking() {
    let t = common::sqlite().await;
    let db = t.db.clone();
    let village = common::demo_register(&db, 200).await;
    let app = app(db.clone());
    let good = csv(&rows_of(&household(&village, 200))).into_bytes();

    // Templates are public; the upload and the staff export need a session; a cadre may not import.
    let (status, body) = send(&app, get("/import/template.csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with('\u{feff}') && body.contains("户主身份证号"));
    let (status, _) = send(&app, get("/import/template.xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(&app, upload("a.csv", good.clone(), None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = send(&app, get("/staff/export/households.csv")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let cadre = cookie_for(&db, "demo-cadre").await;
    let (status, _) = send(&app, upload("a.csv", good.clone(), Some(&cadre))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A file with an error: the report lists it, and confirming is refused (nothing written).
    let staff = cookie_for(&db, "demo-village").await;
    let before = footprint(&db).await;
    let mut bad_rows = rows_of(&household(&village, 210));
    set(&mut bad_rows[1], Col::Sex, "未知");
    let (status, body) = send(
        &app,
        upload("bad.csv", csv(&bad_rows).into_bytes(), Some(&staff)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let report: ImportReport = serde_json::from_str(&body).unwrap();
    assert_eq!(
        codes(&report),
        vec![(3, Some(Col::Sex), "unknown_value".to_string())]
    );
    // A file with errors is not kept: there is no token to confirm, and a made-up one is unknown.
    assert_eq!(report.token, None);
    let (status, body) = send(&app, confirm("no-such-upload", &staff)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(footprint(&db).await, before);

    // A clean file: dry run, confirm, follow the progress to the end.
    let (status, body) = send(&app, upload("good.csv", good.clone(), Some(&staff))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let report: ImportReport = serde_json::from_str(&body).unwrap();
    assert!(report.errors.is_empty(), "{body}");
    let token = report.token.unwrap();
    // Someone else's session cannot confirm or follow it.
    let admin = cookie_for(&db, "demo-admin").await;
    let (status, _) = send(&app, confirm(&token, &admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = send(&app, confirm(&token, &staff)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let end = wait_for_end(&app, &token, &staff).await;
    assert!(
        matches!(end, ImportProgress::Done(c) if c.households_new == 1),
        "{end:?}"
    );
    let (status, _) = send(&app, confirm(&token, &staff)).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a confirmed upload runs once"
    );
    assert_eq!(footprint(&db).await[0], before[0] + 1);

    // The staff export covers the scope only and is audited.
    let audits = audit_rows(&db).await;
    let (status, body) = send(&app, get_with("/staff/export/households.csv", &staff)).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<&str> = body.lines().skip(1).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r.contains(&village)),
        "only the village's households"
    );
    assert_eq!(audit_rows(&db).await, audits + 1);
    // The public export of a search: masked IDs only.
    let (status, body) = send(
        &app,
        get("/export/households.csv?q=%E5%AF%BC%E5%85%A5%E7%94%B2"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.lines().count(), 2, "{body}");
    let full = id(200, "1970-05-06");
    assert!(
        !body.contains(&full) && body.contains(&id_number::mask_id(&full)),
        "{body}"
    );
}

fn get_with(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}
