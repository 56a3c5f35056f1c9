//! Declined on the other device: Try again / Back.

use iced::Element;

use super::outcome::Outcome;
use crate::ui::actions::Action;
use crate::ui::remote::Command;
use crate::ui::theme::Metrics;
use crate::ui::widget;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    provider: String,
    outcome: Outcome<Event>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Action(Event),
}

/// The screen's actions, which are also what it tells the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    TryAgain,
    Back,
}

impl Action for Event {
    fn label(self) -> &'static str {
        match self {
            Self::TryAgain => "action-try-again",
            Self::Back => "action-back",
        }
    }
}

impl State {
    pub fn new(provider: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            outcome: Outcome::new(&[Event::TryAgain, Event::Back], Event::Back),
        }
    }

    pub fn update(&mut self, Message::Action(a): Message) -> Option<Event> {
        self.outcome.click(a)
    }

    pub fn remote(&mut self, command: Command) -> Option<Event> {
        self.outcome.remote(command)
    }
}

pub fn view(state: &State, m: Metrics) -> Element<'_, Message> {
    state.outcome.view(
        ("✕", m.ink.danger),
        widget::centered_title(m.t("declined-title"), m),
        vec![widget::centered_muted(
            m.tr(
                "declined-nobody",
                &[("provider", state.provider.as_str().into())],
            ),
            m,
        )],
        m,
        Message::Action,
    )
}
