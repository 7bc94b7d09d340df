//! HS256 signing keys with ids (`kid`): the first of the ring signs, the others only verify.
use std::path::Path;

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use rand::RngCore;

/// The shortest secret accepted: 256 bits, as HS256 needs (RFC 7518 §3.2).
pub const MIN_SECRET_BYTES: usize = 32;
/// The longest key id accepted.
pub const MAX_KID_LENGTH: usize = 64;
/// The file of the embedded default's keys, inside the data directory.
pub const KEY_FILE: &str = "signing-keys";

/// Why a key specification was refused. Messages name the key id or the entry's position,
/// never the secret, so that they can be logged.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("no signing key given; use kid:BASE64SECRET[,kid:BASE64SECRET…] (the first signs)")]
    Empty,
    #[error("signing key entry {position} must look like kid:BASE64SECRET")]
    Malformed { position: usize },
    #[error("signing key entry {position}: the key id must be 1–{MAX_KID_LENGTH} characters of A–Z, a–z, 0–9, '-', '_' or '.'")]
    InvalidKid { position: usize },
    #[error("signing key {kid:?} is not valid base64")]
    NotBase64 { kid: String },
    #[error("signing key {kid:?} has {found} bytes; at least {MIN_SECRET_BYTES} random bytes are needed (e.g. `openssl rand -base64 32`)")]
    TooShort { kid: String, found: usize },
    #[error("key id {0:?} appears twice; every key needs its own id")]
    DuplicateKid(String),
    #[error("cannot read or write the key file: {0}")]
    Io(String),
}

/// One key: its id and its secret (overwritten with zeros when dropped).
#[derive(Clone)]
pub struct SigningKey {
    pub kid: String,
    secret: Vec<u8>,
}

impl SigningKey {
    pub fn secret(&self) -> &[u8] {
        &self.secret
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({}, <secret>)", self.kid)
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        // Best effort without `unsafe`: the optimiser may keep earlier copies, but the
        // allocation the ring owned does not outlive it with the secret in it.
        self.secret.iter_mut().for_each(|byte| *byte = 0);
        std::hint::black_box(&self.secret);
    }
}

/// The keys a server signs and verifies with; never empty (the current key is a field).
///
/// Rotation: put a new key first and keep the old one after it; tokens the old key signed stay
/// valid until they expire (at most the access-token lifetime), then remove the old key.
#[derive(Debug, Clone)]
pub struct KeyRing {
    current: SigningKey,
    previous: Vec<SigningKey>,
}

impl KeyRing {
    /// From configuration text `kid1:BASE64SECRET,kid0:BASE64SECRET` (the first is current).
    /// Secrets are base64 (standard or URL-safe, padded or not) of at least 32 bytes.
    pub fn parse(spec: &str) -> Result<KeyRing, KeyError> {
        let mut keys: Vec<SigningKey> = Vec::new();
        let entries = spec
            .split([',', '\n'])
            .map(str::trim)
            .filter(|entry| !entry.is_empty());
        for (index, entry) in entries.enumerate() {
            let position = index + 1;
            let (kid, secret) = entry
                .split_once(':')
                .map(|(kid, secret)| (kid.trim(), secret.trim()))
                .filter(|(kid, secret)| !kid.is_empty() && !secret.is_empty())
                .ok_or(KeyError::Malformed { position })?;
            if !is_valid_kid(kid) {
                return Err(KeyError::InvalidKid { position });
            }
            let kid = kid.to_string();
            let secret =
                decode_secret(secret).ok_or_else(|| KeyError::NotBase64 { kid: kid.clone() })?;
            if secret.len() < MIN_SECRET_BYTES {
                return Err(KeyError::TooShort {
                    kid,
                    found: secret.len(),
                });
            }
            if keys.iter().any(|key| key.kid == kid) {
                return Err(KeyError::DuplicateKid(kid));
            }
            keys.push(SigningKey { kid, secret });
        }
        let mut keys = keys.into_iter();
        let current = keys.next().ok_or(KeyError::Empty)?;
        Ok(KeyRing {
            current,
            previous: keys.collect(),
        })
    }

