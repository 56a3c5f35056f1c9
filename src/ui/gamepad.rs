//! A game controller as a remote (gilrs): the D-pad and the left stick are
//! the arrows, South (A) is OK and East (B) is Back, or the other way round
//! with `--gamepad-swap-ok-back` (Nintendo's layout); Mode (the guide
//! button) is Home. Controllers are hot-plugged.
//!
//! gilrs reads `/dev/input` through libudev on a thread of its own; iced has
//! no gamepad support. A machine with no controller, or without access to
//! `/dev/input`, starts as usual and logs one line.

use std::time::Duration;

use futures::channel::mpsc;
use gilrs::{Axis, Button, EventType};
use iced::Subscription;

use super::remote::{Command, Direction};

/// A stick deflection past this is a press of that arrow.
const PRESS: f32 = 0.6;
/// It must come back inside this before the same arrow is pressed again.
const RELEASE: f32 = 0.3;

/// The left stick's (and an axis D-pad's) state: which arrow it holds.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Stick {
    x: Option<Direction>,
    y: Option<Direction>,
}

/// What the app reads of a controller event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Input {
    Pressed(Button),
    /// A held button, repeated by gilrs.
    Repeated(Button),
    Axis(Axis, f32),
}

impl Input {
    fn of(event: &EventType) -> Option<Self> {
        Some(match *event {
            EventType::ButtonPressed(b, _) => Self::Pressed(b),
            EventType::ButtonRepeated(b, _) => Self::Repeated(b),
            EventType::AxisChanged(a, v, _) => Self::Axis(a, v),
            _ => return None,
        })
    }
}

/// The command for one controller input, if any. `swap`: East is OK and
/// South is Back.
pub fn command(input: Input, stick: &mut Stick, swap: bool) -> Option<Command> {
    let (ok, back) = if swap {
        (Button::East, Button::South)
    } else {
        (Button::South, Button::East)
    };
    let arrow = |b: Button| match b {
        Button::DPadUp => Some(Command::Move(Direction::Up)),
        Button::DPadDown => Some(Command::Move(Direction::Down)),
        Button::DPadLeft => Some(Command::Move(Direction::Left)),
        Button::DPadRight => Some(Command::Move(Direction::Right)),
        _ => None,
    };
    match input {
        Input::Pressed(b) if b == ok => Some(Command::Activate),
        Input::Pressed(b) if b == back => Some(Command::Back),
        Input::Pressed(Button::Mode) => Some(Command::Home),
        // Arrows repeat when held; OK and Back do not.
        Input::Pressed(b) | Input::Repeated(b) => arrow(b),
        Input::Axis(Axis::LeftStickX | Axis::DPadX, value) => {
            deflect(&mut stick.x, value, Direction::Left, Direction::Right)
        }
        // gilrs: up is positive on the Y axes.
        Input::Axis(Axis::LeftStickY | Axis::DPadY, value) => {
            deflect(&mut stick.y, value, Direction::Down, Direction::Up)
        }
        Input::Axis(..) => None,
    }
}

/// One axis: a press when it leaves the centre, nothing while it is held,
/// re-armed when it comes back.
fn deflect(
    held: &mut Option<Direction>,
    value: f32,
    negative: Direction,
    positive: Direction,
) -> Option<Command> {
    let towards = if value <= -PRESS {
        Some(negative)
    } else if value >= PRESS {
        Some(positive)
    } else {
        None
    };
    match (towards, *held) {
        (Some(d), h) if h != Some(d) => {
            *held = Some(d);
            Some(Command::Move(d))
        }
        (None, Some(_)) if value.abs() < RELEASE => {
            *held = None;
            None
        }
        _ => None,
    }
}

/// The controllers' commands, for as long as the app runs.
pub fn subscription(swap: bool) -> Subscription<Command> {
    Subscription::run_with(swap, |swap| {
        let swap = *swap;
        let (tx, rx) = mpsc::unbounded();
        let spawned = std::thread::Builder::new()
            .name("gamepad".into())
            .spawn(move || listen(swap, tx));
        if let Err(e) = spawned {
            tracing::info!("game controllers are not read: {e}");
        }
        rx
    })
}

