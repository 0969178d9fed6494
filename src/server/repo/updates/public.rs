//! Published updates as the public reads them, with the measures an update links to in aggregate.
use super::*;
use crate::model::place::{PlaceCode, PlaceRange};

#[derive(sqlx::FromRow)]
pub(super) struct PublicRow {
    id: i64,
    title: String,
    body: String,
    happened_on: NaiveDate,
    place_code: Option<String>,
    /// Read as text: an update whose stored category is not one of today's codes is shown
    /// without its measures rather than failing the page (the column has no CHECK).
    measure_category: Option<String>,
    version: i64,
    place_name: Option<String>,
    place_level: Option<String>,
    township_code: Option<String>,
    township_name: Option<String>,
}

pub(super) const PUBLIC_COLS: &str = "SELECT u.id, u.title, u.body, u.happened_on, u.place_code, \
     u.measure_category, u.version, r.name AS place_name, r.level AS place_level, \
     t.code AS township_code, t.name AS township_name FROM work_update u \
     LEFT JOIN region r ON r.code = u.place_code LEFT JOIN region t ON t.code = r.parent_code";

pub(super) const AGGREGATE: &str = "SELECT CAST(COALESCE(SUM(measures), 0) AS BIGINT), \
     CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM measure_stats \
     WHERE village_code >= $1 AND village_code <= $2 AND year = $3 AND category = $4";

/// The public shape of an update row, with its measures in aggregate when it links them.
pub(super) async fn public_item(db: &Db, r: PublicRow) -> Result<UpdateItem, sqlx::Error> {
    let place = match (r.place_code.clone(), r.place_name) {
        (Some(code), Some(name)) => Some(Place {
            code,
            name,
            township: (r.place_level.as_deref() == Some("village"))
                .then(|| r.township_code.zip(r.township_name))
                .flatten(),
        }),
        _ => None,
    };
    let measures = match r
        .measure_category
        .as_deref()
        .and_then(MeasureCategory::parse)
    {
        None => None,
        Some(category) => {
            let PlaceRange { from, to } = r
                .place_code
                .as_deref()
                .and_then(PlaceCode::parse)
                .map_or_else(PlaceRange::all, |c| c.range());
            let year = r.happened_on.year();
            let (measures, amount): (i64, i64) = sql(AGGREGATE)
                .bind(&from)
                .bind(&to)
                .bind(i64::from(year))
                .bind(category)
                .fetch_one(db)
                .await?;
            // A place code is 12 ASCII digits (the region table's CHECK).
            let township = r
                .place_code
                .as_ref()
                .and_then(|c| c.get(..9))
                .map(|t| format!("{t}000"));
            Some(MeasureAggregate {
                category,
                year,
                measures,
                amount,
                href: match township {
                    Some(t) => format!("/dashboard?year={year}&township={t}"),
                    None => format!("/dashboard?year={year}"),
                },
            })
        }
    };
    Ok(UpdateItem {
        id: r.id,
        title: r.title,
        body: r.body,
        happened_on: r.happened_on,
        place,
        measures,
        edited: r.version > 2,
    })
}

/// Published updates, newest first: tagged inside `range` (when given) and containing `q` in
/// the title or body (when not empty); page `page` (from 1) of `per_page`.
pub async fn public_updates(
    db: &Db,
    range: &Range,
    q: &str,
    page: i64,
    per_page: i64,
) -> Result<UpdateList, sqlx::Error> {
    let mut filter = String::from("u.state = 'published'");
    let mut binds: Vec<Val> = Vec::new();
    if let Some(range) = range {
        binds.push(range.from.clone().into());
        binds.push(range.to.clone().into());
        filter.push_str(" AND u.place_code >= $1 AND u.place_code <= $2");
    }
    let q = q.trim();
    if !q.is_empty() {
        binds.push(format!("%{}%", like_escape(q)).into());
        let n = binds.len();
        filter.push_str(&format!(
            " AND (u.title LIKE ${n} ESCAPE '\\' OR u.body LIKE ${n} ESCAPE '\\')"
        ));
    }
    let page = page.max(1);
    // Both statements are built from the fixed fragments above; values are bound.
    let total: i64 = sql_built(format!("SELECT COUNT(*) FROM work_update u WHERE {filter}"))
        .bind_all(binds.clone())
        .scalar(db)
        .await?;
    let rows: Vec<PublicRow> = sql_built(format!(
        "{PUBLIC_COLS} WHERE {filter} ORDER BY u.happened_on DESC, u.id DESC LIMIT {per_page} OFFSET {}",
        (page - 1) * per_page
    ))
    .bind_all(binds)
    .fetch_all(db)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(public_item(db, r).await?);
    }
    Ok(UpdateList {
        items,
        total,
        page,
        per_page,
    })
}

/// One published update.
pub async fn public_update(db: &Db, id: i64) -> Result<Option<UpdateItem>, sqlx::Error> {
    let row: Option<PublicRow> = sql_built(format!(
        "{PUBLIC_COLS} WHERE u.id = $1 AND u.state = 'published'"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    match row {
        Some(r) => Ok(Some(public_item(db, r).await?)),
        None => Ok(None),
    }
}
