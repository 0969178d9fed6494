//! Exports of a filtered household list: the staff's register rows (the import template's
//! columns, one row per active member, full details, only within their scope) and the public list
//! (one row per household, de-identified as the public pages are). CSV carries a UTF-8 BOM so
//! Excel opens it in Chinese; XLSX keeps ID numbers as text.
use crate::{
    model::{
        codes::*,
        help::AssistanceEntry,
        id_number::mask_id,
        registry::{Household, Member},
        transfer::{Col, Covers, ExportFilter},
    },
    server::{
        db::{Backend, Db, Val, sql, sql_built},
        repo::{
            household::{
                CauseRow, HOUSEHOLD_COLUMNS, HOUSING_COLUMNS, HouseholdRow, HousingRow,
                MEMBER_COLUMNS, MemberRow, Parts,
            },
            records::Scope,
        },
    },
};
use std::collections::HashMap;

mod sheet;
pub use sheet::*;

/// The households an export covers, each whole, with its village and township names.
pub struct Exported {
    pub households: Vec<Household>,
    /// Village code → (village, township) names.
    pub places: HashMap<String, (String, String)>,
    /// Beside each household's members (staff exports only): the 低保 or 特困供养 running for
    /// the member, its own before the household's.
    pub assistance: Vec<Vec<Option<AssistanceEntry>>>,
}

/// A running enrolment with its household.
#[derive(sqlx::FromRow)]
struct Running {
    household_id: i64,
    #[sqlx(flatten)]
    entry: AssistanceEntry,
}

/// The WHERE clause (over `household h JOIN region v`) for a scope and a filter, with its binds.
fn conditions(
    backend: Backend,
    scope: &Scope,
    f: &ExportFilter,
    ids: Option<&[i64]>,
) -> (String, Vec<Val>) {
    let mut parts = vec!["1 = 1".to_string()];
    if let Some(ids) = ids {
        // Whole numbers only: written into the statement as they are.
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        parts.push(format!(
            "h.id IN ({})",
            if list.is_empty() {
                "-1".into()
            } else {
                list.join(",")
            }
        ));
    }
    let mut binds = Vec::new();
    let bind = |b: Val, binds: &mut Vec<Val>| {
        binds.push(b);
        backend.mark(binds.len())
    };
    match scope {
        Scope::All => {}
        Scope::Villages(range) => {
            let a = bind(Val::from(range.from.clone()), &mut binds);
            let b = bind(Val::from(range.to.clone()), &mut binds);
            parts.push(format!("h.village_code BETWEEN {a} AND {b}"));
        }
        Scope::Cadre(id) => {
            let a = bind(Val::from(*id), &mut binds);
            parts.push(format!(
                "EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id \
                 AND p.cadre_id = {a} AND p.end_on IS NULL)"
            ));
        }
    }
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    if let Some(t) = given(&f.township) {
        let a = bind(Val::from(t.to_string()), &mut binds);
        parts.push(format!("v.parent_code = {a}"));
    }
    if let Some(v) = given(&f.village) {
        let a = bind(Val::from(v.to_string()), &mut binds);
        parts.push(format!("h.village_code = {a}"));
    }
    if f.register_only {
        parts.push("h.status <> 'ordinary'".into());
    }
    if let Some(s) = given(&f.status).and_then(Status::parse) {
        let a = bind(Val::from(s.as_str().to_string()), &mut binds);
        parts.push(format!("h.status = {a}"));
    }
    if let Some(q) = given(&f.q).filter(|_| ids.is_none()) {
        // A name or its beginning; pinyin or initials (as the finder reads them).
        let latin: String = q
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        let (column, prefix) = if latin.chars().all(|c| c.is_ascii_alphabetic()) {
            ("name_pinyin", latin)
        } else {
            ("name", q.to_string())
        };
        let a = bind(Val::from(prefix.clone()), &mut binds);
        let b = bind(Val::from(format!("{prefix}\u{10FFFF}")), &mut binds);
        let initials = if column == "name_pinyin" {
            let c = bind(Val::from(prefix.clone()), &mut binds);
            format!(" OR q.name_initials = {c}")
        } else {
            String::new()
        };
        parts.push(format!(
            "EXISTS (SELECT 1 FROM member q WHERE q.household_id = h.id AND q.active \
             AND ((q.{column} >= {a} AND q.{column} < {b}){initials}))"
        ));
    }
    (parts.join(" AND "), binds)
}

const FROM: &str = "FROM household h JOIN region v ON v.code = h.village_code WHERE";
const PLACES: &str = "SELECT v.code, v.name, t.name FROM region v \
     JOIN region t ON t.code = v.parent_code WHERE v.level = 'village'";

