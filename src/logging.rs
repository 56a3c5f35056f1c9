//! `tracing` to stderr, filtered by `RUST_LOG` (default: warnings).
//! Secrets are newtypes that print `[redacted]`, so even `trace` is safe.
//!
//! `RUST_LOG` takes a level (`debug`) and per-target levels
//! (`warn,device_signin::ui=info`), the syntax of `tracing`'s `Targets`
//! filter. (The regex-based `EnvFilter` would add a regex engine to every
//! kiosk's memory for a feature nobody here needs.)

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

pub fn init() {
    let (filter, bad) = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => match spec.parse::<Targets>() {
            // The decorations' false error stays off unless asked for by name.
            Ok(targets) if !spec.contains("sctk_adwaita") => {
                (targets.with_target("sctk_adwaita", LevelFilter::OFF), None)
            }
            Ok(targets) => (targets, None),
            Err(e) => (default_filter(), Some((spec, e))),
        },
        _ => (default_filter(), None),
    };
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        // Colour codes only on a terminal, never in a pipe or the journal.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(filter))
        .try_init();
    if let Some((spec, e)) = bad {
        tracing::warn!("RUST_LOG `{spec}` is not understood ({e}); logging warnings only");
    }
}

/// Warnings, except winit's window decorations (`sctk_adwaita`), which log
/// an ERROR at every start on a machine without the XDG settings portal (a
/// kiosk has none) although nothing is wrong. A `RUST_LOG` that names
/// `sctk_adwaita` shows them again.
fn default_filter() -> Targets {
    Targets::new()
        .with_default(LevelFilter::WARN)
        .with_target("sctk_adwaita", LevelFilter::OFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_false_settings_portal_error_is_not_logged_by_default() {
        let t = default_filter();
        assert!(!t.would_enable("sctk_adwaita::config", &tracing::Level::ERROR));
        assert!(t.would_enable("device_signin::ui", &tracing::Level::WARN));
    }

    #[test]
    fn rust_log_levels_and_targets_parse() {
        for spec in [
            "trace",
            "device_signin=info",
            "warn,device_signin::ui=debug",
        ] {
            assert!(spec.parse::<Targets>().is_ok(), "{spec}");
        }
        let t: Targets = "device_signin=info".parse().unwrap();
        assert!(t.would_enable("device_signin::ui", &tracing::Level::INFO));
        assert!(!t.would_enable("hyper", &tracing::Level::INFO));
    }
}
