//! The embedded demo authorization server: a real RFC 8628 server, so the
//! app shows a working sign-in with no account and no setup.
//!
//! - discovery, device authorization, token (device code and refresh token
//!   grants, with rotation), revocation (RFC 7009), userinfo, and a JWKS
//!   with a fresh ES256 key that signs the ID tokens;
//! - it enforces the polling interval (`slow_down`, which also raises the
//!   interval it expects from then on), the expiry, and single use of the
//!   device code;
//! - a small verification page takes the user code (RFC 8628 §6.1 style;
//!   case and dashes ignored), then says which device asks (the optional,
//!   non-standard `device_name` of the device authorization request), the
//!   scopes in words and the time left, warns against codes someone else
//!   sent, and records Approve or Deny; wrong codes, looked up or decided,
//!   are rate limited.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use device_signin::demo::{DemoConfig, DemoServer};
//! let server = DemoServer::start("127.0.0.1:0".parse().unwrap(), DemoConfig::default()).await?;
//! println!("approve at {}/device", server.issuer());
//! server.stop().await;
//! # Ok(()) }
//! ```

mod codes;
mod keys;
mod page;
mod server;
mod state;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;

pub use codes::{USER_CODE_CHARSET, display_user_code, normalise_user_code};
pub use state::DemoIdentity;

use crate::provider::{EndpointSource, Endpoints, Provider};
use server::Shared;

/// The demo's one client: public, no secret.
pub const CLIENT_ID: &str = "device-signin-demo";
/// The scopes the demo grants.
pub const SCOPES_SUPPORTED: [&str; 4] = ["openid", "profile", "email", "offline_access"];
/// The provider id of the demo in the app.
pub const PROVIDER_ID: &str = "demo";
/// How long a stopping server lets open requests finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// How the demo server behaves. Tests shrink the times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    /// Lifetime of the device and user codes.
    pub expires_in: Duration,
    /// The minimum time between two polls with one device code. It is sent
    /// rounded up to whole seconds; the server enforces the exact value.
    pub interval: Duration,
    pub access_token_lifetime: Duration,
    /// What each `slow_down` adds to the interval the server enforces for
    /// that device code (RFC 8628 §3.5 tells clients to add 5 s).
    pub slow_down_increment: Duration,
    /// How much earlier than the interval a poll may arrive (network
    /// jitter). A correct client is never early, so this is tiny.
    pub poll_tolerance: Duration,
    /// Wrong codes on the verification page, from anywhere, per window;
    /// beyond that the page answers 429.
    pub wrong_code_limit: u32,
    pub wrong_code_window: Duration,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            expires_in: Duration::from_secs(600),
            interval: Duration::from_secs(5),
            access_token_lifetime: Duration::from_secs(3600),
            slow_down_increment: Duration::from_secs(5),
            poll_tolerance: Duration::from_millis(5),
            wrong_code_limit: 5,
            wrong_code_window: Duration::from_secs(60),
        }
    }
}

/// What the server has done so far, for tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoStats {
    pub device_codes_issued: u64,
    /// Token requests with the device code grant.
    pub polls: u64,
    pub slow_downs: u64,
    /// Token responses, from either grant.
    pub tokens_issued: u64,
    pub refreshes: u64,
    /// Rotated-out refresh tokens presented again.
    pub refresh_reuses: u64,
    /// Device codes redeemed a second time.
    pub device_code_reuses: u64,
    pub revocations: u64,
    pub approvals: u64,
    pub denials: u64,
    pub wrong_codes: u64,
    /// Verification attempts refused by the wrong-code limit.
    pub rate_limited: u64,
}

enum Runner {
    /// A task on the caller's runtime.
    Task(tokio::task::JoinHandle<()>),
    /// A thread with its own runtime.
    Thread(std::thread::JoinHandle<()>),
}

/// A running demo server. Dropping it stops the server too; `shutdown` or
/// `stop` also wait for it to end.
pub struct DemoServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    runner: Option<Runner>,
}

impl std::fmt::Debug for DemoServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoServer")
            .field("addr", &self.addr)
            .field("issuer", &self.shared.issuer)
            .finish_non_exhaustive()
    }
}

