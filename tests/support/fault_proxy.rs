//! A fault-injecting HTTP/1.1 proxy on raw TCP, for the fault matrix.
//!
//! It sits between the client and a working server (`TestServer`) and
//! forwards requests one connection at a time (`Connection: close` both ways,
//! so every request is a new connection and a refused port is seen at once).
//! For the requests to one path it counts (`/token`), a `Plan` says which are
//! faulty: the first `good_before` are forwarded, the next `faulty` get the
//! fault, and then it heals. Every exchange is logged with the instant its
//! request was read in full and the instant its answer began to go out, which
//! is how a strict server would measure the client's polling.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::Notify;

/// Ten megabytes: ten times the client's body cap.
pub const TEN_MB: usize = 10 * 1000 * 1000;
/// No exchange may keep the proxy busier than this; a bug then ends the
/// connection instead of hanging the test.
const EXCHANGE_LIMIT: Duration = Duration::from_secs(30);
const MAX_REQUEST: usize = 64 * 1024;

/// What the proxy does to a faulty exchange.
#[derive(Debug, Clone)]
pub enum Fault {
    /// No fault: forward untouched (a baseline).
    Forward,
    /// Stop listening once the `good_before` (at least 1) good exchanges are
    /// answered: connections are refused until `FaultProxy::heal`. (The port
    /// stays bound, so nothing else can take it meanwhile.)
    Refuse,
    /// Read the request, then reset the connection (`SO_LINGER` 0, close).
    Reset,
    /// Read the request, then close without sending a byte.
    CloseWithoutAnswer,
    /// Read the request and never answer, until the client hangs up.
    Stall,
    /// Answer this instead of forwarding.
    Respond(Canned),
    /// Forward, then cut the JSON body in half (with a matching length).
    MalformedJson,
    /// Forward, then announce the full length, send half the body and close.
    TruncatedBody,
    /// Answer 200 with a body of this many bytes, announced by
    /// `Content-Length`, or sent chunked with no length at all.
    HugeBody { bytes: usize, chunked: bool },
    /// Forward, with this `Content-Type` instead of the real one.
    ContentType(&'static str),
    /// Forward, with status 200 instead of the real one; the body is kept.
    Status200,
    /// Forward, and answer only after this delay.
    Slow(Duration),
    /// Answer bytes that are not HTTP at all.
    NotHttp,
}

impl Fault {
    /// Whether the working server sees the faulty requests.
    pub fn forwards(&self) -> bool {
        matches!(
            self,
            Self::Forward
                | Self::MalformedJson
                | Self::TruncatedBody
                | Self::ContentType(_)
                | Self::Status200
                | Self::Slow(_)
        )
    }

    fn name(&self) -> &'static str {
        match self {
            Self::Forward => "forward",
            Self::Refuse => "refuse",
            Self::Reset => "reset",
            Self::CloseWithoutAnswer => "close",
            Self::Stall => "stall",
            Self::Respond(_) => "respond",
            Self::MalformedJson => "malformed-json",
            Self::TruncatedBody => "truncated-body",
            Self::HugeBody { .. } => "huge-body",
            Self::ContentType(_) => "content-type",
            Self::Status200 => "status-200",
            Self::Slow(_) => "slow",
            Self::NotHttp => "not-http",
        }
    }
}

/// A canned answer.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Canned {
    pub fn new(status: u16, content_type: Option<&'static str>, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type,
            headers: vec![],
            body: body.into(),
        }
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// Which exchanges on `path` are faulty.
#[derive(Debug, Clone)]
pub struct Plan {
    pub path: &'static str,
    pub fault: Fault,
    /// Forwarded untouched before the fault starts (the matrix uses 1, so
    /// that every fault starts mid-polling).
    pub good_before: usize,
    /// Faulty exchanges, then the proxy heals. Ignored for `Refuse`, which
    /// lasts until `heal()`.
    pub faulty: usize,
}

