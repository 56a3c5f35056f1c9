//! Requests and responses on the wire, as plain data.
//!
//! This module builds the form requests of RFC 8628 and turns the providers'
//! varied answers (JSON or form bodies, GitHub's 200-with-error, Google's
//! `verification_url`, loose numeric types) into one normalised shape. It does
//! no IO; the transport in `http.rs` sends what is built here.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::secret::{AccessToken, ClientSecret, DeviceCode, IdToken, RefreshToken};

/// The `grant_type` of a device access token request (RFC 8628 §3.4).
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// The default polling interval when the server sends none (RFC 8628 §3.2).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// The longest code lifetime we accept: a day. Longer is an absurd answer.
pub const MAX_EXPIRES_IN: u64 = 86_400;
/// Longest user code we show. Google plans for 15 characters; anything near
/// this limit is a broken or hostile server.
pub const MAX_USER_CODE_LEN: usize = 64;
/// Longest verification URI we put into a QR code.
pub const MAX_URI_LEN: usize = 2048;

/// How the client authenticates at the token endpoint (RFC 6749 §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// A public client: only `client_id` is sent.
    #[default]
    None,
    /// `client_id` and `client_secret` in the form body.
    ClientSecretPost,
    /// HTTP Basic with the form-urlencoded id and secret.
    ClientSecretBasic,
}

/// A function called on every request this crate builds (device
/// authorization, polls, refreshes, revocations), just before it is handed
/// to the transport: to add headers (a tracing id, a DPoP proof, an API
/// gateway key) or parameters.
///
/// ```
/// use device_flow::{ClientConfig, RequestHook};
///
/// let mut cfg = ClientConfig::new("tv-app", "https://as.example/device", "https://as.example/token");
/// cfg.hook = Some(RequestHook::new(|req| {
///     req.headers.push(("X-Device-Model".into(), "living-room-tv".into()));
/// }));
/// let req = device_flow::wire::device_request(&cfg);
/// assert_eq!(req.header("x-device-model"), Some("living-room-tv"));
/// ```
#[derive(Clone)]
pub struct RequestHook(std::sync::Arc<dyn Fn(&mut HttpRequest) + Send + Sync>);

impl RequestHook {
    /// Wrap a function as a hook.
    pub fn new(hook: impl Fn(&mut HttpRequest) + Send + Sync + 'static) -> Self {
        Self(std::sync::Arc::new(hook))
    }

    /// Apply the hook to a request.
    pub fn apply(&self, req: &mut HttpRequest) {
        (self.0)(req);
    }
}

impl std::fmt::Debug for RequestHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RequestHook")
    }
}

/// Two hooks are equal when they are the same function object.
impl PartialEq for RequestHook {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Everything the protocol needs to know about a client and its endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// The client identifier registered at the provider.
    pub client_id: String,
    /// The client secret, for confidential clients (most device clients are public).
    pub client_secret: Option<ClientSecret>,
    /// How the client authenticates (RFC 6749 §2.3).
    pub client_auth: ClientAuth,
    /// The scopes requested, space-separated (RFC 6749 §3.3).
    pub scope: Option<String>,
    /// The name of the scope parameter: `scope`, or Twitch's `scopes`.
    pub scope_param: String,
    /// Extra parameters for the device authorization request (Auth0 `audience`).
    pub extra_params: Vec<(String, String)>,
    /// RFC 8628 §3.1: where the device asks for a code.
    pub device_authorization_endpoint: String,
    /// RFC 8628 §3.4: where the device polls (and refreshes).
    pub token_endpoint: String,
    /// Accept `http://` verification URIs on any host. Only the embedded demo
    /// server, bound to a LAN address for a phone, sets this; it is labelled
    /// as a demo on every screen.
    pub allow_http_verification: bool,
    /// Called on every request built for this client.
    pub hook: Option<RequestHook>,
}

