//! The authorization server's memory and rules, without HTTP and without a
//! clock: every method takes `now`, so the rules are plain unit tests.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::codes::{self, SecretKey};
use super::{CLIENT_ID, DemoConfig, DemoStats, SCOPES_SUPPORTED};

/// How long a device grant is remembered after it expired, so late polls
/// get `expired_token` (then `invalid_grant` once it is forgotten).
const RETENTION: Duration = Duration::from_secs(600);
/// More live device grants than this and new ones are refused (memory bound
/// for a server that may listen on a LAN).
const MAX_DEVICE_GRANTS: usize = 10_000;
/// The longest device name the verification page shows, in characters.
pub const DEVICE_NAME_MAX: usize = 64;

/// The non-standard `device_name` of a device authorization request, as
/// the verification page may show it: control characters and bidi
/// overrides, embeddings, isolates and marks removed, trimmed, and cut to
/// [`DEVICE_NAME_MAX`] characters. `None` when nothing is left. (It still
/// has to be HTML-escaped: this only makes it safe to read.)
pub fn sanitise_device_name(raw: Option<&str>) -> Option<String> {
    let kept: String = raw
        .unwrap_or("")
        .chars()
        .filter(|c| !hides_or_reorders_text(*c))
        .collect();
    let capped: String = kept.trim().chars().take(DEVICE_NAME_MAX).collect();
    let name = capped.trim_end();
    (!name.is_empty()).then(|| name.to_owned())
}

/// Control characters, and the bidi controls that can make a name read
/// differently from what it is (U+202A–U+202E, U+2066–U+2069, and the
/// LRM, RLM and ALM marks).
pub fn hides_or_reorders_text(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

/// The person who approved, as the ID token and userinfo describe them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoIdentity {
    pub sub: String,
    pub name: String,
    pub preferred_username: String,
    pub email: String,
}

impl Default for DemoIdentity {
    fn default() -> Self {
        Self::from_name(None)
    }
}

impl DemoIdentity {
    /// The identity for a display name typed on the page; empty or absent
    /// gives "Demo Viewer". Control characters are dropped and the name is
    /// cut to 40 characters.
    pub fn from_name(name: Option<&str>) -> Self {
        let name: String = name
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(40)
            .collect::<String>()
            .trim()
            .to_owned();
        let name = if name.is_empty() {
            "Demo Viewer".to_owned()
        } else {
            name
        };
        let mut username = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                username.push(c.to_ascii_lowercase());
            } else if !username.is_empty() && !username.ends_with('.') {
                username.push('.');
            }
        }
        let username = username.trim_end_matches('.');
        // "Demo Viewer" is the default person: keep their short name.
        let username = match username {
            "" | "demo.viewer" => "viewer".to_owned(),
            other => other.to_owned(),
        };
        Self {
            sub: format!("demo-{username}"),
            email: format!("{username}@demo.invalid"),
            preferred_username: username,
            name,
        }
    }
}

/// An OAuth error answer (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthFailure {
    pub status: u16,
    pub error: &'static str,
    pub description: String,
    /// For slow_down: the interval now required, in whole seconds.
    pub interval: Option<u64>,
}

impl OAuthFailure {
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status: 400,
            error,
            description: description.into(),
            interval: None,
        }
    }

    pub fn invalid_client(client_id: &str) -> Self {
        let shown: String = client_id.chars().take(64).collect();
        Self::new(
            "invalid_client",
            format!("unknown client_id `{shown}`; this server knows only `{CLIENT_ID}`"),
        )
    }
}

/// The answer to a device authorization request. The device code is handed
/// out once and only its hash is kept.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceIssued {
    pub device_code: String,
    /// `XXXX-XXXX`.
    pub user_code: String,
    pub expires_in: Duration,
    pub interval: Duration,
}

impl std::fmt::Debug for DeviceIssued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceIssued")
            .field("user_code", &self.user_code)
            .finish_non_exhaustive()
    }
}

