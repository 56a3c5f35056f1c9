//! The protocol, from the `device-flow` crate, plus the ID token check
//! (which needs a JOSE library the protocol crate does not carry).
//! Nothing in here knows about iced.

pub use device_flow::{discovery, driver, flow, http, secret, token, transport, wire};
pub mod idtoken;

pub use device_flow::{
    AccessToken, ClientAuth, ClientConfig, ClientSecret, CodeInfo, DeviceCode, Endpoint, Endpoints,
    Flow, FlowError, FlowEvent, IdToken, RefreshToken, TokenResponse, Transport,
};

#[cfg(test)]
pub(crate) mod tests;
