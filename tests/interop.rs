//! Interop tests against a real OpenID Provider: `oidc-provider` (npm),
//! pinned by tests/interop/package.json and package-lock.json.
//!
//! Each test starts its own server (`node tests/interop/server.js`) on a free
//! loopback port and stops it by PID when it ends. A person is played by an
//! HTTP client with a cookie jar, through the provider's real HTML pages:
//! enter code → confirm → login → consent.
//!
//! The server sends no `interval`, so the RFC's 5 s applies: a full flow takes
//! 5–10 s. The tests run in parallel.
//!
//! Needs Node and the server's packages: `npm ci --prefix tests/interop`.
//! The tests at the end run the full-screen app under Xvfb (xvfb, xdotool)
//! against the same server: a restored sign-in, renewals with `--stay`, Sign
//! out by keys, and `--exec`.

mod support;

use std::io::{BufRead as _, BufReader};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use device_signin::oauth::RefreshToken;
use device_signin::oauth::http::HttpTransport;
use device_signin::oauth::idtoken::IdTokenError;
use device_signin::oauth::token::{self, RefreshError};
use device_signin::provider::{self, EndpointSource, Provider};
use device_signin::signin::Outcome;
use device_signin::{signin, store};
use serde_json::Value;
use support::x11::{App, Display};
use tokio::io::AsyncBufReadExt as _;

const BIN: &str = env!("CARGO_BIN_EXE_device-signin");
const PROVIDER_ID: &str = "interop";
/// Longest a whole flow may take on a loaded 2-core machine.
const FLOW_TIMEOUT: Duration = Duration::from_secs(90);

// ---------------------------------------------------------------------------
// The server

/// A running oidc-provider, killed by PID when dropped.
struct Server {
    child: Child,
    issuer: String,
    _logs: tempfile::TempDir,
}

/// How long one start of the server may take; it is ready in about a
/// second. Now and then (about one run in five of this file, 4 tests at a
/// time) Debian 12's Node 18 stops after loading its modules, idle in a
/// futex wait with nothing on stdout; that process is killed and a new one
/// started.
const READY_WITHIN: Duration = Duration::from_secs(15);
const STARTS: usize = 3;

impl Server {
    fn start(env: &[(&str, &str)]) -> Server {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
        assert!(
            dir.join("node_modules/oidc-provider/package.json").exists(),
            "the interop server's packages are missing: run `npm ci --prefix tests/interop` \
             (needs Node 20+ and npm)"
        );
        let mut stuck = Vec::new();
        for _ in 0..STARTS {
            match Self::start_once(&dir, env) {
                Ok(server) => return server,
                Err(log) => {
                    eprintln!(
                        "oidc-provider was not ready within {READY_WITHIN:?}; starting it again"
                    );
                    stuck.push(log);
                }
            }
        }
        panic!(
            "oidc-provider did not become ready in {STARTS} starts of {READY_WITHIN:?}; their stderr:\n{}",
            stuck.join("\n---\n")
        );
    }

