//! A `kill -9` in the middle of a 100,000-row import leaves the register exactly as it was: the
//! import is one transaction, and SQLite's journal drops an unfinished one on the next open.
use crate::common;
use crate::common::probe::counts;
use axum::body::Bytes;

use fupin::{
    model::transfer::ExportFilter,
    server::{
        db::Db,
        repo::records::Scope,
        seed,
        transfer::{export, import},
    },
    with_pool,
};
use std::io::{BufRead, BufReader};

async fn footprint(db: &Db) -> Vec<i64> {
    const TABLES: [&str; 6] = [
        "SELECT COUNT(*) FROM household",
        "SELECT COUNT(*) FROM member",
        "SELECT COUNT(*) FROM household_cause",
        "SELECT COUNT(*) FROM housing",
        "SELECT COUNT(*) FROM name_token",
        "SELECT COUNT(*) FROM audit_log",
    ];
    counts(db, &TABLES).await
}

#[tokio::test]
async fn a_killed_import_leaves_the_register_as_it_was() {
    // A register of ~100,000 persons, exported as the import template.
    let src = common::sqlite().await;
    seed::seed(&src.db, 27_500, &mut |_, _| {}).await.unwrap();
    let file = src.dir.join("register.csv");
    {
        let exported =
            export::households(&src.db, &Scope::All, &ExportFilter::default(), None, true)
                .await
                .unwrap();
        let sheet = export::register_sheet(&exported);
        assert!(sheet.rows.len() >= 100_000, "{} rows", sheet.rows.len());
        std::fs::write(&file, export::to_csv(&sheet)).unwrap();
    }
    // Another database with the same places and no households.
    let dst = common::sqlite().await;
    seed::seed(&dst.db, 0, &mut |_, _| {}).await.unwrap();
    let before = footprint(&dst.db).await;
    assert_eq!(before[0], 0);
    let url = format!(
        "sqlite:{}",
        dst.dir.join("nested").join("fupin.db").display()
    );

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(["--database-url", &url, "import"])
        .arg(&file)
        .env("RUST_LOG", "warn")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start fupin import");
    let stderr = child.stderr.take().unwrap();
    let mut seen = Vec::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        seen.push(line.clone());
        // Well into the writing: 10,000 households inserted, not committed.
        if line.starts_with("import: 10000 / ") {
            break;
        }
    }
    assert!(
        seen.last()
            .is_some_and(|l| l.starts_with("import: 10000 / ")),
        "the import ended before it could be killed: {seen:#?}"
    );
    child.kill().expect("kill -9"); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success());

    // The register as it was, and a sound file.
    assert_eq!(footprint(&dst.db).await, before);
    let check: String = with_pool!(&dst.db, |p| sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(p)
        .await)
    .unwrap();
    assert_eq!(check, "ok");
    // Nothing is left locked: the same file checks cleanly and would add every household.
    let bytes = std::fs::read(&file).unwrap();
    let report = import::dry_run(
        &dst.db,
        &Scope::All,
        "register.csv",
        Bytes::copy_from_slice(&bytes),
    )
    .await
    .unwrap();
    assert!(
        report.errors.is_empty(),
        "{:#?}",
        &report.errors[..report.errors.len().min(5)]
    );
    assert_eq!(report.counts.households_new, 27_500);
}
