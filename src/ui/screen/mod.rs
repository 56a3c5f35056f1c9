//! One file per screen. Each owns its state, its `Message` (clicks and taps)
//! and its `view`; `remote` turns a remote-control command into the same
//! outcomes. Outcomes the app must act on are returned as `Event`s.

pub mod choose;
pub mod code;
pub mod declined;
pub mod expired;
mod outcome;
pub mod problem;
pub mod restoring;
pub mod sign_out;
pub mod signed_in;
