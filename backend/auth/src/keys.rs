//! HS256 signing keys with ids (`kid`): the first of the ring signs, the others only verify,
//! so tokens signed before a rotation stay valid until they expire.
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

/// The shortest secret accepted: 256 bits, as HS256 needs.
pub const MIN_SECRET_BYTES: usize = 32;
/// The file of the embedded default's keys, inside the data directory.
pub const KEY_FILE: &str = "signing-keys";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("no signing key given; use kid:BASE64SECRET[,kid:BASE64SECRET…]")]
    Empty,
    #[error("signing key {0:?} must look like kid:BASE64SECRET")]
    Malformed(String),
    #[error("signing key {kid:?} is not valid base64")]
    NotBase64 { kid: String },
    #[error("signing key {kid:?} has {found} bytes; at least {MIN_SECRET_BYTES} are needed")]
    TooShort { kid: String, found: usize },
    #[error("key id {0:?} appears twice")]
    DuplicateKid(String),
    #[error("cannot read or write the key file: {0}")]
    Io(String),
}

/// One key: its id and its secret.
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
        self.secret.iter_mut().for_each(|byte| *byte = 0);
    }
}

/// The keys a server signs and verifies with; never empty.
#[derive(Debug, Clone)]
pub struct KeyRing {
    keys: Vec<SigningKey>,
}

impl KeyRing {
    /// From configuration text `kid1:BASE64SECRET,kid0:BASE64SECRET` (the first is current).
    pub fn parse(spec: &str) -> Result<KeyRing, KeyError> {
        let mut keys: Vec<SigningKey> = Vec::new();
        for part in spec
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            let (kid, secret) = part
                .split_once(':')
                .filter(|(kid, secret)| !kid.trim().is_empty() && !secret.trim().is_empty())
                .ok_or_else(|| {
                    KeyError::Malformed(part.split(':').next().unwrap_or("").to_string())
                })?;
            let kid = kid.trim().to_string();
            let secret = STANDARD
                .decode(secret.trim())
                .map_err(|_| KeyError::NotBase64 { kid: kid.clone() })?;
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
        if keys.is_empty() {
            return Err(KeyError::Empty);
        }
        Ok(KeyRing { keys })
    }

    /// One fresh 256-bit key.
    pub fn generate() -> KeyRing {
        KeyRing {
            keys: vec![new_key()],
        }
    }

    /// A ring whose new current key is fresh and whose old keys still verify.
    pub fn rotated(&self) -> KeyRing {
        let mut keys = vec![new_key()];
        keys.extend(self.keys.iter().cloned());
        KeyRing { keys }
    }

    /// The ring without the key `kid` (after the tokens it signed have expired).
    pub fn without(&self, kid: &str) -> Option<KeyRing> {
        let keys: Vec<SigningKey> = self
            .keys
            .iter()
            .filter(|key| key.kid != kid)
            .cloned()
            .collect();
        (!keys.is_empty()).then_some(KeyRing { keys })
    }

    /// The configuration text of the ring.
    pub fn to_spec(&self) -> String {
        self.keys
            .iter()
            .map(|key| format!("{}:{}", key.kid, STANDARD.encode(&key.secret)))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The embedded default: reads `<dir>/signing-keys`, or creates it (mode 0600) with a new key.
    pub fn load_or_create(dir: &Path) -> Result<KeyRing, KeyError> {
        let path = dir.join(KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => KeyRing::parse(text.trim()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let ring = KeyRing::generate();
                write_private(&path, &ring.to_spec()).map_err(|e| KeyError::Io(e.to_string()))?;
                Ok(ring)
            }
            Err(error) => Err(KeyError::Io(error.to_string())),
        }
    }

    pub fn current(&self) -> &SigningKey {
        &self.keys[0]
    }

    pub fn current_kid(&self) -> &str {
        &self.current().kid
    }

    pub fn find(&self, kid: &str) -> Option<&SigningKey> {
        self.keys.iter().find(|key| key.kid == kid)
    }
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

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_round_trips_through_its_configuration_text() {
        let ring = KeyRing::generate().rotated();
        let parsed = KeyRing::parse(&ring.to_spec()).unwrap();
        assert_eq!(parsed.current_kid(), ring.current_kid());
        assert_eq!(parsed.to_spec(), ring.to_spec());
    }

    #[test]
    fn short_duplicate_and_malformed_keys_are_refused_with_a_reason() {
        assert_eq!(KeyRing::parse("").unwrap_err(), KeyError::Empty);
        assert!(matches!(
            KeyRing::parse("nokid").unwrap_err(),
            KeyError::Malformed(_)
        ));
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
        let ok = STANDARD.encode([1u8; 32]);
        assert!(matches!(
            KeyRing::parse(&format!("a:{ok},a:{ok}")).unwrap_err(),
            KeyError::DuplicateKid(_)
        ));
    }

    #[test]
    fn the_embedded_default_creates_the_key_once_and_reads_it_back() {
        let dir = std::env::temp_dir().join(format!("houxu-keys-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
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
        std::fs::remove_dir_all(dir).unwrap();
    }
}
