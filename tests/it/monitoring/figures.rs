//! The demo monitoring data, the dashboard's monitoring section against direct SQL (city-wide
//! and for a township, and after a step), and the desk's case-list export by scope.
use super::*;
use crate::common::{
    probe::cookie_for,
    web::{app, get, send},
};
use axum::http::{Request, StatusCode, header};
use fupin::{
    model::codes::Code,
    server::{clock, repo::stats},
};

/// Direct SQL with one text value.
async fn count_with(db: &Db, q: &str, v: &str) -> i64 {
    scalar_with(db, q, v).await
}

/// The day of each case's approved step reaching `stage`, by case.
async fn step_days(db: &Db, stage: &str) -> Vec<(i64, NaiveDate)> {
    sql_built(format!(
        "SELECT case_id, done_on FROM case_step WHERE stage = '{stage}' AND approved"
    ))
    .fetch_all(db)
    .await
    .unwrap()
}

pub(super) async fn figures(db: &Db) {
    seed::seed(db, 3000, &mut |_, _| {}).await.expect("seed");
    seed::demo_users(db).await.expect("demo users");
    // `fupin seed` runs the register's demo notices first (their objection answers a question).
    seed::demo_transparency(db).await.expect("demo notices");
    let summary = seed::demo_monitoring(db).await.expect("demo monitoring");
    let today = clock::today();
    // The running identification notice of the demo's cases carries its visitor's objection.
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM objection o JOIN notice_entry e ON e.id = o.entry_id \
             JOIN notice n ON n.id = e.notice_id WHERE n.kind = 'monitoring'"
        )
        .await,
        1
    );

    // The demo: ordinary households with unlisted members, outside the name index; cases in
    // every stage, category, risk type and channel; some overdue, some held, some cleared and
    // monitored again.
    assert!(summary.ordinary >= 10 && summary.cases >= 60, "{summary:?}");
    assert_eq!(summary.in_flight, 14, "{summary:?}");
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM household WHERE status = 'ordinary'"
        )
        .await,
        summary.ordinary as i64
    );
    // No person of an ordinary household is listed, nor in the name index.
    for unlisted in [
        "SELECT COUNT(*) FROM member m JOIN household h ON h.id = m.household_id \
         WHERE h.status = 'ordinary' AND m.listed",
        "SELECT COUNT(*) FROM name_token t JOIN member m ON m.id = t.member_id \
         JOIN household h ON h.id = m.household_id WHERE h.status = 'ordinary'",
    ] {
        assert_eq!(scalar(db, unlisted).await, 0, "{unlisted}");
    }
    for s in Stage::ALL {
        let n = count_with(
            db,
            "SELECT COUNT(*) FROM monitoring_case WHERE stage = $1",
            s.code(),
        )
        .await;
        assert!(n > 0, "no case at {s:?}");
    }
    for c in Category::ALL {
        let q = "SELECT COUNT(*) FROM monitoring_case WHERE category = $1";
        assert!(count_with(db, q, c.code()).await > 0, "{c:?}");
    }
    for r in Risk::ALL {
        let q = "SELECT COUNT(*) FROM case_risk WHERE risk = $1";
        assert!(count_with(db, q, r.code()).await > 0, "{r:?}");
    }
    for c in Channel::ALL {
        let q = "SELECT COUNT(*) FROM monitoring_case WHERE channel = $1";
        assert!(count_with(db, q, c.code()).await > 0, "{c:?}");
    }
    assert!(
        scalar(
            db,
            "SELECT COUNT(*) FROM monitoring_case WHERE held_on IS NOT NULL"
        )
        .await
            > 0
    );
    let again = "SELECT COUNT(*) FROM monitoring_case c WHERE c.stage <> 'cleared' AND EXISTS \
         (SELECT 1 FROM monitoring_case p WHERE p.household_id = c.household_id \
         AND p.stage = 'cleared' AND p.id < c.id)";
    assert!(scalar(db, again).await > 0, "no household monitored again");
    // The in-flight notices are real notices: one objected to.
    assert!(
        scalar(
            db,
            "SELECT COUNT(*) FROM objection o JOIN notice_entry e ON e.id = o.entry_id \
             JOIN notice n ON n.id = e.notice_id WHERE n.kind = 'monitoring'"
        )
        .await
            > 0
    );
    let desk = monitoring::desk(db, &Scope::All, &DeskFilter::default(), today)
        .await
        .unwrap();
    assert!(desk.overdue >= 3, "{} overdue", desk.overdue);

    // The dashboard's section against SQL on the steps (not on the columns it reads).
    let d = stats::dashboard(db, None, None, today).await.unwrap();
    let m = &d.monitoring;
    let monitored = step_days(db, "monitored").await;
    let cleared = step_days(db, "cleared").await;
    assert_eq!(m.objects(), monitored.len() as i64);
    assert_eq!(m.cleared(), cleared.len() as i64);
    for (c, all, done) in &m.by_category {
        let q = "SELECT COUNT(*) FROM monitoring_case c WHERE c.category = $1 AND EXISTS \
             (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.stage = 'monitored' AND s.approved)";
        assert_eq!(*all, count_with(db, q, c.code()).await, "{c:?}");
        let q = "SELECT COUNT(*) FROM monitoring_case c WHERE c.category = $1 AND EXISTS \
             (SELECT 1 FROM case_step s WHERE s.case_id = c.id AND s.stage = 'cleared' AND s.approved)";
        assert_eq!(*done, count_with(db, q, c.code()).await, "{c:?}");
    }
    assert_eq!(m.by_risk.iter().map(|r| r.1).sum::<i64>(), m.objects());
    for (r, n) in &m.by_risk {
        let q = "SELECT COUNT(*) FROM case_risk r WHERE r.rank = 1 AND r.risk = $1 AND EXISTS \
             (SELECT 1 FROM case_step s WHERE s.case_id = r.case_id AND s.stage = 'monitored' AND s.approved)";
        assert_eq!(*n, count_with(db, q, r.code()).await, "{r:?}");
    }
    assert_eq!(m.by_stage.len(), Stage::ALL.len() - 2, "{:?}", m.by_stage);
    for (s, n) in &m.by_stage {
        let q = "SELECT COUNT(*) FROM monitoring_case WHERE stage = $1";
        assert_eq!(*n, count_with(db, q, s.code()).await, "{s:?}");
    }
    assert_eq!(m.overdue, desk.overdue);
    let first = monitored.iter().map(|(_, d)| d.year()).min().unwrap();
    assert_eq!(m.years.first().map(|y| y.year), Some(first));
    assert_eq!(m.years.last().map(|y| y.year), Some(today.year()));
    for y in &m.years {
        let in_year = |d: &NaiveDate| d.year() == y.year;
        assert_eq!(
            y.new,
            monitored.iter().filter(|(_, d)| in_year(d)).count() as i64
        );
        assert_eq!(
            y.cleared,
            cleared.iter().filter(|(_, d)| in_year(d)).count() as i64
        );
        let end = NaiveDate::from_ymd_opt(y.year, 12, 31).unwrap();
        let still = monitored
            .iter()
            .filter(|(c, d)| *d <= end && !cleared.iter().any(|(k, on)| k == c && *on <= end))
            .count() as i64;
        assert_eq!(y.monitored, still, "{}", y.year);
    }
    // Social assistance running today among register households: households and persons per
    // kind, counted here from the enrolments and the members (a whole household's enrolment
    // counts its active members).
    let running: Vec<(String, i64, Option<i64>)> = sql_built(
        "SELECT a.kind, a.household_id, a.member_id FROM assistance a \
         JOIN household h ON h.id = a.household_id WHERE h.status <> 'ordinary' \
         AND a.start_on <= $1 AND (a.end_on IS NULL OR a.end_on >= $1)"
            .into(),
    )
    .bind(today)
    .fetch_all(db)
    .await
    .unwrap();
    let members: Vec<(i64, i64)> =
        sql_built("SELECT id, household_id FROM member WHERE active".into())
            .fetch_all(db)
            .await
            .unwrap();
    assert!(!m.assistance.is_empty());
    for (kind, households, persons) in &m.assistance {
        let mine: Vec<_> = running.iter().filter(|r| r.0 == kind.code()).collect();
        let hh: std::collections::BTreeSet<i64> = mine.iter().map(|r| r.1).collect();
        let people: std::collections::BTreeSet<i64> = members
            .iter()
            .filter(|(id, h)| {
                mine.iter()
                    .any(|r| r.1 == *h && r.2.is_none_or(|m| m == *id))
            })
            .map(|(id, _)| *id)
            .collect();
        assert_eq!(
            (*households, *persons),
            (hh.len() as i64, people.len() as i64),
            "{kind:?}"
        );
    }
    // The picker offers the monitoring years beside the target years.
    assert!(d.years.contains(&2021) && d.years.contains(&2014));

    // Every case carries its household's village (written by the database on every insert: the
    // bulk seed's and the case form's), which the desk's scope and these sums read.
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM monitoring_case c JOIN household h ON h.id = c.household_id \
             WHERE c.village_code <> h.village_code"
        )
        .await,
        0
    );
    assert!(scalar(db, "SELECT COUNT(*) FROM monitoring_case").await > 0);

    // One township: the same sums over its villages only.
    let village: String = scalar_text(db, "SELECT MIN(village_code) FROM household").await;
    let township = format!("{}000", &village[..9]);
    let t = stats::dashboard(db, None, Some(&township), today)
        .await
        .unwrap();
    let q = format!(
        "SELECT COUNT(*) FROM monitoring_case c JOIN household h ON h.id = c.household_id \
         WHERE h.village_code BETWEEN '{0}000' AND '{0}999' AND c.stage NOT IN ('cleared', 'closed')",
        &village[..9]
    );
    assert_eq!(
        t.monitoring.by_stage.iter().map(|s| s.1).sum::<i64>(),
        scalar(db, &q).await
    );
    assert!(t.monitoring.objects() < m.objects());

    // A county decision moves the figures at once (the kept figures follow the generation).
    let (case, v): (i64, i64) = sql_built(
        "SELECT id, version FROM monitoring_case WHERE stage = 'township_review' \
         AND due_on >= $1 ORDER BY id LIMIT 1"
            .into(),
    )
    .bind(today)
    .fetch_one(db)
    .await
    .unwrap();
    let decided = monitoring::step(
        db,
        &step(case, v, Stage::Monitored, today),
        Role::CityAdmin,
        "t",
        today,
    )
    .await
    .unwrap();
    version(decided);
    let after = stats::dashboard(db, None, None, today)
        .await
        .unwrap()
        .monitoring;
    assert_eq!(after.objects(), m.objects() + 1);
    assert_eq!(
        after.years.last().unwrap().new,
        m.years.last().unwrap().new + 1
    );

    // The case list's export: signed-in staff only, in their scope, every case, audited.
    let app = app(db.clone());
    let (status, body) = send(&app, get("/staff/export/cases.csv")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("请先登录"), "{body}");
    let village_staff = cookie_for(db, "demo-village").await;
    let with = |uri: &str| {
        Request::get(uri)
            .header(header::COOKIE, &village_staff)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let (status, body) = send(&app, with("/staff/export/cases.csv?category=nope")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("筛选条件有误"), "{body}");
    let audits =
        "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND entity = 'monitoring_case'";
    let before = scalar(db, audits).await;
    let (status, csv) = send(&app, with("/staff/export/cases.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let mine: String = scalar_text(
        db,
        "SELECT region_code FROM staff_user WHERE username = 'demo-village'",
    )
    .await;
    let open_here = count_with(
        db,
        "SELECT COUNT(*) FROM monitoring_case c JOIN household h ON h.id = c.household_id \
         WHERE h.village_code = $1 AND c.stage NOT IN ('cleared', 'closed')",
        &mine,
    )
    .await;
    assert!(open_here > 0);
    assert_eq!(csv.lines().count() as i64, open_here + 1, "{csv}");
    assert!(csv.contains("案件编号") && csv.contains("户主"));
    assert_eq!(scalar(db, audits).await, before + 1);
    let (status, xlsx) = send(&app, with("/staff/export/cases.xlsx?stage=notice")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(xlsx.starts_with("PK"), "not a workbook");
}

async fn scalar_text(db: &Db, q: &str) -> String {
    sql_built(q.to_string()).scalar(db).await.unwrap()
}
