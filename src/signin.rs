//! The steps around the device flow that every front-end shares:
//! resolving endpoints before it, and checking and storing the result after.
//! (Discovery, ID token validation and the store come with the OIDC work.)

use std::path::Path;

use crate::oauth::http::HttpTransport;
use crate::oauth::{FlowError, TokenResponse};
use crate::provider::{EndpointSource, Endpoints, Provider};

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
}

/// The endpoints of a provider: as configured, or by discovery.
pub async fn resolve_endpoints(
    provider: &Provider,
    _transport: &HttpTransport,
) -> Result<Endpoints, FlowError> {
    match &provider.endpoints {
        EndpointSource::Explicit(e) => Ok(e.clone()),
        EndpointSource::Issuer(issuer) => Err(FlowError::Config(format!(
            "discovery from `{issuer}` is not available yet; give the endpoints"
        ))),
    }
}

/// After a grant: check the ID token, learn who signed in, store the tokens.
pub async fn finish(
    _provider: &Provider,
    _endpoints: &Endpoints,
    _tokens: &TokenResponse,
    _data_dir: Option<&Path>,
    _transport: &HttpTransport,
) -> Result<Identity, FlowError> {
    Ok(Identity::default())
}
