//! The kiosk GUI (iced 0.14): full screen, driven by a remote.
//!
//! - `app`: the root state, messages, update, view and subscription;
//! - `screen/`: one file per screen;
//! - `flow`: the sign-in flow as a subscription, keyed by the attempt;
//! - `remote`: the one key map; `focus`: focus as app state;
//! - `theme`: sizes, colours, fonts, the safe area and scaling.

pub mod actions;
pub mod app;
mod display;
pub mod flow;
pub mod focus;
pub mod gamepad;
pub mod remote;
pub mod screen;
pub mod session;
pub mod theme;
pub mod widget;

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

use iced::{Size, Task, window};

use crate::exit;

/// How the GUI was asked to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub common: crate::config::Options,
    /// In a window instead of full screen.
    pub windowed: bool,
    /// Stay on the signed-in screen instead of exiting.
    pub stay: bool,
    /// A game controller's East (B) is OK and South (A) is Back.
    pub gamepad_swap_ok_back: bool,
    /// The high-contrast look (or the providers file's `high_contrast`).
    pub high_contrast: bool,
    /// After a sign-in (fresh or restored), run this command in this
    /// process's place (`--exec PROGRAM ARGS…`).
    pub exec: Vec<std::ffi::OsString>,
}

/// The window's Wayland `app_id` (X11 class), the name of
/// `packaging/device-signin.desktop`.
pub const APP_ID: &str = "device-signin";

