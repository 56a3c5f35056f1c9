//! Declined on the other device: Try again / Back.

use iced::Element;

use crate::ui::focus::{Focus, Press};
use crate::ui::remote::Command;
use crate::ui::theme::{self, Metrics};
use crate::ui::widget;

const ACTIONS: [&str; 2] = ["Try again", "Back"];

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    provider: String,
    focus: Focus,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Action(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    TryAgain,
    Back,
}

impl State {
    pub fn new(provider: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            focus: Focus::row(ACTIONS.len()),
        }
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
        0 => Event::TryAgain,
        _ => Event::Back,
    }
}

pub fn view(state: &State, m: Metrics) -> Element<'_, Message> {
    widget::outcome(
        widget::mark("✕", theme::DANGER, m),
        widget::centered_title("Sign-in was declined on the other device", m),
        vec![widget::centered_muted(
            format!("Nobody was signed in to {}.", state.provider),
            m,
        )],
        widget::actions(&ACTIONS, state.focus, m, Message::Action),
        m,
    )
}
