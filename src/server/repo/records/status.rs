//! A household's status: exit (after its public notice and the exit check) or relapse, each on
//! top of the household's version; and the exit check itself.
use super::bump_version;
use crate::{
    model::{codes::*, registry::Household},
    server::{
        db::{Db, sql},
        repo::{
            Saved,
            audit::Audit,
            household::get,
            notices::{self, Gate},
            stats::{REFRESH_COUNTS, REFRESH_POOR_LIST, refresh_village},
        },
    },
};
use chrono::NaiveDate;

const SET_EXITED: &str = "UPDATE household SET status = 'exited', exited_on = $2 WHERE id = $1";

const SET_RELAPSED: &str =
    "UPDATE household SET status = 'relapsed', relapsed_on = $2 WHERE id = $1";

/// Marks a household exited or relapsed on `on`, on top of version `expected`; the transition
/// and its date are checked against the stored record (validate::status_change); an exit also
/// needs the household's exit notice to be over with every objection answered (the notice entry
/// is marked finalised in the same transaction).
pub async fn set_status(
    db: &Db,
    id: i64,
    expected: i64,
    to: Status,
    on: NaiveDate,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let today = crate::server::clock::today();
    // Read outside the write lock only to fail fast; the version check below is what counts.
    let Some(before) = get(db, id).await? else {
        return Ok(Saved::Missing);
    };
    if before.version != expected {
        return crate::server::repo::household::stale(db, id, before.version).await;
    }
    if let Err(code) = crate::model::validate::status_change(&before, to, on, today) {
        return Ok(Saved::rejected("on", code));
    }
    if to == Status::Exited {
        // First the procedure (a public notice, over, every objection answered), then the
        // standard itself; both are checked again inside the transaction below.
        if let Gate::Shut(code) = notices::gate(db, id, NoticeKind::Exit, today).await? {
            return Ok(Saved::rejected("on", code));
        }
        let reasons = exit_check(db, &before, on).await?;
        if !reasons.is_empty() {
            return Ok(Saved::Refused(reasons));
        }
    }
    let mut tx = db.begin_write().await?;
    let version = match bump_version(&mut tx, id, expected).await? {
        Saved::Ok { version, .. } => version,
        refused => return Ok(refused),
    };
    // An exit follows its public notice: over, with every objection answered.
    let entry = if to == Status::Exited {
        let finalised = EntryState::Finalised;
        match notices::pass_gate(&mut tx, id, NoticeKind::Exit, today, finalised, today).await? {
            Gate::Open(entry) => Some(entry),
            Gate::Shut(code) => return Ok(Saved::rejected("on", code)),
        }
    } else {
        None
    };
    sql(if to == Status::Exited {
        SET_EXITED
    } else {
        SET_RELAPSED
    })
    .bind(id)
    .bind(on)
    .execute(&mut tx)
    .await?;
    refresh_village(
        &mut tx,
        &before.village_code,
        &[REFRESH_COUNTS, REFRESH_POOR_LIST],
    )
    .await?;
    let after =
        serde_json::json!({ "status": to, "on": on, "version": version, "notice_entry": entry });
    Audit::household(actor, "set_status", id)
        .before(status_json(&before))
        .after(after.to_string())
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok { id, version })
}

fn status_json(h: &Household) -> String {
    serde_json::json!({
        "status": h.status,
        "exited_on": h.exited_on,
        "relapsed_on": h.relapsed_on,
    })
    .to_string()
}

const LINE: &str = "SELECT line_yuan FROM poverty_line WHERE year = $1";

/// The exit check of a household on a date, with the income and poverty line of that year.
pub async fn exit_check(
    db: &Db,
    h: &Household,
    on: NaiveDate,
) -> Result<Vec<crate::model::rules::ExitReason>, sqlx::Error> {
    use chrono::Datelike;
    let id = h.id.unwrap_or_default();
    let incomes = super::incomes(db, id).await?;
    let line: Option<i64> = sql(LINE)
        .bind(i64::from(on.year()))
        .scalar_optional(db)
        .await?;
    Ok(crate::model::rules::exit_check(h, &incomes, line, on))
}
