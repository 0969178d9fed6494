//! The import: a file is read into households (grouped by householder ID), every row is checked
//! with the rules the forms use, each household is matched to the register by ID number, and the
//! whole plan is either reported (dry run) or written in one transaction — all or nothing.
//!
//! Matching is by 18-digit ID number among active persons. A household is the one its
//! householder belongs to; a member whose ID belongs to another household, an ID given twice in
//! the file, or one held by more than one active person is an error, never a guess. Members the
//! file leaves out are kept (leaving a household is recorded on the record page, with a date and
//! reason). Status and its dates are the exit procedure's: a file may set them for a household
//! it creates, but not change them for one already registered.
mod parse;
mod plan;
mod values;

pub use parse::{Parsed, parse};

use crate::{
    model::{help::AssistanceInput, registry::Household, transfer::*},
    server::{
        db::{Db, sql},
        repo::{
            audit::{Audit, json},
            household,
            records::{self, Scope},
            stats::{REFRESH_CAUSES, REFRESH_COUNTS, REFRESH_POOR_LIST, refresh_village},
        },
    },
};
use axum::body::Bytes;
use plan::{Action, Snapshot, plan};
use std::collections::BTreeSet;

/// Reads and groups an upload on a blocking thread: parsing a large file must not hold up the
/// async workers that serve every other request.
async fn read_and_parse(bytes: Bytes) -> Result<(&'static str, Parsed), &'static str> {
    tokio::task::spawn_blocking(move || {
        let table = super::read_table(&bytes)?;
        Ok((table.format, parse(table)))
    })
    .await
    .map_err(|_| "file_unreadable")?
}

/// Checks `bytes` as the user `scope` would import it, writing nothing.
pub async fn dry_run(
    db: &Db,
    scope: &Scope,
    file_name: &str,
    bytes: Bytes,
) -> Result<ImportReport, sqlx::Error> {
    let mut report = ImportReport {
        file_name: file_name.to_string(),
        ..ImportReport::default()
    };
    let (format, parsed) = match read_and_parse(bytes).await {
        Ok(t) => t,
        Err(code) => {
            report.errors.push(RowError {
                row: 0,
                col: None,
                value: String::new(),
                code: code.into(),
            });
            return Ok(report);
        }
    };
    report.format = format.to_string();
    report.rows = parsed.rows;
    report.ignored_columns = parsed.ignored.clone();
    let today = crate::server::clock::today();
    let mut tx = db.begin().await?; // one snapshot; dropped (rolled back): nothing is written
    let snap = Snapshot::read(&mut tx, &parsed).await?;
    tx.rollback().await?;
    let Some((_, _, plan)) = plan_off_workers(parsed, snap, scope, today).await else {
        report.errors.push(RowError {
            row: 0,
            col: None,
            value: String::new(),
            code: "internal".into(),
        });
        return Ok(report);
    };
    report.counts = plan.counts;
    report.more_errors = plan.errors.len().saturating_sub(MAX_ERRORS) as u32;
    report.errors = plan.errors.into_iter().take(MAX_ERRORS).collect();
    Ok(report)
}

/// The id of member `m` of household `household` as just written: found by its ID number, or,
/// for a member without one, by name and birth date among the household's members without one
/// (the rules keep both unique within a household).
async fn member_id(
    tx: &mut crate::server::db::Tx,
    household: i64,
    m: &crate::model::registry::Member,
) -> Result<Option<i64>, sqlx::Error> {
    match &m.id_number {
        Some(id_number) => {
            sql("SELECT id FROM member WHERE household_id = $1 AND active AND id_number = $2")
                .bind(household)
                .bind(id_number.clone())
        }
        None => sql("SELECT id FROM member WHERE household_id = $1 AND active \
                     AND id_number IS NULL AND name = $2 AND birth_date = $3")
        .bind(household)
        .bind(m.name.clone())
        .bind(m.birth_date),
    }
    .scalar_optional(&mut *tx)
    .await
}

/// Plans on a blocking thread (checking a file of many rows must not hold up the async workers
/// that serve every other request), handing the parsed file and the snapshot back.
async fn plan_off_workers(
    parsed: Parsed,
    snap: Snapshot,
    scope: &Scope,
    today: chrono::NaiveDate,
) -> Option<(Parsed, Snapshot, plan::Plan)> {
    let scope = scope.clone();
    tokio::task::spawn_blocking(move || {
        let plan = plan(&parsed, &snap, &scope, today);
        (parsed, snap, plan)
    })
    .await
    .ok()
}

/// How a confirmed import ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done(Counts),
    /// Rolled back: a reason code and the errors (the register changed since the dry run).
    Failed {
        reason: String,
        errors: Vec<RowError>,
    },
}

