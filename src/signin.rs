//! The steps around the device flow that every front-end shares:
//! resolving endpoints before it ([`resolve_endpoints`]), and checking and
//! storing the result after it ([`finish`]).

use std::path::Path;

use serde_json::Value;

use crate::oauth::discovery::{self, DiscoveryError};
use crate::oauth::http::HttpTransport;
use crate::oauth::idtoken::{Expected, IdClaims, IdTokenError, JwksCache};
use crate::oauth::{FlowError, TokenResponse};
use crate::provider::{EndpointSource, Endpoints, Provider};
use crate::store::{self, StoreError, StoredTokens};

/// Who signed in, for the success screen (RFC 8628 §5: show it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub sub: Option<String>,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
    pub email: Option<String>,
}

impl Identity {
    /// "name", else e-mail, else username, else subject.
    pub fn display_name(&self) -> Option<&str> {
        self.name
            .as_deref()
            .or(self.email.as_deref())
            .or(self.preferred_username.as_deref())
            .or(self.sub.as_deref())
    }

    /// Has it anything a person would recognise (more than the subject)?
    fn is_recognisable(&self) -> bool {
        self.name.is_some() || self.email.is_some() || self.preferred_username.is_some()
    }

    fn from_claims(c: &IdClaims) -> Self {
        Self {
            sub: Some(c.sub.clone()),
            name: c.name.clone(),
            preferred_username: c.preferred_username.clone(),
            email: c.email.clone(),
        }
    }

    /// Fill the gaps from another source; what is already known stays.
    fn fill_from(&mut self, other: Identity) {
        self.sub = self.sub.take().or(other.sub);
        self.name = self.name.take().or(other.name);
        self.preferred_username = self.preferred_username.take().or(other.preferred_username);
        self.email = self.email.take().or(other.email);
    }

    /// The identity kept in a store record.
    pub fn from_stored(t: &StoredTokens) -> Self {
        Self {
            sub: t.sub.clone(),
            name: t.name.clone(),
            preferred_username: t.preferred_username.clone(),
            email: t.email.clone(),
        }
    }

    fn write_to(&self, t: &mut StoredTokens) {
        t.sub = self.sub.clone();
        t.name = self.name.clone();
        t.preferred_username = self.preferred_username.clone();
        t.email = self.email.clone();
    }
}

impl From<DiscoveryError> for FlowError {
    fn from(e: DiscoveryError) -> Self {
        if e.is_config() {
            FlowError::Config(e.to_string())
        } else {
            FlowError::Request(e.to_string())
        }
    }
}

impl From<IdTokenError> for FlowError {
    fn from(e: IdTokenError) -> Self {
        match e {
            IdTokenError::NoJwksUri | IdTokenError::NoIssuer => {
                FlowError::Config(format!("cannot check the ID token: {e}"))
            }
            IdTokenError::Jwks { .. } => FlowError::Request(e.to_string()),
            other => FlowError::InvalidResponse(format!(
                "sign-in refused, the ID token is invalid: {other}"
            )),
        }
    }
}

impl From<StoreError> for FlowError {
    fn from(e: StoreError) -> Self {
        FlowError::Config(format!("cannot store the tokens: {e}"))
    }
}

/// The endpoints of a provider: as configured, or by discovery.
pub async fn resolve_endpoints(
    provider: &Provider,
    transport: &HttpTransport,
) -> Result<Endpoints, FlowError> {
    match &provider.endpoints {
        EndpointSource::Explicit(e) => Ok(e.clone()),
        EndpointSource::Issuer(issuer) => Ok(discovery::discover(issuer, transport).await?),
    }
}

/// Check an ID token from `provider` (OIDC Core §3.1.3.7) with the shared
/// key cache.
pub async fn check_id_token(
    provider: &Provider,
    endpoints: &Endpoints,
    id_token: &str,
    transport: &HttpTransport,
) -> Result<IdClaims, IdTokenError> {
    let issuer = endpoints.issuer.as_deref().ok_or(IdTokenError::NoIssuer)?;
    let jwks_uri = endpoints
        .jwks_uri
        .as_deref()
        .ok_or(IdTokenError::NoJwksUri)?;
    let expected = Expected {
        issuer,
        client_id: &provider.client_id,
        now: store::unix_now(),
    };
    JwksCache::global()
        .validate(id_token, jwks_uri, &expected, transport)
        .await
}

/// The identity from the userinfo endpoint (or GitHub's `/user`), if it
/// answers. Failures are logged, not fatal: the sign-in itself succeeded.
async fn userinfo(url: &str, access_token: &str, transport: &HttpTransport) -> Option<Identity> {
    let resp = match transport.get(url, Some(access_token)).await {
        Ok(r) if (200..300).contains(&r.status) => r,
        Ok(r) => {
            tracing::warn!(status = r.status, "userinfo refused");
            return None;
        }
        Err(e) => {
            tracing::warn!(error = %e, "userinfo failed");
            return None;
        }
    };
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&resp.body) else {
        tracing::warn!("userinfo answer is not a JSON object");
        return None;
    };
    Some(identity_from_userinfo(&map))
}

