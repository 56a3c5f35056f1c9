//! The shape the declined, expired and problem screens share: a mark, a
//! title, a few lines, and a row of actions in which Back is one of them.
//! Each of those screens is a thin file around this one.

use iced::{Color, Element};

use crate::ui::actions::{Action, Actions, Pressed};
use crate::ui::remote::Command;
use crate::ui::theme::Metrics;
use crate::ui::widget;

/// An action row whose Back key means the screen's `back` action.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome<A: Action> {
    actions: Actions<A>,
    back: A,
}

impl<A: Action> Outcome<A> {
    /// `actions` with the first focused; the Back key does `back`.
    pub fn new(actions: &[A], back: A) -> Self {
        Self {
            actions: Actions::new(actions, actions[0]),
            back,
        }
    }

    /// `actions` with `focused` focused; the Back key does `back`.
    pub fn focused(actions: &[A], focused: A, back: A) -> Self {
        Self {
            actions: Actions::new(actions, focused),
            back,
        }
    }

    /// The focused action.
    pub fn focused_action(&self) -> Option<A> {
        self.actions.focused()
    }

    /// A click or tap on `action`.
    pub fn click(&mut self, action: A) -> Option<A> {
        Some(self.actions.click(action))
    }

    /// The remote: arrows move, OK presses, Back is the `back` action.
    pub fn remote(&mut self, command: Command) -> Option<A> {
        match self.actions.remote(command)? {
            Pressed::Action(a) => Some(a),
            Pressed::Back => Some(self.back),
        }
    }

    /// Mark, title, lines and the actions, centred.
    pub fn view<'a, M: Clone + 'a>(
        &self,
        mark: (&'a str, Color),
        title: Element<'a, M>,
        lines: Vec<Element<'a, M>>,
        m: Metrics,
        on_press: impl Fn(A) -> M + 'a,
    ) -> Element<'a, M> {
        widget::outcome(
            widget::mark(mark.0, mark.1, m),
            title,
            lines,
            self.actions.view(m, on_press),
            m,
        )
    }
}
