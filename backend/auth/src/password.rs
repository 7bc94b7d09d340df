//! Passwords: argon2id hashes (OWASP parameters) and the level-3 (等保2.0) password policy.
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::seq::SliceRandom;
use rand::Rng;

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 12;
/// Longest password accepted (hashing cost is bounded).
pub const MAX_LENGTH: usize = 128;
/// Of upper case, lower case, digits and symbols, at least this many kinds.
pub const MIN_CHARACTER_CLASSES: usize = 3;
/// How many previous password hashes the caller passes to [`check_password_policy`].
pub const REMEMBERED_PASSWORDS: usize = 5;
/// Usernames shorter than this are only refused as the whole password (containing "li" would
/// refuse half the dictionary without protecting anything).
pub const MIN_USERNAME_LENGTH_FOR_CONTAINMENT: usize = 3;
/// argon2id cost (OWASP Password Storage Cheat Sheet): 19 MiB of memory, 2 passes, 1 lane.
pub const ARGON2_MEMORY_KIB: u32 = 19_456;
pub const ARGON2_ITERATIONS: u32 = 2;
pub const ARGON2_PARALLELISM: u32 = 1;

#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct PasswordError(String);

/// Why a new password was refused; each message says what to do instead.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PasswordPolicyError {
    #[error("the password has {found} characters; use at least {MIN_LENGTH}")]
    TooShort { found: usize },
    #[error("the password has more than {MAX_LENGTH} characters; use {MAX_LENGTH} or fewer")]
    TooLong,
    #[error("the password mixes {found} kinds of characters; use at least {MIN_CHARACTER_CLASSES} of: upper-case letters, lower-case letters, digits, symbols")]
    TooFewCharacterClasses { found: usize },
    #[error("the password contains the username (forwards or backwards); choose one without it")]
    ContainsUsername,
    #[error("the password contains a control character, tab or line break, or begins or ends with a space; remove it")]
    InvalidCharacters,
    #[error("the password is one of your last {REMEMBERED_PASSWORDS}; choose a new one")]
    Reused,
}

impl PasswordPolicyError {
    pub fn code(&self) -> &'static str {
        match self {
            PasswordPolicyError::TooShort { .. } => "PASSWORD_TOO_SHORT",
            PasswordPolicyError::TooLong => "PASSWORD_TOO_LONG",
            PasswordPolicyError::TooFewCharacterClasses { .. } => "PASSWORD_TOO_SIMPLE",
            PasswordPolicyError::ContainsUsername => "PASSWORD_CONTAINS_USERNAME",
            PasswordPolicyError::InvalidCharacters => "PASSWORD_INVALID_CHARACTERS",
            PasswordPolicyError::Reused => "PASSWORD_REUSED",
        }
    }
}

