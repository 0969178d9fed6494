//! One handle over the two supported backends, chosen at run time from `DATABASE_URL`.
//!
//! `sqlx::Any` cannot decode dates or booleans from SQLite. Instead a statement is written once as
//! an [`Sql`] with typed binds ([`Val`]) and runs on either a pool ([`Db`]) or a transaction
//! ([`Tx`]); rows decode into named structs (`#[derive(sqlx::FromRow)]`) that both backends can
//! build ([`Record`]). Repository functions are therefore plain `async fn`s over `&mut Tx` or
//! `&Db`. [`with_pool!`] remains for the few places that need a typed pool itself (dynamic
//! `QueryBuilder` queries, migrations).
mod sql;
mod tx;

pub use sql::{Conn, Record, Sql, Val, Value, sql, sql_built};
use sqlx::{
    PgPool, SqlitePool,
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{borrow::Cow, path::Path, str::FromStr, time::Duration};
pub use tx::Tx;

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from a connection URL's scheme.
    pub fn from_url(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(DbError::UnsupportedUrl(redact(url)))
        }
    }

    /// The placeholder of the `n`th bound value (from 1). A statement built with these must use
    /// each once, in bind order: on SQLite it is a plain `?`, because SQLite takes `$N` as a
    /// named parameter and finds each by name, which costs the square of their number in a long
    /// statement (a 16,000-value insert took seconds instead of milliseconds).
    pub fn mark(self, n: usize) -> Cow<'static, str> {
        match self {
            Backend::Sqlite => Cow::Borrowed("?"),
            Backend::Postgres => Cow::Owned(format!("${n}")),
        }
    }

    /// `count` placeholders from the `first`th, separated by commas (see [`Backend::mark`]).
    pub fn marks(self, first: usize, count: usize) -> String {
        let marks: Vec<Cow<str>> = (first..first + count).map(|n| self.mark(n)).collect();
        marks.join(", ")
    }

    /// Human name, shown on the status line.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// A connection pool to either backend.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same expression against whichever pool `db` holds. The expression is compiled once per
/// backend, so it may use backend-generic sqlx calls (`query`, `query_as`, `query_scalar`).
#[macro_export]
macro_rules! with_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::server::db::Db::Sqlite($pool) => $body,
            $crate::server::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Errors while opening or migrating the database; shown to the operator, never to a browser.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported DATABASE_URL {0:?}: use sqlite:PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    #[error("cannot create the folder for the SQLite file {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// How long a SQLite writer waits for the one write lock before its request is answered 503 with
/// `Retry-After` (a long import holds the lock for its whole transaction).
pub const BUSY_TIMEOUT_SECS: u64 = 4;

impl Db {
    /// Opens a pool for `url`. For SQLite the file (and its folder) is created when missing, and
    /// the connection is set up for durability: WAL journal, `synchronous = FULL` (a committed
    /// write survives a crash or power loss), foreign keys on, and a busy timeout for writers.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        let connect_err = |source| DbError::Connect {
            url: redact(url),
            source,
        };
        match Backend::from_url(url)? {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)
                    .map_err(connect_err)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(BUSY_TIMEOUT_SECS))
                    // 64 MiB page cache per connection (allocated as used): index-heavy writes
                    // and searches over a million households stay in memory.
                    .pragma("cache_size", "-65536")
                    // Reads through a memory map of the file (up to 16 GiB, the limit the
                    // bundled SQLite is built with, see .cargo/config.toml): every connection
                    // reads the pages the operating system already holds, without a system call
                    // and a copy per page. At a million households a first visit to a village
                    // read its households through pread into each connection's own cache.
                    // Writes still go through the journal as before.
                    .pragma("mmap_size", "17179869184")
                    .pragma("temp_store", "memory")
                    // A connection's thread hands its rows to the page over a channel; at the
                    // default 50 places a list of 100 households (a village) or 306 villages (the
                    // place filters) stopped the thread at the 51st row until the page's thread,
                    // busy rendering another page, took one: every row after was a hand-over
                    // between two threads. A longer result (an export) still streams, held back past 512.
                    .row_buffer_size(512);
                let file = opts.get_filename();
                if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                    create_dir(dir)?;
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await
                    .map_err(connect_err)?;
                Ok(Db::Sqlite(pool))
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await
                    .map_err(connect_err)?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    /// Applies the embedded migrations of this backend (`migrations/sqlite` or `migrations/postgres`).
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Answers `Ok` only when the database executes a query.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        let one: i32 = with_pool!(self, |p| sqlx::query_scalar("SELECT 1").fetch_one(p).await)?;
        debug_assert_eq!(one, 1);
        Ok(())
    }

    /// The engine behind this pool.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every connection (used on shutdown so SQLite checkpoints its WAL).
    pub async fn close(&self) {
        with_pool!(self, |p| p.close().await)
    }
}

fn create_dir(dir: &Path) -> Result<(), DbError> {
    std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
        path: dir.display().to_string(),
        source,
    })
}

/// Hides a password in a URL before it is printed.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_url_scheme() {
        assert_eq!(
            Backend::from_url("sqlite:data/fupin.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("sqlite::memory:").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::from_url("postgresql://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert!(matches!(
            Backend::from_url("mysql://u@h/db"),
            Err(DbError::UnsupportedUrl(_))
        ));
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://app:s3cret@db/fupin"),
            "postgres://app:***@db/fupin"
        );
        assert_eq!(redact("postgres://app@db/fupin"), "postgres://app@db/fupin");
        assert_eq!(redact("sqlite:data/fupin.db"), "sqlite:data/fupin.db");
    }
}
