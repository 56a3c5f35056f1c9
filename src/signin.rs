//! The one sign-in pipeline every front-end consumes: [`run`].
//!
//! It owns every step of a sign-in: the HTTP client, the token store's
//! directory, endpoint resolution (discovery), the device flow, the ID token
//! check, who signed in (claims, else userinfo) and storing the tokens. Its
//! stream ends with [`SigninEvent::SignedIn`] or [`SigninEvent::Ended`],
//! whose typed [`Outcome`] decides, once for everyone, the exit code, whether
//! to retry by itself, and the headline on the screen.
//!
//! Everything the app can know before a person approves is checked before a
//! code is shown: the HTTP client, the data directory, the endpoints, and
//! where the provider's keys are. The keys themselves are fetched while the
//! code is on screen, so nothing slow stands between the grant and the
//! signed-in screen.

use std::path::{Path, PathBuf};
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt as _, Stream, StreamExt as _};
use serde_json::Value;

use crate::exit;
use crate::i18n::Lang;
use crate::oauth::discovery::{self, DiscoveryError};
use crate::oauth::http::HttpTransport;
use crate::oauth::idtoken::{Expected, IdClaims, IdTokenError, JwksCache, KeysError};
use crate::oauth::secret;
use crate::oauth::token::RefreshError;
use crate::oauth::wire::{OAuthError, TransportError, TransportErrorKind};
use crate::oauth::{CodeInfo, Endpoint, Flow, FlowError, FlowEvent, TokenResponse, driver};
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

    /// Names are server text: shown only with held secrets redacted.
    fn from_claims(c: &IdClaims) -> Self {
        let shown = |v: &Option<String>| v.as_deref().map(secret::redact);
        Self {
            sub: Some(secret::redact(&c.sub)),
            name: shown(&c.name),
            preferred_username: shown(&c.preferred_username),
            email: shown(&c.email),
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

/// The calm line against device-code phishing (the IETF cross-device BCP;
/// Microsoft's Storm-2372 report): the code is only for the person in front
/// of this screen, and the provider never asks for it.
pub fn phishing_warning(provider: &str, lang: Lang) -> String {
    lang.tr("code-phishing", &[("provider", provider.into())])
}

/// Tells the embedded demo provider this TV's name (a non-standard
/// `device_name` parameter its phone page shows). Real providers are not
/// sent it: RFC 8628 has no such parameter, and some refuse unknown ones.
pub fn name_the_device(providers: &mut [Provider], device_name: Option<&str>) {
    let Some(name) = device_name else { return };
    for p in providers.iter_mut().filter(|p| p.demo) {
        p.extra_params.retain(|(k, _)| k != "device_name");
        p.extra_params
            .push(("device_name".to_owned(), name.to_owned()));
    }
}

/// `ui_locales = "auto"` in a provider's `[provider.params]` becomes this
/// run's language (`de`, `pt-BR`), so a provider that honours `ui_locales`
/// (OpenID Connect) shows its phone page in the TV's language. Other
/// providers are sent nothing new.
pub fn pass_the_language(providers: &mut [Provider], lang: Lang) {
    let tag = if lang == Lang::Pseudo {
        "en"
    } else {
        lang.tag()
    };
    for p in providers.iter_mut() {
        for (key, value) in p.extra_params.iter_mut() {
            if key == "ui_locales" && value.eq_ignore_ascii_case("auto") {
                *value = tag.to_owned();
            }
        }
    }
}

/// What a sign-in reports, in order. Tokens never appear here.
#[derive(Debug, Clone, PartialEq)]
pub enum SigninEvent {
    /// A code was issued: show it.
    Code(CodeInfo),
    /// A poll is being sent.
    Polling,
    /// The server asked to poll less often; this interval holds from now on.
    SlowDown {
        /// The new interval.
        interval: Duration,
    },
    /// A poll failed in transit; the code is kept and polling resumes.
    Offline {
        /// What failed, naming the host.
        reason: String,
        /// When the next poll goes out.
        retry_in: Duration,
    },
    /// Approved on the other device; the answer is being checked and stored.
    Approved(Grant),
    /// Signed in: the tokens are stored. Terminal.
    SignedIn(Identity),
    /// The sign-in ended without tokens. Terminal.
    Ended(Outcome),
}

impl SigninEvent {
    /// Whether this event ends the stream.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::SignedIn(_) | Self::Ended(_))
    }
}

/// What a grant said, without its secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub token_type: Option<String>,
    pub expires_in: Option<u64>,
    pub scope: Option<String>,
    pub refresh_token: bool,
    pub id_token: bool,
}

