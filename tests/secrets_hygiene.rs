//! Secrets hygiene: a whole sign-in, a refresh and a logout, each run as a
//! subprocess with `RUST_LOG=trace`, never print a secret.
//!
//! The scripted server hands out known, distinctive values: a device code,
//! an access, refresh and ID token at login, new ones of each at refresh
//! (the refresh token rotates), and the client holds a client secret (sent
//! by client_secret_post in one test, client_secret_basic in another). The
//! ID tokens are real ES256 JWTs, signed with a key made for this test and
//! served as the provider's JWKS, so they pass validation and are stored.
//!
//! Every byte the three commands write to stdout and stderr is searched for
//! each secret, for its first and last 12 characters, its URL-encoded and
//! base64 forms, each part of a JWT, and the `Authorization: Basic` value;
//! and for any run of 40 or more token characters, which catches secrets
//! whose value the test does not know. The one exception is the stdout of
//! `token`: printing the access token is that command's purpose, so it is
//! checked to be exactly that token, once, and left out of the search.
//!
//! The search is not vacuous: the same values must show up where they
//! belong (in the requests the server received, in the token store), and
//! trace logging must have produced output.
//!
//! The same lifecycle runs against `device-signin demo-server` (its own
//! output searched too), and a providers file with a malformed client secret
//! must not have it echoed in the error.

mod support;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use device_signin::store;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::pkcs8::EncodePrivateKey as _;
use serde_json::{Value, json};
use support::{Recorded, Reply, TestServer, pending};

const BIN: &str = env!("CARGO_BIN_EXE_device-signin");
const PROVIDER_ID: &str = "hygiene";
const CLIENT_ID: &str = "tv-app";
const ISSUER: &str = "https://issuer.hygiene.test";
const SUB: &str = "user-hygiene-42";
const USER_CODE: &str = "HYGN-CODE";

const DEVICE_CODE: &str = "dvc-Qm7Zr2Lx9Tb4Kw8Np3Hs6Vd1";
const ACCESS_1: &str = "at1-Xe5Jc8Ru2Gy7Mf4Wk9Pb3Zq6";
const REFRESH_1: &str = "rt1-Ln4Vh7Dt2Qx9Bs6Ke3Yw8Gm5";
const ACCESS_2: &str = "at2-Fp8Kz3Wn6Rc1Jv4Hd9Tx2Ub7";
const REFRESH_2: &str = "rt2-Sy2Mg5Ea8Lq3Cw6Zn1Vk4Pj9";
/// Characters that URL encoding changes, so the encoded form is searched too.
const CLIENT_SECRET: &str = "cs-Hq7T/w+Yz=k:&Rn%9pL2vB8x";

/// A P-256 key made for this test, and ID tokens signed with it.
struct Signer {
    encoding: EncodingKey,
    jwks: Value,
}

const KID: &str = "hygiene-key-1";

impl Signer {
    fn new() -> Self {
        let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
        let der = secret.to_pkcs8_der().expect("PKCS#8 encoding");
        let mut jwk: Value =
            serde_json::from_str(&secret.public_key().to_jwk_string()).expect("JWK JSON");
        jwk["kid"] = json!(KID);
        jwk["alg"] = json!("ES256");
        jwk["use"] = json!("sig");
        Self {
            encoding: EncodingKey::from_ec_der(der.as_bytes()),
            jwks: json!({ "keys": [jwk] }),
        }
    }

    /// A valid ID token for [`SUB`]; `jti` makes each one distinct. It names
    /// no one recognisable, so the client also asks userinfo (with the
    /// access token as its bearer).
    fn id_token(&self, jti: &str) -> String {
        let now = store::unix_now();
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(KID.into());
        let claims = json!({
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": SUB,
            "iat": now,
            "exp": now + 3600,
            "jti": jti,
        });
        jsonwebtoken::encode(&header, &claims, &self.encoding).expect("sign an ID token")
    }
}

fn token_answer(access: &str, refresh: &str, id_token: &str) -> Reply {
    Reply::json(
        200,
        json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 3600,
            "refresh_token": refresh,
            "id_token": id_token,
            "scope": "openid profile",
        })
        .to_string(),
    )
}