impl ClientConfig {
    /// A public client with the standard parameter names.
    pub fn new(
        client_id: impl Into<String>,
        device_authorization_endpoint: impl Into<String>,
        token_endpoint: impl Into<String>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: None,
            client_auth: ClientAuth::None,
            scope: None,
            scope_param: "scope".into(),
            extra_params: Vec::new(),
            device_authorization_endpoint: device_authorization_endpoint.into(),
            token_endpoint: token_endpoint.into(),
            allow_http_verification: false,
            hook: None,
        }
    }

    /// The scopes requested, one by one.
    pub fn requested_scopes(&self) -> Vec<&str> {
        self.scope
            .as_deref()
            .map(|s| s.split_ascii_whitespace().collect())
            .unwrap_or_default()
    }

    fn finish(&self, mut req: HttpRequest) -> HttpRequest {
        if let Some(hook) = &self.hook {
            hook.apply(&mut req);
        }
        req
    }
}

/// A form `POST`, ready to send.
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    /// The endpoint.
    pub url: String,
    /// Headers, in order; `Accept`, `User-Agent` and any `Authorization` included.
    pub headers: Vec<(String, String)>,
    /// The form parameters, in order. Values may be secrets.
    pub form: Vec<(String, String)>,
}

impl HttpRequest {
    fn new(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            headers: vec![
                ("Accept".into(), "application/json".into()),
                ("User-Agent".into(), user_agent()),
            ],
            form: Vec::new(),
        }
    }

    /// The first header of this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first form parameter of this name.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn push(&mut self, key: &str, value: &str) {
        self.form.push((key.to_owned(), value.to_owned()));
    }

    fn authenticate(&mut self, cfg: &ClientConfig) {
        match (cfg.client_auth, &cfg.client_secret) {
            (ClientAuth::ClientSecretBasic, Some(secret)) => {
                // RFC 6749 §2.3.1: both parts are form-urlencoded first.
                let id = form_encode(&cfg.client_id);
                let pw = form_encode(secret.expose());
                let creds = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{pw}"));
                crate::secret::hold_for_good(&creds);
                self.headers
                    .push(("Authorization".into(), format!("Basic {creds}")));
            }
            (ClientAuth::ClientSecretPost, Some(secret)) => {
                self.push("client_id", &cfg.client_id);
                self.push("client_secret", secret.expose());
            }
            _ => self.push("client_id", &cfg.client_id),
        }
    }
}

/// Only the URL and the parameter names: values may be secrets.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.form.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("url", &self.url)
            .field("params", &names)
            .finish_non_exhaustive()
    }
}

/// The `User-Agent` this crate sends.
pub fn user_agent() -> String {
    concat!("device-signin/", env!("CARGO_PKG_VERSION")).to_owned()
}

fn form_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// R1: the device authorization request (RFC 8628 §3.1).
pub fn device_request(cfg: &ClientConfig) -> HttpRequest {
    let mut req = HttpRequest::new(&cfg.device_authorization_endpoint);
    req.authenticate(cfg);
    if let Some(scope) = cfg.scope.as_deref().filter(|s| !s.is_empty()) {
        req.push(&cfg.scope_param, scope);
    }
    for (k, v) in &cfg.extra_params {
        req.push(k, v);
    }
    cfg.finish(req)
}

/// The device access token request (RFC 8628 §3.4).
pub fn poll_request(cfg: &ClientConfig, device_code: &DeviceCode) -> HttpRequest {
    let mut req = HttpRequest::new(&cfg.token_endpoint);
    req.push("grant_type", DEVICE_CODE_GRANT);
    req.push("device_code", device_code.expose());
    req.authenticate(cfg);
    cfg.finish(req)
}

/// A refresh token request (RFC 6749 §6).
pub fn refresh_request(cfg: &ClientConfig, refresh_token: &RefreshToken) -> HttpRequest {
    let mut req = HttpRequest::new(&cfg.token_endpoint);
    req.push("grant_type", "refresh_token");
    req.push("refresh_token", refresh_token.expose());
    req.authenticate(cfg);
    cfg.finish(req)
}

/// A token revocation request (RFC 7009 §2.1).
pub fn revocation_request(
    cfg: &ClientConfig,
    endpoint: &str,
    token: &str,
    token_type_hint: &str,
) -> HttpRequest {
    let mut req = HttpRequest::new(endpoint);
    req.push("token", token);
    req.push("token_type_hint", token_type_hint);
    req.authenticate(cfg);
    cfg.finish(req)
}

