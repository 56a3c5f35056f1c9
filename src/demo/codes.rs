//! User codes (RFC 8628 §6.1) and opaque secrets.

use base64::Engine as _;
use rand::Rng as _;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

/// The RFC's recommended charset: consonants only, so no words, and no
/// look-alikes such as 0/O or 1/I.
pub const USER_CODE_CHARSET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
/// Characters in a user code, without the dash.
pub const USER_CODE_LEN: usize = 8;

/// A fresh user code, `XXXX-XXXX`. 20^8 ≈ 2.6 × 10^10 codes, enough
/// against guessing when wrong tries are rate limited.
pub fn new_user_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let mut code = String::with_capacity(USER_CODE_LEN + 1);
    for i in 0..USER_CODE_LEN {
        if i == USER_CODE_LEN / 2 {
            code.push('-');
        }
        let c = USER_CODE_CHARSET[rng.gen_range(0..USER_CODE_CHARSET.len())];
        code.push(char::from(c));
    }
    code
}

/// What a person typed, as the canonical 8 characters: case, dashes and
/// spaces are ignored. `None` when it cannot be a code of ours.
pub fn normalise_user_code(input: &str) -> Option<String> {
    let mut code = String::with_capacity(USER_CODE_LEN);
    for c in input.chars() {
        if c == '-' || c.is_whitespace() {
            continue;
        }
        let upper = c.to_ascii_uppercase();
        if !upper.is_ascii() || !USER_CODE_CHARSET.contains(&(upper as u8)) {
            return None;
        }
        if code.len() == USER_CODE_LEN {
            return None;
        }
        code.push(upper);
    }
    (code.len() == USER_CODE_LEN).then_some(code)
}

/// The canonical form shown to people: `BCDF-GHJK`.
pub fn display_user_code(normalised: &str) -> String {
    let a: String = normalised.chars().take(USER_CODE_LEN / 2).collect();
    let b: String = normalised.chars().skip(USER_CODE_LEN / 2).collect();
    format!("{a}-{b}")
}

/// An opaque secret: 32 random bytes, base64url without padding (43 chars).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Secrets are kept only as their SHA-256, so the tables never hold a
/// usable device code or token.
pub type SecretKey = [u8; 32];

pub fn secret_key(secret: &str) -> SecretKey {
    Sha256::digest(secret.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_use_the_rfc_charset_with_a_dash_in_the_middle() {
        for _ in 0..200 {
            let code = new_user_code();
            assert_eq!(code.len(), 9, "{code}");
            assert_eq!(&code[4..5], "-", "{code}");
            assert!(
                code.bytes()
                    .filter(|b| *b != b'-')
                    .all(|b| USER_CODE_CHARSET.contains(&b)),
                "{code}"
            );
        }
    }

    #[test]
    fn user_codes_differ() {
        let a = new_user_code();
        let b = new_user_code();
        let c = new_user_code();
        assert!(a != b || b != c);
    }

    #[test]
    fn normalising_ignores_case_dashes_and_spaces() {
        let want = Some("WDJBMJHT".to_owned());
        assert_eq!(normalise_user_code("WDJB-MJHT"), want);
        assert_eq!(normalise_user_code("wdjb-mjht"), want);
        assert_eq!(normalise_user_code("wdjbmjht"), want);
        assert_eq!(normalise_user_code(" wd jb - mj ht "), want);
        assert_eq!(normalise_user_code("W-D-J-B-M-J-H-T"), want);
    }

    #[test]
    fn normalising_refuses_what_cannot_be_a_code() {
        assert_eq!(normalise_user_code(""), None);
        assert_eq!(normalise_user_code("WDJB-MJH"), None, "too short");
        assert_eq!(normalise_user_code("WDJB-MJHTX"), None, "too long");
        assert_eq!(normalise_user_code("WDJB-MJH1"), None, "digit");
        assert_eq!(normalise_user_code("AEIO-UWDJ"), None, "vowels");
        assert_eq!(normalise_user_code("WDJB-MJHÉ"), None, "non-ASCII");
    }

    #[test]
    fn a_generated_code_normalises_and_displays_back_to_itself() {
        let code = new_user_code();
        let normalised = normalise_user_code(&code).unwrap();
        assert_eq!(display_user_code(&normalised), code);
    }

    #[test]
    fn secrets_are_43_base64url_chars_and_keys_are_their_hash() {
        let s = new_secret();
        assert_eq!(s.len(), 43);
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(secret_key(&s), secret_key(&s.clone()));
        assert_ne!(secret_key(&s), secret_key(&new_secret()));
    }
}