impl Grant {
    fn of(tokens: &TokenResponse) -> Self {
        Self {
            token_type: tokens.token_type.clone(),
            expires_in: tokens.expires_in,
            scope: tokens.scope.clone(),
            refresh_token: tokens.refresh_token.is_some(),
            id_token: tokens.id_token.is_some(),
        }
    }
}

/// Which request a failure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Discovery,
    DeviceAuthorization,
    Token,
    Keys,
    Revocation,
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Discovery => "the discovery document's address",
            Self::DeviceAuthorization => "the device authorization endpoint",
            Self::Token => "the token endpoint",
            Self::Keys => "the provider's key set",
            Self::Revocation => "the revocation endpoint",
        })
    }
}

/// How a sign-in (or a command using a stored sign-in) ended without
/// success. Each front-end asks it, and only it, for the exit code, whether
/// to try again by itself, and the words to show.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Outcome {
    /// Declined on the other device.
    #[error("sign-in was declined on the other device")]
    Denied,
    /// The code expired before anyone approved it.
    #[error("the code expired before it was approved")]
    Expired,
    /// A stored sign-in cannot be used any more (refused refresh, no
    /// refresh token, nothing stored): a new sign-in is needed.
    #[error("{0}")]
    SignInRequired(String),
    /// No answer: refused, reset, DNS, timeout, TLS, too large.
    #[error("the request to {step} failed: {error}")]
    Transport { step: Step, error: TransportError },
    /// An HTTP status without an OAuth error body.
    #[error("{step} answered HTTP {status} without an OAuth error")]
    Http { step: Step, status: u16 },
    /// The server said it cannot answer now (5xx, 429, a garbled answer).
    #[error("{0}")]
    Unavailable(String),
    /// An RFC 6749 error the server reported.
    #[error("the server reported an error: {0}")]
    Server(OAuthError),
    /// The server answered, but not in a way that can be used (an ID token
    /// that fails its check is one).
    #[error("{0}")]
    InvalidResponse(String),
    /// The configuration is wrong, or the HTTP client cannot be built.
    #[error("configuration error: {0}")]
    Config(String),
    /// The token store failed (permissions, a full disk).
    #[error("cannot store the tokens: {0}")]
    Store(String),
}

