//! Search keys of a Chinese name: its full pinyin and its initials, with surnames read as
//! surnames (单 shàn, 曾 zēng, 解 xiè, 区 ōu, 朴 piáo, 仇 qiú …), not as the common word.
use pinyin::ToPinyin;

/// Two-character surnames: the name's first two characters form the surname.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "万俟", "端木", "轩辕", "西门", "独孤", "南宫", "申屠", "闻人", "澹台", "百里",
];

/// Surnames whose reading is not the character's most common one: (surname, pinyin, initials).
const SURNAME_READINGS: &[(&str, &str, &str)] = &[
    ("单", "shan", "s"),
    ("曾", "zeng", "z"),
    ("解", "xie", "x"),
    ("区", "ou", "o"),
    ("朴", "piao", "p"),
    ("仇", "qiu", "q"),
    ("查", "zha", "z"),
    ("盖", "ge", "g"),
    ("乐", "yue", "y"),
    ("缪", "miao", "m"),
    ("翟", "zhai", "z"),
    ("覃", "qin", "q"),
    ("召", "shao", "s"),
    ("种", "chong", "c"),
    ("重", "chong", "c"),
    ("员", "yun", "y"),
    ("秘", "bi", "b"),
    ("折", "she", "s"),
    ("宿", "su", "s"),
    ("隗", "wei", "w"),
    ("车", "che", "c"),
    ("薄", "bo", "b"),
    ("曲", "qu", "q"),
    ("能", "nai", "n"),
    ("长", "chang", "c"),
    ("尉迟", "yuchi", "yc"),
    ("万俟", "moqi", "mq"),
    ("长孙", "zhangsun", "zs"),
];

/// Splits a name into surname and given name.
pub fn split_surname(name: &str) -> (&str, &str) {
    let cut = COMPOUND_SURNAMES
        .iter()
        .find(|s| name.starts_with(**s) && name.len() > s.len())
        .map(|s| s.len())
        .or_else(|| name.chars().next().map(char::len_utf8))
        .unwrap_or(0);
    name.split_at(cut)
}

/// Full pinyin (`zhangwei`, no tones or spaces, ü written `v` as on a keyboard) and initials
/// (`zw`) of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKeys {
    pub pinyin: String,
    pub initials: String,
}

/// Computes the search keys of `name`. Characters without a reading (Latin letters, digits)
/// are kept lower-cased; separators such as the middle dot of minority names are dropped.
pub fn keys(name: &str) -> NameKeys {
    let (surname, given) = split_surname(name);
    let mut keys = NameKeys {
        pinyin: String::with_capacity(name.len() * 2),
        initials: String::with_capacity(4),
    };
    match SURNAME_READINGS.iter().find(|(s, ..)| *s == surname) {
        Some((_, pinyin, initials)) => {
            keys.pinyin.push_str(pinyin);
            keys.initials.push_str(initials);
        }
        None => push_chars(surname, &mut keys),
    }
    push_chars(given, &mut keys);
    keys
}

fn push_chars(text: &str, keys: &mut NameKeys) {
    for c in text.chars() {
        match c.to_pinyin() {
            Some(p) => {
                let syllable = p.plain().replace('ü', "v");
                keys.initials.push_str(&first_letter(&syllable));
                keys.pinyin.push_str(&syllable);
            }
            None if c.is_alphanumeric() => {
                for l in c.to_lowercase() {
                    keys.pinyin.push(l);
                    keys.initials.push(l);
                }
            }
            None => {}
        }
    }
}

fn first_letter(syllable: &str) -> String {
    syllable
        .chars()
        .next()
        .map(String::from)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(name: &str) -> (String, String) {
        let k = keys(name);
        (k.pinyin, k.initials)
    }

    #[test]
    fn common_names() {
        assert_eq!(k("张伟"), ("zhangwei".into(), "zw".into()));
        assert_eq!(k("王秀英"), ("wangxiuying".into(), "wxy".into()));
        assert_eq!(k("吕强"), ("lvqiang".into(), "lq".into()));
    }

    #[test]
    fn surnames_with_special_readings() {
        assert_eq!(k("单丽").0, "shanli");
        assert_eq!(k("曾国平").0, "zengguoping");
        assert_eq!(k("解明").0, "xieming");
        assert_eq!(k("区志强").0, "ouzhiqiang");
        assert_eq!(k("朴成").0, "piaocheng");
        assert_eq!(k("仇刚").0, "qiugang");
        assert_eq!(k("曾伟").1, "zw");
        assert_eq!(k("单丽").1, "sl");
    }

    #[test]
    fn compound_surnames() {
        assert_eq!(split_surname("欧阳建国"), ("欧阳", "建国"));
        assert_eq!(split_surname("欧阳"), ("欧", "阳"));
        assert_eq!(k("欧阳建国"), ("ouyangjianguo".into(), "oyjg".into()));
        assert_eq!(k("尉迟恭"), ("yuchigong".into(), "ycg".into()));
    }

    #[test]
    fn minority_names_drop_separators() {
        assert_eq!(k("阿依·买买提").1, "aymmt");
    }
}