/// Tokens just issued; the caller adds the signed ID token.
#[derive(Clone, PartialEq, Eq)]
pub struct Issued {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: Duration,
    pub scope: String,
    pub identity: DemoIdentity,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued")
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

/// What the person on the verification page chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve(DemoIdentity),
    Deny,
}

/// A live, undecided device grant, as the verification page describes it
/// before Approve or Deny. It holds nothing secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingGrant {
    /// As shown: `XXXX-XXXX`.
    pub user_code: String,
    /// Already sanitised; `None` when the device sent none.
    pub device_name: Option<String>,
    /// The granted scopes, space-separated.
    pub scope: String,
    /// Until the code expires (never zero: an expired code is not pending).
    pub expires_in: Duration,
}

/// Why the verification page could not record a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecideError {
    /// Too many wrong codes lately; try again after this long.
    RateLimited(Duration),
    /// No live code matches (counted as a wrong code).
    Unknown,
    Expired,
    AlreadyUsed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum DeviceStatus {
    Pending,
    Approved(DemoIdentity),
    Denied,
    Redeemed { family: u64 },
}

#[derive(Debug)]
struct DeviceGrant {
    client_id: String,
    scope: String,
    /// Sanitised with [`sanitise_device_name`].
    device_name: Option<String>,
    user_code: String,
    expires_at: Instant,
    /// The interval this device must keep; each slow_down raises it.
    interval: Duration,
    last_poll: Option<Instant>,
    status: DeviceStatus,
}

/// All tokens that stem from one device approval: revoked together.
#[derive(Debug)]
struct Family {
    client_id: String,
    scope: String,
    identity: DemoIdentity,
    revoked: bool,
}

#[derive(Debug)]
struct AccessRecord {
    family: u64,
    expires_at: Instant,
}

#[derive(Debug)]
struct RefreshRecord {
    family: u64,
    rotated: bool,
}

/// At most `limit` wrong codes per `window`, from anywhere.
#[derive(Debug)]
pub struct WrongCodeLimiter {
    limit: usize,
    window: Duration,
    failures: VecDeque<Instant>,
}

impl WrongCodeLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit: limit.max(1) as usize,
            window,
            failures: VecDeque::new(),
        }
    }

    /// `Err(wait)` when the limit is reached: the time until the oldest
    /// failure leaves the window.
    pub fn check(&mut self, now: Instant) -> Result<(), Duration> {
        while let Some(first) = self.failures.front() {
            if now.saturating_duration_since(*first) >= self.window {
                self.failures.pop_front();
            } else {
                break;
            }
        }
        match self.failures.front() {
            Some(first) if self.failures.len() >= self.limit => {
                Err(self.window - now.saturating_duration_since(*first))
            }
            _ => Ok(()),
        }
    }

    pub fn record_failure(&mut self, now: Instant) {
        self.failures.push_back(now);
    }
}

/// The server's whole state, behind one mutex in the HTTP layer.
#[derive(Debug)]
pub struct Authority {
    config: DemoConfig,
    devices: HashMap<SecretKey, DeviceGrant>,
    user_codes: HashMap<String, SecretKey>,
    families: HashMap<u64, Family>,
    access: HashMap<SecretKey, AccessRecord>,
    refresh: HashMap<SecretKey, RefreshRecord>,
    next_family: u64,
    limiter: WrongCodeLimiter,
    pub stats: DemoStats,
}

impl Authority {
    pub fn new(config: DemoConfig) -> Self {
        Self {
            limiter: WrongCodeLimiter::new(config.wrong_code_limit, config.wrong_code_window),
            config,
            devices: HashMap::new(),
            user_codes: HashMap::new(),
            families: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            next_family: 1,
            stats: DemoStats::default(),
        }
    }

    fn check_client(client_id: Option<&str>) -> Result<(), OAuthFailure> {
        match client_id {
            None => Err(OAuthFailure::new(
                "invalid_request",
                "the `client_id` parameter is missing",
            )),
            Some(CLIENT_ID) => Ok(()),
            Some(other) => Err(OAuthFailure::invalid_client(other)),
        }
    }