/// One request as the proxy saw it.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub path: String,
    pub device_code: Option<String>,
    /// The request had been read in full.
    pub arrived: Instant,
    /// The answer began to go out (or the reset/close happened, or, for a
    /// stall, the client was seen to hang up).
    pub answered: Instant,
    /// The fault injected, if any.
    pub fault: Option<&'static str>,
}

#[derive(Default)]
struct Log {
    exchanges: Vec<Exchange>,
    /// Requests on the plan's path that have arrived so far.
    counted: usize,
    in_flight: usize,
    max_in_flight: usize,
}

struct Shared {
    upstream: SocketAddr,
    plan: Plan,
    log: Mutex<Log>,
    stop_listening: Notify,
    heal: Notify,
}

pub struct FaultProxy {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    /// Listen on a free loopback port and forward to `upstream`.
    pub async fn start(upstream: SocketAddr, plan: Plan) -> Self {
        let socket = bound_socket("127.0.0.1:0".parse().unwrap());
        let listener = socket.listen(64).unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            upstream,
            plan,
            log: Mutex::default(),
            stop_listening: Notify::new(),
            heal: Notify::new(),
        });
        let task = tokio::spawn(accept_loop(listener, shared.clone()));
        Self { addr, shared, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Listen again after `Fault::Refuse`.
    pub fn heal(&self) {
        self.shared.heal.notify_one();
    }

    pub fn exchanges(&self, path: &str) -> Vec<Exchange> {
        let log = self.shared.log.lock().unwrap();
        log.exchanges
            .iter()
            .filter(|e| e.path == path)
            .cloned()
            .collect()
    }

    /// The most requests that were ever open at once.
    pub fn max_in_flight(&self) -> usize {
        self.shared.log.lock().unwrap().max_in_flight
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn bound_socket(addr: SocketAddr) -> TcpSocket {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_reuseaddr(true).unwrap();
    socket.bind(addr).unwrap();
    socket
}

async fn accept_loop(mut listener: TcpListener, shared: Arc<Shared>) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                tokio::spawn(exchange(stream, shared.clone()));
            }
            () = shared.stop_listening.notified() => {
                // Close the listening socket but keep the port bound: a bound
                // socket that does not listen answers SYN with RST, so the
                // client sees "connection refused".
                let addr = listener.local_addr().unwrap();
                drop(listener);
                let held = bound_socket(addr);
                shared.heal.notified().await;
                listener = held.listen(64).unwrap();
            }
        }
    }
}

struct Request {
    path: String,
    head: Vec<String>,
    body: Vec<u8>,
}

impl Request {
    fn device_code(&self) -> Option<String> {
        let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&self.body).ok()?;
        form.into_iter()
            .find(|(k, _)| k == "device_code")
            .map(|(_, v)| v)
    }
}

/// An HTTP answer: status, headers (without framing headers) and body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn from_canned(c: &Canned) -> Self {
        let mut headers: Vec<(String, String)> = c
            .headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        if let Some(ct) = c.content_type {
            headers.push(("content-type".into(), ct.into()));
        }
        Self {
            status: c.status,
            headers,
            body: c.body.clone().into_bytes(),
        }
    }

    fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
    }

    /// Status line and headers, announcing `length` bytes of body.
    fn head(&self, length: Option<usize>) -> Vec<u8> {
        let reason = axum::http::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Unknown");
        let mut head = format!("HTTP/1.1 {} {reason}\r\n", self.status);
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        match length {
            Some(n) => head.push_str(&format!("content-length: {n}\r\n")),
            None => head.push_str("transfer-encoding: chunked\r\n"),
        }
        head.push_str("connection: close\r\n\r\n");
        head.into_bytes()
    }
}

