//! The RFC 8628 rules as a sans-IO state machine.
//!
//! The flow knows nothing of HTTP clients, runtimes or clocks. A driver asks
//! it what to do next (`next_action`), performs that, and feeds back the
//! answer with the `Instant` it arrived (`on_response`). Every rule is
//! therefore a fast unit test with made-up times.

use std::time::{Duration, Instant};

use crate::secret::DeviceCode;
use crate::wire::{
    self, ClientConfig, DeviceAuthorization, DeviceResponseError, HttpRequest, HttpResponse,
    OAuthError, PollAnswer, TokenResponse, TransportError,
};

/// slow_down adds this to the interval, for every later poll (RFC 8628 §3.5).
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// The transient backoff never grows past this (R7).
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// What the driver must do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Send this request, then call `on_response` with its result.
    Send(HttpRequest),
    /// Nothing to do before this instant; then ask again.
    WaitUntil(Instant),
    /// A request is in flight: wait for its answer. Never two at once (R4).
    AwaitResponse,
    /// The flow has ended; its outcome was reported.
    Done,
}

/// The code to show the user.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeInfo {
    /// The code the person types on the other device (not a secret).
    pub user_code: String,
    /// Where the person goes.
    pub verification_uri: String,
    /// The same with the code filled in, for a QR code.
    pub verification_uri_complete: Option<String>,
    /// The code's lifetime, as the server sent it.
    pub expires_in: Duration,
    /// The local monotonic deadline, fixed when the answer arrived.
    pub expires_at: Instant,
    /// The polling interval at the start.
    pub interval: Duration,
    /// Microsoft's human-readable instructions, when sent.
    pub message: Option<String>,
}

impl CodeInfo {
    /// What goes into the QR code: the complete URI when there is one.
    pub fn qr_uri(&self) -> &str {
        self.verification_uri_complete
            .as_deref()
            .unwrap_or(&self.verification_uri)
    }
}

/// The one event stream every front-end consumes.
#[derive(Debug, Clone, PartialEq)]
pub enum FlowEvent {
    /// A code was issued: show it.
    CodeIssued(CodeInfo),
    /// A poll is being sent now.
    Polling,
    /// The server asked us to slow down; this interval holds from now on.
    SlowDown {
        /// The new interval.
        interval: Duration,
    },
    /// A poll failed in transit; the code is kept and polling resumes.
    Offline {
        /// What failed, naming the host (never a body).
        reason: String,
        /// When the next poll goes out.
        retry_in: Duration,
    },
    /// The user approved. Terminal.
    Granted(Box<TokenResponse>),
    /// The user declined. Terminal.
    Denied,
    /// The code expired before approval. Terminal; a renewal is a new flow.
    Expired,
    /// The flow cannot go on. Terminal.
    Failed(FlowError),
}

impl FlowEvent {
    /// Whether this event ends the flow.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Granted(_) | Self::Denied | Self::Expired | Self::Failed(_)
        )
    }
}

/// Which endpoint an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// The device authorization endpoint (RFC 8628 §3.1).
    DeviceAuthorization,
    /// The token endpoint (RFC 8628 §3.4).
    Token,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::DeviceAuthorization => "the device authorization endpoint",
            Self::Token => "the token endpoint",
        })
    }
}

/// Why a flow failed. Typed, so that an application decides what to show
/// and whether to retry without reading error text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FlowError {
    /// An RFC error the server reported (`error`, `error_description`, `error_uri`).
    #[error("the server reported an error: {0}")]
    Server(OAuthError),
    /// The device authorization request got no answer (network, TLS, a
    /// cap). Polls that fail in transit are retried, not failed (R7).
    #[error("the request failed: {0}")]
    Transport(TransportError),
    /// An HTTP status without an OAuth error body (a wrong endpoint URL
    /// answers 404, a proxy 403).
    #[error("{endpoint} answered HTTP {status} without an OAuth error")]
    Http {
        /// Which endpoint answered.
        endpoint: Endpoint,
        /// The HTTP status.
        status: u16,
    },
    /// The server answered, but not in a way that can be used.
    #[error("{0}")]
    InvalidResponse(String),
}

