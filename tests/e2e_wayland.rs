//! End-to-end natively on Wayland, with no X11:
//! - under Debian 12's cage (0.1.4), as the .deb's unit runs it
//!   (`cage -- device-signin`, kiosk mode);
//! - under sway 1.7 at 1280×720, 1920×1080 and 3840×2160, and with remote
//!   keys sent as kernel key codes through a virtual keyboard
//!   (`examples/wayland_keys.rs`) that uploads the standard evdev keymap.
//!
//! The compositors run headless (`WLR_BACKENDS=headless`, pixman) and as an
//! unprivileged user, since cage refuses root: as root, the tests run them
//! as the `device-signin-e2e` user that `scripts/test` creates. Screenshots
//! come from `grim` and are kept under `target/e2e-screenshots/<test>/`.
//!
//! Needs the Debian packages cage, xwayland (cage 0.1.4 will not start
//! without it), sway, grim, libxkbcommon-tools and zbar-tools;
//! `scripts/test` installs them. Without them these tests fail naming the
//! package: they are never skipped.

use std::io::Read as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use device_signin::demo::{self, DemoConfig, DemoServer};
use device_signin::provider::EndpointSource;

/// The unprivileged user cage runs as when the tests run as root.
const USER: &str = "device-signin-e2e";
const SLOW: Duration = Duration::from_secs(60);

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
        ("cage", "cage"),
        ("Xwayland", "xwayland"),
        ("grim", "grim"),
        ("sway", "sway"),
        ("xkbcli", "libxkbcommon-tools"),
        ("zbarimg", "zbar-tools"),
        ("runuser", "util-linux"),
    ] {
        require(program, package);
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// `program` run as the unprivileged user (directly when not root).
fn as_user(program: &str) -> Command {
    if is_root() {
        let ok = Command::new("id")
            .args(["-u", USER])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "no user `{USER}`: scripts/test creates it (cage refuses root)"
        );
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", USER, "--", program]);
        cmd
    } else {
        Command::new(program)
    }
}

/// Give the unprivileged user a path (a directory of this test's own).
fn hand_over(path: &Path) {
    if is_root() {
        let status = Command::new("chown")
            .args(["-R", USER])
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

fn shots_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/e2e-screenshots")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn providers_file(server: &DemoServer) -> String {
    let provider = server.provider();
    let EndpointSource::Explicit(e) = &provider.endpoints else {
        panic!("the demo provider has explicit endpoints")
    };
    format!(
        "[[provider]]\nid = \"tv\"\nname = \"Demo TV account\"\nclient_id = \"{}\"\n\
         scope = \"openid profile email offline_access\"\nissuer = \"{}\"\n\
         device_authorization_endpoint = \"{}\"\ntoken_endpoint = \"{}\"\njwks_uri = \"{}\"\n",
        demo::CLIENT_ID,
        server.issuer(),
        e.device_authorization_endpoint,
        e.token_endpoint,
        e.jwks_uri.as_deref().unwrap(),
    )
}

/// cage, headless, running the app in kiosk mode.
struct Cage {
    child: Child,
    /// XDG_RUNTIME_DIR: the Wayland socket, the app's copy, its data, its log.
    dir: tempfile::TempDir,
    shots: PathBuf,
}

impl Cage {
    fn start(test: &str, server: &DemoServer, args: &[&str]) -> Cage {
        require_tools();
        let dir = tempfile::Builder::new()
            .prefix("ds-e2e-wayland-")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let bin = dir.path().join("device-signin");
        std::fs::copy(env!("CARGO_BIN_EXE_device-signin"), &bin).unwrap();
        let config = dir.path().join("providers.toml");
        std::fs::write(&config, providers_file(server)).unwrap();
        let log = std::fs::File::create(dir.path().join("log")).unwrap();
        hand_over(dir.path());
        let mut cmd = as_user("env");
        cmd.arg("-u")
            .arg("DISPLAY")
            .arg("-u")
            .arg("WAYLAND_DISPLAY")
            .arg(format!("XDG_RUNTIME_DIR={}", dir.path().display()))
            .args([
                "WLR_BACKENDS=headless",
                "WLR_RENDERER=pixman",
                "WLR_LIBINPUT_NO_DEVICES=1",
                "WLR_HEADLESS_OUTPUTS=1",
                "RUST_LOG=info",
                "cage",
                "--",
            ])
            .arg(&bin)
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        let child = cmd.spawn().expect("start cage");
        Cage {
            child,
            dir,
            shots: shots_dir(test),
        }
    }

    fn log_text(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(self.dir.path().join("log")) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }

    fn wait_for(&self, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(line) = self.log_text().lines().find(|l| l.contains(needle)) {
                return line.to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no `{needle}` within {timeout:?}:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join(format!("{name}.png"));
        let _ = std::fs::remove_file(&path);
        let status = as_user("env")
            .arg(format!("XDG_RUNTIME_DIR={}", self.dir.path().display()))
            .arg("WAYLAND_DISPLAY=wayland-0")
            .arg("grim")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "grim failed:\n{}", self.log_text());
        let kept = self.shots.join(format!("{name}.png"));
        std::fs::copy(&path, &kept).unwrap();
        kept
    }

    fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }

    /// The cage process (the child, or the child of `runuser`).
    fn cage_pid(&self) -> u32 {
        let me = self.child.id();
        if !is_root() {
            return me;
        }
        let children =
            std::fs::read_to_string(format!("/proc/{me}/task/{me}/children")).unwrap_or_default();
        let pid = children
            .split_whitespace()
            .filter_map(|p| p.parse::<u32>().ok())
            .find(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .is_ok_and(|c| c.trim_end() == "cage")
            });
        pid.unwrap_or_else(|| panic!("no cage under runuser {me}"))
    }
}