fn hasher() -> Argon2<'static> {
    // These constants are valid argon2 parameters; the fallback (the crate's default) is the
    // same OWASP set.
    let params = Params::new(
        ARGON2_MEMORY_KIB,
        ARGON2_ITERATIONS,
        ARGON2_PARALLELISM,
        None,
    )
    .unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash with the same parameters as real ones, of a password nobody knows (a random one,
/// thrown away when it was made), so that checking it costs what checking a real one costs.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$mWow/dgDqIJ1p3AnzCXxKw$LZv4by/mB7bSIZN+f4k3UtB1rGi+/0iOMDY/S+MJXEA";

/// An argon2id PHC string with a fresh salt.
pub fn hash_password(plain: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(plain.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| PasswordError(error.to_string()))
}

pub fn verify_password(plain: &str, phc_hash: &str) -> bool {
    match PasswordHash::new(phc_hash) {
        Ok(parsed) => hasher().verify_password(plain.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// The same work as a real verification, for unknown users: same answer, same time.
pub fn verify_against_dummy(plain: &str) {
    let _ = std::hint::black_box(verify_password(plain, DUMMY_HASH));
}

/// Checks a new password against the policy and the user's previous password hashes.
///
/// Policy: 12 to 128 characters (12 is what OWASP and NIST SP 800-63B advise for passwords
/// that are the only factor; 128 bounds the hashing cost); at least three of upper case, lower
/// case, digits and symbols; no control characters, tabs or line breaks, no leading or
/// trailing space (spaces inside are fine and count as symbols); not containing the username,
/// forwards or backwards, in any case; none of `previous_hashes` (the caller passes the last
/// [`REMEMBERED_PASSWORDS`], the current one included). The first rule broken is reported;
/// the reuse check, which costs one argon2 verification per hash, runs last.
pub fn check_password_policy(
    username: &str,
    candidate: &str,
    previous_hashes: &[String],
) -> Result<(), PasswordPolicyError> {
    let length = candidate.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordPolicyError::TooShort { found: length });
    }
    if length > MAX_LENGTH {
        return Err(PasswordPolicyError::TooLong);
    }
    let bad_character = |c: char| c.is_control() || (c.is_whitespace() && c != ' ');
    if candidate.chars().any(bad_character)
        || candidate.starts_with(' ')
        || candidate.ends_with(' ')
    {
        return Err(PasswordPolicyError::InvalidCharacters);
    }
    let classes = [
        candidate.chars().any(|c| c.is_uppercase()),
        candidate.chars().any(|c| c.is_lowercase()),
        candidate.chars().any(|c| c.is_ascii_digit()),
        candidate.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|present| **present)
    .count();
    if classes < MIN_CHARACTER_CLASSES {
        return Err(PasswordPolicyError::TooFewCharacterClasses { found: classes });
    }
    if contains_username(candidate, username) {
        return Err(PasswordPolicyError::ContainsUsername);
    }
    if previous_hashes
        .iter()
        .any(|hash| verify_password(candidate, hash))
    {
        return Err(PasswordPolicyError::Reused);
    }
    Ok(())
}

fn contains_username(candidate: &str, username: &str) -> bool {
    let lower = candidate.to_lowercase();
    let name = username.trim().to_lowercase();
    let reversed: String = name.chars().rev().collect();
    if name.is_empty() {
        false
    } else if name.chars().count() < MIN_USERNAME_LENGTH_FOR_CONTAINMENT {
        lower == name || lower == reversed
    } else {
        lower.contains(&name) || lower.contains(&reversed)
    }
}

/// A random 20-character password of all four kinds (for bootstrap accounts), from an
/// alphabet without look-alikes (no I, l, O, 0, 1) so that it can be read out and typed.
pub fn generate_password() -> String {
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
    const DIGITS: &[u8] = b"23456789";
    const SYMBOLS: &[u8] = b"#%+-=@^_";
    let mut rng = rand::thread_rng();
    let all: Vec<u8> = [UPPER, LOWER, DIGITS, SYMBOLS].concat();
    let mut chars: Vec<u8> = [UPPER, LOWER, DIGITS, SYMBOLS]
        .iter()
        .map(|set| set[rng.gen_range(0..set.len())])
        .collect();
    while chars.len() < 20 {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    chars.shuffle(&mut rng);
    chars.into_iter().map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let hash = hash_password("Correct#Horse9").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("Correct#Horse9", &hash));
        assert!(!verify_password("Correct#Horse8", &hash));
        assert!(!verify_password("correct#horse9", &hash));
        assert!(!verify_password("", &hash));
        assert!(!verify_password("Correct#Horse9", "not a hash"));
        assert!(!verify_password("Correct#Horse9", ""));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        let first = hash_password("Correct#Horse9").unwrap();
        let second = hash_password("Correct#Horse9").unwrap();
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify_password("Correct#Horse9", &second));
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        let real_hash = hash_password("Correct#Horse9").unwrap();
        let real = PasswordHash::new(&real_hash).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert_eq!(
            dummy.hash.map(|hash| hash.len()),
            real.hash.map(|hash| hash.len())
        );
        verify_against_dummy("anything");
        assert!(!verify_password("anything", DUMMY_HASH));
    }

    #[test]
    fn twelve_characters_pass_and_eleven_do_not() {
        let refused = check_password_policy("zhang", "Abcdefgh1#x", &[]).unwrap_err();
        assert_eq!(refused, PasswordPolicyError::TooShort { found: 11 });
        assert_eq!(refused.code(), "PASSWORD_TOO_SHORT");
        assert!(refused.to_string().contains("at least 12"), "{refused}");
        assert_eq!(check_password_policy("zhang", "Abcdefgh1#xy", &[]), Ok(()));
        // Characters, not bytes: twelve Chinese characters plus classes count as twelve.
        assert_eq!(
            check_password_policy("zhang", "后续扶持王益区Ab1#黄堡", &[]),
            Ok(())
        );
    }

    #[test]
    fn one_hundred_twenty_eight_characters_pass_and_one_more_does_not() {
        let longest = "Aa1#".repeat(32);
        assert_eq!(check_password_policy("zhang", &longest, &[]), Ok(()));
        let refused = check_password_policy("zhang", &format!("{longest}x"), &[]).unwrap_err();
        assert_eq!(refused, PasswordPolicyError::TooLong);
        assert_eq!(refused.code(), "PASSWORD_TOO_LONG");
    }

    #[test]
    fn three_character_classes_are_needed_and_two_are_not_enough() {
        for two_classes in [
            "abcdefghijkl1",
            "ABCDEFGHIJKL#",
            "123456789012#",
            "abcdefABCDEF",
        ] {
            let refused = check_password_policy("zhang", two_classes, &[]).unwrap_err();
            assert_eq!(
                refused,
                PasswordPolicyError::TooFewCharacterClasses { found: 2 },
                "{two_classes}"
            );
            assert_eq!(refused.code(), "PASSWORD_TOO_SIMPLE");
        }
        for three_classes in [
            "abcdefghijkL1",
            "abcdefghijk#1",
            "ABCDEFGHIJK#1",
            "abcdefABCDE#",
        ] {
            assert_eq!(
                check_password_policy("zhang", three_classes, &[]),
                Ok(()),
                "{three_classes}"
            );
        }
    }

    #[test]
    fn the_username_may_not_hide_in_the_password_in_any_case() {
        let refused = check_password_policy("Zhang", "myZHANG#2026x", &[]).unwrap_err();
        assert_eq!(refused, PasswordPolicyError::ContainsUsername);
        assert_eq!(refused.code(), "PASSWORD_CONTAINS_USERNAME");
        assert_eq!(
            check_password_policy("town_huangbao", "X1#Town_HuangBao", &[]),
            Err(PasswordPolicyError::ContainsUsername)
        );
    }

    #[test]
    fn the_username_reversed_is_refused_too() {
        assert_eq!(
            check_password_policy("zhang", "gnahz#2026Xyz", &[]),
            Err(PasswordPolicyError::ContainsUsername)
        );
        assert_eq!(
            check_password_policy("Admin", "9#NIMDA-secret", &[]),
            Err(PasswordPolicyError::ContainsUsername)
        );
    }

    #[test]
    fn a_two_letter_username_only_forbids_itself() {
        assert_eq!(check_password_policy("li", "Lichun#2026ab", &[]), Ok(()));
    }

    #[test]
    fn control_characters_and_outer_spaces_are_refused_but_inner_spaces_are_not() {
        for bad in [
            "Tab\there#2026X",
            "Line\nbreak#2026X",
            "Null\u{0}char#2026X",
            " Leading#2026X",
            "Trailing#2026X ",
            "Ideographic\u{3000}space#1X",
            "            ",
        ] {
            let refused = check_password_policy("zhang", bad, &[]).unwrap_err();
            assert_eq!(refused, PasswordPolicyError::InvalidCharacters, "{bad:?}");
            assert_eq!(refused.code(), "PASSWORD_INVALID_CHARACTERS");
        }
        assert_eq!(
            check_password_policy("zhang", "correct horse battery 9", &[]),
            Ok(()),
            "a passphrase: lower case, digit, and spaces as symbols"
        );
    }

    #[test]
    fn any_of_the_last_five_passwords_cannot_come_back() {
        let old: Vec<String> = (1..=5).map(|n| format!("Old#Password-{n}")).collect();
        let previous: Vec<String> = old
            .iter()
            .map(|password| hash_password(password).unwrap())
            .collect();
        let refused = check_password_policy("zhang", &old[2], &previous).unwrap_err();
        assert_eq!(refused, PasswordPolicyError::Reused);
        assert_eq!(refused.code(), "PASSWORD_REUSED");
        assert_eq!(
            check_password_policy("zhang", &old[4], &previous),
            Err(PasswordPolicyError::Reused)
        );
        assert_eq!(
            check_password_policy("zhang", "New#Password-6", &previous),
            Ok(())
        );
    }

    #[test]
    fn a_password_that_breaks_several_rules_gets_the_first_fix_to_make() {
        assert_eq!(
            check_password_policy("zhang", "zhang", &[]),
            Err(PasswordPolicyError::TooShort { found: 5 })
        );
    }

    #[test]
    fn generated_passwords_satisfy_the_policy() {
        for _ in 0..20 {
            let password = generate_password();
            assert_eq!(
                check_password_policy("admin", &password, &[]),
                Ok(()),
                "{password}"
            );
        }
    }
}
