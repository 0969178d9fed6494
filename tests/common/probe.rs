//! Looking into a test database from outside the code under test: counts, single figures, a
//! statement run as it is, and a demo user's session cookie. The SQL is the tests' own text.
use fupin::server::{
    auth,
    db::{Db, Val, sql_built},
    seed,
};

/// The first column of the one row `sql` returns, as a whole number.
pub async fn scalar(db: &Db, sql: &str) -> i64 {
    sql_built(sql.to_string())
        .scalar(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// [`scalar`] with one bound value (`$1`).
pub async fn scalar_with(db: &Db, sql: &str, bind: impl Into<Val>) -> i64 {
    sql_built(sql.to_string())
        .bind(bind)
        .scalar(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Each statement's figure, in order: a footprint that must not move when nothing is written.
pub async fn counts(db: &Db, statements: &[&str]) -> Vec<i64> {
    let mut out = Vec::with_capacity(statements.len());
    for s in statements {
        out.push(scalar(db, s).await);
    }
    out
}

/// Runs a statement; the database's answer.
pub async fn try_exec(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    sql_built(sql.to_string()).execute(db).await.map(|_| ())
}

/// Runs a statement that must succeed.
pub async fn exec(db: &Db, sql: &str) {
    try_exec(db, sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The session cookie of demo account `user` (logged in with the demo password).
pub async fn cookie_for(db: &Db, user: &str) -> String {
    let (_, token) = auth::login(db, user, seed::DEMO_PASSWORD, "test")
        .await
        .expect("login");
    format!("{}={token}", auth::COOKIE)
}