    /// One fresh 256-bit key; its id is the date and 32 random bits (`k20261128-1a2b3c4d`).
    pub fn generate() -> KeyRing {
        KeyRing {
            current: new_key(),
            previous: Vec::new(),
        }
    }

    /// A ring whose new current key is fresh and whose old keys still verify.
    pub fn rotated(&self) -> KeyRing {
        let mut previous = vec![self.current.clone()];
        previous.extend(self.previous.iter().cloned());
        KeyRing {
            current: new_key(),
            previous,
        }
    }

    /// The ring without the key `kid` (after the tokens it signed have expired); `None` if
    /// that would leave the ring empty. Removing the current key promotes the next one.
    pub fn without(&self, kid: &str) -> Option<KeyRing> {
        let mut keys = self.keys().filter(|key| key.kid != kid).cloned();
        let current = keys.next()?;
        Some(KeyRing {
            current,
            previous: keys.collect(),
        })
    }

    /// The configuration text of the ring, current key first.
    pub fn to_spec(&self) -> String {
        self.keys()
            .map(|key| format!("{}:{}", key.kid, STANDARD.encode(&key.secret)))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The embedded default: reads `<dir>/signing-keys`, or creates it (mode 0600) with a new
    /// key. Creation is atomic, so servers starting together on one directory share one key.
    pub fn load_or_create(dir: &Path) -> Result<KeyRing, KeyError> {
        let path = dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => KeyRing::parse(&text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(io_error)?;
                let ring = KeyRing::generate();
                match create_private_file(dir, &path, &ring.to_spec()) {
                    Ok(()) => Ok(ring),
                    // Another process created it first: use theirs.
                    Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                        let text = std::fs::read_to_string(&path).map_err(io_error)?;
                        KeyRing::parse(&text)
                    }
                    Err(error) => Err(io_error(error)),
                }
            }
            Err(error) => Err(io_error(error)),
        }
    }

    /// The key that signs new tokens.
    pub fn current(&self) -> &SigningKey {
        &self.current
    }

    pub fn current_kid(&self) -> &str {
        &self.current.kid
    }

    /// The key with this id, current or previous.
    pub fn find(&self, kid: &str) -> Option<&SigningKey> {
        self.keys().find(|key| key.kid == kid)
    }

    /// All keys, current first.
    pub fn keys(&self) -> impl Iterator<Item = &SigningKey> {
        std::iter::once(&self.current).chain(self.previous.iter())
    }
}

