//! `device-signin login` as a subprocess: exit codes, JSON lines, no secrets.

mod support;

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use support::{Reply, TestServer, code, granted, pending, providers_toml};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn events(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
            .collect()
    }

    fn event_names(&self) -> Vec<String> {
        self.events()
            .iter()
            .map(|e| e["event"].as_str().unwrap().to_owned())
            .collect()
    }
}

async fn login(providers: &str, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("providers.toml");
    std::fs::write(&config, providers).unwrap();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_device-signin"))
        .arg("login")
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("LANG", "C.UTF-8")
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("login must end")
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn assert_no_secrets(run: &Run) {
    for secret in [
        "DEVICE-CODE-SECRET",
        "AT-granted",
        "RT-granted",
        "CLIENT-SECRET",
    ] {
        assert!(
            !run.stdout.contains(secret),
            "{secret} in stdout:\n{}",
            run.stdout
        );
        assert!(
            !run.stderr.contains(secret),
            "{secret} in stderr:\n{}",
            run.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn granted_exits_0_with_json_lines_and_no_secret_even_at_trace() {
    let server = TestServer::start(vec![
        ("/device", vec![code(Some(1), 600)]),
        ("/token", vec![pending(), granted()]),
    ])
    .await;
    let run = login(
        &providers_toml(&server, "client_secret = \"CLIENT-SECRET\""),
        &["--json"],
    )
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.event_names(),
        [
            "started",
            "code_issued",
            "polling",
            "polling",
            "granted",
            "signed_in"
        ]
    );
    let code = &run.events()[1];
    assert_eq!(code["user_code"], "WDJB-MJHT");
    assert_eq!(code["verification_uri"], "https://auth.example.com/device");
    assert_eq!(
        code["verification_uri_complete"],
        "https://auth.example.com/device?user_code=WDJB-MJHT"
    );
    assert_eq!(code["expires_in"], 600);
    assert_eq!(code["interval"], 1);
    assert!(
        run.stderr.contains("TRACE") || run.stderr.contains("DEBUG"),
        "logging is on"
    );
    assert_no_secrets(&run);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_text_front_end_prints_the_url_the_code_and_a_qr_code() {
    let server = TestServer::start(vec![
        ("/device", vec![code(Some(1), 600)]),
        ("/token", vec![granted()]),
    ])
    .await;
    let run = login(&providers_toml(&server, ""), &[]).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("https://auth.example.com/device"));
    assert!(run.stdout.contains("WDJB-MJHT"));
    assert!(
        run.stdout.contains('▀') || run.stdout.contains('▄'),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Signed in"), "{}", run.stdout);
    assert_no_secrets(&run);
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_login_speaks_the_chosen_language_and_json_stays_english() {
    let server = TestServer::start(vec![
        ("/device", vec![code(Some(1), 600), code(Some(1), 600)]),
        ("/token", vec![granted(), granted()]),
    ])
    .await;
    let run = login(&providers_toml(&server, ""), &["--lang", "de"]).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("Rufe auf deinem Smartphone oder Computer diese Adresse auf:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("und gib den Code ein:"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Angemeldet als"), "{}", run.stdout);
    assert!(run.stdout.contains("WDJB-MJHT"), "the code stays as it is");
    // Scripts read JSON: its events and fields do not change with the language.
    let json = login(&providers_toml(&server, ""), &["--lang", "de", "--json"]).await;
    assert_eq!(json.code, 0);
    assert_eq!(json.event_names().first().unwrap(), "started");
    assert_eq!(json.event_names().last().unwrap(), "signed_in");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_plain_login_says_what_happened_and_what_to_do_in_its_language() {
    let server = TestServer::start(vec![
        ("/device", vec![code(Some(1), 600)]),
        (
            "/token",
            vec![Reply::json(401, r#"{"error":"invalid_client"}"#)],
        ),
    ])
    .await;
    let run = login(&providers_toml(&server, ""), &["--lang", "de"]).await;
    assert_eq!(run.code, 5, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("kennt diese App nicht"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Bitte die Person, die diesen Fernseher eingerichtet hat"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("device-signin: ") && run.stderr.contains("invalid_client"),
        "the technical line stays: {}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn denied_exits_3() {
    let server = TestServer::start(vec![
        ("/device", vec![code(Some(1), 600)]),
        (
            "/token",
            vec![Reply::json(400, r#"{"error":"access_denied"}"#)],
        ),
    ])
    .await;
    let run = login(&providers_toml(&server, ""), &["--json"]).await;
    assert_eq!(run.code, 3, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.event_names().last().unwrap(), "denied");
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_exits_4_without_polling_after_the_deadline() {
    // No interval (5 s applies) and a 1 s lifetime: shown, then expired, no poll.
    let server = TestServer::start(vec![
        ("/device", vec![code(None, 1)]),
        ("/token", vec![pending()]),
    ])
    .await;
    let run = login(&providers_toml(&server, ""), &["--json"]).await;
    assert_eq!(run.code, 4, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.event_names(), ["started", "code_issued", "expired"]);
    assert!(server.requests("/token").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_error_exits_5_with_its_details() {
    let server = TestServer::start(vec![
        ("/device", vec![code(Some(1), 600)]),
        (
            "/token",
            vec![Reply::json(
                401,
                r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
            )],
        ),
    ])
    .await;
    let run = login(&providers_toml(&server, ""), &["--json"]).await;
    assert_eq!(run.code, 5, "{}\n{}", run.stdout, run.stderr);
    let last = run.events().pop().unwrap();
    assert_eq!(last["event"], "failed");
    assert_eq!(last["kind"], "server");
    assert_eq!(last["error"], "invalid_client");
    assert_eq!(last["error_description"], "Client authentication failed");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_device_response_exits_5_naming_the_field() {
    let server = TestServer::start(vec![(
        "/device",
        vec![Reply::json(
            200,
            r#"{"device_code":"D","user_code":"U","verification_uri":"http://evil.example/device","expires_in":600}"#,
        )],
    )])
    .await;
    let run = login(&providers_toml(&server, ""), &[]).await;
    assert_eq!(run.code, 5, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("verification_uri"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_providers_file_exits_2_naming_file_line_and_field() {
    let run = login(
        "[[provider]]\nid = \"x\"\nclient_id = \"c\"\nissuer = 5\n",
        &[],
    )
    .await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("providers.toml:4: field `issuer`"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn several_providers_need_a_choice_and_an_unknown_id_is_named() {
    let server = TestServer::start(vec![]).await;
    let two = format!(
        "{}\n{}",
        providers_toml(&server, ""),
        providers_toml(&server, "").replace("id = \"test\"", "id = \"other\"")
    );
    let run = login(&two, &[]).await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--provider: test, other"),
        "{}",
        run.stderr
    );
    let run = login(&two, &["--provider", "nope"]).await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no provider with id `nope`"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_cancels_cleanly_with_exit_130() {
    let server = TestServer::start(vec![
        ("/device", vec![code(Some(1), 600)]),
        ("/token", vec![pending()]),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("providers.toml");
    std::fs::write(&config, providers_toml(&server, "")).unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_device-signin"))
        .args(["login", "--json", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // Wait until the code is on screen, then interrupt.
    while server.requests("/device").is_empty() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = child.id().unwrap() as i32;
    // SAFETY: sending a signal to our own child process by its PID.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("login must stop on Ctrl-C")
        .unwrap();
    assert_eq!(status.code(), Some(130));
    let polls = server.requests("/token").len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        server.requests("/token").len(),
        polls,
        "nothing sent after cancel"
    );
}

#[tokio::test]
async fn sigterm_and_sighup_end_login_with_an_interrupted_event_and_exit_143_and_129() {
    for (signal, expected) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129)] {
        sigterm_case(signal, expected).await;
    }
}

async fn sigterm_case(signal: i32, expected: i32) {
    use tokio::io::AsyncBufReadExt as _;
    let server = TestServer::start(vec![
        ("/device", vec![code(Some(1), 600)]),
        ("/token", vec![pending()]),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("providers.toml");
    std::fs::write(&config, providers_toml(&server, "")).unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_device-signin"))
        .args(["login", "--json", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut events = Vec::new();
    let read = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let event: Value = serde_json::from_str(&line).unwrap();
            if event["event"] == "code_issued" {
                // SAFETY: kill has no memory-safety preconditions; the PID is
                // our own child, still running (we hold its stdout).
                unsafe { libc::kill(child.id().unwrap() as i32, signal) };
            }
            events.push(event);
        }
        child.wait().await.unwrap()
    };
    let status = tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("login ends after SIGTERM");
    assert_eq!(status.code(), Some(expected), "{events:?}");
    assert_eq!(events.last().unwrap()["event"], "interrupted", "{events:?}");
    let polls = server.requests("/token").len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        server.requests("/token").len(),
        polls,
        "nothing sent after the signal"
    );
}

#[tokio::test]
async fn server_text_with_escape_sequences_is_printed_harmless_in_plain_mode() {
    let server = TestServer::start(vec![(
        "/device",
        vec![Reply::json(
            400,
            r#"{"error":"invalid_client","error_description":"x\u001b[2J\u001b]0;pwned\u0007\rSigned in as admin"}"#,
        )],
    )])
    .await;
    let run = login(&providers_toml(&server, ""), &[]).await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("invalid_client"), "{}", run.stderr);
    for text in [&run.stdout, &run.stderr] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
        assert!(!text.contains('\r'), "{text:?}");
    }
}
