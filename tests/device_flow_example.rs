//! The `device-flow` crate's example (`crates/device-flow/examples/signin.rs`)
//! run as a program against the embedded demo server: the library on its
//! own signs in, as an application embedding it would.
//!
//! `cargo test --workspace` (what `scripts/test` runs) builds the example.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use device_signin::demo::{self, DemoConfig, DemoServer};
use device_signin::provider::EndpointSource;
use tokio::io::{AsyncBufReadExt as _, BufReader};

fn example() -> PathBuf {
    let app = PathBuf::from(env!("CARGO_BIN_EXE_device-signin"));
    let path = app
        .parent()
        .expect("the binary is in a target directory")
        .join("examples/signin");
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo test --workspace` or \
         `cargo build -p device-flow --features reqwest --example signin`",
        path.display()
    );
    path
}

async fn sign_in(approve: bool) -> (Option<i32>, Vec<String>) {
    let server = DemoServer::start(
        "127.0.0.1:0".parse().unwrap(),
        DemoConfig {
            interval: Duration::from_secs(1),
            ..DemoConfig::default()
        },
    )
    .await
    .unwrap();
    let provider = server.provider();
    let EndpointSource::Explicit(endpoints) = &provider.endpoints else {
        panic!("the demo provider has explicit endpoints")
    };
    let mut child = tokio::process::Command::new(example())
        .args(["--device", &endpoints.device_authorization_endpoint])
        .args(["--token", &endpoints.token_endpoint])
        .args(["--client-id", &provider.client_id])
        .args(["--scope", "openid profile"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the example starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    let read = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.strip_prefix("go to ") {
                let code = rest.rsplit(' ').next().unwrap().to_owned();
                let issuer = server.issuer().to_owned();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(1200)).await;
                    if approve {
                        demo::approve(&issuer, &code).await.unwrap();
                    } else {
                        demo::deny(&issuer, &code).await.unwrap();
                    }
                });
            }
            seen.push(line);
        }
        child.wait().await.unwrap().code()
    };
    let code = tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("the example ends within 30 s");
    (code, seen)
}

#[tokio::test]
async fn the_device_flow_example_signs_in_against_the_demo_server() {
    let (code, lines) = sign_in(true).await;
    assert_eq!(code, Some(0), "{lines:#?}");
    assert_eq!(lines[0], r#"requested scopes: "openid profile""#);
    let granted = lines.last().unwrap();
    assert!(
        granted.starts_with("granted: token_type=Bearer"),
        "{granted}"
    );
    assert!(granted.contains("refresh_token=true"), "{granted}");
    assert!(lines.iter().any(|l| l == "polling"), "{lines:#?}");
}

#[tokio::test]
async fn the_device_flow_example_reports_a_denial_with_exit_3() {
    let (code, lines) = sign_in(false).await;
    assert_eq!(code, Some(3), "{lines:#?}");
    assert_eq!(lines.last().map(String::as_str), Some("denied"));
}
