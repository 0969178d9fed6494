//! Reads for the public portal. Each selects only the columns the public may see: ID numbers
//! leave this module masked, and phones, health, bank accounts and incomes are never selected.
use super::like_escape;
use crate::{
    model::{codes::*, id_number::mask_id, public::*},
    server::db::{Db, sql},
};
use chrono::{Datelike, NaiveDate};

#[derive(sqlx::FromRow)]
struct HouseholdRow {
    id: i64,
    village_code: String,
    village_name: String,
    township_name: String,
    group_no: Option<i64>,
    standard: Standard,
    attribute: Attribute,
    status: Status,
    identified_on: NaiveDate,
    exited_on: Option<NaiveDate>,
    relapsed_on: Option<NaiveDate>,
}

const HOUSEHOLD: &str = "\
SELECT h.id, h.village_code, v.name AS village_name, t.name AS township_name, h.group_no,
    h.standard, h.attribute, h.status, h.identified_on, h.exited_on, h.relapsed_on
FROM household h JOIN region v ON v.code = h.village_code JOIN region t ON t.code = v.parent_code
WHERE h.id = $1 AND h.status <> 'ordinary'";
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

#[derive(sqlx::FromRow)]
struct MemberRow {
    name: String,
    relation: Relation,
    sex: Sex,
    birth_date: NaiveDate,
    id_number: Option<String>,
    name_pinyin: String,
    name_initials: String,
}

#[derive(sqlx::FromRow)]
struct MeasureRow {
    category: MeasureCategory,
    name: String,
    given_on: NaiveDate,
    amount: i64,
    policy_id: Option<i64>,
}

const ASSISTANCE: &str = "\
SELECT kind, MIN(start_on) AS since FROM assistance
WHERE household_id = $1 AND (end_on IS NULL OR end_on >= $2) GROUP BY kind ORDER BY MIN(start_on)";

#[derive(sqlx::FromRow)]
struct HelperRow {
    name: String,
    unit: String,
    start_on: NaiveDate,
    end_on: Option<NaiveDate>,
}

/// The public page of one household, read in one snapshot; `None` when there is no such household.
pub async fn household(
    db: &Db,
    id: i64,
    today: NaiveDate,
) -> Result<Option<PublicHousehold>, sqlx::Error> {
    let mut tx = db.begin().await?; // one snapshot for the five reads
    let Some(row) = sql(HOUSEHOLD)
        .bind(id)
        .fetch_optional::<HouseholdRow>(&mut tx)
        .await?
    else {
        return Ok(None);
    };
    let causes: Vec<PovertyCause> = sql(CAUSES).bind(id).scalars(&mut tx).await?;
    let members: Vec<MemberRow> = sql(MEMBERS).bind(id).fetch_all(&mut tx).await?;
    let measures: Vec<MeasureRow> = sql(MEASURES).bind(id).fetch_all(&mut tx).await?;
    let helpers: Vec<HelperRow> = sql(HELPERS).bind(id).fetch_all(&mut tx).await?;
    let assistance = sql(ASSISTANCE)
        .bind(id)
        .bind(today)
        .fetch_all(&mut tx)
        .await?;
    tx.commit().await?;
    let (head_pinyin, head_initials) = members
        .iter()
        .find(|m| m.relation == Relation::Head)
        .map(|m| (m.name_pinyin.clone(), m.name_initials.clone()))
        .unwrap_or_default();
    let members: Vec<PublicMember> = members
        .into_iter()
        .map(|m| PublicMember {
            name: m.name,
            relation: m.relation,
            sex: m.sex,
            age: age_on(m.birth_date, today),
            id_masked: m.id_number.as_deref().map(mask_id),
        })
        .collect();
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
        standard: row.standard,
        attribute: row.attribute,
        causes,
        status: row.status,
        identified_on: row.identified_on,
        exited_on: row.exited_on,
        relapsed_on: row.relapsed_on,
        members,
        measures: measures
            .into_iter()
            .map(|m| PublicMeasure {
                category: m.category,
                name: m.name,
                year: m.given_on.year(),
                amount: m.amount,
                policy_id: m.policy_id,
            })
            .collect(),
        helpers: helpers
            .into_iter()
            .map(|h| HelperSpan {
                name: h.name,
                unit: h.unit,
                start_on: h.start_on,
                end_on: h.end_on,
            })
            .collect(),
        assistance,
    }))
}

const VILLAGE: &str = "\
SELECT v.code, v.name, t.name AS township_name, v.rural_population FROM region v JOIN region t ON t.code = v.parent_code
WHERE v.code = $1 AND v.level = 'village'";
// Households and persons, all and not yet exited: the dashboard's summary of the village (kept
// in every write's transaction), not a pass over its thousands of households and members.
const VILLAGE_COUNTS: &str = "\
SELECT households, persons, poor_households, poor_persons FROM village_stats WHERE village_code = $1";
const VILLAGE_TEAMS: &str = "\
SELECT w.id, w.unit, w.start_on, w.end_on, c.name AS cadre, m.role
FROM work_team w JOIN work_team_member m ON m.team_id = w.id JOIN cadre c ON c.id = m.cadre_id
WHERE w.village_code = $1
ORDER BY w.start_on DESC, w.id, CASE m.role WHEN 'leader' THEN 0 ELSE 1 END, c.id";
// Measures by category over all years, from the same summaries.
const VILLAGE_MEASURES: &str = "\
SELECT category, CAST(SUM(measures) AS BIGINT) AS count, CAST(SUM(amount) AS BIGINT) AS amount
FROM measure_stats WHERE village_code = $1 GROUP BY category";
// The first 100 by group (a county's village has a few dozen; the rest are a search away), as
// kept with their head, cause and size by every write that changes them (migration 0018).
const VILLAGE_STILL_POOR: &str = "\
SELECT household_id AS id, group_no, attribute, status, head_name, main_cause, persons
FROM village_poor_list WHERE village_code = $1 ORDER BY group_no, household_id";