    fn forget_old(&mut self, now: Instant) {
        self.devices
            .retain(|_, g| now.saturating_duration_since(g.expires_at) < RETENTION);
        let devices = &self.devices;
        self.user_codes.retain(|_, key| devices.contains_key(key));
        self.access.retain(|_, a| a.expires_at > now);
    }

    /// RFC 8628 §3.1–3.2, with a non-standard, optional `device_name` for
    /// the verification page.
    pub fn authorize_device(
        &mut self,
        client_id: Option<&str>,
        scope: Option<&str>,
        device_name: Option<&str>,
        now: Instant,
    ) -> Result<DeviceIssued, OAuthFailure> {
        Self::check_client(client_id)?;
        let scope = grant_scope(scope)?;
        self.forget_old(now);
        if self.devices.len() >= MAX_DEVICE_GRANTS {
            return Err(OAuthFailure {
                status: 503,
                ..OAuthFailure::new(
                    "temporarily_unavailable",
                    "too many sign-ins in progress; try again later",
                )
            });
        }
        // A collision is a one-in-billions event; a few tries make it moot.
        let user_code = (0..16).map(|_| codes::new_user_code()).find_map(|c| {
            let n = codes::normalise_user_code(&c)?;
            (!self.user_codes.contains_key(&n)).then_some((c, n))
        });
        let Some((user_code, normalised)) = user_code else {
            return Err(OAuthFailure {
                status: 503,
                ..OAuthFailure::new("temporarily_unavailable", "no free user code; try again")
            });
        };
        let device_code = codes::new_secret();
        let key = codes::secret_key(&device_code);
        self.devices.insert(
            key,
            DeviceGrant {
                client_id: CLIENT_ID.to_owned(),
                scope,
                device_name: sanitise_device_name(device_name),
                user_code: normalised.clone(),
                expires_at: now + self.config.expires_in,
                interval: self.config.interval,
                last_poll: None,
                status: DeviceStatus::Pending,
            },
        );
        self.user_codes.insert(normalised, key);
        self.stats.device_codes_issued += 1;
        Ok(DeviceIssued {
            device_code,
            user_code,
            expires_in: self.config.expires_in,
            interval: self.config.interval,
        })
    }

    /// RFC 8628 §3.4–3.5: one poll with a device code.
    pub fn poll(
        &mut self,
        client_id: Option<&str>,
        device_code: Option<&str>,
        now: Instant,
    ) -> Result<Issued, OAuthFailure> {
        Self::check_client(client_id)?;
        let device_code = device_code.ok_or_else(|| {
            OAuthFailure::new("invalid_request", "the `device_code` parameter is missing")
        })?;
        self.stats.polls += 1;
        let tolerance = self.config.poll_tolerance;
        let increment = self.config.slow_down_increment;
        let Some(grant) = self.devices.get_mut(&codes::secret_key(device_code)) else {
            return Err(OAuthFailure::new(
                "invalid_grant",
                "unknown device_code (never issued, or forgotten long after expiry)",
            ));
        };
        if grant.client_id != CLIENT_ID {
            return Err(OAuthFailure::new(
                "invalid_grant",
                "the device_code was issued to another client",
            ));
        }
        if let DeviceStatus::Redeemed { family } = grant.status {
            // Like an authorization code used twice (RFC 6749 §4.1.2): the
            // second use may be an attacker, so the tokens go too.
            self.revoke_family(family);
            self.stats.device_code_reuses += 1;
            return Err(OAuthFailure::new(
                "invalid_grant",
                "the device_code was already redeemed; the tokens issued for it are revoked",
            ));
        }
        if now >= grant.expires_at {
            return Err(OAuthFailure::new(
                "expired_token",
                "the device_code expired; start a new sign-in",
            ));
        }
        if let Some(last) = grant.last_poll {
            let since = now.saturating_duration_since(last);
            if since + tolerance < grant.interval {
                grant.last_poll = Some(now);
                grant.interval += increment;
                self.stats.slow_downs += 1;
                return Err(OAuthFailure {
                    interval: Some(whole_seconds(grant.interval)),
                    ..OAuthFailure::new(
                        "slow_down",
                        format!(
                            "polled {} ms after the previous poll; wait at least {} ms between polls from now on",
                            since.as_millis(),
                            grant.interval.as_millis()
                        ),
                    )
                });
            }
        }
        grant.last_poll = Some(now);
        match &grant.status {
            DeviceStatus::Pending => Err(OAuthFailure::new(
                "authorization_pending",
                "waiting for the user to approve on the other device",
            )),
            DeviceStatus::Denied => Err(OAuthFailure::new(
                "access_denied",
                "the user declined the sign-in",
            )),
            DeviceStatus::Approved(identity) => {
                let identity = identity.clone();
                let scope = grant.scope.clone();
                let family = self.next_family;
                self.next_family += 1;
                grant.status = DeviceStatus::Redeemed { family };
                self.families.insert(
                    family,
                    Family {
                        client_id: CLIENT_ID.to_owned(),
                        scope,
                        identity,
                        revoked: false,
                    },
                );
                Ok(self.issue(family, now))
            }
            DeviceStatus::Redeemed { .. } => Err(OAuthFailure::new(
                "invalid_grant",
                "the device_code was already redeemed",
            )),
        }
    }

