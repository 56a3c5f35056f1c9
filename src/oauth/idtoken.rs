//! OpenID Connect ID token validation (OIDC Core §3.1.3.7).
//!
//! The signature is checked with `jsonwebtoken` against the provider's JWKS;
//! the claims (`iss`, `aud`, `azp`, `exp`, `iat`) are checked here, with the
//! current time passed in, so every rule is a plain unit test.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Mutex, OnceLock};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

use super::http::HttpTransport;
use super::wire::TransportError;

/// Clock skew allowed on `exp` and `iat`, in seconds.
pub const LEEWAY_SECS: u64 = 60;

/// Signature algorithms accepted for ID tokens. HMAC (keyed with the client
/// secret) and `none` are refused: a kiosk's secret is not a secret.
pub const ACCEPTED_ALGORITHMS: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

const GOOGLE_ISSUER: &str = "https://accounts.google.com";

/// What the ID token must say to be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected<'a> {
    /// The issuer. For Microsoft's multi-tenant endpoints it may contain
    /// `{tenantid}`, which is replaced with the token's `tid` claim.
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// Unix seconds.
    pub now: u64,
}

/// The claims device-signin uses, from a validated ID token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdClaims {
    pub sub: String,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
    pub email: Option<String>,
    pub exp: u64,
    pub iat: u64,
}

/// Why an ID token was refused. No variant carries the token itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdTokenError {
    #[error("the ID token is not a well-formed JWT: {0}")]
    Malformed(String),
    #[error(
        "the ID token is signed with `{0}`, which is not accepted (use RS256, ES256, PS256 or EdDSA)"
    )]
    Algorithm(String),
    #[error(
        "the provider sent an ID token, but no `jwks_uri` is known to check it; set `issuer` (discovery) or `jwks_uri`"
    )]
    NoJwksUri,
    #[error(
        "the provider sent an ID token, but no `issuer` is known to check it against; set `issuer`"
    )]
    NoIssuer,
    #[error("cannot fetch the provider's keys from {url}: {source}")]
    Jwks { url: String, source: KeysError },
    #[error("the ID token is signed with key `{0}`, which is not in the provider's key set")]
    UnknownKey(String),
    #[error("the ID token's signature does not verify with the provider's keys")]
    BadSignature,
    #[error("the ID token has no `{0}` claim")]
    MissingClaim(&'static str),
    #[error("the ID token was issued by `{found}`, not by the configured issuer `{expected}`")]
    WrongIssuer { expected: String, found: String },
    #[error("the ID token is not meant for this client (`aud` does not contain `{client_id}`)")]
    WrongAudience { client_id: String },
    #[error("the ID token was issued to another party (`azp` is `{found}`, not `{client_id}`)")]
    WrongAuthorizedParty { client_id: String, found: String },
    #[error("the ID token expired {ago} s ago (check the device's clock)")]
    Expired { ago: u64 },
    #[error("the ID token is issued {ahead} s in the future (check the device's clock)")]
    IssuedInFuture { ahead: u64 },
    #[error("the refreshed ID token is for another user (`sub` changed)")]
    SubjectChanged,
}

/// Why the provider's key set could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeysError {
    /// No answer.
    #[error(transparent)]
    Transport(TransportError),
    /// An HTTP status other than 2xx.
    #[error("HTTP {0}")]
    Status(u16),
    /// An answer that is not a key set.
    #[error("{0}")]
    Unusable(String),
}

/// Something that can fetch a JWKS document. The real one is
/// [`HttpTransport`]; tests count fetches with a fake.
pub trait JwksFetcher: Sync {
    fn fetch_jwks(&self, url: &str) -> impl Future<Output = Result<Vec<u8>, KeysError>> + Send;
}

impl JwksFetcher for HttpTransport {
    async fn fetch_jwks(&self, url: &str) -> Result<Vec<u8>, KeysError> {
        let resp = self.get(url, None).await.map_err(KeysError::Transport)?;
        if !(200..300).contains(&resp.status) {
            return Err(KeysError::Status(resp.status));
        }
        Ok(resp.body)
    }
}

/// Key sets by `jwks_uri`. A key set is fetched once and refetched at most
/// once per validation, when the token names a key the cached set lacks
/// (the provider rotated its keys).
#[derive(Debug, Default)]
pub struct JwksCache {
    sets: Mutex<HashMap<String, Vec<Jwk>>>,
}

