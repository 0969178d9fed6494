//! A statement with its typed binds, run on either backend, on a pool or inside a transaction.
use super::{Db, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{
    Arguments, Database, Decode, Encode, FromRow, PgConnection, PgPool, Postgres, Sqlite,
    SqliteConnection, SqlitePool, Type, postgres::PgRow, sqlite::SqliteRow,
};

/// One bound value. Each variant carries its SQL type even when NULL, because PostgreSQL
/// rejects a NULL bound with the wrong type.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Int(Option<i64>),
    Int4(Option<i32>),
    Real(Option<f64>),
    Text(Option<String>),
    Date(Option<NaiveDate>),
    Bool(Option<bool>),
    Time(Option<DateTime<Utc>>),
    Bytes(Option<Vec<u8>>),
}

macro_rules! val_from {
    ($($t:ty => |$v:ident| $e:expr),+ $(,)?) => {
        $(impl From<$t> for Val {
            fn from($v: $t) -> Self {
                $e
            }
        })+
    };
}

val_from! {
    i64 => |v| Val::Int(Some(v)),
    Option<i64> => |v| Val::Int(v),
    i32 => |v| Val::Int4(Some(v)),
    Option<i32> => |v| Val::Int4(v),
    f64 => |v| Val::Real(Some(v)),
    Option<f64> => |v| Val::Real(v),
    &str => |v| Val::Text(Some(v.to_string())),
    String => |v| Val::Text(Some(v)),
    &String => |v| Val::Text(Some(v.clone())),
    Option<String> => |v| Val::Text(v),
    &Option<String> => |v| Val::Text(v.clone()),
    Option<&str> => |v| Val::Text(v.map(str::to_string)),
    NaiveDate => |v| Val::Date(Some(v)),
    Option<NaiveDate> => |v| Val::Date(v),
    bool => |v| Val::Bool(Some(v)),
    Option<bool> => |v| Val::Bool(v),
    DateTime<Utc> => |v| Val::Time(Some(v)),
    Option<DateTime<Utc>> => |v| Val::Time(v),
    Vec<u8> => |v| Val::Bytes(Some(v)),
    &Vec<u8> => |v| Val::Bytes(Some(v.clone())),
    &[u8] => |v| Val::Bytes(Some(v.to_vec())),
}

/// A stored code binds as its text.
impl<C: crate::model::codes::Code> From<C> for Val {
    fn from(v: C) -> Self {
        Val::Text(Some(v.code().to_string()))
    }
}

impl<C: crate::model::codes::Code> From<Option<C>> for Val {
    fn from(v: Option<C>) -> Self {
        Val::Text(v.map(|c| c.code().to_string()))
    }
}

/// A row type both backends can decode: a `#[derive(sqlx::FromRow)]` struct (or a tuple).
pub trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A single column's type both backends can decode.
pub trait Value:
    Type<Sqlite>
    + for<'r> Decode<'r, Sqlite>
    + Type<Postgres>
    + for<'r> Decode<'r, Postgres>
    + Send
    + Unpin
{
}
impl<T> Value for T where
    T: Type<Sqlite>
        + for<'r> Decode<'r, Sqlite>
        + Type<Postgres>
        + for<'r> Decode<'r, Postgres>
        + Send
        + Unpin
{
}