    /// One start: the server once it prints READY, else its stderr (the
    /// process is killed when the `Server` is dropped).
    fn start_once(dir: &Path, env: &[(&str, &str)]) -> Result<Server, String> {
        let logs = tempfile::tempdir().expect("temp dir");
        let stderr = std::fs::File::create(logs.path().join("stderr")).expect("log file");
        let mut child = Command::new("node")
            .arg("server.js")
            .current_dir(dir)
            .env("PORT", "0")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `node server.js` (is Node installed?): {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(issuer) = line.strip_prefix("READY ") {
                    let _ = tx.send(issuer.trim().to_owned());
                }
            }
        });
        let mut server = Server {
            child,
            issuer: String::new(),
            _logs: logs,
        };
        match rx.recv_timeout(READY_WITHIN) {
            Ok(issuer) => {
                server.issuer = issuer;
                Ok(server)
            }
            Err(_) => {
                Err(std::fs::read_to_string(server._logs.path().join("stderr")).unwrap_or_default())
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Child::kill signals this child's PID only.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------
// The person on the other device

/// A browser: a cookie jar and redirects followed, like the real thing.
struct Browser {
    http: reqwest::Client,
}

/// The `action` of the first form on a page and its hidden inputs.
fn form(html: &str) -> (String, Vec<(String, String)>) {
    let start = html.find("<form").expect("the page has a form");
    let tag_end = start + html[start..].find('>').expect("form tag ends");
    let action = attr(&html[start..tag_end], "action").expect("form has an action");
    let end = start + html[start..].find("</form>").expect("form ends");
    let mut hidden = Vec::new();
    let mut rest = &html[tag_end..end];
    while let Some(i) = rest.find("<input") {
        let tag_len = rest[i..].find('>').expect("input tag ends");
        let tag = &rest[i..i + tag_len];
        if attr(tag, "type").as_deref() == Some("hidden") {
            if let (Some(n), Some(v)) = (attr(tag, "name"), attr(tag, "value")) {
                hidden.push((n, v));
            }
        }
        rest = &rest[i + tag_len..];
    }
    (action, hidden)
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    let len = tag[i..].find('"')?;
    Some(tag[i..i + len].replace("&amp;", "&"))
}

impl Browser {
    /// A browser that also trusts the CA in this PEM file.
    fn trusting(ca: Option<&Path>) -> Self {
        let mut builder = reqwest::Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(20));
        if let Some(ca) = ca {
            let pem = std::fs::read(ca).expect("the test CA");
            builder = builder.add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap());
        }
        Self {
            http: builder.build().expect("browser client"),
        }
    }

    async fn page(&self, req: reqwest::RequestBuilder) -> String {
        let resp = req.send().await.expect("the page loads");
        let status = resp.status();
        let body = resp.text().await.expect("page body");
        assert!(status.is_success(), "HTTP {status}:\n{body}");
        body
    }

    /// Open the verification page and type the code: the confirm page.
    async fn enter_code(&self, verification_uri: &str, user_code: &str) -> String {
        let page = self.page(self.http.get(verification_uri)).await;
        let (action, mut fields) = form(&page);
        fields.push(("user_code".into(), user_code.into()));
        let confirm = self.page(self.http.post(&action).form(&fields)).await;
        assert!(
            confirm.contains(user_code),
            "the confirm page shows the code:\n{confirm}"
        );
        confirm
    }

    async fn approve(&self, verification_uri: &str, user_code: &str, login: &str) {
        let confirm = self.enter_code(verification_uri, user_code).await;
        let (action, fields) = form(&confirm);
        let login_page = self.page(self.http.post(&action).form(&fields)).await;
        assert!(login_page.contains("name=\"login\""), "{login_page}");
        let (action, _) = form(&login_page);
        let consent = self
            .page(self.http.post(&action).form(&[
                ("prompt", "login"),
                ("login", login),
                ("password", "any"),
            ]))
            .await;
        assert!(consent.contains("value=\"consent\""), "{consent}");
        let (action, _) = form(&consent);
        let done = self
            .page(self.http.post(&action).form(&[("prompt", "consent")]))
            .await;
        assert!(done.contains("Sign-in Success"), "{done}");
    }

    /// Press "Abort" on the confirm page.
    async fn deny(&self, verification_uri: &str, user_code: &str) {
        let confirm = self.enter_code(verification_uri, user_code).await;
        let (action, mut fields) = form(&confirm);
        fields.push(("abort".into(), "yes".into()));
        let resp = self
            .http
            .post(&action)
            .form(&fields)
            .send()
            .await
            .expect("abort");
        let body = resp.text().await.unwrap_or_default();
        assert!(body.contains("interrupted"), "{body}");
    }
}

// ---------------------------------------------------------------------------
// The kiosk: device-signin as a subprocess

struct Kiosk {
    dir: tempfile::TempDir,
    /// The CA the app trusts through `SSL_CERT_FILE` (a test CA for HTTPS).
    ca: Option<PathBuf>,
}

enum User {
    Approves(&'static str),
    Denies,
    IsAway,
}

struct LoginResult {
    code: i32,
    events: Vec<Value>,
}

impl Kiosk {
    /// A providers file for `client_id` at the server's issuer, discovery only.
    fn new(server: &Server, client: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let secret = if client == "secret-client" {
            "client_secret = \"interop-secret\"\n"
        } else {
            ""
        };
        let text = format!(
            "[[provider]]\nid = \"{PROVIDER_ID}\"\nname = \"oidc-provider\"\npreset = \"oidc\"\n\
             client_id = \"{client}\"\n{secret}issuer = \"{}\"\n",
            server.issuer
        );
        std::fs::write(dir.path().join("providers.toml"), text).expect("providers file");
        Kiosk { dir, ca: None }
    }

