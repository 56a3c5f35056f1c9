//! The sign-in flow as an iced subscription, keyed by the attempt.
//!
//! The subscription's identity is the attempt id. When the app starts a new
//! attempt (Back, New code, a renewal) the old subscription disappears from
//! `subscription()`, iced drops its stream, and dropping the stream drops the
//! driver: nothing more is sent for that attempt (driver.rs). Events that were
//! already queued still carry the old id, and `update` ignores them.
//!
//! Tokens never reach the UI: on a grant this stream checks and stores them
//! (`signin::finish`) and reports only who signed in.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt as _, Stream, StreamExt as _};
use iced::Subscription;

use crate::oauth::driver;
use crate::oauth::http::HttpTransport;
use crate::oauth::{CodeInfo, Flow, FlowError, FlowEvent};
use crate::provider::Provider;
use crate::signin::{self, Identity};

/// Identifies one sign-in attempt.
pub type AttemptId = u64;

/// What the UI learns about an attempt: `FlowEvent` without the tokens.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    Code(CodeInfo),
    Polling,
    SlowDown {
        interval: Duration,
    },
    Offline {
        reason: String,
        retry_in: Duration,
    },
    /// Approved on the other device; the tokens are being checked and stored.
    Approved,
    SignedIn(Identity),
    Denied,
    Expired,
    Failed(FlowError),
}

impl Progress {
    fn from_event(event: FlowEvent) -> Option<Self> {
        Some(match event {
            FlowEvent::CodeIssued(info) => Self::Code(info),
            FlowEvent::Polling => Self::Polling,
            FlowEvent::SlowDown { interval } => Self::SlowDown { interval },
            FlowEvent::Offline { reason, retry_in } => Self::Offline { reason, retry_in },
            FlowEvent::Denied => Self::Denied,
            FlowEvent::Expired => Self::Expired,
            FlowEvent::Failed(e) => Self::Failed(e),
            // Handled in `run`: the tokens stay in this module.
            FlowEvent::Granted(_) => return None,
        })
    }
}

/// Everything one attempt needs. Only the attempt id is its identity.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: AttemptId,
    pub provider: Arc<Provider>,
    pub data_dir: Option<PathBuf>,
}

impl Hash for Attempt {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

/// The subscription for one attempt.
pub fn subscription(attempt: Attempt) -> Subscription<(AttemptId, Progress)> {
    Subscription::run_with(attempt, run)
}

fn run(attempt: &Attempt) -> impl Stream<Item = (AttemptId, Progress)> + use<> {
    let attempt = attempt.clone();
    iced::stream::channel(8, async move |mut output| {
        let id = attempt.id;
        // A closed channel means the subscription was dropped: stop quietly.
        let mut send = async |progress: Progress| output.send((id, progress)).await.is_ok();
        let transport = match HttpTransport::shared() {
            Ok(t) => t,
            Err(e) => {
                send(Progress::Failed(FlowError::Request(e.to_string()))).await;
                return;
            }
        };
        let endpoints = match signin::resolve_endpoints(&attempt.provider, &transport).await {
            Ok(e) => e,
            Err(e) => {
                send(Progress::Failed(e)).await;
                return;
            }
        };
        let flow = Flow::new(attempt.provider.client_config(&endpoints));
        let events = driver::run(flow, transport.clone());
        futures::pin_mut!(events);
        while let Some(event) = events.next().await {
            let progress = match event {
                FlowEvent::Granted(tokens) => {
                    if !send(Progress::Approved).await {
                        return;
                    }
                    match signin::finish(
                        &attempt.provider,
                        &endpoints,
                        &tokens,
                        attempt.data_dir.as_deref(),
                        &transport,
                    )
                    .await
                    {
                        Ok(identity) => Progress::SignedIn(identity),
                        Err(e) => Progress::Failed(e),
                    }
                }
                other => match Progress::from_event(other) {
                    Some(p) => p,
                    None => continue,
                },
            };
            if !send(progress).await {
                return;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    //! End to end against a local server, in real time (the interval is 1 s).

    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::http::StatusCode;
    use axum::routing::post;
    use axum::{Json, Router};
    use serde_json::json;

    use super::*;
    use crate::provider::{EndpointSource, Endpoints};

    /// A device endpoint and a token endpoint that grants, or stays pending.
    async fn server(grant: bool) -> (Provider, Arc<AtomicUsize>) {
        let polls = Arc::new(AtomicUsize::new(0));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let verification = format!("{base}/activate");
        let counter = Arc::clone(&polls);
        let app = Router::new()
            .route(
                "/device",
                post(move || async move {
                    Json(json!({
                        "device_code": "dc-secret",
                        "user_code": "WDJB-MJHT",
                        "verification_uri": verification,
                        "expires_in": 600,
                        "interval": 1
                    }))
                }),
            )
            .route(
                "/token",
                post(move || async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    if grant {
                        (
                            StatusCode::OK,
                            Json(json!({"access_token": "at", "token_type": "Bearer"})),
                        )
                    } else {
                        (
                            StatusCode::BAD_REQUEST,
                            Json(json!({"error": "authorization_pending"})),
                        )
                    }
                }),
            );
        tokio::spawn(async move { axum::serve(listener, app).await });
        let provider = Provider {
            id: "local".into(),
            name: "Local".into(),
            client_id: "kiosk".into(),
            client_secret: None,
            client_auth: Default::default(),
            scope: None,
            scope_param: "scope".into(),
            extra_params: vec![],
            endpoints: EndpointSource::Explicit(Endpoints {
                device_authorization_endpoint: format!("{base}/device"),
                token_endpoint: format!("{base}/token"),
                ..Endpoints::default()
            }),
            preset: None,
            demo: false,
        };
        (provider, polls)
    }

    fn attempt(id: AttemptId, provider: Provider) -> Attempt {
        Attempt {
            id,
            provider: Arc::new(provider),
            data_dir: None,
        }
    }

    #[tokio::test]
    async fn a_grant_is_reported_as_who_signed_in_never_as_tokens() {
        let (provider, _) = server(true).await;
        let events: Vec<(AttemptId, Progress)> = run(&attempt(7, provider)).collect().await;
        let progress: Vec<&Progress> = events.iter().map(|(_, p)| p).collect();
        assert!(
            events.iter().all(|(id, _)| *id == 7),
            "tagged with the attempt"
        );
        assert!(matches!(progress[0], Progress::Code(c) if c.user_code == "WDJB-MJHT"));
        assert_eq!(
            &progress[1..],
            [
                &Progress::Polling,
                &Progress::Approved,
                &Progress::SignedIn(Identity::default())
            ]
        );
    }

    #[tokio::test]
    async fn dropping_the_stream_stops_the_flow() {
        // Nothing outside the stream drives the flow: iced dropping it (a new
        // attempt id) is the cancellation.
        let (provider, polls) = server(false).await;
        let mut stream = Box::pin(run(&attempt(1, provider)));
        assert!(matches!(stream.next().await, Some((1, Progress::Code(_)))));
        assert_eq!(stream.next().await, Some((1, Progress::Polling)));
        drop(stream);
        // A request already on the wire may still arrive; none starts later.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let sent = polls.load(Ordering::SeqCst);
        assert!(sent <= 1);
        tokio::time::sleep(Duration::from_millis(2500)).await;
        assert_eq!(polls.load(Ordering::SeqCst), sent, "no poll after the drop");
    }
}