    /// RFC 6749 §6, with rotation: every refresh token works once.
    pub fn refresh(
        &mut self,
        client_id: Option<&str>,
        refresh_token: Option<&str>,
        now: Instant,
    ) -> Result<Issued, OAuthFailure> {
        Self::check_client(client_id)?;
        let token = refresh_token.ok_or_else(|| {
            OAuthFailure::new(
                "invalid_request",
                "the `refresh_token` parameter is missing",
            )
        })?;
        let unknown = || OAuthFailure::new("invalid_grant", "unknown or revoked refresh token");
        let Some(record) = self.refresh.get_mut(&codes::secret_key(token)) else {
            return Err(unknown());
        };
        let family_id = record.family;
        let Some(family) = self.families.get(&family_id) else {
            return Err(unknown());
        };
        if family.revoked || family.client_id != CLIENT_ID {
            return Err(unknown());
        }
        if record.rotated {
            // Reuse of a rotated-out token: the grant may be stolen.
            self.revoke_family(family_id);
            self.stats.refresh_reuses += 1;
            return Err(OAuthFailure::new(
                "invalid_grant",
                "this refresh token was already used and replaced; the whole grant is revoked",
            ));
        }
        record.rotated = true;
        self.stats.refreshes += 1;
        Ok(self.issue(family_id, now))
    }

    fn issue(&mut self, family_id: u64, now: Instant) -> Issued {
        let access_token = codes::new_secret();
        let refresh_token = codes::new_secret();
        self.access.insert(
            codes::secret_key(&access_token),
            AccessRecord {
                family: family_id,
                expires_at: now + self.config.access_token_lifetime,
            },
        );
        self.refresh.insert(
            codes::secret_key(&refresh_token),
            RefreshRecord {
                family: family_id,
                rotated: false,
            },
        );
        self.stats.tokens_issued += 1;
        let (scope, identity) = self
            .families
            .get(&family_id)
            .map(|f| (f.scope.clone(), f.identity.clone()))
            .unwrap_or_default();
        Issued {
            access_token,
            refresh_token,
            expires_in: self.config.access_token_lifetime,
            scope,
            identity,
        }
    }

    fn revoke_family(&mut self, family_id: u64) {
        if let Some(f) = self.families.get_mut(&family_id) {
            f.revoked = true;
        }
        self.access.retain(|_, a| a.family != family_id);
    }

    /// RFC 7009: an access token is revoked alone; a refresh token takes
    /// its whole grant with it. Unknown tokens are not an error.
    pub fn revoke(&mut self, client_id: Option<&str>, token: &str) -> Result<(), OAuthFailure> {
        Self::check_client(client_id)?;
        let key = codes::secret_key(token);
        if self.access.remove(&key).is_some() {
            self.stats.revocations += 1;
        } else if let Some(family) = self.refresh.get(&key).map(|r| r.family) {
            self.revoke_family(family);
            self.stats.revocations += 1;
        }
        Ok(())
    }

