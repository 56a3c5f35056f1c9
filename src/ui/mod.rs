//! The kiosk GUI (iced 0.14): full screen, driven by a remote.
//!
//! - `app`: the root state, messages, update, view and subscription;
//! - `screen/`: one file per screen;
//! - `flow`: the sign-in flow as a subscription, keyed by the attempt;
//! - `remote`: the one key map; `focus`: focus as app state;
//! - `theme`: sizes, colours, fonts, the safe area and scaling.

pub mod app;
pub mod flow;
pub mod focus;
pub mod remote;
pub mod screen;
pub mod theme;
pub mod widget;

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

use iced::{Size, Task, window};

use crate::cli::GuiArgs;
use crate::exit;

/// Runs the app; returns the process exit code (the same codes as `login`).
pub fn run(args: GuiArgs) -> u8 {
    choose_renderer();
    if !has_display() {
        eprintln!(
            "device-signin: no display: neither DISPLAY nor WAYLAND_DISPLAY is set.\n\
             Start it inside an X11 or Wayland session, or sign in from a terminal \
             with `device-signin login`."
        );
        return exit::CONFIG;
    }
    // A broken providers file is reported before any window opens.
    let providers = match crate::config::select_providers(&args.common) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("device-signin: {e}");
            return exit::CONFIG;
        }
    };
    let options = app::Options {
        kiosk: !args.windowed,
        stay: args.stay,
        data_dir: args.common.data_dir.clone(),
    };
    let kiosk = options.kiosk;
    let exit_code = Arc::new(AtomicU8::new(exit::INTERRUPTED));
    let shared = Arc::clone(&exit_code);
    let boot = move || {
        let state = app::State::new(providers.clone(), options.clone(), Instant::now())
            .sharing_exit_code(Arc::clone(&shared));
        let task = if kiosk {
            window::oldest().and_then(|id| {
                window::monitor_size(id).map(move |size| app::Message::Monitor(id, size))
            })
        } else {
            Task::none()
        };
        (state, task)
    };
    let result = iced::application(
        boot,
        |state: &mut app::State, message| {
            state.set_now(Instant::now());
            state.update(message)
        },
        app::State::view,
    )
    .title("Sign in")
    .subscription(app::State::subscription)
    .theme(|_: &app::State| theme::theme())
    .font(theme::SANS_REGULAR)
    .font(theme::SANS_BOLD)
    .font(theme::MONO_BOLD)
    .default_font(theme::BODY)
    .window(window_settings(kiosk))
    .run();
    match result {
        Ok(()) => exit_code.load(Ordering::Relaxed),
        Err(e) => {
            eprintln!("device-signin: cannot open the window: {e}");
            exit::CONFIG
        }
    }
}

fn window_settings(kiosk: bool) -> window::Settings {
    window::Settings {
        size: if kiosk {
            theme::Metrics::BASE
        } else {
            Size::new(1280.0, 720.0)
        },
        fullscreen: kiosk,
        decorations: !kiosk,
        exit_on_close_request: true,
        ..window::Settings::default()
    }
}

fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// tiny-skia is the default: on a GPU-less kiosk it is ~0.5 % CPU and ~27 MB,
/// against ~5 % and ~150 MB for wgpu on llvmpipe. A build with the `wgpu`
/// feature keeps wgpu for machines with a real GPU: `ICED_BACKEND=wgpu`.
fn choose_renderer() {
    #[cfg(feature = "wgpu")]
    if std::env::var_os("ICED_BACKEND").is_none() {
        // SAFETY: this runs first thing in `run`, called from `main` before
        // the app starts any thread (the tokio runtime, the demo server and
        // iced's executor all start later), so no other thread can be reading
        // the environment concurrently.
        unsafe { std::env::set_var("ICED_BACKEND", "tiny-skia") };
    }
}
