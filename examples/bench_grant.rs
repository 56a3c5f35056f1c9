//! Grant → signed in, on a network with a 100 ms round trip.
//!
//! The sign-in pipeline (`signin::run`, what both front-ends show) runs
//! against the embedded demo server through a loopback proxy that delays
//! every byte by 50 ms each way. The harness approves, then measures from
//! the moment the proxy hands the granting answer to the client to
//! `SignedIn` (the event on which the screen changes), and counts the
//! requests the client sent after the granting poll: with the provider's
//! keys fetched while the code is on screen, there are none.
//!
//! `bench_grant RUNS` prints one JSON object. Each run is a child process,
//! so no run starts with keys cached by another.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use device_signin::demo::{self, DemoConfig, DemoServer};
use device_signin::provider::EndpointSource;
use device_signin::signin::{self, SigninEvent};
use futures::StreamExt as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

const ONE_WAY: Duration = Duration::from_millis(50);

/// When each request started (as the proxy read its first bytes).
type Requests = Arc<Mutex<Vec<Instant>>>;

/// When the granting answer (the only body with `access_token`) reached the client.
type Delivered = Arc<Mutex<Option<Instant>>>;

/// Forward `from` to `to`, each chunk `ONE_WAY` late; count request starts
/// (client to server), note when a grant is delivered (server to client).
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    requests: Option<Requests>,
    grant: Option<Delivered>,
) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let reader = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match from.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let chunk = buf[..n].to_vec();
                    if let Some(r) = &requests {
                        if [&b"GET "[..], b"POST "]
                            .iter()
                            .any(|m| chunk.starts_with(m))
                        {
                            r.lock().unwrap().push(Instant::now());
                        }
                    }
                    if tx.send((Instant::now() + ONE_WAY, chunk)).is_err() {
                        break;
                    }
                }
            }
        }
    };
    let writer = async move {
        while let Some((at, chunk)) = rx.recv().await {
            tokio::time::sleep_until(at.into()).await;
            if to.write_all(&chunk).await.is_err() {
                break;
            }
            if let Some(g) = &grant {
                if chunk.windows(12).any(|w| w == b"access_token") {
                    *g.lock().unwrap() = Some(Instant::now());
                }
            }
        }
        let _ = to.shutdown().await;
    };
    tokio::join!(reader, writer);
}

async fn proxy(
    target: std::net::SocketAddr,
    requests: Requests,
    grant: Delivered,
) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let requests = Arc::clone(&requests);
            let grant = Arc::clone(&grant);
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(target).await else {
                    return;
                };
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                tokio::join!(
                    pipe(cr, sw, Some(requests), None),
                    pipe(sr, cw, None, Some(grant))
                );
            });
        }
    });
    addr
}

async fn one() -> serde_json::Value {
    let server = DemoServer::start(
        "127.0.0.1:0".parse().unwrap(),
        DemoConfig {
            interval: Duration::from_secs(1),
            ..DemoConfig::default()
        },
    )
    .await
    .unwrap();
    let requests: Requests = Arc::default();
    let grant: Delivered = Arc::default();
    let via = proxy(server.addr(), Arc::clone(&requests), Arc::clone(&grant)).await;
    let mut provider = server.provider();
    let direct = format!("http://{}", server.addr());
    let delayed = format!("http://{via}");
    if let EndpointSource::Explicit(e) = &mut provider.endpoints {
        // The issuer stays as the ID token names it; every request is delayed.
        for url in [&mut e.device_authorization_endpoint, &mut e.token_endpoint] {
            *url = url.replace(&direct, &delayed);
        }
        for url in [
            &mut e.jwks_uri,
            &mut e.userinfo_endpoint,
            &mut e.revocation_endpoint,
        ]
        .into_iter()
        .flatten()
        {
            *url = url.replace(&direct, &delayed);
        }
    }
    let dir = std::env::temp_dir().join(format!("bench-grant-{}", std::process::id()));
    let events = signin::run(Arc::new(provider), Some(dir.clone()), signin::shared_http());
    let mut events = std::pin::pin!(events);
    let mut result = serde_json::json!({"error": "no sign-in"});
    while let Some(event) = events.next().await {
        match event {
            SigninEvent::Code(code) => {
                let issuer = server.issuer().to_owned();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(700)).await;
                    demo::approve(&issuer, &code.user_code).await.unwrap();
                });
            }
            SigninEvent::SignedIn(identity) => {
                let delivered = *grant.lock().unwrap();
                let ms = delivered.map(|t| t.elapsed().as_secs_f64() * 1000.0);
                result = serde_json::json!({
                    "grant_to_signed_in_ms": ms,
                    "requests_after_grant": delivered.map(|t| {
                        requests.lock().unwrap().iter().filter(|r| **r > t).count()
                    }),
                    "named": identity.display_name().is_some(),
                });
                break;
            }
            SigninEvent::Ended(o) => {
                result = serde_json::json!({"error": o.to_string()});
                break;
            }
            _ => {}
        }
    }
    let _ = std::fs::remove_dir_all(dir);
    result
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut args = std::env::args().skip(1);
    let first = args.next().unwrap_or_else(|| "5".into());
    if first == "--one" {
        println!("{}", runtime.block_on(one()));
        return;
    }
    let runs: usize = first.parse().expect("RUNS is a number");
    let me = std::env::current_exe().unwrap();
    let mut samples = Vec::new();
    let mut after = Vec::new();
    for _ in 0..runs {
        let out = std::process::Command::new(&me)
            .arg("--one")
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
        let Some(ms) = v["grant_to_signed_in_ms"].as_f64() else {
            panic!("a run failed: {v}");
        };
        samples.push(ms);
        after.push(v["requests_after_grant"].as_u64().unwrap_or(u64::MAX));
    }
    let mut sorted = samples.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "{}",
        serde_json::json!({
            "one_way_delay_ms": ONE_WAY.as_millis() as u64,
            "runs": runs,
            "samples": samples,
            "median": sorted[sorted.len() / 2],
            "max": sorted[sorted.len() - 1],
            "requests_after_grant": after,
        })
    );
}
