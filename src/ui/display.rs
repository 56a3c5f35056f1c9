//! Is there a display to open a window on? iced (winit) panics when it
//! cannot connect, and hangs when a compositor accepts the connection but
//! never answers, so the app asks first and says what is wrong instead.

use std::io::{Read as _, Write as _};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a compositor has to answer a round trip.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(3);

/// The display the window will open on (winit prefers Wayland).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Wayland,
    X11,
}

/// The display that answers, or why none does, in words.
pub fn check() -> Result<Backend, String> {
    let wayland = non_empty("WAYLAND_DISPLAY");
    let x11 = non_empty("DISPLAY");
    if wayland.is_none() && x11.is_none() {
        return Err("no display: neither DISPLAY nor WAYLAND_DISPLAY is set".into());
    }
    let mut wayland_problem = None;
    if let Some(name) = &wayland {
        match wayland_socket(name).and_then(|path| wayland_round_trip(&path, ANSWER_TIMEOUT)) {
            Ok(()) => return Ok(Backend::Wayland),
            Err(why) => wayland_problem = Some(format!("the Wayland display `{name}` {why}")),
        }
    }
    // winit falls back to X11 when Wayland is unavailable.
    if let Some(x_display) = &x11 {
        if x11_answers(x_display) {
            if let Some(why) = &wayland_problem {
                tracing::warn!("{why}; using X11 `{x_display}`");
            }
            return Ok(Backend::X11);
        }
        return Err(format!("the X display `{x_display}` does not answer"));
    }
    Err(wayland_problem.unwrap_or_else(|| "no display".into()))
}

fn non_empty(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

fn wayland_socket(name: &str) -> Result<PathBuf, String> {
    if name.starts_with('/') {
        return Ok(PathBuf::from(name));
    }
    match non_empty("XDG_RUNTIME_DIR") {
        Some(dir) => Ok(PathBuf::from(dir).join(name)),
        None => Err("cannot be found: XDG_RUNTIME_DIR is not set".into()),
    }
}

/// Connect and do one `wl_display.sync` round trip: the compositor must
/// answer with `wl_callback.done` within `timeout`.
pub fn wayland_round_trip(path: &Path, timeout: Duration) -> Result<(), String> {
    let mut stream =
        UnixStream::connect(path).map_err(|e| format!("does not accept a connection ({e})"))?;
    // wl_display (object 1), request 0 `sync`, new_id 2; the header's second
    // word is the message size (12 bytes) << 16 | the opcode.
    let mut sync = Vec::with_capacity(12);
    for word in [1u32, 12 << 16, 2] {
        sync.extend_from_slice(&word.to_ne_bytes());
    }
    stream
        .write_all(&sync)
        .map_err(|e| format!("closed the connection ({e})"))?;
    let deadline = Instant::now() + timeout;
    let mut buf = Vec::new();
    loop {
        // Events are whole messages: object id, size << 16 | opcode, args.
        while buf.len() >= 8 {
            let word = |i: usize| u32::from_ne_bytes([buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]);
            let (object, size, opcode) = (word(0), (word(4) >> 16) as usize, word(4) & 0xffff);
            if size < 8 {
                return Err("sent a malformed message".into());
            }
            if buf.len() < size {
                break;
            }
            if object == 2 && opcode == 0 {
                return Ok(());
            }
            if object == 1 && opcode == 0 {
                return Err("refused the connection (wl_display.error)".into());
            }
            buf.drain(..size);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(format!(
                "accepted the connection but did not answer within {} s",
                timeout.as_secs()
            ));
        }
        stream
            .set_read_timeout(Some(left))
            .map_err(|e| e.to_string())?;
        let mut chunk = [0u8; 512];
        match stream.read(&mut chunk) {
            Ok(0) => return Err("closed the connection".into()),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(format!("failed: {e}")),
        }
    }
}

/// `:0`, `:0.0`, `unix:0` (local socket) or `host:0` (TCP 6000 + n).
fn x11_answers(display: &str) -> bool {
    let Some((host, rest)) = display.rsplit_once(':') else {
        return false;
    };
    let Some(number) = rest.split('.').next().and_then(|n| n.parse::<u16>().ok()) else {
        return false;
    };
    if host.is_empty() || host == "unix" {
        let path = format!("/tmp/.X11-unix/X{number}");
        return UnixStream::connect(&path).is_ok() || abstract_socket_answers(&path);
    }
    let Some(port) = 6000u16.checked_add(number) else {
        return false;
    };
    (host, port)
        .to_socket_addrs()
        .ok()
        .into_iter()
        .flatten()
        .any(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok())
}

/// X servers on Linux also listen on an abstract socket of the same name.
#[cfg(target_os = "linux")]
fn abstract_socket_answers(path: &str) -> bool {
    use std::os::linux::net::SocketAddrExt as _;
    std::os::unix::net::SocketAddr::from_abstract_name(path.as_bytes())
        .and_then(|addr| UnixStream::connect_addr(&addr))
        .is_ok()
}

#[cfg(not(target_os = "linux"))]
fn abstract_socket_answers(_: &str) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use std::os::unix::net::UnixListener;

    use super::*;

    #[test]
    fn a_compositor_that_accepts_but_never_answers_is_an_error_within_the_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wayland-silent");
        let listener = UnixListener::bind(&path).unwrap();
        let keep = std::thread::spawn(move || listener.accept().map(|(s, _)| s));
        let started = Instant::now();
        let err = wayland_round_trip(&path, Duration::from_millis(300)).unwrap_err();
        assert!(err.contains("did not answer"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(2));
        drop(keep.join());
    }

    #[test]
    fn a_compositor_that_answers_the_sync_passes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wayland-ok");
        let listener = UnixListener::bind(&path).unwrap();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut req = [0u8; 12];
            s.read_exact(&mut req).unwrap();
            // delete_id first (another event), then wl_callback.done.
            for words in [[1u32, 12 << 16 | 1, 3], [2, 12 << 16, 42]] {
                for w in words {
                    s.write_all(&w.to_ne_bytes()).unwrap();
                }
            }
            s
        });
        wayland_round_trip(&path, Duration::from_secs(2)).unwrap();
        drop(server.join());
    }

    #[test]
    fn no_listener_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = wayland_round_trip(&dir.path().join("none"), ANSWER_TIMEOUT).unwrap_err();
        assert!(err.contains("does not accept a connection"), "{err}");
    }
}