    /// A providers file with explicit device and token endpoints, as a new
    /// user writes one, with or without `issuer` (and never `jwks_uri`).
    fn explicit(server: &Server, with_issuer: bool) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let issuer = if with_issuer {
            format!("issuer = \"{}\"\n", server.issuer)
        } else {
            String::new()
        };
        let text = format!(
            "[[provider]]\nid = \"{PROVIDER_ID}\"\nname = \"oidc-provider\"\n\
             client_id = \"public-client\"\nscope = \"openid profile\"\n{issuer}\
             device_authorization_endpoint = \"{0}/device/auth\"\n\
             token_endpoint = \"{0}/token\"\n",
            server.issuer
        );
        std::fs::write(dir.path().join("providers.toml"), text).expect("providers file");
        Kiosk { dir, ca: None }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("providers.toml")
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn provider(&self) -> Provider {
        provider::load(&self.config())
            .expect("providers file")
            .remove(0)
    }

    fn store_file(&self) -> PathBuf {
        store::path_for(&self.data_dir(), PROVIDER_ID)
    }

    fn stored(&self) -> store::StoredTokens {
        store::load(&self.data_dir(), PROVIDER_ID)
            .expect("store readable")
            .expect("tokens stored")
    }

    fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.args(args)
            .arg("--config")
            .arg(self.config())
            .arg("--data-dir")
            .arg(self.data_dir())
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        match &self.ca {
            Some(ca) => cmd.env("SSL_CERT_FILE", ca),
            None => cmd.env_remove("SSL_CERT_FILE"),
        };
        cmd
    }