/// An HTTP answer as the transport received it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` header, when sent.
    pub content_type: Option<String>,
    /// `Retry-After`, already turned into a delay by the transport.
    pub retry_after: Option<Duration>,
    /// The body, at most the transport's cap.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A JSON answer (for tests and scripted transports).
    pub fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            content_type: Some("application/json".into()),
            retry_after: None,
            body: body.as_bytes().to_vec(),
        }
    }

    /// A form-encoded answer (for tests and scripted transports).
    pub fn form(status: u16, body: &str) -> Self {
        Self {
            status,
            content_type: Some("application/x-www-form-urlencoded".into()),
            retry_after: None,
            body: body.as_bytes().to_vec(),
        }
    }
}

/// `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs.min(MAX_EXPIRES_IN)));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(Duration::from_secs(MAX_EXPIRES_IN)),
    )
}

/// Why a request could not get an answer. All of these are transient while
/// polling (R7): the device code is kept and the flow backs off.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {detail}")]
pub struct TransportError {
    /// What kind of failure, for deciding what to tell and whether to retry.
    pub kind: TransportErrorKind,
    /// What happened, naming the host; never a request body.
    pub detail: String,
}

impl TransportError {
    /// A failure of `kind`.
    pub fn new(kind: TransportErrorKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
        }
    }
}

/// The kinds of transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportErrorKind {
    /// Nothing listens there (yet).
    Refused,
    /// The connection broke mid-way.
    Reset,
    /// The host name did not resolve.
    Dns,
    /// No answer in time.
    Timeout,
    /// The TLS handshake or the certificate check failed.
    Tls,
    /// The answer is larger than the cap (R11).
    TooLarge,
    /// The HTTP client could not be built (no TLS backend, no CA store).
    Client,
    /// Anything else.
    Other,
}

impl std::fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Refused => "connection refused",
            Self::Reset => "connection reset",
            Self::Dns => "name not resolved",
            Self::Timeout => "timed out",
            Self::Tls => "TLS failure",
            Self::TooLarge => "response too large",
            Self::Client => "cannot set up HTTPS",
            Self::Other => "request failed",
        })
    }
}

/// An error the server reported in an RFC 6749 §5.2 body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthError {
    /// The error code (`access_denied`, `invalid_grant`...).
    pub error: String,
    /// Text for the developer, as the server sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// A page about the error, as the server sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_uri: Option<String>,
    /// GitHub puts the new interval into its slow_down body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<u64>,
}

impl std::fmt::Display for OAuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error)?;
        if let Some(d) = &self.error_description {
            write!(f, ": {d}")?;
        }
        if let Some(u) = &self.error_uri {
            write!(f, " ({u})")?;
        }
        Ok(())
    }
}

/// A device authorization response, normalised and checked (R2, R3).
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceAuthorization {
    /// The secret the device polls with.
    pub device_code: DeviceCode,
    /// The code the person types on the other device.
    pub user_code: String,
    /// Where the person goes (Google's `verification_url` is accepted too).
    pub verification_uri: String,
    /// The same with the code filled in, for a QR code.
    pub verification_uri_complete: Option<String>,
    /// The code's lifetime.
    pub expires_in: Duration,
    /// The polling interval (5 s when the server sent none).
    pub interval: Duration,
    /// True when the server sent no usable interval and 5 s applies.
    pub interval_defaulted: bool,
    /// Fields we do not interpret, kept (Microsoft's `message`).
    pub extra: Map<String, Value>,
}

impl DeviceAuthorization {
    /// Microsoft's human-readable `message`, when present.
    pub fn message(&self) -> Option<&str> {
        self.extra.get("message").and_then(Value::as_str)
    }
}

