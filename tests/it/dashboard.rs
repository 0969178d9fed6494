//! The same numbers everywhere: the dashboard (from its summaries), the village page and direct
//! SQL counts on the register agree — after the seed and after staff writes — on both backends.
//! And the exit action applies the exit check.
use crate::common;
use crate::common::probe::scalar;

use fupin::{
    model::{
        codes::{MeasureCategory, PovertyCause, Relation, Status},
        help::MeasureInput,
        rules::ExitReason,
    },
    server::{
        db::Db,
        repo::{
            household::{self, Saved},
            public, records, stats,
        },
        seed,
    },
    with_pool,
};

/// The day the dashboard is read on (a day of 2026: the target years stay the picker's).
const DAY: chrono::NaiveDate = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();

/// Every figure of the dashboard for `year` (city-wide and for one township) against SQL on the
/// base tables, and a village's figures against its public page.
async fn agree(db: &Db, year: i32) {
    let d = stats::dashboard(db, Some(year), None, DAY).await.unwrap();
    let k = &d.kpi;
    assert_eq!(
        k.households,
        scalar(db, "SELECT COUNT(*) FROM household").await
    );
    assert_eq!(
        k.persons,
        scalar(db, "SELECT COUNT(*) FROM member WHERE active").await
    );
    assert_eq!(
        k.poor_households,
        scalar(
            db,
            "SELECT COUNT(*) FROM household WHERE status <> 'exited'"
        )
        .await
    );
    let poor_persons = "SELECT COUNT(*) FROM member m JOIN household h ON h.id = m.household_id \
         WHERE m.active AND h.status <> 'exited'";
    assert_eq!(k.poor_persons, scalar(db, poor_persons).await);
    let exited = format!(
        "SELECT COUNT(*) FROM member m JOIN household h ON h.id = m.household_id \
         WHERE m.active AND h.exited_on >= '{year}-01-01' AND h.exited_on <= '{year}-12-31'"
    );
    assert_eq!(k.exited_persons, scalar(db, &exited).await);
    assert_eq!(d.monthly.iter().sum::<i64>(), k.exited_persons);
    assert_eq!(
        k.exited_households,
        scalar(
            db,
            &format!(
                "SELECT COUNT(*) FROM household WHERE exited_on >= '{year}-01-01' AND exited_on <= '{year}-12-31'"
            )
        )
        .await
    );
    assert_eq!(
        k.rural_population,
        scalar(
            db,
            "SELECT CAST(SUM(rural_population) AS BIGINT) FROM region WHERE level = 'village'"
        )
        .await
    );
    let below = "SELECT COUNT(*) FROM region v WHERE v.level = 'village' AND v.rural_population > 0 \
         AND 50 * (SELECT COUNT(*) FROM member m JOIN household h ON h.id = m.household_id \
         WHERE m.active AND h.status <> 'exited' AND h.village_code = v.code) < v.rural_population";
    assert_eq!(k.villages_below, scalar(db, below).await);
    assert_eq!(
        d.causes.iter().map(|c| c.1).sum::<i64>(),
        scalar(db, "SELECT COUNT(*) FROM household_cause WHERE rank = 1").await
    );
    for m in &d.measures {
        let sql = format!(
            "SELECT COUNT(*) FROM measure WHERE category = '{}' AND given_on >= '{year}-01-01' AND given_on <= '{year}-12-31'",
            m.category.as_str()
        );
        assert_eq!(m.count, scalar(db, &sql).await, "{:?}", m.category);
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM measure WHERE category = '{}' AND given_on >= '{year}-01-01' AND given_on <= '{year}-12-31'",
            m.category.as_str()
        );
        assert_eq!(m.amount, scalar(db, &sql).await, "{:?}", m.category);
    }
    assert_eq!(
        d.townships.iter().map(|t| t.households).sum::<i64>(),
        k.households
    );

    // One township: the filter covers exactly its villages.
    let township = d.townships[1].code.clone();
    let t = stats::dashboard(db, Some(year), Some(&township), DAY)
        .await
        .unwrap();
    let prefix = &township[..9];
    assert_eq!(
        t.kpi.households,
        scalar(
            db,
            &format!("SELECT COUNT(*) FROM household WHERE village_code LIKE '{prefix}%'")
        )
        .await
    );
    assert_eq!(t.kpi.households, d.townships[1].households);

    // A village near exit: the dashboard and the public village page give the same figures.
    for v in d.near_exit.iter().take(3) {
        let page = public::village(db, &v.code)
            .await
            .unwrap()
            .expect("village");
        assert_eq!(
            (page.poor_households, page.poor_persons),
            (v.poor_households, v.poor_persons)
        );
        assert_eq!(page.rural_population, Some(v.rural_population));
        assert!(!v.households.is_empty() && v.to_exit > 0);
    }
    poor_lists_agree(db).await;
}

