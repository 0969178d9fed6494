//! Reading cells as people fill them in: headers and values in either language, any bracket
//! width, dates in the usual spellings, yes and no.
use super::super::codes::*;
use chrono::NaiveDate;

/// A header as compared: lower case, without spaces, BOM, stars, colons or brackets of either
/// width.
pub fn normalize_header(h: &str) -> String {
    h.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '\u{feff}' | '*' | '＊' | '(' | ')' | '（' | '）' | ':' | '：' | '²'
                )
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads an enumerated cell: the Chinese label, the English label or the stored code (case and
/// spaces ignored), plus the few other words registers commonly use.
pub fn parse_choice<T: Code + Label>(cell: &str) -> Option<T> {
    let v = normalize_header(cell);
    T::ALL
        .iter()
        .copied()
        .find(|x| normalize_header(x.zh()) == v || normalize_header(x.en()) == v || x.code() == v)
}

/// 与户主关系 as registers write it (`之子`, `儿媳`, `妻` …).
pub fn parse_relation(cell: &str) -> Option<Relation> {
    parse_choice::<Relation>(cell).or_else(|| {
        let v = cell.trim().trim_start_matches('之');
        Some(match v {
            "本人" | "户主本人" => Relation::Head,
            "妻" | "妻子" | "夫" | "丈夫" => Relation::Spouse,
            "子" | "女" | "儿子" | "女儿" | "长子" | "次子" | "长女" | "次女" => {
                Relation::Child
            }
            "儿媳" | "女婿" => Relation::ChildInLaw,
            "孙子" | "孙女" | "外孙" | "外孙子" | "外孙女" => Relation::Grandchild,
            "父亲" | "母亲" | "父" | "母" => Relation::Parent,
            "祖父" | "祖母" | "外祖父" | "外祖母" => Relation::Grandparent,
            "兄" | "弟" | "姐" | "妹" | "兄弟" | "姐妹" => Relation::Sibling,
            _ => return None,
        })
    })
}

/// 社会救助 as registers write it: the labels, or 低保户, 五保, 特困人员 and the like.
pub fn parse_assistance(cell: &str) -> Option<AssistanceKind> {
    parse_choice::<AssistanceKind>(cell).or_else(|| {
        Some(match normalize_header(cell).as_str() {
            "低保" | "低保户" | "最低生活保障" | "农村最低生活保障" | "农村低保户" => {
                AssistanceKind::Dibao
            }
            "五保"
            | "五保户"
            | "特困"
            | "特困人员"
            | "特困供养人员"
            | "分散供养特困人员"
            | "集中供养特困人员" => AssistanceKind::Tekun,
            "临时救助金" | "临时" => AssistanceKind::Temporary,
            _ => return None,
        })
    })
}

/// Reads 是/否 (also yes/no, y/n, true/false, 1/0, √/×).
pub fn parse_yes_no(cell: &str) -> Option<bool> {
    match normalize_header(cell).as_str() {
        "是" | "yes" | "y" | "true" | "1" | "√" | "有" => Some(true),
        "否" | "no" | "n" | "false" | "0" | "×" | "无" => Some(false),
        _ => None,
    }
}

/// Reads a date as registers write it: 2016-03-01, 2016/3/1, 2016.3.1, 20160301, 2016年3月1日.
pub fn parse_date(cell: &str) -> Option<NaiveDate> {
    let v = cell.trim();
    if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(v, "%Y%m%d").ok();
    }
    let parts: Vec<&str> = v
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [y, m, d] => NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        _ => None,
    }
}