    /// Who an access token belongs to, while it is valid.
    pub fn userinfo(&self, access_token: &str, now: Instant) -> Option<DemoIdentity> {
        let record = self.access.get(&codes::secret_key(access_token))?;
        if record.expires_at <= now {
            return None;
        }
        let family = self.families.get(&record.family)?;
        (!family.revoked).then(|| family.identity.clone())
    }

    /// The grant a code typed on (or linked to) the verification page
    /// names, if it is live and undecided. Rate limited, and a wrong code
    /// counts as one, as for [`Authority::decide`]: the page that shows a
    /// grant must not be a way to guess codes.
    fn pending_key(&mut self, typed: &str, now: Instant) -> Result<SecretKey, DecideError> {
        self.limiter.check(now).map_err(|wait| {
            self.stats.rate_limited += 1;
            DecideError::RateLimited(wait)
        })?;
        let found = codes::normalise_user_code(typed)
            .and_then(|code| self.user_codes.get(&code))
            .and_then(|key| Some((*key, self.devices.get(key)?)));
        let Some((key, grant)) = found else {
            self.limiter.record_failure(now);
            self.stats.wrong_codes += 1;
            return Err(DecideError::Unknown);
        };
        if now >= grant.expires_at {
            return Err(DecideError::Expired);
        }
        if grant.status != DeviceStatus::Pending {
            return Err(DecideError::AlreadyUsed);
        }
        Ok(key)
    }

    /// What the verification page shows before Approve or Deny: which
    /// device asks, for which scopes, and how long the code has left.
    pub fn lookup(&mut self, typed: &str, now: Instant) -> Result<PendingGrant, DecideError> {
        let key = self.pending_key(typed, now)?;
        let grant = self.devices.get(&key).ok_or(DecideError::Unknown)?;
        Ok(PendingGrant {
            user_code: codes::display_user_code(&grant.user_code),
            device_name: grant.device_name.clone(),
            scope: grant.scope.clone(),
            expires_in: grant.expires_at.saturating_duration_since(now),
        })
    }

    /// The verification page's Approve or Deny. Returns the code as shown.
    pub fn decide(
        &mut self,
        typed: &str,
        decision: Decision,
        now: Instant,
    ) -> Result<String, DecideError> {
        let key = self.pending_key(typed, now)?;
        let grant = self.devices.get_mut(&key).ok_or(DecideError::Unknown)?;
        grant.status = match decision {
            Decision::Approve(identity) => {
                self.stats.approvals += 1;
                DeviceStatus::Approved(identity)
            }
            Decision::Deny => {
                self.stats.denials += 1;
                DeviceStatus::Denied
            }
        };
        Ok(codes::display_user_code(&grant.user_code))
    }
}

/// The scopes granted for a request: the known ones among those asked
/// for, or all of them when none were asked for.
fn grant_scope(requested: Option<&str>) -> Result<String, OAuthFailure> {
    let requested: Vec<&str> = requested.unwrap_or("").split_whitespace().collect();
    if requested.is_empty() {
        return Ok(SCOPES_SUPPORTED.join(" "));
    }
    let mut granted: Vec<&str> = Vec::new();
    for s in requested {
        if SCOPES_SUPPORTED.contains(&s) && !granted.contains(&s) {
            granted.push(s);
        }
    }
    if granted.is_empty() {
        return Err(OAuthFailure::new(
            "invalid_scope",
            format!(
                "none of the requested scopes is known; this server offers: {}",
                SCOPES_SUPPORTED.join(" ")
            ),
        ));
    }
    Ok(granted.join(" "))
}

