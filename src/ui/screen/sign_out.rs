//! "Sign out NAME from PROVIDER?": Sign out, or Cancel (focused, so that a
//! stray OK signs nobody out). Then "Signing out…" while the provider
//! revokes the tokens.

use iced::Element;

use super::outcome::Outcome;
use crate::ui::actions::Action;
use crate::ui::remote::Command;
use crate::ui::theme::Metrics;
use crate::ui::widget;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    who: Option<String>,
    provider: String,
    /// Confirmed: the revocation is under way.
    busy: bool,
    outcome: Outcome<Event>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Action(Event),
}

/// The screen's actions, which are also what it tells the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    SignOut,
    Cancel,
}

impl Action for Event {
    fn label(self) -> &'static str {
        match self {
            Self::SignOut => "action-sign-out",
            Self::Cancel => "action-cancel",
        }
    }
}

impl State {
    pub fn new(who: Option<String>, provider: impl Into<String>) -> Self {
        Self {
            who,
            provider: provider.into(),
            busy: false,
            outcome: Outcome::focused(
                &[Event::SignOut, Event::Cancel],
                Event::Cancel,
                Event::Cancel,
            ),
        }
    }

    /// The person confirmed; nothing more is pressed on this screen.
    pub fn set_busy(&mut self) {
        self.busy = true;
    }

    pub fn is_busy(&self) -> bool {
        self.busy
    }

    pub fn focused(&self) -> Option<Event> {
        self.outcome.focused_action()
    }

    pub fn update(&mut self, Message::Action(a): Message) -> Option<Event> {
        if self.busy {
            return None;
        }
        self.outcome.click(a)
    }

    pub fn remote(&mut self, command: Command) -> Option<Event> {
        if self.busy {
            return None;
        }
        self.outcome.remote(command)
    }
}

pub fn view(state: &State, m: Metrics) -> Element<'_, Message> {
    let provider = || ("provider", state.provider.as_str().into());
    let question = match &state.who {
        Some(who) => m.tr(
            "sign-out-question-who",
            &[("name", who.as_str().into()), provider()],
        ),
        None => m.tr("sign-out-question", &[provider()]),
    };
    if state.busy {
        return widget::outcome(
            widget::mark("…", m.ink.muted, m),
            widget::centered_title(m.tr("signing-out", &[provider()]), m),
            vec![widget::centered_muted(
                m.tr("signing-out-asking", &[provider()]),
                m,
            )],
            iced::widget::Space::new().into(),
            m,
        );
    }
    state.outcome.view(
        ("?", m.ink.warning),
        widget::centered_title(question, m),
        vec![widget::centered_muted(m.t("sign-out-afterwards"), m)],
        m,
        Message::Action,
    )
}
