//! The OAuth 2.0 Device Authorization Grant ([RFC 8628]) for TVs, kiosks
//! and anything else without a keyboard, as a sans-IO state machine.
//!
//! A [`Flow`] knows the protocol's rules and nothing of HTTP clients,
//! runtimes or clocks. You ask it what to do next ([`Flow::next_action`]),
//! do that, and feed back the answer with the [`Instant`](std::time::Instant)
//! it arrived ([`Flow::on_response`]). It reports what happened as
//! [`FlowEvent`]s: a code was issued, a poll goes out, the server asked to
//! slow down, the network is down and the poll will be retried, and the
//! outcome: granted (with the tokens), denied, expired, or failed (with a
//! typed [`FlowError`]).
//!
//! What it does that widespread clients do not:
//! - it never polls before the interval, measured from the previous answer,
//!   and `slow_down` lasts for every later poll;
//! - a network failure while polling keeps the code and backs off, up to
//!   60 s, instead of ending the flow;
//! - nothing is sent at or after the code's local deadline;
//! - it refuses verification URIs that could mislead (not `https`, a user
//!   name before the host, spoofing characters in the code);
//! - answers are classified by their body first: GitHub's errors with
//!   HTTP 200, Google's `verification_url`, form-encoded bodies, numbers
//!   sent as strings.
//!
//! Also here: [`token::refresh`] and [`token::revoke`] (RFC 6749 §6,
//! RFC 7009), [`discovery`] documents (OpenID Connect Discovery and
//! RFC 8414), token answers that keep every extra field
//! ([`TokenResponse::extra`]), requested and granted scopes, and secrets
//! ([`DeviceCode`], [`AccessToken`]...) whose `Debug` and `Display` print
//! `[redacted]`.
//!
//! With the `reqwest` feature: `http::HttpTransport` (rustls, timeouts,
//! a body cap, no redirects, failures sorted into kinds) and
//! `driver::run`, which runs a flow on tokio as a `Stream` of events;
//! dropping the stream cancels the flow.
//!
//! # Example
//!
//! The whole flow, driven by hand against scripted answers: this is what a
//! driver does, and how every rule is tested without a clock or a network.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use device_flow::{Action, ClientConfig, Flow, FlowEvent, HttpResponse};
//!
//! let mut cfg = ClientConfig::new(
//!     "tv-app",
//!     "https://auth.example.com/device",
//!     "https://auth.example.com/token",
//! );
//! cfg.scope = Some("openid profile".into());
//! let mut flow = Flow::new(cfg);
//!
//! // 1. The device authorization request.
//! let t0 = Instant::now();
//! let (Action::Send(request), _) = flow.next_action(t0) else { unreachable!() };
//! assert_eq!(request.param("client_id"), Some("tv-app"));
//! let events = flow.on_response(
//!     Ok(HttpResponse::json(200, r#"{
//!         "device_code": "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
//!         "user_code": "WDJB-MJHT",
//!         "verification_uri": "https://auth.example.com/device",
//!         "expires_in": 1800, "interval": 5 }"#)),
//!     t0,
//! );
//! let [FlowEvent::CodeIssued(code)] = events.as_slice() else { unreachable!() };
//! assert_eq!(code.user_code, "WDJB-MJHT"); // show this, and the URI
//!
//! // 2. Nothing is sent before the interval has passed.
//! assert_eq!(flow.next_action(t0).0, Action::WaitUntil(t0 + Duration::from_secs(5)));
//!
//! // 3. The first poll: the person has not approved yet.
//! let t1 = t0 + Duration::from_secs(5);
//! let (Action::Send(poll), events) = flow.next_action(t1) else { unreachable!() };
//! assert_eq!(events, vec![FlowEvent::Polling]);
//! assert_eq!(poll.param("grant_type"), Some("urn:ietf:params:oauth:grant-type:device_code"));
//! flow.on_response(Ok(HttpResponse::json(400, r#"{"error":"authorization_pending"}"#)), t1);
//!
//! // 4. Approved.
//! let t2 = t1 + Duration::from_secs(5);
//! let (Action::Send(_), _) = flow.next_action(t2) else { unreachable!() };
//! let events = flow.on_response(
//!     Ok(HttpResponse::json(200, r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA",
//!         "token_type":"Bearer","expires_in":3600,"scope":"openid","x-tenant":"42"}"#)),
//!     t2,
//! );
//! let [FlowEvent::Granted(tokens)] = events.as_slice() else { unreachable!() };
//! assert_eq!(tokens.granted_scopes(&ClientConfig::new("tv-app", "", "")), ["openid"]);
//! assert_eq!(tokens.extra["x-tenant"], "42"); // extra fields are kept
//! assert_eq!(format!("{:?}", tokens.access_token), "AccessToken([redacted])");
//! assert_eq!(flow.next_action(t2).0, Action::Done);
//! ```
//!
//! [RFC 8628]: https://www.rfc-editor.org/rfc/rfc8628

#![warn(missing_docs)]

pub mod discovery;
#[cfg(feature = "reqwest")]
pub mod driver;
pub mod flow;
#[cfg(feature = "reqwest")]
pub mod http;
pub mod secret;
pub mod token;
pub mod transport;
pub mod wire;

pub use discovery::Endpoints;
pub use flow::{Action, CodeInfo, Endpoint, Flow, FlowError, FlowEvent};
pub use secret::{AccessToken, ClientSecret, DeviceCode, IdToken, RefreshToken};
pub use transport::Transport;
pub use wire::{
    ClientAuth, ClientConfig, HttpRequest, HttpResponse, OAuthError, RequestHook, TokenResponse,
    TransportError, TransportErrorKind,
};

#[cfg(test)]
mod rules_tests;
