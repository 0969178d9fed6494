use super::*;
use std::sync::{
    LazyLock,
    atomic::{AtomicUsize, Ordering},
};

fn generation(token: &str, n: i64) -> Generation {
    Generation {
        token: token.into(),
        n,
    }
}

/// A reading that counts itself and takes a while, so that readers meet it under way.
fn counted(
    reads: &'static AtomicUsize,
    value: i64,
) -> BoxFuture<'static, Result<i64, sqlx::Error>> {
    async move {
        reads.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        Ok(value)
    }
    .boxed()
}

#[tokio::test]
async fn readers_at_the_same_time_share_one_reading() {
    static KEPT: LazyLock<Kept<&'static str, i64>> = LazyLock::new(|| Kept::new(8));
    static READS: AtomicUsize = AtomicUsize::new(0);
    let seen = generation("a", 1);
    let readers: Vec<_> = (0..16)
        .map(|_| {
            let seen = seen.clone();
            tokio::spawn(async move { KEPT.get("city", &seen, || counted(&READS, 7)).await })
        })
        .collect();
    for r in readers {
        assert_eq!(*r.await.unwrap().unwrap(), 7);
    }
    assert_eq!(READS.load(Ordering::SeqCst), 1);
    // Kept now: a later reader of the same generation reads nothing.
    assert_eq!(
        *KEPT
            .get("city", &seen, || counted(&READS, 8))
            .await
            .unwrap(),
        7
    );
    assert_eq!(READS.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_newer_value_serves_an_older_reader_never_the_reverse() {
    static KEPT: LazyLock<Kept<&'static str, i64>> = LazyLock::new(|| Kept::new(8));
    static READS: AtomicUsize = AtomicUsize::new(0);
    KEPT.get("city", &generation("a", 5), || counted(&READS, 50))
        .await
        .unwrap();
    // A reader who saw generation 4 (just before a write) is served the value of 5.
    assert_eq!(
        *KEPT
            .get("city", &generation("a", 4), || counted(&READS, 40))
            .await
            .unwrap(),
        50
    );
    assert_eq!(READS.load(Ordering::SeqCst), 1);
    // A reader who saw 6 (another instance wrote) reads again.
    assert_eq!(
        *KEPT
            .get("city", &generation("a", 6), || counted(&READS, 60))
            .await
            .unwrap(),
        60
    );
    assert_eq!(READS.load(Ordering::SeqCst), 2);
    // Another database (a new token) is never served the old one's value.
    assert_eq!(
        *KEPT
            .get("city", &generation("b", 9), || counted(&READS, 90))
            .await
            .unwrap(),
        90
    );
    assert_eq!(READS.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn keeping_a_newer_generation_drops_the_older_and_the_map_is_bounded() {
    static KEPT: LazyLock<Kept<u32, i64>> = LazyLock::new(|| Kept::new(4));
    static READS: AtomicUsize = AtomicUsize::new(0);
    for key in 0..3 {
        KEPT.get(key, &generation("a", 1), || counted(&READS, 1))
            .await
            .unwrap();
    }
    assert_eq!(KEPT.len(), 3);
    // One value of generation 2: the three of generation 1 can serve nobody any more.
    KEPT.get(9, &generation("a", 2), || counted(&READS, 2))
        .await
        .unwrap();
    assert_eq!(KEPT.len(), 1);
    for key in 10..20 {
        KEPT.get(key, &generation("a", 2), || counted(&READS, 2))
            .await
            .unwrap();
        assert!(KEPT.len() <= 4, "{}", KEPT.len());
    }
}

#[tokio::test]
async fn a_failed_reading_is_not_kept() {
    static KEPT: LazyLock<Kept<&'static str, i64>> = LazyLock::new(|| Kept::new(8));
    let seen = generation("a", 1);
    let failed = KEPT
        .get("city", &seen, || {
            async { Err(sqlx::Error::Protocol("gone".into())) }.boxed()
        })
        .await;
    assert!(failed.is_err());
    assert!(KEPT.is_empty());
    assert_eq!(
        *KEPT
            .get("city", &seen, || async { Ok(3) }.boxed())
            .await
            .unwrap(),
        3
    );
}
