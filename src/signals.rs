//! SIGINT, SIGTERM and SIGHUP end every front-end the same way: the work in
//! progress is dropped (so no request goes out after the signal), `login
//! --json` prints an `interrupted` event, and the exit code is 128 plus the
//! signal's number: 130 (SIGINT, Ctrl-C), 143 (SIGTERM, what systemd and
//! `kill` send), 129 (SIGHUP, a closed terminal).

use tokio::signal::unix::{Signal, SignalKind, signal};

/// The exit code for a signal: 128 + its number.
pub fn exit_code(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(crate::exit::INTERRUPTED)
}

/// The three signals, listened to from creation on. Needs a tokio runtime
/// with its IO driver.
pub struct Signals {
    int: Signal,
    term: Signal,
    hup: Signal,
}

impl Signals {
    pub fn new() -> std::io::Result<Self> {
        Ok(Self {
            int: signal(SignalKind::interrupt())?,
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    /// The next signal's name and exit code.
    pub async fn recv(&mut self) -> (&'static str, u8) {
        tokio::select! {
            _ = self.int.recv() => ("SIGINT", exit_code(libc::SIGINT)),
            _ = self.term.recv() => ("SIGTERM", exit_code(libc::SIGTERM)),
            _ = self.hup.recv() => ("SIGHUP", exit_code(libc::SIGHUP)),
        }
    }
}

/// The signals as a stream of exit codes, for the GUI's subscription.
pub fn stream() -> impl futures::Stream<Item = (&'static str, u8)> {
    futures::stream::unfold(None::<Signals>, |signals| async move {
        let mut signals = match signals {
            Some(s) => s,
            None => match Signals::new() {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!("cannot listen for signals: {e}");
                    return None;
                }
            },
        };
        let got = signals.recv().await;
        Some((got, Some(signals)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_code_is_128_plus_the_signal_number() {
        assert_eq!(exit_code(libc::SIGINT), 130);
        assert_eq!(exit_code(libc::SIGTERM), 143);
        assert_eq!(exit_code(libc::SIGHUP), 129);
    }
}
