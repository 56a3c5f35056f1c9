//! The HTTP face of the demo server: axum routes over [`Authority`].

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde_json::{Value, json};

use super::keys::SigningKey;
use super::page;
use super::state::{
    Authority, DecideError, Decision, DemoIdentity, Issued, OAuthFailure, whole_seconds,
};
use super::{CLIENT_ID, DemoConfig, SCOPES_SUPPORTED};
use crate::oauth::wire::DEVICE_CODE_GRANT;

pub const DEVICE_AUTHORIZATION_PATH: &str = "/oauth/device_authorization";
pub const TOKEN_PATH: &str = "/oauth/token";
pub const REVOCATION_PATH: &str = "/oauth/revoke";
pub const USERINFO_PATH: &str = "/oauth/userinfo";
pub const JWKS_PATH: &str = "/oauth/jwks";
pub const VERIFICATION_PATH: &str = "/device";
pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";

/// Forms and tokens are small; anything bigger is not for us.
const BODY_LIMIT: usize = 16 * 1024;

/// What every handler shares.
#[derive(Debug)]
pub struct Shared {
    pub issuer: String,
    pub key: SigningKey,
    pub config: DemoConfig,
    pub authority: Mutex<Authority>,
}

impl Shared {
    pub fn authority(&self) -> MutexGuard<'_, Authority> {
        // No code panics while holding the lock, but if one did, the tables
        // are still consistent enough for a demo: keep serving.
        self.authority.lock().unwrap_or_else(|e| e.into_inner())
    }
}

type AppState = Arc<Shared>;

pub fn router(shared: AppState) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to(VERIFICATION_PATH) }))
        .route(DISCOVERY_PATH, get(discovery))
        .route("/.well-known/oauth-authorization-server", get(discovery))
        .route(DEVICE_AUTHORIZATION_PATH, post(device_authorization))
        .route(TOKEN_PATH, post(token))
        .route(REVOCATION_PATH, post(revoke))
        .route(USERINFO_PATH, get(userinfo).post(userinfo))
        .route(JWKS_PATH, get(jwks))
        .route(VERIFICATION_PATH, get(device_page).post(device_submit))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(shared)
}

/// A form body, with RFC 6749 §3.2's rule that no parameter repeats.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(body: &[u8]) -> Result<Self, OAuthFailure> {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .map(Self)
            .map_err(|_| {
                OAuthFailure::new(
                    "invalid_request",
                    "the body is not application/x-www-form-urlencoded",
                )
            })
    }

    fn get(&self, name: &str) -> Result<Option<&str>, OAuthFailure> {
        let mut values = self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
        match (values.next(), values.next()) {
            (Some(_), Some(_)) => Err(OAuthFailure::new(
                "invalid_request",
                format!("the `{name}` parameter is repeated"),
            )),
            (one, _) => Ok(one.map(String::as_str).filter(|v| !v.is_empty())),
        }
    }
}