/// Every village's public list of households still in poverty (kept per village since migration
/// 0018) is the one the register gives now: the same households, heads, causes and sizes.
async fn poor_lists_agree(db: &Db) {
    type Row = (i64, Option<String>, Option<String>, i64);
    let villages: Vec<String> = with_pool!(db, |p| sqlx::query_scalar(
        "SELECT code FROM region WHERE level = 'village' ORDER BY code"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    let mut listed = 0;
    for code in villages {
        let page = public::village(db, &code).await.unwrap().expect("village");
        let kept: Vec<Row> = page
            .still_poor
            .iter()
            .map(|h| {
                let cause = h.main_cause.map(|c| c.as_str().to_string());
                (h.id, Some(h.head_name.clone()), cause, h.persons)
            })
            .collect();
        let live: Vec<Row> =
            with_pool!(db, |p| {
                sqlx::query_as(
            "SELECT h.id, (SELECT m.name FROM member m WHERE m.household_id = h.id AND m.active \
             AND m.relation = 'head'), (SELECT c.cause FROM household_cause c \
             WHERE c.household_id = h.id AND c.rank = 1), (SELECT COUNT(*) FROM member m \
             WHERE m.household_id = h.id AND m.active) FROM household h WHERE h.village_code = $1 \
             AND h.status IN ('poor', 'relapsed') ORDER BY h.group_no, h.id LIMIT 100"
        )
        .bind(&code)
        .fetch_all(p)
        .await
            })
            .unwrap();
        assert_eq!(kept, live, "village {code}");
        listed += kept.len();
    }
    assert!(listed > 0, "some village lists a household");
}

async fn story(db: Db) {
    seed::seed(&db, 3000, &mut |_, _| {}).await.expect("seed");
    agree(&db, 2017).await;

    // A poor household past its exit notice but without a 2020 income cannot exit in 2020:
    // refused with the reason, and nothing changes.
    let poor: Vec<i64> = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT id FROM household WHERE status = 'poor' ORDER BY id LIMIT 2"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    let on = chrono::NaiveDate::from_ymd_opt(2020, 6, 1).unwrap();
    common::ended_exit_notice(&db, poor[0]).await;
    let h = household::get(&db, poor[0]).await.unwrap().unwrap();
    match records::set_status(&db, poor[0], h.version, Status::Exited, on, "t")
        .await
        .unwrap()
    {
        Saved::Refused(reasons) => {
            assert!(
                reasons.contains(&ExitReason::NoIncome { year: 2020 }),
                "{reasons:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        household::get(&db, poor[0]).await.unwrap().unwrap().status,
        Status::Poor
    );

    // Meet every condition, then exit (the notice is over): the summaries follow.
    let version = common::exit_ready(&db, poor[0], 2020).await;
    let exited = records::set_status(&db, poor[0], version, Status::Exited, on, "t")
        .await
        .unwrap();
    assert!(matches!(exited, Saved::Ok { .. }), "{exited:?}");
    agree(&db, 2020).await;

    // A listed household's head renamed and its main cause changed: its village's list follows.
    let mut h = household::get(&db, poor[1]).await.unwrap().unwrap();
    let head = h
        .members
        .iter_mut()
        .find(|m| m.active && m.relation == Relation::Head);
    head.expect("a head").name = "改名人".into();
    h.causes = vec![PovertyCause::Disaster];
    let saved = household::update(&db, &h, "t").await.unwrap();
    assert!(matches!(saved, Saved::Ok { .. }), "{saved:?}");
    agree(&db, 2020).await;

    // A new household and a measure: still the same numbers everywhere.
    let village: String = with_pool!(&db, |p| sqlx::query_scalar(
        "SELECT village_code FROM household WHERE id = $1"
    )
    .bind(poor[1])
    .fetch_one(p)
    .await)
    .unwrap();
    let new = common::new_household(
        &village,
        &fupin::model::id_number::build("430581", common::d("1966-01-02"), 771),
        &fupin::model::id_number::build("430581", common::d("1969-03-04"), 772),
    );
    household::create_by(&db, &new, Some("t")).await.unwrap();
    let measure = MeasureInput {
        household_id: poor[1],
        member_id: None,
        category: MeasureCategory::Industry,
        name: "养殖补助".into(),
        given_on: common::d("2017-05-01"),
        amount: 2500,
        agency: String::new(),
    };
    assert!(matches!(
        records::record_measure(&db, &measure, "t").await.unwrap(),
        Saved::Ok { .. }
    ));
    agree(&db, 2017).await;
}

on_both! {
    the_same_numbers_everywhere_on_sqlite, the_same_numbers_everywhere_on_postgres, |db| story(db.clone());
}