#[derive(sqlx::FromRow)]
struct VillageRow {
    code: String,
    name: String,
    township_name: String,
    rural_population: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: i64,
    unit: String,
    start_on: NaiveDate,
    end_on: Option<NaiveDate>,
    cadre: String,
    role: String,
}

#[derive(sqlx::FromRow)]
struct PoorRow {
    id: i64,
    group_no: Option<i64>,
    attribute: Attribute,
    status: Status,
    head_name: Option<String>,
    main_cause: Option<PovertyCause>,
    persons: i64,
}

/// The public page of one village; `None` when the code is not a village.
pub async fn village(db: &Db, code: &str) -> Result<Option<PublicVillage>, sqlx::Error> {
    let mut tx = db.begin().await?; // one snapshot for the five reads
    let Some(head) = sql(VILLAGE)
        .bind(code)
        .fetch_optional::<VillageRow>(&mut tx)
        .await?
    else {
        return Ok(None);
    };
    let counts: Option<(i64, i64, i64, i64)> = sql(VILLAGE_COUNTS)
        .bind(code)
        .fetch_optional(&mut tx)
        .await?;
    let teams: Vec<TeamRow> = sql(VILLAGE_TEAMS).bind(code).fetch_all(&mut tx).await?;
    let measures: Vec<CategoryTotal> = sql(VILLAGE_MEASURES).bind(code).fetch_all(&mut tx).await?;
    let poor: Vec<PoorRow> = sql(VILLAGE_STILL_POOR)
        .bind(code)
        .fetch_all(&mut tx)
        .await?;
    tx.commit().await?;
    let VillageRow {
        code,
        name,
        township_name,
        rural_population,
    } = head;
    let mut v = PublicVillage {
        code,
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
    for t in teams {
        if last_team != Some(t.id) {
            last_team = Some(t.id);
            v.work_teams.push(WorkTeamBrief {
                unit: t.unit,
                start_on: t.start_on,
                end_on: t.end_on,
                leader: None,
                members: Vec::new(),
            });
        }
        let team = v.work_teams.last_mut().expect("pushed above");
        if t.role == "leader" {
            team.leader = Some(t.cadre);
        } else {
            team.members.push(t.cadre);
        }
    }
    v.measures = measures;
    v.measures.sort_by_key(|c| {
        MeasureCategory::ALL
            .iter()
            .position(|x| *x == c.category)
            .unwrap_or(usize::MAX)
    });
    v.still_poor = poor
        .into_iter()
        .map(|h| HouseholdBrief {
            id: h.id,
            head_name: h.head_name.unwrap_or_default(),
            group_no: h.group_no,
            attribute: h.attribute,
            main_cause: h.main_cause,
            status: h.status,
            persons: h.persons,
        })
        .collect();
    Ok(Some(v))
}

#[derive(sqlx::FromRow)]
struct PolicyRow {
    id: i64,
    title: String,
    category: MeasureCategory,
    issuer: String,
    doc_number: String,
    issued_on: NaiveDate,
}

impl From<PolicyRow> for PolicyBrief {
    fn from(r: PolicyRow) -> Self {
        PolicyBrief {
            id: r.id,
            title: r.title,
            category: r.category,
            issuer: r.issuer,
            doc_number: r.doc_number,
            issued_on: r.issued_on,
        }
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
    let rows: Vec<PolicyRow> = sql(POLICIES)
        .bind(category)
        .bind(text)
        .bind(pattern)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(PolicyBrief::from).collect())
}

const POLICY: &str = "\
SELECT id, title, category, issuer, doc_number, issued_on FROM policy WHERE id = $1";
const POLICY_TEXT: &str = "SELECT effective_on, body FROM policy WHERE id = $1";
const POLICY_REACH: &str = "\
SELECT COUNT(DISTINCT household_id), COUNT(*), CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM measure WHERE policy_id = $1";

/// One policy with its text and how many households received measures under it.
pub async fn policy(db: &Db, id: i64) -> Result<Option<PolicyDetail>, sqlx::Error> {
    let mut tx = db.begin().await?; // one snapshot for the three reads
    let Some(row) = sql(POLICY)
        .bind(id)
        .fetch_optional::<PolicyRow>(&mut tx)
        .await?
    else {
        return Ok(None);
    };
    let (effective_on, body): (Option<NaiveDate>, String) =
        sql(POLICY_TEXT).bind(id).fetch_one(&mut tx).await?;
    let (households, measures, amount): (i64, i64, i64) =
        sql(POLICY_REACH).bind(id).fetch_one(&mut tx).await?;
    tx.commit().await?;
    Ok(Some(PolicyDetail {
        brief: row.into(),
        effective_on,
        body,
        households,
        measures,
        amount,
    }))
}