fn device_answer() -> Reply {
    Reply::json(
        200,
        json!({
            "device_code": DEVICE_CODE,
            "user_code": USER_CODE,
            "verification_uri": "https://auth.hygiene.test/device",
            "expires_in": 600,
            "interval": 1,
        })
        .to_string(),
    )
}

/// One secret and the forms of it that must not be printed.
struct Secret {
    label: &'static str,
    value: String,
}

impl Secret {
    fn new(label: &'static str, value: impl Into<String>) -> Self {
        Self {
            label,
            value: value.into(),
        }
    }

    /// The value, its first and last 12 characters, its URL-encoded and
    /// base64 forms; for a JWT also each of its three parts with their
    /// first and last 12 characters.
    fn needles(&self) -> Vec<(String, String)> {
        let v = self.value.as_str();
        let mut out = vec![
            (format!("{} (whole)", self.label), v.to_owned()),
            (format!("{} (first 12)", self.label), v[..12].to_owned()),
            (
                format!("{} (last 12)", self.label),
                v[v.len() - 12..].to_owned(),
            ),
            (
                format!("{} (URL-encoded)", self.label),
                url::form_urlencoded::byte_serialize(v.as_bytes()).collect(),
            ),
            (format!("{} (base64)", self.label), STANDARD.encode(v)),
            (
                format!("{} (base64url)", self.label),
                URL_SAFE_NO_PAD.encode(v),
            ),
        ];
        let parts: Vec<&str> = v.split('.').collect();
        if parts.len() == 3 {
            for (name, part) in ["header", "claims", "signature"].iter().zip(&parts) {
                out.push((format!("{} ({name})", self.label), (*part).to_owned()));
                out.push((
                    format!("{} ({name}, first 12)", self.label),
                    part[..12].to_owned(),
                ));
                out.push((
                    format!("{} ({name}, last 12)", self.label),
                    part[part.len() - 12..].to_owned(),
                ));
            }
        }
        out
    }
}

/// The `Authorization` value for client_secret_basic (RFC 6749 §2.3.1).
fn basic_credentials() -> String {
    let enc = |s: &str| -> String { url::form_urlencoded::byte_serialize(s.as_bytes()).collect() };
    STANDARD.encode(format!("{}:{}", enc(CLIENT_ID), enc(CLIENT_SECRET)))
}

/// Runs of 40 or more token characters (base64url, as in opaque tokens,
/// device codes and JWT parts). Nothing a person needs to read is like
/// that, so any such run in the output is taken for a secret, even one
/// whose value the test does not know.
fn opaque_strings(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|run| run.len() >= 40)
        .collect()
}

/// Every place a needle or an opaque string occurs in `searched`.
fn find_leaks(searched: &[(String, String)], needles: &[(String, String)]) -> Vec<String> {
    let mut leaks = Vec::new();
    for (place, text) in searched {
        let clean = strip_ansi(text);
        for (label, needle) in needles {
            if let Some(at) = clean.find(needle.as_str()) {
                let line = clean[..at].matches('\n').count() + 1;
                leaks.push(format!("{label} in {place}, line {line}"));
            } else if text.contains(needle.as_str()) {
                leaks.push(format!("{label} in {place}"));
            }
        }
        for run in opaque_strings(&clean) {
            leaks.push(format!(
                "an opaque string of {} characters in {place}: {}…",
                run.len(),
                &run[..8]
            ));
        }
    }
    leaks
}

/// What one command wrote, and how it ended.
struct Output {
    what: &'static str,
    code: i32,
    stdout: String,
    stderr: String,
}

/// ANSI colour sequences removed, so a value split by one is still found.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

struct Kiosk {
    dir: tempfile::TempDir,
}

