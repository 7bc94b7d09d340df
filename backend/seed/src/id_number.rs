//! Building fictitious but well-formed GB 11643 citizen ID numbers.
use chrono::NaiveDate;

/// The GB 11643 check character of the first 17 digits (the domain crate's rule), or `None`
/// if they are not 17 digits.
pub fn check_digit(first17: &str) -> Option<char> {
    domain::id_number::check_digit(first17)
}

/// An 18-character ID number: region (6 digits), birth date, a 3-digit sequence whose last
/// digit is odd for men and even for women, and the check character.
///
/// `sequence_pair` (0..=499) picks the pair of sequence numbers; the sex picks odd or even.
pub fn build(
    region: &str,
    birth_date: NaiveDate,
    sequence_pair: u32,
    male: bool,
) -> Option<String> {
    if region.len() != 6 || sequence_pair > 499 {
        return None;
    }
    let sequence = sequence_pair * 2 + u32::from(male);
    let first17 = format!("{region}{}{sequence:03}", birth_date.format("%Y%m%d"));
    let check = check_digit(&first17)?;
    Some(format!("{first17}{check}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_matches_the_examples_of_gb_11643() {
        assert_eq!(check_digit("11010519491231002"), Some('X'));
        assert_eq!(check_digit("44052418800101001"), Some('4'));
        assert_eq!(check_digit("1101051949123100"), None);
        assert_eq!(check_digit("1101051949123100A"), None);
    }

    #[test]
    fn built_number_encodes_sex_in_the_seventeenth_digit() {
        let date = NaiveDate::from_ymd_opt(1980, 2, 29).unwrap_or_default();
        let man = build("610202", date, 7, true).unwrap_or_default();
        let woman = build("610202", date, 7, false).unwrap_or_default();
        assert_eq!(&man[..14], "61020219800229");
        assert_eq!(&man[14..17], "015");
        assert_eq!(&woman[14..17], "014");
    }
}
