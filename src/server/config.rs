//! Command line and environment configuration.
use clap::{Parser, Subcommand};
use std::net::SocketAddr;

/// fupin: targeted poverty-alleviation data system.
#[derive(Debug, Parser)]
#[command(name = "fupin", version, about)]
pub struct Cli {
    /// Database: `sqlite:PATH` (created when missing) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite:data/fupin.db",
        global = true
    )]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations, then serve the web application until Ctrl-C / SIGTERM.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "FUPIN_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// Folder with the built client (`/pkg`) and static files.
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: String,
    },
    /// Serve a fixed 2 KB page with a bare axum router (no database): the floor the load script
    /// (scripts/load.sh) compares the pages with.
    Floor {
        #[arg(long, default_value = "127.0.0.1:3999")]
        addr: SocketAddr,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Load the deterministic demo data set (Wugang's shape).
    Seed {
        /// Do nothing when the database already holds data (used by `make run`).
        #[arg(long)]
        if_empty: bool,
        /// Number of households (26,000 is Wugang's register; 1,000,000 for benchmarks).
        #[arg(long, default_value_t = crate::server::seed::DEFAULT_HOUSEHOLDS)]
        households: u32,
    },
    /// Staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Import households from a register file (CSV in UTF-8 or GBK, or XLSX): checked first,
    /// then written in one transaction, or not at all. City-wide, as an administrator would.
    Import {
        /// The file (the template's columns; see /staff/import).
        file: std::path::PathBuf,
        /// Only check and report; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Name recorded in the audit log.
        #[arg(long, default_value = "cli")]
        actor: String,
        /// Language of the report: zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
    },
    /// Export the register rows of the matching households (full details, audited) to FILE
    /// (.csv: UTF-8 with BOM; .xlsx).
    Export {
        /// 12-digit township code.
        #[arg(long)]
        township: Option<String>,
        /// 12-digit village code.
        #[arg(long)]
        village: Option<String>,
        /// poor, exited or relapsed.
        #[arg(long)]
        status: Option<String>,
        /// A name or its beginning, pinyin or initials.
        #[arg(long)]
        q: Option<String>,
        /// Name recorded in the audit log.
        #[arg(long, default_value = "cli")]
        actor: String,
        file: std::path::PathBuf,
    },
}

/// `fupin user …`
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from FUPIN_PASSWORD or, if unset, from the first
    /// line of standard input (never from the command line, where other users could see it).
    Add {
        #[arg(long)]
        username: String,
        /// Name shown in the application and the audit trail.
        #[arg(long)]
        display_name: String,
        /// city_admin, township, village or cadre.
        #[arg(long)]
        role: String,
        /// 12-digit code of the city, township or village the role covers.
        #[arg(long)]
        region: String,
        /// For the cadre role: the cadre record (its paired households are the scope).
        #[arg(long)]
        cadre: Option<i64>,
    },
    /// Disable an account: it can no longer log in, and its sessions end at once (for good:
    /// enabling it again does not revive them).
    Disable {
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled account again (it logs in afresh).
    Enable {
        #[arg(long)]
        username: String,
    },
}