/// OIDC userinfo claims, or GitHub's `/user` fields (`id`, `login`).
pub fn identity_from_userinfo(map: &serde_json::Map<String, Value>) -> Identity {
    let text = |k: &str| {
        map.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Identity {
        sub: text("sub").or_else(|| match map.get("id") {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        }),
        name: text("name"),
        preferred_username: text("preferred_username").or_else(|| text("login")),
        email: text("email"),
    }
}

/// Learn who signed in: the validated ID token's claims, topped up from
/// userinfo when they name no one recognisable.
async fn identify(
    provider: &Provider,
    endpoints: &Endpoints,
    tokens: &TokenResponse,
    transport: &HttpTransport,
) -> Result<Identity, FlowError> {
    let mut identity = Identity::default();
    if let Some(id_token) = &tokens.id_token {
        let claims = check_id_token(provider, endpoints, id_token.expose(), transport).await?;
        identity = Identity::from_claims(&claims);
    }
    if !identity.is_recognisable() {
        if let Some(url) = &endpoints.userinfo_endpoint {
            if let Some(info) = userinfo(url, tokens.access_token.expose(), transport).await {
                // OIDC Core §5.3.4: userinfo about someone else is not used.
                if identity.sub.is_some() && info.sub.is_some() && identity.sub != info.sub {
                    return Err(FlowError::InvalidResponse(
                        "sign-in refused: userinfo describes another user than the ID token".into(),
                    ));
                }
                identity.fill_from(info);
            }
        }
    }
    Ok(identity)
}

/// After a grant: check the ID token, learn who signed in, store the tokens.
/// Nothing is stored unless every check passed.
pub async fn finish(
    provider: &Provider,
    endpoints: &Endpoints,
    tokens: &TokenResponse,
    data_dir: Option<&Path>,
    transport: &HttpTransport,
) -> Result<Identity, FlowError> {
    let identity = identify(provider, endpoints, tokens, transport).await?;
    let dir = store::resolve_dir(data_dir)?;
    let mut record = StoredTokens::from_response(&provider.id, tokens, store::unix_now());
    identity.write_to(&mut record);
    store::save(&dir, &record)?;
    Ok(identity)
}

/// Check the ID token a refresh returned (OIDC Core §12.2: same `iss`,
/// `sub`, `aud`) and update the record's identity.
pub async fn check_refreshed_id_token(
    provider: &Provider,
    endpoints: &Endpoints,
    record: &mut StoredTokens,
    new_id_token: &str,
    transport: &HttpTransport,
) -> Result<(), IdTokenError> {
    let claims = check_id_token(provider, endpoints, new_id_token, transport).await?;
    if record.sub.as_deref().is_some_and(|old| old != claims.sub) {
        return Err(IdTokenError::SubjectChanged);
    }
    let mut identity = Identity::from_claims(&claims);
    identity.fill_from(Identity::from_stored(record));
    identity.write_to(record);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_user_fields_map_to_an_identity() {
        let map =
            serde_json::from_str(r#"{"id": 583231, "login": "octocat", "name": "The Octocat"}"#)
                .unwrap();
        let id = identity_from_userinfo(&map);
        assert_eq!(id.sub.as_deref(), Some("583231"));
        assert_eq!(id.preferred_username.as_deref(), Some("octocat"));
        assert_eq!(id.display_name(), Some("The Octocat"));
    }

    #[test]
    fn identity_gaps_are_filled_without_overwriting() {
        let mut a = Identity {
            sub: Some("s".into()),
            ..Default::default()
        };
        a.fill_from(Identity {
            sub: Some("other".into()),
            email: Some("e@x".into()),
            ..Default::default()
        });
        assert_eq!(a.sub.as_deref(), Some("s"));
        assert_eq!(a.email.as_deref(), Some("e@x"));
    }

    #[test]
    fn id_token_without_jwks_uri_is_a_configuration_error() {
        let e: FlowError = IdTokenError::NoJwksUri.into();
        assert_eq!(e.kind(), crate::oauth::FailureKind::Config);
    }

    #[test]
    fn wrong_issuer_from_discovery_is_a_configuration_error() {
        let e: FlowError = DiscoveryError::IssuerMismatch {
            expected: "a".into(),
            found: "b".into(),
        }
        .into();
        assert_eq!(e.kind(), crate::oauth::FailureKind::Config);
    }

    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    use serde_json::json;

    use crate::oauth::discovery::test_server::serve;

    const EC_PEM: &str = include_str!("oauth/testdata/ec.pem");
    const EC_OTHER_PEM: &str = include_str!("oauth/testdata/ec-other.pem");
    const JWKS: &str = include_str!("oauth/testdata/jwks.json");

    fn id_token(pem: &str, claims: serde_json::Value) -> String {
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some("ec-1".into());
        let key = EncodingKey::from_ec_pem(pem.as_bytes()).unwrap();
        jsonwebtoken::encode(&header, &claims, &key).unwrap()
    }

    /// A provider whose JWKS and userinfo are served locally; userinfo
    /// says `userinfo_sub`.
    async fn provider(userinfo_sub: &str) -> (Provider, Endpoints) {
        let me = json!({"sub": userinfo_sub, "name": "Ada Lovelace"}).to_string();
        let base = serve(|_| vec![("/jwks", 200, JWKS.into()), ("/me", 200, me)]).await;
        let endpoints = Endpoints {
            issuer: Some(base.clone()),
            device_authorization_endpoint: format!("{base}/device"),
            token_endpoint: format!("{base}/token"),
            revocation_endpoint: None,
            userinfo_endpoint: Some(format!("{base}/me")),
            jwks_uri: Some(format!("{base}/jwks")),
        };
        let provider = Provider {
            id: "local".into(),
            name: "Local".into(),
            client_id: "tv-app".into(),
            client_secret: None,
            client_auth: crate::oauth::ClientAuth::None,
            scope: None,
            scope_param: "scope".into(),
            extra_params: vec![],
            endpoints: EndpointSource::Explicit(endpoints.clone()),
            preset: None,
            demo: false,
        };
        (provider, endpoints)
    }

    fn tokens(id_token: Option<String>) -> TokenResponse {
        let mut v = json!({"access_token": "at-1", "refresh_token": "rt-1", "expires_in": 600});
        if let Some(t) = id_token {
            v["id_token"] = json!(t);
        }
        serde_json::from_value(v).unwrap()
    }

    fn claims(issuer: &str) -> serde_json::Value {
        let now = store::unix_now();
        json!({"iss": issuer, "aud": "tv-app", "sub": "u-1", "iat": now, "exp": now + 300,
               "email": "ada@example.com"})
    }

    #[tokio::test]
    async fn finish_with_a_valid_id_token_stores_tokens_and_identity() {
        let (provider, endpoints) = provider("u-1").await;
        let token = id_token(EC_PEM, claims(endpoints.issuer.as_deref().unwrap()));
        let dir = tempfile::tempdir().unwrap();
        let transport = HttpTransport::new().unwrap();
        let identity = finish(
            &provider,
            &endpoints,
            &tokens(Some(token)),
            Some(dir.path()),
            &transport,
        )
        .await
        .unwrap();
        assert_eq!(identity.sub.as_deref(), Some("u-1"));
        assert_eq!(identity.email.as_deref(), Some("ada@example.com"));
        let stored = store::load(dir.path(), "local").unwrap().unwrap();
        assert_eq!(stored.access_token.expose(), "at-1");
        assert_eq!(stored.email.as_deref(), Some("ada@example.com"));
    }

    #[tokio::test]
    async fn finish_with_an_invalid_id_token_fails_and_stores_nothing() {
        let (provider, endpoints) = provider("u-1").await;
        let forged = id_token(EC_OTHER_PEM, claims(endpoints.issuer.as_deref().unwrap()));
        let dir = tempfile::tempdir().unwrap();
        let transport = HttpTransport::new().unwrap();
        let err = finish(
            &provider,
            &endpoints,
            &tokens(Some(forged)),
            Some(dir.path()),
            &transport,
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "sign-in refused, the ID token is invalid: the ID token's signature does not verify \
             with the provider's keys"
        );
        assert!(store::list(dir.path()).unwrap().is_empty());
    }

    #[tokio::test]
    async fn finish_uses_userinfo_when_the_id_token_names_no_one() {
        let (provider, endpoints) = provider("u-1").await;
        let mut c = claims(endpoints.issuer.as_deref().unwrap());
        c.as_object_mut().unwrap().remove("email");
        let token = id_token(EC_PEM, c);
        let dir = tempfile::tempdir().unwrap();
        let transport = HttpTransport::new().unwrap();
        let identity = finish(
            &provider,
            &endpoints,
            &tokens(Some(token)),
            Some(dir.path()),
            &transport,
        )
        .await
        .unwrap();
        assert_eq!(identity.name.as_deref(), Some("Ada Lovelace"));
    }

    #[tokio::test]
    async fn finish_without_id_token_takes_the_identity_from_userinfo() {
        let (provider, endpoints) = provider("u-9").await;
        let dir = tempfile::tempdir().unwrap();
        let transport = HttpTransport::new().unwrap();
        let identity = finish(
            &provider,
            &endpoints,
            &tokens(None),
            Some(dir.path()),
            &transport,
        )
        .await
        .unwrap();
        assert_eq!(identity.sub.as_deref(), Some("u-9"));
        assert_eq!(identity.display_name(), Some("Ada Lovelace"));
    }

    #[tokio::test]
    async fn finish_refuses_userinfo_about_another_user_and_stores_nothing() {
        let (provider, endpoints) = provider("someone-else").await;
        let mut c = claims(endpoints.issuer.as_deref().unwrap());
        c.as_object_mut().unwrap().remove("email");
        let token = id_token(EC_PEM, c);
        let dir = tempfile::tempdir().unwrap();
        let transport = HttpTransport::new().unwrap();
        let err = finish(
            &provider,
            &endpoints,
            &tokens(Some(token)),
            Some(dir.path()),
            &transport,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("another user"), "{err}");
        assert!(store::list(dir.path()).unwrap().is_empty());
    }
}
