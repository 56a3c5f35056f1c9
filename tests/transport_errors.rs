//! The reqwest transport sorts real failures into kinds (R7, R11, R12): each
//! failure is produced for real on this machine (a closed port, a reset, a
//! stall, a full accept queue, an unknown host, a non-TLS port...) and must
//! come back with the right `TransportErrorKind` and a short detail a person
//! can read, naming the host but never the path, the query or the form.

mod support;

use std::time::Duration;

use device_signin::oauth::wire::{HttpRequest, TransportError, TransportErrorKind};
use device_signin::oauth::{Transport, http::HttpTransport};
use support::fault_proxy::{Fault, FaultProxy, Plan, TEN_MB};
use support::{TestServer, pending};

/// Longest detail we accept: one line in a status bar or a log.
const MAX_DETAIL: usize = 200;
const BOUND: Duration = Duration::from_secs(30);

fn request(url: String) -> HttpRequest {
    HttpRequest {
        url,
        headers: vec![],
        form: vec![("device_code".into(), "FORM-SECRET".into())],
    }
}

async fn send_with(transport: &HttpTransport, url: String) -> TransportError {
    let result = tokio::time::timeout(BOUND, transport.send(&request(url)))
        .await
        .expect("no hang");
    let err = result.expect_err("the request must fail");
    // Shown with --nocapture: the wording people get, for docs/fault-matrix.md.
    eprintln!("{:?}: {}", err.kind, err.detail);
    assert!(err.detail.len() <= MAX_DETAIL, "too long: {err}");
    for secret in ["FORM-SECRET", "QUERY-SECRET", "/token", "?"] {
        assert!(!err.to_string().contains(secret), "{secret} in {err}");
    }
    assert!(
        !err.detail.contains("client error ("),
        "no wrapper noise: {err}"
    );
    err
}

async fn send(url: String) -> TransportError {
    send_with(&HttpTransport::new().unwrap(), url).await
}

/// A proxy that injects `fault` into the very first request.
async fn faulty(fault: Fault) -> (FaultProxy, TestServer) {
    let server = TestServer::start(vec![("/token", vec![pending()])]).await;
    let plan = Plan {
        path: "/token",
        fault,
        good_before: 0,
        faulty: 1,
    };
    (FaultProxy::start(server.addr, plan).await, server)
}

fn closed_port() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

#[tokio::test]
async fn a_closed_port_is_refused() {
    let err = send(format!("http://{}/token?k=QUERY-SECRET", closed_port())).await;
    assert_eq!(err.kind, TransportErrorKind::Refused, "{err}");
    assert!(
        err.detail.starts_with("127.0.0.1: "),
        "names the host: {err}"
    );
    assert!(err.detail.contains("Connection refused"), "{err}");
}

#[tokio::test]
async fn a_reset_connection_is_reset() {
    let (proxy, _server) = faulty(Fault::Reset).await;
    let err = send(proxy.url("/token?k=QUERY-SECRET")).await;
    assert_eq!(err.kind, TransportErrorKind::Reset, "{err}");
    assert!(err.detail.contains("reset by peer"), "{err}");
}

#[tokio::test]
async fn a_connection_closed_before_the_answer_is_reset() {
    let (proxy, _server) = faulty(Fault::CloseWithoutAnswer).await;
    let err = send(proxy.url("/token")).await;
    assert_eq!(err.kind, TransportErrorKind::Reset, "{err}");
    assert!(err.detail.contains("connection closed"), "{err}");
}

#[tokio::test]
async fn a_body_cut_short_of_its_length_is_reset() {
    let (proxy, _server) = faulty(Fault::TruncatedBody).await;
    let err = send(proxy.url("/token")).await;
    assert_eq!(err.kind, TransportErrorKind::Reset, "{err}");
    assert!(
        err.detail.starts_with("127.0.0.1: "),
        "names the host: {err}"
    );
    assert!(err.detail.contains("end of file"), "{err}");
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout() {
    let (proxy, _server) = faulty(Fault::Stall).await;
    let transport =
        HttpTransport::with_timeouts(Duration::from_secs(1), Duration::from_millis(500)).unwrap();
    let err = send_with(&transport, proxy.url("/token")).await;
    assert_eq!(err.kind, TransportErrorKind::Timeout, "{err}");
}

#[tokio::test]
async fn a_connect_that_never_completes_is_a_timeout() {
    // A listener whose accept queue is full drops further SYNs: connect hangs.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    while let Ok(Ok(s)) = tokio::time::timeout(
        Duration::from_millis(200),
        tokio::net::TcpStream::connect(addr),
    )
    .await
    {
        queued.push(s);
        assert!(queued.len() < 64, "the accept queue never filled");
    }
    let transport =
        HttpTransport::with_timeouts(Duration::from_millis(300), Duration::from_secs(5)).unwrap();
    let err = send_with(&transport, format!("http://{addr}/token")).await;
    assert_eq!(err.kind, TransportErrorKind::Timeout, "{err}");
}

#[tokio::test]
async fn an_unknown_host_is_a_dns_failure() {
    // `.invalid` never resolves (RFC 6761).
    let err = send("http://nonexistent.invalid/token".into()).await;
    assert_eq!(err.kind, TransportErrorKind::Dns, "{err}");
    assert!(err.detail.starts_with("nonexistent.invalid: "), "{err}");
}

#[tokio::test]
async fn tls_to_a_port_that_speaks_plain_http_is_a_tls_failure() {
    let server = TestServer::start(vec![("/token", vec![pending()])]).await;
    let err = send(format!("https://{}/token", server.addr)).await;
    assert_eq!(err.kind, TransportErrorKind::Tls, "{err}");
}

#[tokio::test]
async fn an_answer_that_is_not_http_is_another_failure() {
    let (proxy, _server) = faulty(Fault::NotHttp).await;
    let err = send(proxy.url("/token")).await;
    assert_eq!(err.kind, TransportErrorKind::Other, "{err}");
    assert!(err.detail.contains("invalid HTTP"), "{err}");
}

#[tokio::test]
async fn a_chunked_body_past_one_mebibyte_is_too_large() {
    let (proxy, _server) = faulty(Fault::HugeBody {
        bytes: TEN_MB,
        chunked: true,
    })
    .await;
    let err = send(proxy.url("/token")).await;
    assert_eq!(err.kind, TransportErrorKind::TooLarge, "{err}");
    assert_eq!(err.detail, "the answer is larger than 1024 KiB");
}
