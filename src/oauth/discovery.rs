//! Endpoint discovery from an issuer: OpenID Connect Discovery 1.0, falling
//! back to OAuth 2.0 Authorization Server Metadata (RFC 8414).
//!
//! The parsing is pure ([`parse_metadata`]); [`discover`] adds the two GETs.

use serde_json::{Map, Value};

use super::http::HttpTransport;
use super::wire::{TransportError, check_trusted_uri};
use crate::provider::Endpoints;

/// Why discovery did not produce usable endpoints.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiscoveryError {
    /// The request failed in transit.
    #[error("cannot fetch {url}: {source}")]
    Request { url: String, source: TransportError },
    /// Neither well-known document exists.
    #[error(
        "no discovery document for issuer `{issuer}`: {oidc_url} answered HTTP {oidc_status} \
         and {oauth_url} answered HTTP {oauth_status}; check `issuer`"
    )]
    NotFound {
        issuer: String,
        oidc_url: String,
        oidc_status: u16,
        oauth_url: String,
        oauth_status: u16,
    },
    /// The server failed (5xx).
    #[error("{url} answered HTTP {status}")]
    Server { url: String, status: u16 },
    #[error("the discovery document at {url} is not a JSON object")]
    NotJson { url: String },
    /// OIDC Discovery §4.3 / RFC 8414 §3.3: the document must name the issuer asked for.
    #[error(
        "the discovery document names issuer `{found}`, but the configured issuer is \
         `{expected}`; they must be identical (check `issuer`, including any trailing slash)"
    )]
    IssuerMismatch { expected: String, found: String },
    #[error(
        "the provider at `{issuer}` does not support the device flow: its discovery document \
         has no `device_authorization_endpoint`"
    )]
    NoDeviceFlow { issuer: String },
    #[error("the discovery document has no `{0}`")]
    MissingField(&'static str),
    #[error("the discovery document has a bad `{field}`: {problem}")]
    BadField {
        field: &'static str,
        problem: String,
    },
}

impl DiscoveryError {
    /// True when the fault is the configuration or the provider's
    /// capabilities, not the network or a passing server failure.
    pub fn is_config(&self) -> bool {
        !matches!(self, Self::Request { .. } | Self::Server { .. })
    }
}

/// The OpenID Connect location: `{issuer}/.well-known/openid-configuration`.
pub fn openid_configuration_url(issuer: &str) -> String {
    format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    )
}

/// The RFC 8414 §3.1 location: the well-known segment goes between the host
/// and the issuer's path (`https://h/.well-known/oauth-authorization-server/p`).
pub fn authorization_server_metadata_url(issuer: &str) -> String {
    const SEGMENT: &str = "/.well-known/oauth-authorization-server";
    match url::Url::parse(issuer) {
        Ok(url) => {
            let path = url.path().trim_end_matches('/');
            let mut origin = url.origin().ascii_serialization();
            origin.push_str(SEGMENT);
            origin.push_str(path);
            origin
        }
        Err(_) => format!("{}{SEGMENT}", issuer.trim_end_matches('/')),
    }
}

/// Check a metadata document against the configured issuer and take the
/// endpoints from it.
pub fn parse_metadata(body: &[u8], expected_issuer: &str) -> Result<Endpoints, MetadataError> {
    let map: Map<String, Value> = match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => map,
        _ => return Err(MetadataError::NotJson),
    };
    let text = |field: &'static str| -> Result<Option<String>, DiscoveryError> {
        match map.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(DiscoveryError::BadField {
                field,
                problem: "is not a string".into(),
            }),
        }
    };
    let issuer = text("issuer")?.ok_or(DiscoveryError::MissingField("issuer"))?;
    if issuer != expected_issuer {
        return Err(DiscoveryError::IssuerMismatch {
            expected: expected_issuer.to_owned(),
            found: issuer,
        }
        .into());
    }
    let endpoint = |field: &'static str| -> Result<Option<String>, DiscoveryError> {
        match text(field)? {
            None => Ok(None),
            Some(url) => check_trusted_uri(&url)
                .map(|()| Some(url))
                .map_err(|problem| DiscoveryError::BadField { field, problem }),
        }
    };
    let device =
        endpoint("device_authorization_endpoint")?.ok_or_else(|| DiscoveryError::NoDeviceFlow {
            issuer: issuer.clone(),
        })?;
    let token =
        endpoint("token_endpoint")?.ok_or(DiscoveryError::MissingField("token_endpoint"))?;
    Ok(Endpoints {
        issuer: Some(issuer),
        device_authorization_endpoint: device,
        token_endpoint: token,
        revocation_endpoint: endpoint("revocation_endpoint")?,
        userinfo_endpoint: endpoint("userinfo_endpoint")?,
        jwks_uri: endpoint("jwks_uri")?,
    })
}

