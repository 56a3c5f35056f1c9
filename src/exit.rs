//! Process exit codes, shared by every front-end.

pub const SIGNED_IN: u8 = 0;
/// Usage or configuration error.
pub const CONFIG: u8 = 2;
pub const DENIED: u8 = 3;
/// The code expired, or a refresh failed: sign-in required.
pub const EXPIRED: u8 = 4;
/// The server or the network ended the flow.
pub const FAILED: u8 = 5;
pub const INTERRUPTED: u8 = 130;

/// The table printed by `--help` and written in the README.
pub const TABLE: &str = "\
Exit codes:
  0    signed in (token: a valid token was printed)
  2    usage or configuration error
  3    denied on the other device
  4    the code expired, or a refresh failed: sign-in required
  5    the server or the network ended the flow
  130  interrupted";

use crate::oauth::{FailureKind, FlowEvent};

/// The exit code for a flow's terminal event.
pub fn for_event(event: &FlowEvent) -> Option<u8> {
    Some(match event {
        FlowEvent::Granted(_) => SIGNED_IN,
        FlowEvent::Denied => DENIED,
        FlowEvent::Expired => EXPIRED,
        FlowEvent::Failed(e) if e.kind() == FailureKind::Config => CONFIG,
        FlowEvent::Failed(_) => FAILED,
        _ => return None,
    })
}
