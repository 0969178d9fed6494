//! A household's history, read from the audit log, with ID numbers masked and times in Beijing
//! time.
use crate::server::{
    db::{Conn, Db, sql},
    repo::{Saved, SavedBy},
};

/// Each change by the name staff know its author by (the login name for the command line and
/// removed accounts).
const HISTORY: &str = "\
SELECT CAST(a.at AS TEXT) AS at, COALESCE(u.display_name, a.actor) AS actor, a.action,
    a.before_json, a.after_json
FROM audit_log a LEFT JOIN staff_user u ON u.username = a.actor
WHERE a.entity = 'household' AND a.entity_id = $1 ORDER BY a.id DESC LIMIT 200";

#[derive(sqlx::FromRow)]
struct HistoryRow {
    at: String,
    actor: String,
    action: String,
    before_json: Option<String>,
    after_json: Option<String>,
}

/// A household's history from the audit log, newest first.
pub async fn history(
    db: &Db,
    id: i64,
) -> Result<Vec<crate::model::staff::AuditEntry>, sqlx::Error> {
    let rows: Vec<HistoryRow> = sql(HISTORY).bind(id.to_string()).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| crate::model::staff::AuditEntry {
            at: beijing_time(&r.at),
            actor: r.actor,
            action: r.action,
            before: r.before_json.map(|t| mask_ids_in(&t)),
            after: r.after_json.map(|t| mask_ids_in(&t)),
        })
        .collect())
}

/// Masks every 18-character ID number (17 digits and a digit or X) inside a text.
pub(crate) fn mask_ids_in(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        let candidate = chars.get(i..i + 18).filter(|w| {
            w[..17].iter().all(char::is_ascii_digit)
                && (w[17].is_ascii_digit() || w[17] == 'X' || w[17] == 'x')
                && chars.get(i + 18).is_none_or(|c| !c.is_ascii_alphanumeric())
        });
        match candidate {
            Some(w) if starts => {
                out.push_str(&crate::model::id_number::mask_id(
                    &w.iter().collect::<String>(),
                ));
                i += 18;
            }
            _ => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

const LAST_CHANGE_RAW: &str = "\
SELECT actor, CAST(at AS TEXT) FROM audit_log
WHERE entity = 'household' AND entity_id = $1 AND action <> 'reveal_id'
ORDER BY id DESC LIMIT 1";
const LAST_CHANGE: &str = "\
SELECT COALESCE(u.display_name, a.actor), CAST(a.at AS TEXT) FROM audit_log a
LEFT JOIN staff_user u ON u.username = a.actor
WHERE a.entity = 'household' AND a.entity_id = $1 AND a.action <> 'reveal_id'
ORDER BY a.id DESC LIMIT 1";

/// Who last changed a household (their login name) and when, as stored (from the audit log).
pub async fn last_change(db: &Db, id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    sql(LAST_CHANGE_RAW)
        .bind(id.to_string())
        .fetch_optional(db)
        .await
}

/// The same for the record page: the name staff know them by (the login name for the CLI and
/// removed accounts), and the time in Beijing time; read on `on` (the pool, or a write's
/// transaction).
pub async fn last_change_shown<'c>(
    on: impl Into<Conn<'c>>,
    id: i64,
) -> Result<Option<SavedBy>, sqlx::Error> {
    let row: Option<(String, String)> = sql(LAST_CHANGE)
        .bind(id.to_string())
        .fetch_optional(on)
        .await?;
    Ok(row.map(|(by, at)| SavedBy {
        by,
        at: beijing_time(&at),
    }))
}

/// The outcome of a write based on an older version of household `id`, now at
/// `current_version`: who saved first and when.
pub async fn stale<'c>(
    on: impl Into<Conn<'c>>,
    id: i64,
    current_version: i64,
) -> Result<Saved, sqlx::Error> {
    Ok(Saved::Stale {
        current_version,
        by: last_change_shown(on, id).await?,
    })
}

/// An audit timestamp as stored (SQLite `2026-12-01T20:35:18.979Z`, PostgreSQL
/// `2026-12-01 20:35:18.979+00`) in China Standard Time to the minute: `2026-12-02 04:35`.
/// Text that is neither is shown as it is.
pub fn beijing_time(at: &str) -> String {
    use chrono::{DateTime, FixedOffset};
    let mut text = at.trim().replacen(' ', "T", 1);
    // PostgreSQL writes a whole-hour offset as `+00`; RFC 3339 wants `+00:00`.
    if let Some(sign) = text.rfind(['+', '-']).filter(|&i| i > 10)
        && text.len() - sign == 3
    {
        text.push_str(":00");
    }
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}

#[cfg(test)]
mod tests {
    use super::mask_ids_in;

    #[test]
    fn id_numbers_inside_text_are_masked_and_nothing_else() {
        let text =
            r#"{"id_number":"43058119700506123X","phone":"13812345678","n":1234567890123456789}"#;
        assert_eq!(
            mask_ids_in(text),
            r#"{"id_number":"430581********123X","phone":"13812345678","n":1234567890123456789}"#
        );
        assert_eq!(mask_ids_in("430581197005061234"), "430581********1234");
        assert_eq!(mask_ids_in("x430581197005061234"), "x430581197005061234");
        assert_eq!(mask_ids_in("无"), "无");
    }

    #[test]
    fn audit_times_read_in_beijing_time_from_either_backend() {
        use super::beijing_time;
        assert_eq!(beijing_time("2026-12-01T20:35:18.979Z"), "2026-12-02 04:35");
        assert_eq!(
            beijing_time("2026-12-01 20:35:18.979+00"),
            "2026-12-02 04:35"
        );
        assert_eq!(beijing_time("2026-12-01 21:35:18+01"), "2026-12-02 04:35");
        assert_eq!(
            beijing_time("2026-12-02 04:35:00+08:00"),
            "2026-12-02 04:35"
        );
        assert_eq!(beijing_time("昨天"), "昨天");
    }
}
