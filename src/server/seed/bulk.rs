//! Multi-row INSERTs for loading large data sets quickly on either backend.
use crate::server::db::Db;
use chrono::NaiveDate;
use sqlx::QueryBuilder;

/// One value of a row. Each variant carries its SQL type even when NULL, because PostgreSQL
/// rejects a NULL bound with the wrong type.
#[derive(Debug, Clone)]
pub enum Val {
    Int(Option<i64>),
    Real(f64),
    Text(Option<String>),
    Date(Option<NaiveDate>),
    Bool(bool),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(Some(v))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::Int(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::Real(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(Some(v.to_string()))
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(Some(v))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::Text(v)
    }
}
impl From<Option<&'static str>> for Val {
    fn from(v: Option<&'static str>) -> Self {
        Val::Text(v.map(str::to_string))
    }
}
impl From<NaiveDate> for Val {
    fn from(v: NaiveDate) -> Self {
        Val::Date(Some(v))
    }
}
impl From<Option<NaiveDate>> for Val {
    fn from(v: Option<NaiveDate>) -> Self {
        Val::Date(v)
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::Bool(v)
    }
}

/// Rows waiting to be written to one table.
pub struct Table {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Val>>,
    /// Rows written so far.
    pub written: u64,
}

impl Table {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Table {
            table,
            columns,
            rows: Vec::new(),
            written: 0,
        }
    }

    /// Queues a row; its values must follow `columns`.
    pub fn push(&mut self, row: Vec<Val>) {
        debug_assert_eq!(row.len(), self.columns.len(), "row for {}", self.table);
        self.rows.push(row);
    }

    /// Whether enough rows are queued to be worth a statement.
    pub fn is_full(&self) -> bool {
        // Both backends accept well over 30,000 parameters per statement.
        self.rows.len() * self.columns.len() >= 16_000
    }

    /// Writes the queued rows within `tx`.
    pub async fn flush(&mut self, tx: &mut Tx) -> Result<(), sqlx::Error> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let head = format!("INSERT INTO {} ({}) ", self.table, self.columns.join(", "));
        let rows = std::mem::take(&mut self.rows);
        let n = rows.len() as u64;
        macro_rules! run {
            ($tx:expr) => {{
                let mut qb = QueryBuilder::new(head);
                qb.push_values(rows, |mut b, row| {
                    for v in row {
                        match v {
                            Val::Int(x) => b.push_bind(x),
                            Val::Real(x) => b.push_bind(x),
                            Val::Text(x) => b.push_bind(x),
                            Val::Date(x) => b.push_bind(x),
                            Val::Bool(x) => b.push_bind(x),
                        };
                    }
                });
                qb.build().execute(&mut **$tx).await.map(|_| ())
            }};
        }
        match tx {
            Tx::Sqlite(t) => run!(t)?,
            Tx::Postgres(t) => run!(t)?,
        }
        self.written += n;
        Ok(())
    }
}

/// An open transaction on either backend.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    pub async fn begin(db: &Db) -> Result<Tx, sqlx::Error> {
        Ok(match db {
            Db::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    /// On SQLite, drops the explicitly created indexes and returns their definitions (nothing on
    /// PostgreSQL, whose loads are not index-bound here).
    pub async fn set_indexes_aside(&mut self) -> Result<Vec<(String, String)>, sqlx::Error> {
        const LIST: &str =
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
        let Tx::Sqlite(t) = self else {
            return Ok(Vec::new());
        };
        let indexes: Vec<(String, String)> = sqlx::query_as(LIST).fetch_all(&mut **t).await?;
        for (name, _) in &indexes {
            let drop = format!("DROP INDEX \"{}\"", name.replace('"', "\"\""));
            sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(&mut **t)
                .await?;
        }
        Ok(indexes)
    }

    /// Recreates what [`Tx::set_indexes_aside`] dropped.
    pub async fn restore_indexes(
        &mut self,
        indexes: Vec<(String, String)>,
    ) -> Result<(), sqlx::Error> {
        if let Tx::Sqlite(t) = self {
            for (_, sql) in indexes {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut **t)
                    .await?;
            }
        }
        Ok(())
    }

    /// Runs a fixed statement inside the transaction.
    pub async fn execute(&mut self, sql: &'static str) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => sqlx::query(sql).execute(&mut **t).await.map(|_| ()),
            Tx::Postgres(t) => sqlx::query(sql).execute(&mut **t).await.map(|_| ()),
        }
    }
}
