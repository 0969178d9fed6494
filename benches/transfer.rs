//! Import/export benchmark: `make bench-transfer` (or `cargo bench --features ssr --bench transfer`).
//!
//! Seeds a register of 27,500 households (~100,000 persons) into a fresh SQLite file, exports it
//! (CSV and XLSX), then imports the CSV and the XLSX into a database holding the same places and no
//! households, and imports the CSV once more (everything unchanged). Prints the time of each step
//! and the rows per second. Targets: export ≤ 5 s, import ≤ 20 s for 100,000 member rows.
use axum::body::Bytes;
use fupin::{
    model::transfer::ExportFilter,
    server::{
        db::Db,
        repo::records::Scope,
        seed,
        transfer::{
            export,
            import::{self, Outcome},
        },
    },
};
use std::time::Instant;

const HOUSEHOLDS: u32 = 27_500;

async fn fresh(dir: &std::path::Path, name: &str, households: u32) -> Db {
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    let db = Db::connect(&format!("sqlite:{}", path.display()))
        .await
        .expect("open");
    db.migrate().await.expect("migrate");
    seed::seed(&db, households, &mut |_, _| {})
        .await
        .expect("seed");
    db
}

fn line(what: &str, rows: usize, secs: f64) {
    println!(
        "{what:<44} {rows:>7} rows  {secs:>7.2} s  {:>9.0} rows/s",
        rows as f64 / secs
    );
}

#[tokio::main]
async fn main() {
    let dir = std::path::PathBuf::from("target/bench/transfer");
    std::fs::create_dir_all(&dir).expect("folder");
    eprintln!("seeding {HOUSEHOLDS} households …");
    let src = fresh(&dir, "source.db", HOUSEHOLDS).await;

    let started = Instant::now();
    let exported = export::households(&src, &Scope::All, &ExportFilter::default(), None, true)
        .await
        .expect("export");
    let read = started.elapsed().as_secs_f64();
    let sheet = export::register_sheet(&exported);
    let csv = export::to_csv(&sheet);
    let csv_secs = started.elapsed().as_secs_f64();
    let rows = sheet.rows.len();
    line("export: read the register", rows, read);
    line("export: read + write CSV", rows, csv_secs);
    let started = Instant::now();
    let xlsx = export::to_xlsx(&sheet, false).expect("xlsx");
    line(
        "export: write XLSX (after the same read)",
        rows,
        started.elapsed().as_secs_f64(),
    );
    println!(
        "files: CSV {:.1} MB, XLSX {:.1} MB",
        csv.len() as f64 / 1e6,
        xlsx.len() as f64 / 1e6
    );
    drop(exported);

    for (label, bytes) in [("CSV", &csv), ("XLSX", &xlsx)] {
        let dst = fresh(&dir, &format!("target-{label}.db"), 0).await;
        let started = Instant::now();
        let report = import::dry_run(&dst, &Scope::All, label, Bytes::copy_from_slice(bytes))
            .await
            .expect("dry run");
        assert!(
            report.errors.is_empty(),
            "{:?}",
            &report.errors[..3.min(report.errors.len())]
        );
        line(
            &format!("import {label}: dry run (read, check, match)"),
            report.rows as usize,
            started.elapsed().as_secs_f64(),
        );
        let started = Instant::now();
        let outcome = import_all(&dst, label, bytes).await;
        assert!(matches!(outcome, Outcome::Done(c) if c.households_new == HOUSEHOLDS));
        line(
            &format!("import {label}: all new, one transaction"),
            report.rows as usize,
            started.elapsed().as_secs_f64(),
        );
        if label == "CSV" {
            let started = Instant::now();
            let outcome = import_all(&dst, label, bytes).await;
            assert!(matches!(outcome, Outcome::Done(c) if c.households_unchanged == HOUSEHOLDS));
            line(
                "import CSV again: all unchanged",
                report.rows as usize,
                started.elapsed().as_secs_f64(),
            );
        }
        dst.close().await;
    }
    src.close().await;
}

/// Imports `bytes` (a `label` file) into `db` at the city's scope, in one transaction.
async fn import_all(db: &Db, label: &str, bytes: &[u8]) -> Outcome {
    import::run(
        db,
        &Scope::All,
        "bench",
        label,
        Bytes::copy_from_slice(bytes),
        &|_| {},
    )
    .await
    .expect("import")
}
