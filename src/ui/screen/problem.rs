//! A problem: a plain-language summary, a detail line, Try again / Back.
//! When the failure can clear by itself, it also tries again after a while.
//!
//! The words come from the outcome (`signin::Outcome::headline`), the one
//! place where failures become words for the person in front of the screen.

use std::time::Instant;

use iced::Element;

use super::outcome::Outcome;
use crate::ui::actions::Action;
use crate::ui::remote::Command;
use crate::ui::theme::Metrics;
use crate::ui::widget;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    summary: String,
    /// The one thing the viewer can do, in plain words.
    next: String,
    detail: String,
    /// When the app tries again by itself (failures that can clear only).
    retry_at: Option<Instant>,
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
    /// `retry_helps`: whether trying again can succeed; when it cannot (a
    /// configuration problem) Back is focused, not Try again.
    pub fn new(
        summary: String,
        next: String,
        detail: String,
        retry_at: Option<Instant>,
        retry_helps: bool,
    ) -> Self {
        let focused = if retry_helps {
            Event::TryAgain
        } else {
            Event::Back
        };
        Self {
            summary,
            next,
            detail,
            retry_at,
            outcome: Outcome::focused(&[Event::TryAgain, Event::Back], focused, Event::Back),
        }
    }

    /// The focused action.
    pub fn focused(&self) -> Option<Event> {
        self.outcome.focused_action()
    }

    pub fn retry_at(&self) -> Option<Instant> {
        self.retry_at
    }

    pub fn update(&mut self, Message::Action(a): Message) -> Option<Event> {
        self.outcome.click(a)
    }

    pub fn remote(&mut self, command: Command) -> Option<Event> {
        self.outcome.remote(command)
    }
}

pub fn view(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    // The next step first; the technical detail smaller, below, for
    // whoever set the TV up.
    let mut lines = vec![widget::centered_body(&state.next, m)];
    if let Some(at) = state.retry_at {
        let secs = widget::secs_until(at, now);
        lines.push(widget::changing(
            widget::centered_body(m.tr("problem-retrying-in", &[("seconds", secs.into())]), m),
            secs,
        ));
    }
    lines.push(widget::centered_muted(&state.detail, m));
    state.outcome.view(
        ("!", m.ink.warning),
        widget::centered_title(&state.summary, m),
        lines,
        m,
        Message::Action,
    )
}
