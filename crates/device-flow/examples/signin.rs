//! Sign in with the device flow from a terminal.
//!
//! ```text
//! cargo run -p device-flow --features reqwest --example signin -- \
//!     --device https://auth.example.com/device --token https://auth.example.com/token \
//!     --client-id tv-app [--scope "openid profile"]
//! ```
//!
//! Prints the URL and code, one line per event, and what was granted (never
//! a token). Exits 0 when signed in, 3 when denied, 4 when the code expired,
//! 5 on any other failure, 2 on bad arguments.

use std::process::ExitCode;

use device_flow::http::HttpTransport;
use device_flow::{ClientConfig, Flow, FlowEvent, RequestHook, driver};
use futures::StreamExt as _;

fn usage(why: &str) -> ExitCode {
    eprintln!(
        "signin: {why}\nusage: signin --device URL --token URL --client-id ID [--scope SCOPES]"
    );
    ExitCode::from(2)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (mut device, mut token, mut client_id, mut scope) = (None, None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--device" => &mut device,
            "--token" => &mut token,
            "--client-id" => &mut client_id,
            "--scope" => &mut scope,
            other => return usage(&format!("unknown argument `{other}`")),
        };
        let Some(value) = args.next() else {
            return usage(&format!("{flag} needs a value"));
        };
        *slot = Some(value);
    }
    let (Some(device), Some(token), Some(client_id)) = (device, token, client_id) else {
        return usage("--device, --token and --client-id are required");
    };

    let mut cfg = ClientConfig::new(client_id, device, token);
    cfg.scope = scope;
    // Every request this client builds carries this header.
    cfg.hook = Some(RequestHook::new(|req| {
        req.headers
            .push(("X-Client-Example".into(), "device-flow".into()));
    }));
    let transport = match HttpTransport::new() {
        Ok(t) => t,
        Err(e) => return usage(&format!("cannot set up HTTP: {e}")),
    };

    let flow = Flow::new(cfg.clone());
    let requested = flow.requested_scopes().join(" ");
    println!("requested scopes: {requested:?}");
    let mut events = std::pin::pin!(driver::run(flow, transport));
    while let Some(event) = events.next().await {
        match event {
            FlowEvent::CodeIssued(code) => {
                println!(
                    "go to {} and enter {}",
                    code.verification_uri, code.user_code
                );
                if let Some(complete) = &code.verification_uri_complete {
                    println!("or open {complete}");
                }
                println!("expires in {} s", code.expires_in.as_secs());
            }
            FlowEvent::Polling => println!("polling"),
            FlowEvent::SlowDown { interval } => {
                println!("slow down: every {} s", interval.as_secs())
            }
            FlowEvent::Offline { reason, retry_in } => {
                println!("offline ({reason}); retrying in {} s", retry_in.as_secs())
            }
            FlowEvent::Granted(tokens) => {
                println!(
                    "granted: token_type={} expires_in={:?} scopes={:?} refresh_token={} extra_fields={}",
                    tokens.token_type.as_deref().unwrap_or("?"),
                    tokens.expires_in,
                    tokens.granted_scopes(&cfg),
                    tokens.refresh_token.is_some(),
                    tokens.extra.len(),
                );
                return ExitCode::SUCCESS;
            }
            FlowEvent::Denied => {
                println!("denied");
                return ExitCode::from(3);
            }
            FlowEvent::Expired => {
                println!("expired");
                return ExitCode::from(4);
            }
            FlowEvent::Failed(e) => {
                println!("failed: {e}");
                return ExitCode::from(5);
            }
        }
    }
    ExitCode::from(5)
}
