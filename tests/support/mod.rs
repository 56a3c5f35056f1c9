//! A scripted authorization server for integration tests: it answers each
//! endpoint from a list of replies (the last one repeats) and records every
//! request it got, with the instant it arrived.
#![allow(dead_code)]

pub mod fault_proxy;
pub mod x11;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub form: HashMap<String, String>,
    pub headers: HeaderMap,
    pub at: Instant,
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "application/json",
            body: body.into(),
            headers: vec![],
            delay: Duration::ZERO,
        }
    }

    pub fn form(status: u16, body: impl Into<String>) -> Self {
        Self {
            content_type: "application/x-www-form-urlencoded",
            ..Self::json(status, body)
        }
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

pub fn pending() -> Reply {
    Reply::json(400, r#"{"error":"authorization_pending"}"#)
}

pub fn granted() -> Reply {
    Reply::json(
        200,
        r#"{"access_token":"AT-granted","token_type":"Bearer","expires_in":3600,"refresh_token":"RT-granted"}"#,
    )
}

/// A device authorization answer pointing at this server.
pub fn code(interval: Option<u64>, expires_in: u64) -> Reply {
    let interval = interval
        .map(|i| format!(r#","interval":{i}"#))
        .unwrap_or_default();
    Reply::json(
        200,
        format!(
            r#"{{"device_code":"DEVICE-CODE-SECRET","user_code":"WDJB-MJHT",
                "verification_uri":"https://auth.example.com/device",
                "verification_uri_complete":"https://auth.example.com/device?user_code=WDJB-MJHT",
                "expires_in":{expires_in}{interval}}}"#
        ),
    )
}

#[derive(Default)]
struct Inner {
    scripts: HashMap<String, Vec<Reply>>,
    served: HashMap<String, usize>,
    log: Vec<Recorded>,
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Inner>>);

pub struct TestServer {
    pub addr: SocketAddr,
    shared: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    /// Start on 127.0.0.1 with a free port. `scripts` maps a path
    /// (`/device`, `/token`) to its replies.
    pub async fn start(scripts: Vec<(&str, Vec<Reply>)>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener, scripts)
    }

    /// Start on a given address (to come up on a port that refused before).
    pub async fn start_on(addr: SocketAddr, scripts: Vec<(&str, Vec<Reply>)>) -> Self {
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        Self::serve(listener, scripts)
    }

    fn serve(listener: tokio::net::TcpListener, scripts: Vec<(&str, Vec<Reply>)>) -> Self {
        let addr = listener.local_addr().unwrap();
        let shared = Shared::default();
        {
            let mut inner = shared.0.lock().unwrap();
            for (path, replies) in scripts {
                inner.scripts.insert(path.to_owned(), replies);
            }
        }
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Self {
            addr,
            shared,
            stop: Some(tx),
        }
    }

    /// Script (or re-script) a path once the server runs, for answers
    /// that name the server's own address.
    pub fn script(&self, path: &str, replies: Vec<Reply>) {
        let mut inner = self.shared.0.lock().unwrap();
        inner.scripts.insert(path.to_owned(), replies);
        inner.served.remove(path);
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn requests(&self, path: &str) -> Vec<Recorded> {
        let inner = self.shared.0.lock().unwrap();
        inner
            .log
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

async fn handle(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let reply = {
        let mut inner = shared.0.lock().unwrap();
        inner.log.push(Recorded {
            path: path.clone(),
            form,
            headers,
            at: Instant::now(),
        });
        let n = *inner.served.get(&path).unwrap_or(&0);
        inner.served.insert(path.clone(), n + 1);
        inner
            .scripts
            .get(&path)
            .and_then(|replies| replies.get(n).or(replies.last()).cloned())
    };
    let Some(reply) = reply else {
        return (StatusCode::NOT_FOUND, "no script for this path").into_response();
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut resp = (
        StatusCode::from_u16(reply.status).unwrap(),
        [("content-type", reply.content_type)],
        reply.body,
    )
        .into_response();
    for (name, value) in reply.headers {
        resp.headers_mut().insert(name, value.parse().unwrap());
    }
    resp
}

/// A providers file for the scripted server.
pub fn providers_toml(server: &TestServer, extra: &str) -> String {
    format!(
        r#"[[provider]]
id = "test"
name = "Test Provider"
client_id = "tv-app"
scope = "openid profile"
device_authorization_endpoint = "{}"
token_endpoint = "{}"
{extra}
"#,
        server.url("/device"),
        server.url("/token")
    )
}
