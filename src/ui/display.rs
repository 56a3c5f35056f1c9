//! Is there a display to open a window on? iced (winit) panics when it
//! cannot connect, so the app asks first and says what is wrong instead.

use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

/// `Ok` when a Wayland or X11 display answers; else why not, in words.
pub fn check() -> Result<(), String> {
    let wayland = non_empty("WAYLAND_DISPLAY");
    let x11 = non_empty("DISPLAY");
    if wayland.is_none() && x11.is_none() {
        return Err("no display: neither DISPLAY nor WAYLAND_DISPLAY is set".into());
    }
    if let Some(name) = &wayland
        && wayland_answers(name)
    {
        return Ok(());
    }
    // winit falls back to X11 when Wayland is unavailable.
    if let Some(display) = &x11 {
        if x11_answers(display) {
            return Ok(());
        }
        return Err(format!("the X display `{display}` does not answer"));
    }
    Err(format!(
        "the Wayland display `{}` does not answer",
        wayland.unwrap_or_default()
    ))
}

fn non_empty(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

fn wayland_answers(name: &str) -> bool {
    let path = if name.starts_with('/') {
        PathBuf::from(name)
    } else {
        match non_empty("XDG_RUNTIME_DIR") {
            Some(dir) => PathBuf::from(dir).join(name),
            None => return false,
        }
    };
    UnixStream::connect(path).is_ok()
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
