//! What staff add to a household besides its record: yearly incomes, measures, visits, the
//! helper pairing and the status. Each write is one transaction with its audit row; the ones that
//! replace something (income of a year, helper, status) name the household version they were
//! based on, so a stale form is refused instead of overwriting.
use super::{
    audit::{Audit, json},
    household::{Saved, get, version},
};
use crate::{
    model::{
        codes::*,
        registry::{Household, Income},
        search::HouseholdHit,
        staff::{CadreBrief, MeasureEntry, MeasureInput, VillageOption, VisitEntry},
    },
    server::{
        db::{Db, Tx, Val, sql, sql_built},
        repo::{
            notices::{DECIDE_ENTRY, gate_in},
            stats::{REFRESH_COUNTS, REFRESH_MEASURES, refresh_village},
        },
    },
};
use chrono::NaiveDate;

const BUMP: &str = "UPDATE household SET version = version + 1, updated_at = $3 \
     WHERE id = $1 AND version = $2 RETURNING version";

/// Takes household `id` from version `expected` to the next inside `tx`: `Ok(next)`, or the
/// stale or missing outcome to answer with (the caller drops the transaction, writing nothing).
pub(crate) async fn bump_version(
    tx: &mut Tx,
    id: i64,
    expected: i64,
) -> Result<Result<i64, Saved>, sqlx::Error> {
    let next: Option<i64> = sql(BUMP)
        .bind(id)
        .bind(expected)
        .bind(chrono::Utc::now())
        .scalar_optional(&mut *tx)
        .await?;
    Ok(match next {
        Some(v) => Ok(v),
        None => Err(match version(tx, id).await? {
            Some(current_version) => Saved::Stale { current_version },
            None => Saved::Missing,
        }),
    })
}

const INCOMES: &str = "SELECT year, persons, wages, business, transfer, property, costs, \
     net_income, per_capita FROM household_income WHERE household_id = $1 ORDER BY year DESC";
const INCOME_OF_YEAR: &str = "SELECT year, persons, wages, business, transfer, property, costs, \
     net_income, per_capita FROM household_income WHERE household_id = $1 AND year = $2";
const UPSERT_INCOME: &str = "\
INSERT INTO household_income (household_id, year, persons, wages, business, transfer, property, costs)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (household_id, year) DO UPDATE SET persons = excluded.persons, wages = excluded.wages,
    business = excluded.business, transfer = excluded.transfer, property = excluded.property,
    costs = excluded.costs";

#[derive(sqlx::FromRow)]
struct IncomeRow {
    year: i64,
    persons: i64,
    wages: i64,
    business: i64,
    transfer: i64,
    property: i64,
    costs: i64,
    net_income: i64,
    per_capita: i64,
}

impl From<IncomeRow> for Income {
    fn from(r: IncomeRow) -> Self {
        Income {
            year: r.year,
            persons: r.persons,
            wages: r.wages,
            business: r.business,
            transfer: r.transfer,
            property: r.property,
            costs: r.costs,
            net_income: Some(r.net_income),
            per_capita: Some(r.per_capita),
        }
    }
}

/// A household's yearly incomes, newest first.
pub async fn incomes(db: &Db, id: i64) -> Result<Vec<Income>, sqlx::Error> {
    let rows: Vec<IncomeRow> = sql(INCOMES).bind(id).fetch_all(db).await?;
    Ok(rows.into_iter().map(Income::from).collect())
}

/// Records (or corrects) one year's income on top of household version `expected`.
pub async fn save_income(
    db: &Db,
    id: i64,
    expected: i64,
    income: &Income,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let version = match bump_version(&mut tx, id, expected).await? {
        Ok(v) => v,
        Err(refused) => return Ok(refused),
    };
    let before: Option<IncomeRow> = sql(INCOME_OF_YEAR)
        .bind(id)
        .bind(income.year)
        .fetch_optional(&mut tx)
        .await?;
    sql(UPSERT_INCOME)
        .bind(id)
        .bind(income.year)
        .bind(income.persons)
        .bind(income.wages)
        .bind(income.business)
        .bind(income.transfer)
        .bind(income.property)
        .bind(income.costs)
        .execute(&mut tx)
        .await?;
    let after = Income {
        net_income: None,
        per_capita: None,
        ..income.clone()
    };
    Audit::household(actor, "save_income", id)
        .before(before.map(|r| json(&Income::from(r))))
        .after(json(&after))
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok { id, version })
}

