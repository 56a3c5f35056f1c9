//! A stored sign-in after the grant: restore it, keep it fresh, sign out.
//!
//! `token`, `logout`, `status` and the GUI all go through these functions,
//! so they agree on when a refresh is due, what a refused refresh means, and
//! what signing out does.
//!
//! - A refresh is due when less than min(60 s, a fifth of the lifetime)
//!   remains ([`refresh_lead`]).
//! - Every refresh happens under the store's lock, and the record is read
//!   again once the lock is held: another process may have refreshed (and
//!   rotated the refresh token) meanwhile.
//! - A refused refresh (`invalid_grant`, or a bare 400 or 401) ends the
//!   stored sign-in: the record is deleted. A network failure, a timeout or
//!   a 5xx keeps it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::oauth::http::HttpTransport;
use crate::oauth::token::{self, RevokeError, TokenKind};
use crate::oauth::wire::TransportError;
use crate::provider::{Endpoints, Provider};
use crate::signin::{self, Identity, Outcome};
use crate::store::{self, StoreError, StoredTokens};

/// The longest lead before expiry at which a refresh is due.
pub const MAX_LEAD: Duration = Duration::from_secs(60);

/// How long before expiry a token that lives `lifetime` is refreshed:
/// min(60 s, a fifth of the lifetime). A fifth, so that refreshes of a
/// short-lived token are four fifths of its lifetime apart instead of
/// back to back.
pub fn refresh_lead(lifetime: Duration) -> Duration {
    (lifetime / 5).min(MAX_LEAD)
}

/// How long from `now` until the stored access token is due for a refresh
/// by [`refresh_lead`]; zero when it is due (or past). `None` when the
/// token has no expiry: nothing to refresh on a schedule.
///
/// Without a refresh token that can be used there is nothing to renew: the
/// time is until the access token expires, when the sign-in ends.
pub fn refresh_in(record: &StoredTokens, now: SystemTime) -> Option<Duration> {
    let expires_at = UNIX_EPOCH.checked_add(Duration::from_secs(record.expires_at?))?;
    let lifetime = Duration::from_secs(record.lifetime().unwrap_or(0));
    let lead = if record.can_refresh(unix(now)) {
        refresh_lead(lifetime)
    } else {
        Duration::ZERO
    };
    let due = expires_at.checked_sub(lead).unwrap_or(UNIX_EPOCH);
    Some(due.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A unix time as an HTTP date ("Wed, 02 Dec 2026 03:00:00 GMT"), or "a date
/// past 9999" for one no calendar here can print (a hostile lifetime).
pub fn http_date(at: u64) -> String {
    const LAST: u64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    match UNIX_EPOCH.checked_add(Duration::from_secs(at)) {
        Some(t) if at <= LAST => httpdate::fmt_http_date(t),
        _ => "a date past 9999".to_owned(),
    }
}

fn unix(now: SystemTime) -> u64 {
    now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// What is shown of a stored sign-in: who, and until when. Never a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub identity: Identity,
    /// When the access token expires (unix seconds); `None`: no expiry given.
    pub access_expires_at: Option<u64>,
    /// When the refresh token expires, when the provider said.
    pub refresh_expires_at: Option<u64>,
    /// Whether a refresh token is kept.
    pub has_refresh_token: bool,
    /// When the tokens were received (unix seconds).
    pub obtained_at: u64,
    pub scope: Option<String>,
}

impl Summary {
    pub fn of(record: &StoredTokens) -> Self {
        Self {
            identity: Identity::from_stored(record),
            access_expires_at: record.expires_at,
            refresh_expires_at: record.refresh_expires_at,
            has_refresh_token: record.refresh_token.is_some(),
            obtained_at: record.obtained_at,
            scope: record.scope.clone(),
        }
    }

    /// A sign-in that just happened, known only by who it is.
    pub fn fresh(identity: Identity, now: u64) -> Self {
        Self {
            identity,
            access_expires_at: None,
            refresh_expires_at: None,
            has_refresh_token: false,
            obtained_at: now,
            scope: None,
        }
    }

    /// Whether the sign-in can be used at `now` without a person: the access
    /// token is valid, or a refresh token that has not expired is kept.
    /// (Whether the provider still honours the refresh token only a refresh
    /// can tell.)
    pub fn usable(&self, now: u64) -> bool {
        self.access_expires_at.is_none_or(|at| at > now)
            || (self.has_refresh_token && self.refresh_expires_at.is_none_or(|at| at > now))
    }
}

/// The stored sign-in of each provider, in order: `Ok(None)` where there is
/// none. A record that cannot be read (permissions, a corrupt file, which is
/// moved aside) is its error.
pub fn summaries(
    providers: &[Arc<Provider>],
    dir: &Path,
) -> Vec<Result<Option<Summary>, StoreError>> {
    providers
        .iter()
        .map(|p| Ok(store::load(dir, &p.id)?.as_ref().map(Summary::of)))
        .collect()
}

/// Of the providers with a stored sign-in, the most recently used one
/// (the latest tokens received).
pub fn most_recent(summaries: &[Option<Summary>]) -> Option<usize> {
    summaries
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.as_ref().map(|s| (i, s.obtained_at)))
        .max_by_key(|&(i, at)| (at, std::cmp::Reverse(i)))
        .map(|(i, _)| i)
}

/// When a stored access token needs a refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// When it expires within this long (`token --min-valid`).
    ValidFor(Duration),
    /// When [`refresh_in`] says so (the GUI's schedule).
    Scheduled,
}

