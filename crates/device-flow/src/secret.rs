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

static HELD: Mutex<VecDeque<String>> = Mutex::new(VecDeque::new());

/// Remember a secret value this process holds (a secret newtype does this
/// itself; the HTTP Basic credentials are held when they are built).
pub fn hold(value: &str) {
    if value.chars().count() < MIN_HELD_LEN {
        return;
    }
    let mut held = HELD.lock().unwrap_or_else(|p| p.into_inner());
    if held.iter().any(|v| v == value) {
        return;
    }
    if held.len() == HELD_MAX {
        held.pop_front();
    }
    held.push_back(value.to_owned());
}

/// `text` with every secret this process holds, or a start of one at
/// least 8 characters long, replaced by `[redacted]`.
pub fn redact(text: &str) -> String {
    let held = HELD.lock().unwrap_or_else(|p| p.into_inner());
    let mut out = text.to_owned();
    // The longest first, so that a secret containing another goes whole.
    let mut secrets: Vec<&String> = held.iter().collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in secrets {
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
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wrap a secret value (and remember it for [`redact`]).
            pub fn new(value: impl Into<String>) -> Self {
                let value = value.into();
                hold(&value);
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
    ClientSecret
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
    fn r12_secrets_serialize_transparently_for_the_store() {
        let json = serde_json::to_string(&RefreshToken::new("rt")).unwrap();
        assert_eq!(json, "\"rt\"");
        let back: RefreshToken = serde_json::from_str(&json).unwrap();
        assert_eq!(back.expose(), "rt");
    }
}
