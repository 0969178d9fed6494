//! Reads for the public portal. Each selects only the columns the public may see: ID numbers
//! leave this module masked, and phones, health, bank accounts and incomes are never selected.
use super::{household::code, like_escape};
use crate::{
    model::{codes::*, id_number::mask_id, public::*},
    server::db::Db,
    with_pool,
};
use chrono::{Datelike, NaiveDate};

#[derive(sqlx::FromRow)]
struct HouseholdRow {
    id: i64,
    village_code: String,
    village_name: String,
    township_name: String,
    group_no: Option<i64>,
    standard: String,
    attribute: String,
    status: String,
    identified_on: NaiveDate,
    exited_on: Option<NaiveDate>,
    relapsed_on: Option<NaiveDate>,
}

const HOUSEHOLD: &str = "\
SELECT h.id, h.village_code, v.name AS village_name, t.name AS township_name, h.group_no,
    h.standard, h.attribute, h.status, h.identified_on, h.exited_on, h.relapsed_on
FROM household h JOIN region v ON v.code = h.village_code JOIN region t ON t.code = v.parent_code
WHERE h.id = $1";
const CAUSES: &str = "SELECT cause FROM household_cause WHERE household_id = $1 ORDER BY rank";
const MEMBERS: &str = "\
SELECT name, relation, sex, birth_date, id_number, name_pinyin, name_initials FROM member
WHERE household_id = $1 AND active ORDER BY CASE relation WHEN 'head' THEN 0 ELSE 1 END, birth_date, id";
const MEASURES: &str = "\
SELECT category, name, given_on, amount, policy_id FROM measure
WHERE household_id = $1 ORDER BY given_on, id";
const HELPERS: &str = "\
SELECT c.name, c.unit, p.start_on, p.end_on FROM pairing p JOIN cadre c ON c.id = p.cadre_id
WHERE p.household_id = $1 ORDER BY p.start_on DESC, p.id DESC";

type MemberRow = (
    String,
    String,
    String,
    NaiveDate,
    Option<String>,
    String,
    String,
);
type MeasureRow = (String, String, NaiveDate, i64, Option<i64>);
type HelperRow = (String, String, NaiveDate, Option<NaiveDate>);