impl DemoServer {
    /// Binds `bind` and serves on the current tokio runtime.
    pub async fn start(bind: SocketAddr, config: DemoConfig) -> std::io::Result<DemoServer> {
        let listener = tokio::net::TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let shared = shared_state(addr, config)?;
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(serve(listener, shared.clone(), rx));
        Ok(DemoServer {
            addr,
            shared,
            shutdown: Some(tx),
            runner: Some(Runner::Task(task)),
        })
    }

    /// Binds `bind` now and serves from a thread of its own, for callers
    /// without a runtime (the GUI, the terminal front-end).
    pub fn spawn_background(bind: SocketAddr, config: DemoConfig) -> std::io::Result<DemoServer> {
        let std_listener = std::net::TcpListener::bind(bind)?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let shared = shared_state(addr, config)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (tx, rx) = oneshot::channel();
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("demo-server".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(std_listener) {
                        Ok(listener) => serve(listener, thread_shared, rx).await,
                        Err(e) => tracing::error!(error = %e, "demo server cannot listen"),
                    }
                });
            })?;
        Ok(DemoServer {
            addr,
            shared,
            shutdown: Some(tx),
            runner: Some(Runner::Thread(thread)),
        })
    }

    /// `http://IP:PORT`, no trailing slash; the ID tokens' `iss`.
    pub fn issuer(&self) -> &str {
        &self.shared.issuer
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page where people approve: `{issuer}/device`.
    pub fn verification_uri(&self) -> String {
        format!("{}{}", self.shared.issuer, server::VERIFICATION_PATH)
    }

    /// The discovery document's URL.
    pub fn discovery_url(&self) -> String {
        format!("{}{}", self.shared.issuer, server::DISCOVERY_PATH)
    }

    pub fn config(&self) -> &DemoConfig {
        &self.shared.config
    }

    pub fn stats(&self) -> DemoStats {
        self.shared.authority().stats
    }

    /// The app's provider for this server, labelled as a demo.
    pub fn provider(&self) -> Provider {
        let i = &self.shared.issuer;
        Provider {
            id: PROVIDER_ID.into(),
            name: "Demo sign-in (no account needed)".into(),
            client_id: CLIENT_ID.into(),
            client_secret: None,
            client_auth: crate::oauth::ClientAuth::None,
            scope: Some(SCOPES_SUPPORTED.join(" ")),
            scope_param: "scope".into(),
            extra_params: Vec::new(),
            endpoints: EndpointSource::Explicit(Endpoints {
                issuer: Some(i.clone()),
                device_authorization_endpoint: format!("{i}{}", server::DEVICE_AUTHORIZATION_PATH),
                token_endpoint: format!("{i}{}", server::TOKEN_PATH),
                revocation_endpoint: Some(format!("{i}{}", server::REVOCATION_PATH)),
                userinfo_endpoint: Some(format!("{i}{}", server::USERINFO_PATH)),
                jwks_uri: Some(format!("{i}{}", server::JWKS_PATH)),
                revocation_auth_methods: Vec::new(),
            }),
            preset: None,
            demo: true,
            logo: None,
        }
    }

    /// Stops the server and waits (briefly) for it to end. From async code,
    /// prefer [`DemoServer::stop`].
    pub fn shutdown(mut self) {
        self.shutdown.take();
        match self.runner.take() {
            Some(Runner::Thread(thread)) => {
                let _ = thread.join();
            }
            // Cannot wait for a task from sync code; it ends on its own.
            Some(Runner::Task(_)) | None => {}
        }
    }

    /// Stops the server and waits for it to end.
    pub async fn stop(mut self) {
        self.shutdown.take();
        match self.runner.take() {
            Some(Runner::Task(task)) => {
                let _ = task.await;
            }
            Some(Runner::Thread(thread)) => {
                let _ = tokio::task::spawn_blocking(move || thread.join()).await;
            }
            None => {}
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        // Dropping the sender is the stop signal.
        self.shutdown.take();
    }
}

fn shared_state(addr: SocketAddr, config: DemoConfig) -> std::io::Result<Arc<Shared>> {
    let issuer = format!(
        "http://{}",
        SocketAddr::new(public_ip(addr.ip()), addr.port())
    );
    Ok(Arc::new(Shared {
        issuer,
        key: keys::SigningKey::generate()?,
        authority: Mutex::new(state::Authority::new(config.clone())),
        config,
    }))
}

/// Serves until `stop` fires (or its sender is dropped), then gives open
/// requests a moment to finish.
async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    stop: oneshot::Receiver<()>,
) {
    let (stopped_tx, stopped_rx) = oneshot::channel::<()>();
    let signal = async move {
        let _ = stop.await;
        let _ = stopped_tx.send(());
    };
    let server = axum::serve(listener, server::router(shared)).with_graceful_shutdown(signal);
    let server = std::future::IntoFuture::into_future(server);
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => {
            if let Err(e) = result {
                tracing::error!(error = %e, "demo server stopped");
            }
        }
        _ = async {
            let _ = stopped_rx.await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {}
    }
}