impl From<DeviceResponseError> for FlowError {
    fn from(e: DeviceResponseError) -> Self {
        match e {
            DeviceResponseError::Server(err) => Self::Server(err),
            DeviceResponseError::Http { status } => Self::Http {
                endpoint: Endpoint::DeviceAuthorization,
                status,
            },
            other => Self::InvalidResponse(other.to_string()),
        }
    }
}

#[derive(Debug)]
struct Active {
    device_code: DeviceCode,
    deadline: Instant,
    /// The server interval: only slow_down raises it, and it lasts.
    interval: Duration,
    /// Consecutive transient failures; reset by the next parsed answer.
    failures: u32,
    next_poll: Instant,
}

#[derive(Debug)]
enum State {
    Start,
    AwaitingCode,
    Waiting(Active),
    Polling(Active),
    Finished,
}

/// One run of the device flow: one device code, from request to outcome.
/// A new code after expiry is a new `Flow` with the same config.
#[derive(Debug)]
pub struct Flow {
    config: ClientConfig,
    state: State,
}

impl Flow {
    /// A flow for this client, before its first request.
    pub fn new(config: ClientConfig) -> Self {
        Self {
            config,
            state: State::Start,
        }
    }

    /// The scopes this flow asks for. The grant's
    /// [`TokenResponse::granted_scopes`] says which were granted.
    pub fn requested_scopes(&self) -> Vec<&str> {
        self.config.requested_scopes()
    }

