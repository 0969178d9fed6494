//! A household's yearly incomes: read, and one year recorded or corrected on top of the
//! household's version.
use super::bump_version;
use crate::{
    model::registry::Income,
    server::{
        db::{Conn, Db, sql},
        repo::{
            Saved,
            audit::{Audit, json},
        },
    },
};

const INCOMES: &str = "SELECT year, persons, wages, business, transfer, property, costs, \
     spending, net_income, per_capita FROM household_income WHERE household_id = $1 ORDER BY year DESC";

const INCOME_OF_YEAR: &str = "SELECT year, persons, wages, business, transfer, property, costs, \
     spending, net_income, per_capita FROM household_income WHERE household_id = $1 AND year = $2";

const UPSERT_INCOME: &str = "\
INSERT INTO household_income (household_id, year, persons, wages, business, transfer, property, costs,
    spending)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (household_id, year) DO UPDATE SET persons = excluded.persons, wages = excluded.wages,
    business = excluded.business, transfer = excluded.transfer, property = excluded.property,
    costs = excluded.costs, spending = excluded.spending";

#[derive(sqlx::FromRow)]
struct IncomeRow {
    year: i64,
    persons: i64,
    wages: i64,
    business: i64,
    transfer: i64,
    property: i64,
    costs: i64,
    spending: i64,
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
            spending: r.spending,
            net_income: Some(r.net_income),
            per_capita: Some(r.per_capita),
        }
    }
}

/// A household's yearly incomes, newest first.
pub async fn incomes(db: &Db, id: i64) -> Result<Vec<Income>, sqlx::Error> {
    incomes_on(db, id).await
}

/// [`incomes`], read on `on` (a transaction, or the pool).
pub(crate) async fn incomes_on<'c>(
    on: impl Into<Conn<'c>>,
    id: i64,
) -> Result<Vec<Income>, sqlx::Error> {
    let rows: Vec<IncomeRow> = sql(INCOMES).bind(id).fetch_all(on).await?;
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
        Saved::Ok { version, .. } => version,
        refused => return Ok(refused),
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
        .bind(income.spending)
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
