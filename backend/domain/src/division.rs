//! Administrative division codes (GB/T 2260, and the 9-digit statistical codes of towns):
//! the stable keys by which provincial platforms name the district and its towns.
//!
//! A GB/T 2260 code has six digits, two per level: province `PP0000`, city `PPCC00`,
//! county-level district `PPCCDD`. The National Bureau of Statistics extends a county's code
//! by three digits for its towns and sub-districts (`PPCCDDTTT`, TTT ≠ 000). Wangyi District
//! is 610202, in Tongchuan 610200, in Shaanxi 610000 (issue 6, "stable identifiers").

use std::fmt;

/// The level of an administrative division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DivisionLevel {
    Province,
    City,
    County,
    Town,
}

/// A well-formed division code of one of the four levels.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DivisionCode(String);

/// Why a text is not a division code.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum DivisionCodeError {
    #[error("a division code has 6 digits (GB/T 2260) or 9 digits (a town's statistical code); this one has {found} characters")]
    WrongLength { found: usize },
    #[error("a division code is made of digits only")]
    NotDigits,
    #[error("a division code cannot start with 00: provinces are numbered from 11")]
    NoProvince,
    #[error("a division code names its city before its county (PPCC00 before PPCCDD): {code} has a county but no city")]
    CountyWithoutCity { code: String },
    #[error("a town's statistical code continues a county's code (PPCCDD followed by TTT); {code} has no county")]
    TownWithoutCounty { code: String },
    #[error("a town's own three digits cannot be 000")]
    TownZero,
}

/// The codes and names of the district and the divisions above it.
pub const SHAANXI: (&str, &str) = ("610000", "陕西省");
pub const TONGCHUAN: (&str, &str) = ("610200", "铜川市");
pub const WANGYI: (&str, &str) = ("610202", "王益区");

