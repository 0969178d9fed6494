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
}
