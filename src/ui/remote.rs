//! The one key map: every remote-control key the app understands.
//!
//! TV remotes, HDMI-CEC (through the kernel) and keyboards all arrive as
//! keyboard keys. Nothing else in the app looks at keys.

use iced::keyboard::{self, Key, key::Named};

/// What a key press asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Move(Direction),
    /// OK: activate the focused element.
    Activate,
    Back,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Left,
    Right,
}

/// The key map. Enter covers KP_Enter too (winit reports the key pad's
/// Enter as `Enter` with a numpad location). A held arrow repeats; a held OK
/// or Back does not, so one long press cannot skip through screens.
pub fn command(event: keyboard::Event) -> Option<Command> {
    let keyboard::Event::KeyPressed { key, repeat, .. } = event else {
        return None;
    };
    let command = match key {
        Key::Named(Named::ArrowUp) => Command::Move(Direction::Up),
        Key::Named(Named::ArrowDown) => Command::Move(Direction::Down),
        Key::Named(Named::ArrowLeft) => Command::Move(Direction::Left),
        Key::Named(Named::ArrowRight) => Command::Move(Direction::Right),
        Key::Named(Named::Enter | Named::Select | Named::Space) => Command::Activate,
        Key::Character(c) if c.as_str() == " " => Command::Activate,
        Key::Named(Named::Escape | Named::Backspace | Named::BrowserBack | Named::GoBack) => {
            Command::Back
        }
        _ => return None,
    };
    match command {
        Command::Activate | Command::Back if repeat => None,
        command => Some(command),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced::keyboard::{Location, Modifiers, key};

    fn press(key: Key) -> keyboard::Event {
        keyboard::Event::KeyPressed {
            key: key.clone(),
            modified_key: key,
            physical_key: key::Physical::Unidentified(key::NativeCode::Unidentified),
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

    #[test]
    fn arrows_move_focus_and_other_keys_do_nothing() {
        assert_eq!(
            command(press(Key::Named(Named::ArrowLeft))),
            Some(Command::Move(Direction::Left))
        );
        assert_eq!(command(press(Key::Character("a".into()))), None);
    }
}