impl Kiosk {
    fn new(server: &TestServer, client_auth: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = format!(
            r#"[[provider]]
id = "{PROVIDER_ID}"
name = "Hygiene Test"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
client_auth = "{client_auth}"
scope = "openid profile"
issuer = "{ISSUER}"
device_authorization_endpoint = "{}"
token_endpoint = "{}"
revocation_endpoint = "{}"
userinfo_endpoint = "{}"
jwks_uri = "{}"
"#,
            server.url("/device"),
            server.url("/token"),
            server.url("/revoke"),
            server.url("/userinfo"),
            server.url("/jwks"),
        );
        std::fs::write(dir.path().join("providers.toml"), text).expect("providers file");
        Self { dir }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn store_text(&self) -> String {
        std::fs::read_to_string(store::path_for(&self.data_dir(), PROVIDER_ID))
            .expect("the token store file")
    }

    async fn run(&self, what: &'static str, args: &[&str]) -> Output {
        let child = tokio::process::Command::new(BIN)
            .args(args)
            .arg("--config")
            .arg(self.dir.path().join("providers.toml"))
            .arg("--data-dir")
            .arg(self.data_dir())
            .env("RUST_LOG", "trace")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start device-signin");
        let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
            .await
            .unwrap_or_else(|_| panic!("`{what}` did not finish within 60 s"))
            .expect("wait for device-signin");
        Output {
            what,
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

fn form_values(requests: &[Recorded], key: &str) -> Vec<String> {
    requests
        .iter()
        .filter_map(|r| r.form.get(key).cloned())
        .collect()
}

fn header_values(requests: &[Recorded], name: &str) -> Vec<String> {
    requests
        .iter()
        .filter_map(|r| r.headers.get(name)?.to_str().ok().map(str::to_owned))
        .collect()
}

/// Sign in, refresh, log out; then search every output for every secret.
async fn lifecycle_prints_no_secret(client_auth: &str) {
    let signer = Signer::new();
    let id_1 = signer.id_token("id1-first-login");
    let id_2 = signer.id_token("id2-after-refresh");
    let server = TestServer::start(vec![
        ("/device", vec![device_answer()]),
        (
            "/token",
            vec![
                pending(),
                token_answer(ACCESS_1, REFRESH_1, &id_1),
                token_answer(ACCESS_2, REFRESH_2, &id_2),
            ],
        ),
        ("/jwks", vec![Reply::json(200, signer.jwks.to_string())]),
        (
            "/userinfo",
            vec![Reply::json(
                200,
                json!({"sub": SUB, "name": "Hygiene Tester"}).to_string(),
            )],
        ),
        ("/revoke", vec![Reply::json(200, "")]),
    ])
    .await;
    let kiosk = Kiosk::new(&server, client_auth);

    // 1. Sign in.
    let login = kiosk.run("login --json", &["login", "--json"]).await;
    assert_eq!(login.code, 0, "{}\n{}", login.stdout, login.stderr);
    let last: Value =
        serde_json::from_str(login.stdout.lines().last().expect("events")).expect("a JSON event");
    assert_eq!(last["event"], "signed_in", "{}", login.stdout);
    assert_eq!(last["sub"], SUB, "the ID token was validated");
    assert_eq!(last["name"], "Hygiene Tester", "userinfo was asked");
    assert!(login.stdout.contains(USER_CODE), "the user code is shown");
    let after_login = kiosk.store_text();

    // 2. Refresh: no token is valid for ten years, so `token` must refresh.
    let token = kiosk
        .run(
            "token --min-valid 315360000",
            &["token", "--min-valid", "315360000"],
        )
        .await;
    assert_eq!(token.code, 0, "{}\n{}", token.stdout, token.stderr);
    // Printing the access token on stdout is what `token` is for: exactly
    // the new access token, once, on a line of its own. That output, and
    // only that, is left out of the search below.
    assert_eq!(token.stdout, format!("{ACCESS_2}\n"));
    let after_refresh = kiosk.store_text();

    // 3. Log out: both tokens revoked, the file deleted.
    let logout = kiosk.run("logout", &["logout"]).await;
    assert_eq!(logout.code, 0, "{}\n{}", logout.stdout, logout.stderr);
    assert!(logout.stderr.contains("signed out"), "{}", logout.stderr);
    assert!(!store::path_for(&kiosk.data_dir(), PROVIDER_ID).exists());

    let secrets = [
        Secret::new("device code", DEVICE_CODE),
        Secret::new("access token 1", ACCESS_1),
        Secret::new("refresh token 1", REFRESH_1),
        Secret::new("ID token 1", id_1.as_str()),
        Secret::new("access token 2", ACCESS_2),
        Secret::new("refresh token 2 (rotated)", REFRESH_2),
        Secret::new("ID token 2", id_2.as_str()),
        Secret::new("client secret", CLIENT_SECRET),
        Secret::new("Basic credentials", basic_credentials()),
    ];

    // Not vacuous, part 1: each secret went where it belongs.
    let token_requests = server.requests("/token");
    assert_eq!(token_requests.len(), 3, "two polls and one refresh");
    assert_eq!(
        form_values(&token_requests, "device_code"),
        [DEVICE_CODE, DEVICE_CODE]
    );
    assert_eq!(form_values(&token_requests, "refresh_token"), [REFRESH_1]);
    assert_eq!(
        header_values(&server.requests("/userinfo"), "authorization"),
        [format!("Bearer {ACCESS_1}")]
    );
    let revoke_requests = server.requests("/revoke");
    assert_eq!(
        form_values(&revoke_requests, "token"),
        [REFRESH_2, ACCESS_2]
    );
    assert!(
        !server.requests("/jwks").is_empty(),
        "the keys were fetched"
    );
    let authenticated: Vec<Recorded> = server
        .requests("/device")
        .into_iter()
        .chain(token_requests)
        .chain(revoke_requests)
        .collect();
    assert_eq!(authenticated.len(), 6);
    match client_auth {
        "client_secret_post" => assert_eq!(
            form_values(&authenticated, "client_secret"),
            vec![CLIENT_SECRET; 6]
        ),
        "client_secret_basic" => {
            assert_eq!(
                header_values(&authenticated, "authorization"),
                vec![format!("Basic {}", basic_credentials()); 6]
            );
            assert!(form_values(&authenticated, "client_secret").is_empty());
        }
        other => panic!("unknown client_auth {other}"),
    }

    // Not vacuous, part 2: the token store holds the tokens of its moment,
    // and never the device code or the client secret.
    for (text, present) in [
        (&after_login, [ACCESS_1, REFRESH_1, id_1.as_str()]),
        (&after_refresh, [ACCESS_2, REFRESH_2, id_2.as_str()]),
    ] {
        for value in present {
            assert!(
                text.contains(value),
                "the store lacks a token it should hold"
            );
        }
        assert!(!text.contains(DEVICE_CODE) && !text.contains(&CLIENT_SECRET[..12]));
    }

    // Not vacuous, part 3: trace logging was on and wrote something.
    for out in [&login, &token, &logout] {
        let clean = strip_ansi(&out.stderr);
        assert!(
            clean.contains("TRACE") && clean.contains("DEBUG"),
            "`{}` logged nothing at trace level:\n{}",
            out.what,
            out.stderr
        );
    }

    // The search. Everything each command wrote, except `token`'s stdout.
    let mut searched: Vec<(String, String)> = Vec::new();
    for out in [&login, &token, &logout] {
        searched.push((format!("`{}` stderr", out.what), out.stderr.clone()));
        if out.what != token.what {
            searched.push((format!("`{}` stdout", out.what), out.stdout.clone()));
        }
    }
    let needles: Vec<(String, String)> = secrets.iter().flat_map(Secret::needles).collect();
    let leaks = find_leaks(&searched, &needles);
    let total: usize = searched.iter().map(|(_, t)| t.len()).sum();
    assert!(
        leaks.is_empty(),
        "secrets leaked ({} bytes searched):\n{}\n\nlogin stderr:\n{}\n\ntoken stderr:\n{}\n\nlogout stderr:\n{}",
        total,
        leaks.join("\n"),
        login.stderr,
        token.stderr,
        logout.stderr
    );
    dir_is_private(&kiosk.data_dir());
}

/// The data directory stays private after the whole run.
fn dir_is_private(dir: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(dir)
        .expect("data dir")
        .permissions()
        .mode();
    assert_eq!(mode & 0o077, 0, "{mode:o}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_refresh_and_logout_at_trace_never_print_a_secret_with_client_secret_post() {
    lifecycle_prints_no_secret("client_secret_post").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_refresh_and_logout_at_trace_never_print_a_secret_with_client_secret_basic() {
    lifecycle_prints_no_secret("client_secret_basic").await;
}

/// `device-signin demo-server`, as a subprocess logging at trace.
struct DemoServerProcess {
    child: tokio::process::Child,
    issuer: String,
    stdout: tokio::task::JoinHandle<String>,
    stderr: tokio::task::JoinHandle<String>,
}

impl DemoServerProcess {
    async fn start() -> Self {
        use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _};
        let mut child = tokio::process::Command::new(BIN)
            .args(["demo-server", "--bind", "127.0.0.1:0", "--interval", "1"])
            .env("RUST_LOG", "trace")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start device-signin demo-server");
        let mut stderr = child.stderr.take().expect("piped stderr");
        let stderr = tokio::spawn(async move {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text).await;
            text
        });
        let mut lines =
            tokio::io::BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let mut banner = String::new();
        let issuer = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.expect("read the banner") {
                banner.push_str(&line);
                banner.push('\n');
                if let Some(issuer) = line.strip_prefix("issuer:") {
                    return issuer.trim().to_owned();
                }
            }
            panic!("the demo server ended without naming its issuer")
        })
        .await
        .expect("the demo server starts within 30 s");
        let stdout = tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                banner.push_str(&line);
                banner.push('\n');
            }
            banner
        });
        Self {
            child,
            issuer,
            stdout,
            stderr,
        }
    }

    /// Ctrl-C, by PID, then everything it wrote.
    async fn stop(mut self) -> Output {
        let pid = self.child.id().expect("the demo server is running") as i32;
        // SAFETY: a signal to the child this test started, by its PID.
        unsafe { libc::kill(pid, libc::SIGINT) };
        let status = tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("the demo server stops on Ctrl-C")
            .expect("wait for the demo server");
        Output {
            what: "demo-server",
            code: status.code().unwrap_or(-1),
            stdout: self.stdout.await.expect("stdout reader"),
            stderr: self.stderr.await.expect("stderr reader"),
        }
    }
}

