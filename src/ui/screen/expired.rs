//! The code expired: a new one comes by itself (up to a cap), else on OK.

use std::time::Instant;

use iced::Element;

use super::outcome::Outcome;
use crate::ui::actions::Action;
use crate::ui::remote::Command;
use crate::ui::theme::Metrics;
use crate::ui::widget;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// When the next automatic renewal starts; `None` once the cap is reached.
    renew_at: Option<Instant>,
    outcome: Outcome<Event>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Action(Event),
}

/// The screen's actions, which are also what it tells the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    NewCode,
    Back,
}

impl Action for Event {
    fn label(self) -> &'static str {
        match self {
            Self::NewCode => "action-new-code",
            Self::Back => "action-back",
        }
    }
}

impl State {
    pub fn new(renew_at: Option<Instant>) -> Self {
        Self {
            renew_at,
            outcome: Outcome::new(&[Event::NewCode, Event::Back], Event::Back),
        }
    }

    pub fn renew_at(&self) -> Option<Instant> {
        self.renew_at
    }

    pub fn update(&mut self, Message::Action(a): Message) -> Option<Event> {
        self.outcome.click(a)
    }

    pub fn remote(&mut self, command: Command) -> Option<Event> {
        self.outcome.remote(command)
    }
}

pub fn view(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    let (line, key) = match state.renew_at {
        Some(at) => {
            let secs = widget::secs_until(at, now);
            (m.tr("expired-renew-in", &[("seconds", secs.into())]), secs)
        }
        None => (m.t("expired-press-ok"), 0),
    };
    state.outcome.view(
        ("↻", m.ink.warning),
        widget::centered_title(m.t("expired-title"), m),
        vec![widget::changing(widget::centered_body(line, m), key)],
        m,
        Message::Action,
    )
}