/// Imports `bytes` in one transaction: checked again against the register as it is now (inside
/// the transaction, so nothing can change under it on SQLite; on PostgreSQL a household saved by
/// someone else meanwhile fails the version check), then written with an audit row per
/// household and one for the file. Any error rolls everything back.
pub async fn run(
    db: &Db,
    scope: &Scope,
    actor: &str,
    file_name: &str,
    bytes: Bytes,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> Result<Outcome, sqlx::Error> {
    let hashed = bytes.clone();
    let (_, parsed) = match read_and_parse(bytes).await {
        Ok(t) => t,
        Err(code) => {
            return Ok(Outcome::Failed {
                reason: code.into(),
                errors: Vec::new(),
            });
        }
    };
    let now = chrono::Utc::now();
    let today = crate::server::clock::today();
    let file_hash = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(&hashed);
        d.iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    progress(ImportProgress::Checking);
    let mut tx = db.begin_write().await?;
    let snap = Snapshot::read(&mut tx, &parsed).await?;
    let Some((parsed, snap, plan)) = plan_off_workers(parsed, snap, scope, today).await else {
        return Ok(Outcome::Failed {
            reason: "internal".into(),
            errors: Vec::new(),
        });
    };
    if !plan.errors.is_empty() {
        return Ok(Outcome::Failed {
            reason: "import_has_errors".into(),
            errors: plan.errors.into_iter().take(MAX_ERRORS).collect(),
        });
    }
    let total = plan.actions.len() as u32;
    let mut villages = BTreeSet::new();
    for (done, (action, (target, aid))) in plan.actions.iter().zip(&plan.assistance).enumerate() {
        if done % 250 == 0 {
            progress(ImportProgress::Writing {
                done: done as u32,
                total,
            });
        }
        // The household as written, and its id.
        let written: Option<(i64, &Household)> = match action {
            Action::Unchanged => target.and_then(|id| snap.records.get(&id).map(|h| (id, h))),
            Action::Create(h) => {
                let id = match household::insert_new(&mut tx, h, today).await {
                    Ok(id) => id,
                    Err(e) if household::is_unique_violation(&e) => {
                        return Ok(Outcome::Failed {
                            reason: "id_taken".into(),
                            errors: Vec::new(),
                        });
                    }
                    Err(e) => return Err(e),
                };
                Audit::household(actor, "import", id)
                    .after(json(h))
                    .write(&mut tx)
                    .await?;
                villages.insert(h.village_code.clone());
                Some((id, &**h))
            }
            Action::Update { before, after } => {
                let id = before.id.unwrap_or_default();
                let Some(version) =
                    household::update_row(&mut tx, id, before.version, after, now).await?
                else {
                    return Ok(Outcome::Failed {
                        reason: "changed_during_import".into(),
                        errors: Vec::new(),
                    });
                };
                if household::write_parts(&mut tx, id, after, today)
                    .await?
                    .is_some()
                {
                    return Ok(Outcome::Failed {
                        reason: "id_taken".into(),
                        errors: Vec::new(),
                    });
                }
                let (old, new) = household::diff(
                    before,
                    &Household {
                        version,
                        ..(**after).clone()
                    },
                );
                Audit::household(actor, "import", id)
                    .before(old)
                    .after(new)
                    .write(&mut tx)
                    .await?;
                villages.insert(before.village_code.clone());
                Some((id, &**after))
            }
        };
        if let Some((id, h)) = written {
            for a in aid {
                let member_id = match a.member {
                    None => None,
                    Some(i) => {
                        let found = match h.members.get(i) {
                            Some(m) => match m.id {
                                Some(known) => Some(known),
                                None => member_id(&mut tx, id, m).await?,
                            },
                            None => None,
                        };
                        // A member's enrolment is never written as the whole household's: a
                        // member not found as written means the household moved under the
                        // import (PostgreSQL reads each statement afresh).
                        if found.is_none() {
                            return Ok(Outcome::Failed {
                                reason: "changed_during_import".into(),
                                errors: Vec::new(),
                            });
                        }
                        found
                    }
                };
                let input = AssistanceInput {
                    household_id: id,
                    member_id,
                    ..a.input.clone()
                };
                match records::insert_assistance(&mut tx, &input, actor).await {
                    // Added by someone else since the plan was made (PostgreSQL).
                    Err(e) if household::is_unique_violation(&e) => {
                        return Ok(Outcome::Failed {
                            reason: "changed_during_import".into(),
                            errors: Vec::new(),
                        });
                    }
                    done => done?,
                };
            }
        }
    }
    progress(ImportProgress::Writing { done: total, total });
    for code in &villages {
        refresh_village(
            &mut tx,
            code,
            &[REFRESH_COUNTS, REFRESH_CAUSES, REFRESH_POOR_LIST],
        )
        .await?;
    }
    let summary = serde_json::json!({
        "file": file_name,
        "sha256": file_hash,
        "rows": parsed.rows,
        "counts": plan.counts,
    });
    Audit::new(actor, "import", "file", &file_hash)
        .after(summary.to_string())
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Outcome::Done(plan.counts))
}
