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

/// Whether the window is a client of cage, the kiosk compositor the .deb's
/// unit runs (`cage -- device-signin`, so cage is the parent process). cage
/// sizes every window to its output by itself, so full screen need not be
/// asked for. And cage 0.1.4 (Debian 12) never shows a new frame of a
/// window without decorations: the client goes on committing frames (seen
/// with `WAYLAND_DEBUG=client`) while the output keeps its first one, or
/// nothing. A window with winit's client-side decorations (subsurfaces)
/// is repainted normally; cage maximises it, so only a strip the height of
/// the title bar stays unused at the bottom.
pub fn compositor_sizes_windows(backend: Backend) -> bool {
    backend == Backend::Wayland && parent_name().as_deref() == Some("cage")
}

/// The parent process's name (`/proc/<ppid>/comm`).
fn parent_name() -> Option<String> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
    let after = &stat[stat.rfind(')')? + 1..];
    let ppid: u32 = after.split_whitespace().nth(1)?.parse().ok()?;
    let comm = std::fs::read_to_string(format!("/proc/{ppid}/comm")).ok()?;
    Some(comm.trim_end().to_owned())
}

fn non_empty(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

/// The Wayland socket `WAYLAND_DISPLAY` names, when it is set.
pub fn wayland_socket_path() -> Option<PathBuf> {
    wayland_socket(&non_empty("WAYLAND_DISPLAY")?).ok()
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
    let mut c = Connection::open(path, timeout)?;
    c.send(1, 0, &[2])?;
    c.events_until_done(2)?;
    Ok(())
}

/// The logical size of the compositor's first output (its current mode
/// divided by its scale), so that the first frame is drawn at the size it
/// will be shown at. `None` when there is no output or it does not say.
pub fn wayland_output_size(path: &Path, timeout: Duration) -> Option<(u32, u32)> {
    let mut c = Connection::open(path, timeout).ok()?;
    // wl_display.get_registry (id 2), then a sync (id 3) to collect globals.
    c.send(1, 1, &[2]).ok()?;
    c.send(1, 0, &[3]).ok()?;
    let output = c
        .events_until_done(3)
        .ok()?
        .into_iter()
        .find_map(|(object, opcode, args)| {
            // wl_registry.global(name, interface, version)
            if (object, opcode) != (2, 0) {
                return None;
            }
            let (name, _) = word(&args, 0)?;
            let (interface, after) = string(&args, 4)?;
            let version = word(&args, after)?.0;
            (interface == "wl_output").then_some((name, version))
        })?;
    // wl_registry.bind(name, "wl_output", version, new id 4), then a sync (5).
    let version = output.1.min(2);
    let mut args = vec![output.0];
    args.extend(string_words("wl_output"));
    args.extend([version, 4]);
    c.send(2, 0, &args).ok()?;
    c.send(1, 0, &[5]).ok()?;
    let (mut mode, mut scale) = (None, 1u32);
    for (object, opcode, args) in c.events_until_done(5).ok()? {
        match (object, opcode) {
            // wl_output.mode(flags, width, height, refresh); flag 1 = current
            (4, 1) if word(&args, 0).is_some_and(|(f, _)| f & 1 == 1) => {
                mode = Some((word(&args, 4)?.0, word(&args, 8)?.0));
            }
            // wl_output.scale(factor)
            (4, 3) => scale = word(&args, 0)?.0.max(1),
            _ => {}
        }
    }
    let (w, h) = mode?;
    (w > 0 && h > 0).then(|| (w / scale, h / scale))
}

fn word(args: &[u8], at: usize) -> Option<(u32, usize)> {
    let b = args.get(at..at + 4)?;
    Some((u32::from_ne_bytes([b[0], b[1], b[2], b[3]]), at + 4))
}

/// A wire string at `at`: its length (with the NUL), the bytes, padding.
fn string(args: &[u8], at: usize) -> Option<(String, usize)> {
    let (len, start) = word(args, at)?;
    let len = len as usize;
    let bytes = args.get(start..start + len.checked_sub(1)?)?;
    let next = start + len.div_ceil(4) * 4;
    Some((String::from_utf8_lossy(bytes).into_owned(), next))
}

fn string_words(s: &str) -> Vec<u32> {
    let mut bytes = s.as_bytes().to_vec();
    bytes.push(0);
    let len = bytes.len() as u32;
    bytes.resize(bytes.len().div_ceil(4) * 4, 0);
    let mut words = vec![len];
    words.extend(
        bytes
            .chunks(4)
            .map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]])),
    );
    words
}

/// Just enough of the Wayland wire protocol to ask a compositor a question
/// before winit connects: requests out, whole events in, a deadline.
struct Connection {
    stream: UnixStream,
    deadline: Instant,
    timeout: Duration,
    buf: Vec<u8>,
}

impl Connection {
    fn open(path: &Path, timeout: Duration) -> Result<Self, String> {
        let stream =
            UnixStream::connect(path).map_err(|e| format!("does not accept a connection ({e})"))?;
        Ok(Self {
            stream,
            deadline: Instant::now() + timeout,
            timeout,
            buf: Vec::new(),
        })
    }

    /// A request: object id, then size << 16 | opcode, then the arguments.
    fn send(&mut self, object: u32, opcode: u32, args: &[u32]) -> Result<(), String> {
        let size = 8 + 4 * args.len() as u32;
        let mut msg = Vec::with_capacity(size as usize);
        for w in [object, size << 16 | opcode].iter().chain(args) {
            msg.extend_from_slice(&w.to_ne_bytes());
        }
        self.stream
            .write_all(&msg)
            .map_err(|e| format!("closed the connection ({e})"))
    }

    /// Every event until `wl_callback.done` on `callback`.
    fn events_until_done(&mut self, callback: u32) -> Result<Vec<(u32, u32, Vec<u8>)>, String> {
        let mut events = Vec::new();
        loop {
            while self.buf.len() >= 8 {
                let (object, _) = word(&self.buf, 0).unwrap_or_default();
                let (header, _) = word(&self.buf, 4).unwrap_or_default();
                let (size, opcode) = ((header >> 16) as usize, header & 0xffff);
                if size < 8 {
                    return Err("sent a malformed message".into());
                }
                if self.buf.len() < size {
                    break;
                }
                let args = self.buf[8..size].to_vec();
                self.buf.drain(..size);
                if object == callback && opcode == 0 {
                    return Ok(events);
                }
                if object == 1 && opcode == 0 {
                    return Err("refused the connection (wl_display.error)".into());
                }
                events.push((object, opcode, args));
            }
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(format!(
                    "accepted the connection but did not answer within {} s",
                    self.timeout.as_secs_f32().ceil()
                ));
            }
            self.stream
                .set_read_timeout(Some(left))
                .map_err(|e| e.to_string())?;
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err("closed the connection".into()),
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(format!("failed: {e}")),
            }
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
    fn the_parent_process_is_found_and_is_not_cage_here() {
        assert!(parent_name().is_some_and(|n| !n.is_empty()));
        assert!(!compositor_sizes_windows(Backend::X11));
    }

    #[test]
    fn no_listener_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = wayland_round_trip(&dir.path().join("none"), ANSWER_TIMEOUT).unwrap_err();
        assert!(err.contains("does not accept a connection"), "{err}");
    }
}