impl Outcome {
    /// The process exit code (see [`crate::exit`]).
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Denied => exit::DENIED,
            Self::Expired | Self::SignInRequired(_) => exit::EXPIRED,
            Self::Config(_) | Self::Store(_) => exit::CONFIG,
            Self::Transport { .. }
            | Self::Http { .. }
            | Self::Unavailable(_)
            | Self::Server(_)
            | Self::InvalidResponse(_) => exit::FAILED,
        }
    }

    /// Whether the failure can clear by itself (a kiosk that boots before
    /// its network, a server restarting), so that trying again without
    /// anyone pressing OK makes sense.
    pub fn retry_by_itself(&self) -> bool {
        match self {
            Self::Transport { error, .. } => matches!(
                error.kind,
                TransportErrorKind::Refused
                    | TransportErrorKind::Reset
                    | TransportErrorKind::Dns
                    | TransportErrorKind::Timeout
                    | TransportErrorKind::Other
            ),
            Self::Http { status, .. } => matches!(status, 408 | 429 | 500..=599),
            Self::Unavailable(_) => true,
            Self::Server(e) => {
                matches!(e.error.as_str(), "temporarily_unavailable" | "server_error")
            }
            _ => false,
        }
    }

    /// The coarse kind of `login --json`'s `failed` event: `server`,
    /// `request` or `config` (kept for scripts written against it).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Transport { .. } | Self::Http { .. } | Self::Unavailable(_) => "request",
            Self::Config(_) | Self::Store(_) => "config",
            _ => "server",
        }
    }

    /// The precise name of the outcome, for scripts.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Denied => "denied",
            Self::Expired => "expired",
            Self::SignInRequired(_) => "sign_in_required",
            Self::Transport { .. } => "transport",
            Self::Http { .. } => "http_status",
            Self::Unavailable(_) => "unavailable",
            Self::Server(_) => "server_error",
            Self::InvalidResponse(_) => "invalid_response",
            Self::Config(_) => "config",
            Self::Store(_) => "store",
        }
    }

    /// One line anyone can read, for the top of the problem screen, in
    /// English (the terminal and the tests); `headline_in` for a language.
    pub fn headline(&self, provider: &Provider) -> String {
        self.headline_in(provider, Lang::En)
    }

    /// The headline in `lang`.
    pub fn headline_in(&self, provider: &Provider, lang: Lang) -> String {
        let host = provider.host();
        lang.tr(
            self.headline_id(),
            &[
                ("provider", provider.name.as_str().into()),
                ("host", host.as_str().into()),
            ],
        )
    }

    /// The message id of the headline.
    pub fn headline_id(&self) -> &'static str {
        match self {
            Self::Denied => "problem-declined",
            Self::Expired => "problem-expired",
            Self::SignInRequired(_) => "problem-ended",
            Self::Transport { error, .. } => match error.kind {
                TransportErrorKind::Tls => "problem-tls",
                TransportErrorKind::Timeout => "problem-timeout",
                TransportErrorKind::Dns => "problem-dns",
                TransportErrorKind::TooLarge => "problem-unusable",
                TransportErrorKind::Client => "problem-no-tls",
                _ => "problem-unreachable",
            },
            Self::Http { status, .. } => match status {
                404 | 405 | 410 => "problem-wrong-address",
                401 | 403 => "problem-refused-app",
                429 => "problem-busy",
                _ if *status >= 500 => "problem-trouble",
                _ => "problem-refused-request",
            },
            Self::Unavailable(_) => "problem-trouble",
            Self::Server(e) => match e.error.as_str() {
                "unauthorized_client" | "device_flow_disabled" => "problem-not-enabled",
                "invalid_client" | "incorrect_client_credentials" => "problem-unknown-app",
                "invalid_scope" => "problem-scope",
                "server_error" | "temporarily_unavailable" => "problem-trouble",
                _ => "problem-refused-sign-in",
            },
            Self::InvalidResponse(_) => "problem-unusable",
            Self::Config(_) => "problem-settings",
            Self::Store(_) => "problem-store",
        }
    }

    /// The one thing the viewer can do next, in plain words (kiosk-ux.md:
    /// a problem screen names one next step). The message id.
    pub fn next_step_id(&self) -> &'static str {
        match self {
            Self::Denied | Self::Expired => "next-new-code",
            Self::SignInRequired(_) => "next-sign-in-again",
            Self::Transport { error, .. } => match error.kind {
                // A clock far off breaks certificate checks.
                TransportErrorKind::Tls => "next-check-clock",
                TransportErrorKind::TooLarge => "next-ask-admin",
                TransportErrorKind::Client => "next-ask-admin",
                _ => "next-check-internet",
            },
            Self::Http { status, .. } => match status {
                429 => "next-wait",
                _ if *status >= 500 => "next-wait",
                _ => "next-ask-admin",
            },
            Self::Unavailable(_) => "next-wait",
            Self::Server(e) => match e.error.as_str() {
                "server_error" | "temporarily_unavailable" => "next-wait",
                _ => "next-ask-admin",
            },
            Self::InvalidResponse(_) | Self::Config(_) => "next-ask-admin",
            Self::Store(_) => "next-ask-admin-storage",
        }
    }

    /// The technical detail, for whoever fixes it.
    pub fn detail(&self) -> String {
        match self {
            Self::Server(e) => e.to_string(),
            other => other.to_string(),
        }
    }

    /// A transport that could not be built is a configuration problem.
    pub fn client(error: &TransportError) -> Self {
        Self::Config(format!("cannot set up the HTTP client: {}", error.detail))
    }
}

