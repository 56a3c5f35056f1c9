//! The code expired: a new one comes by itself (up to a cap), else on OK.

use std::time::Instant;

use iced::Element;

use crate::ui::focus::{Focus, Press};
use crate::ui::remote::Command;
use crate::ui::theme::{self, Metrics};
use crate::ui::widget;

const ACTIONS: [&str; 2] = ["New code", "Back"];

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// When the next automatic renewal starts; `None` once the cap is reached.
    renew_at: Option<Instant>,
    focus: Focus,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Action(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    NewCode,
    Back,
}

impl State {
    pub fn new(renew_at: Option<Instant>) -> Self {
        Self {
            renew_at,
            focus: Focus::row(ACTIONS.len()),
        }
    }

    pub fn renew_at(&self) -> Option<Instant> {
        self.renew_at
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn update(&mut self, Message::Action(i): Message) -> Option<Event> {
        Some(action(self.focus.click(i)))
    }

    pub fn remote(&mut self, command: Command) -> Option<Event> {
        match self.focus.press(command) {
            Press::Moved => None,
            Press::Activated(i) => Some(action(i)),
            Press::Back => Some(Event::Back),
        }
    }
}

/// The event of the button at `index` in `ACTIONS`.
fn action(index: usize) -> Event {
    match index {
        0 => Event::NewCode,
        _ => Event::Back,
    }
}

pub fn view(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    let line = match state.renew_at {
        Some(at) => {
            let left = at.saturating_duration_since(now);
            let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            format!("A new code comes in {secs} s")
        }
        None => "Press OK for a new code".to_owned(),
    };
    widget::outcome(
        widget::mark("↻", theme::WARNING, m),
        widget::title("The code expired", m),
        vec![widget::centered_body(line, m)],
        widget::actions(&ACTIONS, state.focus, m, Message::Action),
        m,
    )
}
