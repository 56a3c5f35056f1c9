//! The protocol: RFC 8628 device authorization, OIDC discovery, tokens.
//! Nothing in here knows about iced.

pub mod discovery;
pub mod driver;
pub mod flow;
pub mod http;
pub mod idtoken;
pub mod secret;
pub mod token;
pub mod wire;

pub use flow::{Action, CodeInfo, FailureKind, Flow, FlowError, FlowEvent};
pub use secret::{AccessToken, ClientSecret, DeviceCode, IdToken, RefreshToken};
pub use wire::{ClientAuth, ClientConfig, TokenResponse};

#[cfg(test)]
mod rules_tests;
