//! The one key map: every remote-control key the app understands.
//!
//! TV remotes (HDMI-CEC and IR through the kernel, Bluetooth/HID) and
//! keyboards all arrive as keyboard keys. Nothing else in the app looks at
//! keys.
//!
//! | command | keys |
//! |---|---|
//! | arrows | the arrow keys |
//! | OK | Enter, keypad Enter, Select, Space; `KEY_OK` (352: CEC, IR) and `KEY_SELECT` (353: Bluetooth) by physical code |
//! | Back | Escape, BackSpace, XF86Back (`KEY_BACK`, 158), XF86Close (`KEY_EXIT`, 174: CEC "Exit"), by key or by physical code |
//! | Home | XF86HomePage (`KEY_HOMEPAGE`, 172): back to the first screen |
//! | Menu | ContextMenu, `KEY_MENU` (139): ignored, there is no menu |
//!
//! Debian 12's keymap has no key symbol for `KEY_OK` and `KEY_SELECT` and
//! winit has no name for XF86OK or XF86Select, so those arrive as
//! `Key::Unidentified` with the physical code kept; iced keeps the code as
//! the evdev number (the XKB keycode minus 8). X11 (and Xwayland) carry key
//! codes up to 255 only (evdev 247): a CEC or Bluetooth remote's OK cannot
//! reach an X11 client at all, only a Wayland one.

use iced::keyboard::key::{NativeCode, Physical};
use iced::keyboard::{self, Key, key::Named};

/// evdev key codes (linux/input-event-codes.h) that arrive without a name.
pub mod evdev {
    /// CEC "Select", most IR remotes' OK.
    pub const KEY_OK: u32 = 352;
    /// Bluetooth/HID remotes' OK ("Menu Pick").
    pub const KEY_SELECT: u32 = 353;
    /// AC Back.
    pub const KEY_BACK: u32 = 158;
    /// CEC "Exit", which is how a TV's Back reaches the app.
    pub const KEY_EXIT: u32 = 174;
    /// Home.
    pub const KEY_HOMEPAGE: u32 = 172;
    /// Menu.
    pub const KEY_MENU: u32 = 139;
    /// The highest evdev code an X11 client can receive (X keycodes stop at 255).
    pub const X11_MAX: u32 = 247;
}

/// What a key press asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Move(Direction),
    /// OK: activate the focused element.
    Activate,
    Back,
    /// Home: the first screen.
    Home,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Left,
    Right,
}

impl Command {
    /// The command in a mirrored (right-to-left) layout: rows are drawn
    /// reversed, so Left moves to the next element in reading order. The
    /// arrows still move the focus the way they point on screen.
    pub fn mirrored(self) -> Self {
        match self {
            Command::Move(Direction::Left) => Command::Move(Direction::Right),
            Command::Move(Direction::Right) => Command::Move(Direction::Left),
            other => other,
        }
    }
}

/// The key map. Enter covers KP_Enter too (winit reports the key pad's
/// Enter as `Enter` with a numpad location). A held arrow repeats; a held OK
/// or Back does not, so one long press cannot skip through screens.
pub fn command(event: keyboard::Event) -> Option<Command> {
    let keyboard::Event::KeyPressed {
        key,
        physical_key,
        repeat,
        ..
    } = event
    else {
        return None;
    };
    let command = match key {
        Key::Named(Named::ArrowUp) => Command::Move(Direction::Up),
        Key::Named(Named::ArrowDown) => Command::Move(Direction::Down),
        Key::Named(Named::ArrowLeft) => Command::Move(Direction::Left),
        Key::Named(Named::ArrowRight) => Command::Move(Direction::Right),
        Key::Named(Named::Enter | Named::Select | Named::Space) => Command::Activate,
        Key::Character(c) if c.as_str() == " " => Command::Activate,
        Key::Named(
            Named::Escape | Named::Backspace | Named::BrowserBack | Named::GoBack | Named::Close,
        ) => Command::Back,
        Key::Named(Named::BrowserHome | Named::GoHome) => Command::Home,
        Key::Named(Named::ContextMenu) => return None,
        _ => by_code(physical_key)?,
    };
    match command {
        Command::Move(_) => Some(command),
        _ if repeat => None,
        command => Some(command),
    }
}

