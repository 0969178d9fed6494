//! The register on both backends: the demo data's shape, the household repository story, and the
//! constraints that keep bad rows out.
use crate::common;
use crate::common::probe::{scalar, try_exec};

use common::{d, new_household};

use chrono::NaiveDate;
use fupin::{
    model::{
        codes::{Relation, Sex},
        id_number,
        registry::Household,
    },
    server::{
        db::Db,
        repo::household::{self, Saved},
        seed,
    },
    with_pool,
};

/// The shape of the default demo set (Wugang): the numbers, checked by SQL.
async fn default_shape(db: &Db) {
    seed::seed(db, seed::DEFAULT_HOUSEHOLDS, &mut |_, _| {})
        .await
        .expect("seed");
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM region WHERE level = 'township'").await,
        18
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM region WHERE level = 'village'").await,
        306
    );
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM household").await, 26_000);
    let persons = scalar(db, "SELECT COUNT(*) FROM member").await;
    assert!((85_000..=99_000).contains(&persons), "persons {persons}");
    // Exactly one head per household.
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM member WHERE relation = 'head'").await,
        26_000
    );
    // One main cause each; 因病 about 42 %.
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM household_cause WHERE rank = 1").await,
        26_000
    );
    let illness = scalar(
        db,
        "SELECT COUNT(*) FROM household_cause WHERE rank = 1 AND cause = 'illness'",
    )
    .await;
    assert!((10_000..=11_900).contains(&illness), "illness {illness}");
    // About 6,500 helper cadres paired with households, a current helper for each household.
    let helpers = scalar(
        db,
        "SELECT COUNT(DISTINCT cadre_id) FROM pairing WHERE end_on IS NULL",
    )
    .await;
    assert_eq!(helpers, 6_500);
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM pairing WHERE end_on IS NULL").await,
        26_000
    );
    // Two work teams per village, each with one leader.
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM work_team").await, 612);
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM work_team_member WHERE role = 'leader'"
        )
        .await,
        612
    );
    // Measures over 2014–2018, several per household.
    let measures = scalar(db, "SELECT COUNT(*) FROM measure").await;
    assert!(measures > 26_000 * 2, "measures {measures}");
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM measure WHERE given_on < '2014-01-01' OR given_on > '2018-12-31'"
        )
        .await,
        0
    );
    assert!(scalar(db, "SELECT COUNT(*) FROM policy").await >= 25);
    // The 2017 target is data: 28,000 persons.
    assert_eq!(
        scalar(
            db,
            "SELECT persons_exit FROM annual_target WHERE year = 2017"
        )
        .await,
        28_000
    );
    assert_eq!(
        scalar(db, "SELECT line_yuan FROM poverty_line WHERE year = 2017").await,
        3335
    );
    // 2017's actual exits land near the target.
    let exited_2017 = scalar(db, "SELECT COUNT(*) FROM member m JOIN household h ON h.id = m.household_id WHERE h.exited_on BETWEEN '2017-01-01' AND '2017-12-31'").await;
    assert!(
        (25_000..=31_000).contains(&exited_2017),
        "2017 exits {exited_2017}"
    );
    // Many two-character names and repeated common names.
    let two_char = scalar(db, "SELECT COUNT(*) FROM member WHERE length(name) = 2").await;
    assert!(two_char > persons / 5, "two-character names {two_char}");
    let repeated = scalar(
        db,
        "SELECT COUNT(*) FROM (SELECT name FROM member GROUP BY name HAVING COUNT(*) >= 5) t",
    )
    .await;
    assert!(repeated > 100, "repeated names {repeated}");
    // Every ID is a valid GB 11643 number whose birth date matches the member's.
    let ids: Vec<(String, NaiveDate)> = with_pool!(db, |p| sqlx::query_as(
        "SELECT id_number, birth_date FROM member WHERE id % 97 = 0"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert!(ids.len() > 500);
    for (id, birth) in ids {
        let info = id_number::parse(&id).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        assert_eq!(info.birth_date, birth, "{id}");
    }
    assert_eq!(
        scalar(
            db,
            "SELECT COUNT(*) FROM member WHERE id_number NOT LIKE '430%'"
        )
        .await,
        0
    );
}

async fn household_story(db: &Db) {
    seed::seed(db, 200, &mut |_, _| {}).await.expect("seed");
    let village = "430581101200";
    let h = new_household(
        village,
        &id_number::build("430581", d("1970-03-04"), 901),
        &id_number::build("430581", d("1972-08-09"), 902),
    );
    let id = household::create(db, &h).await.expect("create");
    let stored = household::get(db, id).await.unwrap().expect("stored");
    assert_eq!(stored.causes, h.causes);
    assert_eq!(stored.members.len(), 2);
    assert_eq!(stored.head().unwrap().name, "测试甲");
    assert_eq!(stored.housing, h.housing);
    assert_eq!(stored.version, 1);
    assert!(household::get(db, 9_999_999).await.unwrap().is_none());

    // Optimistic concurrency: the second save based on version 1 is refused, nothing lost.
    let edited = Household {
        address: "新地址".into(),
        phone: Some("13900001111".into()),
        ..stored.clone()
    };
    assert_eq!(
        household::update(db, &edited, "tester").await.unwrap(),
        Saved::Ok { id, version: 2 }
    );
    let stale = Household {
        address: "旧表单".into(),
        ..stored.clone()
    };
    let Saved::Stale {
        current_version,
        by,
    } = household::update(db, &stale, "tester").await.unwrap()
    else {
        panic!("a save based on version 1 is stale");
    };
    assert_eq!(current_version, 2);
    assert!(by.is_some(), "the stale save is told who saved first");
    // The winning save left one audit row with the changed values before and after; the stale
    // one none.
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM audit_log").await, 1);
    let last = household::last_change(db, id)
        .await
        .unwrap()
        .expect("audited");
    assert_eq!(last.0, "tester");
    let (before, after_json): (String, String) = with_pool!(db, |p| sqlx::query_as(
        "SELECT before_json, after_json FROM audit_log"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert!(
        before.contains("湾头桥镇测试村3组") && before.contains("13812345678"),
        "{before}"
    );
    assert!(
        after_json.contains("新地址") && !after_json.contains("测试甲"),
        "only what changed: {after_json}"
    );
    assert_eq!(
        household::update(
            db,
            &Household {
                id: Some(9_999_999),
                ..stored.clone()
            },
            "tester"
        )
        .await
        .unwrap(),
        Saved::Missing
    );
    let after = household::get(db, id).await.unwrap().unwrap();
    assert_eq!(
        (after.address.as_str(), after.phone.as_deref()),
        ("新地址", Some("13900001111"))
    );

    // Members: one added, the spouse becomes householder and the old householder leaves; the
    // names are searchable at once, and the leaver is kept (marked, with a date).
    let mut family = after.clone();
    let mut child = family.members[1].clone();
    child.id = None;
    child.name = "测试丙".into();
    child.relation = Relation::Child;
    child.id_number = Some(id_number::build("430581", d("2001-01-02"), 903));
    child.birth_date = d("2001-01-02");
    child.sex = Sex::Male;
    family.members.push(child);
    family.members[0].relation = Relation::Parent;
    family.members[0].active = false;
    family.members[1].relation = Relation::Head;
    assert_eq!(
        household::update(db, &family, "tester").await.unwrap(),
        Saved::Ok { id, version: 3 }
    );
    let now = household::get(db, id).await.unwrap().unwrap();
    assert_eq!(now.members.len(), 3);
    assert_eq!(now.head().unwrap().name, "测试乙");
    assert!(
        !now.members
            .iter()
            .find(|m| m.name == "测试甲")
            .unwrap()
            .active
    );
    let found = fupin::server::repo::search::search(
        db,
        &fupin::model::search::SearchTerm::parse("测试丙").unwrap(),
        1,
    )
    .await
    .unwrap();
    assert_eq!(found.households.first().map(|h| h.id), Some(id));

    // A member left out of the form is refused (members are never deleted); so is an ID held by
    // an active person of another household. Neither writes anything.
    let audits = scalar(db, "SELECT COUNT(*) FROM audit_log").await;
    let mut dropped = now.clone();
    dropped.members.pop();
    assert!(matches!(
        household::update(db, &dropped, "tester").await.unwrap(),
        Saved::Rejected {
            code: "member_missing",
            ..
        }
    ));
    let other: String = with_pool!(db, |p| sqlx::query_scalar(
        "SELECT id_number FROM member WHERE active AND id_number IS NOT NULL AND household_id <> $1 LIMIT 1"
    )
    .bind(id)
    .fetch_one(p)
    .await)
    .unwrap();
    let mut taken = now.clone();
    let i = taken
        .members
        .iter()
        .position(|m| m.name == "测试丙")
        .unwrap();
    taken.members[i].id_number = Some(other);
    taken.address = "不应保存".into();
    match household::update(db, &taken, "tester").await.unwrap() {
        Saved::Rejected { field, code } => {
            assert_eq!(
                (field.as_str(), code),
                (format!("members.{i}.id_number").as_str(), "id_taken")
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(household::get(db, id).await.unwrap().unwrap(), now);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM audit_log").await, audits);

    let counts = household::count_by_status(db).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.1).sum::<i64>(), 201);

    // A household whose member repeats an active ID is rejected whole: no half-written record.
    let before = scalar(db, "SELECT COUNT(*) FROM household").await;
    let members_before = scalar(db, "SELECT COUNT(*) FROM member").await;
    let dup = new_household(
        village,
        &id_number::build("430581", d("1980-01-01"), 903),
        // The spouse, now householder, is still an active member of the first household.
        h.members[1].id_number.as_deref().unwrap(),
    );
    assert!(
        household::create(db, &dup).await.is_err(),
        "duplicate active ID accepted"
    );
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM household").await, before);
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM member").await,
        members_before
    );

    // Constraint checks straight at the database (what a bypassed client would attempt).
    let rejected: &[(&str, &'static str)] = &[
        (
            "second main cause",
            "INSERT INTO household_cause (household_id, rank, cause) SELECT MAX(id), 1, 'water' FROM household",
        ),
        (
            "fourth cause",
            "INSERT INTO household_cause (household_id, rank, cause) SELECT MAX(id), 4, 'water' FROM household",
        ),
        (
            "repeated cause",
            "INSERT INTO household_cause (household_id, rank, cause) SELECT MAX(id), 3, 'illness' FROM household",
        ),
        (
            "unknown cause",
            "INSERT INTO household_cause (household_id, rank, cause) SELECT MAX(id), 3, 'laziness' FROM household",
        ),
        (
            "negative amount",
            "INSERT INTO measure (household_id, category, kind, name, given_on, amount) SELECT MAX(id), 'medical', 'medical_aid', '医疗救助', '2016-05-01', -1 FROM household",
        ),
        (
            "bad category",
            "INSERT INTO measure (household_id, category, kind, name, given_on, amount) SELECT MAX(id), 'lottery', 'x', 'x', '2016-05-01', 1 FROM household",
        ),
        (
            "bad sex",
            "UPDATE member SET sex = 'x' WHERE id = (SELECT MIN(id) FROM member)",
        ),
        (
            "second head",
            "UPDATE member SET relation = 'head' WHERE id = (SELECT MAX(id) FROM member)",
        ),
        (
            "duplicate active ID",
            "UPDATE member SET id_number = (SELECT id_number FROM member WHERE id = 1) WHERE id = 2",
        ),
        (
            "negative income",
            "INSERT INTO household_income (household_id, year, persons, wages) SELECT MAX(id), 2017, 2, -5 FROM household",
        ),
        (
            "unknown village",
            "INSERT INTO household (village_code, standard, attribute, identified_on) VALUES ('430581999999', 'national', 'general', '2014-01-01')",
        ),
        (
            "exited without date",
            "UPDATE household SET status = 'exited', exited_on = NULL WHERE id = (SELECT MAX(id) FROM household)",
        ),
        (
            "bad danger grade",
            "UPDATE housing SET danger_grade = 'E' WHERE household_id = (SELECT MAX(household_id) FROM housing)",
        ),
        (
            "measure for another household's member",
            "INSERT INTO measure (household_id, member_id, category, kind, name, given_on, amount) VALUES (1, (SELECT MAX(id) FROM member), 'medical', 'medical_aid', '医疗救助', '2016-05-01', 100)",
        ),
        (
            "second current helper",
            "INSERT INTO pairing (household_id, cadre_id, start_on) VALUES (1, 2, '2018-01-01')",
        ),
    ];
    for (what, sql) in rejected {
        assert!(try_exec(db, sql).await.is_err(), "{what} was accepted");
    }
    // A member who left frees the ID for an active record (IDs are unique among active persons).
    try_exec(db, "UPDATE member SET active = FALSE, left_on = '2018-01-01', left_reason = 'moved' WHERE id = 1").await.expect("member leaves");
    try_exec(
        db,
        "UPDATE member SET id_number = (SELECT id_number FROM member WHERE id = 1) WHERE id = 2",
    )
    .await
    .expect("ID reusable after leaving");

    // The audit log only grows.
    let audits = scalar(db, "SELECT COUNT(*) FROM audit_log").await;
    try_exec(db, "INSERT INTO audit_log (actor, action, entity, entity_id, after_json) VALUES ('admin', 'create', 'household', '1', '{}')").await.expect("append");
    assert!(
        try_exec(db, "UPDATE audit_log SET actor = 'someone else'")
            .await
            .is_err(),
        "audit row changed"
    );
    assert!(
        try_exec(db, "DELETE FROM audit_log").await.is_err(),
        "audit row deleted"
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM audit_log").await,
        audits + 1
    );
}

on_both! {
    default_seed_has_wugangs_shape_on_sqlite, default_seed_has_wugangs_shape_on_postgres, |db| default_shape(db);
}

on_both! {
    household_story_on_sqlite, household_story_on_postgres, |db| household_story(db);
}
