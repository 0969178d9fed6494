//! What staff add to a household besides its record: yearly incomes, measures, visits, the
//! helper pairing and the status. Each write is one transaction with its audit row; the ones that
//! replace something (income of a year, helper, status) name the household version they were
//! based on, so a stale form is refused instead of overwriting.
use super::household::{Saved, version};
use crate::{
    model::{
        search::HouseholdHit,
        staff::{CadreBrief, VillageOption},
    },
    server::db::{Db, Tx, Val, sql, sql_built},
};

mod assistance;
mod care;
mod incomes;
mod status;

pub use assistance::*;
pub use care::*;
pub use incomes::*;
pub use status::*;

const MEMBER_OF: &str = "SELECT COUNT(*) FROM member WHERE id = $1 AND household_id = $2";

/// Whether `member` names someone who is not a member of `household` (a form's member choice
/// checked inside the writing transaction; `None`, the whole household, never is).
pub(crate) async fn foreign_member(
    tx: &mut Tx,
    member: Option<i64>,
    household: i64,
) -> Result<bool, sqlx::Error> {
    let Some(member) = member else {
        return Ok(false);
    };
    let n: i64 = sql(MEMBER_OF)
        .bind(member)
        .bind(household)
        .scalar(tx)
        .await?;
    Ok(n == 0)
}

const BUMP: &str = "UPDATE household SET version = version + 1, updated_at = $3 \
     WHERE id = $1 AND version = $2 RETURNING version";

/// Takes household `id` from version `expected` to the next inside `tx`: `Saved::Ok` with the
/// next version, or the stale or missing outcome to answer with (the caller drops the
/// transaction, writing nothing).
pub(crate) async fn bump_version(
    tx: &mut Tx,
    id: i64,
    expected: i64,
) -> Result<Saved, sqlx::Error> {
    let next: Option<i64> = sql(BUMP)
        .bind(id)
        .bind(expected)
        .bind(chrono::Utc::now())
        .scalar_optional(&mut *tx)
        .await?;
    Ok(match next {
        Some(version) => Saved::Ok { id, version },
        None => match version(&mut *tx, id).await? {
            Some(current_version) => super::household::stale(&mut *tx, id, current_version).await?,
            None => Saved::Missing,
        },
    })
}

/// Where a staff member may look: every household, a range of village codes (a township's
/// villages share its first nine digits), or a helper cadre's current pairings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Villages(crate::model::place::PlaceRange),
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
        Scope::Villages(range) => {
            text.push_str(&format!(
                " AND h.village_code >= ${} AND h.village_code <= ${}",
                n + 1,
                n + 2
            ));
            binds.push(range.from.clone());
            binds.push(range.to.clone());
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