impl JwksCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The process-wide cache the front-ends share.
    pub fn global() -> &'static JwksCache {
        static CACHE: OnceLock<JwksCache> = OnceLock::new();
        CACHE.get_or_init(JwksCache::new)
    }

    fn cached(&self, url: &str) -> Option<Vec<Jwk>> {
        // A poisoned lock only means another thread panicked mid-insert of a
        // whole value; the map is still consistent.
        let sets = self.sets.lock().unwrap_or_else(|p| p.into_inner());
        sets.get(url).cloned()
    }

    async fn fetch(&self, url: &str, fetcher: &impl JwksFetcher) -> Result<Vec<Jwk>, IdTokenError> {
        let body = fetcher
            .fetch_jwks(url)
            .await
            .map_err(|source| IdTokenError::Jwks {
                url: url.to_owned(),
                source,
            })?;
        let keys = parse_jwks(&body).map_err(|detail| IdTokenError::Jwks {
            url: url.to_owned(),
            source: KeysError::Unusable(detail),
        })?;
        let mut sets = self.sets.lock().unwrap_or_else(|p| p.into_inner());
        sets.insert(url.to_owned(), keys.clone());
        Ok(keys)
    }

    /// Fetch the key set at `jwks_uri` unless it is cached, so that a later
    /// [`JwksCache::validate`] needs no round trip. A failure is only
    /// logged: validation fetches again.
    pub async fn prefetch(&self, jwks_uri: &str, fetcher: &impl JwksFetcher) {
        if self.cached(jwks_uri).is_some() {
            return;
        }
        match self.fetch(jwks_uri, fetcher).await {
            Ok(keys) => tracing::debug!(keys = keys.len(), "provider keys fetched ahead"),
            Err(e) => tracing::info!(error = %e, "provider keys not fetched ahead"),
        }
    }

    /// Validate `token` against the key set at `jwks_uri`.
    pub async fn validate(
        &self,
        token: &str,
        jwks_uri: &str,
        expected: &Expected<'_>,
        fetcher: &impl JwksFetcher,
    ) -> Result<IdClaims, IdTokenError> {
        let (keys, fresh) = match self.cached(jwks_uri) {
            Some(keys) => (keys, false),
            None => (self.fetch(jwks_uri, fetcher).await?, true),
        };
        match validate(token, &keys, expected) {
            Err(IdTokenError::UnknownKey(_)) if !fresh => {
                let keys = self.fetch(jwks_uri, fetcher).await?;
                validate(token, &keys, expected)
            }
            other => other,
        }
    }
}

/// The keys of a JWKS document. Keys this crate cannot use (encryption
/// keys, unknown types) are skipped rather than failing the whole set.
pub fn parse_jwks(body: &[u8]) -> Result<Vec<Jwk>, String> {
    let value: Value = serde_json::from_slice(body).map_err(|_| "not JSON".to_owned())?;
    let keys = value
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| "no `keys` array".to_owned())?;
    Ok(keys
        .iter()
        .filter_map(|k| serde_json::from_value::<Jwk>(k.clone()).ok())
        .filter(|k| !matches!(k.common.public_key_use, Some(PublicKeyUse::Encryption)))
        .collect())
}

/// Can `jwk` verify a signature made with `alg`?
fn key_fits(jwk: &Jwk, alg: Algorithm) -> bool {
    if let Some(key_alg) = jwk.common.key_algorithm {
        // A key that names its algorithm is used for that one only.
        if key_alg.to_string() != format!("{alg:?}") {
            return false;
        }
    }
    match (&jwk.algorithm, alg) {
        (AlgorithmParameters::RSA(_), a) => matches!(
            a,
            Algorithm::RS256
                | Algorithm::RS384
                | Algorithm::RS512
                | Algorithm::PS256
                | Algorithm::PS384
                | Algorithm::PS512
        ),
        (AlgorithmParameters::EllipticCurve(p), Algorithm::ES256) => p.curve == EllipticCurve::P256,
        (AlgorithmParameters::EllipticCurve(p), Algorithm::ES384) => p.curve == EllipticCurve::P384,
        (AlgorithmParameters::OctetKeyPair(p), Algorithm::EdDSA) => {
            p.curve == EllipticCurve::Ed25519
        }
        _ => false,
    }
}

