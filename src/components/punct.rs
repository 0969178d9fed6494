//! Punctuation in the reader's language: full-width colon and brackets in Chinese text, ASCII with
//! spaces in English, so labels and names never mix the two.
use crate::i18n::Locale;

/// `：` or `: ` after a label.
pub fn colon(locale: Locale) -> &'static str {
    match locale {
        Locale::zh => "：",
        Locale::en => ": ",
    }
}

/// `（inner）` or ` (inner)` after a name.
pub fn paren(locale: Locale, inner: &str) -> String {
    match locale {
        Locale::zh => format!("（{inner}）"),
        Locale::en => format!(" ({inner})"),
    }
}

/// A village group: `5组` or `Group 5`.
pub fn group(locale: Locale, n: i64) -> String {
    match locale {
        Locale::zh => format!("{n}组"),
        Locale::en => format!("Group {n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_keeps_its_own_marks() {
        assert_eq!(
            format!("第一书记{}王芳", colon(Locale::zh)),
            "第一书记：王芳"
        );
        assert_eq!(format!("Leader{}Wang", colon(Locale::en)), "Leader: Wang");
        assert_eq!(format!("张伟{}", paren(Locale::zh, "子女")), "张伟（子女）");
        assert_eq!(
            format!("Zhang{}", paren(Locale::en, "child")),
            "Zhang (child)"
        );
        assert_eq!(group(Locale::zh, 5), "5组");
        assert_eq!(group(Locale::en, 5), "Group 5");
    }
}
