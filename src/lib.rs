//! device-signin: OAuth 2.0 device sign-in (RFC 8628) for TVs and kiosks.
//!
//! - [`oauth`]: the protocol, as a sans-IO state machine plus a reqwest transport.
//! - [`provider`]: the providers file; [`presets`]: providers from a client id.
//! - [`signin`]: discovery before the flow, ID token check and [`store`] after it.
//! - [`terminal`], [`ui`]: the front-ends, both fed by one `FlowEvent` stream.

pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod exit;
pub mod handoff;
pub mod i18n;
pub mod logging;
pub mod oauth;
pub mod presets;
pub mod provider;
pub mod session;
pub mod signals;
pub mod signin;
pub mod store;
pub mod terminal;
pub mod ui;
