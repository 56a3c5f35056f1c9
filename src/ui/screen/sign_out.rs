//! "Sign out NAME from PROVIDER?": Sign out, or Cancel (focused, so that a
//! stray OK signs nobody out). Then "Signing out…" while the provider
//! revokes the tokens.

use iced::Element;

use super::outcome::Outcome;
use crate::ui::actions::Action;
use crate::ui::remote::Command;
use crate::ui::theme::{self, Metrics};
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
            Self::SignOut => "Sign out",
            Self::Cancel => "Cancel",
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
    let question = match &state.who {
        Some(who) => format!("Sign out {who} from {}?", state.provider),
        None => format!("Sign out from {}?", state.provider),
    };
    if state.busy {
        return widget::outcome(
            widget::mark("…", theme::MUTED, m),
            widget::centered_title(format!("Signing out from {}…", state.provider), m),
            vec![widget::centered_muted(
                "Asking the provider to end the sign-in",
                m,
            )],
            iced::widget::Space::new().into(),
            m,
        );
    }
    state.outcome.view(
        ("?", theme::WARNING),
        widget::centered_title(question, m),
        vec![widget::centered_muted(
            "This TV will need a new sign-in afterwards",
            m,
        )],
        m,
        Message::Action,
    )
}
