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

fn default_filter() -> Targets {
    Targets::new().with_default(LevelFilter::WARN)
}

#[cfg(test)]
mod tests {
    use super::*;

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
