//! Endpoint discovery from an issuer: OpenID Connect Discovery 1.0, falling
//! back to OAuth 2.0 Authorization Server Metadata (RFC 8414).
//!
//! The parsing is pure ([`parse_metadata`]); `discover` (with the `reqwest` feature) adds the GETs.

use serde_json::{Map, Value};

#[cfg(feature = "reqwest")]
use crate::http::HttpTransport;
use crate::wire::{TransportError, check_trusted_uri};

/// The endpoints a sign-in needs. The device and token endpoints are
/// required; the others enable revocation, userinfo and ID token checks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Endpoints {
    /// The issuer identifier, when known: ID tokens must name it in `iss`.
    pub issuer: Option<String>,
    /// RFC 8628 §3.1: where the device asks for a code.
    pub device_authorization_endpoint: String,
    /// RFC 6749 §3.2: where the device polls, refreshes.
    pub token_endpoint: String,
    /// RFC 7009: where tokens are revoked.
    pub revocation_endpoint: Option<String>,
    /// OIDC Core §5.3: who signed in, when the ID token does not say.
    pub userinfo_endpoint: Option<String>,
    /// The provider's signing keys, to check ID tokens.
    pub jwks_uri: Option<String>,
    /// RFC 8414 `revocation_endpoint_auth_methods_supported`, when the
    /// metadata names them.
    pub revocation_auth_methods: Vec<String>,
}

impl Endpoints {
    /// Fill what is not configured from discovered metadata. What is
    /// configured stays, the device and token endpoints included.
    pub fn fill_from(&mut self, discovered: &Endpoints) {
        let fill = |mine: &mut Option<String>, theirs: &Option<String>| {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        };
        fill(&mut self.issuer, &discovered.issuer);
        fill(
            &mut self.revocation_endpoint,
            &discovered.revocation_endpoint,
        );
        fill(&mut self.userinfo_endpoint, &discovered.userinfo_endpoint);
        fill(&mut self.jwks_uri, &discovered.jwks_uri);
        if self.revocation_auth_methods.is_empty() {
            self.revocation_auth_methods
                .clone_from(&discovered.revocation_auth_methods);
        }
    }

    /// Explicit device and token endpoints, nothing else.
    pub fn new(
        device_authorization_endpoint: impl Into<String>,
        token_endpoint: impl Into<String>,
    ) -> Self {
        Self {
            device_authorization_endpoint: device_authorization_endpoint.into(),
            token_endpoint: token_endpoint.into(),
            ..Self::default()
        }
    }
}