fn listen(swap: bool, tx: mpsc::UnboundedSender<Command>) {
    let mut gilrs = match gilrs::Gilrs::new() {
        Ok(g) => g,
        Err(e) => {
            tracing::info!("game controllers are not read: {e}");
            return;
        }
    };
    let connected: Vec<String> = gilrs.gamepads().map(|(_, g)| g.name().to_owned()).collect();
    if connected.is_empty() {
        tracing::info!("no game controller connected (one plugged in later is used)");
    } else {
        tracing::info!(controllers = ?connected, "game controllers");
    }
    let mut stick = Stick::default();
    // The receiver goes when the app ends; then this thread ends too.
    while !tx.is_closed() {
        let Some(event) = gilrs.next_event_blocking(Some(Duration::from_millis(250))) else {
            continue;
        };
        match event.event {
            EventType::Connected => {
                tracing::info!(
                    name = gilrs.gamepad(event.id).name(),
                    "game controller connected"
                );
            }
            EventType::Disconnected => {
                stick = Stick::default();
                tracing::info!("game controller disconnected");
            }
            ref other => {
                if let Some(command) = Input::of(other).and_then(|i| command(i, &mut stick, swap)) {
                    let _ = tx.unbounded_send(command);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Input::*;

    #[test]
    fn south_a_is_ok_and_east_b_is_back() {
        let mut s = Stick::default();
        assert_eq!(
            command(Pressed(Button::South), &mut s, false),
            Some(Command::Activate)
        );
        assert_eq!(
            command(Pressed(Button::East), &mut s, false),
            Some(Command::Back)
        );
        assert_eq!(
            command(Repeated(Button::South), &mut s, false),
            None,
            "no repeat"
        );
    }

    #[test]
    fn the_swap_setting_makes_east_ok_and_south_back() {
        let mut s = Stick::default();
        assert_eq!(
            command(Pressed(Button::East), &mut s, true),
            Some(Command::Activate)
        );
        assert_eq!(
            command(Pressed(Button::South), &mut s, true),
            Some(Command::Back)
        );
    }

    #[test]
    fn the_d_pad_buttons_are_the_arrows_and_repeat_when_held() {
        let mut s = Stick::default();
        assert_eq!(
            command(Pressed(Button::DPadLeft), &mut s, false),
            Some(Command::Move(Direction::Left))
        );
        assert_eq!(
            command(Repeated(Button::DPadDown), &mut s, false),
            Some(Command::Move(Direction::Down))
        );
    }

    #[test]
    fn the_left_stick_presses_an_arrow_once_per_deflection() {
        let mut s = Stick::default();
        let x = |v| Axis(gilrs::Axis::LeftStickX, v);
        assert_eq!(
            command(x(0.7), &mut s, false),
            Some(Command::Move(Direction::Right))
        );
        assert_eq!(command(x(0.9), &mut s, false), None, "held: no repeat");
        assert_eq!(command(x(0.5), &mut s, false), None, "not yet back");
        assert_eq!(command(x(0.8), &mut s, false), None, "still held");
        assert_eq!(command(x(0.1), &mut s, false), None, "back to the centre");
        assert_eq!(
            command(x(0.8), &mut s, false),
            Some(Command::Move(Direction::Right))
        );
        assert_eq!(
            command(x(-0.8), &mut s, false),
            Some(Command::Move(Direction::Left))
        );
    }

    #[test]
    fn stick_up_is_up_and_an_axis_d_pad_works_like_the_stick() {
        let mut s = Stick::default();
        let up = Axis(gilrs::Axis::LeftStickY, 1.0);
        assert_eq!(
            command(up, &mut s, false),
            Some(Command::Move(Direction::Up))
        );
        let mut s = Stick::default();
        let down = Axis(gilrs::Axis::DPadY, -1.0);
        assert_eq!(
            command(down, &mut s, false),
            Some(Command::Move(Direction::Down))
        );
        assert_eq!(
            command(Axis(gilrs::Axis::RightStickX, 1.0), &mut s, false),
            None
        );
    }

    #[test]
    fn mode_is_home_and_other_buttons_do_nothing() {
        let mut s = Stick::default();
        assert_eq!(
            command(Pressed(Button::Mode), &mut s, false),
            Some(Command::Home)
        );
        for b in [Button::North, Button::West, Button::Start, Button::Select] {
            assert_eq!(command(Pressed(b), &mut s, false), None, "{b:?}");
        }
    }
}
