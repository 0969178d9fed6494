//! The hostile pass over monitoring, replayed: a withdrawn notice no longer strands its case
//! (every path ends: refused and closed, published again, a clearing back to monitored); a
//! notice cannot run in the past unless it records a paper notice, shown as such; a monitoring
//! notice names no register attribute and leaves the public list after its term; the
//! dashboard's assistance counts register households only; timelines and stale forms name
//! staff by the name they are known by.
use super::*;
use fupin::server::repo::{notices, stats};

/// Opens a case on `h` raised on `on` (one risk that needs no spending resolved).
async fn opened(db: &Db, h: i64, category: Category, on: NaiveDate) -> (i64, i64) {
    match monitoring::open_case(db, &lead(h, category, vec![Risk::UnstableWork], on), "t")
        .await
        .unwrap()
    {
        Saved::Ok { id, version } => (id, version),
        other => panic!("{other:?}"),
    }
}

/// The household's proposed entry of `kind`, with its notice.
async fn proposed(db: &Db, h: i64, kind: &str) -> (i64, i64) {
    sql_built(format!(
        "SELECT n.id, e.id FROM notice n JOIN notice_entry e ON e.notice_id = n.id \
         WHERE e.household_id = $1 AND n.kind = '{kind}' AND e.state = 'proposed'"
    ))
    .bind(h)
    .fetch_one(db)
    .await
    .unwrap()
}

/// A visitor's objection on `on`; answers its id.
async fn objection(db: &Db, (notice, entry): (i64, i64), key: &str, on: NaiveDate) -> i64 {
    match objections::file_objection(db, notice, entry, "该户收入不实", None, key, key, on)
        .await
        .unwrap()
    {
        Filed::Ok(id) => id,
        other => panic!("{other:?}"),
    }
}

fn refusal(case: i64, version: i64, stage: Stage, on: NaiveDate, why: &str) -> StepInput {
    StepInput {
        approved: false,
        note: why.into(),
        ..step(case, version, stage, on)
    }
}

pub(super) async fn withdrawn_notices(db: &Db) {
    seed::seed(db, 600, &mut |_, _| {}).await.expect("seed");
    let today = chrono::Utc::now().date_naive();
    let d0 = today - Days::new(40);
    let day = |n: u64| d0 + Days::new(n);

    // 1. An objection upheld: the case returns to the village review, which refuses: closed.
    let h = household_with(db, "exited").await;
    let (id, v) = opened(db, h, Category::Unstable, d0).await;
    let v = walk(db, id, v, Stage::Notice, day(1), today).await;
    let entry = proposed(db, h, "monitoring").await;
    let o = objection(db, entry, "k1", day(5)).await;
    let answer = "经核实，该户家庭收入登记有误，退回重新评议";
    assert!(
        objections::answer_objection(db, o, ObjectionOutcome::Upheld, answer, day(6), "t")
            .await
            .unwrap()
    );
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!(
        (c.stage, c.version, c.stage_on),
        (Stage::CrossCheck, v + 1, day(6))
    );
    let view = monitoring::case_view(db, id, Role::Village, today)
        .await
        .unwrap()
        .unwrap();
    let last = view.steps.last().unwrap();
    assert_eq!(
        (
            last.stage,
            last.approved,
            last.note.as_str(),
            last.notice_id
        ),
        (Stage::Notice, false, answer, Some(entry.0))
    );
    assert_eq!(view.next, Some(Stage::VillageReview));
    assert_eq!(
        scalar_with(
            db,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'case_returned' AND entity_id = $1",
            id.to_string()
        )
        .await,
        1
    );
    // What answered before (`notice_missing`, `stage_order`, `case_open`) is now a plain order.
    let late = step(id, c.version, Stage::TownshipReview, day(7));
    assert_eq!(
        code(
            &monitoring::step(db, &late, Role::Township, "t", day(7))
                .await
                .unwrap()
        ),
        "stage_order"
    );
    let no = refusal(
        id,
        c.version,
        Stage::VillageReview,
        day(7),
        "重新评议：收入超过监测标准",
    );
    version(
        monitoring::step(db, &no, Role::Village, "t", day(7))
            .await
            .unwrap(),
    );
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!(
        (c.stage, c.closed_reason.as_deref()),
        (Stage::Closed, Some("重新评议：收入超过监测标准"))
    );
    assert!(matches!(
        monitoring::open_case(
            db,
            &lead(h, Category::Unstable, vec![Risk::Illness], today),
            "t"
        )
        .await
        .unwrap(),
        Saved::Ok { .. }
    ));

    // 2. Taken off the notice on the desk: reviewed again, published again, identified.
    let h = household_with(db, "exited").await;
    let (id, v) = opened(db, h, Category::Unstable, d0).await;
    walk(db, id, v, Stage::Notice, day(1), today).await;
    let first = proposed(db, h, "monitoring").await;
    assert!(
        notices::withdraw_entry(db, first.1, day(5), "t")
            .await
            .unwrap()
    );
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!(c.stage, Stage::CrossCheck);
    let v = walk(db, id, c.version, Stage::Notice, day(6), day(7)).await;
    let second = proposed(db, h, "monitoring").await;
    assert_ne!(second.0, first.0, "a new notice");
    let v = walk(db, id, v, Stage::Monitored, day(15), today).await;
    assert_eq!(monitoring::head(db, id).await.unwrap().unwrap().version, v);
    assert_eq!(
        scalar_with(
            db,
            "SELECT COUNT(*) FROM notice_entry WHERE household_id = $1 AND state = 'finalised'",
            h
        )
        .await,
        1
    );

    // 3. A clearing notice objected to and upheld: back to the clearing review, which refuses:
    // the household stays monitored.
    let h = household_with(db, "exited").await;
    let (id, v) = opened(db, h, Category::Unstable, d0).await;
    let v = walk(db, id, v, Stage::Monitored, day(1), today).await;
    for year in [today.year(), today.year() - 1] {
        exit_ready(db, h, i64::from(year)).await;
    }
    walk(db, id, v, Stage::ClearNotice, day(20), today).await;
    let entry = proposed(db, h, "clearing").await;
    let o = objection(db, entry, "k2", day(23)).await;
    assert!(
        objections::answer_objection(
            db,
            o,
            ObjectionOutcome::Upheld,
            "经核实，务工收入不稳定",
            day(24),
            "t"
        )
        .await
        .unwrap()
    );
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!(c.stage, Stage::ClearHomeCheck);
    let no = refusal(
        id,
        c.version,
        Stage::ClearReview,
        day(25),
        "务工收入不稳定，继续监测",
    );
    version(
        monitoring::step(db, &no, Role::Village, "t", day(25))
            .await
            .unwrap(),
    );
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!((c.stage, c.clearing_from), (Stage::Monitored, None));
}