/// The same lifecycle against the demo server (a separate process, also
/// logging at trace), approved through its verification page. Its secrets
/// are random: the tokens are read back from the store, and the device code,
/// never seen, is caught by the search for opaque strings (it is one of 43
/// characters).
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_server_and_a_sign_in_refresh_and_logout_with_it_at_trace_never_print_a_secret() {
    use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _};
    let server = DemoServerProcess::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("providers.toml");
    std::fs::write(
        &config,
        format!(
            "[[provider]]\nid = \"{PROVIDER_ID}\"\nname = \"Demo server\"\n\
             client_id = \"{}\"\nscope = \"openid profile email offline_access\"\n\
             issuer = \"{}\"\n",
            device_signin::demo::CLIENT_ID,
            server.issuer
        ),
    )
    .expect("providers file");
    let kiosk = Kiosk { dir };

    // Sign in, approving on the demo's page as soon as the code is shown.
    let mut child = tokio::process::Command::new(BIN)
        .args(["login", "--json", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(kiosk.data_dir())
        .env("RUST_LOG", "trace")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start device-signin login");
    let mut stderr_pipe = child.stderr.take().expect("piped stderr");
    let stderr = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text).await;
        text
    });
    let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let mut stdout = String::new();
    let issuer = server.issuer.clone();
    let status = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.expect("read login's stdout") {
            let event: Value = serde_json::from_str(&line).expect("a JSON event");
            if event["event"] == "code_issued" {
                let user_code = event["user_code"].as_str().expect("a user code");
                device_signin::demo::approve(&issuer, user_code)
                    .await
                    .expect("approve on the demo's page");
            }
            stdout.push_str(&line);
            stdout.push('\n');
        }
        child.wait().await.expect("login exits")
    })
    .await
    .expect("login finishes within 60 s");
    let login = Output {
        what: "login --json",
        code: status.code().unwrap_or(-1),
        stdout,
        stderr: stderr.await.expect("stderr reader"),
    };
    assert_eq!(login.code, 0, "{}\n{}", login.stdout, login.stderr);
    let first = store::load(&kiosk.data_dir(), PROVIDER_ID)
        .expect("the store loads")
        .expect("tokens are stored");
    let after_login = kiosk.store_text();

    let token = kiosk
        .run(
            "token --min-valid 315360000",
            &["token", "--min-valid", "315360000"],
        )
        .await;
    assert_eq!(token.code, 0, "{}\n{}", token.stdout, token.stderr);
    let second = store::load(&kiosk.data_dir(), PROVIDER_ID)
        .expect("the store loads")
        .expect("tokens are stored");
    // `token` prints the access token: its stdout is left out of the search.
    assert_eq!(token.stdout, format!("{}\n", second.access_token.expose()));
    let after_refresh = kiosk.store_text();

    let logout = kiosk.run("logout", &["logout"]).await;
    assert_eq!(logout.code, 0, "{}\n{}", logout.stdout, logout.stderr);
    let demo = server.stop().await;
    assert_eq!(demo.code, 0, "{}", demo.stderr);

    let mut secrets = vec![
        Secret::new("access token 1", first.access_token.expose()),
        Secret::new("access token 2", second.access_token.expose()),
    ];
    for (label, token) in [
        ("refresh token 1", &first.refresh_token),
        ("refresh token 2", &second.refresh_token),
    ] {
        let token = token
            .as_ref()
            .expect("offline_access gives a refresh token");
        secrets.push(Secret::new(label, token.expose()));
    }
    for (label, token) in [
        ("ID token 1", &first.id_token),
        ("ID token 2", &second.id_token),
    ] {
        secrets.push(Secret::new(
            label,
            token.as_ref().expect("an ID token").expose(),
        ));
    }
    assert_ne!(first.access_token, second.access_token, "refreshed");
    assert_ne!(first.refresh_token, second.refresh_token, "rotated");

    // Not vacuous: trace logging wrote, and the opaque-string search sees
    // the demo's tokens where they are (the store).
    for out in [&login, &token, &logout] {
        let clean = strip_ansi(&out.stderr);
        assert!(
            clean.contains("TRACE"),
            "`{}` logged nothing at trace level",
            out.what
        );
    }
    for text in [&after_login, &after_refresh] {
        // An access token, a refresh token, and an ID token's three parts.
        let found = opaque_strings(text);
        assert!(
            found.len() >= 5,
            "the search for opaque strings is blind: {found:?}"
        );
    }

    let mut searched: Vec<(String, String)> = Vec::new();
    for out in [&demo, &login, &token, &logout] {
        searched.push((format!("`{}` stderr", out.what), out.stderr.clone()));
        if out.what != token.what {
            searched.push((format!("`{}` stdout", out.what), out.stdout.clone()));
        }
    }
    let needles: Vec<(String, String)> = secrets.iter().flat_map(Secret::needles).collect();
    let leaks = find_leaks(&searched, &needles);
    assert!(
        leaks.is_empty(),
        "secrets leaked:\n{}\n\ndemo-server stderr:\n{}\n\nlogin stderr:\n{}\n\ntoken stderr:\n{}\n\nlogout stderr:\n{}",
        leaks.join("\n"),
        demo.stderr,
        login.stderr,
        token.stderr,
        logout.stderr
    );
}

