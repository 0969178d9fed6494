//! Test databases on both backends.
//!
//! SQLite: a fresh file in a temporary folder per test. PostgreSQL: a fresh UTF-8 database per test
//! on the server named by `TEST_POSTGRES_URL` (default postgres://postgres@127.0.0.1:5432/test),
//! dropped at the end. Without a reachable server the PostgreSQL tests print one "skipped" line and
//! pass, except under `CI=true`, where they fail: CI must exercise PostgreSQL.
#![allow(dead_code)]

/// One scenario, two tests (each entry of the list, separated by `;`): `$sqlite` runs it on a new SQLite file, `$postgres` on a new
/// PostgreSQL database (dropped at the end; skipped as above where there is none). `|db|` names the
/// `&Db` the scenario is given; `threads = N` runs it on a multi-threaded runtime of N workers.
macro_rules! on_both {
    ($($sqlite:ident, $postgres:ident, |$db:ident| $run:expr $(, threads = $n:literal)?);+ $(;)?) => {
        $(on_both!(@pair $sqlite, $postgres, |$db| $run $(, threads = $n)?);)+
    };
    (@pair $sqlite:ident, $postgres:ident, |$db:ident| $run:expr $(, threads = $n:literal)?) => {
        on_both!(@test [$($n)?] $sqlite {
            let t = $crate::common::sqlite().await;
            let $db = &t.db;
            $run.await;
        });
        on_both!(@test [$($n)?] $postgres {
            let Some(t) = $crate::common::postgres().await else {
                return;
            };
            {
                let $db = &t.db;
                $run.await;
            }
            t.drop_db().await;
        });
    };
    (@test [] $name:ident $body:block) => {
        #[tokio::test]
        async fn $name() $body
    };
    (@test [$n:literal] $name:ident $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = $n)]
        async fn $name() $body
    };
}

pub mod probe;
pub mod web;
use fupin::server::db::Db;
use sqlx::{Connection, PgConnection};
use std::{
    io::Write,
    path::PathBuf,
    sync::{
        OnceLock,
        atomic::{AtomicU32, Ordering},
    },
};

/// Seeds `households` households and the demo accounts on `db`; returns the village the demo
/// village account (`demo-village`) is held at.
pub async fn demo_register(db: &Db, households: u32) -> String {
    fupin::server::seed::seed(db, households, &mut |_, _| {})
        .await
        .expect("seed");
    fupin::server::seed::demo_users(db)
        .await
        .expect("demo users");
    fupin::server::db::sql_built(
        "SELECT region_code FROM staff_user WHERE username = 'demo-village'".into(),
    )
    .scalar(db)
    .await
    .expect("the demo village account")
}

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A migrated SQLite database in its own temporary folder (removed on drop).
pub struct SqliteTest {
    pub db: Db,
    pub dir: PathBuf,
}

impl Drop for SqliteTest {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub async fn sqlite() -> SqliteTest {
    let dir = std::env::temp_dir().join(unique("fupin_test"));
    // The folder does not exist yet: connecting must create it along with the file.
    let url = format!("sqlite:{}", dir.join("nested").join("fupin.db").display());
    let db = Db::connect(&url).await.expect("open SQLite");
    db.migrate().await.expect("migrate SQLite");
    SqliteTest { db, dir }
}

/// A migrated PostgreSQL database created for one test; call [`PgTest::drop_db`] at the end.
pub struct PgTest {
    pub db: Db,
    admin_url: String,
    name: String,
}

fn pg_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_PG_URL.to_string())
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let cut = base
        .rfind('/')
        .filter(|&i| i > "postgres://".len())
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..cut]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// `None` (after printing why, once) when no PostgreSQL answers and we are not in CI.
pub async fn postgres() -> Option<PgTest> {
    let admin_url = pg_url();
    let mut admin = match PgConnection::connect(&admin_url).await {
        Ok(c) => c,
        Err(err) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true but PostgreSQL is not reachable at {admin_url}: {err}");
            }
            static SAID: OnceLock<()> = OnceLock::new();
            SAID.get_or_init(|| {
                // Written past the test harness's capture, so the user sees it once.
                let _ = writeln!(
                    std::io::stderr(),
                    "skipped: no Postgres at {admin_url} ({err}); set TEST_POSTGRES_URL to run the PostgreSQL tests"
                );
            });
            return None;
        }
    };
    let name = unique("fupin_test");
    // pg_trgm needs a UTF-8 ctype for Chinese text; template0 lets us choose it.
    let create = format!(
        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(create))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let db = Db::connect(&with_database(&admin_url, &name))
        .await
        .expect("open PostgreSQL");
    db.migrate().await.expect("migrate PostgreSQL");
    Some(PgTest {
        db,
        admin_url,
        name,
    })
}

