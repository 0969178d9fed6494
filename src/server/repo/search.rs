//! The public search: persons by name, pinyin or initials, households by place; every step an
//! index range, so the cost depends on the page asked for, not on the size of the register.
use super::{like_escape, region};
use crate::{
    model::{RegionLevel, codes::*, search::*},
    server::db::{Db, Sql, Tx, Val, sql, sql_built},
};
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

/// The name pieces indexed in `name_token`: every 1- and 2-character piece starting after the
/// first character. `DISTINCT` because a piece may repeat within a name (王小小).
macro_rules! token_select {
    () => {
        "WITH p (start, len) AS (VALUES (2, 1), (3, 1), (4, 1), (5, 1), (2, 2), (3, 2), (4, 2)) \
         SELECT DISTINCT substr(m.name, p.start, p.len), m.id FROM member m, p \
         WHERE m.listed AND length(m.name) >= p.start + p.len - 1"
    };
}

/// Indexes the names of every member (used after a bulk load).
pub const INDEX_ALL_NAMES: &str = concat!(
    "INSERT INTO name_token (token, member_id) ",
    token_select!(),
    " ORDER BY 1, 2"
);
pub(crate) const UNINDEX_HOUSEHOLD: &str =
    "DELETE FROM name_token WHERE member_id IN (SELECT id FROM member WHERE household_id = $1)";
pub(crate) const INDEX_HOUSEHOLD: &str = concat!(
    "INSERT INTO name_token (token, member_id) ",
    token_select!(),
    " AND m.household_id = $1"
);

/// Re-derives the name index of one household's members, inside the open transaction `tx`
/// that inserted or renamed them.
pub(crate) async fn reindex_household_names(
    tx: &mut Tx,
    household: i64,
) -> Result<(), sqlx::Error> {
    sql(UNINDEX_HOUSEHOLD)
        .bind(household)
        .execute(&mut *tx)
        .await?;
    sql(INDEX_HOUSEHOLD).bind(household).execute(tx).await?;
    Ok(())
}

/// Upper bound of a prefix range: above every string that starts with `prefix`.
fn range_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

// Each ORDER BY is the order of the index the WHERE ranges over (so no sort, however many
// persons share a surname); persons of one household fall into one card, whichever comes first.
// A step may match a thousand persons: they come back as one text, `household:member,…`, in the
// same order (`string_agg … ORDER BY`, in SQLite since 3.44 and in PostgreSQL), because a row at a
// time costs SQLite's worker thread a hand-over per row, which dominated a search under load.
macro_rules! matches {
    ($order:literal, $inner:literal) => {
        concat!(
            "SELECT string_agg(household_id || ':' || id, ',' ORDER BY ",
            $order,
            ") FROM (",
            $inner,
            ") x"
        )
    };
}
const EXACT_NAME: &str = matches!(
    "household_id",
    "SELECT household_id, id FROM member WHERE name = $1 AND active AND listed ORDER BY household_id LIMIT $2"
);
const PREFIX_NAME: &str = matches!(
    "name, household_id",
    "SELECT name, household_id, id FROM member \
     WHERE name > $1 AND name < $2 AND active AND listed ORDER BY name, household_id LIMIT $3"
);
const EXACT_PINYIN: &str = matches!(
    "household_id",
    "SELECT household_id, id FROM member \
     WHERE name_pinyin = $1 AND active AND listed ORDER BY household_id LIMIT $2"
);
const EXACT_INITIALS: &str = matches!(
    "household_id",
    "SELECT household_id, id FROM member \
     WHERE name_initials = $1 AND active AND listed ORDER BY household_id LIMIT $2"
);
const PREFIX_PINYIN: &str = matches!(
    "name_pinyin, household_id",
    "SELECT name_pinyin, household_id, id FROM member \
     WHERE name_pinyin > $1 AND name_pinyin < $2 AND active AND listed \
     ORDER BY name_pinyin, household_id LIMIT $3"
);
const PREFIX_INITIALS: &str = matches!(
    "name_initials, household_id",
    "SELECT name_initials, household_id, id FROM member \
     WHERE name_initials > $1 AND name_initials < $2 AND active AND listed \
     ORDER BY name_initials, household_id LIMIT $3"
);
const CONTAINS: &str = matches!(
    "member_id",
    "SELECT t.member_id, m.household_id, m.id FROM name_token t \
     JOIN member m ON m.id = t.member_id \
     WHERE t.token = $1 AND m.active AND m.listed AND m.name LIKE $2 ESCAPE '\\' \
     ORDER BY t.member_id LIMIT $3"
);
// A township's villages share its first nine digits: one index range covers either level.
const IN_PLACE: &str = "SELECT id FROM household \
     WHERE village_code >= $1 AND village_code <= $2 AND status <> 'ordinary' ORDER BY village_code, id LIMIT $3";