const MEMBER_OF: &str = "SELECT COUNT(*) FROM member WHERE id = $1 AND household_id = $2";
const VILLAGE_OF: &str = "SELECT village_code FROM household WHERE id = $1";
const INSERT_MEASURE: &str = "\
INSERT INTO measure (household_id, member_id, category, kind, name, given_on, amount, agency)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Records a measure given to a household (or one of its members). Appending overwrites nothing,
/// so it does not take the household's version.
pub async fn record_measure(db: &Db, m: &MeasureInput, actor: &str) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if let Some(member) = m.member_id {
        let n: i64 = sql(MEMBER_OF)
            .bind(member)
            .bind(m.household_id)
            .scalar(&mut tx)
            .await?;
        if n == 0 {
            return Ok(Saved::Rejected {
                field: "member_id".into(),
                code: "member_not_in_household",
            });
        }
    }
    sql(INSERT_MEASURE)
        .bind(m.household_id)
        .bind(m.member_id)
        .bind(m.category)
        .bind("staff_entry")
        .bind(m.name.trim())
        .bind(m.given_on)
        .bind(m.amount)
        .bind(m.agency.trim())
        .execute(&mut tx)
        .await?;
    let village: String = sql(VILLAGE_OF).bind(m.household_id).scalar(&mut tx).await?;
    refresh_village(&mut tx, &village, &[REFRESH_MEASURES]).await?;
    Audit::household(actor, "record_measure", m.household_id)
        .after(json(m))
        .write(&mut tx)
        .await?;
    let version = version(&mut tx, m.household_id).await?.unwrap_or_default();
    tx.commit().await?;
    Ok(Saved::Ok {
        id: m.household_id,
        version,
    })
}

const MEASURES: &str = "SELECT m.given_on, m.category, m.name, m.amount, p.name AS member \
     FROM measure m LEFT JOIN member p ON p.id = m.member_id WHERE m.household_id = $1 \
     ORDER BY m.given_on DESC, m.id DESC LIMIT 50";

/// The latest 50 measures of a household, newest first.
pub async fn measures(db: &Db, id: i64) -> Result<Vec<MeasureEntry>, sqlx::Error> {
    sql(MEASURES).bind(id).fetch_all(db).await
}

const CURRENT_HELPER: &str = "SELECT c.id, c.name, c.unit FROM pairing p \
     JOIN cadre c ON c.id = p.cadre_id WHERE p.household_id = $1 AND p.end_on IS NULL";
const INSERT_VISIT: &str =
    "INSERT INTO visit (household_id, cadre_id, visited_on, note) VALUES ($1, $2, $3, $4)";

/// The household's current helper cadre, if any.
pub async fn helper(db: &Db, id: i64) -> Result<Option<CadreBrief>, sqlx::Error> {
    sql(CURRENT_HELPER).bind(id).fetch_optional(db).await
}

/// Records a visit by `cadre` (a helper cadre's own; for other staff, the household's current
/// helper — a household without one cannot be visited on record).
pub async fn record_visit(
    db: &Db,
    id: i64,
    cadre: Option<i64>,
    visited_on: NaiveDate,
    note: &str,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let cadre = match cadre {
        Some(c) => Some(c),
        None => sql(CURRENT_HELPER)
            .bind(id)
            .fetch_optional::<CadreBrief>(&mut tx)
            .await?
            .map(|c| c.id),
    };
    let Some(cadre) = cadre else {
        return Ok(Saved::Rejected {
            field: "visited_on".into(),
            code: "no_helper",
        });
    };
    sql(INSERT_VISIT)
        .bind(id)
        .bind(cadre)
        .bind(visited_on)
        .bind(note.trim())
        .execute(&mut tx)
        .await?;
    let after =
        serde_json::json!({ "cadre_id": cadre, "visited_on": visited_on, "note": note.trim() });
    Audit::household(actor, "record_visit", id)
        .after(after.to_string())
        .write(&mut tx)
        .await?;
    let version = version(&mut tx, id).await?.unwrap_or_default();
    tx.commit().await?;
    Ok(Saved::Ok { id, version })
}

const VISITS: &str = "SELECT v.visited_on, c.name AS cadre, v.note FROM visit v \
     JOIN cadre c ON c.id = v.cadre_id \
     WHERE v.household_id = $1 ORDER BY v.visited_on DESC, v.id DESC LIMIT 20";

/// The latest 20 visits of a household.
pub async fn visits(db: &Db, id: i64) -> Result<Vec<VisitEntry>, sqlx::Error> {
    sql(VISITS).bind(id).fetch_all(db).await
}

