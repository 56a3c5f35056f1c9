//! Both front-ends are views of one pipeline: the terminal (`login --json`,
//! as a subprocess) and the GUI (its subscription's stream fed into the
//! app's `update`) meet the same scripted server failures and reach the same
//! outcome, exit code and decision whether to retry by themselves.

mod support;

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use serde_json::Value;
use support::{Reply, TestServer, code, providers_toml};

use device_signin::provider;
use device_signin::signin::SigninEvent;
use device_signin::ui::app::{Message, Options, Screen, State};
use device_signin::ui::flow::{self, Attempt};

/// What a front-end decided.
#[derive(Debug, PartialEq, Eq)]
struct Decision {
    outcome: String,
    exit_code: u8,
    retries_by_itself: bool,
}

async fn terminal(config: &Path, data: &Path) -> Decision {
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_device-signin"))
        .args(["login", "--json", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("login ends")
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last: Value = serde_json::from_str(stdout.lines().last().expect("an event")).unwrap();
    let exit_code = out.status.code().expect("an exit code") as u8;
    assert_eq!(last["exit_code"], exit_code, "{last}");
    Decision {
        outcome: last["outcome"].as_str().unwrap().to_owned(),
        exit_code,
        retries_by_itself: last["retryable"].as_bool().unwrap(),
    }
}

async fn gui(config: &Path, data: &Path) -> Decision {
    let providers = provider::load(config).unwrap();
    let provider = Arc::new(providers[0].clone());
    let options = Options {
        kiosk: true,
        stay: false,
        data_dir: Some(data.to_owned()),
        ..Options::default()
    };
    let mut state = State::new(providers, options, Instant::now());
    let id = state.attempt().expect("one provider: an attempt at once");
    let attempt = Attempt {
        id,
        provider,
        data_dir: Some(data.to_owned()),
    };
    let mut events = Box::pin(flow::events(&attempt));
    let mut outcome = None;
    while let Some((id, event)) = tokio::time::timeout(Duration::from_secs(60), events.next())
        .await
        .expect("the pipeline ends")
    {
        if let SigninEvent::Ended(o) = &event {
            outcome = Some(o.name().to_owned());
        }
        let _ = state.update(Message::Flow(id, event));
    }
    let retries_by_itself = match state.screen() {
        Screen::Problem(p) => p.retry_at().is_some(),
        _ => false,
    };
    Decision {
        outcome: outcome.expect("an outcome"),
        exit_code: state.exit_code(),
        retries_by_itself,
    }
}

/// Run both front-ends against `scripts` (a fresh server for each) with
/// `extra` lines in the providers file; both must decide `expected`.
async fn both(scripts: fn() -> Vec<(&'static str, Vec<Reply>)>, extra: &str, expected: Decision) {
    let mut decisions = Vec::new();
    for front_end in ["terminal", "gui"] {
        let server = TestServer::start(scripts()).await;
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("providers.toml");
        let extra = extra.replace("{base}", &server.url(""));
        std::fs::write(&config, providers_toml(&server, &extra)).unwrap();
        let data = dir.path().join("data");
        let decision = match front_end {
            "terminal" => terminal(&config, &data).await,
            _ => gui(&config, &data).await,
        };
        decisions.push((front_end, decision));
    }
    for (front_end, decision) in &decisions {
        assert_eq!(decision, &expected, "{front_end}");
    }
}

fn decision(outcome: &str, exit_code: u8, retries_by_itself: bool) -> Decision {
    Decision {
        outcome: outcome.into(),
        exit_code,
        retries_by_itself,
    }
}

#[tokio::test]
async fn a_wrong_device_endpoint_404_is_an_http_status_that_is_not_retried() {
    both(
        || vec![("/device", vec![Reply::json(404, "")])],
        "",
        decision("http_status", 5, false),
    )
    .await;
}

#[tokio::test]
async fn a_device_endpoint_503_is_retried_by_itself_in_both() {
    both(
        || vec![("/device", vec![Reply::json(503, "")])],
        "",
        decision("http_status", 5, true),
    )
    .await;
}

#[tokio::test]
async fn a_refused_client_is_a_server_error_that_is_not_retried() {
    both(
        || {
            vec![(
                "/device",
                vec![Reply::json(401, r#"{"error":"invalid_client"}"#)],
            )]
        },
        "",
        decision("server_error", 5, false),
    )
    .await;
}

#[tokio::test]
async fn a_denial_is_exit_3_in_both() {
    both(
        || {
            vec![
                ("/device", vec![code(Some(1), 600)]),
                (
                    "/token",
                    vec![Reply::json(400, r#"{"error":"access_denied"}"#)],
                ),
            ]
        },
        "",
        decision("denied", 3, false),
    )
    .await;
}

#[tokio::test]
async fn an_expired_code_is_exit_4_in_both() {
    both(
        || {
            vec![
                ("/device", vec![code(Some(1), 600)]),
                (
                    "/token",
                    vec![Reply::json(400, r#"{"error":"expired_token"}"#)],
                ),
            ]
        },
        "",
        decision("expired", 4, false),
    )
    .await;
}

#[tokio::test]
async fn a_token_endpoint_400_without_an_oauth_error_is_the_same_in_both() {
    both(
        || {
            vec![
                ("/device", vec![code(Some(1), 600)]),
                ("/token", vec![Reply::json(400, "<html>Bad Request</html>")]),
            ]
        },
        "",
        decision("http_status", 5, false),
    )
    .await;
}

#[tokio::test]
async fn an_issuer_without_discovery_for_an_openid_scope_is_a_configuration_error_before_any_code()
{
    // `issuer` is set, `jwks_uri` is not, and the issuer has no discovery
    // document: known before a code is shown, so no one approves in vain.
    both(
        || vec![("/device", vec![code(Some(1), 600)])],
        "issuer = \"{base}\"",
        decision("config", 2, false),
    )
    .await;
}
