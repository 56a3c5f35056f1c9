//! The kiosk GUI (iced). Owned by the GUI work.

use crate::cli::GuiArgs;

pub fn run(_args: GuiArgs) -> u8 {
    eprintln!("device-signin: the full-screen app is not built yet; use `device-signin login`");
    crate::exit::CONFIG
}
