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
}