impl PgTest {
    pub async fn drop_db(self) {
        self.db.close().await;
        let mut admin = PgConnection::connect(&self.admin_url)
            .await
            .expect("reconnect");
        let drop = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
            .execute(&mut admin)
            .await
            .expect("drop test database");
    }
}

#[test]
fn database_name_is_swapped_in_the_url() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u@h/db?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
}

// ---- fixtures shared by the repository tests ----

use chrono::NaiveDate;
use fupin::model::{codes::*, fixtures, id_number, registry::*};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn member(name: &str, relation: Relation, id: &str) -> Member {
    let info = id_number::parse(id).unwrap();
    let sex = if info.male { Sex::Male } else { Sex::Female };
    Member {
        id_number: Some(id.into()),
        migrant_months: 6,
        pension_insured: true,
        ..fixtures::member(name, relation, sex, info.birth_date, 1)
    }
}

pub fn new_household(village: &str, head_id: &str, spouse_id: &str) -> Household {
    Household {
        group_no: Some(3),
        address: "湾头桥镇测试村3组".into(),
        phone: Some("13812345678".into()),
        bank_name: Some("武冈农村商业银行".into()),
        bank_account: Some("6217000011112222333".into()),
        identified_on: d("2014-05-10"),
        causes: vec![PovertyCause::Illness, PovertyCause::Skills],
        has_road_access: false,
        housing: Some(Housing {
            structure: Structure::BrickWood,
            area_m2: 86.5,
            built_year: Some(1990),
            danger_grade: Some(DangerGrade::C),
            renovated_on: None,
            relocated: false,
            relocated_on: None,
        }),
        ..fixtures::household(
            village,
            vec![
                member("测试甲", Relation::Head, head_id),
                member("测试乙", Relation::Spouse, spouse_id),
            ],
        )
    }
}

/// Puts household `id` on an exit notice that ran from 20 to 11 days ago (so it is over), as the
/// procedure requires before an exit is finalised.
pub async fn ended_exit_notice(db: &Db, id: i64) -> i64 {
    use fupin::{
        model::transparency::{ProposeForm, ProposedHousehold},
        server::repo::notices,
    };
    let today = chrono::Utc::now().date_naive();
    let form = ProposeForm {
        kind: NoticeKind::Exit,
        households: vec![ProposedHousehold {
            household_id: id,
            reason: "人均纯收入稳定超过标准".into(),
        }],
        starts_on: Some(today - chrono::Days::new(20)),
        days: 10,
    };
    proposed(notices::propose(db, &form, "t").await.expect("propose"))[0]
}

/// The notices a proposal made (a refusal fails the test, with its field and reason).
pub fn proposed(p: fupin::server::repo::notices::Proposed) -> Vec<i64> {
    match p {
        fupin::server::repo::notices::Proposed::Notices(ids) => ids,
        refused => panic!("proposal refused: {refused:?}"),
    }
}

/// Makes household `id` meet every exit condition for `year` (safe water and housing, everyone
/// insured, nobody out of school, a 30,000-yuan income that year); returns its new version.
pub async fn exit_ready(db: &Db, id: i64, year: i64) -> i64 {
    use fupin::server::repo::{
        household::{self, Saved},
        records,
    };
    let mut h = household::get(db, id).await.unwrap().unwrap();
    h.has_safe_water = true;
    for m in &mut h.members {
        m.medical_insured = true;
        if m.student_status == StudentStatus::Dropout || m.student_status == StudentStatus::None {
            m.student_status = StudentStatus::Primary;
        }
    }
    if let Some(hs) = &mut h.housing {
        hs.danger_grade = Some(DangerGrade::A);
    }
    let Saved::Ok { version, .. } = household::update(db, &h, "t").await.unwrap() else {
        panic!("update")
    };
    let income = fixtures::income(year, 30_000, 1);
    let Saved::Ok { version, .. } = records::save_income(db, id, version, &income, "t")
        .await
        .unwrap()
    else {
        panic!("income")
    };
    version
}