fn is_valid_kid(kid: &str) -> bool {
    kid.len() <= MAX_KID_LENGTH
        && kid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn decode_secret(text: &str) -> Option<Vec<u8>> {
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

fn io_error(error: std::io::Error) -> KeyError {
    KeyError::Io(error.to_string())
}

fn new_key() -> SigningKey {
    let mut secret = vec![0u8; MIN_SECRET_BYTES];
    rand::thread_rng().fill_bytes(&mut secret);
    let mut suffix = [0u8; 4];
    rand::thread_rng().fill_bytes(&mut suffix);
    let kid = format!(
        "k{}-{}",
        chrono::Utc::now().format("%Y%m%d"),
        suffix
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    SigningKey { kid, secret }
}

/// Writes `text` to a private temporary file, then links it to `path`, which fails with
/// `AlreadyExists` if `path` exists: nobody ever reads a half-written key file.
fn create_private_file(dir: &Path, path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let temporary = dir.join(format!(".{KEY_FILE}.{}", uuid::Uuid::new_v4()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&temporary, path));
    let _ = std::fs::remove_file(&temporary);
    linked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret_of(byte: u8) -> String {
        STANDARD.encode([byte; 32])
    }

    #[test]
    fn a_ring_round_trips_through_its_configuration_text() {
        let ring = KeyRing::generate().rotated();
        let parsed = KeyRing::parse(&ring.to_spec()).unwrap();
        assert_eq!(parsed.current_kid(), ring.current_kid());
        assert_eq!(parsed.to_spec(), ring.to_spec());
        assert_eq!(parsed.keys().count(), 2);
    }

    #[test]
    fn the_first_key_of_the_configuration_is_current_and_the_others_verify() {
        let ring = KeyRing::parse(&format!("new:{}, old:{}", secret_of(1), secret_of(2))).unwrap();
        assert_eq!(ring.current_kid(), "new");
        assert_eq!(ring.find("old").unwrap().secret(), &[2u8; 32]);
        assert!(ring.find("other").is_none());
        let retired = ring.without("old").unwrap();
        assert!(retired.find("old").is_none());
        assert!(retired.without("new").is_none());
    }

    #[test]
    fn url_safe_and_unpadded_secrets_are_accepted() {
        let bytes = [0xfb_u8; 33];
        for text in [
            STANDARD.encode(bytes),
            STANDARD_NO_PAD.encode(bytes),
            URL_SAFE.encode(bytes),
            URL_SAFE_NO_PAD.encode(bytes),
        ] {
            let ring = KeyRing::parse(&format!("k:{text}")).unwrap();
            assert_eq!(ring.current().secret(), &bytes);
        }
    }

    #[test]
    fn short_duplicate_and_malformed_keys_are_refused_with_a_reason() {
        assert_eq!(KeyRing::parse("").unwrap_err(), KeyError::Empty);
        assert_eq!(KeyRing::parse(" , ").unwrap_err(), KeyError::Empty);
        assert_eq!(
            KeyRing::parse("nokid").unwrap_err(),
            KeyError::Malformed { position: 1 }
        );
        assert_eq!(
            KeyRing::parse(&format!("a:{},b:", secret_of(1))).unwrap_err(),
            KeyError::Malformed { position: 2 }
        );
        assert_eq!(
            KeyRing::parse(&format!("a b:{}", secret_of(1))).unwrap_err(),
            KeyError::InvalidKid { position: 1 }
        );
        assert!(matches!(
            KeyRing::parse("a:!!!").unwrap_err(),
            KeyError::NotBase64 { .. }
        ));
        let short = STANDARD.encode([1u8; 31]);
        assert_eq!(
            KeyRing::parse(&format!("a:{short}")).unwrap_err(),
            KeyError::TooShort {
                kid: "a".into(),
                found: 31
            }
        );
        let ok = secret_of(1);
        assert_eq!(
            KeyRing::parse(&format!("a:{ok},a:{ok}")).unwrap_err(),
            KeyError::DuplicateKid("a".into())
        );
    }

    #[test]
    fn errors_never_repeat_a_secret() {
        let secret = secret_of(7);
        for spec in [
            secret.clone(),
            format!(":{secret}"),
            format!("a b:{secret}"),
        ] {
            let message = KeyRing::parse(&spec).unwrap_err().to_string();
            assert!(!message.contains(&secret), "{message}");
        }
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let ring = KeyRing::parse(&format!("a:{}", secret_of(9))).unwrap();
        let debug = format!("{ring:?}");
        assert!(debug.contains("<secret>"));
        assert!(!debug.contains("9, 9"));
    }

    #[test]
    fn generated_keys_have_distinct_ids_and_256_bit_secrets() {
        let first = KeyRing::generate();
        let second = KeyRing::generate();
        assert_ne!(first.current_kid(), second.current_kid());
        assert_eq!(first.current().secret().len(), 32);
        assert_ne!(first.current().secret(), second.current().secret());
        assert!(KeyRing::parse(&first.to_spec()).is_ok());
    }

    #[test]
    fn the_embedded_default_creates_the_key_once_and_reads_it_back() {
        let dir = std::env::temp_dir().join(format!("houxu-keys-{}", uuid::Uuid::new_v4()));
        let first = KeyRing::load_or_create(&dir).unwrap();
        let second = KeyRing::load_or_create(&dir).unwrap();
        assert_eq!(first.to_spec(), second.to_spec());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 1, "only the key file remains");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