impl Drop for Cage {
    fn drop(&mut self) {
        // Only what this test started: runuser's child tree, by PID.
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = Command::new("pkill")
                .args(["-KILL", "-P", &self.child.id().to_string()])
                .status();
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn field(line: &str, key: &str) -> String {
    let start = line
        .find(&format!("{key}="))
        .unwrap_or_else(|| panic!("no {key} in {line}"))
        + key.len()
        + 1;
    line[start..]
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches('"')
        .to_owned()
}

fn decode_qr(path: &Path) -> Option<String> {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(path)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
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

#[test]
fn under_cage_the_kiosk_app_updates_shows_a_qr_that_decodes_and_exits_0_on_approval() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = demo_server(&runtime);
    let mut cage = Cage::start("cage_kiosk", &server, &[]);
    let issued = cage.wait_for("code issued", SLOW);
    let user_code = field(&issued, "user_code");
    let complete = field(&issued, "verification_uri_complete");
    assert!(
        cage.log_text().contains("full screen is not requested"),
        "{}",
        cage.log_text()
    );

    // The QR code on the output is the one the server issued.
    let deadline = Instant::now() + Duration::from_secs(20);
    let first = loop {
        let shot = cage.screenshot("code");
        if let Some(text) = decode_qr(&shot) {
            break (shot, text);
        }
        assert!(
            Instant::now() < deadline,
            "no QR code on the output: {}\n{}",
            shot.display(),
            cage.log_text()
        );
        std::thread::sleep(Duration::from_millis(300));
    };
    assert_eq!(first.1, complete);

    // Not frozen: the countdown moves.
    std::thread::sleep(Duration::from_secs(3));
    let later = cage.screenshot("code_3s_later");
    assert_ne!(
        std::fs::read(&first.0).unwrap(),
        std::fs::read(&later).unwrap(),
        "two screenshots 3 s apart are the same: the window is frozen"
    );

    runtime
        .block_on(demo::approve(server.issuer(), &user_code))
        .unwrap();
    cage.wait_for("screen=signed_in", SLOW);
    assert_eq!(
        cage.wait_exit(Duration::from_secs(20)),
        Some(0),
        "the app exits 0, and cage with it:\n{}",
        cage.log_text()
    );
}

/// The `ExecStop=` line of the .deb's unit, as systemd would run it.
fn unit_exec_stop() -> String {
    let unit = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/systemd/device-signin-kiosk.service"),
    )
    .unwrap();
    let line = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStop=/bin/sh -c "))
        .expect("the unit has an ExecStop=/bin/sh -c line");
    line.trim().trim_matches('\'').to_owned()
}

#[test]
fn stopping_the_unit_the_way_it_says_ends_cage_with_status_0_and_no_abort() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = demo_server(&runtime);
    let mut cage = Cage::start("cage_stop", &server, &["--stay"]);
    cage.wait_for("code issued", SLOW);
    let pid = cage.cage_pid();
    let status = Command::new("sh")
        .arg("-c")
        .arg(unit_exec_stop())
        .env("MAINPID", pid.to_string())
        .status()
        .unwrap();
    assert!(status.success(), "ExecStop waits until cage has gone");
    let code = cage.wait_exit(Duration::from_secs(10));
    let log = cage.log_text();
    assert!(!log.contains("Assertion"), "cage aborted:\n{log}");
    assert_eq!(code, Some(0), "cage's status after ExecStop:\n{log}");
}