    /// `device-signin login --json`, with the user doing `user` on the other device.
    async fn login(&self, user: User) -> LoginResult {
        let mut child = self
            .command(&["login", "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start device-signin login");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let mut events = Vec::new();
        let mut browser = None;
        let run = async {
            while let Some(line) = lines.next_line().await.expect("read stdout") {
                let event: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
                if event["event"] == "code_issued" {
                    let uri = event["verification_uri"].as_str().expect("uri").to_owned();
                    let code = event["user_code"].as_str().expect("code").to_owned();
                    let ca = self.ca.clone();
                    browser = match user {
                        User::Approves(login) => Some(tokio::spawn(async move {
                            Browser::trusting(ca.as_deref())
                                .approve(&uri, &code, login)
                                .await
                        })),
                        User::Denies => Some(tokio::spawn(async move {
                            Browser::trusting(ca.as_deref()).deny(&uri, &code).await
                        })),
                        User::IsAway => None,
                    };
                }
                events.push(event);
            }
            child.wait().await.expect("login exits")
        };
        let status = tokio::time::timeout(FLOW_TIMEOUT, run)
            .await
            .expect("login finished in time");
        if let Some(b) = browser {
            b.await.expect("the browser did its part");
        }
        LoginResult {
            code: status.code().expect("exit code"),
            events,
        }
    }

    /// Run a `token` or `logout` command: (exit code, stdout, stderr).
    async fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = tokio::time::timeout(Duration::from_secs(60), self.command(args).output())
            .await
            .expect("command finished in time")
            .expect("command runs");
        (
            out.status.code().expect("exit code"),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

fn last_event(r: &LoginResult) -> &str {
    r.events
        .last()
        .and_then(|e| e["event"].as_str())
        .unwrap_or("none")
}

async fn userinfo_status(server: &Server, access_token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/me", server.issuer))
        .bearer_auth(access_token)
        .send()
        .await
        .expect("userinfo answers")
        .status()
        .as_u16()
}

/// Wait (in real time: the server's clock decides) until the stored access
/// token has expired.
async fn until_expired(expires_at: Option<u64>) {
    let at = expires_at.expect("the server gave a lifetime");
    while store::unix_now() <= at {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

// ---------------------------------------------------------------------------
// Scenarios

#[tokio::test]
async fn approve_validates_the_real_id_token_and_stores_the_tokens_0600() {
    let server = Server::start(&[]);
    let kiosk = Kiosk::new(&server, "public-client");
    let result = kiosk.login(User::Approves("alice")).await;
    assert_eq!(result.code, 0, "{:?}", result.events);
    let signed_in = result.events.last().expect("events");
    assert_eq!(signed_in["event"], "signed_in");
    assert_eq!(signed_in["sub"], "alice");
    // oidc-provider keeps profile claims out of this ID token: userinfo names the user.
    assert_eq!(signed_in["name"], "Test User alice");
    assert_eq!(signed_in["email"], "alice@example.test");

    let mode = std::fs::metadata(kiosk.store_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let dir_mode = std::fs::metadata(kiosk.data_dir())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(dir_mode & 0o077, 0, "{dir_mode:o}");
    let stored = kiosk.stored();
    assert!(
        stored.refresh_token.is_some(),
        "offline_access gives a refresh token"
    );
    assert_eq!(stored.sub.as_deref(), Some("alice"));

    // The stored ID token (RS256 for this client) checks out against the
    // real JWKS, and fails for another client id.
    let transport = HttpTransport::new().unwrap();
    let provider = kiosk.provider();
    let endpoints = signin::resolve_endpoints(&provider, &transport)
        .await
        .unwrap();
    let id_token = stored.id_token.expect("an ID token came back");
    let alg = jsonwebtoken::decode_header(id_token.expose()).unwrap().alg;
    assert_eq!(alg, jsonwebtoken::Algorithm::RS256);
    let claims = signin::check_id_token(&provider, &endpoints, id_token.expose(), &transport)
        .await
        .unwrap();
    assert_eq!(claims.sub, "alice");
    let mut other = provider.clone();
    other.client_id = "another-client".into();
    assert!(matches!(
        signin::check_id_token(&other, &endpoints, id_token.expose(), &transport).await,
        Err(IdTokenError::WrongAudience { .. })
    ));
}

#[tokio::test]
async fn explicit_endpoints_with_issuer_check_the_id_token_with_keys_from_discovery() {
    let server = Server::start(&[]);
    let kiosk = Kiosk::explicit(&server, true);
    let provider = kiosk.provider();
    let endpoints = signin::resolve_endpoints(&provider, &HttpTransport::new().unwrap())
        .await
        .unwrap();
    assert_eq!(
        endpoints.jwks_uri,
        Some(format!("{}/jwks", server.issuer)),
        "the keys come from the issuer's discovery document"
    );
    let result = kiosk.login(User::Approves("carol")).await;
    assert_eq!(result.code, 0, "{:?}", result.events);
    let signed_in = result.events.last().expect("events");
    assert_eq!(signed_in["event"], "signed_in");
    assert_eq!(signed_in["sub"], "carol", "named by the checked ID token");
    let stored = kiosk.stored();
    let id_token = stored.id_token.expect("a checked ID token is stored");
    let claims = signin::check_id_token(
        &provider,
        &endpoints,
        id_token.expose(),
        &HttpTransport::new().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(claims.sub, "carol");
}

#[tokio::test]
async fn explicit_endpoints_without_issuer_sign_in_without_using_the_id_token() {
    let server = Server::start(&[]);
    let kiosk = Kiosk::explicit(&server, false);
    let result = kiosk.login(User::Approves("dave")).await;
    assert_eq!(result.code, 0, "{:?}", result.events);
    let granted = result
        .events
        .iter()
        .find(|e| e["event"] == "granted")
        .expect("granted");
    assert_eq!(granted["id_token"], true, "the server did send one");
    assert_eq!(result.events.last().unwrap()["event"], "signed_in");
    let stored = kiosk.stored();
    assert!(
        stored.id_token.is_none(),
        "an ID token that cannot be checked is not stored"
    );
    assert!(stored.sub.is_none(), "nor are its unchecked claims used");
    assert!(!stored.access_token.expose().is_empty());
}

#[tokio::test]
async fn deny_on_the_confirm_page_ends_denied_with_exit_3() {
    let server = Server::start(&[]);
    let kiosk = Kiosk::new(&server, "public-client");
    let result = kiosk.login(User::Denies).await;
    assert_eq!(last_event(&result), "denied", "{:?}", result.events);
    assert_eq!(result.code, 3);
    assert!(!kiosk.store_file().exists());
}

#[tokio::test]
async fn short_code_lifetime_ends_expired_with_exit_4() {
    let server = Server::start(&[("DEVICE_CODE_TTL", "6")]);
    let kiosk = Kiosk::new(&server, "public-client");
    let result = kiosk.login(User::IsAway).await;
    assert_eq!(last_event(&result), "expired", "{:?}", result.events);
    assert_eq!(result.code, 4);
    assert!(!kiosk.store_file().exists());
}

#[tokio::test]
async fn token_after_access_token_expiry_refreshes_with_rotation() {
    let server = Server::start(&[("ACCESS_TOKEN_TTL", "4")]);
    let kiosk = Kiosk::new(&server, "public-client");
    let result = kiosk.login(User::Approves("bob")).await;
    assert_eq!(result.code, 0, "{:?}", result.events);
    let first = kiosk.stored();
    let rt1 = first.refresh_token.clone().expect("refresh token");
    until_expired(first.expires_at).await;

    // Expired even with no lead time: refreshed before printing.
    let (code, stdout, stderr) = kiosk.run(&["token", "--min-valid", "0"]).await;
    assert_eq!(code, 0, "{stderr}");
    let printed = stdout.trim();
    let second = kiosk.stored();
    assert_eq!(printed, second.access_token.expose());
    assert_ne!(printed, first.access_token.expose());
    // Public clients get a new refresh token on every refresh: it is stored.
    let rt2 = second.refresh_token.clone().expect("refresh token kept");
    assert_ne!(rt2, rt1, "the rotated refresh token is stored");
    assert_eq!(userinfo_status(&server, printed).await, 200);

    // The rotated-out token is dead. Spending it makes oidc-provider revoke
    // the whole grant, so the next refresh fails: sign-in required, exit 4,
    // and no token on stdout.
    let provider = kiosk.provider();
    let transport = HttpTransport::new().unwrap();
    let endpoints = signin::resolve_endpoints(&provider, &transport)
        .await
        .unwrap();
    let cfg = provider.client_config(&endpoints);
    let reuse = token::refresh(&cfg, &rt1, &transport).await;
    assert!(
        matches!(reuse, Err(RefreshError::SignInRequired(_))),
        "{reuse:?}"
    );
    until_expired(second.expires_at).await;
    let (code, stdout, stderr) = kiosk.run(&["token"]).await;
    assert_eq!(code, 4, "{stderr}");
    assert!(stdout.is_empty(), "no token is printed: {stdout}");
    assert!(stderr.contains("sign-in required"), "{stderr}");
    for secret in [rt1.expose(), rt2.expose(), second.access_token.expose()] {
        assert!(
            !stderr.contains(secret),
            "a token leaked into stderr: {stderr}"
        );
    }
}

#[tokio::test]
async fn logout_revokes_so_the_refresh_token_no_longer_works() {
    let server = Server::start(&[]);
    // The confidential client: client_secret_post, ID tokens signed ES256.
    let kiosk = Kiosk::new(&server, "secret-client");
    let result = kiosk.login(User::Approves("carol")).await;
    assert_eq!(result.code, 0, "{:?}", result.events);
    assert_eq!(result.events.last().unwrap()["sub"], "carol");
    let stored = kiosk.stored();
    let rt: RefreshToken = stored.refresh_token.clone().expect("refresh token");
    let id_token = stored.id_token.clone().expect("an ID token came back");
    let alg = jsonwebtoken::decode_header(id_token.expose()).unwrap().alg;
    assert_eq!(alg, jsonwebtoken::Algorithm::ES256, "validated at login");

    let (code, stdout, stderr) = kiosk.run(&["token"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), stored.access_token.expose());

    let (code, _, stderr) = kiosk.run(&["logout"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(!kiosk.store_file().exists());

    let provider = kiosk.provider();
    let transport = HttpTransport::new().unwrap();
    let endpoints = signin::resolve_endpoints(&provider, &transport)
        .await
        .unwrap();
    let cfg = provider.client_config(&endpoints);
    let after = token::refresh(&cfg, &rt, &transport).await;
    assert!(
        matches!(after, Err(RefreshError::SignInRequired(_))),
        "{after:?}"
    );
    assert_eq!(
        userinfo_status(&server, stored.access_token.expose()).await,
        401
    );

    let (code, stdout, stderr) = kiosk.run(&["token"]).await;
    assert_eq!(code, 4, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("sign-in required"), "{stderr}");
}

#[tokio::test]
async fn discovery_from_the_issuer_alone_finds_every_endpoint() {
    let server = Server::start(&[]);
    let kiosk = Kiosk::new(&server, "public-client");
    let provider = kiosk.provider();
    assert_eq!(
        provider.endpoints,
        EndpointSource::Issuer(server.issuer.clone())
    );
    let transport = HttpTransport::new().unwrap();
    let e = signin::resolve_endpoints(&provider, &transport)
        .await
        .unwrap();
    let at = |path: &str| format!("{}{path}", server.issuer);
    assert_eq!(e.issuer.as_deref(), Some(server.issuer.as_str()));
    assert_eq!(e.device_authorization_endpoint, at("/device/auth"));
    assert_eq!(e.token_endpoint, at("/token"));
    assert_eq!(e.revocation_endpoint, Some(at("/token/revocation")));
    assert_eq!(e.userinfo_endpoint, Some(at("/me")));
    assert_eq!(e.jwks_uri, Some(at("/jwks")));
}

#[tokio::test]
async fn discovery_with_a_wrong_issuer_is_a_clear_configuration_error() {
    let server = Server::start(&[]);
    let kiosk = Kiosk::new(&server, "public-client");
    let mut provider = kiosk.provider();
    let wrong = format!("{}/", server.issuer);
    provider.endpoints = EndpointSource::Issuer(wrong.clone());
    let transport = HttpTransport::new().unwrap();
    let err = signin::resolve_endpoints(&provider, &transport)
        .await
        .unwrap_err();
    assert_eq!(err.exit_code(), 2);
    let Outcome::Config(message) = err else {
        panic!("{err:?}")
    };
    assert!(
        message.contains(&format!("`{}`", server.issuer)),
        "{message}"
    );
    assert!(message.contains(&format!("`{wrong}`")), "{message}");

    // Through the command line: exit 2 and the same message.
    let text = std::fs::read_to_string(kiosk.config())
        .unwrap()
        .replace(&server.issuer, &wrong);
    std::fs::write(kiosk.config(), text).unwrap();
    let (code, _, stderr) = kiosk.run(&["login"]).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("must be identical"), "{stderr}");
}

// ---------------------------------------------------------------------------
// The GUI keeps the sign-in: a real window under Xvfb, keys through xdotool

/// oidc-provider with 8 s access tokens: a renewal is due every 6.4 s.
const SHORT_TTL: &str = "8";
const RENEWAL_PERIOD: Duration = Duration::from_millis(6400);

impl Kiosk {
    /// The full-screen app on `display`, with this kiosk's files.
    fn gui(&self, display: &Display, args: &[&str]) -> App {
        App::with_paths(display, &self.config(), &self.data_dir(), args)
    }
}

/// Revoke a token at the provider, as an administrator (or the person, from
/// another device) would.
async fn revoke_at_provider(server: &Server, token: &str) {
    let status = reqwest::Client::new()
        .post(format!("{}/token/revocation", server.issuer))
        .form(&[
            ("token", token),
            ("token_type_hint", "refresh_token"),
            ("client_id", "public-client"),
        ])
        .send()
        .await
        .expect("revocation answers")
        .status();
    assert!(status.is_success(), "revocation: HTTP {status}");
}

/// Whether the provider still honours a refresh token.
async fn refresh_works(kiosk: &Kiosk, rt: &RefreshToken) -> bool {
    let provider = kiosk.provider();
    let transport = HttpTransport::new().unwrap();
    let endpoints = signin::resolve_endpoints(&provider, &transport)
        .await
        .unwrap();
    let cfg = provider.client_config(&endpoints);
    match token::refresh(&cfg, rt, &transport).await {
        Ok(_) => true,
        Err(e) if e.sign_in_required() => false,
        Err(e) => panic!("the refresh failed otherwise: {e}"),
    }
}

#[tokio::test]
async fn a_gui_start_after_a_terminal_sign_in_restores_it_without_a_new_code_and_exits_0() {
    let server = Server::start(&[]);
    let kiosk = Kiosk::new(&server, "public-client");
    let result = kiosk.login(User::Approves("dana")).await;
    assert_eq!(result.code, 0, "{:?}", result.events);

    let display = Display::start(false);
    let mut app = kiosk.gui(&display, &[]);
    app.wait_for("screen=signed_in", Duration::from_secs(30));
    let code = app.wait_exit(Duration::from_secs(20));
    let log = app.log_text();
    assert_eq!(
        code,
        Some(0),
        "continues by itself and exits 0; log:\n{log}"
    );
    assert!(log.contains("restoring the stored sign-in"), "{log}");
    assert!(
        !log.contains("sign-in started") && !log.contains("code issued"),
        "no new code was requested:\n{log}"
    );
}

#[tokio::test]
async fn with_stay_revoking_the_refresh_token_at_the_provider_brings_a_new_code_within_two_renewal_periods()
 {
    let server = Server::start(&[("ACCESS_TOKEN_TTL", SHORT_TTL)]);
    let kiosk = Kiosk::new(&server, "public-client");
    let result = kiosk.login(User::Approves("erin")).await;
    assert_eq!(result.code, 0, "{:?}", result.events);

    let display = Display::start(false);
    let app = kiosk.gui(&display, &["--stay"]);
    app.wait_for("screen=signed_in", Duration::from_secs(30));
    // Kept fresh: renewed ahead of expiry, and the rotated token stored.
    app.wait_for("refreshed", RENEWAL_PERIOD * 3);
    let rt = kiosk.stored().refresh_token.expect("a refresh token");
    let revoked = std::time::Instant::now();
    revoke_at_provider(&server, rt.expose()).await;
    let line = app.wait_for("code issued", Duration::from_secs(40));
    let took = revoked.elapsed();
    assert!(
        took < RENEWAL_PERIOD * 2,
        "a new code {took:?} after the revocation; log:\n{}",
        app.log_text()
    );
    assert!(line.contains("user_code="), "{line}");
    let log = app.log_text();
    assert!(log.contains("the stored sign-in has ended"), "{log}");
    assert!(!kiosk.store_file().exists(), "the dead sign-in is deleted");
}

#[tokio::test]
async fn sign_out_by_keys_revokes_at_the_provider_and_shows_a_new_code() {
    let server = Server::start(&[]);
    let kiosk = Kiosk::new(&server, "public-client");
    let result = kiosk.login(User::Approves("frank")).await;
    assert_eq!(result.code, 0, "{:?}", result.events);
    let stored = kiosk.stored();
    let rt = stored.refresh_token.clone().expect("a refresh token");
    assert_eq!(
        userinfo_status(&server, stored.access_token.expose()).await,
        200
    );

    let display = Display::start(false);
    let app = kiosk.gui(&display, &[]);
    app.wait_for("screen=signed_in", Duration::from_secs(30));
    // Right (Sign out), OK, Left (Sign out, from Cancel), OK.
    display.keys(&["Right", "Return", "Left", "Return"]);
    app.wait_for("screen=sign_out", Duration::from_secs(10));
    let line = app.wait_for("signed out", Duration::from_secs(30));
    assert!(line.contains("revoked=true"), "{line}");
    app.wait_for("code issued", Duration::from_secs(30));
    assert!(!kiosk.store_file().exists());
    assert!(!refresh_works(&kiosk, &rt).await, "revoked at the provider");
    assert_eq!(
        userinfo_status(&server, stored.access_token.expose()).await,
        401,
        "the access token is revoked too"
    );
}

#[tokio::test]
async fn exec_hands_over_to_a_program_whose_token_command_prints_a_working_token() {
    let server = Server::start(&[]);
    let kiosk = Kiosk::new(&server, "public-client");
    let result = kiosk.login(User::Approves("grace")).await;
    assert_eq!(result.code, 0, "{:?}", result.events);

    let out = kiosk.dir.path().join("program-out");
    let env = kiosk.dir.path().join("program-env");
    let display = Display::start(false);
    // The kiosk's program: `device-signin token` with no arguments, which
    // finds everything through the variables it inherits.
    let script = r#"env > "$2" && exec "$0" token > "$1""#;
    let mut app = kiosk.gui(
        &display,
        &[
            "--exec",
            "/bin/sh",
            "-c",
            script,
            BIN,
            out.to_str().unwrap(),
            env.to_str().unwrap(),
        ],
    );
    let code = app.wait_exit(Duration::from_secs(40));
    let log = app.log_text();
    assert_eq!(code, Some(0), "the program's exit code; log:\n{log}");
    assert!(log.contains("handing over"), "{log}");
    let token = std::fs::read_to_string(&out).expect("the program wrote the token");
    let token = token.trim();
    assert!(!token.is_empty());
    assert_eq!(userinfo_status(&server, token).await, 200);
    let env = std::fs::read_to_string(&env).expect("the program's environment");
    assert!(env.contains("DEVICE_SIGNIN_PROVIDER=interop"), "{env}");
    assert!(env.contains("DEVICE_SIGNIN_DATA_DIR=/"), "{env}");
    assert!(env.contains("DEVICE_SIGNIN_CONFIG=/"), "{env}");
    let stored = kiosk.stored();
    for secret in [
        Some(stored.access_token.expose()),
        stored.refresh_token.as_ref().map(RefreshToken::expose),
    ]
    .into_iter()
    .flatten()
    {
        assert!(!env.contains(secret), "a token in the environment");
    }
}

// ---------------------------------------------------------------------------
// Real TLS: oidc-provider over HTTPS with a CA made at test time

/// A test CA, and a server certificate it signed for `names`, as PEM files.
struct TestPki {
    dir: tempfile::TempDir,
}

impl TestPki {
    fn new(names: &[&str]) -> Self {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
        let dir = tempfile::tempdir().expect("temp dir");
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca.distinguished_name
            .push(DnType::CommonName, "device-signin test CA");
        let ca = ca.self_signed(&ca_key).unwrap();
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut leaf = CertificateParams::new(names).unwrap();
        leaf.distinguished_name
            .push(DnType::CommonName, "device-signin test server");
        let leaf = leaf.signed_by(&key, &ca, &ca_key).unwrap();
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
        std::fs::write(dir.path().join("cert.pem"), leaf.pem()).unwrap();
        std::fs::write(dir.path().join("key.pem"), key.serialize_pem()).unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_owned()
    }

    /// oidc-provider serving HTTPS with the server certificate.
    fn server(&self) -> Server {
        Server::start(&[
            ("TLS_CERT", &self.path("cert.pem")),
            ("TLS_KEY", &self.path("key.pem")),
        ])
    }
}

#[tokio::test]
async fn https_with_a_private_ca_trusted_through_ssl_cert_file_signs_in() {
    let pki = TestPki::new(&["127.0.0.1"]);
    let server = pki.server();
    assert!(server.issuer.starts_with("https://"), "{}", server.issuer);
    let mut kiosk = Kiosk::new(&server, "public-client");
    kiosk.ca = Some(pki.dir.path().join("ca.pem"));
    let result = kiosk.login(User::Approves("tess")).await;
    assert_eq!(result.code, 0, "{:?}", result.events);
    assert_eq!(result.events.last().unwrap()["sub"], "tess");
    let (code, stdout, stderr) = kiosk.run(&["token"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.trim().is_empty());
}

/// `login` against `server` without trusting it: the outcome event.
async fn untrusted_login(kiosk: &Kiosk) -> (i32, Value, Duration) {
    let started = std::time::Instant::now();
    let result = kiosk.login(User::IsAway).await;
    let took = started.elapsed();
    let last = result.events.last().cloned().unwrap_or_default();
    (result.code, last, took)
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_clear_certificate_failure_with_exit_5_not_retried() {
    let pki = TestPki::new(&["127.0.0.1"]);
    let server = pki.server();
    // The test CA is not trusted: SSL_CERT_FILE is unset, and the system
    // store does not have it.
    let kiosk = Kiosk::new(&server, "public-client");
    let (code, last, took) = untrusted_login(&kiosk).await;
    assert_eq!(code, 5, "{last}");
    assert_eq!(last["event"], "failed", "{last}");
    let text = last["message"].as_str().unwrap_or_default();
    assert!(
        text.contains("not signed by a CA this machine trusts"),
        "{last}"
    );
    assert!(text.contains("SSL_CERT_FILE"), "{last}");
    assert_eq!(last["retryable"], false, "{last}");
    assert!(
        took < Duration::from_secs(20),
        "ended at once, took {took:?}"
    );
}

#[tokio::test]
async fn a_certificate_for_another_host_name_is_a_clear_certificate_failure_with_exit_5() {
    let pki = TestPki::new(&["wrong.example"]);
    let server = pki.server();
    let mut kiosk = Kiosk::new(&server, "public-client");
    kiosk.ca = Some(pki.dir.path().join("ca.pem"));
    let (code, last, took) = untrusted_login(&kiosk).await;
    assert_eq!(code, 5, "{last}");
    let text = last["message"].as_str().unwrap_or_default();
    assert!(
        text.contains("certificate is for another host name"),
        "{last}"
    );
    assert_eq!(last["retryable"], false, "{last}");
    assert!(
        took < Duration::from_secs(20),
        "ended at once, took {took:?}"
    );
}
