//! Poll timing against the embedded demo server: how late is each poll after
//! the earliest moment R4 allows (one interval after the previous answer
//! arrived)? Never negative is the rule; the median should be small.
//!
//! `cargo run --release --example bench_poll -- [RUNS] [POLLS] [INTERVAL_S]`
//! prints one JSON object with the gaps in milliseconds.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use device_signin::demo::{DemoConfig, DemoServer};
use device_signin::oauth::wire::{HttpRequest, HttpResponse, TransportError};
use device_signin::oauth::{Flow, FlowEvent, driver};
use device_signin::oauth::{Transport, http::HttpTransport};
use device_signin::provider::EndpointSource;
use futures::StreamExt as _;

/// Records when each request left and when its answer arrived.
#[derive(Clone)]
struct Timed {
    inner: HttpTransport,
    log: Arc<Mutex<Vec<(Instant, Instant)>>>,
}

impl Transport for Timed {
    async fn send(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let sent = Instant::now();
        let result = self.inner.send(req).await;
        let answered = Instant::now();
        if let Ok(log) = self.log.lock().as_mut() {
            log.push((sent, answered));
        }
        result
    }
}

fn arg(n: usize, default: u64) -> u64 {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs = arg(1, 3);
    let polls = arg(2, 10) as usize;
    let interval = Duration::from_secs(arg(3, 2));
    let server = DemoServer::start(
        "127.0.0.1:0".parse()?,
        DemoConfig {
            interval,
            expires_in: Duration::from_secs(600),
            ..Default::default()
        },
    )
    .await?;
    let provider = server.provider();
    let EndpointSource::Explicit(endpoints) = &provider.endpoints else {
        return Err("the demo provider has explicit endpoints".into());
    };
    let mut gaps_ms: Vec<f64> = Vec::new();
    for _ in 0..runs {
        let log = Arc::new(Mutex::new(Vec::new()));
        let transport = Timed {
            inner: HttpTransport::new()?,
            log: log.clone(),
        };
        let flow = Flow::new(provider.client_config(endpoints));
        let mut events = Box::pin(driver::run(flow, transport));
        let mut seen = 0;
        while let Some(event) = events.next().await {
            match event {
                FlowEvent::Polling => {
                    seen += 1;
                    if seen > polls {
                        break;
                    }
                }
                e if e.is_terminal() => return Err(format!("flow ended: {e:?}").into()),
                _ => {}
            }
        }
        drop(events);
        let log = log.lock().map_err(|_| "poisoned")?.clone();
        // log[0] is the device request; each poll is measured from the
        // previous answer's arrival.
        for pair in log.windows(2).take(polls) {
            let (_, answered) = pair[0];
            let (sent, _) = pair[1];
            let gap = sent.duration_since(answered).as_secs_f64() - interval.as_secs_f64();
            gaps_ms.push(gap * 1000.0);
        }
    }
    gaps_ms.sort_by(f64::total_cmp);
    let stats = server.stats();
    let median = gaps_ms[gaps_ms.len() / 2];
    println!(
        "{}",
        serde_json::json!({
            "runs": runs,
            "polls_per_run": polls,
            "interval_s": interval.as_secs(),
            "gaps": gaps_ms.len(),
            "gap_minus_interval_ms": {
                "min": gaps_ms.first(),
                "median": median,
                "max": gaps_ms.last(),
            },
            "server_slow_downs": stats.slow_downs,
            "server_polls": stats.polls,
        })
    );
    server.stop().await;
    Ok(())
}