/// sway, headless, with one output of the given size; the app is started in
/// it separately, as any Wayland client.
struct Sway {
    sway: Child,
    app: Option<Child>,
    dir: tempfile::TempDir,
    socket: String,
    shots: PathBuf,
}

impl Sway {
    fn start(test: &str, width: u32, height: u32) -> Sway {
        require_tools();
        let dir = tempfile::Builder::new()
            .prefix("ds-e2e-sway-")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let config = dir.path().join("sway.conf");
        std::fs::write(
            &config,
            format!(
                "output HEADLESS-1 mode {width}x{height}\ndefault_border none\nxwayland disable\n"
            ),
        )
        .unwrap();
        std::fs::copy(
            env!("CARGO_BIN_EXE_device-signin"),
            dir.path().join("device-signin"),
        )
        .unwrap();
        let keys = Path::new(env!("CARGO_BIN_EXE_device-signin"))
            .parent()
            .unwrap()
            .join("examples/wayland_keys");
        assert!(
            keys.exists(),
            "{} is missing: `cargo test` builds it (examples/wayland_keys.rs)",
            keys.display()
        );
        std::fs::copy(&keys, dir.path().join("wayland_keys")).unwrap();
        let keymap = Command::new("xkbcli")
            .args(["compile-keymap", "--layout", "us"])
            .output()
            .unwrap();
        assert!(keymap.status.success(), "xkbcli compile-keymap failed");
        std::fs::write(dir.path().join("evdev.xkb"), keymap.stdout).unwrap();
        let log = std::fs::File::create(dir.path().join("sway.log")).unwrap();
        hand_over(dir.path());
        let sway = as_user("env")
            .args(["-u", "DISPLAY", "-u", "WAYLAND_DISPLAY"])
            .arg(format!("XDG_RUNTIME_DIR={}", dir.path().display()))
            .args([
                "WLR_BACKENDS=headless",
                "WLR_RENDERER=pixman",
                "WLR_LIBINPUT_NO_DEVICES=1",
                "WLR_HEADLESS_OUTPUTS=1",
                "sway",
                "-c",
            ])
            .arg(&config)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start sway");
        let mut me = Sway {
            sway,
            app: None,
            dir,
            socket: String::new(),
            shots: shots_dir(test),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        me.socket = loop {
            let found = std::fs::read_dir(me.dir.path())
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n.starts_with("wayland-") && !n.ends_with(".lock"));
            if let Some(name) = found {
                break name;
            }
            assert!(
                Instant::now() < deadline,
                "sway did not start:\n{}",
                me.text("sway.log")
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        me
    }

    fn text(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    fn env(&self, program: &str) -> Command {
        let mut cmd = as_user("env");
        cmd.args(["-u", "DISPLAY"])
            .arg(format!("XDG_RUNTIME_DIR={}", self.dir.path().display()))
            .arg(format!("WAYLAND_DISPLAY={}", self.socket))
            .arg(program);
        cmd
    }

    fn run_app(&mut self, providers: &str, args: &[&str]) {
        let config = self.dir.path().join("providers.toml");
        std::fs::write(&config, providers).unwrap();
        let log = std::fs::File::create(self.dir.path().join("app.log")).unwrap();
        hand_over(self.dir.path());
        let app = self
            .env("RUST_LOG=info")
            .arg(self.dir.path().join("device-signin"))
            .arg("--config")
            .arg(&config)
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start the app");
        self.app = Some(app);
    }

    fn wait_for_nth(&self, needle: &str, n: usize, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let text = self.text("app.log");
            if let Some(line) = text.lines().filter(|l| l.contains(needle)).nth(n - 1) {
                return line.to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no {n}th `{needle}` within {timeout:?}:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn swaymsg(&self, args: &[&str]) -> String {
        let ipc = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("sway-ipc"))
            })
            .expect("sway's IPC socket");
        let out = self
            .env("swaymsg")
            .arg("-s")
            .arg(ipc)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, codes: &[u32]) {
        let status = self
            .env(&self.dir.path().join("wayland_keys").to_string_lossy())
            .arg(self.dir.path().join("evdev.xkb"))
            .args(codes.iter().map(u32::to_string))
            .status()
            .unwrap();
        assert!(status.success(), "wayland_keys failed");
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join(format!("{name}.png"));
        let _ = std::fs::remove_file(&path);
        let status = self
            .env("grim")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "grim failed");
        let kept = self.shots.join(format!("{name}.png"));
        std::fs::copy(&path, &kept).unwrap();
        kept
    }

    fn wait_app_exit(&mut self, timeout: Duration) -> Option<i32> {
        let app = self.app.as_mut()?;
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = app.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }
}

impl Drop for Sway {
    fn drop(&mut self) {
        // Only what this test started, by PID: the app, then sway.
        for child in self.app.iter_mut().chain(std::iter::once(&mut self.sway)) {
            if child.try_wait().ok().flatten().is_none() {
                let _ = Command::new("pkill")
                    .args(["-KILL", "-P", &child.id().to_string()])
                    .status();
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

fn two_providers(server: &DemoServer) -> String {
    let one = providers_file(server);
    let two = one
        .replace("id = \"tv\"", "id = \"b\"")
        .replace("Demo TV account", "Second account");
    format!("{}\n{two}", one.replace("id = \"tv\"", "id = \"a\""))
}

fn sway_sign_in_at(test: &str, width: u32, height: u32) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = demo_server(&runtime);
    let mut sway = Sway::start(test, width, height);
    sway.run_app(&providers_file(&server), &[]);
    let issued = sway.wait_for_nth("code issued", 1, SLOW);
    let user_code = field(&issued, "user_code");
    let complete = field(&issued, "verification_uri_complete");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let shot = sway.screenshot("code");
        if let Some(text) = decode_qr(&shot) {
            assert_eq!(text, complete, "{}", shot.display());
            let size = image_size(&shot);
            assert_eq!(size, (width, height), "the output's size");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no QR code on the output: {}\n{}",
            shot.display(),
            sway.text("app.log")
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    // Nothing outside the content changes while the countdown ticks: a
    // glyph's edge pixel left of "This code expires…" used to be blended
    // again at every tick (tiny-skia's partial redraws) and grew brighter.
    let before = sway.screenshot("tick_0");
    std::thread::sleep(Duration::from_secs(4));
    let after = sway.screenshot("tick_4s");
    let margin = width * 5 / 100;
    let stale = changed_pixels(&before, &after)
        .into_iter()
        .filter(|(x, _)| *x < margin)
        .collect::<Vec<_>>();
    assert!(
        stale.is_empty(),
        "pixels in the left safe-area margin changed between ticks: {:?}",
        &stale[..stale.len().min(10)]
    );
    // The window's app_id is the .desktop file's name.
    let tree = sway.swaymsg(&["-t", "get_tree"]);
    assert!(
        tree.contains(r#""app_id": "device-signin""#),
        "app_id in the tree:\n{tree}"
    );
    runtime
        .block_on(demo::approve(server.issuer(), &user_code))
        .unwrap();
    sway.wait_for_nth("screen=signed_in", 1, SLOW);
    assert_eq!(
        sway.wait_app_exit(Duration::from_secs(20)),
        Some(0),
        "{}",
        sway.text("app.log")
    );
    let log = sway.text("app.log");
    assert!(
        !log.contains(" ERROR "),
        "no ERROR on a start where nothing is wrong:\n{log}"
    );
}

/// The pixels that differ between two screenshots of the same size.
fn changed_pixels(a: &Path, b: &Path) -> Vec<(u32, u32)> {
    let a = image::open(a).unwrap().to_rgba8();
    let b = image::open(b).unwrap().to_rgba8();
    assert_eq!(a.dimensions(), b.dimensions());
    a.enumerate_pixels()
        .filter(|(x, y, p)| b.get_pixel(*x, *y) != *p)
        .map(|(x, y, _)| (x, y))
        .collect()
}

/// A PNG's width and height, from its IHDR chunk.
fn image_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (be(16), be(20))
}

#[test]
fn under_sway_at_720p_the_qr_decodes_and_approval_exits_0() {
    sway_sign_in_at("sway_720p", 1280, 720);
}

#[test]
fn under_sway_at_1080p_the_qr_decodes_and_approval_exits_0() {
    sway_sign_in_at("sway_1080p", 1920, 1080);
}

#[test]
fn under_sway_at_4k_the_qr_decodes_and_approval_exits_0() {
    sway_sign_in_at("sway_4k", 3840, 2160);
}

/// Kernel key codes (linux/input-event-codes.h).
const KEY_ENTER: u32 = 28;
const KEY_LEFT: u32 = 105;
const KEY_RIGHT: u32 = 106;
const KEY_BACK: u32 = 158;
const KEY_EXIT: u32 = 174;
const KEY_OK: u32 = 352;
const KEY_SELECT: u32 = 353;

#[test]
fn remote_key_codes_move_activate_and_go_back_under_sway() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = demo_server(&runtime);
    let mut sway = Sway::start("sway_keys", 1920, 1080);
    sway.run_app(&two_providers(&server), &[]);
    sway.wait_for_nth("screen=choose", 1, SLOW);
    // The app has the keyboard focus once its window is mapped.
    std::thread::sleep(Duration::from_secs(1));

    // Right moves to the second tile; KEY_OK (a CEC remote's OK) picks it.
    sway.keys(&[KEY_RIGHT, KEY_OK]);
    let started = sway.wait_for_nth("sign-in started", 1, SLOW);
    assert!(started.contains("provider=b"), "{started}");
    // KEY_EXIT (a TV's Back over CEC) goes back to the choice.
    sway.keys(&[KEY_EXIT]);
    sway.wait_for_nth("screen=choose", 2, SLOW);
    // KEY_SELECT (a Bluetooth remote's OK) picks the focused tile again.
    sway.keys(&[KEY_SELECT]);
    let started = sway.wait_for_nth("sign-in started", 2, SLOW);
    assert!(started.contains("provider=b"), "{started}");
    // KEY_BACK goes back; Left and Enter pick the first tile.
    sway.keys(&[KEY_BACK]);
    sway.wait_for_nth("screen=choose", 3, SLOW);
    sway.keys(&[KEY_LEFT, KEY_ENTER]);
    let started = sway.wait_for_nth("sign-in started", 3, SLOW);
    assert!(started.contains("provider=a"), "{started}");
}

#[test]
fn a_compositor_that_accepts_but_never_answers_ends_in_exit_2_within_a_few_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("wayland-silent");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let config = dir.path().join("providers.toml");
    std::fs::write(
        &config,
        "[[provider]]\nid = \"x\"\nclient_id = \"c\"\n\
         device_authorization_endpoint = \"https://as.example/device\"\n\
         token_endpoint = \"https://as.example/token\"\n",
    )
    .unwrap();
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_device-signin"))
        .arg("--config")
        .arg(&config)
        .env_remove("DISPLAY")
        .env("WAYLAND_DISPLAY", &socket)
        .output()
        .unwrap();
    drop(listener);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did not answer within 3 s"), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}
