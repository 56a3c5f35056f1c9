//! The one thing a driver needs from an HTTP client: send a form request,
//! get the answer or a classified failure.

use std::future::Future;

use crate::wire::{HttpRequest, HttpResponse, TransportError};

/// Sends one form `POST`. The driver, refresh and revocation are generic
/// over this, so tests (and applications with their own HTTP stack) can run
/// them against anything that answers.
pub trait Transport: Send + Sync {
    /// Send `req`; a failure in transit is a [`TransportError`], any HTTP
    /// answer (whatever its status) is a [`HttpResponse`].
    fn send(
        &self,
        req: &HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send;
}
