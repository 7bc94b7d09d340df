//! Citizen ID numbers (公民身份号码, GB 11643): parsing, check digit, birth date, sex, masking.
//!
//! An ID number is sensitive personal information (PIPL): `Debug` prints it masked and
//! there is deliberately no `Display`; call [`IdNumber::as_str`] where the full number is
//! really needed and [`IdNumber::masked`] everywhere else.

use std::fmt;

use chrono::NaiveDate;

use crate::person::Sex;

/// Weights of the first 17 digits in the ISO 7064 MOD 11-2 checksum of GB 11643.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder 0..=10.
const CHECK_CHARACTERS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// Birth years before this are refused as typos: nobody alive was born earlier.
const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// A valid 18-character ID number: ASCII digits with an upper-case `X` check character.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber(String);

/// Why a text is not an ID number.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum IdNumberError {
    #[error("an ID number has 18 characters; this one has {found}")]
    WrongLength { found: usize },
    #[error("the first 17 characters of an ID number must be digits")]
    NotDigits,
    #[error("characters 7 to 14 of the ID number are not a real birth date (YYYYMMDD, from 1900)")]
    InvalidBirthDate,
    #[error("the check digit should be {expected}, not {found}; look for a mistyped digit")]
    WrongCheckDigit { expected: char, found: char },
}

impl IdNumber {
    /// Parses an ID number as people type it.
    ///
    /// Removes all whitespace (also inside, and the ideographic space U+3000), turns
    /// full-width digits and `ｘ`/`Ｘ` into ASCII and a lower-case `x` into `X`, then checks
    /// the length (18), the first 17 digits, the birth date (a real calendar date from
    /// 1900 on; whether it is in the future is not checked here) and the check character.
    pub fn parse(input: &str) -> Result<IdNumber, IdNumberError> {
        let normalised: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(normalise_character)
            .collect();
        let found = normalised.chars().count();
        if found != 18 {
            return Err(IdNumberError::WrongLength { found });
        }
        // 18 characters, all ASCII from here on if the digit check passes.
        let (first17, last) = match normalised.char_indices().nth(17) {
            Some((index, last)) => (&normalised[..index], last),
            None => return Err(IdNumberError::WrongLength { found }),
        };
        if !first17.chars().all(|c| c.is_ascii_digit()) {
            return Err(IdNumberError::NotDigits);
        }
        if birth_date_of(first17).is_none() {
            return Err(IdNumberError::InvalidBirthDate);
        }
        let expected = check_digit(first17).ok_or(IdNumberError::NotDigits)?;
        if last != expected {
            return Err(IdNumberError::WrongCheckDigit {
                expected,
                found: last,
            });
        }
        Ok(IdNumber(normalised))
    }

    /// The full 18 characters. Prefer [`IdNumber::masked`] for display.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date in characters 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        // `parse` checked the date, so the fallback is never taken.
        birth_date_of(&self.0).unwrap_or_default()
    }

    /// Male if the 17th digit is odd, female if even.
    pub fn sex(&self) -> Sex {
        let odd = self
            .0
            .as_bytes()
            .get(16)
            .is_some_and(|digit| (digit - b'0') % 2 == 1);
        if odd {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The first 6 and last 4 characters kept, the 8 between masked: `610202********123X`.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }

    /// The administrative division code of the place of first registration (first 6 digits).
    pub fn division_code(&self) -> &str {
        &self.0[..6]
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_tuple("IdNumber")
            .field(&self.masked())
            .finish()
    }
}

/// The GB 11643 check character of the first 17 digits, `None` unless they are 17 ASCII digits.
pub fn check_digit(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    CHECK_CHARACTERS.get((sum % 11) as usize).copied()
}

fn normalise_character(c: char) -> char {
    match c {
        '０'..='９' => {
            char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
        }
        'x' | 'ｘ' | 'Ｘ' => 'X',
        other => other,
    }
}