async fn exchange(mut client: TcpStream, shared: Arc<Shared>) {
    let request = match tokio::time::timeout(EXCHANGE_LIMIT, read_request(&mut client)).await {
        Ok(Ok(Some(r))) => r,
        // The client opened and closed without a request, or sent garbage.
        _ => return,
    };
    let arrived = Instant::now();
    let plan = &shared.plan;
    let (fault, index) = {
        let mut log = shared.log.lock().unwrap();
        log.in_flight += 1;
        log.max_in_flight = log.max_in_flight.max(log.in_flight);
        if request.path == plan.path {
            let index = log.counted;
            log.counted += 1;
            let faulty = match plan.fault {
                Fault::Refuse => false,
                _ => index >= plan.good_before && index < plan.good_before + plan.faulty,
            };
            (faulty.then(|| plan.fault.clone()), Some(index))
        } else {
            (None, None)
        }
    };
    let answered = match tokio::time::timeout(
        EXCHANGE_LIMIT,
        serve(&mut client, &request, fault.as_ref(), &shared),
    )
    .await
    {
        Ok(answered) => answered,
        Err(_) => Instant::now(),
    };
    {
        let mut log = shared.log.lock().unwrap();
        log.in_flight -= 1;
        log.exchanges.push(Exchange {
            path: request.path.clone(),
            device_code: request.device_code(),
            arrived,
            answered,
            fault: fault.as_ref().map(Fault::name),
        });
    }
    // `Refuse` begins once the last good exchange has been answered.
    if matches!(plan.fault, Fault::Refuse) && index.is_some_and(|i| i + 1 == plan.good_before) {
        shared.stop_listening.notify_one();
    }
    if !matches!(fault, Some(Fault::Reset)) {
        // Let the client read to the end before the socket goes away.
        let mut buf = [0u8; 512];
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            while let Ok(n) = client.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
        })
        .await;
    }
}

/// Carry out one exchange; returns the instant the answer began to go out.
async fn serve(
    client: &mut TcpStream,
    request: &Request,
    fault: Option<&Fault>,
    shared: &Shared,
) -> Instant {
    let forward = || forward(shared.upstream, request);
    match fault {
        None | Some(Fault::Forward | Fault::Refuse) => match forward().await {
            Ok(answer) => send(client, &answer).await,
            Err(_) => reset(client),
        },
        Some(Fault::Reset) => reset(client),
        Some(Fault::CloseWithoutAnswer) => {
            let at = Instant::now();
            let _ = client.shutdown().await;
            at
        }
        Some(Fault::Stall) => {
            // Wait for the client to give up: a read returns 0 (or fails).
            let mut buf = [0u8; 512];
            loop {
                match client.read(&mut buf).await {
                    Ok(0) | Err(_) => return Instant::now(),
                    Ok(_) => {}
                }
            }
        }
        Some(Fault::Respond(canned)) => send(client, &Answer::from_canned(canned)).await,
        Some(Fault::MalformedJson) => match forward().await {
            Ok(mut answer) => {
                answer.body.truncate(answer.body.len() / 2);
                send(client, &answer).await
            }
            Err(_) => reset(client),
        },
        Some(Fault::TruncatedBody) => match forward().await {
            Ok(answer) => {
                let at = Instant::now();
                let mut bytes = answer.head(Some(answer.body.len()));
                bytes.extend_from_slice(&answer.body[..answer.body.len() / 2]);
                let _ = client.write_all(&bytes).await;
                let _ = client.shutdown().await;
                at
            }
            Err(_) => reset(client),
        },
        Some(Fault::HugeBody { bytes, chunked }) => {
            let mut answer = Answer {
                status: 200,
                headers: vec![],
                body: vec![],
            };
            answer.set_header("content-type", "application/json");
            let at = Instant::now();
            let head = answer.head((!chunked).then_some(*bytes));
            if client.write_all(&head).await.is_err() {
                return at;
            }
            // A JSON string that never ends, in 64 KiB pieces; the client is
            // expected to hang up long before the end.
            let piece = vec![b'x'; 64 * 1024];
            let mut sent = 0;
            while sent < *bytes {
                let n = piece.len().min(bytes - sent);
                let ok = if *chunked {
                    let mut chunk = format!("{n:x}\r\n").into_bytes();
                    chunk.extend_from_slice(&piece[..n]);
                    chunk.extend_from_slice(b"\r\n");
                    client.write_all(&chunk).await
                } else {
                    client.write_all(&piece[..n]).await
                };
                if ok.is_err() {
                    return at;
                }
                sent += n;
            }
            if *chunked {
                let _ = client.write_all(b"0\r\n\r\n").await;
            }
            let _ = client.shutdown().await;
            at
        }
        Some(Fault::ContentType(ct)) => match forward().await {
            Ok(mut answer) => {
                answer.set_header("content-type", ct);
                send(client, &answer).await
            }
            Err(_) => reset(client),
        },
        Some(Fault::Status200) => match forward().await {
            Ok(mut answer) => {
                answer.status = 200;
                send(client, &answer).await
            }
            Err(_) => reset(client),
        },
        Some(Fault::Slow(delay)) => match forward().await {
            Ok(answer) => {
                tokio::time::sleep(*delay).await;
                send(client, &answer).await
            }
            Err(_) => reset(client),
        },
        Some(Fault::NotHttp) => {
            let at = Instant::now();
            let _ = client
                .write_all(b"SSH-2.0-OpenSSH_9.6 this is not HTTP\r\n")
                .await;
            let _ = client.shutdown().await;
            at
        }
    }
}