impl From<FlowError> for Outcome {
    fn from(e: FlowError) -> Self {
        match e {
            FlowError::Server(err) => Self::Server(err),
            FlowError::Transport(error) => Self::Transport {
                step: Step::DeviceAuthorization,
                error,
            },
            FlowError::Http { endpoint, status } => Self::Http {
                step: match endpoint {
                    Endpoint::DeviceAuthorization => Step::DeviceAuthorization,
                    Endpoint::Token => Step::Token,
                },
                status,
            },
            FlowError::InvalidResponse(why) => Self::InvalidResponse(why),
        }
    }
}

impl From<DiscoveryError> for Outcome {
    fn from(e: DiscoveryError) -> Self {
        match e {
            DiscoveryError::Request { source, .. } => Self::Transport {
                step: Step::Discovery,
                error: source,
            },
            DiscoveryError::Server { status, .. } => Self::Http {
                step: Step::Discovery,
                status,
            },
            other => Self::Config(other.to_string()),
        }
    }
}

impl From<IdTokenError> for Outcome {
    fn from(e: IdTokenError) -> Self {
        match e {
            IdTokenError::Jwks {
                source: KeysError::Transport(error),
                ..
            } => Self::Transport {
                step: Step::Keys,
                error,
            },
            IdTokenError::Jwks {
                source: KeysError::Status(status),
                ..
            } => Self::Http {
                step: Step::Keys,
                status,
            },
            IdTokenError::NoIssuer | IdTokenError::NoJwksUri => {
                Self::Config(format!("cannot check the ID token: {e}"))
            }
            other => {
                Self::InvalidResponse(format!("sign-in refused, the ID token is invalid: {other}"))
            }
        }
    }
}

impl From<StoreError> for Outcome {
    fn from(e: StoreError) -> Self {
        match e {
            // The file was moved aside: what is left is to sign in again.
            StoreError::Corrupt { .. } => Self::SignInRequired(e.to_string()),
            other => Self::Store(other.to_string()),
        }
    }
}

impl From<RefreshError> for Outcome {
    fn from(e: RefreshError) -> Self {
        match e {
            RefreshError::SignInRequired(_) | RefreshError::Refused(_) => {
                Self::SignInRequired(e.to_string())
            }
            RefreshError::Server(err) => Self::Server(err),
            RefreshError::Transport(error) => Self::Transport {
                step: Step::Token,
                error,
            },
            RefreshError::Unavailable(_) => Self::Unavailable(e.to_string()),
            RefreshError::Http(status) => Self::Http {
                step: Step::Token,
                status,
            },
            RefreshError::Invalid(_) => Self::InvalidResponse(e.to_string()),
        }
    }
}

/// The process's HTTP client. Building one reads and parses the system's CA
/// store, which a renewal should not repeat, so a client that was built is
/// kept; a failure is not, so the next attempt tries again.
pub fn shared_http() -> Result<HttpTransport, TransportError> {
    static SHARED: Mutex<Option<HttpTransport>> = Mutex::new(None);
    // A poisoned lock only means a thread panicked while cloning a client.
    let mut shared = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(t) = shared.as_ref() {
        return Ok(t.clone());
    }
    let t = HttpTransport::new()?;
    *shared = Some(t.clone());
    Ok(t)
}

