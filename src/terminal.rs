//! The terminal front-end.

use crate::cli::Common;

pub fn login(_common: &Common, _json: bool) -> u8 {
    crate::exit::CONFIG
}