/// Send an answer in full and close our side; returns when it began.
async fn send(client: &mut TcpStream, answer: &Answer) -> Instant {
    let at = Instant::now();
    let mut bytes = answer.head(Some(answer.body.len()));
    bytes.extend_from_slice(&answer.body);
    let _ = client.write_all(&bytes).await;
    let _ = client.shutdown().await;
    at
}

/// Reset the connection: with `SO_LINGER` 0, closing sends RST, not FIN.
/// The close is the drop at the end of `exchange`, right after this.
fn reset(client: &mut TcpStream) -> Instant {
    let at = Instant::now();
    let _ = client.set_zero_linger();
    at
}

async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_REQUEST {
            return Ok(None);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head_text = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let head: Vec<String> = head_text.split("\r\n").map(str::to_owned).collect();
    let path = head
        .first()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|target| target.split('?').next())
        .unwrap_or("/")
        .to_owned();
    let length = header(&head[1..], "content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_REQUEST);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(Request { path, head, body }))
}

fn header<'a>(lines: &'a [String], name: &str) -> Option<&'a str> {
    lines.iter().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Send the request to the working server on a fresh connection and read its
/// whole answer.
async fn forward(upstream: SocketAddr, request: &Request) -> std::io::Result<Answer> {
    let mut up = TcpStream::connect(upstream).await?;
    let mut out = String::new();
    out.push_str(&request.head[0]);
    out.push_str("\r\n");
    for line in &request.head[1..] {
        let name = line.split(':').next().unwrap_or("").trim();
        if name.eq_ignore_ascii_case("connection") || name.eq_ignore_ascii_case("keep-alive") {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("connection: close\r\n\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&request.body);
    up.write_all(&bytes).await?;
    let mut raw = Vec::new();
    up.read_to_end(&mut raw).await?;
    parse_answer(&raw).ok_or_else(|| std::io::Error::other("the upstream answer is not HTTP"))
}

fn parse_answer(raw: &[u8]) -> Option<Answer> {
    let head_end = find(raw, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let lines: Vec<String> = lines.map(str::to_owned).collect();
    let chunked = header(&lines, "transfer-encoding").is_some_and(|v| v.contains("chunked"));
    let headers = lines
        .iter()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "content-length" | "transfer-encoding" | "connection"
            )
        })
        .collect();
    let rest = &raw[head_end + 4..];
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Some(Answer {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = find(rest, b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}