/// Runs the app; returns the process exit code (the same codes as `login`).
pub fn run(args: RunOptions) -> u8 {
    choose_renderer();
    let backend = match display::check() {
        Ok(display::Backend::X11) => {
            if std::env::var_os("WAYLAND_DISPLAY").is_some() {
                // SAFETY: as in `choose_renderer`: no other thread runs yet.
                // winit would try the Wayland display that did not answer.
                unsafe { std::env::remove_var("WAYLAND_DISPLAY") };
            }
            tracing::info!(
                "X11 carries key codes up to 247 only: a CEC remote's OK (KEY_OK) and a \
                 Bluetooth remote's (KEY_SELECT) cannot arrive; run under Wayland (cage) for them"
            );
            display::Backend::X11
        }
        Ok(display::Backend::Wayland) => display::Backend::Wayland,
        Err(why) => {
            eprintln!(
                "device-signin: {why}.\n\
                 Start it inside an X11 or Wayland session, or sign in from a terminal \
                 with `device-signin login`."
            );
            return exit::CONFIG;
        }
    };
    let sized_by_compositor = display::compositor_sizes_windows(backend);
    if sized_by_compositor {
        tracing::info!("cage sizes the window to its output: full screen is not requested");
    }
    // The first frame at the output's size, not at a guess that the
    // compositor then crops.
    let output = (backend == display::Backend::Wayland && !args.windowed)
        .then(display::wayland_socket_path)
        .flatten()
        .and_then(|path| display::wayland_output_size(&path, display::ANSWER_TIMEOUT))
        .map(|(w, h)| Size::new(w as f32, h as f32));
    // A broken providers file is reported before any window opens.
    let selection = match crate::config::select_providers(&args.common) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("device-signin: {}", crate::terminal::plain(&e.to_string()));
            return exit::CONFIG;
        }
    };
    let mut lang = selection.language(&args.common);
    let high_contrast = args.high_contrast || selection.settings.high_contrast.unwrap_or(false);
    let device_name = selection.device_name();
    let mut providers = selection.providers;
    crate::signin::name_the_device(&mut providers, device_name.as_deref());
    let stored = stored_sign_ins(&providers, args.common.data_dir.as_deref());
    if !register_fonts(lang) {
        tracing::warn!(
            lang = lang.tag(),
            "no CJK font is installed, so the screens are in English: install fonts-noto-cjk \
             (or fonts-ipafont-gothic)"
        );
        lang = crate::i18n::Lang::En;
    }
    tracing::info!(lang = lang.tag(), high_contrast, "language and look");
    crate::signin::pass_the_language(&mut providers, lang);
    // Build the HTTP client (it parses the CA store) while the window opens.
    std::thread::spawn(|| drop(crate::signin::shared_http()));
    // The embedded demo server, when there is one, lives as long as the app.
    let _demo = selection.demo;
    let options = app::Options {
        kiosk: !args.windowed,
        stay: args.stay,
        data_dir: args.common.data_dir.clone(),
        gamepad_swap_ok_back: args.gamepad_swap_ok_back,
        lang,
        high_contrast,
        device_name,
    };
    let kiosk = options.kiosk;
    let exit_code = Arc::new(AtomicU8::new(exit::INTERRUPTED));
    let shared = Arc::clone(&exit_code);
    let signed_in = Arc::new(std::sync::Mutex::new(None));
    let shared_signed_in = Arc::clone(&signed_in);
    let boot = move || {
        let state = app::State::with_stored(
            providers.clone(),
            stored.clone(),
            options.clone(),
            Instant::now(),
        )
        .sharing_exit_code(Arc::clone(&shared))
        .sharing_signed_in_provider(Arc::clone(&shared_signed_in));
        tracing::info!(screen = %state.screen().name(), "screen");
        // The bare-X11 fallback to full screen (cover the monitor); a
        // compositor that sizes the window itself must not be asked.
        let task = if kiosk && !sized_by_compositor {
            window::oldest().and_then(|id| {
                window::monitor_size(id).map(move |size| app::Message::Monitor(id, size))
            })
        } else {
            Task::none()
        };
        (state, task)
    };
    let app = iced::application(
        boot,
        |state: &mut app::State, message| {
            state.set_now(Instant::now());
            let before = state.screen().name();
            let task = state.update(message);
            let after = state.screen().name();
            if before != after {
                tracing::info!(screen = %after, "screen");
            }
            task
        },
        app::State::view,
    )
    .title(move |_: &app::State| lang.t("window-title"))
    .subscription(app::State::subscription)
    .theme(|state: &app::State| theme::theme(state.palette()))
    .default_font(theme::BODY)
    .window(window_settings(kiosk, sized_by_compositor, output));
    match run_catching_display_panic(move || app.run()) {
        Ok(Ok(())) => {
            let code = exit_code.load(Ordering::Relaxed);
            let provider = signed_in.lock().ok().and_then(|p| p.clone());
            match (code, provider) {
                (exit::SIGNED_IN, Some(provider)) if !args.exec.is_empty() => {
                    crate::handoff::exec(&args.exec, &args.common, &provider)
                }
                _ => code,
            }
        }
        Ok(Err(e)) => {
            eprintln!("device-signin: cannot open the window: {e}");
            exit::CONFIG
        }
        Err(why) => {
            eprintln!("device-signin: cannot connect to the display: {why}");
            exit::CONFIG
        }
    }
}

/// What is stored for each provider, read before the window opens (a few
/// small files). One that cannot be read counts as none, with a warning:
/// the person signs in again, and saving then reports the problem.
fn stored_sign_ins(
    providers: &[crate::provider::Provider],
    data_dir: Option<&std::path::Path>,
) -> Vec<Option<crate::session::Summary>> {
    let Ok(dir) = crate::store::resolve_dir(data_dir) else {
        return vec![None; providers.len()];
    };
    let providers: Vec<Arc<crate::provider::Provider>> =
        providers.iter().cloned().map(Arc::new).collect();
    crate::session::summaries(&providers, &dir)
        .into_iter()
        .zip(&providers)
        .map(|(found, p)| {
            found.unwrap_or_else(|e| {
                tracing::warn!(provider = %p.id, "cannot read the stored sign-in: {e}");
                None
            })
        })
        .collect()
}