/// A client secret written without quotes is a type error in the providers
/// file; the message names the file, line and field, never the value.
#[tokio::test]
async fn a_client_secret_of_the_wrong_type_is_named_but_never_printed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let secret = "918273645501928374";
    let config = dir.path().join("providers.toml");
    std::fs::write(
        &config,
        format!(
            "[[provider]]\nid = \"{PROVIDER_ID}\"\nclient_id = \"{CLIENT_ID}\"\n\
             client_secret = {secret}\nissuer = \"{ISSUER}\"\n"
        ),
    )
    .expect("providers file");
    let kiosk = Kiosk { dir };
    for args in [&["login", "--json"][..], &["token"], &["logout"]] {
        let out = kiosk.run("a command", args).await;
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("providers.toml:4: field `client_secret`"),
            "{args:?}: {}",
            out.stderr
        );
        for text in [&out.stdout, &out.stderr] {
            assert!(!text.contains(&secret[..12]), "{args:?} printed the secret");
        }
    }
}

/// Config errors never quote a secret field's value, whatever the TOML shape.
#[tokio::test]
async fn config_errors_never_quote_a_client_secret_in_any_toml_shape() {
    let secret = "918273645501928374";
    let shapes = [
        // An inline table in an array of tables.
        format!(
            "provider = [{{ id = \"{PROVIDER_ID}\", client_id = \"{CLIENT_ID}\", \
             client_secret = {secret}, issuer = \"{ISSUER}\" }}]\n"
        ),
        // A quoted key.
        format!(
            "[[provider]]\nid = \"{PROVIDER_ID}\"\nclient_id = \"{CLIENT_ID}\"\n\
             \"client_secret\" = {secret}\nissuer = \"{ISSUER}\"\n"
        ),
        // An array, and a table, where a string belongs.
        format!(
            "[[provider]]\nid = \"{PROVIDER_ID}\"\nclient_id = \"{CLIENT_ID}\"\n\
             client_secret = [{secret}]\nissuer = \"{ISSUER}\"\n"
        ),
        format!(
            "[[provider]]\nid = \"{PROVIDER_ID}\"\nclient_id = \"{CLIENT_ID}\"\n\
             client_secret = {{ value = \"{secret}\" }}\nissuer = \"{ISSUER}\"\n"
        ),
        // A file that does not parse at all.
        format!("[[provider]]\nid = \"{PROVIDER_ID}\"\nclient_secret = {secret}x\"\n"),
    ];
    for text in shapes {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("providers.toml"), &text).expect("providers file");
        let kiosk = Kiosk { dir };
        let out = kiosk.run("a command", &["token"]).await;
        assert_eq!(out.code, 2, "{text}: {}", out.stderr);
        assert!(out.stderr.contains("providers.toml:"), "{}", out.stderr);
        for printed in [&out.stdout, &out.stderr] {
            assert!(
                !printed.contains(&secret[..8]),
                "{text}\nprinted the secret: {printed}"
            );
        }
    }
}