/// Matched persons in rank order, then grouped by household (first, best match wins).
#[derive(Default)]
struct Hits {
    order: Vec<(i64, Option<i64>, MatchTier)>,
    seen: HashSet<i64>,
    persons: u32,
}

impl Hits {
    fn room(&self) -> i64 {
        i64::from(MAX_HITS.saturating_sub(self.persons))
    }

    /// Counts one matched person (or place household); the household's first match wins.
    fn push(&mut self, household: i64, member: Option<i64>, tier: MatchTier) {
        self.persons += 1;
        if self.seen.insert(household) {
            self.order.push((household, member, tier));
        }
    }

    fn add(&mut self, rows: Vec<(i64, i64)>, tier: MatchTier) {
        for (household, member) in rows {
            self.push(household, Some(member), tier);
        }
    }

    fn add_households(&mut self, rows: Vec<i64>) {
        for household in rows {
            self.push(household, None, MatchTier::Place);
        }
    }

    /// One step of the search, when there is room left: `statement` with `binds` and the room
    /// as its last bind; its matches, in order, count at `tier`.
    async fn step(
        &mut self,
        db: &Db,
        statement: &'static str,
        binds: Vec<Val>,
        tier: MatchTier,
    ) -> Result<(), sqlx::Error> {
        if self.room() <= 0 {
            return Ok(());
        }
        let text: Option<String> = sql(statement)
            .bind_all(binds)
            .bind(self.room())
            .scalar(db)
            .await?;
        self.add(parse_matches(text), tier);
        Ok(())
    }
}

/// `household:member,…` as the matching queries return it.
fn parse_matches(text: Option<String>) -> Vec<(i64, i64)> {
    text.unwrap_or_default()
        .split(',')
        .filter_map(|pair| {
            let (household, member) = pair.split_once(':')?;
            Some((household.parse().ok()?, member.parse().ok()?))
        })
        .collect()
}

/// Runs a query: one page of households, best matches first, with the places that matched.
pub async fn search(db: &Db, term: &SearchTerm, page: u32) -> Result<SearchResults, sqlx::Error> {
    let mut hits = Hits::default();
    let mut places = Vec::new();
    match term {
        SearchTerm::Hanzi(q) => {
            let (text, end) = (Val::from(q), Val::from(range_end(q)));
            hits.step(db, EXACT_NAME, vec![text.clone()], MatchTier::Exact)
                .await?;
            hits.step(db, PREFIX_NAME, vec![text, end], MatchTier::Prefix)
                .await?;
            let chars: Vec<char> = q.chars().collect();
            if chars.len() <= 3 {
                // A piece of the name after its first character: the index holds 1- and
                // 2-character pieces; a 3-character piece is found by its first two.
                let token: String = chars.iter().take(2).collect();
                let pattern = format!("_%{}%", like_escape(q));
                let binds = vec![Val::from(token), Val::from(pattern)];
                hits.step(db, CONTAINS, binds, MatchTier::Contains).await?;
            }
            places = region::search(db, q, 8).await?;
            if chars.len() >= 2 {
                // Households of the place the query names best (an exact or prefix match).
                let best = places
                    .iter()
                    .find(|p| p.name.starts_with(q.as_str()) && p.level != RegionLevel::City);
                if let (Some(place), true) = (best, hits.room() > 0) {
                    let (from, to) = match place.level {
                        RegionLevel::Village => (place.code.clone(), place.code.clone()),
                        _ => {
                            let stem = &place.code[..place.code.len().min(9)];
                            (format!("{stem}000"), format!("{stem}999"))
                        }
                    };
                    let ids: Vec<i64> = sql(IN_PLACE)
                        .bind(&from)
                        .bind(&to)
                        .bind(hits.room())
                        .scalars(db)
                        .await?;
                    hits.add_households(ids);
                }
            }
        }
        SearchTerm::Latin(q) => {
            let (text, end) = (Val::from(q), Val::from(format!("{q}~")));
            hits.step(db, EXACT_PINYIN, vec![text.clone()], MatchTier::Exact)
                .await?;
            hits.step(db, EXACT_INITIALS, vec![text.clone()], MatchTier::Exact)
                .await?;
            let prefix = vec![text, end];
            hits.step(db, PREFIX_PINYIN, prefix.clone(), MatchTier::Prefix)
                .await?;
            if q.len() <= 4 {
                hits.step(db, PREFIX_INITIALS, prefix, MatchTier::Prefix)
                    .await?;
            }
        }
    }
    let total = hits.order.len() as u32;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let start = ((page - 1) * PER_PAGE) as usize;
    let slice: Vec<_> = hits
        .order
        .iter()
        .skip(start)
        .take(PER_PAGE as usize)
        .copied()
        .collect();
    let households = describe(db, &slice).await?;
    Ok(SearchResults {
        query: term.text().to_string(),
        total,
        capped: hits.persons >= MAX_HITS,
        page,
        pages,
        households,
        places,
    })
}

