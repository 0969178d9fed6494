//! Search benchmark: `make bench` (or `cargo bench --features ssr --bench search`).
//!
//! Seeds (once, then reuses) a register of `FUPIN_BENCH_HOUSEHOLDS` households (default
//! 1,000,000) into `FUPIN_BENCH_DB` (default `target/bench/fupin-<N>.db`), starts the real server
//! on a local port, and for each query kind prints p50/p95/p99 of
//! - the `search` server function over HTTP (a keep-alive connection, as a browser would), and
//! - the repository call alone (the SQL queries and row decoding, no HTTP),
//!
//! and the difference, which is the stack's own cost. With `FUPIN_BENCH_PG=postgres://…` the same
//! runs against PostgreSQL (seeded once into that database).
use fupin::{
    model::search::SearchTerm,
    server::{db::Db, http::router, leptos_options, repo, seed, state::AppState},
    with_pool,
};
use rand::{SeedableRng, seq::IndexedRandom};
use std::time::{Duration, Instant};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

const ROUNDS: usize = 600;
const SAMPLE: i64 = 300;

#[tokio::main]
async fn main() {
    let households: u32 = std::env::var("FUPIN_BENCH_HOUSEHOLDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let path = std::env::var("FUPIN_BENCH_DB")
        .unwrap_or_else(|_| format!("target/bench/fupin-{households}.db"));
    let sqlite = open(&format!("sqlite:{path}"), households).await;
    run("SQLite", sqlite).await;
    if let Ok(url) = std::env::var("FUPIN_BENCH_PG") {
        let pg = open(&url, households).await;
        run("PostgreSQL", pg).await;
    }
}

/// Opens, migrates and (when empty) seeds the database, printing how long the seed took.
async fn open(url: &str, households: u32) -> Db {
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    repo::stats::rebuild_if_missing(&db)
        .await
        .expect("summaries");
    if seed::is_empty(&db).await.expect("query") {
        eprintln!(
            "seeding {households} households into {}",
            fupin::server::db::redact(url)
        );
        let started = Instant::now();
        seed::seed(&db, households, &mut |done, total| {
            if done % 100_000 == 0 || done == total {
                eprintln!("  {done}/{total} households, {:.0?}", started.elapsed());
            }
        })
        .await
        .expect("seed");
        println!("seed: {households} households in {:.1?}", started.elapsed());
    }
    db
}

async fn sample(db: &Db, sql: &'static str) -> Vec<String> {
    with_pool!(db, |p| sqlx::query_scalar::<_, String>(sql)
        .bind(SAMPLE)
        .fetch_all(p)
        .await)
    .expect(sql)
}

/// Query texts per kind, drawn from the data itself (a fixed sample, so runs compare).
async fn kinds(db: &Db) -> Vec<(&'static str, Vec<String>)> {
    // Every 997th person: a spread over the whole register without a random scan.
    const NAMES2: &str = "SELECT name FROM member WHERE id % 997 = 0 AND length(name) = 2 LIMIT $1";
    const NAMES3: &str = "SELECT name FROM member WHERE id % 997 = 0 AND length(name) = 3 LIMIT $1";
    const PINYIN: &str = "SELECT name_pinyin FROM member WHERE id % 997 = 0 LIMIT $1";
    const INITIALS: &str = "SELECT name_initials FROM member WHERE id % 997 = 0 LIMIT $1";
    const VILLAGES: &str = "SELECT name FROM region WHERE level = 'village' ORDER BY code LIMIT $1";
    let names2 = sample(db, NAMES2).await;
    let names3 = sample(db, NAMES3).await;
    let one: Vec<String> = names3
        .iter()
        .filter_map(|n| n.chars().last().map(String::from))
        .collect();
    let surnames: Vec<String> = names3
        .iter()
        .filter_map(|n| n.chars().next().map(String::from))
        .collect();
    vec![
        ("1-char", one),
        ("2-char name", names2),
        ("3-char name", names3),
        ("surname", surnames),
        ("pinyin", sample(db, PINYIN).await),
        ("initials", sample(db, INITIALS).await),
        ("village", sample(db, VILLAGES).await),
    ]
}

struct Http {
    stream: BufReader<TcpStream>,
}

impl Http {
    async fn connect(addr: std::net::SocketAddr) -> Http {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Http {
            stream: BufReader::new(stream),
        }
    }

    /// POSTs a form and reads the whole answer; returns the status.
    async fn post(&mut self, path: &str, form: &str) -> u16 {
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        );
        self.stream
            .get_mut()
            .write_all(req.as_bytes())
            .await
            .expect("write");
        let mut line = String::new();
        self.stream.read_line(&mut line).await.expect("status");
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status code");
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.expect("header");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse::<usize>().ok();
            } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await.expect("chunk");
                let size = usize::from_str_radix(line.trim(), 16).expect("chunk size");
                let mut buf = vec![0; size + 2];
                self.stream.read_exact(&mut buf).await.expect("chunk body");
                if size == 0 {
                    break;
                }
            }
        } else {
            let mut buf = vec![0; length.expect("content-length")];
            self.stream.read_exact(&mut buf).await.expect("body");
        }
        status
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn escape(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn run(backend: &str, db: Db) {
    let options = leptos_options("127.0.0.1:0".parse().unwrap(), "target/site");
    let app = router(AppState {
        leptos_options: options,
        db: db.clone(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let mut http = Http::connect(addr).await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    println!(
        "\n{backend}: search, {ROUNDS} queries per kind (ms)\n{:<12} {:>7} {:>7} {:>7} | {:>7} {:>7} {:>7} | {:>9}",
        "kind", "http50", "http95", "http99", "sql50", "sql95", "sql99", "Δp95"
    );
    for (kind, queries) in kinds(&db).await {
        assert!(!queries.is_empty(), "no sample for {kind}");
        let picks: Vec<&String> = (0..ROUNDS)
            .map(|_| queries.choose(&mut rng).expect("sample"))
            .collect();
        // Warm the caches once, then measure.
        for q in picks.iter().take(50) {
            http.post("/api/search", &format!("q={}", escape(q))).await;
        }
        let mut h = Vec::with_capacity(ROUNDS);
        let mut s = Vec::with_capacity(ROUNDS);
        for q in &picks {
            let form = format!("q={}", escape(q));
            let t = Instant::now();
            let status = http.post("/api/search", &form).await;
            h.push(t.elapsed());
            assert_eq!(status, 200, "{q}");
            let term = SearchTerm::parse(q).expect("query");
            let t = Instant::now();
            repo::search::search(&db, &term, 1).await.expect("search");
            s.push(t.elapsed());
        }
        print_row(kind, &mut h, &mut s);
    }
    dashboard(&mut http, &db).await;
    refresh(&db).await;
    db.close().await;
}

/// The dashboard's server function over HTTP and the aggregate alone, for the city and each
/// township, for the default year and two target years.
async fn dashboard(http: &mut Http, db: &Db) {
    const ROUNDS_DASH: usize = 300;
    let townships: Vec<String> = with_pool!(db, |p| sqlx::query_scalar(
        "SELECT code FROM region WHERE level = 'township' ORDER BY code"
    )
    .fetch_all(p)
    .await)
    .expect("townships");
    let mut filters: Vec<(Option<i32>, Option<String>)> = vec![(None, None), (Some(2017), None)];
    for t in &townships {
        filters.push((Some(2017), Some(t.clone())));
        filters.push((Some(2018), Some(t.clone())));
    }
    let form = |(y, t): &(Option<i32>, Option<String>)| {
        let mut f = Vec::new();
        if let Some(y) = y {
            f.push(format!("year={y}"));
        }
        if let Some(t) = t {
            f.push(format!("township={t}"));
        }
        f.join("&")
    };
    for f in filters.iter().take(20) {
        http.post("/api/dashboard", &form(f)).await;
    }
    let (mut h, mut s) = (Vec::new(), Vec::new());
    for i in 0..ROUNDS_DASH {
        let f = &filters[i % filters.len()];
        let t = Instant::now();
        let status = http.post("/api/dashboard", &form(f)).await;
        h.push(t.elapsed());
        assert_eq!(status, 200, "{f:?}");
        let t = Instant::now();
        repo::stats::dashboard(
            db,
            f.0,
            f.1.as_deref(),
            chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default(),
        )
        .await
        .expect("dashboard");
        s.push(t.elapsed());
    }
    print_row("dashboard", &mut h, &mut s);
}

/// One row of the table: over HTTP (`h`) and the SQL alone (`s`), p50 / p95 / p99 each, and what
/// HTTP adds at p95.
fn print_row(kind: &str, h: &mut [Duration], s: &mut [Duration]) {
    h.sort();
    s.sort();
    println!(
        "{kind:<12} {:>7.2} {:>7.2} {:>7.2} | {:>7.2} {:>7.2} {:>7.2} | {:>9.2}",
        percentile(h, 0.5),
        percentile(h, 0.95),
        percentile(h, 0.99),
        percentile(s, 0.5),
        percentile(s, 0.95),
        percentile(s, 0.99),
        percentile(h, 0.95) - percentile(s, 0.95),
    );
}

/// What every write adds for the summaries: recomputing one village's rows (run inside a
/// transaction that is rolled back, so the benchmark register stays as seeded).
async fn refresh(db: &Db) {
    let villages: Vec<String> = with_pool!(db, |p| sqlx::query_scalar(
        "SELECT code FROM region WHERE level = 'village' ORDER BY code"
    )
    .fetch_all(p)
    .await)
    .expect("villages");
    let mut times = Vec::new();
    for code in villages.iter().step_by(3).take(100) {
        let t = Instant::now();
        with_pool!(db, |p| {
            let mut tx = p.begin().await.expect("begin");
            for sql in repo::stats::REFRESH_VILLAGE
                .iter()
                .flat_map(|p| p.iter().copied())
            {
                sqlx::query(sql)
                    .bind(code)
                    .execute(&mut *tx)
                    .await
                    .expect("refresh");
            }
            tx.rollback().await.expect("rollback");
        });
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "{:<12} {:>7} {:>7} {:>7} | {:>7.2} {:>7.2} {:>7.2} |  (one village's summaries, per write)",
        "refresh",
        "",
        "",
        "",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
    );
}
