//! Mainland mobile phone numbers: normalising what people type, masking for display.
//!
//! Decision: only mainland mobile numbers (11 digits, `1[3-9]…`) are accepted. Field staff
//! reach residents by mobile (calls, SMS, A6§2.2 visits); a fixed-line number such as
//! `0919-1234567` is refused with a message saying so. Like ID numbers, a phone number
//! is personal information: `Debug` prints it masked and there is no `Display`.

use std::fmt;

/// An 11-digit mainland mobile number, ASCII digits only, without country prefix.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber(String);

/// Why a text is not a mobile number.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PhoneNumberError {
    #[error("the phone number is empty")]
    Empty,
    #[error("a phone number may contain only digits, spaces, hyphens and a leading +86")]
    NotDigits,
    #[error("a mobile number has 11 digits; this one has {found}")]
    WrongLength { found: usize },
    #[error("not a mainland mobile number: it must start with 13 to 19 (fixed-line numbers are not accepted)")]
    NotMobile,
}

impl PhoneNumber {
    /// Parses a mobile number: removes whitespace (also U+3000) and hyphens, turns full-width
    /// digits and `＋` into ASCII, drops a `+86`, `0086` or `86` country prefix (the last only
    /// when 11 digits follow), then requires 11 digits starting with 13–19.
    pub fn parse(input: &str) -> Result<PhoneNumber, PhoneNumberError> {
        let normalised: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '－' | '‐' | '‑'))
            .map(|c| match c {
                '０'..='９' => {
                    char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
                }
                '＋' => '+',
                other => other,
            })
            .collect();
        if normalised.is_empty() {
            return Err(PhoneNumberError::Empty);
        }
        let digits = if let Some(rest) = normalised.strip_prefix("+86") {
            rest
        } else if let Some(rest) = normalised.strip_prefix("0086") {
            rest
        } else if normalised.len() == 13 && normalised.starts_with("86") {
            &normalised[2..]
        } else {
            normalised.as_str()
        };
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(PhoneNumberError::NotDigits);
        }
        if digits.len() != 11 {
            return Err(PhoneNumberError::WrongLength {
                found: digits.len(),
            });
        }
        let bytes = digits.as_bytes();
        if bytes[0] != b'1' || !(b'3'..=b'9').contains(&bytes[1]) {
            return Err(PhoneNumberError::NotMobile);
        }
        Ok(PhoneNumber(digits.to_string()))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 3 and last 4 digits kept: `138****5678`.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_tuple("PhoneNumber")
            .field(&self.masked())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(input: &str) -> String {
        PhoneNumber::parse(input).unwrap().as_str().to_string()
    }

    #[test]
    fn a_plain_mobile_number_is_accepted() {
        assert_eq!(parsed("13812345678"), "13812345678");
    }

    #[test]
    fn spaces_hyphens_and_full_width_digits_are_normalised() {
        assert_eq!(parsed(" 138 1234 5678 "), "13812345678");
        assert_eq!(parsed("138-1234-5678"), "13812345678");
        assert_eq!(parsed("１３８\u{3000}１２３４－５６７８"), "13812345678");
    }

    #[test]
    fn country_prefixes_are_dropped() {
        assert_eq!(parsed("+86 138 1234 5678"), "13812345678");
        assert_eq!(parsed("＋８６13812345678"), "13812345678");
        assert_eq!(parsed("0086 13812345678"), "13812345678");
        assert_eq!(parsed("8613812345678"), "13812345678");
    }

    #[test]
    fn second_digits_3_to_9_are_mobile_and_others_are_not() {
        assert_eq!(parsed("13000000000"), "13000000000");
        assert_eq!(parsed("19999999999"), "19999999999");
        assert_eq!(
            PhoneNumber::parse("12812345678"),
            Err(PhoneNumberError::NotMobile)
        );
        assert_eq!(
            PhoneNumber::parse("10812345678"),
            Err(PhoneNumberError::NotMobile)
        );
        assert_eq!(
            PhoneNumber::parse("23812345678"),
            Err(PhoneNumberError::NotMobile)
        );
    }

    #[test]
    fn fixed_line_numbers_are_refused() {
        assert_eq!(
            PhoneNumber::parse("0919-1234567"),
            Err(PhoneNumberError::NotMobile)
        );
        assert_eq!(
            PhoneNumber::parse("0919-12345678"),
            Err(PhoneNumberError::WrongLength { found: 12 })
        );
    }

    #[test]
    fn wrong_lengths_and_letters_are_refused() {
        assert_eq!(PhoneNumber::parse(""), Err(PhoneNumberError::Empty));
        assert_eq!(PhoneNumber::parse(" - "), Err(PhoneNumberError::Empty));
        assert_eq!(
            PhoneNumber::parse("1381234567"),
            Err(PhoneNumberError::WrongLength { found: 10 })
        );
        assert_eq!(
            PhoneNumber::parse("138123456789"),
            Err(PhoneNumberError::WrongLength { found: 12 })
        );
        assert_eq!(
            PhoneNumber::parse("1381234567a"),
            Err(PhoneNumberError::NotDigits)
        );
        assert_eq!(
            PhoneNumber::parse("(138)12345678"),
            Err(PhoneNumberError::NotDigits)
        );
    }

    #[test]
    fn masking_keeps_the_first_3_and_last_4() {
        let phone = PhoneNumber::parse("13812345678").unwrap();
        assert_eq!(phone.masked(), "138****5678");
        assert_eq!(format!("{phone:?}"), "PhoneNumber(\"138****5678\")");
    }
}
