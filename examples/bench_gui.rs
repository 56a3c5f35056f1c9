//! The GUI under Xvfb at 1920×1080 with openbox, next to a bare iced window
//! built with the same features, measured in the same run:
//! process start → first frame (of the code screen, for the app), RSS after
//! 10 s, CPU over 60 s on the code screen, and approval → signed-in screen.
//!
//! `bench_gui <device-signin> <bare_window> [REPEATS] [CPU_SECONDS] [sway] [restore]`
//! (`restore`: only start → first frame of the signed-in screen of a
//! restored sign-in, next to the bare window's first frame)
//! (paths to release binaries; `scripts/bench` builds and runs it). Prints
//! one JSON object. Needs Xvfb, openbox and xdotool; with `sway`, natively
//! on Wayland under sway headless at 1920×1080 instead (as root, sway and
//! the programs run as the `device-signin-e2e` user, through `setpriv`,
//! which keeps the measured process's PID).

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;

struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn display_ready(display: &str) -> bool {
    Command::new("xdotool")
        .env("DISPLAY", display)
        .arg("getdisplaygeometry")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn start_display() -> Result<(String, Guard, Guard), String> {
    for n in 700..760 {
        if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let name = format!(":{n}");
        let mut xvfb = Guard(
            Command::new("Xvfb")
                .args([&name, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("Xvfb: {e}"))?,
        );
        let end = Instant::now() + Duration::from_secs(15);
        while Instant::now() < end && !display_ready(&name) {
            std::thread::sleep(Duration::from_millis(50));
        }
        if xvfb.0.try_wait().ok().flatten().is_some() || !display_ready(&name) {
            continue;
        }
        let wm = Guard(
            Command::new("openbox")
                .env("DISPLAY", &name)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("openbox: {e}"))?,
        );
        std::thread::sleep(Duration::from_millis(500));
        return Ok((name, xvfb, wm));
    }
    Err("no free X display number".into())
}

/// A process whose stderr lines arrive on a channel with their arrival time.
struct Probe {
    child: Guard,
    lines: mpsc::Receiver<(Instant, String)>,
    started: Instant,
}

impl Probe {
    fn spawn(mut cmd: Command) -> Result<Probe, String> {
        let started = Instant::now();
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        Ok(Probe {
            child: Guard(child),
            lines: rx,
            started,
        })
    }

    fn pid(&self) -> u32 {
        self.child.0.id()
    }

    /// Wait for a line containing `needle`: its arrival time and text.
    fn wait_for(&self, needle: &str, timeout: Duration) -> Result<(Instant, String), String> {
        let end = Instant::now() + timeout;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((at, line)) if line.contains(needle) => return Ok((at, line)),
                Ok(_) => {}
                Err(_) => return Err(format!("no `{needle}` within {timeout:?}")),
            }
        }
    }
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// utime + stime of a process, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name may hold spaces; fields start after its closing paren.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    (ticks(11) + ticks(12)) as f64 / hz
}

