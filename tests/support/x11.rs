//! A real X display for end-to-end tests: Xvfb (optionally with openbox),
//! keys through xdotool, screenshots through ImageMagick's `import`, and the
//! app under test with its log collected.

#![allow(dead_code)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const WIDTH: u32 = 1920;
pub const HEIGHT: u32 = 1080;

/// A child process killed (by its PID) when dropped.
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An Xvfb display, optionally with openbox running on it.
pub struct Display {
    pub name: String,
    _wm: Option<Guard>,
    _server: Guard,
}

impl Display {
    pub fn start(with_wm: bool) -> Display {
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

    pub fn keys(&self, keys: &[&str]) {
        let status = Command::new("xdotool")
            .env("DISPLAY", &self.name)
            .arg("key")
            .args(["--delay", "150"])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success(), "xdotool key {keys:?}");
    }

    pub fn screenshot(&self, dir: &Path, name: &str) -> PathBuf {
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
    /// The titles of the visible windows of process `pid`.
    pub fn window_titles(&self, pid: u32) -> Vec<String> {
        let Ok(out) = Command::new("xdotool")
            .env("DISPLAY", &self.name)
            .args(["search", "--onlyvisible", "--pid", &pid.to_string()])
            .output()
        else {
            return Vec::new();
        };
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|id| {
                let out = Command::new("xdotool")
                    .env("DISPLAY", &self.name)
                    .args(["getwindowname", id])
                    .output()
                    .ok()?;
                Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
            })
            .collect()
    }

    pub fn window_size(&self, pid: u32) -> Option<(u32, u32)> {
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

pub fn wait_until(timeout: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    ok()
}

/// The app under test, with its stderr log collected line by line.
pub struct App {
    pub child: Guard,
    log: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

impl App {
    pub fn start(display: &Display, providers: &str, args: &[&str]) -> App {
        Self::start_in(display, providers, args, "C.UTF-8")
    }

    /// The app in the locale `lang` (`LANG`; the other locale variables
    /// are unset).
    pub fn start_in(display: &Display, providers: &str, args: &[&str], lang: &str) -> App {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("providers.toml");
        std::fs::write(&config, providers).unwrap();
        let data = dir.path().join("data");
        let mut app = Self::with_paths_in(display, &config, &data, args, lang);
        app._dir = dir;
        app
    }

    /// The app with this providers file and data directory, in English.
    pub fn with_paths(display: &Display, config: &Path, data_dir: &Path, args: &[&str]) -> App {
        Self::with_paths_in(display, config, data_dir, args, "C.UTF-8")
    }

    fn with_paths_in(
        display: &Display,
        config: &Path,
        data_dir: &Path,
        args: &[&str],
        lang: &str,
    ) -> App {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_device-signin"))
            .arg("--config")
            .arg(config)
            .arg("--data-dir")
            .arg(data_dir)
            .args(args)
            .env("DISPLAY", &display.name)
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANGUAGE")
            .env("LANG", lang)
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

    pub fn pid(&self) -> u32 {
        self.child.0.id()
    }

    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Wait for a log line containing `needle`; return it.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> String {
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
    pub fn wait_for_nth(&self, needle: &str, n: usize, timeout: Duration) -> String {
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

    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
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