/// Seconds for the wire: rounded up, and at least 1.
pub fn whole_seconds(d: Duration) -> u64 {
    let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    secs.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> DemoConfig {
        DemoConfig {
            expires_in: Duration::from_secs(600),
            interval: Duration::from_secs(5),
            ..DemoConfig::default()
        }
    }

    fn started() -> (Authority, DeviceIssued, Instant) {
        let mut a = Authority::new(config());
        let t0 = Instant::now();
        let issued = a
            .authorize_device(Some(CLIENT_ID), Some("openid"), None, t0)
            .unwrap();
        (a, issued, t0)
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn error_of<T: std::fmt::Debug>(r: Result<T, OAuthFailure>) -> &'static str {
        r.unwrap_err().error
    }

    #[test]
    fn wrong_codes_are_limited_to_five_per_window_from_anywhere() {
        let mut l = WrongCodeLimiter::new(5, secs(60));
        let t0 = Instant::now();
        for i in 0..5 {
            assert_eq!(l.check(t0 + secs(i)), Ok(()));
            l.record_failure(t0 + secs(i));
        }
        assert_eq!(l.check(t0 + secs(10)), Err(secs(50)));
        // The first failure leaves the window after 60 s.
        assert_eq!(l.check(t0 + secs(60)), Ok(()));
        l.record_failure(t0 + secs(60));
        let half = Duration::from_millis(500);
        assert_eq!(l.check(t0 + secs(60) + half), Err(half));
        assert_eq!(l.check(t0 + secs(61)), Ok(()));
    }

    #[test]
    fn the_rate_limit_refuses_even_right_codes_while_it_lasts() {
        let (mut a, issued, t0) = started();
        for _ in 0..5 {
            assert_eq!(
                a.decide("BBBB-BBBB", Decision::Deny, t0),
                Err(DecideError::Unknown)
            );
        }
        assert!(matches!(
            a.decide(&issued.user_code, Decision::Deny, t0),
            Err(DecideError::RateLimited(_))
        ));
        assert_eq!(a.stats.wrong_codes, 5);
        assert!(
            a.decide(&issued.user_code, Decision::Deny, t0 + secs(61))
                .is_ok()
        );
    }

    #[test]
    fn garbage_input_counts_as_a_wrong_code() {
        let (mut a, _, t0) = started();
        assert_eq!(
            a.decide("<script>", Decision::Deny, t0),
            Err(DecideError::Unknown)
        );
        assert_eq!(a.stats.wrong_codes, 1);
    }

    #[test]
    fn the_page_accepts_the_code_in_any_case_and_without_dash() {
        let (mut a, issued, t0) = started();
        let typed = issued.user_code.replace('-', "").to_lowercase();
        assert_eq!(
            a.decide(&typed, Decision::Approve(DemoIdentity::default()), t0),
            Ok(issued.user_code.clone())
        );
        assert_eq!(
            a.decide(&issued.user_code, Decision::Deny, t0),
            Err(DecideError::AlreadyUsed)
        );
    }

    #[test]
    fn an_early_poll_gets_slow_down_and_raises_the_interval() {
        let (mut a, issued, t0) = started();
        let dc = Some(issued.device_code.as_str());
        assert_eq!(
            error_of(a.poll(Some(CLIENT_ID), dc, t0)),
            "authorization_pending"
        );
        let early = a.poll(Some(CLIENT_ID), dc, t0 + Duration::from_millis(4900));
        let failure = early.unwrap_err();
        assert_eq!(failure.error, "slow_down");
        assert_eq!(failure.interval, Some(10));
        // The old interval is no longer enough…
        assert_eq!(
            error_of(a.poll(Some(CLIENT_ID), dc, t0 + secs(10))),
            "slow_down"
        );
        // …the raised one is.
        assert_eq!(
            error_of(a.poll(Some(CLIENT_ID), dc, t0 + secs(25))),
            "authorization_pending"
        );
        assert_eq!(a.stats.slow_downs, 2);
    }

    #[test]
    fn a_poll_exactly_one_interval_later_is_on_time() {
        let (mut a, issued, t0) = started();
        let dc = Some(issued.device_code.as_str());
        let _ = a.poll(Some(CLIENT_ID), dc, t0);
        let within_tolerance = t0 + secs(5) - Duration::from_millis(1);
        assert_eq!(
            error_of(a.poll(Some(CLIENT_ID), dc, within_tolerance)),
            "authorization_pending"
        );
    }

    #[test]
    fn the_device_code_works_once_and_reuse_revokes_its_tokens() {
        let (mut a, issued, t0) = started();
        let dc = Some(issued.device_code.as_str());
        a.decide(
            &issued.user_code,
            Decision::Approve(DemoIdentity::default()),
            t0,
        )
        .unwrap();
        let tokens = a.poll(Some(CLIENT_ID), dc, t0).unwrap();
        assert!(a.userinfo(&tokens.access_token, t0).is_some());
        assert_eq!(
            error_of(a.poll(Some(CLIENT_ID), dc, t0 + secs(10))),
            "invalid_grant"
        );
        assert_eq!(a.userinfo(&tokens.access_token, t0 + secs(10)), None);
    }

    #[test]
    fn codes_expire() {
        let (mut a, issued, t0) = started();
        let dc = Some(issued.device_code.as_str());
        assert_eq!(
            error_of(a.poll(Some(CLIENT_ID), dc, t0 + secs(600))),
            "expired_token"
        );
        assert_eq!(
            a.decide(&issued.user_code, Decision::Deny, t0 + secs(600)),
            Err(DecideError::Expired)
        );
        // Long after expiry the grant is forgotten.
        let later = t0 + secs(600) + RETENTION;
        a.authorize_device(Some(CLIENT_ID), None, None, later)
            .unwrap();
        assert_eq!(
            error_of(a.poll(Some(CLIENT_ID), dc, later)),
            "invalid_grant"
        );
    }

    #[test]
    fn unknown_clients_are_refused() {
        let mut a = Authority::new(config());
        let t0 = Instant::now();
        assert_eq!(
            error_of(a.authorize_device(Some("someone-else"), None, None, t0)),
            "invalid_client"
        );
        assert_eq!(
            error_of(a.authorize_device(None, None, None, t0)),
            "invalid_request"
        );
    }

    #[test]
    fn refresh_tokens_rotate_and_reuse_revokes_the_grant() {
        let (mut a, issued, t0) = started();
        a.decide(
            &issued.user_code,
            Decision::Approve(DemoIdentity::default()),
            t0,
        )
        .unwrap();
        let first = a
            .poll(Some(CLIENT_ID), Some(&issued.device_code), t0)
            .unwrap();
        let second = a
            .refresh(Some(CLIENT_ID), Some(&first.refresh_token), t0)
            .unwrap();
        assert_ne!(first.refresh_token, second.refresh_token);
        assert_eq!(
            error_of(a.refresh(Some(CLIENT_ID), Some(&first.refresh_token), t0)),
            "invalid_grant"
        );
        assert_eq!(
            error_of(a.refresh(Some(CLIENT_ID), Some(&second.refresh_token), t0)),
            "invalid_grant"
        );
        assert_eq!(a.userinfo(&second.access_token, t0), None);
    }

    #[test]
    fn access_tokens_expire() {
        let (mut a, issued, t0) = started();
        a.decide(
            &issued.user_code,
            Decision::Approve(DemoIdentity::default()),
            t0,
        )
        .unwrap();
        let tokens = a
            .poll(Some(CLIENT_ID), Some(&issued.device_code), t0)
            .unwrap();
        let lifetime = config().access_token_lifetime;
        assert!(
            a.userinfo(&tokens.access_token, t0 + lifetime - secs(1))
                .is_some()
        );
        assert_eq!(a.userinfo(&tokens.access_token, t0 + lifetime), None);
    }

    #[test]
    fn display_names_become_a_tidy_identity() {
        let d = DemoIdentity::default();
        assert_eq!(d.name, "Demo Viewer");
        assert_eq!(d.email, "viewer@demo.invalid");
        assert_eq!(d.preferred_username, "viewer");
        let anna = DemoIdentity::from_name(Some("  Anna  Müller\u{7} "));
        assert_eq!(anna.name, "Anna  Müller");
        assert_eq!(anna.preferred_username, "anna.m.ller");
        assert_eq!(anna.email, "anna.m.ller@demo.invalid");
        assert_eq!(DemoIdentity::from_name(Some("   ")).name, "Demo Viewer");
        assert_eq!(
            DemoIdentity::from_name(Some(&"x".repeat(100))).name.len(),
            40
        );
    }

    #[test]
    fn a_device_name_is_stripped_of_controls_and_bidi_overrides_trimmed_and_capped() {
        assert_eq!(
            sanitise_device_name(Some(" \u{202E}Living\u{7} room\u{2066} TV\u{2069}\n ")),
            Some("Living room TV".to_owned())
        );
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            assert_eq!(
                sanitise_device_name(Some(&format!("a{c}b"))),
                Some("ab".to_owned()),
                "U+{:04X}",
                u32::from(c)
            );
        }
        let long = "é".repeat(100);
        let capped = sanitise_device_name(Some(&long)).unwrap();
        assert_eq!(capped.chars().count(), DEVICE_NAME_MAX);
        // Cut at 64, then trimmed again: no trailing space from the cut.
        let spaced = format!("{} tail", "x".repeat(63));
        assert_eq!(sanitise_device_name(Some(&spaced)), Some("x".repeat(63)));
        assert_eq!(sanitise_device_name(None), None);
        assert_eq!(sanitise_device_name(Some("")), None);
        assert_eq!(sanitise_device_name(Some(" \t\u{202E}\u{0} ")), None);
        // Markup is left for the page to escape.
        assert_eq!(
            sanitise_device_name(Some("<b>TV</b>")),
            Some("<b>TV</b>".to_owned())
        );
    }

    #[test]
    fn the_page_sees_the_device_name_scopes_and_time_left_of_a_pending_code() {
        let mut a = Authority::new(config());
        let t0 = Instant::now();
        let issued = a
            .authorize_device(
                Some(CLIENT_ID),
                Some("openid email"),
                Some("\u{202E}Kitchen TV "),
                t0,
            )
            .unwrap();
        let pending = a
            .lookup(&issued.user_code.to_lowercase(), t0 + secs(90))
            .unwrap();
        assert_eq!(
            pending,
            PendingGrant {
                user_code: issued.user_code.clone(),
                device_name: Some("Kitchen TV".to_owned()),
                scope: "openid email".to_owned(),
                expires_in: secs(510),
            }
        );
        // Looking is not deciding.
        assert_eq!(a.stats.approvals + a.stats.denials, 0);
        a.decide(&issued.user_code, Decision::Deny, t0).unwrap();
        assert_eq!(
            a.lookup(&issued.user_code, t0),
            Err(DecideError::AlreadyUsed)
        );
    }

    #[test]
    fn looking_up_a_wrong_code_counts_towards_the_rate_limit() {
        let (mut a, issued, t0) = started();
        for _ in 0..5 {
            assert_eq!(a.lookup("BBBB-BBBB", t0), Err(DecideError::Unknown));
        }
        assert_eq!(a.stats.wrong_codes, 5);
        assert!(matches!(
            a.lookup(&issued.user_code, t0),
            Err(DecideError::RateLimited(_))
        ));
        assert_eq!(
            a.lookup(&issued.user_code, t0 + secs(600)),
            Err(DecideError::Expired)
        );
    }

    #[test]
    fn only_known_scopes_are_granted() {
        assert_eq!(grant_scope(None).unwrap(), SCOPES_SUPPORTED.join(" "));
        assert_eq!(
            grant_scope(Some("email openid email repo")).unwrap(),
            "email openid"
        );
        assert_eq!(
            grant_scope(Some("repo")).unwrap_err().error,
            "invalid_scope"
        );
    }

    #[test]
    fn wire_seconds_round_up() {
        assert_eq!(whole_seconds(Duration::from_millis(200)), 1);
        assert_eq!(whole_seconds(Duration::from_millis(5000)), 5);
        assert_eq!(whole_seconds(Duration::from_millis(5001)), 6);
        assert_eq!(whole_seconds(Duration::ZERO), 1);
    }
}