/// The birth date in characters 7–14 of at least 14 ASCII digits.
fn birth_date_of(digits: &str) -> Option<NaiveDate> {
    let year: i32 = digits.get(6..10)?.parse().ok()?;
    let month: u32 = digits.get(10..12)?.parse().ok()?;
    let day: u32 = digits.get(12..14)?.parse().ok()?;
    if year < EARLIEST_BIRTH_YEAR {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The GB 11643 standard's own example.
    const STANDARD_EXAMPLE: &str = "11010519491231002X";

    fn valid(first17: &str) -> String {
        format!("{first17}{}", check_digit(first17).unwrap())
    }

    #[test]
    fn the_standards_example_is_valid() {
        let id = IdNumber::parse(STANDARD_EXAMPLE).unwrap();
        assert_eq!(id.as_str(), STANDARD_EXAMPLE);
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.division_code(), "110105");
    }

    #[test]
    fn check_digit_covers_every_remainder() {
        assert_eq!(check_digit("11010519491231002"), Some('X'));
        assert_eq!(check_digit("44052418800101001"), Some('4'));
        let mut seen = std::collections::HashSet::new();
        for sequence in 0..200 {
            let first17 = format!("61020219900101{sequence:03}");
            seen.insert(check_digit(&first17).unwrap());
        }
        assert_eq!(seen.len(), 11);
    }

    #[test]
    fn check_digit_refuses_anything_but_17_digits() {
        assert_eq!(check_digit("1101051949123100"), None);
        assert_eq!(check_digit("110105194912310020"), None);
        assert_eq!(check_digit("1101051949123100a"), None);
        assert_eq!(check_digit("１１０１０５１９４９１２３１００２"), None);
    }

    #[test]
    fn lower_case_and_full_width_x_become_upper_case() {
        let lower = STANDARD_EXAMPLE.to_lowercase();
        assert_eq!(IdNumber::parse(&lower).unwrap().as_str(), STANDARD_EXAMPLE);
        let full_width = "１１０１０５１９４９１２３１００２ｘ";
        assert_eq!(
            IdNumber::parse(full_width).unwrap().as_str(),
            STANDARD_EXAMPLE
        );
        let full_width_upper = "11010519491231002Ｘ";
        assert_eq!(
            IdNumber::parse(full_width_upper).unwrap().as_str(),
            STANDARD_EXAMPLE
        );
    }

    #[test]
    fn whitespace_anywhere_is_removed() {
        let spaced = " 110105 19491231\u{3000}002X\t\n";
        assert_eq!(IdNumber::parse(spaced).unwrap().as_str(), STANDARD_EXAMPLE);
    }

    #[test]
    fn wrong_lengths_are_refused_with_the_count() {
        assert_eq!(
            IdNumber::parse(""),
            Err(IdNumberError::WrongLength { found: 0 })
        );
        assert_eq!(
            IdNumber::parse("11010519491231002"),
            Err(IdNumberError::WrongLength { found: 17 })
        );
        assert_eq!(
            IdNumber::parse("11010519491231002X1"),
            Err(IdNumberError::WrongLength { found: 19 })
        );
        // 15-digit first-generation numbers are not accepted.
        assert_eq!(
            IdNumber::parse("110105491231002"),
            Err(IdNumberError::WrongLength { found: 15 })
        );
    }

    #[test]
    fn letters_among_the_first_17_are_refused() {
        assert_eq!(
            IdNumber::parse("1101051949123100XX"),
            Err(IdNumberError::NotDigits)
        );
        assert_eq!(
            IdNumber::parse("11010519491231002é"),
            Err(IdNumberError::WrongCheckDigit {
                expected: 'X',
                found: 'é'
            })
        );
        assert_eq!(
            IdNumber::parse("1101O519491231002X"),
            Err(IdNumberError::NotDigits)
        );
    }

    #[test]
    fn impossible_birth_dates_are_refused() {
        assert_eq!(
            IdNumber::parse(&valid("11010519490230002")),
            Err(IdNumberError::InvalidBirthDate)
        );
        assert_eq!(
            IdNumber::parse(&valid("11010519491301002")),
            Err(IdNumberError::InvalidBirthDate)
        );
        assert_eq!(
            IdNumber::parse(&valid("11010519490000002")),
            Err(IdNumberError::InvalidBirthDate)
        );
        assert_eq!(
            IdNumber::parse(&valid("11010518991231002")),
            Err(IdNumberError::InvalidBirthDate)
        );
        assert_eq!(
            IdNumber::parse(&valid("11010519230229002")),
            Err(IdNumberError::InvalidBirthDate)
        );
    }

    #[test]
    fn boundary_birth_dates_are_accepted() {
        let first_day = IdNumber::parse(&valid("11010519000101002")).unwrap();
        assert_eq!(
            first_day.birth_date(),
            NaiveDate::from_ymd_opt(1900, 1, 1).unwrap()
        );
        let leap_day = IdNumber::parse(&valid("11010520000229002")).unwrap();
        assert_eq!(
            leap_day.birth_date(),
            NaiveDate::from_ymd_opt(2000, 2, 29).unwrap()
        );
    }

    #[test]
    fn a_wrong_check_digit_names_the_expected_one() {
        let error = IdNumber::parse("110105194912310023").unwrap_err();
        assert_eq!(
            error,
            IdNumberError::WrongCheckDigit {
                expected: 'X',
                found: '3'
            }
        );
        assert_eq!(
            error.to_string(),
            "the check digit should be X, not 3; look for a mistyped digit"
        );
    }

    #[test]
    fn the_17th_digit_gives_the_sex() {
        assert_eq!(
            IdNumber::parse(&valid("61020219900101001")).unwrap().sex(),
            Sex::Male
        );
        assert_eq!(
            IdNumber::parse(&valid("61020219900101002")).unwrap().sex(),
            Sex::Female
        );
        assert_eq!(
            IdNumber::parse(&valid("61020219900101009")).unwrap().sex(),
            Sex::Male
        );
        assert_eq!(
            IdNumber::parse(&valid("61020219900101000")).unwrap().sex(),
            Sex::Female
        );
    }

    #[test]
    fn masking_keeps_the_first_6_and_last_4() {
        let id = IdNumber::parse(STANDARD_EXAMPLE).unwrap();
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(format!("{id:?}"), "IdNumber(\"110105********002X\")");
    }
}
