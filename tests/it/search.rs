//! The public search on both backends: names, pinyin (with surname readings), initials, parts of
//! names, places; ranking, grouping under the household, stable pages.
use crate::common;

use common::new_household;
use fupin::{
    model::{
        codes::Relation,
        id_number,
        search::{MatchTier, PER_PAGE, SearchResults, SearchTerm},
    },
    server::{
        db::Db,
        repo::{household, search::search},
        seed,
    },
    with_pool,
};

/// A valid ID number no seeded person has (born 1931, sequence 9xx).
pub fn rare_id(n: u16) -> String {
    id_number::build("430581", common::d("1931-02-03"), 900 + n)
}

async fn find(db: &Db, q: &str) -> SearchResults {
    find_page(db, q, 1).await
}

async fn find_page(db: &Db, q: &str, page: u32) -> SearchResults {
    let term = SearchTerm::parse(q).expect("valid query");
    search(db, &term, page).await.expect("search")
}

fn tier_of(res: &SearchResults, id: i64) -> Option<MatchTier> {
    res.households.iter().find(|h| h.id == id).map(|h| h.tier)
}

async fn search_story(db: &Db) {
    seed::seed(db, 3000, &mut |_, _| {}).await.expect("seed");
    let (village, village_name): (String, String) = with_pool!(db, |p| sqlx::query_as(
        "SELECT code, name FROM region WHERE level = 'village' ORDER BY code LIMIT 1"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let mut h = new_household(&village, &rare_id(1), &rare_id(2));
    h.members[0].name = "张伟".into();
    h.members[1].name = "单丽华".into();
    let a = household::create(db, &h).await.expect("create a");
    let mut h = new_household(&village, &rare_id(3), &rare_id(4));
    h.members[0].name = "欧阳建国".into();
    h.members[1].name = "曾小红".into();
    let b = household::create(db, &h).await.expect("create b");

    // A member's full name finds the household, showing who matched.
    let res = find(db, "单丽华").await;
    let first = &res.households[0];
    assert_eq!((first.id, first.tier), (a, MatchTier::Exact));
    assert_eq!(first.head_name, "张伟");
    let matched = first.matched.as_ref().expect("member shown");
    assert_eq!(
        (matched.name.as_str(), matched.relation),
        ("单丽华", Relation::Spouse)
    );
    assert_eq!(first.village_code, village);

    // Pinyin with the surname reading (单 shàn, 曾 zēng), spaces or not; initials.
    for q in ["shanlihua", "shan li hua", "ShanLihua"] {
        assert_eq!(find(db, q).await.households[0].id, a, "{q}");
    }
    assert_eq!(tier_of(&find(db, "slh").await, a), Some(MatchTier::Exact));
    assert_eq!(
        tier_of(&find(db, "zengxiaohong").await, b),
        Some(MatchTier::Exact)
    );
    assert_eq!(
        tier_of(&find(db, "ouyangjianguo").await, b),
        Some(MatchTier::Exact)
    );
    assert_eq!(tier_of(&find(db, "oyjg").await, b), Some(MatchTier::Exact));
    assert_eq!(
        tier_of(&find(db, "shanli").await, a),
        Some(MatchTier::Prefix)
    );

    // A given name alone, a surname alone, part of a compound-surname name.
    assert_eq!(
        tier_of(&find(db, "丽华").await, a),
        Some(MatchTier::Contains)
    );
    assert_eq!(
        tier_of(&find(db, "建国").await, b),
        Some(MatchTier::Contains)
    );
    assert_eq!(
        tier_of(&find(db, "阳建国").await, b),
        Some(MatchTier::Contains)
    );
    assert_eq!(tier_of(&find(db, "单").await, a), Some(MatchTier::Prefix));
    assert_eq!(tier_of(&find(db, "欧阳").await, b), Some(MatchTier::Prefix));

    // Ranking: exact names first, then prefixes, then contained pieces; one card per household.
    for q in ["张伟", "王", "伟", "zw", "wang"] {
        let mut all = Vec::new();
        let first = find(db, q).await;
        assert!(first.total > 0, "{q} finds someone");
        for page in 1..=first.pages {
            all.extend(find_page(db, q, page).await.households);
        }
        assert_eq!(all.len() as u32, first.total, "{q}: pages add up");
        assert!(
            all.windows(2).all(|w| w[0].tier <= w[1].tier),
            "{q}: ranked"
        );
        let mut ids: Vec<i64> = all.iter().map(|h| h.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "{q}: a household appears once");
    }
    let res = find(db, "张伟").await;
    assert_eq!(res.households[0].tier, MatchTier::Exact);
    assert!(res.households.iter().any(|h| h.id == a));

    // Stable pages: the same page twice is the same; pages do not overlap.
    let p1 = find_page(db, "王", 1).await;
    assert!(p1.pages >= 2, "王 is common enough to page");
    assert_eq!(p1.households.len() as u32, PER_PAGE);
    assert_eq!(find_page(db, "王", 1).await, p1);
    let p2 = find_page(db, "王", 2).await;
    assert!(
        p2.households
            .iter()
            .all(|h| !p1.households.iter().any(|x| x.id == h.id))
    );
    // Past the last page shows the last page, not an error.
    assert_eq!(find_page(db, "王", 10_000).await.page, p1.pages);

    // A village's name lists the place and its households.
    let res = find(db, &village_name).await;
    assert_eq!(res.places[0].code, village);
    let in_place: Vec<_> = res
        .households
        .iter()
        .filter(|h| h.tier == MatchTier::Place)
        .collect();
    assert!(!in_place.is_empty());
    assert!(in_place.iter().all(|h| h.village_code == village));

    // A township's name lists the households of its villages.
    let (township, township_name): (String, String) = with_pool!(db, |p| sqlx::query_as(
        "SELECT code, name FROM region WHERE level = 'township' ORDER BY code LIMIT 1 OFFSET 2"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let res = find(db, &township_name).await;
    let in_place: Vec<_> = res
        .households
        .iter()
        .filter(|h| h.tier == MatchTier::Place)
        .collect();
    assert!(!in_place.is_empty(), "{township_name}");
    assert!(
        in_place
            .iter()
            .all(|h| h.village_code[..9] == township[..9])
    );

    // Every result carries the public facts: village, township, status; a helper when paired.
    let res = find(db, "李").await;
    assert!(res.households.iter().all(|h| !h.township_name.is_empty()));
    assert!(res.households.iter().any(|h| h.helper.is_some()));

    // Nothing matches: an empty page, not an error.
    let none = find(db, "龘龘龘龘").await;
    assert_eq!((none.total, none.households.len()), (0, 0));
}

on_both! {
    search_story_on_sqlite, search_story_on_postgres, |db| search_story(db);
}