/// A hostile server that quotes our secrets back, in every place server
/// text can reach an output: the device `message`, an `error_description`
/// while polling, while refreshing and while revoking, a bare 4xx body that
/// echoes the request form, and the user's name. Nothing of any secret is
/// printed, at `RUST_LOG=trace`, in plain and JSON mode; `[redacted]` shows
/// where it was.
#[tokio::test]
async fn a_server_that_echoes_the_request_and_quotes_secrets_back_never_gets_them_printed() {
    let echo_form = format!(
        "client_id={CLIENT_ID}&client_secret={}&device_code={DEVICE_CODE}&grant_type=x",
        url::form_urlencoded::byte_serialize(CLIENT_SECRET.as_bytes()).collect::<String>()
    );
    let quoting_device = Reply::json(
        200,
        json!({
            "device_code": DEVICE_CODE,
            "user_code": USER_CODE,
            "verification_uri": "https://auth.hygiene.test/device",
            "expires_in": 600,
            "interval": 1,
            "message": format!("Your client secret is {CLIENT_SECRET}; device code {DEVICE_CODE}"),
        })
        .to_string(),
    );
    // An error quoting `values` back, whole and the device code cut short.
    let quoting_error = |what: &str, values: &[&str]| {
        Reply::json(
            400,
            json!({
                "error": "invalid_request",
                "error_description": format!(
                    "{what}: bad values {} (device_code {}…)",
                    values.join(" and "),
                    &DEVICE_CODE[..14]
                ),
            })
            .to_string(),
        )
    };
    let basic = basic_credentials();

    // 1. login, plain and JSON: the message quotes secrets, and the poll
    //    answers with an error that quotes them all back.
    for args in [&["login"][..], &["login", "--json"]] {
        let server = TestServer::start(vec![
            ("/device", vec![quoting_device.clone()]),
            (
                "/token",
                vec![quoting_error("poll", &[CLIENT_SECRET, DEVICE_CODE])],
            ),
        ])
        .await;
        let kiosk = Kiosk::new(&server, "client_secret_post");
        let out = kiosk.run("login", args).await;
        assert_eq!(out.code, 5, "{args:?}: {}\n{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains("[redacted]") || out.stderr.contains("[redacted]"),
            "{args:?}: the quoted secrets are marked:\n{}\n{}",
            out.stdout,
            out.stderr
        );
        assert_clean(&out, LOGIN_HELD);
        // 2. A bare 4xx that echoes the request form is never quoted.
        let server = TestServer::start(vec![
            ("/device", vec![device_answer()]),
            ("/token", vec![Reply::form(400, echo_form.clone())]),
        ])
        .await;
        let kiosk = Kiosk::new(&server, "client_secret_post");
        let out = kiosk.run("login (echo)", args).await;
        assert_eq!(out.code, 5, "{args:?}: {}\n{}", out.stdout, out.stderr);
        assert_clean(&out, LOGIN_HELD);
    }

    // 3. token and logout against a stored sign-in: the refresh and the
    //    revocation errors quote the tokens back.
    let server = TestServer::start(vec![
        (
            "/token",
            vec![quoting_error(
                "refresh",
                &[CLIENT_SECRET, REFRESH_1, ACCESS_1, &basic],
            )],
        ),
        (
            "/revoke",
            vec![quoting_error(
                "revoke",
                &[CLIENT_SECRET, REFRESH_1, ACCESS_1, &basic],
            )],
        ),
    ])
    .await;
    let kiosk = Kiosk::new(&server, "client_secret_basic");
    let answer: device_signin::oauth::TokenResponse = serde_json::from_str(
        &json!({"access_token": ACCESS_1, "refresh_token": REFRESH_1, "expires_in": 1}).to_string(),
    )
    .unwrap();
    let record = store::StoredTokens::from_response(PROVIDER_ID, &answer, store::unix_now() - 100);
    store::save(&kiosk.data_dir(), &record).unwrap();
    let out = kiosk.run("token", &["token"]).await;
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "no token printed");
    assert!(out.stderr.contains("[redacted]"), "{}", out.stderr);
    assert_clean(&out, ALL);
    let record = store::StoredTokens::from_response(PROVIDER_ID, &answer, store::unix_now());
    store::save(&kiosk.data_dir(), &record).unwrap();
    let out = kiosk.run("logout", &["logout"]).await;
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert!(out.stderr.contains("[redacted]"), "{}", out.stderr);
    assert_clean(&out, ALL);
}