/// Why discovery did not produce usable endpoints.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiscoveryError {
    /// The request failed in transit.
    #[error("cannot fetch {url}: {source}")]
    Request {
        /// The document's URL.
        url: String,
        /// What failed.
        source: TransportError,
    },
    /// Neither well-known document exists.
    #[error(
        "no discovery document for issuer `{issuer}`: {oidc_url} answered HTTP {oidc_status} \
         and {oauth_url} answered HTTP {oauth_status}; check `issuer`"
    )]
    NotFound {
        /// The configured issuer.
        issuer: String,
        /// The OpenID Connect location.
        oidc_url: String,
        /// What it answered.
        oidc_status: u16,
        /// The RFC 8414 location.
        oauth_url: String,
        /// What it answered.
        oauth_status: u16,
    },
    /// The server failed (5xx).
    #[error("{url} answered HTTP {status}")]
    Server {
        /// The document's URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The document is not a JSON object.
    #[error("the discovery document at {url} is not a JSON object")]
    NotJson {
        /// The document's URL.
        url: String,
    },
    /// OIDC Discovery §4.3 / RFC 8414 §3.3: the document must name the issuer asked for.
    #[error(
        "the discovery document names issuer `{found}`, but the configured issuer is \
         `{expected}`; they must be identical (check `issuer`, including any trailing slash)"
    )]
    IssuerMismatch {
        /// The configured issuer.
        expected: String,
        /// The document's issuer.
        found: String,
    },
    /// The provider has no device flow.
    #[error(
        "the provider at `{issuer}` does not support the device flow: its discovery document \
         has no `device_authorization_endpoint`"
    )]
    NoDeviceFlow {
        /// The issuer.
        issuer: String,
    },
    /// A required field is missing.
    #[error("the discovery document has no `{0}`")]
    MissingField(&'static str),
    /// A field is unusable.
    #[error("the discovery document has a bad `{field}`: {problem}")]
    BadField {
        /// The field.
        field: &'static str,
        /// What is wrong with it.
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
    parse_document(body, expected_issuer, true)
}

/// As [`parse_metadata`], for an issuer whose device and token endpoints are
/// configured: a document without them is accepted (they come back empty),
/// and only the other endpoints and the keys are of use.
pub fn parse_metadata_for_issuer(
    body: &[u8],
    expected_issuer: &str,
) -> Result<Endpoints, MetadataError> {
    parse_document(body, expected_issuer, false)
}

fn parse_document(
    body: &[u8],
    expected_issuer: &str,
    require_flow: bool,
) -> Result<Endpoints, MetadataError> {
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
    let device = match endpoint("device_authorization_endpoint")? {
        Some(url) => url,
        None if !require_flow => String::new(),
        None => {
            return Err(DiscoveryError::NoDeviceFlow {
                issuer: issuer.clone(),
            }
            .into());
        }
    };
    let token = match endpoint("token_endpoint")? {
        Some(url) => url,
        None if !require_flow => String::new(),
        None => return Err(DiscoveryError::MissingField("token_endpoint").into()),
    };
    Ok(Endpoints {
        issuer: Some(issuer),
        device_authorization_endpoint: device,
        token_endpoint: token,
        revocation_endpoint: endpoint("revocation_endpoint")?,
        userinfo_endpoint: endpoint("userinfo_endpoint")?,
        jwks_uri: endpoint("jwks_uri")?,
        revocation_auth_methods: map
            .get("revocation_endpoint_auth_methods_supported")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// [`parse_metadata`]'s failure: not JSON at all (worth trying the other
/// location), or a real document with a problem.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetadataError {
    /// Not a JSON object.
    #[error("not a JSON object")]
    NotJson,
    /// A JSON document with a problem.
    #[error(transparent)]
    Invalid(#[from] DiscoveryError),
}

/// Fetch and check the provider's metadata. The OpenID document is tried
/// first; the RFC 8414 one only when the first is absent (a 4xx or not JSON).
#[cfg(feature = "reqwest")]
pub async fn discover(
    issuer: &str,
    transport: &HttpTransport,
) -> Result<Endpoints, DiscoveryError> {
    discover_document(issuer, transport, true).await
}

/// As [`discover`], with [`parse_metadata_for_issuer`]: for a provider whose
/// device and token endpoints are configured and whose keys are not.
#[cfg(feature = "reqwest")]
pub async fn discover_for_issuer(
    issuer: &str,
    transport: &HttpTransport,
) -> Result<Endpoints, DiscoveryError> {
    discover_document(issuer, transport, false).await
}

#[cfg(feature = "reqwest")]
async fn discover_document(
    issuer: &str,
    transport: &HttpTransport,
    require_flow: bool,
) -> Result<Endpoints, DiscoveryError> {
    let oidc_url = openid_configuration_url(issuer);
    let oidc_status = match fetch(&oidc_url, issuer, transport, require_flow).await? {
        Fetched::Found(endpoints) => return Ok(endpoints),
        Fetched::Absent(status) => status,
    };
    let oauth_url = authorization_server_metadata_url(issuer);
    match fetch(&oauth_url, issuer, transport, require_flow).await? {
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

#[cfg(feature = "reqwest")]
enum Fetched {
    Found(Endpoints),
    /// Not there: the HTTP status (a 2xx means "not JSON").
    Absent(u16),
}

#[cfg(feature = "reqwest")]
async fn fetch(
    url: &str,
    issuer: &str,
    transport: &HttpTransport,
    require_flow: bool,
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
        200..=299 => match parse_document(&resp.body, issuer, require_flow) {
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
}
