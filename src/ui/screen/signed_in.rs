//! Signed in: who, with which provider; then the app exits (or stays).

use std::time::Instant;

use iced::Element;

use crate::ui::focus::Focus;
use crate::ui::remote::Command;
use crate::ui::theme::{self, Metrics};
use crate::ui::widget;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    who: Option<String>,
    provider: String,
    /// When the app exits by itself; `None` with `--stay`.
    close_at: Option<Instant>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Ok,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// OK (or Back): leave this screen now.
    Done,
}

impl State {
    pub fn new(
        who: Option<String>,
        provider: impl Into<String>,
        close_at: Option<Instant>,
    ) -> Self {
        Self {
            who,
            provider: provider.into(),
            close_at,
        }
    }

    pub fn close_at(&self) -> Option<Instant> {
        self.close_at
    }

    pub fn update(&mut self, Message::Ok: Message) -> Option<Event> {
        Some(Event::Done)
    }

    pub fn remote(&mut self, command: Command) -> Option<Event> {
        match command {
            Command::Move(_) | Command::Home => None,
            Command::Activate | Command::Back => Some(Event::Done),
        }
    }
}

pub fn view(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    let heading = match &state.who {
        Some(who) => format!("Signed in as {who}"),
        None => "Signed in".to_owned(),
    };
    let mut lines = vec![widget::centered_body(format!("with {}", state.provider), m)];
    let label = match state.close_at {
        Some(at) => {
            let left = at.saturating_duration_since(now);
            let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            lines.push(widget::changing(
                widget::centered_muted(format!("Continuing in {secs} s"), m),
                secs,
            ));
            "OK"
        }
        None => "Sign in again",
    };
    widget::outcome(
        widget::mark("✓", theme::SUCCESS, m),
        widget::centered_title(heading, m),
        lines,
        widget::actions(&[label], Focus::row(1), m, |_| Message::Ok),
        m,
    )
}
