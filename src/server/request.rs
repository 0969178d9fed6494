//! Checks on a request itself, before any handler reads it.
use axum::http::header;

/// A path of this site to return to: starts with one `/`, and holds no backslash, no control
/// character and no whitespace (browsers drop tabs and line breaks from URLs, so `/\t/host`
/// would become `//host`, another site), at most 2,000 bytes.
pub fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 2000
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

/// Whether a request declares (`Content-Length`) a body longer than `limit` bytes.
pub fn longer_than(headers: &axum::http::HeaderMap, limit: usize) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > limit as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_local_paths_are_followed() {
        for good in ["/", "/search?q=%E5%BC%A0", "/village/430581100201"] {
            assert!(is_local_path(good), "{good}");
        }
        for bad in [
            "//other-host/x",
            "/\t/other-host/x",
            "/\\other-host",
            "/\n",
            "/ /x",
            "https://other-host/",
            "other-host",
            "",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}
