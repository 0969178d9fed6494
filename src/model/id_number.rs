//! Resident ID numbers (公民身份号码, GB 11643-1999) and the masking rules for public pages.
use chrono::NaiveDate;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Why an ID number is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdNumberError {
    /// Not 17 digits followed by a digit or `X`.
    Format,
    /// The 18th character does not match the checksum.
    Checksum,
    /// Positions 7–14 are not a real date.
    BirthDate,
}

impl IdNumberError {
    /// Stable code used for translated messages.
    pub fn code(self) -> &'static str {
        match self {
            IdNumberError::Format => "id_format",
            IdNumberError::Checksum => "id_checksum",
            IdNumberError::BirthDate => "id_birth_date",
        }
    }
}

/// The check character for the first 17 digits (which must be ASCII digits).
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize] as char
}

/// What a valid ID number says about its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdInfo {
    pub birth_date: NaiveDate,
    /// `true` for male (odd 17th digit).
    pub male: bool,
}

/// Checks format, birth date and checksum (a lower-case `x` is accepted as `X`).
pub fn parse(id: &str) -> Result<IdInfo, IdNumberError> {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return Err(IdNumberError::Format);
    }
    let last = b[17].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == b'X') {
        return Err(IdNumberError::Format);
    }
    let birth_date =
        NaiveDate::parse_from_str(&id[6..14], "%Y%m%d").map_err(|_| IdNumberError::BirthDate)?;
    if check_char(&b[..17]) as u8 != last {
        return Err(IdNumberError::Checksum);
    }
    Ok(IdInfo {
        birth_date,
        male: (b[16] - b'0') % 2 == 1,
    })
}

/// Builds a valid number from a 6-digit region prefix, a birth date and a 3-digit sequence
/// (odd for men, even for women).
pub fn build(region: &str, birth: NaiveDate, sequence: u16) -> String {
    let mut s = format!("{region}{}{:03}", birth.format("%Y%m%d"), sequence % 1000);
    let c = check_char(s.as_bytes());
    s.push(c);
    s
}

/// `430581********123X`: the first 6 and last 4 characters, the rest hidden.
pub fn mask_id(id: &str) -> String {
    mask_middle(id, 6, 4)
}

/// `138****5678`: the first 3 and last 4 digits of a mobile number.
pub fn mask_phone(phone: &str) -> String {
    mask_middle(phone, 3, 4)
}

/// Keeps `head` and `tail` characters and stars the rest; too short a text is starred whole.
fn mask_middle(text: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_valid_number_parses() {
        // Standard example from GB 11643 documentation.
        let info = parse("11010519491231002X").unwrap();
        assert_eq!(
            info.birth_date,
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert!(!info.male);
        assert!(parse("11010519491231002x").is_ok());
    }

    #[test]
    fn each_kind_of_error_is_reported() {
        assert_eq!(parse("1101051949123100"), Err(IdNumberError::Format));
        assert_eq!(parse("1101051949123100AX"), Err(IdNumberError::Format));
        assert_eq!(parse("110105194912310021"), Err(IdNumberError::Checksum));
        assert_eq!(parse("110105194902300028"), Err(IdNumberError::BirthDate));
    }

    #[test]
    fn built_numbers_are_valid_and_carry_sex_and_birth() {
        let birth = NaiveDate::from_ymd_opt(1968, 2, 29).unwrap();
        for seq in [1u16, 2, 17, 998, 999] {
            let id = build("430581", birth, seq);
            let info = parse(&id).unwrap();
            assert_eq!(info.birth_date, birth);
            assert_eq!(info.male, seq % 2 == 1);
        }
    }

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(mask_id("43058119800101123X"), "430581********123X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_id("123"), "***");
    }
}
