//! `fupin seed`: deterministic demo data shaped like Wugang (武冈市, 430581).
//!
//! The same `--households N` always gives the same data (ChaCha8 seeded with a constant). The
//! default, 26,000 households, matches the city's register: about 92,000 persons, 6,500 helper
//! cadres, 306 villages with work teams, measures over 2014–2018, yearly lines and targets. The
//! whole load is one transaction: it is there completely or not at all.
mod bulk;
mod cases;
mod catalog;
mod households;
mod monitoring;
mod people;
mod places;

pub use cases::{MonitoringSummary, demo_monitoring};
pub use places::{CITY_CODE, is_empty};

use crate::server::db::{Db, sql};
use bulk::Tx;
use std::time::Instant;

/// The default number of households (Wugang lifted 26,177 households out of poverty).
pub const DEFAULT_HOUSEHOLDS: u32 = 26_000;

/// What a seed run created.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedSummary {
    pub townships: u64,
    pub villages: u64,
    pub households: u64,
    pub members: u64,
    pub cadres: u64,
    pub measures: u64,
    pub policies: u64,
}

/// Loads the demo data for `households` households, reporting progress through `progress`
/// (households written so far). Fails, writing nothing, if the database already holds a city.
pub async fn seed(
    db: &Db,
    households: u32,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<SeedSummary, sqlx::Error> {
    let started = Instant::now();
    let mut tx = db.begin().await?;
    // SQLite builds an index from sorted data far faster than it maintains one row by row:
    // set the secondary indexes aside for the load and rebuild them, from their own stored
    // definitions, before the commit (a UNIQUE one that no longer holds fails the whole load).
    let indexes = tx.set_indexes_aside().await?;
    let mut g = people::Generator::new(households);
    let mut summary = places::write(&mut tx, &mut g).await?;
    summary.policies = g.write_reference_data(&mut tx).await?;
    monitoring::write(&mut tx).await?;
    summary.cadres = g.write_cadres_and_teams(&mut tx).await?;
    let totals = g.write_households(&mut tx, progress).await?;
    summary.households = totals.households;
    summary.members = totals.members;
    summary.measures = totals.measures;
    tracing::info!(elapsed = ?started.elapsed(), "rows written; indexing names");
    tx.execute(crate::server::repo::search::INDEX_ALL_NAMES)
        .await?;
    tracing::info!(elapsed = ?started.elapsed(), "names indexed; rebuilding indexes");
    tx.restore_indexes(indexes).await?;
    // The dashboard's summaries, in the same transaction as the rows they sum. PostgreSQL first
    // needs statistics on the new rows, or it plans the sums as if the tables were empty.
    if let Tx::Postgres(_) = tx {
        tx.execute("ANALYZE").await?;
    }
    for sql in crate::server::repo::stats::REBUILD_ALL {
        tx.execute(sql).await?;
    }
    tracing::info!(elapsed = ?started.elapsed(), "indexes rebuilt, summaries built; committing");
    if let Tx::Postgres(_) = tx {
        // Rows were written with explicit ids: move the identity sequences past them.
        for sql in people::RESET_SEQUENCES {
            tx.execute(sql).await?;
        }
    }
    tx.commit().await?;
    tracing::info!(elapsed = ?started.elapsed(), "committed");
    if let Db::Sqlite(pool) = db {
        // Copy the load from the write-ahead log into the database file and empty the log, so a
        // fresh database does not start with a log as large as itself.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(pool)
            .await?;
        tracing::info!(elapsed = ?started.elapsed(), "log checkpointed");
    }
    if let Db::Postgres(pool) = db {
        // Planner statistics and the visibility map (index-only scans) for the new tables now,
        // rather than whenever autovacuum gets to them.
        sqlx::query("VACUUM ANALYZE").execute(pool).await?;
        tracing::info!(elapsed = ?started.elapsed(), "vacuumed and analyzed");
    }
    Ok(summary)
}

/// The password of the demo accounts. Demo only: a real deployment creates its accounts with
/// `fupin user add` and never runs the demo seed.
pub const DEMO_PASSWORD: &str = "fupin-demo-2026";

/// One demo account per role (`demo-admin`, `demo-township`, `demo-village`, `demo-cadre`), scoped
/// to the first township, its first village and a helper cadre paired with households there.
pub async fn demo_users(db: &Db) -> Result<(), crate::error::AppError> {
    use crate::{model::codes::Role, server::auth::create_user};
    const FIRST_VILLAGE: &str = "SELECT v.code, v.parent_code FROM region v \
         WHERE v.level = 'village' AND EXISTS (SELECT 1 FROM household h WHERE h.village_code = v.code) \
         ORDER BY v.code LIMIT 1";
    const CADRE_THERE: &str = "SELECT p.cadre_id FROM pairing p JOIN household h ON h.id = p.household_id \
         WHERE h.village_code = $1 AND p.end_on IS NULL ORDER BY p.cadre_id LIMIT 1";
    let (village, township): (String, String) = sql(FIRST_VILLAGE).fetch_one(db).await?;
    let cadre: i64 = sql(CADRE_THERE).bind(&village).scalar(db).await?;
    let city = places::CITY_CODE.to_string();
    for (username, name, role, region, cadre) in [
        ("demo-admin", "演示·市管理员", Role::CityAdmin, &city, None),
        (
            "demo-township",
            "演示·乡镇干部",
            Role::Township,
            &township,
            None,
        ),
        ("demo-village", "演示·村干部", Role::Village, &village, None),
        (
            "demo-cadre",
            "演示·帮扶责任人",
            Role::Cadre,
            &village,
            Some(cadre),
        ),
    ] {
        create_user(db, username, name, DEMO_PASSWORD, role, region, cadre).await?;
    }
    Ok(())
}

/// Demo work updates (published across the city, a township and villages; one draft) and a
/// running exit notice with one objection waiting for an answer, in the demo township's second
/// village — so `/updates`, `/notices` and the staff desks are not empty on first run.
pub async fn demo_transparency(db: &Db) -> Result<(), sqlx::Error> {
    use crate::{
        model::{codes::*, transparency::*},
        server::repo::{notices, objections, updates},
    };
    const VILLAGES: &str = "SELECT v.code FROM region v WHERE v.level = 'village' \
         AND EXISTS (SELECT 1 FROM household h WHERE h.village_code = v.code AND h.status = 'poor') \
         ORDER BY v.code LIMIT 3";
    const POOR: &str = "SELECT id FROM household WHERE village_code = $1 AND status = 'poor' \
         ORDER BY id LIMIT 3";
    let villages: Vec<String> = sql(VILLAGES).scalars(db).await?;
    let Some(first) = villages.first() else {
        return Ok(());
    };
    let township = format!("{}000", &first[..9]);
    let second = villages.get(1).unwrap_or(first).clone();
    let d = |s: &str| s.parse::<chrono::NaiveDate>().ok();
    // Title, body, date, place, linked measures, published.
    type DemoUpdate = (
        &'static str,
        &'static str,
        &'static str,
        Option<String>,
        Option<MeasureCategory>,
        bool,
    );
    let updates: [DemoUpdate; 6] = [
        (
            "全市脱贫攻坚推进会召开",
            "市委、市政府召开脱贫攻坚推进会，部署年度减贫任务：全年实现2.8万人脱贫。\n会议要求各乡镇、各驻村工作队精准识别、精准帮扶、精准退出。",
            "2017-02-20",
            None,
            None,
            true,
        ),
        (
            "乡镇举办油茶产业技术培训",
            "镇农技站在各村举办油茶种植和管护培训，贫困户优先参加，结业后落实产业扶持资金。",
            "2017-05-12",
            Some(township.clone()),
            Some(MeasureCategory::Industry),
            true,
        ),
        (
            "驻村工作队完成入户核查",
            "驻村工作队和村两委逐户核对家庭人口、收入和两不愁三保障情况，核查结果在村务公开栏公示。",
            "2017-06-20",
            Some(first.clone()),
            Some(MeasureCategory::Education),
            true,
        ),
        (
            "危房改造项目全部开工",
            "今年纳入计划的危房改造户全部开工，乡镇建设站跟踪质量和进度。",
            "2018-04-18",
            Some(second.clone()),
            Some(MeasureCategory::Housing),
            true,
        ),
        (
            "全市贫困人口全部脱贫",
            "经过各方共同努力，全市现行标准下农村贫困人口全部脱贫，转入防止返贫动态监测和帮扶。",
            "2020-11-20",
            None,
            None,
            true,
        ),
        (
            "（草稿）健康扶贫政策宣讲安排",
            "拟于下月在各村开展健康扶贫政策宣讲。",
            "2020-12-01",
            Some(township.clone()),
            Some(MeasureCategory::Medical),
            false,
        ),
    ];
    for (title, body, on, place_code, measure_category, publish) in updates {
        let form = UpdateForm {
            id: None,
            version: 1,
            title: title.into(),
            body: body.into(),
            happened_on: d(on),
            place_code,
            measure_category,
        };
        if let crate::server::repo::Saved::Ok { id, version } =
            updates::save_update(db, &form, "demo-admin").await?
            && publish
        {
            updates::set_update_state(db, id, version, UpdateState::Published, "demo-admin")
                .await?;
        }
    }
    let poor: Vec<i64> = sql(POOR).bind(&second).scalars(db).await?;
    if poor.is_empty() {
        return Ok(());
    }
    let today = crate::server::clock::today();
    let form = ProposeForm {
        kind: NoticeKind::Exit,
        households: poor
            .iter()
            .map(|&household_id| ProposedHousehold {
                household_id,
                reason: "人均纯收入稳定超过当年标准，两不愁三保障达标".into(),
            })
            .collect(),
        starts_on: Some(today - chrono::Days::new(3)),
        days: MIN_NOTICE_DAYS,
    };
    let notices::Proposed::Notices(ids) = notices::propose(db, &form, "demo-admin").await? else {
        return Ok(());
    };
    let entry: i64 = sql("SELECT MIN(id) FROM notice_entry WHERE notice_id = $1")
        .bind(ids[0])
        .scalar(db)
        .await?;
    objections::file_objection(
        db,
        ids[0],
        entry,
        "该户去年新建了楼房，收入情况是否核实？",
        None,
        "demo",
        "demo-seed",
        today,
    )
    .await?;
    Ok(())
}