/// What `login` holds: the client secret and the device code.
const LOGIN_HELD: &[&str] = &["client secret", "device code"];
/// What `token` and `logout` hold with client_secret_basic (the device
/// code was another process's).
const ALL: &[&str] = &[
    "client secret",
    "access token",
    "refresh token",
    "basic credentials",
];

/// No form of the named secrets of these tests in what `out` printed.
fn assert_clean(out: &Output, held: &[&str]) {
    let mut needles = Vec::new();
    for secret in [
        Secret::new("device code", DEVICE_CODE),
        Secret::new("client secret", CLIENT_SECRET),
        Secret::new("access token", ACCESS_1),
        Secret::new("refresh token", REFRESH_1),
        Secret::new("basic credentials", basic_credentials()),
    ] {
        if held.contains(&secret.label) {
            needles.extend(secret.needles());
        }
    }
    let searched = vec![
        (format!("{} stdout", out.what), out.stdout.clone()),
        (format!("{} stderr", out.what), out.stderr.clone()),
    ];
    let leaks = find_leaks(&searched, &needles);
    assert!(
        leaks.is_empty(),
        "{}:\n{}\n--- stdout\n{}\n--- stderr\n{}",
        out.what,
        leaks.join("\n"),
        out.stdout,
        out.stderr
    );
}
