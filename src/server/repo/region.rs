//! Places: city, townships (乡镇/街道) and administrative villages (行政村).
use super::like_escape;
use crate::{
    model::{RegionHit, RegionLevel},
    server::db::{Db, sql},
};

/// A row of the `region` table as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RegionRow {
    pub code: String,
    pub parent_code: Option<String>,
    pub level: String,
    pub name: String,
}

const INSERT: &str = "INSERT INTO region (code, parent_code, level, name) VALUES ($1, $2, $3, $4)";

/// Adds one place. Fails on a malformed code, an unknown level or a missing parent.
pub async fn insert(db: &Db, row: &RegionRow) -> Result<(), sqlx::Error> {
    sql(INSERT)
        .bind(&row.code)
        .bind(&row.parent_code)
        .bind(&row.level)
        .bind(&row.name)
        .execute(db)
        .await
        .map(|_| ())
}

const GET: &str = "SELECT code, parent_code, level, name FROM region WHERE code = $1";

/// One place by its 12-digit code.
pub async fn get<'c>(
    on: impl Into<crate::server::db::Conn<'c>>,
    code: &str,
) -> Result<Option<RegionRow>, sqlx::Error> {
    sql(GET).bind(code).fetch_optional(on).await
}

const RENAME: &str = "UPDATE region SET name = $2 WHERE code = $1";

/// Renames a place; `false` when no such code exists.
pub async fn rename(db: &Db, code: &str, name: &str) -> Result<bool, sqlx::Error> {
    let done = sql(RENAME).bind(code).bind(name).execute(db).await?;
    Ok(done == 1)
}

const COUNT_BY_LEVEL: &str = "SELECT COUNT(*) FROM region WHERE level = $1";

/// How many places of one level are registered.
pub async fn count(db: &Db, level: RegionLevel) -> Result<i64, sqlx::Error> {
    sql(COUNT_BY_LEVEL).bind(level.as_str()).scalar(db).await
}

// Ranked: exact name, then prefix, then contains; townships before villages; code for stability.
const SEARCH: &str = "\
SELECT r.code, r.name, r.level, p.name AS parent_name
FROM region r LEFT JOIN region p ON p.code = r.parent_code
WHERE r.level IN ('township', 'village') AND r.name LIKE $1 ESCAPE '\\'
ORDER BY CASE WHEN r.name = $2 THEN 0 WHEN r.name LIKE $3 ESCAPE '\\' THEN 1 ELSE 2 END,
         CASE r.level WHEN 'township' THEN 0 ELSE 1 END, r.code
LIMIT $4";

/// Townships and villages whose name contains `text`, best matches first.
pub async fn search(db: &Db, text: &str, limit: i64) -> Result<Vec<RegionHit>, sqlx::Error> {
    let escaped = like_escape(text);
    let contains = format!("%{escaped}%");
    let prefix = format!("{escaped}%");
    let rows: Vec<(String, String, String, Option<String>)> = sql(SEARCH)
        .bind(contains)
        .bind(text)
        .bind(prefix)
        .bind(limit)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, name, level, parent_name)| {
            Some(RegionHit {
                code,
                name,
                level: RegionLevel::parse(&level)?,
                parent_name,
            })
        })
        .collect())
}
