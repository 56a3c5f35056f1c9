//! End-to-end: the real binary in a real X window (Xvfb, 1920×1080), driven
//! by key presses (xdotool), looked at through screenshots (ImageMagick's
//! `import`) and QR decoding (zbarimg), against the embedded demo server.
//! Runs with and without a window manager (openbox).
//!
//! Needs the Debian packages xvfb, xdotool, imagemagick, openbox and
//! zbar-tools; `scripts/test` installs them. Without them these tests fail
//! with a message naming the missing program: they are never skipped.
//! Screenshots are kept under `target/e2e-screenshots/<test>/`.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use support::x11::{App, Display, HEIGHT, WIDTH, wait_until};

use device_signin::demo::{self, DemoConfig, DemoServer};
use device_signin::provider::EndpointSource;

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

fn decode_qr(path: &Path) -> Option<String> {
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(path)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// Screenshots until the screen's QR code decodes, within 20 s; asserts it
/// carries `expected` and returns that screenshot.
fn qr_on_screen(display: &Display, shots: &Path, expected: &str) -> PathBuf {
    let mut decoded = None;
    let mut shot = PathBuf::new();
    wait_until(Duration::from_secs(20), || {
        shot = display.screenshot(shots, "code");
        decoded = decode_qr(&shot);
        decoded.is_some()
    });
    assert_eq!(
        decoded.as_deref(),
        Some(expected),
        "QR in {}",
        shots.display()
    );
    shot
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
    qr_on_screen(&display, &shots, &complete);

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

/// Text read off a screenshot (tesseract, on the negated image: the
/// screens are light on dark).
fn ocr(shot: &Path, languages: &str) -> String {
    let negated = shot.with_extension("negated.png");
    let status = Command::new("convert")
        .arg(shot)
        .args(["-negate", "-colorspace", "Gray"])
        .arg(&negated)
        .status()
        .expect("convert (imagemagick) runs");
    assert!(status.success());
    let out = Command::new("tesseract")
        .arg(&negated)
        .args(["-", "-l", languages])
        .output()
        .expect("tesseract runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The code screen in the environment's language, in a real window: the
/// words read off the screen, the window's title, and a QR code that still
/// decodes.
fn code_screen_in(lang: &str, ocr_languages: &str, expect: &[&str], title: &str) {
    require_tools();
    require("tesseract", "tesseract-ocr");
    let test = format!("language_{}", lang.replace(['.', '-'], "_"));
    let shots = shots_dir(&test);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = demo_server(&runtime);
    let display = Display::start(true);
    let app = App::start_in(
        &display,
        &providers_file(&server, &[("tv", "Demo TV account")]),
        &[],
        lang,
    );
    let issued = app.wait_for("code issued", SLOW);
    let complete = field(&issued, "verification_uri_complete");
    app.wait_for("screen=code", SLOW);
    let shot = qr_on_screen(&display, &shots, &complete);
    let text = ocr(&shot, ocr_languages);
    for words in expect {
        assert!(
            text.contains(words),
            "`{words}` is not on the screen ({}); read:\n{text}",
            shot.display()
        );
    }
    let titles = display.window_titles(app.pid());
    assert!(
        titles.iter().any(|t| t == title),
        "window titles {titles:?}"
    );
}

#[test]
fn with_lang_de_de_the_code_screen_is_german() {
    code_screen_in(
        "de_DE.UTF-8",
        "deu",
        &[
            "Mit Demo TV account anmelden",
            "Gib den Code ein",
            "Neuer Code",
        ],
        "Anmelden",
    );
}

#[test]
fn with_lang_c_utf8_the_code_screen_is_english() {
    code_screen_in(
        "C.UTF-8",
        "eng",
        &["Sign in with Demo TV account", "Enter the code", "New code"],
        "Sign in",
    );
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
