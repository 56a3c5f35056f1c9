//! Using tokens after the grant: refresh (RFC 6749 §6) and revocation (RFC 7009).

use crate::secret::RefreshToken;
use crate::transport::Transport;
use crate::wire::{self, ClientConfig, OAuthError, PollAnswer, TokenResponse, TransportError};

/// Why a refresh gave no new token. A failed refresh never yields the old
/// token: callers get one of these and nothing else.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RefreshError {
    /// `invalid_grant`: the refresh token is expired, revoked or rotated out.
    #[error("sign-in required: the provider refused the refresh token ({0})")]
    SignInRequired(OAuthError),
    /// Another RFC error the server reported.
    #[error("the provider refused the refresh: {0}")]
    Server(OAuthError),
    /// No answer: the network, TLS, a timeout.
    #[error("the refresh request failed: {0}")]
    Transport(TransportError),
    /// A passing server failure (5xx, 429, a garbled answer).
    #[error("the refresh request failed: {0}")]
    Unavailable(String),
    /// HTTP 400 or 401 without an OAuth error body: the provider refused
    /// the refresh token (Glewlwyd answers a revoked or expired one so),
    /// which is the same as `invalid_grant`.
    #[error(
        "sign-in required: the provider refused the refresh token (HTTP {0} without an OAuth \
         error)"
    )]
    Refused(u16),
    /// Another HTTP status without an OAuth error body (a wrong URL: 404).
    #[error("the token endpoint answered HTTP {0} to the refresh without an OAuth error")]
    Http(u16),
    /// An answer that is not a token response.
    #[error("the refresh answer is unusable: {0}")]
    Invalid(String),
}

impl RefreshError {
    /// Whether the refresh token is dead, so that only a new sign-in helps:
    /// `invalid_grant`, or a bare 400 or 401. Network failures, timeouts and
    /// 5xx are not: the refresh token is kept for the next try.
    pub fn sign_in_required(&self) -> bool {
        matches!(self, Self::SignInRequired(_) | Self::Refused(_))
    }
}

/// Exchange a refresh token for new tokens.
pub async fn refresh(
    cfg: &ClientConfig,
    refresh_token: &RefreshToken,
    transport: &impl Transport,
) -> Result<TokenResponse, RefreshError> {
    let req = wire::refresh_request(cfg, refresh_token);
    let resp = transport
        .send(&req)
        .await
        .map_err(RefreshError::Transport)?;
    match wire::parse_token_answer(&resp) {
        PollAnswer::Granted(tokens) => Ok(*tokens),
        PollAnswer::Error { error, .. } if error.error == "invalid_grant" => {
            Err(RefreshError::SignInRequired(error))
        }
        PollAnswer::Error { error, .. }
            if matches!(
                error.error.as_str(),
                "temporarily_unavailable" | "server_error"
            ) =>
        {
            Err(RefreshError::Unavailable(error.to_string()))
        }
        PollAnswer::Error { error, .. } => Err(RefreshError::Server(error)),
        PollAnswer::RateLimited { .. } => Err(RefreshError::Unavailable(
            "the token endpoint is rate limiting (HTTP 429)".into(),
        )),
        PollAnswer::Transient { reason, .. } => Err(RefreshError::Unavailable(reason)),
        PollAnswer::Http {
            status: status @ (400 | 401),
        } => Err(RefreshError::Refused(status)),
        PollAnswer::Http { status } => Err(RefreshError::Http(status)),
        PollAnswer::Invalid(why) => Err(RefreshError::Invalid(why)),
    }
}

/// Which token a revocation is about (RFC 7009 §2.1 `token_type_hint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A refresh token.
    Refresh,
    /// An access token.
    Access,
}

impl TokenKind {
    /// The `token_type_hint` value.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Refresh => "refresh_token",
            Self::Access => "access_token",
        }
    }
}

impl std::fmt::Display for TokenKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Refresh => "refresh token",
            Self::Access => "access token",
        })
    }
}

/// Why a revocation did not succeed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RevokeError {
    /// RFC 7009 §2.2.1: the server cannot revoke this kind of token.
    #[error("the provider cannot revoke {0}s (unsupported_token_type)")]
    Unsupported(TokenKind),
    /// An RFC error the server reported.
    #[error("the provider refused to revoke the {kind}: {error}")]
    Server {
        /// Which token.
        kind: TokenKind,
        /// The error.
        error: OAuthError,
    },
    /// An HTTP status without an OAuth error body (401: the server wants
    /// client authentication for revocation).
    #[error("the revocation endpoint answered HTTP {status} for the {kind} without an OAuth error")]
    Http {
        /// Which token.
        kind: TokenKind,
        /// The HTTP status.
        status: u16,
    },
    /// No answer.
    #[error("the revocation request for the {kind} failed: {detail}")]
    Network {
        /// Which token.
        kind: TokenKind,
        /// What failed.
        detail: String,
    },
}

