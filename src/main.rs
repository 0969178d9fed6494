//! The `fupin` binary: `serve`, `migrate`, `seed`.
use clap::Parser;
use fupin::server::repo::records::Scope;
use fupin::server::{
    auth,
    config::{Cli, Command, UserCommand},
    db::{Db, redact},
    leptos_options, seed, serve,
    state::AppState,
};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// mimalloc instead of the C library's allocator: a page rendered for every request allocates and
/// frees thousands of small strings and nodes across two render threads and the database
/// threads, and glibc's malloc took about a tenth of the server's time in a profile of the village
/// page at a million households (`_int_malloc`, `unlink_chunk`, `malloc_consolidate`). Measured
/// with the same binary and Debian's libmimalloc preloaded: 450 -> 505 req/s on that page.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("fupin: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    if let Command::Floor { addr } = cli.command {
        return Ok(fupin::server::floor::serve(addr).await?);
    }
    let db = Db::connect(&cli.database_url).await?;
    tracing::info!(database = %redact(&cli.database_url), backend = db.backend().name(), "connected");
    db.migrate().await?;
    if fupin::server::repo::stats::rebuild_if_missing(&db).await? {
        tracing::info!("dashboard summaries built for an existing register");
    }
    match cli.command {
        Command::Floor { .. } => unreachable!("served above, without a database"),
        Command::Migrate => tracing::info!("migrations applied"),
        Command::Seed {
            if_empty,
            households,
        } => {
            if !seed::is_empty(&db).await? {
                if !if_empty {
                    return Err(
                        "the database already holds data: seed only an empty database".into(),
                    );
                }
                tracing::info!("database already holds data: seed skipped");
            } else {
                let started = std::time::Instant::now();
                let mut report = |done: u64, total: u64| {
                    eprintln!(
                        "seed: {done} / {total} households ({:.0?})",
                        started.elapsed()
                    );
                };
                let summary = seed::seed(&db, households, &mut report).await?;
                seed::demo_users(&db)
                    .await
                    .map_err(|e| format!("demo accounts: {e}"))?;
                seed::demo_transparency(&db).await?;
                let cases = seed::demo_monitoring(&db).await?;
                tracing::info!(?cases, "demo monitoring loaded");
                tracing::info!(?summary, elapsed = ?started.elapsed(), "demo data loaded");
            }
        }
        Command::User(UserCommand::Add {
            username,
            display_name,
            role,
            region,
            cadre,
        }) => {
            let role = fupin::model::codes::Role::parse(&role)
                .ok_or("unknown role: use city_admin, township, village or cadre")?;
            let password = match std::env::var("FUPIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let id = auth::create_user(
                &db,
                &username,
                &display_name,
                &password,
                role,
                &region,
                cadre,
            )
            .await
            .map_err(|e| format!("cannot create the account: {e}"))?;
            tracing::info!(id, username = %username, role = role.as_str(), "account created");
        }
        Command::User(UserCommand::Disable { username }) => {
            let found = auth::set_active(&db, &username, false)
                .await
                .map_err(|e| format!("cannot disable the account: {e}"))?;
            if !found {
                return Err(format!("no account named {username:?}").into());
            }
            tracing::info!(username = %username, "account disabled; its sessions ended");
        }
        Command::User(UserCommand::Enable { username }) => {
            let found = auth::set_active(&db, &username, true)
                .await
                .map_err(|e| format!("cannot enable the account: {e}"))?;
            if !found {
                return Err(format!("no account named {username:?}").into());
            }
            tracing::info!(username = %username, "account enabled");
        }
        Command::Import {
            file,
            dry_run,
            actor,
            lang,
        } => import_file(&db, &file, dry_run, &actor, &lang).await?,
        Command::Export {
            township,
            village,
            status,
            q,
            actor,
            file,
        } => {
            use fupin::{model::transfer::ExportFilter, server::transfer::export};
            let filter = ExportFilter {
                q,
                township,
                village,
                status,
                register_only: false,
            };
            let started = std::time::Instant::now();
            let exported = export::households(&db, &Scope::All, &filter, None, true).await?;
            let sheet = export::register_sheet(&exported);
            let rows = sheet.rows.len();
            let bytes = if file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
            {
                export::to_xlsx(&sheet, false)?
            } else {
                export::to_csv(&sheet)
            };
            std::fs::write(&file, bytes)?;
            let detail = serde_json::json!({ "filter": filter, "households": exported.households.len(), "file": file.display().to_string() });
            fupin::server::repo::audit::trace(
                &db,
                &actor,
                "export",
                "households",
                "",
                Some(detail.to_string()),
            )
            .await?;
            eprintln!(
                "export: {} households, {rows} rows to {} in {:.2?}",
                exported.households.len(),
                file.display(),
                started.elapsed()
            );
        }
        Command::Serve { addr, site_root } => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let state = AppState {
                leptos_options: leptos_options(addr, &site_root),
                db: db.clone(),
            };
            tracing::info!("listening on http://{addr}");
            serve(listener, state).await?;
        }
    }
    db.close().await;
    Ok(())
}