#[derive(sqlx::FromRow)]
struct PairingRow {
    id: i64,
    cadre_id: i64,
    start_on: NaiveDate,
}

const CURRENT_PAIRING: &str =
    "SELECT id, cadre_id, start_on FROM pairing WHERE household_id = $1 AND end_on IS NULL";
const ACTIVE_CADRE: &str = "SELECT id, name, unit FROM cadre WHERE id = $1 AND active";
const END_PAIRING: &str = "UPDATE pairing SET end_on = $2 WHERE id = $1";
const INSERT_PAIRING: &str =
    "INSERT INTO pairing (household_id, cadre_id, start_on) VALUES ($1, $2, $3)";

/// Hands the household to another helper from `start_on`: the current pairing ends that day
/// and stays in the history; the new one begins.
pub async fn change_helper(
    db: &Db,
    id: i64,
    expected: i64,
    cadre: i64,
    start_on: NaiveDate,
    actor: &str,
) -> Result<Saved, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let version = match bump_version(&mut tx, id, expected).await? {
        Ok(v) => v,
        Err(refused) => return Ok(refused),
    };
    let Some(helper) = sql(ACTIVE_CADRE)
        .bind(cadre)
        .fetch_optional::<CadreBrief>(&mut tx)
        .await?
    else {
        return Ok(Saved::Rejected {
            field: "cadre_id".into(),
            code: "cadre_unknown",
        });
    };
    let current: Option<PairingRow> = sql(CURRENT_PAIRING)
        .bind(id)
        .fetch_optional(&mut tx)
        .await?;
    if let Some(old) = &current {
        if old.cadre_id == cadre {
            return Ok(Saved::Rejected {
                field: "cadre_id".into(),
                code: "same_helper",
            });
        }
        if start_on < old.start_on {
            return Ok(Saved::Rejected {
                field: "start_on".into(),
                code: "date_order",
            });
        }
        sql(END_PAIRING)
            .bind(old.id)
            .bind(start_on)
            .execute(&mut tx)
            .await?;
    }
    sql(INSERT_PAIRING)
        .bind(id)
        .bind(cadre)
        .bind(start_on)
        .execute(&mut tx)
        .await?;
    let before = current.map(|old| {
        serde_json::json!({ "cadre_id": old.cadre_id, "start_on": old.start_on }).to_string()
    });
    let after = serde_json::json!({
        "cadre_id": cadre, "name": helper.name, "unit": helper.unit, "start_on": start_on
    });
    Audit::household(actor, "change_helper", id)
        .before(before)
        .after(after.to_string())
        .write(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Saved::Ok { id, version })
}

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
        return Ok(Saved::Stale {
            current_version: before.version,
        });
    }
    if let Err(code) = crate::model::validate::status_change(&before, to, on, today) {
        return Ok(Saved::Rejected {
            field: "on".into(),
            code,
        });
    }
    if to == Status::Exited {
        // First the procedure (a public notice, over, every objection answered), then the
        // standard itself; both are checked again inside the transaction below.
        if let Err(code) = super::notices::gate(db, id, NoticeKind::Exit, today).await? {
            return Ok(Saved::Rejected {
                field: "on".into(),
                code,
            });
        }
        let reasons = exit_check(db, &before, on).await?;
        if !reasons.is_empty() {
            return Ok(Saved::Refused(reasons));
        }
    }
    let mut tx = db.begin_write().await?;
    let version = match bump_version(&mut tx, id, expected).await? {
        Ok(v) => v,
        Err(refused) => return Ok(refused),
    };
    // An exit follows its public notice: over, with every objection answered.
    let entry = if to == Status::Exited {
        match gate_in(&mut tx, id, NoticeKind::Exit, today).await? {
            Ok(entry) => {
                sql(DECIDE_ENTRY)
                    .bind(entry)
                    .bind(EntryState::Finalised)
                    .bind(today)
                    .execute(&mut tx)
                    .await?;
                Some(entry)
            }
            Err(code) => {
                return Ok(Saved::Rejected {
                    field: "on".into(),
                    code,
                });
            }
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
    refresh_village(&mut tx, &before.village_code, &[REFRESH_COUNTS]).await?;
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

/// Where a staff member may look: every household, a range of village codes (a township's
/// villages share its first nine digits), or a helper cadre's current pairings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Villages { from: String, to: String },
    Cadre(i64),
}

/// The households in `scope` with an active member matching `q` (name or its beginning, pinyin or
/// initials), or with a member holding the 18-digit ID `q`, or numbered `q`; at most 50, described
/// as the search shows them. An empty `q` lists a helper cadre's own households.
pub async fn find(db: &Db, scope: &Scope, q: &str) -> Result<Vec<HouseholdHit>, sqlx::Error> {
    let q = q.trim();
    let latin: String = q
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let mut text = String::from(
        "SELECT m.household_id, MIN(m.id) FROM member m JOIN household h ON h.id = m.household_id WHERE ",
    );
    let mut binds: Vec<String> = Vec::new();
    // Bytes, not a string slice: `q` may hold Chinese (`欧阳张王李赵` is 18 bytes).
    let b = q.as_bytes();
    let is_id = b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && matches!(b[17], b'0'..=b'9' | b'X' | b'x');
    if q.is_empty() {
        if !matches!(scope, Scope::Cadre(_)) {
            return Ok(Vec::new());
        }
        text.push_str("m.relation = 'head' AND m.active");
    } else if is_id {
        binds.push(q.to_uppercase());
        text.push_str("m.id_number = $1");
    } else if q.len() <= 12 && q.bytes().all(|b| b.is_ascii_digit()) {
        binds.push(q.to_string());
        text.push_str("h.id = CAST($1 AS BIGINT) AND m.relation = 'head'");
    } else if latin.chars().all(|c| c.is_ascii_lowercase()) && !latin.is_empty() {
        binds.push(latin.clone());
        binds.push(format!("{latin}\u{10FFFF}"));
        text.push_str(
            "m.active AND ((m.name_pinyin >= $1 AND m.name_pinyin < $2) \
             OR (m.name_initials >= $1 AND m.name_initials < $2))",
        );
    } else {
        binds.push(q.to_string());
        binds.push(format!("{q}\u{10FFFF}"));
        text.push_str("m.active AND m.name >= $1 AND m.name < $2");
    }
    let n = binds.len();
    match scope {
        Scope::All => {}
        Scope::Villages { from, to } => {
            text.push_str(&format!(
                " AND h.village_code >= ${} AND h.village_code <= ${}",
                n + 1,
                n + 2
            ));
            binds.push(from.clone());
            binds.push(to.clone());
        }
        Scope::Cadre(cadre) => {
            text.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id \
                 AND p.end_on IS NULL AND p.cadre_id = CAST(${} AS BIGINT))",
                n + 1
            ));
            binds.push(cadre.to_string());
        }
    }
    text.push_str(" GROUP BY m.household_id ORDER BY m.household_id LIMIT 50");
    // `text` is put together from the fixed fragments above; every value is bound.
    let rows: Vec<(i64, i64)> = sql_built(text)
        .bind_all(binds.into_iter().map(Val::from))
        .fetch_all(db)
        .await?;
    let slice: Vec<(i64, Option<i64>, crate::model::search::MatchTier)> = rows
        .into_iter()
        .map(|(h, m)| (h, Some(m), crate::model::search::MatchTier::Exact))
        .collect();
    super::search::describe(db, &slice).await
}

