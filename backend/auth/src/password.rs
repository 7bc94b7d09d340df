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

#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct PasswordError(String);

/// Why a new password was refused; each message says what to do instead.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PasswordPolicyError {
    #[error("the password needs at least {MIN_LENGTH} characters, it has {found}")]
    TooShort { found: usize },
    #[error("the password may have at most {MAX_LENGTH} characters")]
    TooLong,
    #[error("the password needs at least {MIN_CHARACTER_CLASSES} of: upper-case letters, lower-case letters, digits, symbols (it has {found})")]
    TooFewCharacterClasses { found: usize },
    #[error("the password must not contain the username, forwards or backwards")]
    ContainsUsername,
    #[error("the password must not contain spaces or control characters")]
    InvalidCharacters,
    #[error("the password was used recently; choose one not among the last five")]
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
    // OWASP: argon2id, 19 MiB, 2 iterations, 1 lane.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

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
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash_password("dummy-password-for-timing").unwrap_or_default());
    let _ = verify_password(plain, dummy);
}

/// Checks a new password against the policy and the user's previous password hashes.
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
    if candidate
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
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
    let lower = candidate.to_lowercase();
    let name = username.trim().to_lowercase();
    let reversed: String = name.chars().rev().collect();
    if !name.is_empty() && (lower.contains(&name) || lower.contains(&reversed)) {
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

/// A random 20-character password of all four kinds (for bootstrap accounts).
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
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("Correct#Horse9", &hash));
        assert!(!verify_password("Correct#Horse8", &hash));
        assert!(!verify_password("Correct#Horse9", "not a hash"));
    }

    #[test]
    fn twelve_characters_pass_and_eleven_do_not() {
        assert_eq!(
            check_password_policy("zhang", "Abcdefgh1#x", &[]),
            Err(PasswordPolicyError::TooShort { found: 11 })
        );
        assert_eq!(check_password_policy("zhang", "Abcdefgh1#xy", &[]), Ok(()));
        assert_eq!(
            check_password_policy("zhang", &"Aa1#".repeat(33), &[]),
            Err(PasswordPolicyError::TooLong)
        );
    }

    #[test]
    fn three_character_classes_are_needed() {
        assert_eq!(
            check_password_policy("zhang", "abcdefghijkl1", &[]),
            Err(PasswordPolicyError::TooFewCharacterClasses { found: 2 })
        );
        assert_eq!(check_password_policy("zhang", "abcdefghijkL1", &[]), Ok(()));
    }

    #[test]
    fn the_username_may_not_hide_in_the_password_either_way() {
        assert_eq!(
            check_password_policy("Zhang", "myZHANG#2026x", &[]),
            Err(PasswordPolicyError::ContainsUsername)
        );
        assert_eq!(
            check_password_policy("zhang", "gnahz#2026Xyz", &[]),
            Err(PasswordPolicyError::ContainsUsername)
        );
        assert_eq!(
            check_password_policy("zhang", "has space#2026X", &[]),
            Err(PasswordPolicyError::InvalidCharacters)
        );
    }

    #[test]
    fn a_recent_password_cannot_come_back() {
        let previous = vec![hash_password("Old#Password-1").unwrap()];
        assert_eq!(
            check_password_policy("zhang", "Old#Password-1", &previous),
            Err(PasswordPolicyError::Reused)
        );
        assert_eq!(
            check_password_policy("zhang", "New#Password-2", &previous),
            Ok(())
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