/// Keys without a name, by their evdev code.
fn by_code(physical: Physical) -> Option<Command> {
    let Physical::Unidentified(NativeCode::Xkb(code)) = physical else {
        return None;
    };
    match code {
        evdev::KEY_OK | evdev::KEY_SELECT => Some(Command::Activate),
        evdev::KEY_BACK | evdev::KEY_EXIT => Some(Command::Back),
        evdev::KEY_HOMEPAGE => Some(Command::Home),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced::keyboard::{Location, Modifiers, key};

    fn press(key: Key) -> keyboard::Event {
        press_code(key, key::NativeCode::Unidentified)
    }

    /// A key as Wayland delivers it: `key`, with evdev code `code`.
    fn press_code(key: Key, code: key::NativeCode) -> keyboard::Event {
        keyboard::Event::KeyPressed {
            key: key.clone(),
            modified_key: key,
            physical_key: key::Physical::Unidentified(code),
            location: Location::Standard,
            modifiers: Modifiers::empty(),
            text: None,
            repeat: false,
        }
    }

    fn held(key: Key) -> keyboard::Event {
        match press(key) {
            keyboard::Event::KeyPressed {
                key,
                modified_key,
                physical_key,
                location,
                modifiers,
                text,
                ..
            } => keyboard::Event::KeyPressed {
                key,
                modified_key,
                physical_key,
                location,
                modifiers,
                text,
                repeat: true,
            },
            other => other,
        }
    }

    #[test]
    fn a_held_arrow_repeats_but_a_held_ok_or_back_does_not() {
        assert_eq!(
            command(held(Key::Named(Named::ArrowRight))),
            Some(Command::Move(Direction::Right))
        );
        assert_eq!(command(held(Key::Named(Named::Enter))), None);
        assert_eq!(command(held(Key::Named(Named::Escape))), None);
    }

    #[test]
    fn the_key_pad_enter_activates() {
        let mut event = press(Key::Named(Named::Enter));
        if let keyboard::Event::KeyPressed { location, .. } = &mut event {
            *location = Location::Numpad;
        }
        assert_eq!(command(event), Some(Command::Activate));
    }

    #[test]
    fn ok_keys_activate() {
        for named in [Named::Enter, Named::Select, Named::Space] {
            assert_eq!(command(press(Key::Named(named))), Some(Command::Activate));
        }
    }

    #[test]
    fn back_keys_go_back() {
        for named in [Named::Escape, Named::Backspace, Named::BrowserBack] {
            assert_eq!(command(press(Key::Named(named))), Some(Command::Back));
        }
    }

    fn unnamed(code: u32) -> keyboard::Event {
        press_code(Key::Unidentified, key::NativeCode::Xkb(code))
    }

    #[test]
    fn a_cec_or_ir_remotes_ok_key_ok_352_activates_by_its_physical_code() {
        assert_eq!(command(unnamed(evdev::KEY_OK)), Some(Command::Activate));
    }

    #[test]
    fn a_bluetooth_remotes_ok_key_select_353_activates_by_its_physical_code() {
        assert_eq!(command(unnamed(evdev::KEY_SELECT)), Some(Command::Activate));
    }

    #[test]
    fn a_cec_exit_xf86close_goes_back_by_name_and_by_code() {
        assert_eq!(
            command(press(Key::Named(Named::Close))),
            Some(Command::Back)
        );
        assert_eq!(command(unnamed(evdev::KEY_EXIT)), Some(Command::Back));
        assert_eq!(command(unnamed(evdev::KEY_BACK)), Some(Command::Back));
    }

    #[test]
    fn home_xf86homepage_goes_to_the_first_screen_and_menu_is_ignored() {
        assert_eq!(
            command(press(Key::Named(Named::BrowserHome))),
            Some(Command::Home)
        );
        assert_eq!(command(unnamed(evdev::KEY_HOMEPAGE)), Some(Command::Home));
        assert_eq!(command(press(Key::Named(Named::ContextMenu))), None);
        assert_eq!(command(unnamed(evdev::KEY_MENU)), None);
    }

    #[test]
    fn a_held_remote_ok_does_not_repeat() {
        let mut event = unnamed(evdev::KEY_OK);
        if let keyboard::Event::KeyPressed { repeat, .. } = &mut event {
            *repeat = true;
        }
        assert_eq!(command(event), None);
    }

    #[test]
    fn other_unnamed_codes_do_nothing() {
        for code in [0, 240, 351, 354, 0x1008_1160] {
            assert_eq!(command(unnamed(code)), None, "{code}");
        }
    }

    #[test]
    fn arrows_move_focus_and_other_keys_do_nothing() {
        assert_eq!(
            command(press(Key::Named(Named::ArrowLeft))),
            Some(Command::Move(Direction::Left))
        );
        assert_eq!(command(press(Key::Character("a".into()))), None);
    }
}
