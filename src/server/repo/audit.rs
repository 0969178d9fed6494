//! The audit trail: the one writer every action uses (inside the action's own transaction, or on
//! its own for reads that must leave a trace), and the reads of a household's history.
use crate::server::db::{Conn, Db, sql};

const INSERT: &str = "\
INSERT INTO audit_log (actor, action, entity, entity_id, before_json, after_json)
VALUES ($1, $2, $3, $4, $5, $6)";

/// One audit row: who did what to which entity, and the state before and after (JSON).
#[derive(Debug, Clone)]
pub struct Audit<'a> {
    actor: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: String,
    before: Option<String>,
    after: Option<String>,
}

impl<'a> Audit<'a> {
    pub fn new(actor: &'a str, action: &'a str, entity: &'a str, id: impl ToString) -> Self {
        Audit {
            actor,
            action,
            entity,
            entity_id: id.to_string(),
            before: None,
            after: None,
        }
    }

    /// An action on household `id`.
    pub fn household(actor: &'a str, action: &'a str, id: i64) -> Self {
        Audit::new(actor, action, "household", id)
    }

    pub fn before(mut self, before: impl Into<Option<String>>) -> Self {
        self.before = before.into();
        self
    }

    pub fn after(mut self, after: impl Into<Option<String>>) -> Self {
        self.after = after.into();
        self
    }

    /// Writes the row: pass the action's transaction, so the trace and the change commit together.
    pub async fn write<'c>(self, on: impl Into<Conn<'c>>) -> Result<(), sqlx::Error> {
        sql(INSERT)
            .bind(self.actor)
            .bind(self.action)
            .bind(self.entity)
            .bind(self.entity_id)
            .bind(self.before)
            .bind(self.after)
            .execute(on)
            .await
            .map(|_| ())
    }
}

/// A value as the audit log keeps it.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Appends one audit row on its own (for reads that must leave a trace, such as revealing an ID
/// or an export).
pub async fn trace(
    db: &Db,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: Option<String>,
) -> Result<(), sqlx::Error> {
    Audit::new(actor, action, entity, entity_id)
        .after(detail)
        .write(db)
        .await
}
