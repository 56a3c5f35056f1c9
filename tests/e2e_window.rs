//! End-to-end: the real binary in a real X window (Xvfb, 1920×1080), driven
//! by key presses (xdotool), looked at through screenshots (ImageMagick's
//! `import`) and QR decoding (zbarimg), against the embedded demo server.
//! Runs with and without a window manager (openbox).
//!
//! Needs the Debian packages xvfb, xdotool, imagemagick, openbox and
//! zbar-tools; `scripts/test` installs them. Without them these tests fail
//! with a message naming the missing program: they are never skipped.
//! Screenshots are kept under `target/e2e-screenshots/<test>/`.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use device_signin::demo::{self, DemoConfig, DemoServer};
use device_signin::provider::EndpointSource;

const WIDTH: u32 = 1920;
const HEIGHT: u32 = 1080;

fn require(program: &str, package: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "`{program}` is missing: install the Debian package `{package}` (scripts/test does)"
    );
}

fn require_tools() {
    for (program, package) in [
        ("Xvfb", "xvfb"),
        ("xdotool", "xdotool"),
        ("import", "imagemagick"),
        ("openbox", "openbox"),
        ("zbarimg", "zbar-tools"),
    ] {
        require(program, package);
    }
}

/// A child process killed (by its PID) when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An Xvfb display, optionally with openbox running on it.
struct Display {
    name: String,
    _wm: Option<Guard>,
    _server: Guard,
}

