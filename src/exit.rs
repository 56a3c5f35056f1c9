//! Process exit codes, shared by every front-end. Which outcome gets
//! which code is decided in one place, `signin::Outcome::exit_code`.

pub const SIGNED_IN: u8 = 0;
/// Usage or configuration error.
pub const CONFIG: u8 = 2;
pub const DENIED: u8 = 3;
/// The code expired, or a refresh failed: sign-in required.
pub const EXPIRED: u8 = 4;
/// The server or the network ended the flow.
pub const FAILED: u8 = 5;
/// Interrupted by SIGINT (Ctrl-C). Other signals: 128 + their number
/// (`signals::exit_code`): SIGTERM 143, SIGHUP 129.
pub const INTERRUPTED: u8 = 130;

/// The table printed by `--help` and written in the README.
pub const TABLE: &str = "\
Exit codes:
  0    signed in (token: a valid token was printed)
  2    usage or configuration error
  3    denied on the other device
  4    the code expired, or a refresh failed: sign-in required
  5    the server or the network ended the flow
  129  interrupted by SIGHUP (the terminal closed)
  130  interrupted by SIGINT (Ctrl-C)
  143  interrupted by SIGTERM (systemd, kill)";