/// Check an ID token's signature with `keys` and its claims with `expected`.
pub fn validate(
    token: &str,
    keys: &[Jwk],
    expected: &Expected<'_>,
) -> Result<IdClaims, IdTokenError> {
    let header =
        jsonwebtoken::decode_header(token).map_err(|e| IdTokenError::Malformed(e.to_string()))?;
    if !ACCEPTED_ALGORITHMS.contains(&header.alg) {
        return Err(IdTokenError::Algorithm(format!("{:?}", header.alg)));
    }
    let candidates: Vec<&Jwk> = match &header.kid {
        Some(kid) => {
            let found: Vec<&Jwk> = keys
                .iter()
                .filter(|k| k.common.key_id.as_deref() == Some(kid.as_str()))
                .collect();
            if found.is_empty() {
                return Err(IdTokenError::UnknownKey(kid.clone()));
            }
            found
        }
        None => keys.iter().collect(),
    };
    let mut validation = Validation::new(header.alg);
    // Claims are checked below, with the injected clock.
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_aud = false;
    let mut payload = None;
    for jwk in candidates.into_iter().filter(|k| key_fits(k, header.alg)) {
        let Ok(key) = DecodingKey::from_jwk(jwk) else {
            continue;
        };
        match jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation) {
            Ok(data) => {
                payload = Some(data.claims);
                break;
            }
            Err(e) => match e.kind() {
                jsonwebtoken::errors::ErrorKind::InvalidSignature
                | jsonwebtoken::errors::ErrorKind::InvalidEcdsaKey
                | jsonwebtoken::errors::ErrorKind::InvalidRsaKey(_)
                | jsonwebtoken::errors::ErrorKind::InvalidEddsaKey
                | jsonwebtoken::errors::ErrorKind::InvalidAlgorithm => {}
                _ => return Err(IdTokenError::Malformed(e.to_string())),
            },
        }
    }
    let claims = payload.ok_or(IdTokenError::BadSignature)?;
    check_claims(&claims, expected)
}

