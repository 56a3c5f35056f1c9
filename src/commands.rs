//! `token` and `logout`. Owned by the OIDC/token work.

use crate::cli::Common;

pub fn token(_common: &Common, _min_valid: u64) -> u8 {
    eprintln!("device-signin: `token` is not built yet");
    crate::exit::CONFIG
}

pub fn logout(_common: &Common) -> u8 {
    eprintln!("device-signin: `logout` is not built yet");
    crate::exit::CONFIG
}