/// The bundled fonts, registered in place: iced's `.font(bytes)` would copy
/// them to the heap, while the bytes are in the binary already (and its pages
/// can be dropped by the kernel when memory is short; heap pages cannot).
/// For a language that needs one, an installed CJK font too. False when such
/// a language has none (the bundled faces are loaded all the same, and the
/// screens fall back to English).
fn register_fonts(lang: crate::i18n::Lang) -> bool {
    use iced::advanced::graphics::text::{cosmic_text::fontdb::Source, font_system};
    let cjk = if lang.needs_cjk() {
        theme::cjk_font_files()
    } else {
        Vec::new()
    };
    let found = !lang.needs_cjk() || !cjk.is_empty();
    let Ok(mut system) = font_system().write() else {
        // Only a panic while the lock was held poisons it; nothing has run yet.
        return found;
    };
    let db = system.raw().db_mut();
    for bytes in [theme::SANS_REGULAR, theme::SANS_BOLD, theme::MONO_BOLD] {
        let _ = db.load_font_source(Source::Binary(Arc::new(bytes)));
    }
    // Mapped, not read: a Noto Sans CJK face is 20 MB, of which a screen
    // touches a few pages.
    for file in cjk {
        if let Err(e) = db.load_font_file(&file) {
            tracing::warn!(file = %file.display(), error = %e, "cannot load a CJK font");
        }
    }
    found
}

/// iced_winit panics ("Create event loop: …") when the display refuses the
/// connection, which `display::check` cannot always foresee (a server still
/// starting, refused authorisation). That one panic becomes an error; any
/// other panic is a bug and goes on unwinding as usual.
fn run_catching_display_panic<T>(run: impl FnOnce() -> T) -> Result<T, String> {
    const EVENT_LOOP: &str = "Create event loop";
    fn message(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
        payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
    }
    let default_hook = Arc::new(std::panic::take_hook());
    let hook = Arc::clone(&default_hook);
    std::panic::set_hook(Box::new(move |info| {
        if !message(info.payload()).is_some_and(|m| m.starts_with(EVENT_LOOP)) {
            hook(info);
        }
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
    // The app has ended: panics report as before.
    std::panic::set_hook(Box::new(move |info| default_hook(info)));
    match result {
        Ok(value) => Ok(value),
        Err(payload) => match message(payload.as_ref()) {
            Some(m) if m.starts_with(EVENT_LOOP) => Err(m.to_owned()),
            _ => std::panic::resume_unwind(payload),
        },
    }
}

/// The window: full screen in kiosk mode, unless the compositor sizes it to
/// the output anyway (cage), where asking for full screen freezes it.
fn window_settings(
    kiosk: bool,
    sized_by_compositor: bool,
    output: Option<Size>,
) -> window::Settings {
    window::Settings {
        size: match (kiosk, output) {
            (true, Some(output)) => output,
            (true, None) => theme::Metrics::BASE,
            (false, _) => Size::new(1280.0, 720.0),
        },
        fullscreen: kiosk && !sized_by_compositor,
        // See `display::compositor_sizes_windows`: under cage 0.1.4 a
        // window without decorations is never repainted.
        decorations: !kiosk || sized_by_compositor,
        exit_on_close_request: true,
        // The Wayland app_id and the X11 class: the .desktop file's name.
        platform_specific: window::settings::PlatformSpecific {
            application_id: APP_ID.to_owned(),
            ..Default::default()
        },
        ..window::Settings::default()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_display_that_refuses_the_event_loop_is_an_error_not_a_panic() {
        let result: Result<(), String> =
            run_catching_display_panic(|| panic!("Create event loop: XOpenDisplayFailed"));
        assert_eq!(result.unwrap_err(), "Create event loop: XOpenDisplayFailed");
    }

    #[test]
    #[should_panic(expected = "a bug")]
    fn other_panics_keep_unwinding() {
        let _ = run_catching_display_panic(|| panic!("a bug"));
    }
}
