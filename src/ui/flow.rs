//! The sign-in pipeline as an iced subscription, keyed by the attempt.
//!
//! The subscription's identity is the attempt id. When the app starts a new
//! attempt (Back, New code, a renewal) the old subscription disappears from
//! `subscription()`, iced drops its stream, and dropping the stream drops the
//! pipeline: nothing more is sent for that attempt. Events that were already
//! queued still carry the old id, and `update` ignores them.
//!
//! The stream is [`signin::run`], the same one `login` prints: tokens never
//! reach the UI, only who signed in, or the typed outcome.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use futures::{Stream, StreamExt as _};
use iced::Subscription;

use crate::provider::Provider;
use crate::signin::{self, SigninEvent};

/// Identifies one sign-in attempt.
pub type AttemptId = u64;

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
pub fn subscription(attempt: Attempt) -> Subscription<(AttemptId, SigninEvent)> {
    Subscription::run_with(attempt, events)
}

/// The attempt's events: `signin::run`, tagged with the attempt id.
pub fn events(attempt: &Attempt) -> impl Stream<Item = (AttemptId, SigninEvent)> + use<> {
    let id = attempt.id;
    signin::run(
        Arc::clone(&attempt.provider),
        attempt.data_dir.clone(),
        signin::shared_http(),
    )
    .map(move |event| (id, event))
}

#[cfg(test)]
mod tests {
    //! End to end against a local server, in real time (the interval is 1 s).

    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::http::StatusCode;
    use axum::routing::post;
    use axum::{Json, Router};
    use serde_json::json;

    use std::time::Duration;

    use super::*;
    use crate::provider::{EndpointSource, Endpoints};
    use crate::signin::Identity;

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
            logo: None,
        };
        (provider, polls)
    }

    /// An attempt whose tokens go to a temporary directory, never to the
    /// home directory of whoever runs the tests.
    fn attempt(id: AttemptId, provider: Provider, dir: &tempfile::TempDir) -> Attempt {
        Attempt {
            id,
            provider: Arc::new(provider),
            data_dir: Some(dir.path().to_owned()),
        }
    }

    #[tokio::test]
    async fn a_grant_is_reported_as_who_signed_in_never_as_tokens() {
        let (provider, _) = server(true).await;
        let dir = tempfile::tempdir().unwrap();
        let events: Vec<(AttemptId, SigninEvent)> =
            events(&attempt(7, provider, &dir)).collect().await;
        let progress: Vec<&SigninEvent> = events.iter().map(|(_, p)| p).collect();
        assert!(
            events.iter().all(|(id, _)| *id == 7),
            "tagged with the attempt"
        );
        assert!(matches!(progress[0], SigninEvent::Code(c) if c.user_code == "WDJB-MJHT"));
        assert_eq!(progress[1], &SigninEvent::Polling);
        assert!(matches!(progress[2], SigninEvent::Approved(g) if !g.refresh_token));
        assert_eq!(progress[3], &SigninEvent::SignedIn(Identity::default()));
        assert_eq!(progress.len(), 4);
        assert!(
            crate::store::load(dir.path(), "local").unwrap().is_some(),
            "stored in the attempt's own directory"
        );
    }

    #[tokio::test]
    async fn dropping_the_stream_stops_the_flow() {
        // Nothing outside the stream drives the flow: iced dropping it (a new
        // attempt id) is the cancellation.
        let (provider, polls) = server(false).await;
        let dir = tempfile::tempdir().unwrap();
        let mut stream = Box::pin(events(&attempt(1, provider, &dir)));
        assert!(matches!(
            stream.next().await,
            Some((1, SigninEvent::Code(_)))
        ));
        assert_eq!(stream.next().await, Some((1, SigninEvent::Polling)));
        drop(stream);
        // A request already on the wire may still arrive; none starts later.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let sent = polls.load(Ordering::SeqCst);
        assert!(sent <= 1);
        tokio::time::sleep(Duration::from_millis(2500)).await;
        assert_eq!(polls.load(Ordering::SeqCst), sent, "no poll after the drop");
    }
}
