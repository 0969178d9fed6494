//! An open transaction on either backend. Dropping it without [`Tx::commit`] rolls it back, so a
//! function that returns early (`?`, a refusal) leaves nothing half-written.
use super::{Backend, Db, sql};

pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Db {
    /// A transaction for reads that must see one snapshot (or for writes that may wait for the
    /// lock at their first write).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// A transaction that will write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a transaction that reads before it writes waits for its turn (busy
    /// timeout) instead of failing with "database is locked" when another writer commits first.
    /// PostgreSQL needs nothing special (row locks and the version checks decide).
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    /// Undoes everything the transaction did (dropping it does the same, later).
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.rollback().await,
            Tx::Postgres(t) => t.rollback().await,
        }
    }

    /// The engine this transaction runs on (for the few statements whose dialects differ).
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    /// On SQLite, drops the explicitly created indexes and returns their definitions (nothing on
    /// PostgreSQL, whose loads are not index-bound here).
    pub async fn set_indexes_aside(&mut self) -> Result<Vec<(String, String)>, sqlx::Error> {
        const LIST: &str =
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
        if self.backend() != Backend::Sqlite {
            return Ok(Vec::new());
        }
        let indexes: Vec<(String, String)> = sql(LIST).fetch_all(&mut *self).await?;
        for (name, _) in &indexes {
            let drop = format!("DROP INDEX \"{}\"", name.replace('"', "\"\""));
            super::sql_built(drop).execute(&mut *self).await?;
        }
        Ok(indexes)
    }

    /// Recreates what [`Tx::set_indexes_aside`] dropped.
    pub async fn restore_indexes(
        &mut self,
        indexes: Vec<(String, String)>,
    ) -> Result<(), sqlx::Error> {
        for (_, definition) in indexes {
            super::sql_built(definition).execute(&mut *self).await?;
        }
        Ok(())
    }

    /// Runs a fixed statement without binds inside the transaction.
    pub async fn execute(&mut self, text: &'static str) -> Result<(), sqlx::Error> {
        sql(text).execute(self).await.map(|_| ())
    }
}
