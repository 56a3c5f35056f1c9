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
        .with_writer(|| Redacting(std::io::stderr()))
        // Colour codes only on a terminal, never in a pipe or the journal.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(filter))
        .try_init();
    if let Some((spec, e)) = bad {
        tracing::warn!("RUST_LOG `{spec}` is not understood ({e}); logging warnings only");
    }
}

/// stderr for log lines, with every secret this process holds replaced by
/// `[redacted]`: a dependency's log line, or server text in one of ours,
/// cannot carry a token into the journal. (The fmt layer writes each event
/// whole, in one call.)
struct Redacting<W>(W);

impl<W: std::io::Write> std::io::Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0
            .write_all(crate::oauth::secret::redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
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
    fn r12_log_lines_never_carry_a_secret_this_process_holds() {
        use std::io::Write as _;
        let token = crate::oauth::AccessToken::new("at-LOG-REDACT-9f8e7d6c5b4a");
        let mut out = Redacting(Vec::new());
        write!(out, "upstream said: bearer {} is bad", token.expose()).unwrap();
        let line = String::from_utf8(out.0).unwrap();
        assert_eq!(line, "upstream said: bearer [redacted] is bad");
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
