//! Secret newtypes. Their `Debug` and `Display` print `[redacted]`, so a secret
//! cannot leak through a log line, a `{:?}` or an error message by accident.
//! The only way to read one is `expose()`, which is easy to grep for.

use serde::{Deserialize, Serialize};

macro_rules! secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wrap a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
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
    fn r12_secrets_serialize_transparently_for_the_store() {
        let json = serde_json::to_string(&RefreshToken::new("rt")).unwrap();
        assert_eq!(json, "\"rt\"");
        let back: RefreshToken = serde_json::from_str(&json).unwrap();
        assert_eq!(back.expose(), "rt");
    }
}