/// Run one sign-in with `provider`, storing the tokens in `data_dir` (the
/// default data directory when `None`), over `http`. Dropping the stream
/// cancels the sign-in: nothing more is sent.
pub fn run(
    provider: Arc<Provider>,
    data_dir: Option<PathBuf>,
    http: Result<HttpTransport, TransportError>,
) -> impl Stream<Item = SigninEvent> + Send + 'static {
    let (tx, rx) = futures::channel::mpsc::channel(8);
    let work = async move {
        let mut tx = tx;
        let end = match steps(&provider, data_dir.as_deref(), http, &mut tx).await {
            Ok(identity) => SigninEvent::SignedIn(identity),
            Err(outcome) => SigninEvent::Ended(outcome),
        };
        let _ = tx.send(end).await;
    };
    // The work runs only while the stream is polled, and is dropped with it.
    futures::stream::select(
        rx,
        futures::stream::once(work).filter_map(|()| async { None }),
    )
}

type Events = futures::channel::mpsc::Sender<SigninEvent>;

async fn steps(
    provider: &Provider,
    data_dir: Option<&Path>,
    http: Result<HttpTransport, TransportError>,
    tx: &mut Events,
) -> Result<Identity, Outcome> {
    let transport = http.map_err(|e| Outcome::client(&e))?;
    let dir = store::resolve_dir(data_dir)?;
    let endpoints = resolve_endpoints(provider, &transport).await?;
    let mut keys = Prefetch::start(&endpoints, &transport);
    let flow = Flow::new(provider.client_config(&endpoints));
    let mut events = pin!(driver::run(flow, transport.clone()));
    while let Some(event) = events.next().await {
        let event = match event {
            FlowEvent::Granted(tokens) => {
                let _ = tx.send(SigninEvent::Approved(Grant::of(&tokens))).await;
                keys.wait().await;
                return finish(provider, &endpoints, *tokens, &dir, &transport).await;
            }
            FlowEvent::Denied => return Err(Outcome::Denied),
            FlowEvent::Expired => return Err(Outcome::Expired),
            FlowEvent::Failed(e) => return Err(e.into()),
            FlowEvent::CodeIssued(code) => SigninEvent::Code(code),
            FlowEvent::Polling => SigninEvent::Polling,
            FlowEvent::SlowDown { interval } => SigninEvent::SlowDown { interval },
            FlowEvent::Offline { reason, retry_in } => SigninEvent::Offline { reason, retry_in },
        };
        let _ = tx.send(event).await;
    }
    Err(Outcome::InvalidResponse(
        "the flow ended without an outcome".into(),
    ))
}

/// The provider's keys, fetched on a task while the code is on screen.
/// Dropped with the sign-in, the task is aborted.
struct Prefetch(Option<tokio::task::JoinHandle<()>>);

impl Prefetch {
    fn start(endpoints: &Endpoints, transport: &HttpTransport) -> Self {
        let Some((_, jwks_uri)) = id_token_check(endpoints) else {
            return Self(None);
        };
        let jwks_uri = jwks_uri.to_owned();
        let transport = transport.clone();
        Self(Some(tokio::spawn(async move {
            JwksCache::global().prefetch(&jwks_uri, &transport).await;
        })))
    }

    /// Let a fetch that is under way finish, rather than start another.
    async fn wait(&mut self) {
        if let Some(handle) = self.0.take() {
            let _ = handle.await;
        }
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.abort();
        }
    }
}

/// The endpoints of a provider: as configured, or by discovery. With
/// explicit endpoints, an `issuer` and no `jwks_uri`, the issuer's
/// discovery document supplies the keys (and whatever else is missing).
pub async fn resolve_endpoints(
    provider: &Provider,
    transport: &HttpTransport,
) -> Result<Endpoints, Outcome> {
    let mut endpoints = match &provider.endpoints {
        EndpointSource::Issuer(issuer) => return Ok(discovery::discover(issuer, transport).await?),
        EndpointSource::Explicit(e) => e.clone(),
    };
    let Some(issuer) = endpoints.issuer.clone() else {
        return Ok(endpoints);
    };
    if endpoints.jwks_uri.is_some() {
        return Ok(endpoints);
    }
    match discovery::discover_for_issuer(&issuer, transport).await {
        Ok(found) => endpoints.fill_from(&found),
        Err(e) if !e.is_config() => return Err(e.into()),
        Err(e) if provider.requests_openid() => {
            return Err(Outcome::Config(format!(
                "the provider's keys cannot be found to check ID tokens ({e}); set `jwks_uri`"
            )));
        }
        Err(e) => tracing::info!(error = %e, "no discovery document for the issuer"),
    }
    Ok(endpoints)
}