const CADRES: &str = "SELECT id, name, unit FROM cadre WHERE active AND name >= $1 AND name < $2 \
     ORDER BY name, id LIMIT 20";

/// Active cadres whose name starts with `q` (the helper picker).
pub async fn cadres(db: &Db, q: &str) -> Result<Vec<CadreBrief>, sqlx::Error> {
    let q = q.trim();
    sql(CADRES)
        .bind(q)
        .bind(format!("{q}\u{10FFFF}"))
        .fetch_all(db)
        .await
}

const VILLAGES: &str = "SELECT v.code, v.name, t.name AS township FROM region v JOIN region t ON t.code = v.parent_code \
     WHERE v.level = 'village' AND v.code >= $1 AND v.code <= $2 ORDER BY v.code";

/// Villages whose codes lie in `from..=to`, with their township's name.
pub async fn villages(db: &Db, from: &str, to: &str) -> Result<Vec<VillageOption>, sqlx::Error> {
    sql(VILLAGES).bind(from).bind(to).fetch_all(db).await
}

const ID_TAKEN: &str = "SELECT COUNT(*) FROM member WHERE id_number = $1 AND active";

/// Whether an active person already holds this ID number.
pub async fn id_number_taken(db: &Db, id_number: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sql(ID_TAKEN).bind(id_number).scalar(db).await?;
    Ok(n > 0)
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
    let incomes = incomes(db, id).await?;
    let line: Option<i64> = sql(LINE)
        .bind(i64::from(on.year()))
        .scalar_optional(db)
        .await?;
    Ok(crate::model::rules::exit_check(h, &incomes, line, on))
}
