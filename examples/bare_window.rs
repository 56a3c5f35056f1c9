//! A bare iced window with the app's iced features and a single text: the
//! baseline for benchmarks (first frame, RSS, CPU) of the real app.
//!
//! `cargo run --release --example bare_window` (add `--features wgpu` and
//! `ICED_BACKEND=wgpu` to compare renderers).

use iced::Element;
use iced::widget::text;

fn view(_: &()) -> Element<'_, ()> {
    text("device-signin: bare window").size(48).into()
}

fn main() -> iced::Result {
    iced::application(|| (), |_: &mut (), _: ()| {}, view)
        .title("bare window")
        .run()
}