pub(super) async fn notices_in_time(db: &Db) {
    seed::seed(db, 600, &mut |_, _| {}).await.expect("seed");
    seed::demo_users(db).await.expect("demo users");
    let today = chrono::Utc::now().date_naive();
    let ago = |n: u64| today - Days::new(n);
    // An ordinary household (一般农户) at risk, its steps dated back from 60 days ago.
    let village: String = sql_built("SELECT MIN(village_code) FROM household".to_string())
        .scalar(db)
        .await
        .unwrap();
    let id_of = |birth: &str, seq| fupin::model::id_number::build("430581", common::d(birth), seq);
    let mut hh = common::new_household(
        &village,
        &id_of("1980-03-03", 771),
        &id_of("1982-04-04", 772),
    );
    hh.status = Status::Ordinary;
    hh.causes.clear();
    let h = household::create(db, &hh).await.unwrap();
    let (id, v) = opened(db, h, Category::Marginal, ago(60)).await;
    let v = walk(db, id, v, Stage::VillageReview, ago(59), today).await;
    // A notice published today for a step dated 56 days back would never have been public.
    let past = step(id, v, Stage::Notice, ago(56));
    let refused = monitoring::step(db, &past, Role::Village, "demo-village", today)
        .await
        .unwrap();
    assert_eq!(code(&refused), "notice_starts_today");
    let paper = StepInput {
        on_paper: true,
        notice_days: 5,
        ..step(id, v, Stage::Notice, ago(3))
    };
    let refused = monitoring::step(db, &paper, Role::Village, "demo-village", today)
        .await
        .unwrap();
    assert_eq!(code(&refused), "paper_note_required");
    let paper = StepInput {
        note: "3 日张贴于村务公开栏".into(),
        ..paper
    };
    let v = version(
        monitoring::step(db, &paper, Role::Village, "demo-village", today)
            .await
            .unwrap(),
    );
    let (notice, _) = proposed(db, h, "monitoring").await;

    // Public: marked as recorded from paper, the category in the reason, no register attribute.
    let n = notices::public_notice(db, notice, today)
        .await
        .unwrap()
        .unwrap();
    assert!(n.notice.on_paper);
    assert_eq!(n.entries.len(), 1);
    assert_eq!(n.entries[0].attribute, None);
    assert!(
        n.entries[0].reason.contains("边缘易致贫户"),
        "{}",
        n.entries[0].reason
    );
    let app = crate::common::web::app(db.clone());
    let (status, html) =
        crate::common::web::send(&app, crate::common::web::get(&format!("/notices/{notice}")))
            .await;
    assert_eq!(status, axum::http::StatusCode::OK);
    for label in ["一般贫困户", "贫困户属性", "低保户", "特困户"] {
        assert!(!html.contains(label), "{label} on a monitoring notice");
    }
    assert!(
        html.contains("事后补录"),
        "the paper notice is not said to be one"
    );
    // Its timeline names the clerk as staff know them, and marks the paper notice.
    let view = monitoring::case_view(db, id, Role::Village, today)
        .await
        .unwrap()
        .unwrap();
    let shown: String =
        sql_built("SELECT display_name FROM staff_user WHERE username = 'demo-village'".into())
            .scalar(db)
            .await
            .unwrap();
    let last = view.steps.last().unwrap();
    assert!(last.on_paper);
    assert_eq!(last.actor, shown);
    // A stale form is told the same name.
    let stale = monitoring::step(
        db,
        &step(id, v - 1, Stage::TownshipReview, today),
        Role::Township,
        "t",
        today,
    )
    .await
    .unwrap();
    assert!(
        matches!(&stale, Saved::Stale { by: Some(s), .. } if s.by == shown),
        "{stale:?}"
    );

    // A finished monitoring notice stays public 30 days after its end, then leaves the list and
    // its page; a register notice stays.
    let ends = n.notice.ends_on;
    let listed = |on: NaiveDate| async move {
        notices::notices(db, &None, false, on)
            .await
            .unwrap()
            .iter()
            .any(|b| b.id == notice)
    };
    assert!(listed(ends + Days::new(30)).await);
    assert!(
        notices::public_notice(db, notice, ends + Days::new(30))
            .await
            .unwrap()
            .is_some()
    );
    assert!(!listed(ends + Days::new(31)).await);
    assert!(
        notices::public_notice(db, notice, ends + Days::new(31))
            .await
            .unwrap()
            .is_none()
    );
    assert!(fupin::model::transparency::publicly_shown(
        NoticeKind::Exit,
        ends,
        ends + Days::new(3650)
    ));

    // Once it has ended, the township reviews the paper notice's case.
    let review = step(
        id,
        v,
        Stage::TownshipReview,
        n.notice.ends_on + Days::new(1),
    );
    version(
        monitoring::step(
            db,
            &review,
            Role::Township,
            "t",
            n.notice.ends_on + Days::new(1),
        )
        .await
        .unwrap(),
    );

    // The dashboard's social assistance counts register households only, as the register does:
    // the ordinary household's 特困供养 adds nothing.
    let before = tekun(db, today).await;
    let enrolment = fupin::model::help::AssistanceInput {
        household_id: h,
        member_id: None,
        kind: AssistanceKind::Tekun,
        start_on: ago(10),
        monthly_amount: 600,
        lump_sum: 0,
        agency: "武冈市民政局".into(),
    };
    assert!(matches!(
        records::add_assistance(db, &enrolment, "t").await.unwrap(),
        household::Saved::Ok { .. }
    ));
    let after = tekun(db, today).await;
    assert_eq!(
        before, after,
        "an ordinary household counted with the register's"
    );
    let counted = scalar_with(
        db,
        "SELECT COUNT(DISTINCT a.household_id) FROM assistance a JOIN household h ON h.id = a.household_id \
         WHERE a.kind = 'tekun' AND h.status <> 'ordinary' AND a.start_on <= $1 AND (a.end_on IS NULL OR a.end_on >= $1)",
        today,
    )
    .await;
    assert_eq!(after, counted);
}

/// The public dashboard's households on 特困供养 today.
async fn tekun(db: &Db, today: NaiveDate) -> i64 {
    let d = stats::dashboard(db, None, None, today).await.unwrap();
    d.monitoring
        .assistance
        .iter()
        .find(|(k, ..)| *k == AssistanceKind::Tekun)
        .map_or(0, |(_, households, _)| *households)
}
