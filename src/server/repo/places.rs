//! Places as the filters and the township page show them, and the code ranges staff and filters
//! cover.
use crate::{
    model::{place::PlaceRange, transparency::*},
    server::{
        db::{Db, sql},
        kept::{Generation, Kept},
    },
};
use futures::FutureExt;
use std::sync::{Arc, LazyLock};

/// The codes a staff member or a filter covers; `None` is the whole city.
pub type Range = Option<PlaceRange>;

const PLACES: &str = "SELECT t.code, t.name, v.code, v.name FROM region t \
     JOIN region v ON v.parent_code = t.code AND v.level = 'village' \
     WHERE t.level = 'township' ORDER BY t.code, v.code";

/// The places, kept while the database has not changed (every write to `region` moves its
/// generation): the filters of the updates and notices pages read them on every visit.
static KEPT: LazyLock<Kept<(), Vec<TownshipVillages>>> = LazyLock::new(|| Kept::new(1));

/// Every township with its villages, for the filters.
pub async fn places(db: &Db) -> Result<Arc<Vec<TownshipVillages>>, sqlx::Error> {
    let seen = Generation::read(db).await?;
    let db = db.clone();
    KEPT.get((), &seen, move || read_places(db).boxed()).await
}

async fn read_places(db: Db) -> Result<Vec<TownshipVillages>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> = sql(PLACES).fetch_all(&db).await?;
    let mut out: Vec<TownshipVillages> = Vec::new();
    for (t, tn, v, vn) in rows {
        match out.last_mut() {
            Some(last) if last.code == t => last.villages.push((v, vn)),
            _ => out.push(TownshipVillages {
                code: t,
                name: tn,
                villages: vec![(v, vn)],
            }),
        }
    }
    Ok(out)
}

const TOWNSHIP: &str = "SELECT name FROM region WHERE code = $1 AND level = 'township'";
const TOWNSHIP_VILLAGES: &str = "SELECT v.code, v.name, COALESCE(s.households, 0) AS households, \
     COALESCE(s.poor_households, 0) AS poor_households, \
     COALESCE(s.poor_persons, 0) AS poor_persons, v.rural_population \
     FROM region v LEFT JOIN village_stats s ON s.village_code = v.code \
     WHERE v.parent_code = $1 AND v.level = 'village' ORDER BY v.code";

/// A township's public page: its villages with their progress.
pub async fn township(db: &Db, code: &str) -> Result<Option<PublicTownship>, sqlx::Error> {
    let Some(name) = sql(TOWNSHIP).bind(code).scalar_optional(db).await? else {
        return Ok(None);
    };
    let villages: Vec<VillageProgress> = sql(TOWNSHIP_VILLAGES).bind(code).fetch_all(db).await?;
    Ok(Some(PublicTownship {
        code: code.to_string(),
        name,
        villages,
    }))
}
