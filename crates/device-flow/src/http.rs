//! The reqwest transport: timeouts, a body size cap (R11), the TLS policy
//! (rustls with the system's CA store), and failures sorted into kinds.

use std::error::Error as _;
use std::time::{Duration, SystemTime};

use futures::StreamExt as _;

use crate::transport::Transport;
use crate::wire::{self, HttpRequest, HttpResponse, TransportError, TransportErrorKind};

/// Responses larger than this are refused (R11).
pub const MAX_BODY: usize = 1024 * 1024;
/// How long a connection may take to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The reqwest transport. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
}

impl HttpTransport {
    /// A client with the default timeouts, rustls and the system's CA store.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_timeouts(CONNECT_TIMEOUT, REQUEST_TIMEOUT)
    }

    /// As [`HttpTransport::new`], with other timeouts.
    pub fn with_timeouts(connect: Duration, request: Duration) -> Result<Self, TransportError> {
        Self::build(connect, request, &[])
    }

    /// As [`HttpTransport::new`], adding `headers` to every request it
    /// sends, the `GET`s of discovery, keys and userinfo included. (The
    /// per-client [`RequestHook`](crate::RequestHook) sees only the form
    /// requests.)
    pub fn with_default_headers(headers: &[(&str, &str)]) -> Result<Self, TransportError> {
        Self::build(CONNECT_TIMEOUT, REQUEST_TIMEOUT, headers)
    }

    fn build(
        connect: Duration,
        request: Duration,
        headers: &[(&str, &str)],
    ) -> Result<Self, TransportError> {
        let client_error = |e: String| TransportError::new(TransportErrorKind::Client, e);
        let mut map = reqwest::header::HeaderMap::new();
        for (name, value) in headers {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| client_error(format!("header name `{name}`: {e}")))?;
            let value = reqwest::header::HeaderValue::from_str(value)
                .map_err(|e| client_error(format!("header `{name}`: {e}")))?;
            map.insert(name, value);
        }
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(connect)
            .timeout(request)
            .user_agent(wire::user_agent())
            .default_headers(map)
            // A redirect would re-send the form (and its secrets) elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| client_error(e.to_string()))?;
        Ok(Self { client })
    }

    /// A `GET` with the same limits (discovery, JWKS, userinfo).
    pub async fn get(
        &self,
        url: &str,
        bearer: Option<&str>,
    ) -> Result<HttpResponse, TransportError> {
        let mut builder = self
            .client
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(token) = bearer {
            builder = builder.bearer_auth(token);
        }
        let resp = builder.send().await.map_err(classify)?;
        read_capped(resp).await
    }
}

impl Transport for HttpTransport {
    async fn send(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut builder = self.client.post(&req.url).form(&req.form);
        for (name, value) in &req.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        tracing::debug!(url = %req.url, "sending request");
        let resp = builder.send().await.map_err(classify)?;
        read_capped(resp).await
    }
}

async fn read_capped(resp: reqwest::Response) -> Result<HttpResponse, TransportError> {
    let status = resp.status().as_u16();
    let header = |name: reqwest::header::HeaderName| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header(reqwest::header::CONTENT_TYPE);
    let retry_after = header(reqwest::header::RETRY_AFTER)
        .and_then(|v| wire::parse_retry_after(&v, SystemTime::now()));
    if resp.content_length().is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    // Body errors carry no URL of their own; give them one, to name the host.
    let url = resp.url().clone();
    let mut body = Vec::new();
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| classify(e.with_url(url.clone())))?;
        if body.len() + chunk.len() > MAX_BODY {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    tracing::debug!(status, bytes = body.len(), "answer received");
    Ok(HttpResponse {
        status,
        content_type,
        retry_after,
        body,
    })
}

fn too_large() -> TransportError {
    TransportError::new(
        TransportErrorKind::TooLarge,
        format!("the answer is larger than {} KiB", MAX_BODY / 1024),
    )
}

/// Sort a reqwest failure into a kind a person can act on.
fn classify(e: reqwest::Error) -> TransportError {
    use std::io::ErrorKind as Io;
    let host = e
        .url()
        .and_then(|u| u.host_str())
        .map(str::to_owned)
        .unwrap_or_default();
    let chain = error_chain(&e);
    let lower = chain.to_ascii_lowercase();
    // The OS error, when there is one, is more reliable than the wording.
    let io = io_error_kind(&e);
    let kind = if e.is_timeout() || io == Some(Io::TimedOut) || lower.contains("timed out") {
        TransportErrorKind::Timeout
    } else if lower.contains("dns error") || lower.contains("failed to lookup") {
        TransportErrorKind::Dns
    } else if io == Some(Io::ConnectionRefused) || lower.contains("connection refused") {
        TransportErrorKind::Refused
    } else if matches!(
        io,
        Some(Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe | Io::UnexpectedEof)
    ) || lower.contains("reset")
        || lower.contains("broken pipe")
        || lower.contains("connection closed")
        || lower.contains("incomplete")
        || lower.contains("unexpected eof")
        // hyper, when the connection closes inside a body of announced length.
        || lower.contains("end of file before message length reached")
    {
        TransportErrorKind::Reset
    } else if lower.contains("certificate")
        || lower.contains("tls")
        // rustls, when the other end does not speak TLS or aborts the handshake.
        || lower.contains("corrupt message")
        || lower.contains("handshake")
        || lower.contains("alert")
    {
        TransportErrorKind::Tls
    } else {
        TransportErrorKind::Other
    };
    let mut detail = if host.is_empty() {
        chain
    } else {
        format!("{host}: {chain}")
    };
    if kind == TransportErrorKind::Tls {
        detail.push_str(certificate_hint(&lower));
    }
    TransportError::new(kind, detail)
}

/// What to do about a certificate rustls refused, in words a kiosk owner
/// can act on.
fn certificate_hint(lower: &str) -> &'static str {
    if lower.contains("unknownissuer") || lower.contains("unknown issuer") {
        " (the server's certificate is not signed by a CA this machine trusts: add the CA to \
         the system store with update-ca-certificates, or point SSL_CERT_FILE at it)"
    } else if lower.contains("not valid for name") {
        " (the server's certificate is for another host name)"
    } else if lower.contains("expired") {
        " (the server's certificate has expired, or this machine's clock is wrong)"
    } else {
        ""
    }
}

fn io_error_kind(e: &reqwest::Error) -> Option<std::io::ErrorKind> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

fn error_chain(e: &reqwest::Error) -> String {
    // reqwest's own message names the URL; the causes name what went wrong.
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        // hyper-util's wrapper ("client error (Connect)") says nothing a
        // person can use; its cause follows.
        let wrapper = text.starts_with("client error (");
        if !wrapper && !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        // reqwest's Display ends with the URL in brackets; the host is named already.
        let text = e.to_string();
        text.split(" (").next().unwrap_or(&text).to_owned()
    } else {
        parts.join(": ")
    }
}
