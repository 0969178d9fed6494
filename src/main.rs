//! The `fupin` binary: `serve`, `migrate`, `seed`.
use clap::Parser;
use fupin::server::{
    auth,
    config::{Cli, Command, UserCommand},
    db::{Db, redact},
    leptos_options, seed, serve,
    state::AppState,
};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

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
    let db = Db::connect(&cli.database_url).await?;
    tracing::info!(database = %redact(&cli.database_url), backend = db.backend().name(), "connected");
    db.migrate().await?;
    if fupin::server::repo::stats::rebuild_if_missing(&db).await? {
        tracing::info!("dashboard summaries built for an existing register");
    }
    match cli.command {
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