fn check_claims(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
) -> Result<IdClaims, IdTokenError> {
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let number = |name: &'static str| {
        claims
            .get(name)
            .and_then(Value::as_f64)
            .filter(|n| *n >= 0.0)
            .map(|n| n as u64)
            .ok_or(IdTokenError::MissingClaim(name))
    };

    let iss = text("iss").ok_or(IdTokenError::MissingClaim("iss"))?;
    let expected_issuer = if expected.issuer.contains("{tenantid}") {
        let tid = text("tid").ok_or(IdTokenError::MissingClaim("tid"))?;
        expected.issuer.replace("{tenantid}", &tid)
    } else {
        expected.issuer.to_owned()
    };
    // Google documents both spellings of its issuer for ID tokens.
    let google_alias = expected_issuer == GOOGLE_ISSUER && iss == "accounts.google.com";
    if iss != expected_issuer && !google_alias {
        return Err(IdTokenError::WrongIssuer {
            expected: expected_issuer,
            found: iss,
        });
    }

    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => return Err(IdTokenError::MissingClaim("aud")),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(IdTokenError::WrongAudience {
            client_id: expected.client_id.to_owned(),
        });
    }
    if let Some(azp) = text("azp") {
        if azp != expected.client_id {
            return Err(IdTokenError::WrongAuthorizedParty {
                client_id: expected.client_id.to_owned(),
                found: azp,
            });
        }
    }

    let exp = number("exp")?;
    let iat = number("iat")?;
    if exp.saturating_add(LEEWAY_SECS) < expected.now {
        return Err(IdTokenError::Expired {
            ago: expected.now - exp,
        });
    }
    if iat > expected.now.saturating_add(LEEWAY_SECS) {
        return Err(IdTokenError::IssuedInFuture {
            ahead: iat - expected.now,
        });
    }
    Ok(IdClaims {
        sub: text("sub").ok_or(IdTokenError::MissingClaim("sub"))?,
        name: text("name"),
        preferred_username: text("preferred_username"),
        email: text("email"),
        exp,
        iat,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use jsonwebtoken::{EncodingKey, Header};
    use serde_json::json;

    use super::*;

    const RSA_PEM: &str = include_str!("testdata/rsa.pem");
    const EC_PEM: &str = include_str!("testdata/ec.pem");
    const EC_OTHER_PEM: &str = include_str!("testdata/ec-other.pem");
    const JWKS: &str = include_str!("testdata/jwks.json");
    const NOW: u64 = 1_800_000_000;
    const ISSUER: &str = "https://id.example.com";

    fn keys() -> Vec<Jwk> {
        parse_jwks(JWKS.as_bytes()).unwrap()
    }

    fn expected() -> Expected<'static> {
        Expected {
            issuer: ISSUER,
            client_id: "tv-app",
            now: NOW,
        }
    }

    fn claims() -> Value {
        json!({
            "iss": ISSUER, "aud": "tv-app", "sub": "u-42",
            "iat": NOW - 5, "exp": NOW + 300,
            "name": "Ada Lovelace", "email": "ada@example.com",
        })
    }

    fn sign(alg: Algorithm, kid: Option<&str>, pem: &str, claims: &Value) -> String {
        let mut header = Header::new(alg);
        header.kid = kid.map(str::to_owned);
        let key = match alg {
            Algorithm::RS256 => EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
            _ => EncodingKey::from_ec_pem(pem.as_bytes()).unwrap(),
        };
        jsonwebtoken::encode(&header, claims, &key).unwrap()
    }

    fn es256(claims: &Value) -> String {
        sign(Algorithm::ES256, Some("ec-1"), EC_PEM, claims)
    }

    #[test]
    fn rs256_id_token_signed_by_a_jwks_key_is_accepted() {
        let token = sign(Algorithm::RS256, Some("rsa-1"), RSA_PEM, &claims());
        let c = validate(&token, &keys(), &expected()).unwrap();
        assert_eq!(c.sub, "u-42");
        assert_eq!(c.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(c.email.as_deref(), Some("ada@example.com"));
    }

    #[test]
    fn es256_id_token_signed_by_a_jwks_key_is_accepted() {
        let c = validate(&es256(&claims()), &keys(), &expected()).unwrap();
        assert_eq!(c.sub, "u-42");
    }

    #[test]
    fn id_token_without_kid_is_tried_against_every_fitting_key() {
        let token = sign(Algorithm::ES256, None, EC_PEM, &claims());
        assert!(validate(&token, &keys(), &expected()).is_ok());
    }

    #[test]
    fn id_token_signed_by_another_key_fails_the_signature_check() {
        let token = sign(Algorithm::ES256, Some("ec-1"), EC_OTHER_PEM, &claims());
        assert_eq!(
            validate(&token, &keys(), &expected()),
            Err(IdTokenError::BadSignature)
        );
    }

    #[test]
    fn id_token_with_a_tampered_payload_fails_the_signature_check() {
        let token = es256(&claims());
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let mut forged = claims();
        forged["sub"] = json!("admin");
        parts[1] = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            forged.to_string(),
        );
        assert_eq!(
            validate(&parts.join("."), &keys(), &expected()),
            Err(IdTokenError::BadSignature)
        );
    }

    #[test]
    fn id_token_signed_with_hmac_is_refused() {
        let key = EncodingKey::from_secret(b"client-secret");
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims(), &key).unwrap();
        assert_eq!(
            validate(&token, &keys(), &expected()),
            Err(IdTokenError::Algorithm("HS256".into()))
        );
    }

    #[test]
    fn id_token_from_another_issuer_is_refused() {
        let mut c = claims();
        c["iss"] = json!("https://evil.example.com");
        let err = validate(&es256(&c), &keys(), &expected()).unwrap_err();
        assert!(matches!(err, IdTokenError::WrongIssuer { .. }), "{err:?}");
    }

    #[test]
    fn id_token_for_another_audience_is_refused() {
        let mut c = claims();
        c["aud"] = json!(["other-app", "more"]);
        let err = validate(&es256(&c), &keys(), &expected()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the ID token is not meant for this client (`aud` does not contain `tv-app`)"
        );
    }

    #[test]
    fn id_token_audience_may_be_a_list_containing_the_client() {
        let mut c = claims();
        c["aud"] = json!(["api", "tv-app"]);
        assert!(validate(&es256(&c), &keys(), &expected()).is_ok());
    }

    #[test]
    fn id_token_with_a_foreign_azp_is_refused() {
        let mut c = claims();
        c["azp"] = json!("other-app");
        let err = validate(&es256(&c), &keys(), &expected()).unwrap_err();
        assert!(
            matches!(err, IdTokenError::WrongAuthorizedParty { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn expired_id_token_is_accepted_within_60_s_leeway_only() {
        let mut c = claims();
        c["exp"] = json!(NOW - 60);
        assert!(validate(&es256(&c), &keys(), &expected()).is_ok());
        c["exp"] = json!(NOW - 61);
        assert_eq!(
            validate(&es256(&c), &keys(), &expected()),
            Err(IdTokenError::Expired { ago: 61 })
        );
    }

    #[test]
    fn id_token_issued_in_the_future_is_accepted_within_60_s_leeway_only() {
        let mut c = claims();
        c["iat"] = json!(NOW + 60);
        assert!(validate(&es256(&c), &keys(), &expected()).is_ok());
        c["iat"] = json!(NOW + 61);
        assert_eq!(
            validate(&es256(&c), &keys(), &expected()),
            Err(IdTokenError::IssuedInFuture { ahead: 61 })
        );
    }

    #[test]
    fn id_token_without_exp_or_iat_is_refused() {
        for claim in ["exp", "iat", "sub", "aud"] {
            let mut c = claims();
            c.as_object_mut().unwrap().remove(claim);
            let err = validate(&es256(&c), &keys(), &expected()).unwrap_err();
            assert!(
                matches!(err, IdTokenError::MissingClaim(_)),
                "{claim}: {err:?}"
            );
        }
    }

    #[test]
    fn microsoft_tenant_placeholder_in_issuer_is_filled_from_tid() {
        let ms = "https://login.microsoftonline.com/{tenantid}/v2.0";
        let exp = Expected {
            issuer: ms,
            ..expected()
        };
        let mut c = claims();
        c["tid"] = json!("9188040d-6c67-4c5b-b112-36a304b66dad");
        c["iss"] =
            json!("https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0");
        assert!(validate(&es256(&c), &keys(), &exp).is_ok());
        c["iss"] = json!("https://login.microsoftonline.com/another-tenant/v2.0");
        assert!(matches!(
            validate(&es256(&c), &keys(), &exp),
            Err(IdTokenError::WrongIssuer { .. })
        ));
    }

    #[test]
    fn google_issuer_is_accepted_without_its_scheme_as_google_documents() {
        let exp = Expected {
            issuer: "https://accounts.google.com",
            ..expected()
        };
        let mut c = claims();
        c["iss"] = json!("accounts.google.com");
        assert!(validate(&es256(&c), &keys(), &exp).is_ok());
        // Only for Google.
        c["iss"] = json!("id.example.com");
        assert!(validate(&es256(&c), &keys(), &expected()).is_err());
    }

    #[test]
    fn jwks_skips_encryption_and_unknown_keys() {
        let keys = keys();
        assert_eq!(keys.len(), 2);
        assert!(
            keys.iter()
                .all(|k| k.common.key_id.as_deref() != Some("enc-1"))
        );
    }

    #[test]
    fn id_token_errors_never_contain_the_token() {
        let token = sign(Algorithm::ES256, Some("ec-1"), EC_OTHER_PEM, &claims());
        let err = validate(&token, &keys(), &expected()).unwrap_err();
        assert!(!err.to_string().contains(&token[..20]));
        assert!(!format!("{err:?}").contains(&token[..20]));
    }

    /// Serves a key set and counts the fetches.
    struct CountingFetcher {
        bodies: Vec<String>,
        calls: AtomicUsize,
    }

    impl JwksFetcher for CountingFetcher {
        async fn fetch_jwks(&self, _url: &str) -> Result<Vec<u8>, KeysError> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let body = &self.bodies[n.min(self.bodies.len() - 1)];
            Ok(body.clone().into_bytes())
        }
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn jwks_is_fetched_once_and_then_cached() {
        let cache = JwksCache::new();
        let fetcher = CountingFetcher {
            bodies: vec![JWKS.into()],
            calls: AtomicUsize::new(0),
        };
        for _ in 0..3 {
            block_on(cache.validate(&es256(&claims()), "https://id/jwks", &expected(), &fetcher))
                .unwrap();
        }
        assert_eq!(fetcher.calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn jwks_is_refetched_once_for_an_unknown_kid() {
        let cache = JwksCache::new();
        let rsa_only = {
            let mut v: Value = serde_json::from_str(JWKS).unwrap();
            v["keys"]
                .as_array_mut()
                .unwrap()
                .retain(|k| k["kid"] == "rsa-1");
            v.to_string()
        };
        let fetcher = CountingFetcher {
            bodies: vec![rsa_only, JWKS.into()],
            calls: AtomicUsize::new(0),
        };
        let rs = sign(Algorithm::RS256, Some("rsa-1"), RSA_PEM, &claims());
        block_on(cache.validate(&rs, "https://id/jwks", &expected(), &fetcher)).unwrap();
        // ec-1 is new: one refetch finds it.
        block_on(cache.validate(&es256(&claims()), "https://id/jwks", &expected(), &fetcher))
            .unwrap();
        assert_eq!(fetcher.calls.load(Ordering::SeqCst), 2);
        // A kid nobody has: one more fetch, then a clear error.
        let ghost = sign(Algorithm::ES256, Some("ghost"), EC_PEM, &claims());
        assert_eq!(
            block_on(cache.validate(&ghost, "https://id/jwks", &expected(), &fetcher)),
            Err(IdTokenError::UnknownKey("ghost".into()))
        );
        assert_eq!(fetcher.calls.load(Ordering::SeqCst), 3);
    }
}