    /// Whether the flow has ended (an outcome was reported, or it was cancelled).
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished)
    }

    /// R9: after cancel nothing more is sent and late answers are dropped.
    pub fn cancel(&mut self) {
        self.state = State::Finished;
    }

    /// The next thing to do at `now`, plus any events that happen by itself
    /// (a poll starting, the local deadline passing).
    pub fn next_action(&mut self, now: Instant) -> (Action, Vec<FlowEvent>) {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Start => {
                self.state = State::AwaitingCode;
                (Action::Send(wire::device_request(&self.config)), vec![])
            }
            s @ (State::AwaitingCode | State::Polling(_)) => {
                self.state = s;
                (Action::AwaitResponse, vec![])
            }
            State::Waiting(active) => {
                // R8: nothing is sent at or after the local deadline.
                if now >= active.deadline {
                    return (Action::Done, vec![FlowEvent::Expired]);
                }
                if now < active.next_poll {
                    let until = active.next_poll.min(active.deadline);
                    self.state = State::Waiting(active);
                    return (Action::WaitUntil(until), vec![]);
                }
                let req = wire::poll_request(&self.config, &active.device_code);
                self.state = State::Polling(active);
                (Action::Send(req), vec![FlowEvent::Polling])
            }
            State::Finished => (Action::Done, vec![]),
        }
    }

    /// Feed the result of the request last returned by `next_action`,
    /// with the instant its answer (or failure) arrived.
    pub fn on_response(
        &mut self,
        result: Result<HttpResponse, TransportError>,
        now: Instant,
    ) -> Vec<FlowEvent> {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::AwaitingCode => self.on_code(result, now),
            State::Polling(active) => self.on_poll(active, result, now),
            // R9: a late answer after cancel or the end changes nothing.
            other => {
                self.state = other;
                vec![]
            }
        }
    }

    fn on_code(
        &mut self,
        result: Result<HttpResponse, TransportError>,
        now: Instant,
    ) -> Vec<FlowEvent> {
        let resp = match result {
            Ok(resp) => resp,
            Err(e) => return vec![FlowEvent::Failed(FlowError::Transport(e))],
        };
        let auth: DeviceAuthorization =
            match wire::parse_device_authorization_with(&resp, self.config.allow_http_verification)
            {
                Ok(auth) => auth,
                Err(e) => return vec![FlowEvent::Failed(e.into())],
            };
        // R4: the first poll is one interval after the answer arrived.
        // R8: a lifetime shorter than the interval is still shown; the
        // deadline then ends the flow without a poll.
        let deadline = now + auth.expires_in;
        let info = CodeInfo {
            // Server text: shown with the secrets this process holds redacted.
            message: auth.message().map(crate::secret::redact),
            user_code: auth.user_code,
            verification_uri: auth.verification_uri,
            verification_uri_complete: auth.verification_uri_complete,
            expires_in: auth.expires_in,
            expires_at: deadline,
            interval: auth.interval,
        };
        self.state = State::Waiting(Active {
            device_code: auth.device_code,
            deadline,
            interval: auth.interval,
            failures: 0,
            next_poll: now + auth.interval,
        });
        vec![FlowEvent::CodeIssued(info)]
    }

    fn on_poll(
        &mut self,
        mut active: Active,
        result: Result<HttpResponse, TransportError>,
        now: Instant,
    ) -> Vec<FlowEvent> {
        let answer = match result {
            Ok(resp) => wire::parse_token_answer(&resp),
            Err(e) => PollAnswer::Transient {
                reason: e.to_string(),
                retry_after: None,
            },
        };
        let mut events = Vec::new();
        let retry_after = match answer {
            // R10: after a grant the device code is never polled again.
            PollAnswer::Granted(tokens) => return vec![FlowEvent::Granted(tokens)],
            PollAnswer::Invalid(why) => {
                return vec![FlowEvent::Failed(FlowError::InvalidResponse(why))];
            }
            PollAnswer::Http { status } => {
                return vec![FlowEvent::Failed(FlowError::Http {
                    endpoint: Endpoint::Token,
                    status,
                })];
            }
            PollAnswer::Transient {
                reason,
                retry_after,
            } => return self.transient(active, reason, retry_after, now),
            PollAnswer::RateLimited { retry_after } => {
                slow_down(&mut active, None, &mut events);
                retry_after
            }
            // RFC 6749 §4.1.2.1: the server is overloaded or broke; Entra sends
            // these from its token endpoint and documents them as "retry".
            PollAnswer::Error { error, retry_after }
                if matches!(
                    error.error.as_str(),
                    "temporarily_unavailable" | "server_error"
                ) =>
            {
                return self.transient(active, error.to_string(), retry_after, now);
            }
            PollAnswer::Error { error, retry_after } => match error.error.as_str() {
                "authorization_pending" => retry_after,
                "slow_down" => {
                    slow_down(&mut active, error.interval, &mut events);
                    retry_after
                }
                "access_denied" | "authorization_declined" => return vec![FlowEvent::Denied],
                "expired_token" => return vec![FlowEvent::Expired],
                // Auth0 and oidc-provider answer expired_token only for a while.
                "invalid_grant" if now >= active.deadline => return vec![FlowEvent::Expired],
                _ => return vec![FlowEvent::Failed(FlowError::Server(error))],
            },
        };
        // A parsed answer: the transient backoff starts over (R7), and the next
        // poll is one interval after this answer arrived (R4).
        active.failures = 0;
        active.next_poll = now + active.interval.max(retry_after.unwrap_or(Duration::ZERO));
        self.state = State::Waiting(active);
        events
    }
}

impl Flow {
    /// R7: keep the code, back off, report the retry.
    fn transient(
        &mut self,
        mut active: Active,
        reason: String,
        retry_after: Option<Duration>,
        now: Instant,
    ) -> Vec<FlowEvent> {
        active.failures = active.failures.saturating_add(1);
        let wait = transient_wait(active.interval, active.failures)
            .max(retry_after.unwrap_or(Duration::ZERO));
        active.next_poll = now + wait;
        self.state = State::Waiting(active);
        vec![FlowEvent::Offline {
            reason,
            retry_in: wait,
        }]
    }
}

fn slow_down(active: &mut Active, body_interval: Option<u64>, events: &mut Vec<FlowEvent>) {
    let stepped = active.interval + SLOW_DOWN_STEP;
    let from_body = Duration::from_secs(body_interval.unwrap_or(0));
    active.interval = stepped.max(from_body);
    events.push(FlowEvent::SlowDown {
        interval: active.interval,
    });
}

/// R7: wait max(interval, b); b starts at the interval, doubles on each
/// consecutive failure and is capped at 60 s.
pub fn transient_wait(interval: Duration, consecutive_failures: u32) -> Duration {
    let doublings = consecutive_failures.saturating_sub(1).min(16);
    let b = interval.saturating_mul(1 << doublings).min(MAX_BACKOFF);
    interval.max(b)
}
