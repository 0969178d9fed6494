//! Deadlines over a weekend and a holiday, the desk by scope, and ordinary households.
use super::*;

pub(super) async fn deadlines(db: &Db) {
    seed::seed(db, 300, &mut |_, _| {}).await.expect("seed");
    // Friday 26 September 2025: Sunday 28 is worked (调休), 1–8 October are off.
    let friday = NaiveDate::from_ymd_opt(2025, 9, 26).unwrap();
    let h = household_with(db, "exited").await;
    let Saved::Ok { id, version: v } = monitoring::open_case(
        db,
        &lead(h, Category::Sudden, vec![Risk::Accident], friday),
        "t",
    )
    .await
    .unwrap() else {
        panic!()
    };
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!(
        c.due_on,
        NaiveDate::from_ymd_opt(2025, 9, 29),
        "two working days: Sunday 28 (worked), Monday 29"
    );
    let today = chrono::Utc::now().date_naive();
    version(
        monitoring::step(
            db,
            &step(id, v, Stage::HomeCheck, friday),
            Role::Village,
            "t",
            today,
        )
        .await
        .unwrap(),
    );
    let c = monitoring::head(db, id).await.unwrap().unwrap();
    assert_eq!(
        c.due_on,
        NaiveDate::from_ymd_opt(2025, 10, 30),
        "twenty working days over 国庆"
    );
    // Overdue, it stands first on the desk of its township, marked, and on no other township's.
    let other = household_with(db, "exited").await;
    monitoring::open_case(
        db,
        &lead(other, Category::Sudden, vec![Risk::Accident], today),
        "t",
    )
    .await
    .unwrap();
    let village: String = sql_built("SELECT village_code FROM household WHERE id = $1".to_string())
        .bind(h)
        .scalar(db)
        .await
        .unwrap();
    let township = &village[..9];
    let scope = Scope::Villages(fupin::model::place::PlaceRange {
        from: format!("{township}000"),
        to: format!("{township}999"),
    });
    let desk = monitoring::desk(db, &Scope::All, &DeskFilter::default(), today)
        .await
        .unwrap();
    assert_eq!((desk.rows[0].id, desk.rows[0].overdue), (id, true));
    assert_eq!((desk.total, desk.overdue), (2, 1));
    let mine = monitoring::desk(db, &scope, &DeskFilter::default(), today)
        .await
        .unwrap();
    assert!(mine.rows.iter().any(|r| r.id == id));
    // The counts read the same cases as the rows (their placeholders in the same order).
    assert_eq!(mine.total, mine.rows.len() as i64);
    assert_eq!(
        mine.overdue,
        mine.rows.iter().filter(|r| r.overdue).count() as i64
    );
    assert_eq!(mine.overdue, 1);
    let elsewhere = Scope::Villages(fupin::model::place::PlaceRange {
        from: "000000000000".into(),
        to: "000000000999".into(),
    });
    assert!(
        monitoring::desk(db, &elsewhere, &DeskFilter::default(), today)
            .await
            .unwrap()
            .rows
            .is_empty()
    );
    let filtered = DeskFilter {
        risk: Some(Risk::Illness),
        ..DeskFilter::default()
    };
    assert!(
        monitoring::desk(db, &Scope::All, &filtered, today)
            .await
            .unwrap()
            .rows
            .is_empty()
    );
}

/// An ordinary household (一般农户): kept for monitoring, never on a public read.
pub(super) async fn ordinary(db: &Db) {
    use fupin::model::search::SearchTerm;
    seed::seed(db, 300, &mut |_, _| {}).await.expect("seed");
    let village: String = sql_built("SELECT MIN(village_code) FROM household".to_string())
        .scalar(db)
        .await
        .unwrap();
    let households_before = scalar(
        db,
        "SELECT CAST(COALESCE(SUM(households), 0) AS BIGINT) FROM village_stats",
    )
    .await;
    let id_of = |birth: &str, seq| fupin::model::id_number::build("430581", common::d(birth), seq);
    let mut h = common::new_household(
        &village,
        &id_of("1990-01-01", 881),
        &id_of("1992-02-02", 882),
    );
    h.status = Status::Ordinary;
    h.causes.clear();
    h.members[0].name = "甄一般".into();
    let id = household::create(db, &h).await.unwrap();
    assert_eq!(
        scalar_with(
            db,
            "SELECT COUNT(*) FROM member WHERE household_id = $1 AND listed",
            id
        )
        .await,
        0
    );
    assert_eq!(scalar_with(db, "SELECT COUNT(*) FROM name_token t JOIN member m ON m.id = t.member_id WHERE m.household_id = $1", id).await, 0);
    let today = chrono::Utc::now().date_naive();
    assert!(
        fupin::server::repo::public::household(db, id, today)
            .await
            .unwrap()
            .is_none()
    );
    for q in ["甄一般", "甄", "一般", "zhenyiban", "zyb"] {
        let term = SearchTerm::parse(q).unwrap();
        let found = fupin::server::repo::search::search(db, &term, 1)
            .await
            .unwrap();
        // The query is echoed back; no household card may be this one or carry its name.
        let cards = format!("{:?}", found.households);
        assert!(
            found.households.iter().all(|h| h.id != id) && !cards.contains("甄一般"),
            "{q}: {found:?}"
        );
    }
    assert_eq!(
        scalar(
            db,
            "SELECT CAST(COALESCE(SUM(households), 0) AS BIGINT) FROM village_stats"
        )
        .await,
        households_before
    );
    // An ordinary household may be 边缘易致贫户 but never 脱贫不稳定户.
    let wrong = monitoring::open_case(
        db,
        &lead(id, Category::Unstable, vec![Risk::Illness], today),
        "t",
    )
    .await
    .unwrap();
    assert_eq!(code(&wrong), "category_mismatch");
    let right = monitoring::open_case(
        db,
        &lead(id, Category::Marginal, vec![Risk::Illness], today),
        "t",
    )
    .await
    .unwrap();
    assert!(matches!(right, Saved::Ok { .. }));
    // The register's own notices are not for it.
    assert!(!NoticeKind::Monitoring.is_register());
}