/// Why a device authorization response was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceResponseError {
    /// An RFC 6749 §5.2 error body.
    #[error("the server refused the request: {0}")]
    Server(OAuthError),
    /// A status without an OAuth error. The body is never quoted: it is the
    /// server's text, and may echo what was sent.
    #[error("the device authorization endpoint answered HTTP {status} without an OAuth error")]
    Http {
        /// The HTTP status.
        status: u16,
    },
    /// A 2xx whose body is neither JSON nor a form.
    #[error("the device authorization response is not JSON or form data")]
    Unparsable,
    /// A field is missing or unusable (R2, R3).
    #[error("the device authorization response has a bad `{field}`: {problem}")]
    Field {
        /// The field's name.
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

/// The answer to one poll (or one refresh), classified by its body first (R5).
#[derive(Debug, Clone, PartialEq)]
pub enum PollAnswer {
    /// Tokens.
    Granted(Box<TokenResponse>),
    /// An RFC error body, whatever the HTTP status.
    Error {
        /// The error.
        error: OAuthError,
        /// `Retry-After`, when sent.
        retry_after: Option<Duration>,
    },
    /// HTTP 429 without an RFC body: treated as slow_down.
    RateLimited {
        /// `Retry-After`, when sent.
        retry_after: Option<Duration>,
    },
    /// A 5xx, 408 or an unreadable body: keep the code and back off (R7).
    Transient {
        /// What happened, without quoting the body.
        reason: String,
        /// `Retry-After`, when sent.
        retry_after: Option<Duration>,
    },
    /// A 4xx (or other non-2xx) without an RFC error body.
    Http {
        /// The HTTP status.
        status: u16,
    },
    /// A definite but unusable answer: a 2xx without `access_token`.
    Invalid(String),
}

/// A successful token response (RFC 6749 §5.1), with unknown fields kept (R10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: AccessToken,
    /// Usually `Bearer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// The access token's lifetime in seconds, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    /// A refresh token, when the provider issues one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<RefreshToken>,
    /// The scopes granted, when they differ from those requested (RFC 6749 §5.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// An OpenID Connect ID token, when `openid` was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<IdToken>,
    /// Every other field the server sent, kept as it came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TokenResponse {
    /// The refresh token's lifetime in seconds, when the provider tells it
    /// in an extension field: `refresh_expires_in` (Keycloak) or
    /// `refresh_token_expires_in` (GitHub apps). `0` in Keycloak means it
    /// lasts as long as the session, which is not a lifetime.
    pub fn refresh_expires_in(&self) -> Option<u64> {
        ["refresh_expires_in", "refresh_token_expires_in"]
            .iter()
            .find_map(|k| self.extra.get(*k).and_then(Value::as_u64))
            .filter(|s| *s > 0)
            // As for `expires_in`: no lifetime a date cannot hold.
            .map(|s| s.min(u64::from(u32::MAX)))
    }

    /// The scopes granted. RFC 6749 §5.1: a response without `scope`
    /// grants what was requested.
    pub fn granted_scopes<'a>(&'a self, requested: &'a ClientConfig) -> Vec<&'a str> {
        match self.scope.as_deref() {
            Some(s) => s.split_ascii_whitespace().collect(),
            None => requested.requested_scopes(),
        }
    }
}

/// A body as a JSON object, whether it came as JSON or as a form.
fn body_object(resp: &HttpResponse) -> Option<Map<String, Value>> {
    match read_body(resp) {
        Body::Object(map) => Some(map),
        Body::Duplicate(_) | Body::Unreadable => None,
    }
}

/// A body read as a JSON or form object.
enum Body {
    Object(Map<String, Value>),
    /// An object with this key twice (at any depth). serde_json would keep
    /// the last silently, so what a check saw and what is used could differ.
    Duplicate(String),
    Unreadable,
}

fn read_body(resp: &HttpResponse) -> Body {
    let Ok(text) = std::str::from_utf8(&resp.body) else {
        return Body::Unreadable;
    };
    let text = text.trim();
    let ct = resp
        .content_type
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    if text.starts_with('{') {
        return match serde_json::from_str::<Strict>(text) {
            Ok(Strict(Value::Object(map))) => Body::Object(map),
            Err(e) => match e.to_string().strip_prefix(DUPLICATE) {
                Some(rest) => {
                    Body::Duplicate(rest.split(" at line").next().unwrap_or("").to_owned())
                }
                None => Body::Unreadable,
            },
            Ok(_) => Body::Unreadable,
        };
    }
    let looks_like_form = ct.contains("x-www-form-urlencoded")
        || (ct.starts_with("text/plain") && text.contains('='));
    if looks_like_form && !text.is_empty() {
        let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(text) else {
            return Body::Unreadable;
        };
        let mut map = Map::new();
        for (k, v) in pairs {
            if map.contains_key(&k) {
                return Body::Duplicate(shown_key(&k));
            }
            map.insert(k, Value::String(v));
        }
        return Body::Object(map);
    }
    Body::Unreadable
}

/// A key of a server's answer, fit to name in a message: plain characters,
/// at most 40 of them.
fn shown_key(key: &str) -> String {
    key.chars()
        .filter(|c| !is_spoofing_char(*c))
        .take(40)
        .collect()
}

