//! Multi-row INSERTs for loading large data sets quickly on either backend.
pub use crate::server::db::{Tx, Val};
use std::fmt::Write;

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
        let rows = std::mem::take(&mut self.rows);
        let n = rows.len() as u64;
        let width = self.columns.len();
        let mut text = format!(
            "INSERT INTO {} ({}) VALUES ",
            self.table,
            self.columns.join(", ")
        );
        let backend = tx.backend();
        for r in 0..rows.len() {
            let sep = if r == 0 { "" } else { ", " };
            let _ = write!(text, "{sep}({})", backend.marks(r * width + 1, width));
        }
        crate::server::db::sql_built(text)
            .bind_all(rows.into_iter().flatten())
            .execute(tx)
            .await?;
        self.written += n;
        Ok(())
    }
}

/// Flushes every table, in the order given (parents before children, so foreign keys hold at
/// every statement), once one of them is full or when `force`d.
pub async fn flush_in_order(
    tables: &mut [&mut Table],
    tx: &mut Tx,
    force: bool,
) -> Result<(), sqlx::Error> {
    if force || tables.iter().any(|t| t.is_full()) {
        for t in tables.iter_mut() {
            t.flush(tx).await?;
        }
    }
    Ok(())
}
