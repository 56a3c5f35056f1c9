//! A row of named actions (buttons), with focus as app state.
//!
//! A screen lists its actions as values of its own enum; messages carry
//! those values, not indexes, so reordering the buttons cannot swap what
//! they do.

use std::fmt::Debug;

use iced::Element;

use super::focus::{Focus, Press};
use super::remote::Command;
use super::theme::Metrics;
use super::widget;

/// An action a screen offers: the id of the words on its button.
pub trait Action: Copy + Eq + Debug + 'static {
    fn label(self) -> &'static str;
}

/// What the remote did to a row of actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pressed<A> {
    /// OK (or a click) on this action.
    Action(A),
    /// Back.
    Back,
}

/// The buttons of a screen, left to right, one of them focused.
#[derive(Debug, Clone, PartialEq)]
pub struct Actions<A: Action> {
    actions: Vec<A>,
    focus: Focus,
    /// No button is focused yet: OK does nothing, and the first arrow
    /// shows the focus where it rests (see `resting`).
    resting: bool,
}

impl<A: Action> Actions<A> {
    /// `actions` in order, with `focused` focused (the first when it is not
    /// among them).
    pub fn new(actions: &[A], focused: A) -> Self {
        let index = actions.iter().position(|a| *a == focused).unwrap_or(0);
        Self {
            actions: actions.to_vec(),
            focus: Focus::row(actions.len()).at(index),
            resting: false,
        }
    }

    /// `actions` with nothing focused: an OK pressed by habit does nothing,
    /// and the first arrow focuses `first` (it does not move yet). For a
    /// screen where the viewer has nothing to press while they act on
    /// another device.
    pub fn resting(actions: &[A], first: A) -> Self {
        Self {
            resting: true,
            ..Self::new(actions, first)
        }
    }

    /// The focused action; none while resting.
    pub fn focused(&self) -> Option<A> {
        if self.resting {
            return None;
        }
        self.actions.get(self.focus.index()).copied()
    }

    /// The actions, in order.
    pub fn all(&self) -> &[A] {
        &self.actions
    }

    /// A click or tap: the action takes the focus and is pressed.
    pub fn click(&mut self, action: A) -> A {
        if let Some(i) = self.actions.iter().position(|a| *a == action) {
            self.focus.click(i);
            self.resting = false;
        }
        action
    }

    /// Arrows move the focus; OK presses the focused action.
    pub fn remote(&mut self, command: Command) -> Option<Pressed<A>> {
        if self.resting {
            return match command {
                Command::Move(_) => {
                    self.resting = false;
                    None
                }
                Command::Back => Some(Pressed::Back),
                Command::Activate | Command::Home => None,
            };
        }
        match self.focus.press(command) {
            Press::Moved => None,
            Press::Activated(i) => self.actions.get(i).copied().map(Pressed::Action),
            Press::Back => Some(Pressed::Back),
        }
    }

    /// The row of buttons; pressing one sends `on_press(action)`.
    pub fn view<'a, M: Clone + 'a>(
        &self,
        m: Metrics,
        on_press: impl Fn(A) -> M + 'a,
    ) -> Element<'a, M> {
        let labels: Vec<String> = self.actions.iter().map(|a| m.t(a.label())).collect();
        let actions = self.actions.clone();
        let focus = (!self.resting).then_some(self.focus);
        widget::actions(&labels, focus, m, move |i| on_press(actions[i]))
    }
}