#[derive(sqlx::FromRow)]
struct HitRow {
    id: i64,
    village_code: String,
    village_name: String,
    township_name: String,
    attribute: Attribute,
    status: Status,
    exited_on: Option<NaiveDate>,
    relapsed_on: Option<NaiveDate>,
    head_name: Option<String>,
    main_cause: Option<PovertyCause>,
    helper_name: Option<String>,
    helper_unit: Option<String>,
}

const DESCRIBE: &str = "\
SELECT h.id, h.village_code, v.name AS village_name, t.name AS township_name, h.attribute,
    h.status, h.exited_on, h.relapsed_on,
    (SELECT m.name FROM member m
        WHERE m.household_id = h.id AND m.active AND m.relation = 'head') AS head_name,
    (SELECT c.cause FROM household_cause c WHERE c.household_id = h.id AND c.rank = 1) AS main_cause,
    k.name AS helper_name, k.unit AS helper_unit
FROM household h
JOIN region v ON v.code = h.village_code
JOIN region t ON t.code = v.parent_code
LEFT JOIN pairing p ON p.household_id = h.id AND p.end_on IS NULL
LEFT JOIN cadre k ON k.id = p.cadre_id
WHERE h.id IN (";

/// `head` (a statement that ends in `IN (`) with a placeholder per value and the closing `)`.
fn in_list(db: &Db, head: &str, values: &[i64]) -> Sql {
    let marks = db.backend().marks(1, values.len());
    sql_built(format!("{head}{marks})")).bind_all(values.iter().map(|v| Val::from(*v)))
}

/// The public facts of the households on one page, in the page's order.
pub(crate) async fn describe(
    db: &Db,
    slice: &[(i64, Option<i64>, MatchTier)],
) -> Result<Vec<HouseholdHit>, sqlx::Error> {
    if slice.is_empty() {
        return Ok(Vec::new());
    }
    let households: Vec<i64> = slice.iter().map(|(id, ..)| *id).collect();
    let persons: Vec<i64> = slice.iter().filter_map(|(_, m, _)| *m).collect();
    let rows: Vec<HitRow> = in_list(db, DESCRIBE, &households).fetch_all(db).await?;
    let members: Vec<(i64, String, Relation)> = if persons.is_empty() {
        Vec::new()
    } else {
        in_list(
            db,
            "SELECT id, name, relation FROM member WHERE id IN (",
            &persons,
        )
        .fetch_all(db)
        .await?
    };
    let members: HashMap<i64, (String, Relation)> = members
        .into_iter()
        .map(|(id, name, relation)| (id, (name, relation)))
        .collect();
    let mut by_id: HashMap<i64, HitRow> = rows.into_iter().map(|r| (r.id, r)).collect();
    let mut out = Vec::with_capacity(slice.len());
    for (id, member, tier) in slice {
        let Some(r) = by_id.remove(id) else { continue };
        let matched = match member.and_then(|m| members.get(&m)) {
            Some((name, relation)) if *relation != Relation::Head => Some(MatchedMember {
                name: name.clone(),
                relation: *relation,
            }),
            _ => None,
        };
        out.push(HouseholdHit {
            id: r.id,
            head_name: r.head_name.unwrap_or_default(),
            village_code: r.village_code,
            village_name: r.village_name,
            township_name: r.township_name,
            attribute: r.attribute,
            main_cause: r.main_cause,
            status: r.status,
            exit_year: r.exited_on.map(|d| d.year()),
            relapse_year: r.relapsed_on.map(|d| d.year()),
            helper: r.helper_name.map(|name| HelperBrief {
                name,
                unit: r.helper_unit.unwrap_or_default(),
            }),
            matched,
            tier: *tier,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_come_back_in_order_and_nothing_else_passes() {
        assert_eq!(
            super::parse_matches(Some("12:30,12:31,7:9".into())),
            vec![(12, 30), (12, 31), (7, 9)]
        );
        assert!(super::parse_matches(None).is_empty());
        assert_eq!(super::parse_matches(Some("1:2,x:3,4".into())), vec![(1, 2)]);
    }
}
