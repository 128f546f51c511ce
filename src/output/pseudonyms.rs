//! Pseudonyms (docs/planning-rules.md §7): prisoner ids written as keyed HMAC-SHA256
//! pseudonyms when asked, and recognised.

use std::fmt::{self, Write as _};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::PrisonerId;

/// The secret key of the pseudonyms (docs/planning-rules.md §7): the bytes of a file the user keeps
/// private. It is never written anywhere nor shown (`Debug` hides it).
#[derive(Clone)]
pub struct PseudonymKey(Vec<u8>);

impl PseudonymKey {
    /// The fewest bytes a key may have.
    pub const MIN_LEN: usize = 16;

    /// A key of these bytes, or why they cannot be one.
    pub fn new(bytes: Vec<u8>) -> Result<PseudonymKey, String> {
        if bytes.len() < Self::MIN_LEN {
            return Err(format!(
                "a key has at least {} bytes, this one {}: make one with \
                 `head -c 32 /dev/urandom > resettle.key`",
                Self::MIN_LEN,
                bytes.len()
            ));
        }
        Ok(PseudonymKey(bytes))
    }
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PseudonymKey(..)")
    }
}

/// The pseudonym written for a prisoner id when outputs are pseudonymised: `P` and 16
/// upper-case hex digits, the first 64 bits of HMAC-SHA256 of the id under `key`. The same id
/// and key give the same pseudonym on any machine and in any run, so files from different
/// runs can be joined; without the key, knowing the format of the ids does not tell which
/// pseudonym stands for which id.
pub fn pseudonym(key: &PseudonymKey, id: &PrisonerId) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes a key of any length");
    mac.update(id.as_str().as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut text = String::with_capacity(17);
    text.push('P');
    for byte in &digest[..8] {
        write!(text, "{byte:02X}").expect("writing to a string");
    }
    text
}

/// Whether `text` has the shape of a [`pseudonym`]: `P` and 16 upper-case hex digits.
pub fn is_pseudonym(text: &str) -> bool {
    text.len() == 17
        && text.starts_with('P')
        && text[1..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

/// Writes prisoner ids as given or as pseudonyms.
pub(super) struct Ids<'a> {
    pub(super) key: Option<&'a PseudonymKey>,
}

impl Ids<'_> {
    pub(super) fn write(&self, id: &PrisonerId) -> String {
        match self.key {
            Some(key) => pseudonym(key, id),
            None => id.as_str().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_shaped_and_keyed() {
        let key = PseudonymKey::new(b"0123456789abcdef".to_vec()).unwrap();
        let other = PseudonymKey::new(b"0123456789abcdeF".to_vec()).unwrap();
        let a = pseudonym(&key, &"A1234BC".into());
        assert!(is_pseudonym(&a) && !is_pseudonym("A1234BC"));
        assert_eq!(a, pseudonym(&key, &"A1234BC".into()));
        assert_ne!(a, pseudonym(&key, &"A1234BD".into()));
        assert_ne!(a, pseudonym(&other, &"A1234BC".into()));
        // The value Python's `hmac.new(key, id, hashlib.sha256)` gives: the same in any run.
        assert_eq!(a, "P396F697A3621838D");
        assert_eq!(format!("{key:?}"), "PseudonymKey(..)");
        assert!(PseudonymKey::new(b"short".to_vec()).is_err());
        assert_eq!(a.len(), 17);
        assert!(a.starts_with('P'));
        assert!(a[1..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    }
}
