//! Focus as app state (buttons cannot take focus in iced 0.14).
//!
//! The focusable elements of a screen form a grid, filled row by row. Arrows
//! move in the direction pressed and stop at the edges: focus never wraps, so
//! holding an arrow on a remote cannot jump across the screen.

use super::remote::{Command, Direction};

/// What a remote command does to a screen's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    /// An arrow: the focus moved (or stayed at an edge).
    Moved,
    /// OK on the button with this index.
    Activated(usize),
    Back,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Focus {
    index: usize,
    count: usize,
    columns: usize,
}

impl Focus {
    /// `count` elements in rows of `columns`, the first focused.
    pub fn grid(count: usize, columns: usize) -> Self {
        Self {
            index: 0,
            count: count.max(1),
            columns: columns.max(1),
        }
    }

    /// One row of `count` elements.
    pub fn row(count: usize) -> Self {
        Self::grid(count, count)
    }

    pub fn at(mut self, index: usize) -> Self {
        self.index = index.min(self.count - 1);
        self
    }

    pub fn index(&self) -> usize {
        self.index
    }

    pub fn is(&self, index: usize) -> bool {
        self.index == index
    }

    /// The remote on these buttons: arrows move, OK presses the focused one.
    pub fn press(&mut self, command: Command) -> Press {
        match command {
            Command::Move(d) => {
                self.step(d);
                Press::Moved
            }
            Command::Activate => Press::Activated(self.index),
            Command::Back => Press::Back,
            // The app handles Home before any screen sees it.
            Command::Home => Press::Moved,
        }
    }

    /// A click or tap on button `index`: it takes the focus and is pressed.
    pub fn click(&mut self, index: usize) -> usize {
        *self = self.at(index);
        self.index
    }

    /// Moves one step; returns whether the focus changed.
    pub fn step(&mut self, direction: Direction) -> bool {
        let (row, col) = (self.index / self.columns, self.index % self.columns);
        let last = self.count - 1;
        let next = match direction {
            Direction::Left if col > 0 => self.index - 1,
            Direction::Right if col + 1 < self.columns && self.index < last => self.index + 1,
            Direction::Up if row > 0 => self.index - self.columns,
            // Down into a shorter last row lands on its last element.
            Direction::Down if (row + 1) * self.columns <= last => {
                (self.index + self.columns).min(last)
            }
            _ => self.index,
        };
        let moved = next != self.index;
        self.index = next;
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::*;

    #[test]
    fn arrows_move_along_a_row_and_stop_at_the_ends() {
        let mut f = Focus::row(2);
        assert!(!f.step(Left), "no wrap from the first to the last");
        assert!(f.step(Right));
        assert_eq!(f.index(), 1);
        assert!(!f.step(Right), "no wrap from the last to the first");
        assert_eq!(f.index(), 1);
        assert!(!f.step(Up) && !f.step(Down), "a single row has no up/down");
    }

    #[test]
    fn down_into_a_shorter_last_row_lands_on_its_last_element() {
        let mut f = Focus::grid(6, 4).at(3);
        assert!(f.step(Down));
        assert_eq!(f.index(), 5);
        assert!(f.step(Up));
        assert_eq!(f.index(), 1);
        assert!(!f.step(Up));
    }

    #[test]
    fn right_stops_at_the_last_element_of_a_short_row() {
        let mut f = Focus::grid(6, 4).at(5);
        assert!(!f.step(Right));
        assert_eq!(f.index(), 5);
    }
}
