//! The ES256 signing key, made fresh at every start, its JWKS, and ID tokens.

use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::elliptic_curve::sec1::ToEncodedPoint as _;
use p256::pkcs8::EncodePrivateKey as _;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::state::DemoIdentity;

pub struct SigningKey {
    encoding: EncodingKey,
    kid: String,
    x: String,
    y: String,
}

/// The private key never prints.
impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The claims of an ID token (OpenID Connect Core §2).
#[derive(Debug, Serialize)]
struct IdClaims<'a> {
    iss: &'a str,
    aud: &'a str,
    sub: &'a str,
    iat: u64,
    exp: u64,
    auth_time: u64,
    name: &'a str,
    preferred_username: &'a str,
    email: &'a str,
    email_verified: bool,
}

impl SigningKey {
    pub fn generate() -> std::io::Result<Self> {
        let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
        let der = secret
            .to_pkcs8_der()
            .map_err(|e| std::io::Error::other(format!("cannot encode the signing key: {e}")))?;
        let point = secret.public_key().to_encoded_point(false);
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return Err(std::io::Error::other(
                "the public key has no affine coordinates",
            ));
        };
        let (x, y) = (b64(x), b64(y));
        // RFC 7638 thumbprint: the required members, sorted, no spaces.
        let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
        let kid = b64(&Sha256::digest(canonical.as_bytes()));
        Ok(Self {
            encoding: EncodingKey::from_ec_der(der.as_bytes()),
            kid,
            x,
            y,
        })
    }

    #[cfg(test)]
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The JWK Set (RFC 7517) with the one public key.
    pub fn jwks(&self) -> Value {
        json!({
            "keys": [{
                "kty": "EC",
                "crv": "P-256",
                "x": self.x,
                "y": self.y,
                "kid": self.kid,
                "use": "sig",
                "alg": "ES256",
            }]
        })
    }

    /// A signed ID token for `identity`, audience `client_id`.
    pub fn id_token(
        &self,
        issuer: &str,
        client_id: &str,
        identity: &DemoIdentity,
        now_unix: u64,
        lifetime_secs: u64,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.kid.clone());
        let claims = IdClaims {
            iss: issuer,
            aud: client_id,
            sub: &identity.sub,
            iat: now_unix,
            exp: now_unix + lifetime_secs,
            auth_time: now_unix,
            name: &identity.name,
            preferred_username: &identity.preferred_username,
            email: &identity.email,
            email_verified: false,
        };
        jsonwebtoken::encode(&header, &claims, &self.encoding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation, jwk::JwkSet};

    #[test]
    fn id_tokens_verify_with_the_published_jwks() {
        let key = SigningKey::generate().unwrap();
        let token = key
            .id_token(
                "http://127.0.0.1:1",
                "cid",
                &DemoIdentity::default(),
                1_000,
                60,
            )
            .unwrap();
        let set: JwkSet = serde_json::from_value(key.jwks()).unwrap();
        let jwk = set.find(key.kid()).unwrap();
        let mut v = Validation::new(Algorithm::ES256);
        v.set_audience(&["cid"]);
        v.set_issuer(&["http://127.0.0.1:1"]);
        v.validate_exp = false;
        let data = jsonwebtoken::decode::<Value>(&token, &DecodingKey::from_jwk(jwk).unwrap(), &v)
            .unwrap();
        assert_eq!(data.claims["name"], "Demo Viewer");
        assert_eq!(data.claims["exp"], 1_060);
        assert_eq!(data.header.kid.as_deref(), Some(key.kid()));
    }
}