impl Display {
    fn start(with_wm: bool) -> Display {
        // A display number nobody uses: each test of this process takes its
        // own, and the lock file is Xvfb's claim against other processes.
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let base = 100 + (std::process::id() % 200) * 8;
        let (n, server) = loop {
            let n = base + NEXT.fetch_add(1, Ordering::Relaxed);
            if Path::new(&format!("/tmp/.X{n}-lock")).exists()
                || Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            {
                continue;
            }
            let child = Command::new("Xvfb")
                .arg(format!(":{n}"))
                .args([
                    "-screen",
                    "0",
                    &format!("{WIDTH}x{HEIGHT}x24"),
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb starts");
            let mut guard = Guard(child);
            // Ready when a client can talk to it, not merely when its socket exists.
            let up = wait_until(Duration::from_secs(15), || {
                Command::new("xdotool")
                    .env("DISPLAY", format!(":{n}"))
                    .arg("getdisplaygeometry")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            });
            // Still running means the display is ours, not a racing server's.
            if up && guard.0.try_wait().unwrap().is_none() {
                break (n, guard);
            }
        };
        let name = format!(":{n}");
        let wm = with_wm.then(|| {
            let child = Command::new("openbox")
                .env("DISPLAY", &name)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("openbox starts");
            std::thread::sleep(Duration::from_millis(500));
            Guard(child)
        });
        Display {
            name,
            _wm: wm,
            _server: server,
        }
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("xdotool")
            .env("DISPLAY", &self.name)
            .arg("key")
            .args(["--delay", "150"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success(), "xdotool key {keys:?}");
    }

    fn screenshot(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(format!("{name}.png"));
        let status = Command::new("import")
            .args(["-display", &self.name, "-window", "root"])
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success(), "import {name}");
        path
    }

    /// The geometry of the app's window, as the X server sees it.
    fn window_size(&self, pid: u32) -> Option<(u32, u32)> {
        let out = Command::new("xdotool")
            .env("DISPLAY", &self.name)
            .args([
                "search",
                "--pid",
                &pid.to_string(),
                "--onlyvisible",
                "--name",
                "Sign in",
            ])
            .output()
            .ok()?;
        let id = String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()?
            .to_owned();
        let out = Command::new("xdotool")
            .env("DISPLAY", &self.name)
            .args(["getwindowgeometry", "--shell", &id])
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let get = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{key}=")))
                .and_then(|v| v.trim().parse().ok())
        };
        Some((get("WIDTH")?, get("HEIGHT")?))
    }
}

fn wait_until(timeout: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    ok()
}

fn decode_qr(path: &Path) -> Option<String> {
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(path)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn shots_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("e2e-screenshots")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The app under test, with its stderr log collected line by line.
struct App {
    child: Guard,
    log: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

impl App {
    fn start(display: &Display, providers: &str, args: &[&str]) -> App {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("providers.toml");
        std::fs::write(&config, providers).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_device-signin"))
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .args(args)
            .env("DISPLAY", &display.name)
            .env_remove("WAYLAND_DISPLAY")
            .env("RUST_LOG", "device_signin=info")
            .env("ICED_BACKEND", "tiny-skia")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        App {
            child: Guard(child),
            log,
            _dir: dir,
        }
    }

    fn pid(&self) -> u32 {
        self.child.0.id()
    }

    fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Wait for a log line containing `needle`; return it.
    fn wait_for(&self, needle: &str, timeout: Duration) -> String {
        let mut found = None;
        wait_until(timeout, || {
            found = self
                .log
                .lock()
                .unwrap()
                .iter()
                .find(|l| l.contains(needle))
                .cloned();
            found.is_some()
        });
        found.unwrap_or_else(|| {
            panic!(
                "no `{needle}` within {timeout:?}; log:\n{}",
                self.log_text()
            )
        })
    }

    /// Wait for the `n`th (from 1) log line containing `needle`.
    fn wait_for_nth(&self, needle: &str, n: usize, timeout: Duration) -> String {
        let mut found = None;
        wait_until(timeout, || {
            found = self
                .log
                .lock()
                .unwrap()
                .iter()
                .filter(|l| l.contains(needle))
                .nth(n - 1)
                .cloned();
            found.is_some()
        });
        found.unwrap_or_else(|| {
            panic!(
                "no {n}× `{needle}` within {timeout:?}; log:\n{}",
                self.log_text()
            )
        })
    }

    fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            if let Some(status) = self.child.0.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

/// A field `key=value` from a tracing log line.
fn field(line: &str, key: &str) -> String {
    let start = line
        .find(&format!("{key}="))
        .unwrap_or_else(|| panic!("no {key} in {line}"))
        + key.len()
        + 1;
    let rest = &line[start..];
    let value = rest.split_whitespace().next().unwrap_or("");
    value.trim_matches('"').to_owned()
}

fn providers_file(server: &DemoServer, ids: &[(&str, &str)]) -> String {
    let provider = server.provider();
    let EndpointSource::Explicit(e) = &provider.endpoints else {
        panic!("the demo provider has explicit endpoints")
    };
    ids.iter()
        .map(|(id, name)| {
            format!(
                r#"[[provider]]
id = "{id}"
name = "{name}"
client_id = "{}"
scope = "openid profile email offline_access"
issuer = "{}"
device_authorization_endpoint = "{}"
token_endpoint = "{}"
revocation_endpoint = "{}"
userinfo_endpoint = "{}"
jwks_uri = "{}"
"#,
                demo::CLIENT_ID,
                server.issuer(),
                e.device_authorization_endpoint,
                e.token_endpoint,
                e.revocation_endpoint.as_deref().unwrap(),
                e.userinfo_endpoint.as_deref().unwrap(),
                e.jwks_uri.as_deref().unwrap(),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn demo_server(runtime: &tokio::runtime::Runtime) -> DemoServer {
    runtime
        .block_on(DemoServer::start(
            "127.0.0.1:0".parse().unwrap(),
            DemoConfig {
                interval: Duration::from_secs(1),
                ..Default::default()
            },
        ))
        .unwrap()
}

const SLOW: Duration = Duration::from_secs(60);

/// Sign in with one provider: the QR on screen is the server's complete URI,
/// approval shows the signed-in screen, and the app exits 0.
fn approve_scenario(test: &str, with_wm: bool) {
    require_tools();
    let shots = shots_dir(test);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = demo_server(&runtime);
    let display = Display::start(with_wm);
    let mut app = App::start(
        &display,
        &providers_file(&server, &[("tv", "Demo TV account")]),
        &[],
    );

    let issued = app.wait_for("code issued", SLOW);
    let user_code = field(&issued, "user_code");
    let complete = field(&issued, "verification_uri_complete");
    assert!(complete.starts_with(server.issuer()), "{complete}");
    app.wait_for("screen=code", SLOW);

    // The QR code on the screen carries exactly the URI the server issued.
    let mut decoded = None;
    wait_until(Duration::from_secs(20), || {
        let shot = display.screenshot(&shots, "code");
        decoded = decode_qr(&shot);
        decoded.is_some()
    });
    assert_eq!(
        decoded.as_deref(),
        Some(complete.as_str()),
        "QR in {}",
        shots.display()
    );

    // Full screen: with a window manager through fullscreen, without one by
    // resizing to the monitor.
    let mut size = None;
    wait_until(Duration::from_secs(10), || {
        size = display.window_size(app.pid());
        size == Some((WIDTH, HEIGHT))
    });
    assert_eq!(size, Some((WIDTH, HEIGHT)), "the window fills the screen");

    runtime
        .block_on(demo::approve(server.issuer(), &user_code))
        .unwrap();
    app.wait_for("screen=signed_in", SLOW);
    std::thread::sleep(Duration::from_millis(700));
    let shot = display.screenshot(&shots, "signed_in");
    assert_eq!(decode_qr(&shot), None, "the code screen is gone");
    assert_eq!(
        app.wait_exit(Duration::from_secs(15)),
        Some(0),
        "{}",
        app.log_text()
    );
    assert!(app.log_text().contains("Demo Viewer"), "{}", app.log_text());
}

#[test]
fn with_openbox_the_qr_matches_and_approval_signs_in_and_exits_0() {
    approve_scenario("approve_openbox", true);
}

#[test]
fn without_a_window_manager_the_qr_matches_and_approval_signs_in_and_exits_0() {
    approve_scenario("approve_bare_x11", false);
}

#[test]
fn deny_shows_declined_and_back_returns_to_the_providers() {
    require_tools();
    let shots = shots_dir("deny_back");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = demo_server(&runtime);
    let display = Display::start(true);
    let app = App::start(
        &display,
        &providers_file(
            &server,
            &[("first", "First account"), ("second", "Second account")],
        ),
        &[],
    );
    app.wait_for("screen=choose", SLOW);
    std::thread::sleep(Duration::from_millis(500));
    display.screenshot(&shots, "choose");
    display.keys(&["Return"]);
    let issued = app.wait_for("code issued", SLOW);
    app.wait_for("screen=code", SLOW);
    runtime
        .block_on(demo::deny(server.issuer(), &field(&issued, "user_code")))
        .unwrap();
    app.wait_for("screen=declined", SLOW);
    std::thread::sleep(Duration::from_millis(500));
    display.screenshot(&shots, "declined");
    display.keys(&["Escape"]);
    app.wait_for_nth("screen=choose", 2, SLOW);
    std::thread::sleep(Duration::from_millis(500));
    display.screenshot(&shots, "back_to_choose");
}

#[test]
fn arrow_keys_and_ok_pick_the_second_provider() {
    require_tools();
    let shots = shots_dir("arrows");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = demo_server(&runtime);
    let display = Display::start(false);
    let app = App::start(
        &display,
        &providers_file(
            &server,
            &[("first", "First account"), ("second", "Second account")],
        ),
        &[],
    );
    app.wait_for("screen=choose", SLOW);
    std::thread::sleep(Duration::from_millis(500));
    display.keys(&["Down", "Right"]);
    std::thread::sleep(Duration::from_millis(300));
    display.screenshot(&shots, "second_focused");
    display.keys(&["KP_Enter"]);
    let started = app.wait_for("sign-in started", SLOW);
    assert_eq!(field(&started, "provider"), "second", "{started}");
    app.wait_for("screen=code", SLOW);
}

#[test]
fn without_a_display_the_app_says_so_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("providers.toml");
    std::fs::write(
        &config,
        "[[provider]]\nid = \"x\"\nclient_id = \"c\"\nissuer = \"https://auth.example.com\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_device-signin"))
        .arg("--config")
        .arg(&config)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("display"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_broken_providers_file_is_reported_before_any_window_opens() {
    require_tools();
    let display = Display::start(false);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("providers.toml");
    std::fs::write(
        &config,
        "[[provider]]\nid = \"x\"\nclient_auth = \"magic\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_device-signin"))
        .arg("--config")
        .arg(&config)
        .env("DISPLAY", &display.name)
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("providers.toml:3: field `client_auth`"),
        "{stderr}"
    );
}