/// The address to put in URLs: the bound one, or for 0.0.0.0 / `::` the
/// address this machine would use towards the network, which a phone on
/// the same network can usually reach.
fn public_ip(bound: IpAddr) -> IpAddr {
    if !bound.is_unspecified() {
        return bound;
    }
    let found = match bound {
        IpAddr::V4(_) => outbound_ip(
            (Ipv4Addr::UNSPECIFIED, 0).into(),
            // TEST-NET-1 (RFC 5737): a UDP "connect" sends nothing, it
            // only asks the routing table which source address it would use.
            (Ipv4Addr::new(192, 0, 2, 1), 9).into(),
        ),
        IpAddr::V6(_) => outbound_ip(
            (Ipv6Addr::UNSPECIFIED, 0).into(),
            (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 9).into(),
        ),
    };
    found.unwrap_or_else(|| {
        tracing::warn!("no network address found; the demo server's links use loopback");
        match bound {
            IpAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
            IpAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
        }
    })
}

fn outbound_ip(local: SocketAddr, probe: SocketAddr) -> Option<IpAddr> {
    let socket = UdpSocket::bind(local).ok()?;
    socket.connect(probe).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// `--demo-bind` / `--bind`: `IP:PORT`, a bare `IP` (free port), a bare
/// port (on 127.0.0.1), or `localhost[:PORT]`.
pub fn parse_bind(text: &str) -> Option<SocketAddr> {
    let text = text.trim();
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Some(addr);
    }
    if let Ok(ip) = text.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Some(SocketAddr::new(ip, 0));
    }
    if let Ok(port) = text.trim_start_matches(':').parse::<u16>() {
        return Some(SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port));
    }
    let rest = text.strip_prefix("localhost")?;
    let port = match rest.strip_prefix(':') {
        Some(port) => port.parse().ok()?,
        None if rest.is_empty() => 0,
        None => return None,
    };
    Some(SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port))
}

/// The default bind address: loopback, a free port.
pub const DEFAULT_BIND: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);

/// Approves `user_code` through the real verification page, as a person
/// with a browser would. For tests and scripts.
#[doc(hidden)]
pub async fn approve(issuer: &str, user_code: &str) -> Result<(), String> {
    submit(issuer, user_code, "approve", "").await
}

/// Like [`approve`], with a display name typed into the page.
#[doc(hidden)]
pub async fn approve_as(issuer: &str, user_code: &str, name: &str) -> Result<(), String> {
    submit(issuer, user_code, "approve", name).await
}

/// Denies `user_code` through the real verification page.
#[doc(hidden)]
pub async fn deny(issuer: &str, user_code: &str) -> Result<(), String> {
    submit(issuer, user_code, "deny", "").await
}

