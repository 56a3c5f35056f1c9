//! Soak: many code renewals against a demo server in another process, with
//! the client's RSS and open file descriptors at the start and the end.
//!
//! ```sh
//! device-signin demo-server --bind 127.0.0.1:8765 --expires-in 1 --interval 1 &
//! cargo run --release --example soak -- http://127.0.0.1:8765 1000 20
//! ```
//! Arguments: the demo issuer, the number of renewals, how many run at once.
//! Each renewal is a fresh `Flow` that gets a code and lets it expire, the
//! way the kiosk renews an expired code. Prints one JSON object.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use device_signin::oauth::http::HttpTransport;
use device_signin::oauth::{ClientConfig, Flow, FlowEvent, driver};
use futures::StreamExt as _;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|d| d.count())
        .unwrap_or(0)
}

/// One renewal, the way the app does it: a new transport and a new flow.
async fn renewal(config: &ClientConfig, expired: &AtomicU64) -> Result<(), String> {
    let transport = HttpTransport::new().map_err(|e| e.to_string())?;
    let mut events = Box::pin(driver::run(Flow::new(config.clone()), transport));
    while let Some(event) = events.next().await {
        match event {
            FlowEvent::Expired => {
                expired.fetch_add(1, Ordering::Relaxed);
                return Ok(());
            }
            e if e.is_terminal() => return Err(format!("unexpected outcome: {e:?}")),
            _ => {}
        }
    }
    Err("the flow ended without an outcome".into())
}

async fn batch(config: Arc<ClientConfig>, total: u64, parallel: u64, expired: Arc<AtomicU64>) {
    let next = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for _ in 0..parallel {
        let (config, next, expired) = (config.clone(), next.clone(), expired.clone());
        workers.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < total {
                if let Err(e) = renewal(&config, &expired).await {
                    eprintln!("soak: {e}");
                }
            }
        }));
    }
    for w in workers {
        let _ = w.await;
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let issuer = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8765".into());
    let total: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let parallel: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let mut config = ClientConfig::new(
        "device-signin-demo",
        format!("{issuer}/oauth/device_authorization"),
        format!("{issuer}/oauth/token"),
    );
    config.scope = Some("openid profile".into());
    let config = Arc::new(config);
    let expired = Arc::new(AtomicU64::new(0));

    // Warm up first, so one-time allocations (TLS roots, pools) are not counted.
    let warmup = parallel * 2;
    batch(config.clone(), warmup, parallel, expired.clone()).await;
    let (rss_start, fds_start) = (rss_kib(), open_fds());
    let started = std::time::Instant::now();
    batch(config, total, parallel, expired.clone()).await;
    let (rss_end, fds_end) = (rss_kib(), open_fds());
    println!(
        "{}",
        serde_json::json!({
            "renewals": total,
            "parallel": parallel,
            "expired": expired.load(Ordering::Relaxed) - warmup,
            "seconds": started.elapsed().as_secs_f64(),
            "rss_kib": {"start": rss_start, "end": rss_end, "growth": rss_end as i64 - rss_start as i64},
            "open_fds": {"start": fds_start, "end": fds_end},
        })
    );
}