const DUPLICATE: &str = "duplicate key: ";

/// A JSON value that refuses objects with a key twice.
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
        Ok(Strict(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
        Ok(Strict(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
        Ok(Strict(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
        Ok(Strict(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
        Ok(Strict(Value::String(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Strict, E> {
        Ok(Strict(Value::String(v)))
    }

    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Strict(Value::Array(items)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Strict, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "{DUPLICATE}{}",
                    shown_key(&key)
                )));
            }
            let Strict(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(Strict(Value::Object(map)))
    }
}

fn oauth_error(map: &Map<String, Value>) -> Option<OAuthError> {
    let error = map.get("error")?.as_str()?.trim();
    if error.is_empty() {
        return None;
    }
    // Server text, shown only with the secrets this process holds redacted.
    let text = |k: &str| {
        map.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(crate::secret::redact)
    };
    Some(OAuthError {
        error: crate::secret::redact(error),
        error_description: text("error_description"),
        error_uri: text("error_uri"),
        interval: map
            .get("interval")
            .and_then(loose_number)
            .and_then(|n| (n > 0.0 && n <= MAX_EXPIRES_IN as f64).then_some(n.ceil() as u64)),
    })
}

/// The name of a device answer's field, for a message (`"the answer"` for
/// keys it does not have).
fn known_field(key: &str) -> &'static str {
    [
        "device_code",
        "user_code",
        "verification_uri",
        "verification_uri_complete",
        "verification_url",
        "expires_in",
        "interval",
        "message",
        "error",
        "error_description",
    ]
    .into_iter()
    .find(|k| *k == key)
    .unwrap_or("the answer")
}

/// A number, or a string holding one: form bodies have only strings.
fn loose_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

/// R2 and R3: parse and check a device authorization response.
pub fn parse_device_authorization(
    resp: &HttpResponse,
) -> Result<DeviceAuthorization, DeviceResponseError> {
    parse_device_authorization_with(resp, false)
}

/// As [`parse_device_authorization`]; `allow_http` relaxes R3 for the demo.
pub fn parse_device_authorization_with(
    resp: &HttpResponse,
    allow_http: bool,
) -> Result<DeviceAuthorization, DeviceResponseError> {
    if let Body::Duplicate(key) = read_body(resp) {
        return Err(DeviceResponseError::Field {
            field: known_field(&key),
            problem: format!(
                "appears twice (`{key}`); an answer with a key twice is refused, since which one \
                 counts is not defined"
            ),
        });
    }
    let Some(mut map) = body_object(resp) else {
        return Err(if (200..300).contains(&resp.status) {
            DeviceResponseError::Unparsable
        } else {
            DeviceResponseError::Http {
                status: resp.status,
            }
        });
    };
    if let Some(err) = oauth_error(&map) {
        return Err(DeviceResponseError::Server(err));
    }
    if !(200..300).contains(&resp.status) {
        return Err(DeviceResponseError::Http {
            status: resp.status,
        });
    }
    let field = |field: &'static str, problem: &str| DeviceResponseError::Field {
        field,
        problem: problem.to_owned(),
    };
    let mut take_string = |names: &[&'static str], required: bool| {
        let mut found = None;
        for name in names {
            match map.remove(*name) {
                Some(Value::String(s)) if found.is_none() => found = Some(s),
                Some(Value::Null) | None => {}
                Some(_) if found.is_none() => return Err(field(names[0], "is not a string")),
                Some(_) => {}
            }
        }
        match found {
            Some(s) if s.trim().is_empty() => Err(field(names[0], "is empty")),
            None if required => Err(field(names[0], "is missing")),
            other => Ok(other),
        }
    };
    let device_code = take_string(&["device_code"], true)?.unwrap_or_default();
    let user_code = take_string(&["user_code"], true)?.unwrap_or_default();
    let verification_uri =
        take_string(&["verification_uri", "verification_url"], true)?.unwrap_or_default();
    let verification_uri_complete = take_string(
        &["verification_uri_complete", "verification_url_complete"],
        false,
    )?;

    if user_code.chars().any(is_spoofing_char) {
        return Err(field(
            "user_code",
            "contains control or text-direction characters that could disguise it",
        ));
    }
    if user_code.chars().count() > MAX_USER_CODE_LEN {
        return Err(field(
            "user_code",
            &format!(
                "is {} characters long; at most {MAX_USER_CODE_LEN} can be shown",
                user_code.chars().count()
            ),
        ));
    }
    // What is shown and put into the QR code is the URL as it will be
    // visited: checked, then serialised by `url` (an internationalised host
    // becomes punycode, so a look-alike cannot pass for the real domain).
    let check = |name: &'static str, uri: &str| -> Result<url::Url, DeviceResponseError> {
        if uri
            .chars()
            .any(|c| is_spoofing_char(c) || c.is_whitespace())
        {
            return Err(field(
                name,
                "contains control, white-space or text-direction characters that could disguise it",
            ));
        }
        if allow_http {
            check_uri(uri, true)
        } else {
            check_trusted_uri(uri)
        }
        .map_err(|p| field(name, &p))?;
        url::Url::parse(uri).map_err(|e| field(name, &e.to_string()))
    };
    let shown = check("verification_uri", &verification_uri)?;
    let complete = match &verification_uri_complete {
        Some(uri) => {
            let complete = check("verification_uri_complete", uri)?;
            // The QR code must lead where the text says.
            if complete.scheme() != shown.scheme()
                || complete.host_str() != shown.host_str()
                || complete.port_or_known_default() != shown.port_or_known_default()
            {
                return Err(field(
                    "verification_uri_complete",
                    "leads to another site than `verification_uri`",
                ));
            }
            Some(complete.to_string())
        }
        None => None,
    };
    let verification_uri = shown.to_string();
    let verification_uri_complete = complete;
    if let Some(message) = map.get("message").and_then(Value::as_str)
        && message.chars().any(is_spoofing_char)
    {
        return Err(field(
            "message",
            "contains control or text-direction characters that could disguise it",
        ));
    }

    let expires_in = match map.remove("expires_in") {
        None | Some(Value::Null) => return Err(field("expires_in", "is missing")),
        Some(v) => match loose_number(&v) {
            None => return Err(field("expires_in", "is not a number")),
            Some(n) if n <= 0.0 => {
                return Err(field("expires_in", &format!("must be positive, got {n}")));
            }
            Some(n) if n > MAX_EXPIRES_IN as f64 => {
                return Err(field(
                    "expires_in",
                    &format!("{n} s is longer than a day ({MAX_EXPIRES_IN} s)"),
                ));
            }
            Some(n) => Duration::from_secs(n.ceil() as u64),
        },
    };

    // Missing, null, non-positive or non-numeric: the RFC default applies.
    let sent_interval = map
        .remove("interval")
        .as_ref()
        .and_then(loose_number)
        .filter(|n| *n > 0.0);
    let (interval, interval_defaulted) = match sent_interval {
        Some(n) if n > expires_in.as_secs_f64() => {
            return Err(field(
                "interval",
                &format!(
                    "{n} s is longer than the code's lifetime ({} s)",
                    expires_in.as_secs()
                ),
            ));
        }
        Some(n) => (Duration::from_secs(n.ceil() as u64), false),
        None => (DEFAULT_INTERVAL, true),
    };

    Ok(DeviceAuthorization {
        device_code: DeviceCode::new(device_code),
        user_code,
        verification_uri,
        verification_uri_complete,
        expires_in,
        interval,
        interval_defaulted,
        extra: map,
    })
}

/// R3: a verification URI ends up in a QR code people trust. It must be an
/// absolute `https` URL; `http` is allowed only for loopback hosts.
pub fn check_trusted_uri(uri: &str) -> Result<(), String> {
    check_uri(uri, false)
}

fn check_uri(uri: &str, allow_http: bool) -> Result<(), String> {
    if uri.len() > MAX_URI_LEN {
        return Err(format!(
            "is {} characters long; at most {MAX_URI_LEN} fit a QR code",
            uri.len()
        ));
    }
    let url = url::Url::parse(uri).map_err(|e| format!("`{uri}` is not an absolute URL ({e})"))?;
    let host = url.host().ok_or_else(|| format!("`{uri}` has no host"))?;
    // `https://trusted.example@evil.example/` shows one host and opens another.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "`{uri}` carries a user name before its host, which disguises where it leads"
        ));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_http || is_loopback(&host) => Ok(()),
        "http" => Err(format!(
            "`{uri}` uses plain http on a non-loopback host; only https is trusted"
        )),
        other => Err(format!(
            "`{uri}` uses the `{other}` scheme; only https is trusted"
        )),
    }
}

/// Characters that can make text on screen read differently from what it
/// is: control characters, and text-direction or invisible ones.
pub fn is_spoofing_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// R5, R10: classify a token endpoint answer by its body first.
pub fn parse_token_answer(resp: &HttpResponse) -> PollAnswer {
    let retry_after = resp.retry_after;
    if let Body::Duplicate(key) = read_body(resp) {
        return PollAnswer::Invalid(format!(
            "the token endpoint's answer has the key `{key}` twice; it is refused, since which \
             one counts is not defined"
        ));
    }
    let map = body_object(resp);
    if let Some(error) = map.as_ref().and_then(oauth_error) {
        return PollAnswer::Error { error, retry_after };
    }
    let status = resp.status;
    match (status, map) {
        (200..=299, Some(map)) => {
            match map.get("access_token") {
                Some(Value::String(s)) if !s.is_empty() => {}
                _ => {
                    return PollAnswer::Invalid(
                        "the token response has no `access_token`".to_owned(),
                    );
                }
            }
            if let Some(problem) = unusable_grant(&map) {
                return PollAnswer::Invalid(problem);
            }
            match serde_json::from_value::<TokenResponse>(Value::Object(normalise_token(map))) {
                Ok(tokens) => PollAnswer::Granted(Box::new(tokens)),
                Err(e) => PollAnswer::Invalid(format!("the token response is malformed: {e}")),
            }
        }
        (429, _) => PollAnswer::RateLimited { retry_after },
        // R7: a JSON body that does not parse was cut short or garbled on its
        // way, whatever the status; it is not a definite answer.
        (_, None) if looks_like_json(&resp.body) => PollAnswer::Transient {
            reason: format!("the token endpoint sent malformed JSON (HTTP {status})"),
            retry_after,
        },
        (200..=299, None) => PollAnswer::Transient {
            reason: "the token endpoint sent an unreadable answer".into(),
            retry_after,
        },
        (408 | 500..=599, _) => PollAnswer::Transient {
            reason: format!("the token endpoint answered HTTP {status}"),
            retry_after,
        },
        (_, _) => PollAnswer::Http { status },
    }
}

/// A grant that must not be used: a lifetime that is not a non-negative
/// number (stored, it would never expire), or a token type this client
/// does not understand (RFC 6749 §7.1: it must not use it).
fn unusable_grant(map: &Map<String, Value>) -> Option<String> {
    match map.get("token_type") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) if t.eq_ignore_ascii_case("bearer") => None,
        Some(Value::String(t)) if t.trim().is_empty() => None,
        Some(Value::String(t)) => Some(format!(
            "the token response has `token_type` `{}`; only Bearer tokens can be used",
            t.chars()
                .filter(|c| !c.is_control())
                .take(32)
                .collect::<String>()
        )),
        Some(_) => Some("the token response has a `token_type` that is not a string".into()),
    }
}

/// The test `body_object` uses to read a body as JSON.
fn looks_like_json(body: &[u8]) -> bool {
    body.trim_ascii_start().starts_with(b"{")
}

/// Form bodies carry numbers as strings; the typed fields want numbers.
///
/// A missing `expires_in` means the lifetime is unknown. One that is zero,
/// negative or not a number becomes 0: the token is taken as already
/// expired, so it is refreshed before any use, and a bad answer can never
/// turn into a token without an expiry.
fn normalise_token(mut map: Map<String, Value>) -> Map<String, Value> {
    match map.get("expires_in") {
        None | Some(Value::Null) => {
            map.remove("expires_in");
        }
        Some(v) => {
            let secs = match loose_number(v) {
                Some(n) if n.is_finite() && n > 0.0 => n.ceil().min(u32::MAX as f64) as u64,
                _ => 0,
            };
            map.insert("expires_in".into(), Value::from(secs));
        }
    }
    for key in ["token_type", "refresh_token", "scope", "id_token"] {
        if !matches!(map.get(key), Some(Value::String(s)) if !s.is_empty()) {
            map.remove(key);
        }
    }
    map
}
