//! A bare iced window with the app's iced features and a single text: the
//! baseline for benchmarks (first frame, RSS, CPU) of the real app.
//!
//! `cargo run --release --example bare_window` (add `--features wgpu` and
//! `ICED_BACKEND=wgpu` to compare renderers).

use iced::widget::text;
use iced::{Element, Subscription, window};

/// Whether the first frame was reported.
type State = bool;

fn view(_: &State) -> Element<'_, ()> {
    text("device-signin: bare window").size(48).into()
}

fn update(reported: &mut State, _: ()) {
    if !*reported {
        *reported = true;
        // The same probe as the app's: the benchmark waits for this line.
        eprintln!("first frame");
    }
}

/// Frames are listened to only until the first one, as in the app.
fn subscription(reported: &State) -> Subscription<()> {
    if *reported {
        Subscription::none()
    } else {
        window::frames().map(|_| ())
    }
}

fn main() -> iced::Result {
    iced::application(|| false, update, view)
        .title("bare window")
        .subscription(subscription)
        // Full screen like the app, so both draw the same number of pixels.
        .window(window::Settings {
            size: iced::Size::new(1920.0, 1080.0),
            fullscreen: true,
            decorations: false,
            ..window::Settings::default()
        })
        .run()
}
