//! Repository layer: every SQL statement the application runs lives under here.
pub mod audit;
pub mod household;
pub mod notices;
pub mod objections;
pub mod places;
pub mod public;
pub mod records;
pub mod region;
pub mod search;
pub mod stats;
pub mod updates;

/// Escapes `%`, `_` and `\` so user text is matched literally inside a `LIKE … ESCAPE '\'` pattern.
pub fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(super::like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(super::like_escape("武冈"), "武冈");
    }
}