/// The client id from the form, or from HTTP Basic (a public client may
/// still send one; its password is ignored).
fn client_id(params: &Params, headers: &HeaderMap) -> Result<Option<String>, OAuthFailure> {
    if let Some(id) = params.get("client_id")? {
        return Ok(Some(id.to_owned()));
    }
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        });
    let Some(encoded) = basic else {
        return Ok(None);
    };
    let bad = || OAuthFailure::new("invalid_request", "malformed Basic authorization header");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| bad())?;
    let text = String::from_utf8(decoded).map_err(|_| bad())?;
    let user = text.split(':').next().unwrap_or("");
    let user: String = url::form_urlencoded::parse(format!("u={user}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    Ok(Some(user))
}

fn no_store(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    resp
}

fn json_response(status: StatusCode, body: Value) -> Response {
    no_store((status, axum::Json(body)).into_response())
}

fn oauth_error(f: OAuthFailure) -> Response {
    let mut body = json!({ "error": f.error, "error_description": f.description });
    if let Some(interval) = f.interval {
        body["interval"] = interval.into();
    }
    let status = StatusCode::from_u16(f.status).unwrap_or(StatusCode::BAD_REQUEST);
    json_response(status, body)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn discovery(State(s): State<AppState>) -> Response {
    let i = &s.issuer;
    json_response(
        StatusCode::OK,
        json!({
            "issuer": i,
            "device_authorization_endpoint": format!("{i}{DEVICE_AUTHORIZATION_PATH}"),
            "token_endpoint": format!("{i}{TOKEN_PATH}"),
            "revocation_endpoint": format!("{i}{REVOCATION_PATH}"),
            "userinfo_endpoint": format!("{i}{USERINFO_PATH}"),
            "jwks_uri": format!("{i}{JWKS_PATH}"),
            "grant_types_supported": [DEVICE_CODE_GRANT, "refresh_token"],
            // No authorization endpoint: the device flow does not use one.
            "response_types_supported": [],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"],
            "scopes_supported": SCOPES_SUPPORTED,
            "claims_supported": ["iss", "aud", "sub", "iat", "exp", "auth_time", "name", "preferred_username", "email", "email_verified"],
            "token_endpoint_auth_methods_supported": ["none"],
            "revocation_endpoint_auth_methods_supported": ["none"],
            "service_documentation": format!("{i}{VERIFICATION_PATH}"),
        }),
    )
}

async fn jwks(State(s): State<AppState>) -> Response {
    (StatusCode::OK, axum::Json(s.key.jwks())).into_response()
}

async fn device_authorization(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = (|| {
        let params = Params::parse(&body)?;
        let client_id = client_id(&params, &headers)?;
        let scope = params.get("scope")?;
        // Not in RFC 8628: what the device calls itself, for the page.
        let device_name = params.get("device_name")?;
        s.authority()
            .authorize_device(client_id.as_deref(), scope, device_name, Instant::now())
    })();
    match result {
        Ok(issued) => {
            let uri = format!("{}{VERIFICATION_PATH}", s.issuer);
            let complete = url::Url::parse_with_params(&uri, [("user_code", &issued.user_code)])
                .map(String::from)
                .unwrap_or_else(|_| format!("{uri}?user_code={}", issued.user_code));
            json_response(
                StatusCode::OK,
                json!({
                    "device_code": issued.device_code,
                    "user_code": issued.user_code,
                    "verification_uri": uri,
                    "verification_uri_complete": complete,
                    "expires_in": whole_seconds(issued.expires_in),
                    // Clients refuse an interval longer than the lifetime.
                    "interval": whole_seconds(issued.interval).min(whole_seconds(issued.expires_in)),
                }),
            )
        }
        Err(f) => oauth_error(f),
    }
}

async fn token(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let result = (|| {
        let params = Params::parse(&body)?;
        let client_id = client_id(&params, &headers)?;
        let client_id = client_id.as_deref();
        match params.get("grant_type")? {
            Some(DEVICE_CODE_GRANT) => {
                let code = params.get("device_code")?;
                let mut authority = s.authority();
                authority.poll(client_id, code, Instant::now())
            }
            Some("refresh_token") => {
                let token = params.get("refresh_token")?;
                let mut authority = s.authority();
                authority.refresh(client_id, token, Instant::now())
            }
            Some(other) => {
                let shown: String = other.chars().take(80).collect();
                Err(OAuthFailure::new(
                    "unsupported_grant_type",
                    format!("grant_type `{shown}` is not supported here"),
                ))
            }
            None => Err(OAuthFailure::new(
                "invalid_request",
                "the `grant_type` parameter is missing",
            )),
        }
    })();
    match result {
        Ok(issued) => token_response(&s, issued),
        Err(f) => oauth_error(f),
    }
}

fn token_response(s: &Shared, issued: Issued) -> Response {
    let lifetime = whole_seconds(issued.expires_in);
    let mut body = json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "refresh_token": issued.refresh_token,
        "scope": issued.scope,
    });
    if issued.scope.split(' ').any(|s| s == "openid") {
        match s
            .key
            .id_token(&s.issuer, CLIENT_ID, &issued.identity, unix_now(), lifetime)
        {
            Ok(id_token) => body["id_token"] = id_token.into(),
            Err(e) => {
                tracing::error!(error = %e, "cannot sign an ID token");
                return oauth_error(OAuthFailure {
                    status: 500,
                    ..OAuthFailure::new("server_error", "cannot sign the ID token")
                });
            }
        }
    }
    json_response(StatusCode::OK, body)
}

async fn revoke(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let result = (|| {
        let params = Params::parse(&body)?;
        let client_id = client_id(&params, &headers)?;
        let token = params.get("token")?.ok_or_else(|| {
            OAuthFailure::new("invalid_request", "the `token` parameter is missing")
        })?;
        // token_type_hint is optional and only a hint; both tables are searched.
        params.get("token_type_hint")?;
        s.authority().revoke(client_id.as_deref(), token)
    })();
    match result {
        Ok(()) => no_store(StatusCode::OK.into_response()),
        Err(f) => oauth_error(f),
    }
}

