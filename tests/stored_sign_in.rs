//! `token`, `logout` and `status` on a stored sign-in, against a scripted
//! server: how refresh and revocation answers are classified (issue #11,
//! item 6), what `status` tells, and the `DEVICE_SIGNIN_*` defaults that
//! `--exec` programs rely on.

mod support;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use device_signin::oauth::TokenResponse;
use device_signin::store::{self, StoredTokens};
use serde_json::Value;
use support::{Reply, TestServer, providers_toml};

const BIN: &str = env!("CARGO_BIN_EXE_device-signin");

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

struct Kiosk {
    dir: tempfile::TempDir,
}

impl Kiosk {
    fn new(providers: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("providers.toml"), providers).unwrap();
        Self { dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("providers.toml")
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Store tokens received `age` seconds ago.
    fn store(&self, json: &str, age: u64) {
        let answer: TokenResponse = serde_json::from_str(json).unwrap();
        let mut record =
            StoredTokens::from_response("test", &answer, store::unix_now().saturating_sub(age));
        record.name = Some("Ada Lovelace".into());
        store::save(&self.data(), &record).unwrap();
    }

    fn file(&self) -> PathBuf {
        store::path_for(&self.data(), "test")
    }

    async fn run(&self, args: &[&str]) -> Out {
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.args(args)
            .arg("--config")
            .arg(self.config())
            .arg("--data-dir")
            .arg(self.data());
        run(cmd).await
    }
}

async fn run(mut cmd: tokio::process::Command) -> Out {
    cmd.env("RUST_LOG", "warn")
        .env_remove("DEVICE_SIGNIN_CONFIG")
        .env_remove("DEVICE_SIGNIN_PROVIDER")
        .env_remove("DEVICE_SIGNIN_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(60), cmd.output())
        .await
        .expect("the command ends")
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Expired an hour ago, with a refresh token: `token` must refresh.
const EXPIRED: &str = r#"{"access_token":"at-SECRET","refresh_token":"rt-SECRET","expires_in":60}"#;

fn no_secrets(out: &Out) {
    for secret in ["at-SECRET", "rt-SECRET"] {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "{secret} leaked:\n{}\n{}",
            out.stdout,
            out.stderr
        );
    }
}

#[tokio::test]
async fn a_refresh_refused_with_a_bare_400_or_401_is_sign_in_required_and_drops_the_dead_sign_in() {
    for status in [400, 401] {
        // Glewlwyd 2.7 answers a revoked or expired refresh token so: no body.
        let server = TestServer::start(vec![("/token", vec![Reply::json(status, "")])]).await;
        let kiosk = Kiosk::new(&providers_toml(&server, ""));
        kiosk.store(EXPIRED, 3600);
        let out = kiosk.run(&["token"]).await;
        assert_eq!(out.code, 4, "HTTP {status}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "no token is printed");
        assert!(out.stderr.contains("sign-in required"), "{}", out.stderr);
        assert!(
            out.stderr.contains(&format!("HTTP {status}")),
            "{}",
            out.stderr
        );
        assert!(!kiosk.file().exists(), "the dead refresh token is dropped");
        no_secrets(&out);
    }
}

#[tokio::test]
async fn a_refresh_that_fails_with_5xx_keeps_the_stored_sign_in_and_exits_5() {
    let server = TestServer::start(vec![("/token", vec![Reply::json(503, "")])]).await;
    let kiosk = Kiosk::new(&providers_toml(&server, ""));
    kiosk.store(EXPIRED, 3600);
    let out = kiosk.run(&["token"]).await;
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(kiosk.file().exists(), "never deleted for a passing failure");
    no_secrets(&out);
}

/// A discovery document for `server` whose revocation endpoint wants
/// client authentication.
fn discovery(server: &TestServer) -> Reply {
    Reply::json(
        200,
        serde_json::json!({
            "issuer": server.url(""),
            "device_authorization_endpoint": server.url("/device"),
            "token_endpoint": server.url("/token"),
            "revocation_endpoint": server.url("/revoke"),
            "jwks_uri": server.url("/jwks"),
            "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        })
        .to_string(),
    )
}

#[tokio::test]
async fn a_refused_revocation_says_why_that_the_tokens_were_deleted_here_and_until_when_they_live()
{
    let server = TestServer::start(vec![("/revoke", vec![Reply::json(401, "")])]).await;
    server.script(
        "/.well-known/openid-configuration",
        vec![discovery(&server)],
    );
    let extra = format!("issuer = \"{}\"", server.url(""));
    let kiosk = Kiosk::new(&providers_toml(&server, &extra));
    kiosk.store(
        r#"{"access_token":"at-SECRET","refresh_token":"rt-SECRET","expires_in":3600}"#,
        0,
    );
    let out = kiosk.run(&["logout"]).await;
    assert_eq!(out.code, 5, "{}", out.stderr);
    let e = &out.stderr;
    assert!(
        e.contains("Test Provider refused to revoke the refresh token (HTTP 401)"),
        "{e}"
    );
    assert!(
        e.contains("requires client authentication (client_secret_basic, client_secret_post)"),
        "{e}"
    );
    assert!(e.contains("no client_secret"), "{e}");
    assert!(e.contains("the tokens were deleted here"), "{e}");
    assert!(e.contains("the access token stays valid until"), "{e}");
    assert!(
        !e.contains("failed: HTTP"),
        "not told as a network failure: {e}"
    );
    assert!(!kiosk.file().exists(), "deleted here all the same");
    assert_eq!(server.requests("/revoke").len(), 1, "one refusal is enough");
    no_secrets(&out);
}

#[tokio::test]
async fn status_tells_who_is_signed_in_and_until_when_and_exits_0_then_4() {
    let server = TestServer::start(vec![]).await;
    let kiosk = Kiosk::new(&providers_toml(&server, ""));
    kiosk.store(
        r#"{"access_token":"at-SECRET","refresh_token":"rt-SECRET","expires_in":3600,"refresh_expires_in":86400}"#,
        0,
    );
    let out = kiosk.run(&["status"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let s = &out.stdout;
    assert!(
        s.contains("* Test Provider (test): signed in as Ada Lovelace"),
        "{s}"
    );
    assert!(s.contains("access token: valid until"), "{s}");
    assert!(
        s.contains("(in 59 min)") || s.contains("(in 60 min)"),
        "{s}"
    );
    assert!(s.contains("refresh token: valid until"), "{s}");
    no_secrets(&out);

    let out = kiosk.run(&["status", "--json"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(doc["chosen"], "test");
    assert_eq!(doc["signed_in"], true);
    assert_eq!(doc["providers"][0]["who"], "Ada Lovelace");
    assert_eq!(doc["providers"][0]["refresh_token"], true);
    assert!(doc["providers"][0]["access_token_expires_at"].is_u64());
    no_secrets(&out);

    std::fs::remove_file(kiosk.file()).unwrap();
    let out = kiosk.run(&["status"]).await;
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stdout.contains("Test Provider (test): not signed in"),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn token_takes_its_defaults_from_the_variables_an_exec_program_inherits() {
    let server = TestServer::start(vec![]).await;
    let kiosk = Kiosk::new(&providers_toml(&server, ""));
    kiosk.store(
        r#"{"access_token":"at-VALID","refresh_token":"rt-SECRET","expires_in":3600}"#,
        0,
    );
    let mut cmd = tokio::process::Command::new(BIN);
    cmd.arg("token");
    let mut out = {
        cmd.env("RUST_LOG", "warn")
            .env("DEVICE_SIGNIN_CONFIG", kiosk.config())
            .env("DEVICE_SIGNIN_PROVIDER", "test")
            .env("DEVICE_SIGNIN_DATA_DIR", kiosk.data())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd.output().await.unwrap()
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout.retain(|b| *b != b'\n');
    assert_eq!(out.stdout, b"at-VALID");
}

#[tokio::test]
async fn exec_needs_a_program_and_excludes_stay_and_commands() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--exec"][..],
        &["--stay", "--exec", "true"][..],
        &["login", "--exec", "true"][..],
    ] {
        let mut cmd = tokio::process::Command::new(BIN);
        // Everything after --exec is the program's: our options come first.
        cmd.arg("--data-dir").arg(dir.path()).args(args);
        let out = run(cmd).await;
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("--exec"), "{}", out.stderr);
    }
    assert!(Path::new(BIN).exists());
}

#[tokio::test]
async fn a_signal_during_a_refresh_ends_token_at_once_with_its_exit_code_and_no_token() {
    for (signal, expected) in [
        (libc::SIGTERM, 143),
        (libc::SIGINT, 130),
        (libc::SIGHUP, 129),
    ] {
        // The token endpoint takes 20 s to answer: the signal comes first.
        let server = TestServer::start(vec![(
            "/token",
            vec![
                Reply::json(200, r#"{"access_token":"at-NEW","expires_in":60}"#)
                    .delayed(Duration::from_secs(20)),
            ],
        )])
        .await;
        let kiosk = Kiosk::new(&providers_toml(&server, ""));
        kiosk.store(EXPIRED, 3600);
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.arg("token")
            .arg("--config")
            .arg(kiosk.config())
            .arg("--data-dir")
            .arg(kiosk.data())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let child = cmd.spawn().unwrap();
        while server.requests("/token").is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let pid = child.id().unwrap() as i32;
        // SAFETY: a signal to our own child, which is still running.
        unsafe { libc::kill(pid, signal) };
        let out = tokio::time::timeout(Duration::from_secs(5), child.wait_with_output())
            .await
            .expect("token ends at once after the signal")
            .unwrap();
        assert_eq!(out.status.code(), Some(expected));
        assert!(out.stdout.is_empty(), "no token is printed");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("interrupted by SIG"), "{stderr}");
        assert_eq!(server.requests("/token").len(), 1, "nothing more is sent");
        assert!(kiosk.file().exists(), "the stored sign-in is kept");
    }
}