fn field(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("{key}="))? + key.len() + 1;
    Some(
        line[start..]
            .split_whitespace()
            .next()?
            .trim_matches('"')
            .to_owned(),
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Where the windows open.
enum Display {
    X11(String),
    Wayland {
        runtime_dir: PathBuf,
        socket: String,
    },
}

const USER: &str = "device-signin-e2e";

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// `program`, as the unprivileged user when root (sway refuses root).
fn command(program: &Path) -> Command {
    if is_root() {
        let mut cmd = Command::new("setpriv");
        cmd.args([
            &format!("--reuid={USER}"),
            &format!("--regid={USER}"),
            "--clear-groups",
            "--",
        ])
        .arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

fn hand_over(path: &Path) {
    if is_root() {
        let _ = Command::new("chown").args(["-R", USER]).arg(path).status();
    }
}

/// sway, headless, one 1920×1080 output; its runtime dir and socket.
fn start_sway(dir: &Path) -> Result<(Guard, PathBuf, String), String> {
    let runtime_dir = dir.join("xdg");
    std::fs::create_dir_all(&runtime_dir).map_err(|e| e.to_string())?;
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&runtime_dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| e.to_string())?;
    let config = dir.join("sway.conf");
    std::fs::write(
        &config,
        "output HEADLESS-1 mode 1920x1080\ndefault_border none\nxwayland disable\n",
    )
    .map_err(|e| e.to_string())?;
    hand_over(dir);
    let sway = Guard(
        command(Path::new("/usr/bin/sway"))
            .arg("-c")
            .arg(&config)
            .env("XDG_RUNTIME_DIR", &runtime_dir)
            .env("WLR_BACKENDS", "headless")
            .env("WLR_RENDERER", "pixman")
            .env("WLR_LIBINPUT_NO_DEVICES", "1")
            .env("WLR_HEADLESS_OUTPUTS", "1")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("sway: {e}"))?,
    );
    let end = Instant::now() + Duration::from_secs(20);
    while Instant::now() < end {
        let socket = std::fs::read_dir(&runtime_dir)
            .map_err(|e| e.to_string())?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with("wayland-") && !n.ends_with(".lock"));
        if let Some(socket) = socket {
            std::thread::sleep(Duration::from_millis(300));
            return Ok((sway, runtime_dir, socket));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err("sway did not start".into())
}

struct Setup {
    display: Display,
    app: PathBuf,
    bare: PathBuf,
    config: PathBuf,
    data: PathBuf,
}

impl Setup {
    fn on_display(&self, cmd: &mut Command) {
        match &self.display {
            Display::X11(display) => {
                cmd.env("DISPLAY", display).env_remove("WAYLAND_DISPLAY");
            }
            Display::Wayland {
                runtime_dir,
                socket,
            } => {
                cmd.env_remove("DISPLAY")
                    .env("XDG_RUNTIME_DIR", runtime_dir)
                    .env("WAYLAND_DISPLAY", socket);
            }
        }
    }

    fn app(&self) -> Result<Probe, String> {
        let _ = std::fs::remove_dir_all(&self.data);
        self.restored()
    }

    /// The app with whatever sign-in the data directory holds.
    fn restored(&self) -> Result<Probe, String> {
        let mut cmd = match self.display {
            Display::X11(_) => Command::new(&self.app),
            Display::Wayland { .. } => command(&self.app),
        };
        cmd.arg("--config")
            .arg(&self.config)
            .arg("--data-dir")
            .arg(&self.data)
            .arg("--stay")
            .env_remove("ICED_BACKEND")
            .env("RUST_LOG", "device_signin=info");
        self.on_display(&mut cmd);
        Probe::spawn(cmd)
    }

    fn bare(&self) -> Result<Probe, String> {
        let mut cmd = match self.display {
            Display::X11(_) => Command::new(&self.bare),
            Display::Wayland { .. } => command(&self.bare),
        };
        cmd.env_remove("ICED_BACKEND");
        self.on_display(&mut cmd);
        Probe::spawn(cmd)
    }
}

fn run() -> Result<serde_json::Value, String> {
    let mut args = std::env::args().skip(1);
    let app = PathBuf::from(
        args.next()
            .ok_or("usage: bench_gui APP BARE [REPEATS] [CPU_S]")?,
    );
    let bare = PathBuf::from(
        args.next()
            .ok_or("usage: bench_gui APP BARE [REPEATS] [CPU_S]")?,
    );
    let repeats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let cpu_secs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);
    let rest: Vec<String> = args.collect();
    let wayland = rest.iter().any(|a| a == "sway");
    let restore_only = rest.iter().any(|a| a == "restore");

    let dir = std::env::temp_dir().join(format!("bench-gui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut guards = Vec::new();
    let (display, label) = if wayland {
        let (sway, runtime_dir, socket) = start_sway(&dir)?;
        guards.push(sway);
        (
            Display::Wayland {
                runtime_dir,
                socket,
            },
            "sway 1.7 headless (pixman) 1920x1080, native Wayland",
        )
    } else {
        let (display, xvfb, wm) = start_display()?;
        guards.extend([xvfb, wm]);
        (Display::X11(display), "Xvfb 1920x1080x24 + openbox")
    };

    // The demo server runs in this harness process, never in the one measured.
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let server = runtime
        .block_on(device_signin::demo::DemoServer::start(
            "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
            device_signin::demo::DemoConfig {
                interval: Duration::from_secs(2),
                expires_in: Duration::from_secs(900),
                ..Default::default()
            },
        ))
        .map_err(|e| format!("demo server: {e}"))?;
    let issuer = server.issuer().to_owned();
    let config = dir.join("providers.toml");
    std::fs::write(
        &config,
        format!(
            "[[provider]]\nid = \"demo\"\nname = \"Demo sign-in\"\nclient_id = \"device-signin-demo\"\n\
             scope = \"openid profile email offline_access\"\nissuer = \"{issuer}\"\n\
             device_authorization_endpoint = \"{issuer}/oauth/device_authorization\"\n\
             token_endpoint = \"{issuer}/oauth/token\"\nrevocation_endpoint = \"{issuer}/oauth/revoke\"\n\
             userinfo_endpoint = \"{issuer}/oauth/userinfo\"\njwks_uri = \"{issuer}/oauth/jwks\"\n"
        ),
    )
    .map_err(|e| e.to_string())?;
    hand_over(&dir);
    let setup = Setup {
        display,
        app,
        bare,
        config,
        data: dir.join("data"),
    };

    if restore_only {
        // One sign-in to restore, then start → first frame of the signed-in
        // screen, next to the bare window's first frame, `repeats` times.
        let a = setup.app()?;
        let (_, issued) = a.wait_for("code issued", Duration::from_secs(30))?;
        let code = field(&issued, "user_code").ok_or("no user code in the log")?;
        runtime
            .block_on(device_signin::demo::approve(&issuer, &code))
            .map_err(|e| format!("approve: {e}"))?;
        a.wait_for("screen=signed_in", Duration::from_secs(30))?;
        drop(a);
        let mut bare_first = Vec::new();
        let mut restored_first = Vec::new();
        for _ in 0..repeats {
            let b = setup.bare()?;
            let (at, _) = b.wait_for("first frame", Duration::from_secs(30))?;
            bare_first.push(at.duration_since(b.started).as_secs_f64() * 1000.0);
            drop(b);
            let a = setup.restored()?;
            // Lines arrive in order: a code asked for would come first.
            let (_, line) = a.wait_for("restor", Duration::from_secs(30))?;
            if !line.contains("restoring the stored sign-in") {
                return Err(format!("not restored: {line}"));
            }
            let (at, _) = a.wait_for(
                "first frame of the signed-in screen",
                Duration::from_secs(30),
            )?;
            restored_first.push(at.duration_since(a.started).as_secs_f64() * 1000.0);
        }
        runtime.block_on(server.stop());
        drop(guards);
        let _ = std::fs::remove_dir_all(&dir);
        let bf = median(bare_first.clone());
        let rf = median(restored_first.clone());
        return Ok(json!({
            "display": label,
            "repeats": repeats,
            "first_frame_ms": {
                "bare": bare_first, "restored": restored_first,
                "bare_median": bf, "restored_median": rf, "ratio": rf / bf,
            },
        }));
    }

    // First frame and approval latency, `repeats` times each.
    let mut bare_first = Vec::new();
    let mut app_first = Vec::new();
    let mut approval = Vec::new();
    for _ in 0..repeats {
        let b = setup.bare()?;
        let (at, _) = b.wait_for("first frame", Duration::from_secs(30))?;
        bare_first.push(at.duration_since(b.started).as_secs_f64() * 1000.0);
        drop(b);

        let a = setup.app()?;
        let (_, issued) = a.wait_for("code issued", Duration::from_secs(30))?;
        let (at, _) = a.wait_for("first frame of the code screen", Duration::from_secs(30))?;
        app_first.push(at.duration_since(a.started).as_secs_f64() * 1000.0);
        let code = field(&issued, "user_code").ok_or("no user code in the log")?;
        // Approve at a random point of the poll cycle, as a person would.
        std::thread::sleep(Duration::from_millis(
            (std::process::id() as u64 * 7919 + approval.len() as u64 * 104_729) % 2000,
        ));
        let approved = Instant::now();
        runtime
            .block_on(device_signin::demo::approve(&issuer, &code))
            .map_err(|e| format!("approve: {e}"))?;
        let (at, _) = a.wait_for("screen=signed_in", Duration::from_secs(30))?;
        approval.push(at.duration_since(approved).as_secs_f64() * 1000.0);
    }

    // RSS after 10 s and CPU over the next `cpu_secs`, for each program.
    let steady = |p: &Probe| -> (u64, f64) {
        std::thread::sleep(Duration::from_secs(10).saturating_sub(p.started.elapsed()));
        let rss = rss_kib(p.pid());
        let cpu0 = cpu_seconds(p.pid());
        let t0 = Instant::now();
        std::thread::sleep(Duration::from_secs(cpu_secs));
        let cpu = (cpu_seconds(p.pid()) - cpu0) / t0.elapsed().as_secs_f64() * 100.0;
        (rss, cpu)
    };
    let b = setup.bare()?;
    b.wait_for("first frame", Duration::from_secs(30))?;
    let (bare_rss, bare_cpu) = steady(&b);
    drop(b);
    let a = setup.app()?;
    a.wait_for("first frame of the code screen", Duration::from_secs(30))?;
    let (app_rss, app_cpu) = steady(&a);
    drop(a);
    runtime.block_on(server.stop());
    drop(guards);
    let _ = std::fs::remove_dir_all(&dir);

    let bf = median(bare_first.clone());
    let af = median(app_first.clone());
    Ok(json!({
        "display": label,
        "repeats": repeats,
        "first_frame_ms": {
            "bare": bare_first, "app": app_first,
            "bare_median": bf, "app_median": af, "ratio": af / bf,
        },
        "rss_after_10s_kib": {"bare": bare_rss, "app": app_rss, "ratio": app_rss as f64 / bare_rss as f64},
        "cpu_percent_of_a_core": {"seconds": cpu_secs, "bare": bare_cpu, "app": app_cpu},
        "approval_to_signed_in_ms": {
            "interval_s": 2,
            "samples": approval.clone(),
            "min": approval.iter().cloned().fold(f64::INFINITY, f64::min),
            "median": median(approval.clone()),
            "max": approval.iter().cloned().fold(0.0, f64::max),
        },
    }))
}

fn main() {
    match run() {
        Ok(v) => println!("{v}"),
        Err(e) => {
            eprintln!("bench_gui: {e}");
            std::process::exit(1);
        }
    }
}