/// Revoke one token. HTTP 200 means revoked, or already invalid (RFC 7009 §2.2).
pub async fn revoke(
    cfg: &ClientConfig,
    endpoint: &str,
    token: &str,
    kind: TokenKind,
    transport: &impl Transport,
) -> Result<(), RevokeError> {
    let req = wire::revocation_request(cfg, endpoint, token, kind.hint());
    let resp = transport
        .send(&req)
        .await
        .map_err(|e| RevokeError::Network {
            kind,
            detail: e.to_string(),
        })?;
    if (200..300).contains(&resp.status) {
        return Ok(());
    }
    match wire::parse_token_answer(&resp) {
        PollAnswer::Error { error, .. } if error.error == "unsupported_token_type" => {
            Err(RevokeError::Unsupported(kind))
        }
        PollAnswer::Error { error, .. } => Err(RevokeError::Server { kind, error }),
        PollAnswer::Transient { reason, .. } => Err(RevokeError::Network {
            kind,
            detail: reason,
        }),
        _ => Err(RevokeError::Http {
            kind,
            status: resp.status,
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::wire::{HttpRequest, HttpResponse, TransportErrorKind};

    /// Answers each request with the next scripted result and records it.
    struct Scripted {
        answers: Mutex<Vec<Result<HttpResponse, TransportError>>>,
        seen: Mutex<Vec<HttpRequest>>,
    }

    impl Scripted {
        fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Self {
            Self {
                answers: Mutex::new(answers),
                seen: Mutex::new(Vec::new()),
            }
        }
    }

    impl Transport for Scripted {
        async fn send(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
            self.seen.lock().unwrap().push(req.clone());
            self.answers.lock().unwrap().remove(0)
        }
    }

    fn cfg() -> ClientConfig {
        ClientConfig::new("tv", "https://as/device", "https://as/token")
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn refresh_sends_the_refresh_grant_and_returns_new_tokens() {
        let t = Scripted::new(vec![Ok(HttpResponse::json(
            200,
            r#"{"access_token":"at2","refresh_token":"rt2","expires_in":60}"#,
        ))]);
        let tokens = block_on(refresh(&cfg(), &RefreshToken::new("rt1"), &t)).unwrap();
        assert_eq!(tokens.access_token.expose(), "at2");
        assert_eq!(tokens.refresh_token.unwrap().expose(), "rt2");
        let seen = t.seen.lock().unwrap();
        assert_eq!(seen[0].param("grant_type"), Some("refresh_token"));
        assert_eq!(seen[0].param("refresh_token"), Some("rt1"));
    }

    #[test]
    fn refresh_invalid_grant_means_sign_in_required() {
        let t = Scripted::new(vec![Ok(HttpResponse::json(
            400,
            r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#,
        ))]);
        let err = block_on(refresh(&cfg(), &RefreshToken::new("rt1"), &t)).unwrap_err();
        assert!(matches!(err, RefreshError::SignInRequired(_)), "{err:?}");
        assert!(err.to_string().starts_with("sign-in required"));
    }

    #[test]
    fn refresh_refused_with_400_or_401_and_no_error_body_means_sign_in_required() {
        for status in [400, 401] {
            let t = Scripted::new(vec![Ok(HttpResponse::json(status, ""))]);
            let err = block_on(refresh(&cfg(), &RefreshToken::new("rt1"), &t)).unwrap_err();
            assert_eq!(err, RefreshError::Refused(status));
            assert!(err.sign_in_required());
            assert!(err.to_string().starts_with("sign-in required"), "{err}");
        }
        // A wrong URL is not a refusal of the token.
        let t = Scripted::new(vec![Ok(HttpResponse::json(404, ""))]);
        let err = block_on(refresh(&cfg(), &RefreshToken::new("rt1"), &t)).unwrap_err();
        assert_eq!(err, RefreshError::Http(404));
        assert!(!err.sign_in_required());
    }

    #[test]
    fn refresh_network_failure_is_a_network_error() {
        let t = Scripted::new(vec![Err(TransportError::new(
            TransportErrorKind::Refused,
            "as: connection refused",
        ))]);
        let err = block_on(refresh(&cfg(), &RefreshToken::new("rt1"), &t)).unwrap_err();
        assert!(matches!(err, RefreshError::Transport(_)), "{err:?}");
    }

    #[test]
    fn refresh_server_error_5xx_is_a_network_error() {
        let t = Scripted::new(vec![Ok(HttpResponse::json(503, ""))]);
        let err = block_on(refresh(&cfg(), &RefreshToken::new("rt1"), &t)).unwrap_err();
        assert!(matches!(err, RefreshError::Unavailable(_)), "{err:?}");
    }

    #[test]
    fn revoke_sends_token_and_hint_and_accepts_200() {
        let t = Scripted::new(vec![Ok(HttpResponse::json(200, ""))]);
        block_on(revoke(
            &cfg(),
            "https://as/revoke",
            "rt1",
            TokenKind::Refresh,
            &t,
        ))
        .unwrap();
        let seen = t.seen.lock().unwrap();
        assert_eq!(seen[0].url, "https://as/revoke");
        assert_eq!(seen[0].param("token"), Some("rt1"));
        assert_eq!(seen[0].param("token_type_hint"), Some("refresh_token"));
        assert_eq!(seen[0].param("client_id"), Some("tv"));
    }

    #[test]
    fn revoke_unsupported_token_type_is_told_apart() {
        let t = Scripted::new(vec![Ok(HttpResponse::json(
            400,
            r#"{"error":"unsupported_token_type"}"#,
        ))]);
        let err = block_on(revoke(
            &cfg(),
            "https://as/revoke",
            "at",
            TokenKind::Access,
            &t,
        ))
        .unwrap_err();
        assert_eq!(err, RevokeError::Unsupported(TokenKind::Access));
    }
}