/// Every household in `scope` matching `filter` (and among `ids` when given), whole (causes,
/// active members, housing), in village then household order. Four queries however many
/// households.
pub async fn households(
    db: &Db,
    scope: &Scope,
    filter: &ExportFilter,
    ids: Option<&[i64]>,
    with_assistance: bool,
) -> Result<Exported, sqlx::Error> {
    let (cond, binds) = conditions(db.backend(), scope, filter, ids);
    // The statements below are built from fixed fragments and `cond`, whose values are bound.
    let mut tx = db.begin().await?; // one snapshot for the five reads
    let rows: Vec<HouseholdRow> = sql_built(format!(
        "SELECT {HOUSEHOLD_COLUMNS} {FROM} {cond} ORDER BY h.village_code, h.id"
    ))
    .bind_all(binds.clone())
    .fetch_all(&mut tx)
    .await?;
    let members: Vec<MemberRow> = sql_built(format!(
        "SELECT {MEMBER_COLUMNS} FROM member m JOIN household h ON h.id = m.household_id \
         JOIN region v ON v.code = h.village_code WHERE m.active AND {cond} \
         ORDER BY m.household_id, CASE m.relation WHEN 'head' THEN 0 ELSE 1 END, m.id"
    ))
    .bind_all(binds.clone())
    .fetch_all(&mut tx)
    .await?;
    let causes: Vec<CauseRow> = sql_built(format!(
        "SELECT c.household_id, c.cause FROM household_cause c \
         JOIN household h ON h.id = c.household_id \
         JOIN region v ON v.code = h.village_code WHERE {cond} \
         ORDER BY c.household_id, c.rank"
    ))
    .bind_all(binds.clone())
    .fetch_all(&mut tx)
    .await?;
    let housing: Vec<HousingRow> = sql_built(format!(
        "SELECT {HOUSING_COLUMNS} FROM housing s JOIN household h ON h.id = s.household_id \
         JOIN region v ON v.code = h.village_code WHERE {cond}"
    ))
    .bind_all(binds.clone())
    .fetch_all(&mut tx)
    .await?;
    let today = crate::server::clock::today();
    // 低保 and 特困供养 running today; the newest first (临时救助 is paid once, not running).
    let running: Vec<Running> = if with_assistance {
        sql_built(format!(
            "SELECT a.household_id, a.id, a.kind, a.member_id, CAST(NULL AS TEXT) AS member, \
             a.start_on, a.end_on, a.monthly_amount, a.lump_sum, a.agency FROM assistance a \
             JOIN household h ON h.id = a.household_id JOIN region v ON v.code = h.village_code \
             WHERE {cond} AND a.kind IN ('dibao', 'tekun') AND a.start_on <= {} \
             AND (a.end_on IS NULL OR a.end_on >= {}) \
             ORDER BY a.household_id, a.start_on DESC, a.id DESC",
            db.backend().mark(binds.len() + 1),
            db.backend().mark(binds.len() + 2)
        ))
        .bind_all(binds)
        .bind(today)
        .bind(today)
        .fetch_all(&mut tx)
        .await?
    } else {
        Vec::new()
    };
    let places: Vec<(String, String, String)> = sql(PLACES).fetch_all(&mut tx).await?;
    tx.commit().await?;
    let mut members_of: HashMap<i64, Vec<MemberRow>> = HashMap::new();
    for m in members {
        members_of.entry(m.household_id).or_default().push(m);
    }
    let mut causes_of: HashMap<i64, Vec<CauseRow>> = HashMap::new();
    for c in causes {
        causes_of.entry(c.household_id).or_default().push(c);
    }
    let mut housing_of: HashMap<i64, HousingRow> =
        housing.into_iter().map(|s| (s.household_id, s)).collect();
    let mut running_of: HashMap<i64, Vec<AssistanceEntry>> = HashMap::new();
    for r in running {
        running_of.entry(r.household_id).or_default().push(r.entry);
    }
    let mut households = Vec::with_capacity(rows.len());
    let mut assistance = Vec::with_capacity(if with_assistance { rows.len() } else { 0 });
    for row in rows {
        let id = row.id;
        let mut h = Parts {
            row,
            causes: causes_of.remove(&id).unwrap_or_default(),
            members: members_of.remove(&id).unwrap_or_default(),
            housing: housing_of.remove(&id),
        }
        .into_household();
        if with_assistance {
            let running = running_of.remove(&id).unwrap_or_default();
            let of = |member: Option<i64>| running.iter().find(|a| a.member_id == member).cloned();
            assistance.push(
                h.members
                    .iter()
                    .map(|m| of(m.id).or_else(|| of(None)))
                    .collect(),
            );
        }
        for m in &mut h.members {
            m.id = None;
        }
        households.push(h);
    }
    Ok(Exported {
        households,
        places: places
            .into_iter()
            .map(|(code, village, township)| (code, (village, township)))
            .collect(),
        assistance,
    })
}

/// The households the public search lists for `q` (every page of it), so a public export holds
/// exactly the list the user was looking at.
/// The households a public search finds, all pages; refused (`export_too_many`) past `limit`.
pub async fn search_ids(
    db: &Db,
    q: &str,
    limit: usize,
) -> Result<Vec<i64>, crate::error::AppError> {
    use crate::model::search::{SearchTerm, normalize_query};
    let Some(q) = normalize_query(q)? else {
        return Ok(Vec::new());
    };
    let term = SearchTerm::parse(&q)?;
    let mut ids = Vec::new();
    let mut page = 1;
    loop {
        let res = crate::server::repo::search::search(db, &term, page).await?;
        ids.extend(res.households.iter().map(|h| h.id));
        if ids.len() > limit {
            return Err(crate::error::AppError::invalid("export_too_many"));
        }
        if page >= res.pages {
            break;
        }
        page += 1;
    }
    Ok(ids)
}