/// Where a statement runs: a pool (each statement on any free connection) or the connection of
/// an open transaction.
pub enum Conn<'c> {
    SqlitePool(&'c SqlitePool),
    PgPool(&'c PgPool),
    Sqlite(&'c mut SqliteConnection),
    Pg(&'c mut PgConnection),
}

impl<'c> From<&'c Db> for Conn<'c> {
    fn from(db: &'c Db) -> Self {
        match db {
            Db::Sqlite(p) => Conn::SqlitePool(p),
            Db::Postgres(p) => Conn::PgPool(p),
        }
    }
}

impl<'c> From<&'c mut Tx> for Conn<'c> {
    fn from(tx: &'c mut Tx) -> Self {
        match tx {
            Tx::Sqlite(t) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Pg(t),
        }
    }
}

/// A statement and its binds, in placeholder order (`$1`, `$2` … on both backends).
#[derive(Debug, Clone)]
pub struct Sql {
    text: sqlx::SqlStr,
    args: Vec<Val>,
}

/// A fixed statement (SQL in a `const` near the function that uses it).
pub fn sql(text: &'static str) -> Sql {
    use sqlx::SqlSafeStr;
    Sql {
        text: text.into_sql_str(),
        args: Vec::new(),
    }
}

/// A statement put together at run time. Only for text assembled from fixed fragments and
/// placeholders: every value must be bound, never written into the text.
pub fn sql_built(text: String) -> Sql {
    use sqlx::SqlSafeStr;
    Sql {
        text: sqlx::AssertSqlSafe(text).into_sql_str(),
        args: Vec::new(),
    }
}

/// The arguments of one backend, from the typed values.
fn arguments<DB: Database>(vals: Vec<Val>) -> Result<DB::Arguments, sqlx::Error>
where
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<i32>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<f64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<NaiveDate>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<bool>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<DateTime<Utc>>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<Vec<u8>>: Encode<'q, DB> + Type<DB>,
{
    let mut args = DB::Arguments::default();
    for v in vals {
        match v {
            Val::Int(x) => args.add(x),
            Val::Int4(x) => args.add(x),
            Val::Real(x) => args.add(x),
            Val::Text(x) => args.add(x),
            Val::Date(x) => args.add(x),
            Val::Bool(x) => args.add(x),
            Val::Time(x) => args.add(x),
            Val::Bytes(x) => args.add(x),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(args)
}

/// Runs `$body` with `$ex` the executor and `$args` the statement's arguments of its backend.
macro_rules! on_backend {
    ($conn:expr, $vals:expr, |$ex:ident, $args:ident| $body:expr) => {
        match $conn {
            Conn::SqlitePool($ex) => {
                let $args = arguments::<Sqlite>($vals)?;
                $body
            }
            Conn::Sqlite($ex) => {
                let $args = arguments::<Sqlite>($vals)?;
                $body
            }
            Conn::PgPool($ex) => {
                let $args = arguments::<Postgres>($vals)?;
                $body
            }
            Conn::Pg($ex) => {
                let $args = arguments::<Postgres>($vals)?;
                $body
            }
        }
    };
}

impl Sql {
    /// Adds the next placeholder's value.
    pub fn bind(mut self, value: impl Into<Val>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Adds several values in order.
    pub fn bind_all(mut self, values: impl IntoIterator<Item = Val>) -> Self {
        self.args.extend(values);
        self
    }

    /// Runs the statement; returns the number of rows it changed.
    pub async fn execute<'c>(self, on: impl Into<Conn<'c>>) -> Result<u64, sqlx::Error> {
        let Sql { text, args } = self;
        on_backend!(on.into(), args, |ex, a| sqlx::query_with(text, a)
            .execute(ex)
            .await
            .map(|r| r.rows_affected()))
    }

    /// The one row the statement returns (an error when there is none).
    pub async fn fetch_one<'c, T: Record>(self, on: impl Into<Conn<'c>>) -> Result<T, sqlx::Error> {
        let Sql { text, args } = self;
        on_backend!(on.into(), args, |ex, a| sqlx::query_as_with(text, a)
            .fetch_one(ex)
            .await)
    }

    /// The first row, if any.
    pub async fn fetch_optional<'c, T: Record>(
        self,
        on: impl Into<Conn<'c>>,
    ) -> Result<Option<T>, sqlx::Error> {
        let Sql { text, args } = self;
        on_backend!(on.into(), args, |ex, a| sqlx::query_as_with(text, a)
            .fetch_optional(ex)
            .await)
    }

    /// Every row.
    pub async fn fetch_all<'c, T: Record>(
        self,
        on: impl Into<Conn<'c>>,
    ) -> Result<Vec<T>, sqlx::Error> {
        let Sql { text, args } = self;
        on_backend!(on.into(), args, |ex, a| sqlx::query_as_with(text, a)
            .fetch_all(ex)
            .await)
    }

    /// The first column of the one row returned.
    pub async fn scalar<'c, T: Value>(self, on: impl Into<Conn<'c>>) -> Result<T, sqlx::Error> {
        let Sql { text, args } = self;
        on_backend!(on.into(), args, |ex, a| sqlx::query_scalar_with(text, a)
            .fetch_one(ex)
            .await)
    }

    /// The first column of the first row, if there is a row.
    pub async fn scalar_optional<'c, T: Value>(
        self,
        on: impl Into<Conn<'c>>,
    ) -> Result<Option<T>, sqlx::Error> {
        let Sql { text, args } = self;
        on_backend!(on.into(), args, |ex, a| sqlx::query_scalar_with(text, a)
            .fetch_optional(ex)
            .await)
    }

    /// The first column of every row.
    pub async fn scalars<'c, T: Value>(
        self,
        on: impl Into<Conn<'c>>,
    ) -> Result<Vec<T>, sqlx::Error> {
        let Sql { text, args } = self;
        on_backend!(on.into(), args, |ex, a| sqlx::query_scalar_with(text, a)
            .fetch_all(ex)
            .await)
    }
}