impl DivisionCode {
    /// Parses a code as typed: surrounding whitespace is ignored; trailing zero groups of a
    /// 12-digit statistical code (`610202100000`) are accepted and shortened to 9 digits.
    pub fn parse(input: &str) -> Result<DivisionCode, DivisionCodeError> {
        let trimmed = input.trim();
        if !trimmed.chars().all(|c| c.is_ascii_digit()) {
            return Err(DivisionCodeError::NotDigits);
        }
        let code = match trimmed.len() {
            12 if trimmed.ends_with("000") => &trimmed[..9],
            6 | 9 => trimmed,
            found => return Err(DivisionCodeError::WrongLength { found }),
        };
        let province = &code[0..2];
        let city = &code[2..4];
        let county = &code[4..6];
        if province == "00" {
            return Err(DivisionCodeError::NoProvince);
        }
        if city == "00" && county != "00" {
            return Err(DivisionCodeError::CountyWithoutCity { code: code.into() });
        }
        if code.len() == 9 {
            if county == "00" {
                return Err(DivisionCodeError::TownWithoutCounty { code: code.into() });
            }
            if &code[6..9] == "000" {
                return Err(DivisionCodeError::TownZero);
            }
        }
        Ok(DivisionCode(code.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> DivisionLevel {
        match (self.0.len(), &self.0[2..4], &self.0[4..6]) {
            (9, _, _) => DivisionLevel::Town,
            (_, "00", _) => DivisionLevel::Province,
            (_, _, "00") => DivisionLevel::City,
            _ => DivisionLevel::County,
        }
    }

    /// The division one level up; a province has none.
    pub fn parent(&self) -> Option<DivisionCode> {
        let code = &self.0;
        match self.level() {
            DivisionLevel::Province => None,
            DivisionLevel::City => Some(DivisionCode(format!("{}0000", &code[0..2]))),
            DivisionLevel::County => Some(DivisionCode(format!("{}00", &code[0..4]))),
            DivisionLevel::Town => Some(DivisionCode(code[0..6].to_string())),
        }
    }

    /// Whether `self` is `other` or lies within it.
    pub fn is_within(&self, other: &DivisionCode) -> bool {
        let mut current = Some(self.clone());
        while let Some(code) = current {
            if &code == other {
                return true;
            }
            current = code.parent();
        }
        false
    }
}

impl fmt::Debug for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DivisionCode({})", self.0)
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The division above the towns that this system knows by name (Shaanxi, Tongchuan, Wangyi),
/// with its name; towns are in the database.
pub fn named_division(code: &DivisionCode) -> Option<&'static str> {
    [SHAANXI, TONGCHUAN, WANGYI]
        .into_iter()
        .find(|(known, _)| *known == code.as_str())
        .map(|(_, name)| name)
}

/// The district's own code: every town of this system lies within it.
pub fn district_code() -> DivisionCode {
    DivisionCode(WANGYI.0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> DivisionCode {
        DivisionCode::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    // Issue 6, stable identifiers: GB/T 2260 levels of the district's chain.
    #[test]
    fn the_district_chain_has_province_city_county_levels() {
        assert_eq!(code("610000").level(), DivisionLevel::Province);
        assert_eq!(code("610200").level(), DivisionLevel::City);
        assert_eq!(code("610202").level(), DivisionLevel::County);
        assert_eq!(code("610202100").level(), DivisionLevel::Town);
    }

    #[test]
    fn parents_walk_up_one_level_at_a_time() {
        assert_eq!(code("610202100").parent(), Some(code("610202")));
        assert_eq!(code("610202").parent(), Some(code("610200")));
        assert_eq!(code("610200").parent(), Some(code("610000")));
        assert_eq!(code("610000").parent(), None);
    }

    #[test]
    fn a_town_lies_within_its_district_city_and_province_only() {
        let town = code("610202004");
        for outer in ["610202004", "610202", "610200", "610000"] {
            assert!(town.is_within(&code(outer)), "{outer}");
        }
        assert!(!town.is_within(&code("610203")));
        assert!(!town.is_within(&code("610202100")));
        assert!(!code("610202").is_within(&town));
    }

    #[test]
    fn twelve_digit_statistical_codes_are_shortened_and_whitespace_ignored() {
        assert_eq!(code(" 610202100000 ").as_str(), "610202100");
        assert_eq!(
            DivisionCode::parse("610202100123"),
            Err(DivisionCodeError::WrongLength { found: 12 })
        );
    }

    #[test]
    fn malformed_codes_are_refused_with_the_reason() {
        assert_eq!(
            DivisionCode::parse("61020"),
            Err(DivisionCodeError::WrongLength { found: 5 })
        );
        assert_eq!(
            DivisionCode::parse("6102021000"),
            Err(DivisionCodeError::WrongLength { found: 10 })
        );
        assert_eq!(
            DivisionCode::parse("61O202"),
            Err(DivisionCodeError::NotDigits)
        );
        assert_eq!(
            DivisionCode::parse(""),
            Err(DivisionCodeError::WrongLength { found: 0 })
        );
        assert_eq!(
            DivisionCode::parse("000000"),
            Err(DivisionCodeError::NoProvince)
        );
        assert!(matches!(
            DivisionCode::parse("610002"),
            Err(DivisionCodeError::CountyWithoutCity { .. })
        ));
        assert!(matches!(
            DivisionCode::parse("610200100"),
            Err(DivisionCodeError::TownWithoutCounty { .. })
        ));
        assert_eq!(
            DivisionCode::parse("610202000"),
            Err(DivisionCodeError::TownZero)
        );
        // The smallest and largest town numbers are fine.
        assert_eq!(code("610202001").level(), DivisionLevel::Town);
        assert_eq!(code("610202999").level(), DivisionLevel::Town);
    }

    #[test]
    fn the_named_divisions_are_the_districts_chain() {
        assert_eq!(named_division(&code("610000")), Some("陕西省"));
        assert_eq!(named_division(&code("610200")), Some("铜川市"));
        assert_eq!(named_division(&code("610202")), Some("王益区"));
        assert_eq!(named_division(&code("610202100")), None);
        assert!(code("610202100").is_within(&district_code()));
    }
}