async fn userinfo(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|t| !t.is_empty());
    let unauthorized = |challenge: &'static str| {
        let mut resp = json_response(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "invalid_token", "error_description": "a valid Bearer access token is required" }),
        );
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        );
        resp
    };
    let Some(token) = bearer else {
        return unauthorized(r#"Bearer realm="device-signin-demo""#);
    };
    let identity = s.authority().userinfo(token, Instant::now());
    match identity {
        Some(id) => json_response(StatusCode::OK, identity_json(&id)),
        None => unauthorized(r#"Bearer realm="device-signin-demo", error="invalid_token""#),
    }
}

fn identity_json(id: &DemoIdentity) -> Value {
    json!({
        "sub": id.sub,
        "name": id.name,
        "preferred_username": id.preferred_username,
        "email": id.email,
        "email_verified": false,
    })
}

/// An HTML page that must not be cached, framed, or load anything.
fn html(status: StatusCode, body: String) -> Response {
    let mut resp = no_store((status, axum::response::Html(body)).into_response());
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    resp
}

/// The verification page. With a `user_code` (the
/// `verification_uri_complete` link, or the code typed on the first step)
/// it shows which device asks, for what, and for how long, with Approve and
/// Deny; without one, the field to type it. Looking a code up is rate
/// limited like deciding, so it tells a guesser nothing for free.
async fn device_page(State(s): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let typed = query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "user_code"))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    if typed.is_empty() {
        return html(StatusCode::OK, page::enter("", None));
    }
    let found = s.authority().lookup(&typed, Instant::now());
    match found {
        Ok(pending) => html(StatusCode::OK, page::confirm(&pending)),
        Err(e) => decide_error_page(e, &typed),
    }
}

async fn device_submit(State(s): State<AppState>, body: Bytes) -> Response {
    let Ok(params) = Params::parse(&body) else {
        return html(
            StatusCode::BAD_REQUEST,
            page::message("Something went wrong", "The form could not be read."),
        );
    };
    let field = |name: &str| params.get(name).ok().flatten().unwrap_or("");
    let typed = field("user_code").trim();
    let decision = match field("action") {
        "approve" => Decision::Approve(DemoIdentity::from_name(Some(field("name")))),
        "deny" => Decision::Deny,
        _ => {
            return html(
                StatusCode::BAD_REQUEST,
                page::enter(typed, Some("Continue, then choose Approve or Deny.")),
            );
        }
    };
    if typed.is_empty() {
        return html(
            StatusCode::BAD_REQUEST,
            page::enter("", Some("Enter the code shown on your TV.")),
        );
    }
    let approved_as = match &decision {
        Decision::Approve(id) => Some(id.name.clone()),
        Decision::Deny => None,
    };
    let outcome = s.authority().decide(typed, decision, Instant::now());
    match outcome {
        Ok(code) => match approved_as {
            Some(name) => html(StatusCode::OK, page::approved(&code, &name)),
            None => html(StatusCode::OK, page::denied(&code)),
        },
        Err(e) => decide_error_page(e, typed),
    }
}

/// Why a code cannot be looked up or decided, as a page.
fn decide_error_page(error: DecideError, typed: &str) -> Response {
    match error {
        DecideError::RateLimited(wait) => {
            let secs = whole_seconds(wait);
            let mut resp = html(
                StatusCode::TOO_MANY_REQUESTS,
                page::message(
                    "Too many wrong codes",
                    &format!(
                        "Codes were entered wrongly too often, so checking is paused for safety. \
                         Try again in {secs} seconds."
                    ),
                ),
            );
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
        DecideError::Unknown => {
            // A code we could accept in its canonical form; anything else as typed.
            let shown = super::codes::normalise_user_code(typed)
                .map(|c| super::codes::display_user_code(&c))
                .unwrap_or_else(|| typed.to_owned());
            html(
                StatusCode::BAD_REQUEST,
                page::enter(
                    &shown,
                    Some("That code is not valid. Check the code on your TV and try again."),
                ),
            )
        }
        DecideError::Expired => html(
            StatusCode::GONE,
            page::message(
                "This code has expired",
                "Get a new code on your TV, then enter it here.",
            ),
        ),
        DecideError::AlreadyUsed => html(
            StatusCode::CONFLICT,
            page::message(
                "This code was already used",
                "It was approved or denied before. To sign in again, get a new code on your TV.",
            ),
        ),
    }
}