impl Due {
    fn now(self, record: &StoredTokens, now: SystemTime) -> bool {
        match self {
            Self::ValidFor(d) => !record.valid_for(d.as_secs(), unix(now)),
            // Without a usable refresh token this comes only at expiry.
            Self::Scheduled => refresh_in(record, now) == Some(Duration::ZERO),
        }
    }
}

/// The store's lock, taken off the async threads: another process may hold
/// it for as long as its refresh takes.
async fn lock(dir: &Path, provider_id: &str) -> Result<store::Lock, Outcome> {
    let (dir, id) = (dir.to_owned(), provider_id.to_owned());
    match tokio::task::spawn_blocking(move || store::lock(&dir, &id)).await {
        Ok(lock) => Ok(lock?),
        Err(e) => Err(Outcome::Store(format!("cannot take the store's lock: {e}"))),
    }
}

/// The stored sign-in of `provider`, refreshed first when `due` says so.
/// `Ok(None)`: nothing is stored.
///
/// A refresh the provider refuses deletes the record and is
/// [`Outcome::SignInRequired`]; so is an expired access token without a
/// usable refresh token. Any other failure keeps the record.
pub async fn fresh(
    provider: &Provider,
    dir: &Path,
    due: Due,
    http: Result<HttpTransport, TransportError>,
) -> Result<Option<StoredTokens>, Outcome> {
    let Some(record) = store::load(dir, &provider.id)? else {
        return Ok(None);
    };
    if !due.now(&record, SystemTime::now()) {
        return Ok(Some(record));
    }
    let _lock = lock(dir, &provider.id).await?;
    let Some(record) = store::load(dir, &provider.id)? else {
        return Ok(None);
    };
    let now = SystemTime::now();
    if !due.now(&record, now) {
        tracing::debug!(provider = %provider.id, "refreshed meanwhile by another process");
        return Ok(Some(record));
    }
    let Some(refresh_token) = record
        .can_refresh(unix(now))
        .then(|| record.refresh_token.clone())
        .flatten()
    else {
        let why = if record.refresh_token.is_some() {
            "its refresh token has expired"
        } else {
            "there is no refresh token"
        };
        if !record.valid_for(0, unix(now)) {
            store::delete(dir, &provider.id)?;
        }
        return Err(Outcome::SignInRequired(format!(
            "sign-in required: the access token for {} expires and {why}",
            provider.name
        )));
    };
    let transport = http.map_err(|e| Outcome::client(&e))?;
    let endpoints = signin::resolve_endpoints(provider, &transport).await?;
    let cfg = provider.client_config(&endpoints);
    let answer = match token::refresh(&cfg, &refresh_token, &transport).await {
        Ok(answer) => answer,
        Err(e) if e.sign_in_required() => {
            // The refresh token is dead: keeping it would only fail again.
            store::delete(dir, &provider.id)?;
            tracing::info!(provider = %provider.id, "the provider refused the refresh token; the stored sign-in is deleted");
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    let mut next = record.refreshed(&answer, unix(SystemTime::now()));
    // The new tokens are saved before the ID token is checked: a refresh
    // token the provider rotated is spent, and losing its successor to a
    // failed key fetch would end the sign-in. The new ID token is kept
    // only once it passed.
    let new_id_token = answer.id_token.clone();
    next.id_token = record.id_token.clone();
    store::save(dir, &next)?;
    if let Some(id_token) = new_id_token {
        signin::check_refreshed_id_token(
            provider,
            &endpoints,
            &mut next,
            id_token.expose(),
            &transport,
        )
        .await?;
        next.id_token = Some(id_token);
        store::save(dir, &next)?;
    }
    tracing::info!(provider = %provider.id, expires_in = ?answer.expires_in, "refreshed");
    Ok(Some(next))
}

/// What a check of a stored sign-in found, for the GUI. No tokens.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked {
    /// Usable. `refresh_in`: when the next refresh is due (`None`: never).
    Fresh {
        identity: Identity,
        refresh_in: Option<Duration>,
    },
    /// Nothing is stored (signed out elsewhere, by `logout`).
    Missing,
    /// The stored sign-in has ended and was deleted: why.
    Ended(String),
    /// The check failed and the stored sign-in is kept.
    Failed(Outcome),
}

/// Check `provider`'s stored sign-in, refreshing it when it is due by the
/// schedule. Meant to run on the GUI's executor.
pub async fn check(provider: Arc<Provider>, data_dir: Option<PathBuf>) -> Checked {
    let dir = match store::resolve_dir(data_dir.as_deref()) {
        Ok(dir) => dir,
        Err(e) => return Checked::Failed(e.into()),
    };
    // On its own task: when the GUI drops the check (Back, Home) while a
    // refresh is on the wire, the answer is still saved. The provider may
    // have rotated the refresh token, and losing the new one ends the sign-in.
    let work =
        tokio::spawn(
            async move { fresh(&provider, &dir, Due::Scheduled, signin::shared_http()).await },
        );
    let done = match work.await {
        Ok(done) => done,
        Err(e) => Err(Outcome::Store(format!(
            "the check of the stored sign-in failed: {e}"
        ))),
    };
    match done {
        Ok(Some(record)) => Checked::Fresh {
            identity: Identity::from_stored(&record),
            refresh_in: refresh_in(&record, SystemTime::now()),
        },
        Ok(None) => Checked::Missing,
        Err(Outcome::SignInRequired(why)) => Checked::Ended(why),
        Err(other) => Checked::Failed(other),
    }
}

/// What signing out did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignedOut {
    /// Whether there was a stored sign-in (it is gone now).
    pub was_signed_in: bool,
    /// What went wrong with the revocation, in plain words; empty if the
    /// provider revoked every token (or has no revocation endpoint).
    pub problems: Vec<String>,
    /// The provider has no revocation endpoint: the tokens were only
    /// deleted here.
    pub no_revocation: bool,
    /// Until when the tokens stay valid at the provider, when revocation
    /// failed (a sentence).
    pub still_valid: Option<String>,
}