/// `fupin import FILE [--dry-run]`: the web import's checks and transaction, city-wide, with the
/// report on standard error. Fails (exit code 1) when the file has errors.
async fn import_file(
    db: &Db,
    file: &std::path::Path,
    dry_run: bool,
    actor: &str,
    lang: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    use fupin::{
        components::import_message_in,
        i18n::Locale,
        model::transfer::ImportProgress,
        server::transfer::import::{self, Outcome},
    };
    let locale = if lang == "en" { Locale::en } else { Locale::zh };
    let bytes = axum::body::Bytes::from(std::fs::read(file)?);
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let started = std::time::Instant::now();
    let report = import::dry_run(db, &Scope::All, &name, bytes.clone()).await?;
    let c = report.counts;
    eprintln!(
        "import: {name}: {} {} rows; households {} new / {} updated / {} unchanged; persons {} new / {} updated / {} unchanged; social assistance {} new ({:.2?})",
        report.format,
        report.rows,
        c.households_new,
        c.households_updated,
        c.households_unchanged,
        c.members_new,
        c.members_updated,
        c.members_unchanged,
        c.assistance_new,
        started.elapsed()
    );
    if !report.ignored_columns.is_empty() {
        eprintln!(
            "import: ignored columns: {}",
            report.ignored_columns.join(", ")
        );
    }
    for e in &report.errors {
        let col = e
            .col
            .map(|c| if locale == Locale::en { c.en() } else { c.zh() })
            .unwrap_or("");
        eprintln!(
            "row {}\t{col}\t{}\t{}",
            e.row,
            e.value,
            import_message_in(locale, &e.code)
        );
    }
    if report.more_errors > 0 {
        eprintln!("… {} more", report.more_errors);
    }
    if !report.errors.is_empty() {
        return Err(format!(
            "{} problems: nothing was imported",
            report.errors.len() + report.more_errors as usize
        )
        .into());
    }
    if dry_run {
        eprintln!("import: dry run: nothing was written");
        return Ok(());
    }
    let progress = |p: ImportProgress| {
        if let ImportProgress::Writing { done, total } = p
            && (done % 10_000 == 0 || done == total)
        {
            eprintln!(
                "import: {done} / {total} households ({:.2?})",
                started.elapsed()
            );
        }
    };
    match import::run(db, &Scope::All, actor, &name, bytes, &progress).await? {
        Outcome::Done(c) => {
            eprintln!(
                "import: done in {:.2?}: {} households added, {} updated, {} unchanged; {} social assistance enrolments added",
                started.elapsed(),
                c.households_new,
                c.households_updated,
                c.households_unchanged,
                c.assistance_new
            );
            Ok(())
        }
        Outcome::Failed { reason, errors } => {
            for e in &errors {
                eprintln!("row {}\t{}", e.row, import_message_in(locale, &e.code));
            }
            Err(format!(
                "{}: nothing was imported",
                import_message_in(locale, &reason)
            )
            .into())
        }
    }
}
