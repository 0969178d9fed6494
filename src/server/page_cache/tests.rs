use super::*;

fn page(n: usize) -> Arc<Page> {
    Arc::new(Page {
        generation: Generation {
            token: "t".into(),
            n: 1,
        },
        status: StatusCode::OK,
        headers: HeaderMap::new(),
        body: Bytes::from(vec![b'x'; n]),
    })
}

fn key(path: &str) -> Key {
    Key {
        path_and_query: path.into(),
        accept_encoding: None,
        accept_language: None,
        cookie: None,
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
    }
}

#[test]
fn the_store_keeps_its_bounds_and_drops_the_oldest_first() {
    let mut s = Store::default();
    for i in 0..MAX_PAGES + 10 {
        s.insert(key(&format!("/household/{i}")), page(10));
    }
    assert_eq!(s.pages.len(), MAX_PAGES);
    assert!(!s.pages.contains_key(&key("/household/0")));
    assert!(
        s.pages
            .contains_key(&key(&format!("/household/{}", MAX_PAGES + 9)))
    );
    let mut s = Store::default();
    for i in 0..100 {
        s.insert(key(&format!("/v/{i}")), page(MAX_PAGE));
    }
    assert!(s.bytes <= MAX_BYTES, "{}", s.bytes);
    assert_eq!(s.bytes, s.pages.len() * MAX_PAGE);
    // The same page again replaces it and counts once.
    s.insert(key("/v/99"), page(1));
    assert_eq!(s.bytes, (s.pages.len() - 1) * MAX_PAGE + 1);
}

#[tokio::test]
async fn one_rendering_per_page_and_the_others_wait_for_it() {
    let flights: &'static Flights = Box::leak(Box::default());
    let Some(Turn::Lead(leader)) = flights.join(&key("/dashboard")) else {
        panic!("the first request leads");
    };
    let Some(Turn::Follow(follower)) = flights.join(&key("/dashboard")) else {
        panic!("a second request for the page waits");
    };
    let Some(Turn::Follow(stale)) = flights.join(&key("/dashboard")) else {
        panic!("a third waits too");
    };
    assert!(
        matches!(flights.join(&key("/policies")), Some(Turn::Lead(_))),
        "another page has its own leader"
    );
    let (one, two) = (
        Generation {
            token: "t".into(),
            n: 1,
        },
        Generation {
            token: "t".into(),
            n: 2,
        },
    );
    let waiting = tokio::spawn(async move { share(follower, &one).await });
    let older = tokio::spawn(async move { share(stale, &two).await });
    leader.tx.send_replace(Some(page(3)));
    drop(leader);
    let shared = waiting.await.unwrap().expect("the leader's page");
    assert_eq!(shared.body.len(), 3);
    assert!(
        older.await.unwrap().is_none(),
        "a page rendered before a write the visitor saw is not shared"
    );
    // The leader is gone: the next request leads again.
    let Some(Turn::Lead(again)) = flights.join(&key("/dashboard")) else {
        panic!("the map forgets a finished rendering");
    };
    let Some(Turn::Follow(left)) = flights.join(&key("/dashboard")) else {
        panic!("waits");
    };
    drop(again);
    assert!(
        share(
            left,
            &Generation {
                token: "t".into(),
                n: 1
            }
        )
        .await
        .is_none(),
        "a leader that keeps nothing leaves the others to render"
    );
}

#[test]
fn only_public_pages_are_kept() {
    for path in [
        "/",
        "/search",
        "/household/1",
        "/village/430581100201",
        "/dashboard",
    ] {
        assert!(public_page(path), "{path}");
    }
    for path in [
        "/staff",
        "/staff/household/1",
        "/login",
        "/api/search",
        "/pkg/x.js",
        "/lang/en",
        "/export/households.csv",
        "/healthz",
    ] {
        assert!(!public_page(path), "{path}");
    }
}
