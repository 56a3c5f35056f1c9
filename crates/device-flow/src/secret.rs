//! Secret newtypes. Their `Debug` and `Display` print `[redacted]`, so a secret
//! cannot leak through a log line, a `{:?}` or an error message by accident.
//! The only way to read one is `expose()`, which is easy to grep for.

//!
//! Every secret value this process holds is also remembered (the most recent
//! [`HELD_MAX`]), so that text a server sends (`error_description`, the
//! device `message`, a display name) can be shown only after [`redact`] has
//! replaced those values, or a long start of one, with `[redacted]`.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serialize};

/// How many secret values are remembered for [`redact`].
pub const HELD_MAX: usize = 256;
/// Shorter values are not remembered: redacting them would mangle text.
const MIN_HELD_LEN: usize = 4;
/// A start of a secret this long, or longer, is redacted too (a server that
/// quotes a truncated device code).
const MIN_PREFIX: usize = 8;

/// Recently held values (tokens, device codes), least recent first.
static HELD: Mutex<VecDeque<String>> = Mutex::new(VecDeque::new());
/// Values held for the life of the process (client secrets, the Basic
/// credentials): never pushed out by a stream of device codes.
static PINNED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Remember a secret value this process holds, and its form-encoded form
/// (a server that echoes the request form quotes that). A secret newtype
/// does this itself; a value held again becomes the most recent.
pub fn hold(value: &str) {
    for form in forms(value) {
        let mut held = HELD.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = held.iter().position(|v| *v == form) {
            held.remove(i);
        } else if held.len() >= HELD_MAX {
            held.pop_front();
        }
        held.push_back(form);
    }
}

/// As [`hold`], for a value the process keeps as long as it runs.
pub fn hold_for_good(value: &str) {
    let mut pinned = PINNED.lock().unwrap_or_else(|p| p.into_inner());
    for form in forms(value) {
        if !pinned.contains(&form) {
            pinned.push(form);
        }
    }
}

/// The value and its application/x-www-form-urlencoded form, when long
/// enough to redact without mangling text.
fn forms(value: &str) -> Vec<String> {
    if value.chars().count() < MIN_HELD_LEN {
        return Vec::new();
    }
    let mut encoded = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                encoded.push(b as char);
            }
            b' ' => encoded.push('+'),
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    let mut out = vec![value.to_owned()];
    if encoded != value {
        out.push(encoded);
    }
    out
}

/// `text` with every secret this process holds, or a start of one at
/// least 8 characters long, replaced by `[redacted]`.
pub fn redact(text: &str) -> String {
    // Both locks are only ever taken alone elsewhere: no order to deadlock on.
    let held = HELD.lock().unwrap_or_else(|p| p.into_inner());
    let pinned = PINNED.lock().unwrap_or_else(|p| p.into_inner());
    let mut out = text.to_owned();
    // The longest first, so that a secret containing another goes whole.
    let mut secrets: Vec<&String> = held.iter().chain(pinned.iter()).collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    // Whole values first, so that the start of one never cuts another short.
    for secret in &secrets {
        out = out.replace(secret.as_str(), "[redacted]");
    }
    for secret in &secrets {
        out = redact_one(&out, secret);
    }
    out
}

fn redact_one(text: &str, secret: &str) -> String {
    let prefix_len = secret
        .char_indices()
        .nth(MIN_PREFIX)
        .map_or(secret.len(), |(i, _)| i);
    let probe = &secret[..prefix_len];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(probe) {
        // How much of the secret follows here.
        let matched = rest[at..]
            .char_indices()
            .zip(secret.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, c), _)| i + c.len_utf8());
        out.push_str(&rest[..at]);
        out.push_str("[redacted]");
        rest = &rest[at + matched.max(probe.len())..];
    }
    out.push_str(rest);
    out
}

macro_rules! secret {
    ($(#[$doc:meta])* $name:ident) => {
        secret!($(#[$doc])* $name, hold);
    };
    ($(#[$doc:meta])* $name:ident, $hold:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wrap a secret value (and remember it for [`redact`]).
            pub fn new(value: impl Into<String>) -> Self {
                let value = value.into();
                $hold(&value);
                Self(value)
            }

            /// The secret value, for the one place that must send or store it.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self::new)
            }
        }
    };
}

secret!(
    /// The RFC 8628 `device_code`: never shown, never logged.
    DeviceCode
);
secret!(
    /// An OAuth access token.
    AccessToken
);
secret!(
    /// An OAuth refresh token.
    RefreshToken
);
secret!(
    /// An OpenID Connect ID token (a JWT).
    IdToken
);
secret!(
    /// A client secret from the providers file.
    ClientSecret,
    hold_for_good
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r12_secrets_print_redacted_in_debug_and_display() {
        let values = [
            format!("{:?}", DeviceCode::new("dc-SECRET")),
            format!("{}", DeviceCode::new("dc-SECRET")),
            format!("{:?}", AccessToken::new("at-SECRET")),
            format!("{}", RefreshToken::new("rt-SECRET")),
            format!("{:?}", IdToken::new("id-SECRET")),
            format!("{:?}", Some(ClientSecret::new("cs-SECRET"))),
        ];
        for v in values {
            assert!(!v.contains("SECRET"), "{v}");
            assert!(v.contains("[redacted]"), "{v}");
        }
    }

    #[test]
    fn r12_server_text_is_shown_with_held_secrets_and_their_long_starts_redacted() {
        let dc = DeviceCode::new("dc-R12-HOLD-0123456789abcdef");
        let _cs: ClientSecret = serde_json::from_str("\"cs-R12-HOLD-secret\"").unwrap();
        hold("dXNlcjpjcy1SMTItSE9MRA==");
        let text = format!(
            "bad device_code={} (client_secret=cs-R12-HOLD-secret, truncated dc-R12-HOLD-0123…, \
             Basic dXNlcjpjcy1SMTItSE9MRA==)",
            dc.expose()
        );
        let shown = redact(&text);
        assert!(!shown.contains("R12-HOLD"), "{shown}");
        assert!(!shown.contains("dXNlcjpjcy1SMTItSE9MRA"), "{shown}");
        assert_eq!(shown.matches("[redacted]").count(), 4, "{shown}");
        assert!(shown.starts_with("bad device_code=[redacted] (client_secret=[redacted]"));
        // Text without a held secret is left alone, short words included.
        assert_eq!(
            redact("authorization_pending: dc"),
            "authorization_pending: dc"
        );
    }

    #[test]
    fn r12_a_client_secret_stays_redacted_after_many_device_codes_and_when_form_encoded() {
        let _cs = ClientSecret::new("cs-R12-PIN/+=:&%9xyz");
        for n in 0..(HELD_MAX * 2) {
            let _ = DeviceCode::new(format!("dc-R12-PIN-stream-{n:05}"));
        }
        let shown =
            redact("echo client_secret=cs-R12-PIN%2F%2B%3D%3A%26%259xyz and cs-R12-PIN/+=:&%9xyz");
        assert!(!shown.contains("R12-PIN"), "{shown}");
        assert_eq!(shown, "echo client_secret=[redacted] and [redacted]");
    }

    #[test]
    fn r12_secrets_serialize_transparently_for_the_store() {
        let json = serde_json::to_string(&RefreshToken::new("rt")).unwrap();
        assert_eq!(json, "\"rt\"");
        let back: RefreshToken = serde_json::from_str(&json).unwrap();
        assert_eq!(back.expose(), "rt");
    }
}
