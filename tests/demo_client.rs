//! The app's own client (flow + driver + reqwest transport) against the
//! embedded demo server, which enforces the interval strictly.

use std::time::Duration;

use device_signin::demo::{self, DemoConfig, DemoServer};
use device_signin::oauth::driver;
use device_signin::oauth::http::HttpTransport;
use device_signin::oauth::{Flow, FlowEvent};
use device_signin::provider::EndpointSource;
use futures::StreamExt as _;

async fn run_flow(server: &DemoServer, approve: bool) -> Vec<FlowEvent> {
    let provider = server.provider();
    let EndpointSource::Explicit(endpoints) = &provider.endpoints else {
        panic!("the demo provider has explicit endpoints");
    };
    let flow = Flow::new(provider.client_config(endpoints));
    let events = driver::run(flow, HttpTransport::new().unwrap());
    futures::pin_mut!(events);
    let mut seen = Vec::new();
    let issuer = server.issuer().to_owned();
    while let Some(event) = tokio::time::timeout(Duration::from_secs(20), events.next())
        .await
        .expect("the flow ends within 20 s")
    {
        if let FlowEvent::CodeIssued(info) = &event {
            let user_code = info.user_code.clone();
            let issuer = issuer.clone();
            tokio::spawn(async move {
                // Late enough that the client polls at least twice.
                tokio::time::sleep(Duration::from_millis(1500)).await;
                if approve {
                    demo::approve(&issuer, &user_code).await.unwrap();
                } else {
                    demo::deny(&issuer, &user_code).await.unwrap();
                }
            });
        }
        seen.push(event);
    }
    seen
}

fn quick() -> DemoConfig {
    DemoConfig {
        interval: Duration::from_secs(1),
        ..DemoConfig::default()
    }
}

#[tokio::test]
async fn the_apps_client_is_never_early_and_gets_tokens() {
    let server = DemoServer::start("127.0.0.1:0".parse().unwrap(), quick())
        .await
        .unwrap();
    let events = run_flow(&server, true).await;
    assert!(
        matches!(events.last(), Some(FlowEvent::Granted(t)) if t.id_token.is_some()),
        "{events:?}"
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, FlowEvent::SlowDown { .. }))
    );
    let stats = server.stats();
    assert!(stats.polls >= 2, "{stats:?}");
    assert_eq!(stats.slow_downs, 0);
    assert_eq!(stats.tokens_issued, 1);
    server.stop().await;
}

#[tokio::test]
async fn the_apps_client_reports_a_denial() {
    let server = DemoServer::start("127.0.0.1:0".parse().unwrap(), quick())
        .await
        .unwrap();
    let events = run_flow(&server, false).await;
    assert!(
        matches!(events.last(), Some(FlowEvent::Denied)),
        "{events:?}"
    );
    server.stop().await;
}