/// The issuer and key set an ID token from `provider` is checked against,
/// or `None` when it cannot be checked.
fn id_token_check(endpoints: &Endpoints) -> Option<(&str, &str)> {
    Some((endpoints.issuer.as_deref()?, endpoints.jwks_uri.as_deref()?))
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
    // Server text: shown only with the secrets this process holds redacted.
    let text = |k: &str| {
        map.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(secret::redact)
    };
    Identity {
        sub: text("sub").or_else(|| match map.get("id") {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) if !s.is_empty() => Some(secret::redact(s)),
            _ => None,
        }),
        name: text("name"),
        preferred_username: text("preferred_username").or_else(|| text("login")),
        email: text("email"),
    }
}

/// Learn who signed in and store the tokens. An ID token that can be
/// checked must pass; one that cannot (no issuer, no keys) is not used and
/// not stored. Userinfo is asked only when no one recognisable is named.
/// Nothing is stored unless every check passed.
async fn finish(
    provider: &Provider,
    endpoints: &Endpoints,
    mut tokens: TokenResponse,
    dir: &Path,
    transport: &HttpTransport,
) -> Result<Identity, Outcome> {
    let mut identity = Identity::default();
    if let Some(id_token) = tokens.id_token.take() {
        if id_token_check(endpoints).is_some() {
            let claims = check_id_token(provider, endpoints, id_token.expose(), transport).await?;
            identity = Identity::from_claims(&claims);
            tokens.id_token = Some(id_token);
        } else {
            tracing::warn!(
                provider = %provider.id,
                "the ID token cannot be checked without `issuer`; it is not used or stored"
            );
        }
    }
    if !identity.is_recognisable() {
        if let Some(url) = &endpoints.userinfo_endpoint {
            if let Some(info) = userinfo(url, tokens.access_token.expose(), transport).await {
                // OIDC Core §5.3.4: userinfo about someone else is not used.
                if identity.sub.is_some() && info.sub.is_some() && identity.sub != info.sub {
                    return Err(Outcome::InvalidResponse(
                        "sign-in refused: userinfo describes another user than the ID token".into(),
                    ));
                }
                identity.fill_from(info);
            }
        }
    }
    let mut record = StoredTokens::from_response(&provider.id, &tokens, store::unix_now());
    identity.write_to(&mut record);
    store::save(dir, &record)?;
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
    fn ui_locales_auto_becomes_the_language_and_nothing_else_is_sent() {
        let mut with = Provider::explicit("a", "A", "https://a/d", "https://a/t");
        with.extra_params.push(("ui_locales".into(), "auto".into()));
        let mut fixed = with.clone();
        fixed.extra_params[0].1 = "fr".into();
        let plain = Provider::explicit("b", "B", "https://b/d", "https://b/t");
        let mut all = vec![with, fixed, plain];
        pass_the_language(&mut all, Lang::PtBr);
        assert_eq!(
            all[0].extra_params,
            vec![("ui_locales".into(), "pt-BR".into())]
        );
        assert_eq!(
            all[1].extra_params,
            vec![("ui_locales".into(), "fr".into())]
        );
        assert!(all[2].extra_params.is_empty());
    }

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

    fn transport(kind: TransportErrorKind) -> Outcome {
        Outcome::Transport {
            step: Step::DeviceAuthorization,
            error: TransportError::new(kind, "login.example.com: nothing"),
        }
    }

    #[test]
    fn a_network_failure_names_the_host_it_cannot_reach_and_is_retried() {
        let (p, _) = plain_provider();
        let o = transport(TransportErrorKind::Refused);
        assert_eq!(o.headline(&p), "Can't reach login.example.com");
        assert!(o.retry_by_itself());
        assert_eq!(o.exit_code(), exit::FAILED);
        assert!(o.detail().contains("connection refused"), "{}", o.detail());
    }

    #[test]
    fn a_tls_failure_says_so_and_is_not_retried_by_itself() {
        let (p, _) = plain_provider();
        let o = transport(TransportErrorKind::Tls);
        assert_eq!(
            o.headline(&p),
            "Can't make a secure connection to login.example.com"
        );
        assert!(!o.retry_by_itself());
    }

    #[test]
    fn a_404_from_a_wrong_endpoint_url_is_not_a_network_failure_and_not_retried() {
        let (p, _) = plain_provider();
        let o = Outcome::from(FlowError::Http {
            endpoint: Endpoint::DeviceAuthorization,
            status: 404,
        });
        assert_eq!(o.headline(&p), "The sign-in address for Local is wrong");
        assert!(!o.retry_by_itself());
        assert_eq!(o.exit_code(), exit::FAILED);
    }

    #[test]
    fn a_disabled_device_flow_says_the_app_is_not_enabled_at_the_provider() {
        let (p, _) = plain_provider();
        let o = Outcome::Server(OAuthError {
            error: "device_flow_disabled".into(),
            error_description: None,
            error_uri: None,
            interval: None,
        });
        assert_eq!(
            o.headline(&p),
            "This app isn't enabled for device sign-in at Local"
        );
        assert!(!o.retry_by_itself());
    }

    #[test]
    fn a_store_failure_is_about_saving_on_this_device_not_the_settings() {
        let (p, _) = plain_provider();
        let o = Outcome::from(StoreError::Io {
            path: "/data/tokens".into(),
            source: std::io::Error::from_raw_os_error(28),
        });
        assert_eq!(o.headline(&p), "Can't save the sign-in on this device");
        assert_eq!(o.exit_code(), exit::CONFIG);
        assert!(!o.retry_by_itself());
    }

    #[test]
    fn a_client_that_cannot_be_built_is_a_configuration_error_in_every_front_end() {
        let o = Outcome::client(&TransportError::new(
            TransportErrorKind::Client,
            "no TLS backend",
        ));
        assert_eq!(o.exit_code(), exit::CONFIG);
        assert!(!o.retry_by_itself());
    }

    #[test]
    fn a_refused_refresh_means_sign_in_required_exit_4() {
        let o = Outcome::from(RefreshError::SignInRequired(OAuthError {
            error: "invalid_grant".into(),
            error_description: None,
            error_uri: None,
            interval: None,
        }));
        assert_eq!(o.exit_code(), exit::EXPIRED);
        assert!(!o.retry_by_itself());
    }

    fn plain_provider() -> (Provider, ()) {
        let p = Provider {
            id: "local".into(),
            name: "Local".into(),
            client_id: "tv-app".into(),
            client_secret: None,
            client_auth: crate::oauth::ClientAuth::None,
            scope: None,
            scope_param: "scope".into(),
            extra_params: vec![],
            endpoints: EndpointSource::Explicit(Endpoints::new(
                "https://login.example.com/device",
                "https://login.example.com/token",
            )),
            preset: None,
            demo: false,
            logo: None,
        };
        (p, ())
    }

    #[test]
    fn wrong_issuer_from_discovery_is_a_configuration_error() {
        let e: Outcome = DiscoveryError::IssuerMismatch {
            expected: "a".into(),
            found: "b".into(),
        }
        .into();
        assert_eq!(e.exit_code(), exit::CONFIG);
        assert!(!e.retry_by_itself());
    }

    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    use serde_json::json;

    use crate::oauth::tests::test_server::serve;

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
            revocation_auth_methods: vec![],
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
            logo: None,
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
            tokens(Some(token)),
            dir.path(),
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
            tokens(Some(forged)),
            dir.path(),
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
            tokens(Some(token)),
            dir.path(),
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
        let identity = finish(&provider, &endpoints, tokens(None), dir.path(), &transport)
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
            tokens(Some(token)),
            dir.path(),
            &transport,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("another user"), "{err}");
        assert!(store::list(dir.path()).unwrap().is_empty());
    }
}
