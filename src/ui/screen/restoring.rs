//! A stored sign-in being checked at start (and renewed when it is due).
//! Normally this is on screen for a moment only; when the provider cannot
//! be reached it says so, keeps the stored sign-in, and tries again.

use std::time::Instant;

use iced::Element;

use super::outcome::Outcome;
use crate::ui::actions::Action;
use crate::ui::remote::Command;
use crate::ui::theme::Metrics;
use crate::ui::widget;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    provider: String,
    who: Option<String>,
    /// Offline: why, and when the app tries again by itself.
    offline: Option<(String, Instant)>,
    outcome: Outcome<Event>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Action(Event),
}

/// The screen's actions (shown only while offline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    TryNow,
    SignOut,
    Back,
}

impl Action for Event {
    fn label(self) -> &'static str {
        match self {
            Self::TryNow => "action-try-now",
            Self::SignOut => "action-sign-out",
            Self::Back => "action-back",
        }
    }
}

impl State {
    pub fn new(provider: impl Into<String>, who: Option<String>) -> Self {
        Self {
            provider: provider.into(),
            who,
            offline: None,
            outcome: Outcome::new(&[Event::TryNow, Event::SignOut], Event::Back),
        }
    }

    /// The provider could not be reached (`why`); the next try is at `at`.
    pub fn set_offline(&mut self, why: String, at: Instant) {
        self.offline = Some((why, at));
    }

    /// A check is under way again.
    pub fn set_checking(&mut self) {
        self.offline = None;
    }

    pub fn retry_at(&self) -> Option<Instant> {
        self.offline.as_ref().map(|(_, at)| *at)
    }

    pub fn who(&self) -> Option<&str> {
        self.who.as_deref()
    }

    pub fn update(&mut self, Message::Action(a): Message) -> Option<Event> {
        self.offline.as_ref()?;
        self.outcome.click(a)
    }

    /// Only Back works while checking; the buttons appear when offline.
    pub fn remote(&mut self, command: Command) -> Option<Event> {
        if self.offline.is_none() {
            return (command == Command::Back).then_some(Event::Back);
        }
        self.outcome.remote(command)
    }
}

pub fn view(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    let title = match &state.who {
        Some(who) => m.tr("restoring-welcome-who", &[("name", who.as_str().into())]),
        None => m.t("restoring-welcome"),
    };
    let provider = || ("provider", state.provider.as_str().into());
    let Some((why, at)) = &state.offline else {
        return widget::outcome(
            widget::mark("…", m.ink.muted, m),
            widget::centered_title(title, m),
            vec![widget::centered_body(
                m.tr("restoring-checking", &[provider()]),
                m,
            )],
            iced::widget::Space::new().into(),
            m,
        );
    };
    let secs = widget::secs_until(*at, now);
    state.outcome.view(
        ("!", m.ink.warning),
        widget::centered_title(title, m),
        vec![
            widget::centered_warning(m.tr("restoring-offline", &[provider()]), m),
            widget::centered_muted(why, m),
            widget::changing(
                widget::centered_body(m.tr("trying-again-in", &[("seconds", secs.into())]), m),
                secs,
            ),
        ],
        m,
        Message::Action,
    )
}