/// [`parse_metadata`]'s failure: not JSON at all (worth trying the other
/// location), or a real document with a problem.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetadataError {
    #[error("not a JSON object")]
    NotJson,
    #[error(transparent)]
    Invalid(#[from] DiscoveryError),
}

/// Fetch and check the provider's metadata. The OpenID document is tried
/// first; the RFC 8414 one only when the first is absent (a 4xx or not JSON).
pub async fn discover(
    issuer: &str,
    transport: &HttpTransport,
) -> Result<Endpoints, DiscoveryError> {
    let oidc_url = openid_configuration_url(issuer);
    let oidc_status = match fetch(&oidc_url, issuer, transport).await? {
        Fetched::Found(endpoints) => return Ok(endpoints),
        Fetched::Absent(status) => status,
    };
    let oauth_url = authorization_server_metadata_url(issuer);
    match fetch(&oauth_url, issuer, transport).await? {
        Fetched::Found(endpoints) => Ok(endpoints),
        Fetched::Absent(oauth_status) => Err(DiscoveryError::NotFound {
            issuer: issuer.to_owned(),
            oidc_url,
            oidc_status,
            oauth_url,
            oauth_status,
        }),
    }
}

enum Fetched {
    Found(Endpoints),
    /// Not there: the HTTP status (a 2xx means "not JSON").
    Absent(u16),
}

async fn fetch(
    url: &str,
    issuer: &str,
    transport: &HttpTransport,
) -> Result<Fetched, DiscoveryError> {
    tracing::debug!(url, "discovery");
    let resp = transport
        .get(url, None)
        .await
        .map_err(|source| DiscoveryError::Request {
            url: url.to_owned(),
            source,
        })?;
    match resp.status {
        200..=299 => match parse_metadata(&resp.body, issuer) {
            Ok(endpoints) => Ok(Fetched::Found(endpoints)),
            Err(MetadataError::NotJson) => Ok(Fetched::Absent(resp.status)),
            Err(MetadataError::Invalid(e)) => Err(e),
        },
        status @ 500..=599 => Err(DiscoveryError::Server {
            url: url.to_owned(),
            status,
        }),
        status => Ok(Fetched::Absent(status)),
    }
}

/// A loopback HTTP server for tests that need real requests.
#[cfg(test)]
pub(crate) mod test_server {
    use axum::http::{StatusCode, Uri};
    use axum::response::IntoResponse as _;

