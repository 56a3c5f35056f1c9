//! Presets: a provider from a client id plus the obvious parameter.
//! (Filled in by the OIDC work; for now only the plain form is accepted.)

use crate::provider::RawProvider;

/// Expand `preset = "..."` into endpoints and quirks. Fields the user set
/// win over the preset's.
pub fn apply(raw: RawProvider) -> Result<RawProvider, (&'static str, String)> {
    match raw.preset.as_deref() {
        None => Ok(raw),
        Some(other) => Err(("preset", format!("unknown preset `{other}`"))),
    }
}
