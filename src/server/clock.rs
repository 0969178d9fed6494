//! The server's "today". Every date rule (no dates in the future, a notice still running) asks
//! here. `FUPIN_TODAY=YYYY-MM-DD` fixes it for a process: a demonstration of a notice's end, or a
//! browser test that opens the same database as a server would eleven days later.
use chrono::NaiveDate;
use std::sync::OnceLock;

/// Today's date (UTC), or the date `FUPIN_TODAY` names.
pub fn today() -> NaiveDate {
    static FIXED: OnceLock<Option<NaiveDate>> = OnceLock::new();
    FIXED
        .get_or_init(|| {
            let raw = std::env::var("FUPIN_TODAY").ok()?;
            match raw.trim().parse() {
                Ok(d) => {
                    tracing::warn!(today = %d, "FUPIN_TODAY fixes the server's date");
                    Some(d)
                }
                Err(_) => {
                    tracing::error!(value = %raw, "FUPIN_TODAY is not a date (YYYY-MM-DD); ignored");
                    None
                }
            }
        })
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}