    /// `(path, status, body)`.
    pub type Route = (&'static str, u16, String);

    /// Serve `routes(base_url)` on a free loopback port; other paths answer
    /// 404. The server lives as long as the test's runtime.
    pub async fn serve(routes: impl FnOnce(&str) -> Vec<Route>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes = routes(&base);
        let app = axum::Router::new().fallback(move |uri: Uri| {
            let found = routes.iter().find(|(p, _, _)| *p == uri.path()).cloned();
            async move {
                match found {
                    Some((_, status, body)) => {
                        (StatusCode::from_u16(status).unwrap(), body).into_response()
                    }
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "https://id.example.com";

    fn doc(extra: &str) -> Vec<u8> {
        format!(
            r#"{{"issuer":"https://id.example.com",
                "token_endpoint":"https://id.example.com/token",
                "jwks_uri":"https://id.example.com/jwks",
                "userinfo_endpoint":"https://id.example.com/me",
                "revocation_endpoint":"https://id.example.com/revoke"{extra}}}"#
        )
        .into_bytes()
    }

    #[test]
    fn discovery_takes_device_token_revocation_userinfo_and_jwks() {
        let body = doc(r#","device_authorization_endpoint":"https://id.example.com/device""#);
        let e = parse_metadata(&body, ISSUER).unwrap();
        assert_eq!(e.issuer.as_deref(), Some(ISSUER));
        assert_eq!(
            e.device_authorization_endpoint,
            "https://id.example.com/device"
        );
        assert_eq!(e.token_endpoint, "https://id.example.com/token");
        assert_eq!(
            e.revocation_endpoint.as_deref(),
            Some("https://id.example.com/revoke")
        );
        assert_eq!(
            e.userinfo_endpoint.as_deref(),
            Some("https://id.example.com/me")
        );
        assert_eq!(e.jwks_uri.as_deref(), Some("https://id.example.com/jwks"));
    }

    #[test]
    fn discovery_rejects_a_document_for_another_issuer() {
        let body = doc(r#","device_authorization_endpoint":"https://id.example.com/device""#);
        let err = parse_metadata(&body, "https://id.example.com/").unwrap_err();
        let MetadataError::Invalid(e @ DiscoveryError::IssuerMismatch { .. }) = err else {
            panic!("{err:?}")
        };
        assert!(e.is_config());
        let text = e.to_string();
        assert!(text.contains("`https://id.example.com`"), "{text}");
        assert!(text.contains("`https://id.example.com/`"), "{text}");
    }

    #[test]
    fn discovery_without_device_endpoint_says_the_provider_has_no_device_flow() {
        let err = parse_metadata(&doc(""), ISSUER).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the provider at `https://id.example.com` does not support the device flow: \
             its discovery document has no `device_authorization_endpoint`"
        );
    }

    #[test]
    fn discovery_refuses_plain_http_endpoints_off_loopback() {
        let body = doc(r#","device_authorization_endpoint":"http://id.example.com/device""#);
        let err = parse_metadata(&body, ISSUER).unwrap_err();
        assert!(
            matches!(
                err,
                MetadataError::Invalid(DiscoveryError::BadField {
                    field: "device_authorization_endpoint",
                    ..
                })
            ),
            "{err:?}"
        );
    }

    #[test]
    fn discovery_body_that_is_not_json_is_reported_as_such() {
        assert_eq!(
            parse_metadata(b"<html>", ISSUER).unwrap_err(),
            MetadataError::NotJson
        );
    }

    #[test]
    fn openid_location_appends_to_the_issuer_path() {
        assert_eq!(
            openid_configuration_url("https://kc.example/realms/tv"),
            "https://kc.example/realms/tv/.well-known/openid-configuration"
        );
        assert_eq!(
            openid_configuration_url("https://tenant.auth0.com/"),
            "https://tenant.auth0.com/.well-known/openid-configuration"
        );
    }

    #[test]
    fn rfc8414_location_inserts_the_well_known_segment_before_the_path() {
        assert_eq!(
            authorization_server_metadata_url("https://kc.example/realms/tv"),
            "https://kc.example/.well-known/oauth-authorization-server/realms/tv"
        );
        assert_eq!(
            authorization_server_metadata_url("https://as.example"),
            "https://as.example/.well-known/oauth-authorization-server"
        );
    }

    use super::test_server::serve;

    fn metadata(issuer: &str) -> String {
        format!(
            r#"{{"issuer":"{issuer}","device_authorization_endpoint":"{issuer}/device",
                "token_endpoint":"{issuer}/token"}}"#
        )
    }

    #[tokio::test]
    async fn discovery_falls_back_to_rfc8414_metadata() {
        let base = serve(|base| {
            vec![(
                "/.well-known/oauth-authorization-server/tenant",
                200,
                metadata(&format!("{base}/tenant")),
            )]
        })
        .await;
        let issuer = format!("{base}/tenant");
        let transport = HttpTransport::new().unwrap();
        let e = discover(&issuer, &transport).await.unwrap();
        assert_eq!(e.device_authorization_endpoint, format!("{issuer}/device"));
    }

    #[tokio::test]
    async fn discovery_prefers_the_openid_document() {
        let base = serve(|base| {
            vec![
                ("/.well-known/openid-configuration", 200, metadata(base)),
                ("/.well-known/oauth-authorization-server", 200, "{}".into()),
            ]
        })
        .await;
        let transport = HttpTransport::new().unwrap();
        let e = discover(&base, &transport).await.unwrap();
        assert_eq!(e.token_endpoint, format!("{base}/token"));
    }

    #[tokio::test]
    async fn discovery_without_any_document_names_both_locations() {
        let base = serve(|_| vec![]).await;
        let transport = HttpTransport::new().unwrap();
        let err = discover(&base, &transport).await.unwrap_err();
        assert!(err.is_config());
        let text = err.to_string();
        assert!(
            text.contains("/.well-known/openid-configuration answered HTTP 404"),
            "{text}"
        );
        assert!(
            text.contains("/.well-known/oauth-authorization-server answered HTTP 404"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn discovery_server_error_is_not_a_configuration_error() {
        let base = serve(|_| vec![("/.well-known/openid-configuration", 503, String::new())]).await;
        let transport = HttpTransport::new().unwrap();
        let err = discover(&base, &transport).await.unwrap_err();
        assert!(!err.is_config(), "{err:?}");
    }
}
