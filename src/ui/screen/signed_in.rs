//! Signed in (after a sign-in, or a stored one restored): who, with which
//! provider; Continue, Sign out, and Use another account when there are
//! several providers. Without `--stay` it continues by itself after a few
//! seconds, unless the person starts moving the focus.

use std::time::Instant;

use iced::Element;

use crate::ui::actions::{Action, Actions, Pressed};
use crate::ui::remote::Command;
use crate::ui::theme::Metrics;
use crate::ui::widget;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    who: Option<String>,
    provider: String,
    /// When the app continues by itself; `None` with `--stay`, or once the
    /// person moved the focus.
    close_at: Option<Instant>,
    /// The stored sign-in could not be renewed for a network reason: when
    /// the app tries again.
    offline_until: Option<Instant>,
    actions: Actions<Event>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Action(Event),
}

/// The screen's actions, which are also what it tells the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Go on: exit 0, or run the `--exec` program.
    Continue,
    /// Ask to sign out.
    SignOut,
    /// Back to the provider choice.
    OtherAccount,
}

impl Action for Event {
    fn label(self) -> &'static str {
        match self {
            Self::Continue => "action-continue",
            Self::SignOut => "action-sign-out",
            Self::OtherAccount => "action-other-account",
        }
    }
}

/// What the signed-in screen offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    /// Continue (not with `--stay`, where this screen is where it stays).
    pub continue_: bool,
    /// Use another account (several providers).
    pub other_account: bool,
}

impl State {
    pub fn new(
        who: Option<String>,
        provider: impl Into<String>,
        close_at: Option<Instant>,
        offer: Offer,
        focused: Event,
    ) -> Self {
        let mut actions = Vec::with_capacity(3);
        if offer.continue_ {
            actions.push(Event::Continue);
        }
        actions.push(Event::SignOut);
        if offer.other_account {
            actions.push(Event::OtherAccount);
        }
        Self {
            who,
            provider: provider.into(),
            close_at,
            offline_until: None,
            actions: Actions::new(&actions, focused),
        }
    }

    pub fn close_at(&self) -> Option<Instant> {
        self.close_at
    }

    pub fn who(&self) -> Option<&str> {
        self.who.as_deref()
    }

    pub fn focused(&self) -> Option<Event> {
        self.actions.focused()
    }

    pub fn actions(&self) -> &[Event] {
        self.actions.all()
    }

    /// Renewing failed for a network reason; the next try is at `at`
    /// (`None`: renewed, or trying now).
    pub fn set_offline(&mut self, at: Option<Instant>) {
        self.offline_until = at;
    }

    /// No more "Continuing in N s" (the app continues when it can).
    pub fn stop_countdown(&mut self) {
        self.close_at = None;
    }

    pub fn offline_until(&self) -> Option<Instant> {
        self.offline_until
    }

    pub fn update(&mut self, Message::Action(a): Message) -> Option<Event> {
        self.close_at = None;
        Some(self.actions.click(a))
    }

    /// Arrows move the focus (and stop the countdown: someone is choosing);
    /// OK presses; Back continues, when Continue is offered.
    pub fn remote(&mut self, command: Command) -> Option<Event> {
        if matches!(command, Command::Move(_)) {
            self.close_at = None;
        }
        match self.actions.remote(command)? {
            Pressed::Action(a) => {
                self.close_at = None;
                Some(a)
            }
            Pressed::Back => self
                .actions
                .all()
                .contains(&Event::Continue)
                .then_some(Event::Continue),
        }
    }
}

pub fn view(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    let heading = match &state.who {
        Some(who) => m.tr("signed-in-as", &[("name", who.as_str().into())]),
        None => m.t("signed-in"),
    };
    let provider = || ("provider", state.provider.as_str().into());
    let mut lines = vec![widget::centered_body(
        m.tr("signed-in-with", &[provider()]),
        m,
    )];
    if let Some(at) = state.offline_until {
        let secs = widget::secs_until(at, now);
        lines.push(widget::changing(
            widget::centered_warning(
                m.tr("signed-in-offline", &[provider(), ("seconds", secs.into())]),
                m,
            ),
            secs,
        ));
    }
    if let Some(at) = state.close_at {
        let secs = widget::secs_until(at, now);
        lines.push(widget::changing(
            widget::centered_muted(m.tr("continuing-in", &[("seconds", secs.into())]), m),
            secs,
        ));
    }
    widget::outcome(
        widget::mark("✓", m.ink.success, m),
        widget::centered_title(heading, m),
        lines,
        state.actions.view(m, Message::Action),
        m,
    )
}