/// The public page of one household, read in one snapshot; `None` when there is no such household.
pub async fn household(
    db: &Db,
    id: i64,
    today: NaiveDate,
) -> Result<Option<PublicHousehold>, sqlx::Error> {
    let (row, causes, members, measures, helpers) = with_pool!(db, |p| {
        let mut tx = p.begin().await?;
        let row: Option<HouseholdRow> = sqlx::query_as(HOUSEHOLD)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let causes: Vec<String> = sqlx::query_scalar(CAUSES)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let members: Vec<MemberRow> = sqlx::query_as(MEMBERS).bind(id).fetch_all(&mut *tx).await?;
        let measures: Vec<MeasureRow> = sqlx::query_as(MEASURES)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let helpers: Vec<HelperRow> = sqlx::query_as(HELPERS).bind(id).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        (row, causes, members, measures, helpers)
    });
    let (head_pinyin, head_initials) = members
        .iter()
        .find(|m| m.1 == "head")
        .map(|m| (m.5.clone(), m.6.clone()))
        .unwrap_or_default();
    let members = members
        .into_iter()
        .map(|(name, relation, sex, birth, id_number, ..)| {
            Ok(PublicMember {
                name,
                relation: code(&relation, Relation::parse)?,
                sex: code(&sex, Sex::parse)?,
                age: age_on(birth, today),
                id_masked: id_number.as_deref().map(mask_id),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let head_name = members
        .iter()
        .find(|m| m.relation == Relation::Head)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    Ok(Some(PublicHousehold {
        id: row.id,
        head_name,
        head_pinyin,
        head_initials,
        village_code: row.village_code,
        village_name: row.village_name,
        township_name: row.township_name,
        group_no: row.group_no,
        standard: code(&row.standard, Standard::parse)?,
        attribute: code(&row.attribute, Attribute::parse)?,
        causes: causes
            .iter()
            .map(|c| code(c, PovertyCause::parse))
            .collect::<Result<_, _>>()?,
        status: code(&row.status, Status::parse)?,
        identified_on: row.identified_on,
        exited_on: row.exited_on,
        relapsed_on: row.relapsed_on,
        members,
        measures: measures
            .into_iter()
            .map(|(category, name, given_on, amount, policy_id)| {
                Ok(PublicMeasure {
                    category: code(&category, MeasureCategory::parse)?,
                    name,
                    year: given_on.year(),
                    amount,
                    policy_id,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
        helpers: helpers
            .into_iter()
            .map(|(name, unit, start_on, end_on)| HelperSpan {
                name,
                unit,
                start_on,
                end_on,
            })
            .collect(),
    }))
}

const VILLAGE: &str = "\
SELECT v.code, v.name, t.name, v.rural_population FROM region v JOIN region t ON t.code = v.parent_code
WHERE v.code = $1 AND v.level = 'village'";
// Households and persons, all and not yet exited: the dashboard's summary of the village (kept
// in every write's transaction), not a pass over its thousands of households and members.
const VILLAGE_COUNTS: &str = "\
SELECT households, persons, poor_households, poor_persons FROM village_stats WHERE village_code = $1";
const VILLAGE_TEAMS: &str = "\
SELECT w.id, w.unit, w.start_on, w.end_on, c.name, m.role
FROM work_team w JOIN work_team_member m ON m.team_id = w.id JOIN cadre c ON c.id = m.cadre_id
WHERE w.village_code = $1
ORDER BY w.start_on DESC, w.id, CASE m.role WHEN 'leader' THEN 0 ELSE 1 END, c.id";
// Measures by category over all years, from the same summaries.
const VILLAGE_MEASURES: &str = "\
SELECT category, CAST(SUM(measures) AS BIGINT), CAST(SUM(amount) AS BIGINT)
FROM measure_stats WHERE village_code = $1 GROUP BY category";
// The first 100 by group (a county's village has a few dozen; the rest are a search away),
// chosen before their head, cause and size are looked up (SQLite would look them up for every
// poor household of the village, then sort).
const VILLAGE_STILL_POOR: &str = "\
SELECT h.id, h.group_no, h.attribute, h.status,
    (SELECT m.name FROM member m WHERE m.household_id = h.id AND m.active AND m.relation = 'head'),
    (SELECT c.cause FROM household_cause c WHERE c.household_id = h.id AND c.rank = 1),
    (SELECT COUNT(*) FROM member m WHERE m.household_id = h.id AND m.active)
FROM (SELECT id, group_no, attribute, status FROM household
      WHERE village_code = $1 AND status IN ('poor', 'relapsed') ORDER BY group_no, id LIMIT 100) h
ORDER BY h.group_no, h.id";

type TeamRow = (i64, String, NaiveDate, Option<NaiveDate>, String, String);
type PoorRow = (
    i64,
    Option<i64>,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
);

/// The public page of one village; `None` when the code is not a village.
pub async fn village(db: &Db, code_: &str) -> Result<Option<PublicVillage>, sqlx::Error> {
    let (head, counts, teams, measures, poor) = with_pool!(db, |p| {
        let mut tx = p.begin().await?;
        let head: Option<(String, String, String, Option<i64>)> = sqlx::query_as(VILLAGE)
            .bind(code_)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(head) = head else {
            return Ok(None);
        };
        let counts: Option<(i64, i64, i64, i64)> = sqlx::query_as(VILLAGE_COUNTS)
            .bind(code_)
            .fetch_optional(&mut *tx)
            .await?;
        let teams: Vec<TeamRow> = sqlx::query_as(VILLAGE_TEAMS)
            .bind(code_)
            .fetch_all(&mut *tx)
            .await?;
        let measures: Vec<(String, i64, i64)> = sqlx::query_as(VILLAGE_MEASURES)
            .bind(code_)
            .fetch_all(&mut *tx)
            .await?;
        let poor: Vec<PoorRow> = sqlx::query_as(VILLAGE_STILL_POOR)
            .bind(code_)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        (head, counts, teams, measures, poor)
    });
    let (code_, name, township_name, rural_population) = head;
    let mut v = PublicVillage {
        code: code_,
        name,
        township_name,
        rural_population,
        households: 0,
        persons: 0,
        poor_households: 0,
        poor_persons: 0,
        incidence_bp: None,
        work_teams: Vec::new(),
        measures: Vec::new(),
        still_poor: Vec::new(),
    };
    if let Some((households, persons, poor_households, poor_persons)) = counts {
        v.households = households;
        v.persons = persons;
        v.poor_households = poor_households;
        v.poor_persons = poor_persons;
    }
    v.incidence_bp = rural_population
        .filter(|p| *p > 0)
        .map(|p| v.poor_persons * 10_000 / p);
    let mut last_team = None;
    for (id, unit, start_on, end_on, cadre, role) in teams {
        if last_team != Some(id) {
            last_team = Some(id);
            v.work_teams.push(WorkTeamBrief {
                unit,
                start_on,
                end_on,
                leader: None,
                members: Vec::new(),
            });
        }
        let team = v.work_teams.last_mut().expect("pushed above");
        if role == "leader" {
            team.leader = Some(cadre);
        } else {
            team.members.push(cadre);
        }
    }
    for (category, count, amount) in measures {
        v.measures.push(CategoryTotal {
            category: code(&category, MeasureCategory::parse)?,
            count,
            amount,
        });
    }
    v.measures.sort_by_key(|c| {
        MeasureCategory::ALL
            .iter()
            .position(|x| *x == c.category)
            .unwrap_or(usize::MAX)
    });
    for (id, group_no, attribute, status, head_name, cause, persons) in poor {
        v.still_poor.push(HouseholdBrief {
            id,
            head_name: head_name.unwrap_or_default(),
            group_no,
            attribute: code(&attribute, Attribute::parse)?,
            main_cause: cause
                .as_deref()
                .map(|c| code(c, PovertyCause::parse))
                .transpose()?,
            status: code(&status, Status::parse)?,
            persons,
        });
    }
    Ok(Some(v))
}

#[derive(sqlx::FromRow)]
struct PolicyRow {
    id: i64,
    title: String,
    category: String,
    issuer: String,
    doc_number: String,
    issued_on: NaiveDate,
}

impl PolicyRow {
    fn into_brief(self) -> Result<PolicyBrief, sqlx::Error> {
        Ok(PolicyBrief {
            id: self.id,
            title: self.title,
            category: code(&self.category, MeasureCategory::parse)?,
            issuer: self.issuer,
            doc_number: self.doc_number,
            issued_on: self.issued_on,
        })
    }
}

const POLICIES: &str = "\
SELECT id, title, category, issuer, doc_number, issued_on FROM policy
WHERE ($1 = '' OR category = $1)
  AND ($2 = '' OR title LIKE $3 ESCAPE '\\' OR body LIKE $3 ESCAPE '\\' OR doc_number LIKE $3 ESCAPE '\\')
ORDER BY issued_on DESC, id DESC";

/// Policies, newest first, optionally of one category and containing `text`.
pub async fn policies(
    db: &Db,
    category: Option<MeasureCategory>,
    text: &str,
) -> Result<Vec<PolicyBrief>, sqlx::Error> {
    let category = category.map_or("", MeasureCategory::as_str);
    let pattern = format!("%{}%", like_escape(text));
    let rows: Vec<PolicyRow> = with_pool!(db, |p| sqlx::query_as(POLICIES)
        .bind(category)
        .bind(text)
        .bind(&pattern)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(PolicyRow::into_brief).collect()
}

const POLICY: &str = "\
SELECT id, title, category, issuer, doc_number, issued_on FROM policy WHERE id = $1";
const POLICY_TEXT: &str = "SELECT effective_on, body FROM policy WHERE id = $1";
const POLICY_REACH: &str = "\
SELECT COUNT(DISTINCT household_id), COUNT(*), CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM measure WHERE policy_id = $1";

/// One policy with its text and how many households received measures under it.
pub async fn policy(db: &Db, id: i64) -> Result<Option<PolicyDetail>, sqlx::Error> {
    with_pool!(db, |p| {
        let mut tx = p.begin().await?;
        let row: Option<PolicyRow> = sqlx::query_as(POLICY)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let (effective_on, body): (Option<NaiveDate>, String) = sqlx::query_as(POLICY_TEXT)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let (households, measures, amount): (i64, i64, i64) = sqlx::query_as(POLICY_REACH)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(PolicyDetail {
            brief: row.into_brief()?,
            effective_on,
            body,
            households,
            measures,
            amount,
        }))
    })
}