async fn submit(issuer: &str, user_code: &str, action: &str, name: &str) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    // The issuer, or the verification URI as printed in demo mode.
    let base = issuer.trim_end_matches('/');
    let base = base.strip_suffix(server::VERIFICATION_PATH).unwrap_or(base);
    let page_url = format!("{base}{}", server::VERIFICATION_PATH);
    let with_code = url::Url::parse_with_params(&page_url, [("user_code", user_code)])
        .map_err(|e| format!("bad issuer `{issuer}`: {e}"))?;
    // Open the page as the QR code would, and check it offers the form.
    let resp = client
        .get(with_code)
        .send()
        .await
        .map_err(|e| format!("GET {page_url}: {e}"))?;
    let status = resp.status();
    let page = resp.text().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        // Expired, already used, unknown or rate limited: say which.
        return Err(format!("HTTP {status}: {}", headline(&page)));
    }
    let has_form = page.contains(r#"action="/device""#)
        && page.contains(r#"name="user_code""#)
        && page.contains(&format!(r#"value="{action}""#));
    if !has_form {
        return Err(format!(
            "the verification page (HTTP {status}) has no {action} form"
        ));
    }
    let form = [("user_code", user_code), ("name", name), ("action", action)];
    let resp = client
        .post(&page_url)
        .form(&form)
        .send()
        .await
        .map_err(|e| format!("POST {page_url}: {e}"))?;
    let status = resp.status();
    let page = resp.text().await.map_err(|e| e.to_string())?;
    let want = if action == "approve" {
        "<h1>Signed in</h1>"
    } else {
        "<h1>Sign-in declined</h1>"
    };
    if status.is_success() && page.contains(want) {
        Ok(())
    } else {
        Err(format!("HTTP {status}: {}", headline(&page)))
    }
}

/// The `<h1>` and the error line of a page, for error messages.
fn headline(page: &str) -> String {
    let between = |open: &str, close: &str| {
        let start = page.find(open)? + open.len();
        let end = page[start..].find(close)? + start;
        Some(page[start..end].to_owned())
    };
    let h1 = between("<h1>", "</h1>").unwrap_or_default();
    match between("role=\"alert\">", "</p>") {
        Some(alert) => format!("{h1}: {alert}"),
        None => match between("</h1><p>", "</p>") {
            Some(p) => format!("{h1}: {p}"),
            None => h1,
        },
    }
}

/// `device-signin demo-server [--bind ADDR]`: serve until Ctrl-C.
pub fn serve_cli(bind: Option<&str>, config: DemoConfig) -> u8 {
    let bind = match bind {
        None => DEFAULT_BIND,
        Some(text) => match parse_bind(text) {
            Some(addr) => addr,
            None => {
                eprintln!(
                    "device-signin: --bind `{text}`: expected an address such as 127.0.0.1:8080, 0.0.0.0 or a port number"
                );
                return crate::exit::CONFIG;
            }
        },
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("device-signin: cannot start the async runtime: {e}");
            return crate::exit::FAILED;
        }
    };
    runtime.block_on(async {
        let server = match DemoServer::start(bind, config).await {
            Ok(server) => server,
            Err(e) => {
                eprintln!("device-signin: cannot start the demo server on {bind}: {e}");
                return crate::exit::CONFIG;
            }
        };
        print!("{}", cli_banner(&server));
        match tokio::signal::ctrl_c().await {
            Ok(()) => eprintln!("device-signin: stopping the demo server"),
            Err(e) => eprintln!("device-signin: cannot wait for Ctrl-C ({e}); stopping"),
        }
        server.stop().await;
        crate::exit::SIGNED_IN
    })
}

fn cli_banner(server: &DemoServer) -> String {
    let i = server.issuer();
    let mut text = format!(
        "Demo authorization server (RFC 8628) is running. Press Ctrl-C to stop.\n\
         \n\
         issuer:     {i}\n\
         discovery:  {discovery}\n\
         approve at: {verify}\n\
         client_id:  {CLIENT_ID} (public client, no secret)\n\
         \n\
         # providers.toml\n\
         [[provider]]\n\
         id = \"demo\"\n\
         name = \"Demo sign-in\"\n\
         client_id = \"{CLIENT_ID}\"\n\
         scope = \"{scopes}\"\n\
         issuer = \"{i}\"\n\
         device_authorization_endpoint = \"{i}{device}\"\n\
         token_endpoint = \"{i}{token}\"\n\
         revocation_endpoint = \"{i}{revoke}\"\n\
         userinfo_endpoint = \"{i}{userinfo}\"\n\
         jwks_uri = \"{i}{jwks}\"\n",
        discovery = server.discovery_url(),
        verify = server.verification_uri(),
        scopes = SCOPES_SUPPORTED.join(" "),
        device = server::DEVICE_AUTHORIZATION_PATH,
        token = server::TOKEN_PATH,
        revoke = server::REVOCATION_PATH,
        userinfo = server::USERINFO_PATH,
        jwks = server::JWKS_PATH,
    );
    let loopback = url::Url::parse(i)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .and_then(|h| h.trim_matches(['[', ']']).parse::<IpAddr>().ok())
        .is_some_and(|ip| ip.is_loopback());
    if !loopback {
        text.push_str(
            "\nNote: these links use plain http on a network address, so a phone on the same \
             network can open the approval page. device-signin refuses plain http:// links on \
             non-loopback hosts, so it refuses the providers.toml above as it is.\n",
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses_take_several_spellings() {
        let lo = |port| SocketAddr::new(Ipv4Addr::LOCALHOST.into(), port);
        assert_eq!(parse_bind("127.0.0.1:8080"), Some(lo(8080)));
        assert_eq!(parse_bind("8080"), Some(lo(8080)));
        assert_eq!(parse_bind(":8080"), Some(lo(8080)));
        assert_eq!(parse_bind("localhost:8080"), Some(lo(8080)));
        assert_eq!(parse_bind("localhost"), Some(lo(0)));
        assert_eq!(
            parse_bind("0.0.0.0"),
            Some(SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), 0))
        );
        assert_eq!(
            parse_bind("[::1]:9000"),
            Some(SocketAddr::new(Ipv6Addr::LOCALHOST.into(), 9000))
        );
        assert_eq!(
            parse_bind("::"),
            Some(SocketAddr::new(Ipv6Addr::UNSPECIFIED.into(), 0))
        );
        assert_eq!(parse_bind("example.com:80"), None);
        assert_eq!(parse_bind("localhost:x"), None);
        assert_eq!(parse_bind("127.0.0.1:99999"), None);
    }

    #[test]
    fn the_server_handle_can_live_in_any_thread() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<DemoServer>();
    }

    #[test]
    fn a_specific_bind_address_is_the_issuer_host() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(public_ip(ip), ip);
    }

    #[test]
    fn the_unspecified_address_becomes_a_usable_one() {
        let ip = public_ip(Ipv4Addr::UNSPECIFIED.into());
        assert!(!ip.is_unspecified(), "{ip}");
    }

    #[test]
    fn the_provider_is_a_labelled_demo_with_every_endpoint() {
        let server = DemoServer::spawn_background(DEFAULT_BIND, DemoConfig::default()).unwrap();
        let p = server.provider();
        assert!(p.demo);
        assert_eq!(p.id, "demo");
        assert_eq!(p.client_id, CLIENT_ID);
        let EndpointSource::Explicit(e) = &p.endpoints else {
            panic!("explicit endpoints expected");
        };
        assert_eq!(e.issuer.as_deref(), Some(server.issuer()));
        assert!(e.device_authorization_endpoint.starts_with(server.issuer()));
        assert!(e.jwks_uri.is_some() && e.revocation_endpoint.is_some());
        assert!(e.userinfo_endpoint.is_some());
        for url in [&e.device_authorization_endpoint, &e.token_endpoint] {
            crate::oauth::wire::check_trusted_uri(url).unwrap();
        }
        server.shutdown();
    }

    #[test]
    fn the_banner_has_a_providers_file_that_parses() {
        let server = DemoServer::spawn_background(DEFAULT_BIND, DemoConfig::default()).unwrap();
        let banner = cli_banner(&server);
        let toml = &banner[banner.find("[[provider]]").unwrap()..];
        let providers = crate::provider::parse(toml, std::path::Path::new("snippet")).unwrap();
        assert_eq!(providers[0].client_id, CLIENT_ID);
        server.shutdown();
    }
}