impl SignedOut {
    pub fn revoked(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Sign out of `provider`: revoke the refresh token, then the access token
/// (RFC 7009), then delete the stored sign-in, whatever the revocation's
/// outcome. `Err` only when the store itself fails.
pub async fn sign_out(
    provider: &Provider,
    dir: &Path,
    http: Result<HttpTransport, TransportError>,
) -> Result<SignedOut, Outcome> {
    let _lock = lock(dir, &provider.id).await?;
    let Some(record) = store::load(dir, &provider.id)? else {
        return Ok(SignedOut::default());
    };
    let mut report = SignedOut {
        was_signed_in: true,
        ..SignedOut::default()
    };
    match http {
        Err(e) => report.problems.push(Outcome::client(&e).to_string()),
        Ok(transport) => match signin::resolve_endpoints(provider, &transport).await {
            Err(e) => report.problems.push(format!("cannot revoke: {e}")),
            Ok(endpoints) => match endpoints.revocation_endpoint.as_deref() {
                None => report.no_revocation = true,
                Some(endpoint) => {
                    report.problems =
                        revoke_all(provider, &endpoints, endpoint, &record, &transport).await;
                }
            },
        },
    }
    store::delete(dir, &provider.id)?;
    if !report.revoked() {
        report.still_valid = Some(still_valid(provider, &record));
    }
    Ok(report)
}

/// Revoke the refresh token, then the access token; every problem, in order.
async fn revoke_all(
    provider: &Provider,
    endpoints: &Endpoints,
    endpoint: &str,
    record: &StoredTokens,
    transport: &HttpTransport,
) -> Vec<String> {
    let cfg = provider.client_config(endpoints);
    let mut tokens: Vec<(&str, TokenKind)> = Vec::new();
    if let Some(rt) = &record.refresh_token {
        tokens.push((rt.expose(), TokenKind::Refresh));
    }
    tokens.push((record.access_token.expose(), TokenKind::Access));
    let mut problems = Vec::new();
    for (value, kind) in tokens {
        match token::revoke(&cfg, endpoint, value, kind, transport).await {
            Ok(()) => tracing::debug!(%kind, "revoked"),
            // RFC 7009 §2.2.1: the provider cannot revoke this kind; the
            // refresh token's revocation usually covers it.
            Err(RevokeError::Unsupported(kind)) => {
                tracing::info!(%kind, "the provider does not revoke this kind of token");
            }
            Err(e) => {
                let refused = refusal(provider, endpoints, &e);
                problems.push(refused.unwrap_or_else(|| e.to_string()));
                if matches!(e, RevokeError::Http { .. } | RevokeError::Server { .. }) {
                    // The same refusal would follow for the access token.
                    break;
                }
            }
        }
    }
    problems
}

/// A revocation the provider refused, said plainly, with what discovery
/// says about how its revocation endpoint wants clients to authenticate.
/// `None` for failures that are not a refusal (the network).
pub fn refusal(provider: &Provider, endpoints: &Endpoints, e: &RevokeError) -> Option<String> {
    let (kind, status, error) = match e {
        RevokeError::Http { kind, status } => (*kind, Some(*status), None),
        RevokeError::Server { kind, error } => (*kind, None, Some(error)),
        _ => return None,
    };
    let code = match (status, error) {
        (Some(status), _) => format!("HTTP {status}"),
        (None, Some(error)) => error.to_string(),
        (None, None) => String::new(),
    };
    let about_auth = matches!(status, Some(401 | 403))
        || error
            .is_some_and(|e| matches!(e.error.as_str(), "invalid_client" | "unauthorized_client"));
    let mut text = format!("{} refused to revoke the {kind} ({code})", provider.name);
    if about_auth {
        let methods: Vec<&str> = endpoints
            .revocation_auth_methods
            .iter()
            .map(String::as_str)
            .filter(|m| *m != "none")
            .collect();
        let public = provider.client_secret.is_none();
        let needs_auth = !endpoints.revocation_auth_methods.is_empty()
            && !endpoints
                .revocation_auth_methods
                .iter()
                .any(|m| m == "none");
        match (public, needs_auth) {
            (true, true) => text.push_str(&format!(
                ": its revocation endpoint requires client authentication ({}), and this \
                 client has no client_secret",
                methods.join(", ")
            )),
            (true, false) => text.push_str(
                ": it wants client authentication, which this client, having no \
                 client_secret, cannot give",
            ),
            (false, _) => text.push_str(": it did not accept this client's credentials"),
        }
    }
    Some(text)
}

/// "The tokens were deleted here; at PROVIDER …": until when they stay valid.
fn still_valid(provider: &Provider, record: &StoredTokens) -> String {
    let when = http_date;
    let name = &provider.name;
    let access = match record.expires_at {
        Some(at) => format!("until {}", when(at)),
        None => format!("until {name} ends it"),
    };
    let refresh = match (&record.refresh_token, record.refresh_expires_at) {
        (None, _) => String::new(),
        (Some(_), Some(at)) => format!(", the refresh token until {}", when(at)),
        (Some(_), None) => format!(", the refresh token until {name} ends it"),
    };
    format!(
        "the tokens were deleted here; at {name} the access token stays valid {access}{refresh}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::TokenResponse;

    fn record(json: &str, obtained_at: u64) -> StoredTokens {
        let answer: TokenResponse = serde_json::from_str(json).unwrap();
        StoredTokens::from_response("p", &answer, obtained_at)
    }

    fn at(secs: f64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs_f64(secs)
    }

    #[test]
    fn the_lead_is_a_fifth_of_the_lifetime_up_to_a_minute() {
        assert_eq!(
            refresh_lead(Duration::from_secs(8)),
            Duration::from_millis(1600)
        );
        assert_eq!(
            refresh_lead(Duration::from_secs(300)),
            Duration::from_secs(60)
        );
        assert_eq!(
            refresh_lead(Duration::from_secs(3600)),
            Duration::from_secs(60)
        );
        assert_eq!(refresh_lead(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn an_8_s_token_is_due_at_6_4_s_and_a_1_h_token_at_59_min() {
        let short = record(
            r#"{"access_token":"a","refresh_token":"r","expires_in":8}"#,
            1000,
        );
        assert_eq!(
            refresh_in(&short, at(1000.0)),
            Some(Duration::from_millis(6400))
        );
        assert_eq!(refresh_in(&short, at(1006.4)), Some(Duration::ZERO));
        assert_eq!(
            refresh_in(&short, at(1020.0)),
            Some(Duration::ZERO),
            "past: due"
        );
        let hour = record(
            r#"{"access_token":"a","refresh_token":"r","expires_in":3600}"#,
            1000,
        );
        assert_eq!(
            refresh_in(&hour, at(1000.0)),
            Some(Duration::from_secs(3540))
        );
        let forever = record(r#"{"access_token":"a"}"#, 1000);
        assert_eq!(
            refresh_in(&forever, at(1000.0)),
            None,
            "no expiry, no schedule"
        );
    }

    #[test]
    fn without_a_refresh_token_the_sign_in_is_due_only_at_expiry() {
        let no_rt = record(r#"{"access_token":"a","expires_in":100}"#, 1000);
        assert_eq!(
            refresh_in(&no_rt, at(1000.0)),
            Some(Duration::from_secs(100))
        );
    }

    #[test]
    fn dates_no_calendar_can_print_are_said_in_words_not_a_panic() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(u64::MAX), "a date past 9999");
        assert_eq!(http_date(300_000_000_000), "a date past 9999");
    }

    #[test]
    fn the_most_recent_sign_in_is_the_latest_tokens_received() {
        let s = |at| Some(Summary::fresh(Identity::default(), at));
        assert_eq!(most_recent(&[None, None]), None);
        assert_eq!(most_recent(&[s(5), None, s(9), s(7)]), Some(2));
        assert_eq!(most_recent(&[s(5), s(5)]), Some(0), "a tie: the first");
    }

    #[test]
    fn a_sign_in_is_usable_with_a_valid_access_token_or_a_live_refresh_token() {
        let at_only = Summary::of(&record(r#"{"access_token":"a","expires_in":10}"#, 100));
        assert!(at_only.usable(105));
        assert!(!at_only.usable(111));
        let with_rt = Summary::of(&record(
            r#"{"access_token":"a","expires_in":10,"refresh_token":"r","refresh_expires_in":100}"#,
            100,
        ));
        assert!(with_rt.usable(150));
        assert!(!with_rt.usable(201), "the refresh token expired too");
    }

    #[test]
    fn a_refusal_to_revoke_names_the_auth_methods_discovery_gives() {
        let provider =
            Provider::explicit("gl", "Glewlwyd", "https://gl/device", "https://gl/token");
        let endpoints = Endpoints {
            revocation_auth_methods: vec![
                "client_secret_basic".into(),
                "client_secret_post".into(),
            ],
            ..Endpoints::default()
        };
        let e = RevokeError::Http {
            kind: TokenKind::Refresh,
            status: 401,
        };
        let text = refusal(&provider, &endpoints, &e).unwrap();
        assert_eq!(
            text,
            "Glewlwyd refused to revoke the refresh token (HTTP 401): its revocation endpoint \
             requires client authentication (client_secret_basic, client_secret_post), and this \
             client has no client_secret"
        );
        let network = RevokeError::Network {
            kind: TokenKind::Refresh,
            detail: "connection refused".into(),
        };
        assert_eq!(refusal(&provider, &endpoints, &network), None);
    }

    #[test]
    fn still_valid_says_until_when_the_tokens_live_at_the_provider() {
        let provider =
            Provider::explicit("gl", "Glewlwyd", "https://gl/device", "https://gl/token");
        let r = record(
            r#"{"access_token":"a","expires_in":60,"refresh_token":"r"}"#,
            0,
        );
        assert_eq!(
            still_valid(&provider, &r),
            "the tokens were deleted here; at Glewlwyd the access token stays valid until Thu, \
             01 Jan 1970 00:01:00 GMT, the refresh token until Glewlwyd ends it"
        );
    }
}
