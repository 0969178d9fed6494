//! The same repository story on SQLite and PostgreSQL: migrate, seed, create, read, update, list,
//! and the constraints that must reject bad rows on both.
use crate::common;

use fupin::{
    model::RegionLevel,
    server::{
        db::{Backend, Db},
        repo::region::{self, RegionRow},
        seed,
    },
};

fn row(code: &str, parent: Option<&str>, level: &str, name: &str) -> RegionRow {
    RegionRow {
        code: code.into(),
        parent_code: parent.map(Into::into),
        level: level.into(),
        name: name.into(),
    }
}

async fn story(db: &Db) {
    db.ping().await.expect("ping");
    // Migrating twice is a no-op.
    db.migrate().await.expect("second migrate");

    assert!(seed::is_empty(db).await.unwrap());
    let summary = seed::seed(db, 500, &mut |_, _| {}).await.expect("seed");
    assert_eq!(
        (summary.townships, summary.villages, summary.households),
        (18, 306, 500)
    );
    assert!(!seed::is_empty(db).await.unwrap());
    assert_eq!(region::count(db, RegionLevel::Township).await.unwrap(), 18);
    assert_eq!(region::count(db, RegionLevel::Village).await.unwrap(), 306);

    // Create and read back.
    let village = row("430581101999", Some("430581101000"), "village", "测试村");
    region::insert(db, &village).await.expect("insert village");
    assert_eq!(
        region::get(db, "430581101999").await.unwrap(),
        Some(village)
    );
    assert_eq!(region::get(db, "430581101998").await.unwrap(), None);

    // Update.
    assert!(region::rename(db, "430581101999", "试验村").await.unwrap());
    assert!(!region::rename(db, "430581101998", "无此村").await.unwrap());
    assert_eq!(
        region::get(db, "430581101999").await.unwrap().unwrap().name,
        "试验村"
    );

    // List (search): exact before prefix before contains; townships before villages.
    let hits = region::search(db, "湾头桥镇", 10).await.unwrap();
    assert_eq!(hits[0].name, "湾头桥镇");
    assert_eq!(hits[0].level, RegionLevel::Township);
    let hits = region::search(db, "试验", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].parent_name.as_deref(), Some("湾头桥镇"));
    // LIKE wildcards in user text are literal.
    assert!(region::search(db, "%", 10).await.unwrap().is_empty());
    assert!(region::search(db, "_", 10).await.unwrap().is_empty());

    // Constraints.
    let bad = [
        row("430581101999", Some("430581101000"), "village", "重复编码"), // duplicate key
        row("43058110199", Some("430581101000"), "village", "短编码"),    // 11 digits
        row("43058110199X", Some("430581101000"), "village", "非数字"),   // not digits
        row("430581101997", Some("430581101000"), "hamlet", "坏级别"),    // unknown level
        row("430581101996", Some("430581999000"), "village", "无上级"),   // missing parent
        row("430581101995", None, "village", "孤村"),                     // village without parent
        row("430581101994", Some("430581101000"), "village", "  "),       // blank name
    ];
    for r in &bad {
        let err = region::insert(db, r)
            .await
            .expect_err(&format!("must reject {r:?}"));
        assert!(
            matches!(err, sqlx::Error::Database(_)),
            "{r:?} rejected by the database, got {err:?}"
        );
    }
    assert_eq!(region::count(db, RegionLevel::Village).await.unwrap(), 307);
}

#[tokio::test]
async fn story_on_sqlite() {
    let t = common::sqlite().await;
    assert_eq!(t.db.backend(), Backend::Sqlite);
    story(&t.db).await;
    // The SQLite file was created on disk, in a folder that did not exist before.
    assert!(t.dir.join("nested").join("fupin.db").exists());
}

#[tokio::test]
async fn story_on_postgres() {
    let Some(t) = common::postgres().await else {
        return;
    };
    assert_eq!(t.db.backend(), Backend::Postgres);
    story(&t.db).await;
    t.drop_db().await;
}

#[tokio::test]
async fn a_bad_url_is_a_clear_error() {
    let err = Db::connect("mysql://root@localhost/x").await.unwrap_err();
    assert!(
        err.to_string().contains("unsupported DATABASE_URL"),
        "{err}"
    );
    let err = Db::connect("postgres://nobody:secret@127.0.0.1:1/x")
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("cannot connect"), "{text}");
    assert!(!text.contains("secret"), "password leaked: {text}");
}
