//! The root of the app: `State`, `Message`, `update`, `view`, `subscription`.
//!
//! `update` and `view` never read the clock: the current instant is app
//! state (`now`), refreshed by the 1 s tick and by the runner before each
//! message, so tests and screenshots choose it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use iced::widget::{mouse_area, responsive};
use iced::{Element, Point, Size, Subscription, Task, keyboard, mouse, window};

use super::flow::{self, Attempt, AttemptId};
use super::remote::{self, Command};
use super::screen::{choose, code, declined, expired, problem, restoring, sign_out, signed_in};
use super::session::{self as jobs, Job, JobId};
use super::theme::Metrics;
use crate::exit;
use crate::i18n::Lang;
use crate::provider::Provider;
use crate::session::{Checked, SignedOut, Summary};
use crate::signin::{Outcome, SigninEvent};

/// Automatic renewals after expiry before the app waits for OK.
pub const MAX_RENEWALS: u32 = 3;
/// Network failures before a code arrives (a kiosk booting before its
/// network is up) are retried by the app this many times, on screen, with
/// the transient backoff (5, 10, 20, 40, 60 s…); then it waits for OK.
pub const MAX_AUTO_RETRIES: u32 = 10;
/// How long the signed-in screen stays before the app exits.
pub const SIGNED_IN_SHOWN: Duration = Duration::from_secs(3);

/// Checks of a stored sign-in are never closer together than this, whatever
/// the token's lifetime (a server that grants 0 s tokens cannot make a loop).
pub const MIN_CHECK_SPACING: Duration = Duration::from_secs(2);
/// The longest the app waits between looks at a stored sign-in (a file
/// read unless a renewal is due), so that a wall clock set after boot is
/// noticed.
pub const MAX_CHECK_WAIT: Duration = Duration::from_secs(300);

/// How the app was started.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Full screen, and Back on the first screen does nothing.
    pub kiosk: bool,
    /// Stay on the signed-in screen instead of exiting.
    pub stay: bool,
    pub data_dir: Option<PathBuf>,
    /// A game controller's East (B) is OK and South (A) is Back.
    pub gamepad_swap_ok_back: bool,
    /// The language of every screen.
    pub lang: Lang,
    /// Black, white and bright colours, and larger secondary text.
    pub high_contrast: bool,
    /// This TV's name, shown on the code screen (and sent to the demo).
    pub device_name: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Screen {
    Choose(choose::State),
    Code(Box<code::State>),
    Restoring(restoring::State),
    SignedIn(signed_in::State),
    SignOut(sign_out::State),
    Declined(declined::State),
    Expired(expired::State),
    Problem(problem::State),
}

impl Screen {
    /// The screen's name, for logs and the end-to-end tests that read them.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Choose(_) => "choose",
            Self::Code(_) => "code",
            Self::Restoring(_) => "restoring",
            Self::SignedIn(_) => "signed_in",
            Self::SignOut(_) => "sign_out",
            Self::Declined(_) => "declined",
            Self::Expired(_) => "expired",
            Self::Problem(_) => "problem",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    /// A remote-control (keyboard) command.
    Remote(Command),
    /// The countdown tick, with the current instant.
    Tick(Instant),
    /// Progress of the sign-in attempt with this id.
    Flow(AttemptId, SigninEvent),
    /// What the check of a stored sign-in with this job id found.
    Checked(JobId, Checked),
    /// The sign-out with this job id is done.
    SignedOut(JobId, Result<SignedOut, Outcome>),
    /// Clicks and taps on each screen.
    Choose(choose::Message),
    Code(code::Message),
    Restoring(restoring::Message),
    SignedIn(signed_in::Message),
    SignOut(sign_out::Message),
    Declined(declined::Message),
    Expired(expired::Message),
    Problem(problem::Message),
    /// The monitor's size, for the bare-X11 fallback to full screen.
    Monitor(window::Id, Option<Size>),
    /// A frame was drawn (listened to only until the first code frame).
    Frame(Instant),
    /// SIGINT, SIGTERM or SIGHUP: its name and the exit code (128 + its number).
    Signal(&'static str, u8),
}

/// The provider and timing of the latest attempt, kept after it ends for
/// Try again and for spacing renewals.
#[derive(Debug, Clone, Copy)]
struct Latest {
    provider: usize,
    started: Instant,
    lifetime: Duration,
}

pub struct State {
    providers: Vec<Arc<Provider>>,
    options: Options,
    now: Instant,
    screen: Screen,
    next_attempt: AttemptId,
    /// The running attempt; its subscription lives while this is `Some`.
    flow: Option<Attempt>,
    latest: Option<Latest>,
    renewals: u32,
    /// Automatic retries after network failures, since the last code arrived.
    auto_retries: u32,
    /// Set once the app has asked iced to exit.
    quitting: bool,
    /// The exit code the process ends with, shared with the runner.
    exit_code: Arc<AtomicU8>,
    /// Whether the first frame with a QR code was logged (for benchmarks).
    first_code_frame: bool,
    /// Likewise for the first frame of the signed-in screen (a restore).
    first_signed_in_frame: bool,
    /// What is stored for each provider, as last known (never a token).
    stored: Vec<Option<Summary>>,
    next_job: JobId,
    /// The running check of a stored sign-in, and for which provider.
    check: Option<(usize, Job)>,
    /// When the next check runs (a renewal that comes due, or a retry).
    check_at: Option<(usize, Instant)>,
    /// Checks in a row that failed for a network reason.
    check_failures: u32,
    /// Checks in a row that found the token due at once.
    due_at_once: u32,
    /// Continue was chosen while a check ran: quit once it answers.
    continue_when_checked: bool,
    /// The provider whose sign-in is on screen and kept fresh.
    session: Option<usize>,
    /// The running sign-out, and for which provider.
    signing_out: Option<(usize, Job)>,
    /// The provider signed in when the app ends with 0 (for `--exec`),
    /// shared with the runner.
    signed_in_provider: Arc<Mutex<Option<String>>>,
}

impl State {
    /// The first screen: the provider choice, or the code of the only provider.
    pub fn new(providers: Vec<Provider>, options: Options, now: Instant) -> Self {
        Self::with_stored(providers, Vec::new(), options, now)
    }

    /// The first screen, knowing what is stored for each provider: the most
    /// recently used stored sign-in is restored (no new code is asked
    /// for); without one, the provider choice or the only provider's code.
    pub fn with_stored(
        providers: Vec<Provider>,
        mut stored: Vec<Option<Summary>>,
        options: Options,
        now: Instant,
    ) -> Self {
        stored.resize(providers.len(), None);
        let mut state = Self {
            providers: providers.into_iter().map(Arc::new).collect(),
            options,
            now,
            screen: Screen::Choose(choose::State::new(0, 0)),
            next_attempt: 1,
            flow: None,
            latest: None,
            renewals: 0,
            auto_retries: 0,
            quitting: false,
            exit_code: Arc::new(AtomicU8::new(exit::INTERRUPTED)),
            first_code_frame: false,
            first_signed_in_frame: false,
            stored,
            next_job: 1,
            check: None,
            check_at: None,
            check_failures: 0,
            due_at_once: 0,
            continue_when_checked: false,
            session: None,
            signing_out: None,
            signed_in_provider: Arc::new(Mutex::new(None)),
        };
        match crate::session::most_recent(&state.stored) {
            Some(i) => state.restore(i),
            None => state.home(0),
        }
        state
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn now(&self) -> Instant {
        self.now
    }

    /// Sets the current instant (the runner does, before each message).
    pub fn set_now(&mut self, now: Instant) {
        self.now = now;
    }

    /// The running attempt, if any.
    pub fn attempt(&self) -> Option<AttemptId> {
        self.flow.as_ref().map(|a| a.id)
    }

    pub fn renewals(&self) -> u32 {
        self.renewals
    }

    /// Whether the app has asked to exit.
    pub fn is_quitting(&self) -> bool {
        self.quitting
    }

    /// Continue after a sign-in: quit (and hand over). A check that is
    /// renewing the tokens is waited for first: quitting would cancel it
    /// between the refresh and its save, and a provider that rotates refresh
    /// tokens would then end the sign-in.
    fn continue_on(&mut self) -> Task<Message> {
        if self.check.is_some() {
            self.continue_when_checked = true;
            if let Screen::SignedIn(s) = &mut self.screen {
                s.stop_countdown();
            }
            return Task::none();
        }
        self.quit()
    }

    fn quit(&mut self) -> Task<Message> {
        self.quitting = true;
        iced::exit()
    }

    pub fn exit_code(&self) -> u8 {
        self.exit_code.load(Ordering::Relaxed)
    }

    /// Reports the exit code through `handle` from now on (the runner reads
    /// it after the event loop ends).
    pub fn sharing_exit_code(mut self, handle: Arc<AtomicU8>) -> Self {
        handle.store(self.exit_code(), Ordering::Relaxed);
        self.exit_code = handle;
        self
    }

    fn set_exit(&self, code: u8) {
        self.exit_code.store(code, Ordering::Relaxed);
    }

    /// Reports the signed-in provider's id through `handle` from now on.
    pub fn sharing_signed_in_provider(mut self, handle: Arc<Mutex<Option<String>>>) -> Self {
        self.signed_in_provider = handle;
        self
    }

    /// The provider signed in, if the app ends now with 0.
    pub fn signed_in_provider(&self) -> Option<String> {
        self.signed_in_provider.lock().map_or(None, |p| p.clone())
    }

    fn set_signed_in_provider(&self, id: Option<String>) {
        if let Ok(mut p) = self.signed_in_provider.lock() {
            *p = id;
        }
    }

    /// The running check of a stored sign-in, if any.
    pub fn check(&self) -> Option<JobId> {
        self.check.as_ref().map(|(_, j)| j.id)
    }

    /// The running sign-out, if any.
    pub fn signing_out(&self) -> Option<JobId> {
        self.signing_out.as_ref().map(|(_, j)| j.id)
    }

    /// When the next check of the stored sign-in runs.
    pub fn check_at(&self) -> Option<Instant> {
        self.check_at.map(|(_, at)| at)
    }

    /// What is known to be stored for each provider.
    pub fn stored(&self) -> &[Option<Summary>] {
        &self.stored
    }

    fn job(&mut self, provider: usize) -> Job {
        let id = self.next_job;
        self.next_job += 1;
        Job {
            id,
            provider: Arc::clone(&self.providers[provider]),
            data_dir: self.options.data_dir.clone(),
        }
    }

    fn who(&self, provider: usize) -> Option<String> {
        self.stored
            .get(provider)?
            .as_ref()?
            .identity
            .display_name()
            .map(str::to_owned)
    }

    /// A message in the app's language.
    fn tr(&self, id: &str, args: &[(&str, crate::i18n::Value<'_>)]) -> String {
        self.options.lang.tr(id, args)
    }

    fn name_of(&self, provider: usize) -> String {
        self.providers
            .get(provider)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }

    /// Nothing of a stored sign-in runs any more: no check, no renewal, no
    /// sign-out, and nothing is signed in for `--exec`.
    fn leave_session(&mut self) {
        self.session = None;
        self.check = None;
        self.check_at = None;
        self.signing_out = None;
        self.set_signed_in_provider(None);
    }

    /// A provider the person chose: its stored sign-in, else a new code.
    fn open(&mut self, provider: usize) {
        if self.stored.get(provider).is_some_and(Option::is_some) {
            self.restore(provider);
        } else {
            self.start(provider);
        }
    }

    /// Check the stored sign-in of `provider` (no new code is asked for).
    fn restore(&mut self, provider: usize) {
        let Some(p) = self.providers.get(provider).map(Arc::clone) else {
            return;
        };
        let name = p.name.clone();
        self.flow = None;
        self.leave_session();
        self.latest = Some(Latest {
            provider,
            started: self.now,
            lifetime: Duration::ZERO,
        });
        self.set_exit(exit::INTERRUPTED);
        self.check_failures = 0;
        tracing::info!(provider = %p.id, "restoring the stored sign-in");
        self.screen = Screen::Restoring(restoring::State::new(name, self.who(provider)));
        self.begin_check(provider);
    }

    fn begin_check(&mut self, provider: usize) {
        let job = self.job(provider);
        self.check = Some((provider, job));
        self.check_at = None;
    }

    /// The next check after one that found the sign-in usable: when the
    /// renewal is due, but at most `MAX_CHECK_WAIT` from now and at least
    /// `MIN_CHECK_SPACING` after this check ended.
    ///
    /// A check that finds the token due at once again (a provider granting
    /// 0 s tokens) doubles the spacing, up to a minute, counted from the end
    /// of the check, so a slow refresh cannot make them back to back.
    fn schedule(&mut self, provider: usize, refresh_in: Option<Duration>) {
        if refresh_in == Some(Duration::ZERO) {
            self.due_at_once = self.due_at_once.saturating_add(1);
        } else {
            self.due_at_once = 0;
        }
        let spacing = MIN_CHECK_SPACING
            .saturating_mul(1 << self.due_at_once.saturating_sub(1).min(5))
            .min(Duration::from_secs(60));
        // `now` is when the check's answer arrived.
        self.check_at = refresh_in.map(|d| {
            let at = self.now + d.min(MAX_CHECK_WAIT);
            (provider, at.max(self.now + spacing))
        });
    }

    /// The signed-in screen for `provider`; it is kept fresh from now on.
    fn show_signed_in(&mut self, provider: usize, focused: signed_in::Event, auto_continue: bool) {
        self.session = Some(provider);
        self.set_exit(exit::SIGNED_IN);
        self.set_signed_in_provider(self.providers.get(provider).map(|p| p.id.clone()));
        let close_at = (auto_continue && !self.options.stay).then(|| self.now + SIGNED_IN_SHOWN);
        let offer = signed_in::Offer {
            continue_: !self.options.stay,
            other_account: self.providers.len() > 1,
        };
        self.screen = Screen::SignedIn(signed_in::State::new(
            self.who(provider),
            self.name_of(provider),
            close_at,
            offer,
            focused,
        ));
    }

    /// A new code for `provider`, saying first why (`notice`).
    fn start_with_notice(&mut self, provider: usize, notice: Option<String>) {
        self.start(provider);
        if let Screen::Code(s) = &mut self.screen {
            s.set_notice(notice);
        }
    }

    fn on_checked(&mut self, id: JobId, checked: Checked) {
        let provider = match &self.check {
            Some((provider, job)) if job.id == id => *provider,
            _ => return,
        };
        self.check = None;
        let name = self.name_of(provider);
        match checked {
            Checked::Fresh {
                identity,
                refresh_in,
            } => {
                self.check_failures = 0;
                match &mut self.stored[provider] {
                    Some(summary) => summary.identity = identity,
                    none => *none = Some(Summary::fresh(identity, 0)),
                }
                self.schedule(provider, refresh_in);
                if matches!(self.screen, Screen::SignOut(_)) {
                    // The question stays: the answer only says the sign-in
                    // is usable, which Cancel will show.
                    self.session = Some(provider);
                } else if self.session == Some(provider) {
                    if let Screen::SignedIn(s) = &mut self.screen {
                        s.set_offline(None);
                    }
                } else {
                    self.show_signed_in(provider, signed_in::Event::Continue, true);
                }
            }
            Checked::Missing => {
                let notice = self.session.is_some().then(|| {
                    self.tr(
                        "notice-signed-out-here",
                        &[("provider", name.as_str().into())],
                    )
                });
                self.stored[provider] = None;
                self.start_with_notice(provider, notice);
            }
            Checked::Ended(why) => {
                tracing::info!(%why, "the stored sign-in has ended");
                self.stored[provider] = None;
                self.start_with_notice(
                    provider,
                    Some(self.tr("notice-ended", &[("provider", name.as_str().into())])),
                );
            }
            Checked::Failed(outcome) if outcome.retry_by_itself() => {
                // The stored sign-in is kept; try again with growing waits.
                self.check_failures += 1;
                let wait =
                    crate::oauth::flow::transient_wait(Duration::from_secs(5), self.check_failures);
                let at = self.now + wait;
                self.check_at = Some((provider, at));
                tracing::info!(%outcome, retry_in = wait.as_secs(), "cannot check the stored sign-in");
                let why = self
                    .providers
                    .get(provider)
                    .map(|p| outcome.headline_in(p, self.options.lang))
                    .unwrap_or_default();
                match &mut self.screen {
                    Screen::Restoring(s) => s.set_offline(why, at),
                    Screen::SignedIn(s) => s.set_offline(Some(at)),
                    _ => {}
                }
            }
            Checked::Failed(outcome) => {
                self.leave_session();
                self.fail(outcome);
            }
        }
    }

    fn on_signed_out(&mut self, id: JobId, done: Result<SignedOut, Outcome>) {
        let provider = match &self.signing_out {
            Some((provider, job)) if job.id == id => *provider,
            _ => return,
        };
        let who = self.who(provider);
        let name = self.name_of(provider);
        self.leave_session();
        match done {
            Ok(report) => {
                self.stored[provider] = None;
                tracing::info!(revoked = report.revoked(), "signed out");
                let named = ("provider", name.as_str().into());
                let notice = if !report.revoked() {
                    let problem = report.problems.join("; ");
                    let detail = match report.still_valid {
                        Some(still) => format!("{problem}: {still}"),
                        None => problem,
                    };
                    self.tr(
                        "notice-signed-out-not-confirmed",
                        &[named, ("detail", detail.into())],
                    )
                } else if report.no_revocation {
                    self.tr("notice-signed-out-no-revocation", &[named])
                } else {
                    match who {
                        Some(who) => {
                            self.tr("notice-signed-out-who", &[("name", who.into()), named])
                        }
                        None => self.tr("notice-signed-out", &[named]),
                    }
                };
                self.start_with_notice(provider, Some(notice));
            }
            Err(outcome) => self.fail(outcome),
        }
    }

    /// "Sign out NAME from PROVIDER?"
    fn ask_sign_out(&mut self, provider: usize) {
        self.screen = Screen::SignOut(sign_out::State::new(
            self.who(provider),
            self.name_of(provider),
        ));
    }

    fn on_restoring(&mut self, event: Option<restoring::Event>) -> Task<Message> {
        let provider = self.latest_provider();
        match event {
            Some(restoring::Event::TryNow) => {
                if let Screen::Restoring(s) = &mut self.screen {
                    s.set_checking();
                }
                self.begin_check(provider);
                Task::none()
            }
            Some(restoring::Event::SignOut) => {
                self.ask_sign_out(provider);
                Task::none()
            }
            Some(restoring::Event::Back) => self.back(),
            None => Task::none(),
        }
    }

    fn on_sign_out(&mut self, event: Option<sign_out::Event>) -> Task<Message> {
        let provider = self.session.unwrap_or_else(|| self.latest_provider());
        match event {
            Some(sign_out::Event::Cancel) => {
                if self.session.is_some() {
                    self.show_signed_in(provider, signed_in::Event::SignOut, false);
                } else {
                    self.restore(provider);
                }
            }
            Some(sign_out::Event::SignOut) => {
                if let Screen::SignOut(s) = &mut self.screen {
                    s.set_busy();
                }
                // From here on, ending the app (a closed window) neither
                // exits 0 nor hands over.
                self.set_exit(exit::INTERRUPTED);
                self.set_signed_in_provider(None);
                self.check = None;
                self.check_at = None;
                let job = self.job(provider);
                self.signing_out = Some((provider, job));
            }
            None => {}
        }
        Task::none()
    }

    fn is_first_screen(&self) -> bool {
        match self.screen {
            Screen::Choose(_) => true,
            Screen::Code(_) | Screen::Restoring(_) => self.providers.len() == 1,
            _ => false,
        }
    }

    /// The first screen. With several providers that is the choice (the
    /// running attempt is dropped); with one it is a new code.
    fn home(&mut self, focused: usize) {
        if self.providers.len() == 1 {
            // The stored sign-in, if there is one; else a new code.
            self.open(0);
        } else {
            self.flow = None;
            self.leave_session();
            self.set_exit(exit::INTERRUPTED);
            self.screen = Screen::Choose(choose::State::new(self.providers.len(), focused));
        }
    }

    /// A new attempt the person asked for: the renewal count starts over.
    fn start(&mut self, provider: usize) {
        self.renewals = 0;
        self.auto_retries = 0;
        self.begin(provider);
    }

    /// A new attempt with a new id. The old attempt's subscription is no
    /// longer returned by `subscription`, so iced drops it and its flow.
    fn begin(&mut self, provider: usize) {
        let Some(p) = self.providers.get(provider) else {
            return;
        };
        let id = self.next_attempt;
        self.next_attempt += 1;
        tracing::info!(provider = %p.id, attempt = id, "sign-in started");
        let p = Arc::clone(p);
        self.leave_session();
        self.flow = Some(Attempt {
            id,
            provider: Arc::clone(&p),
            data_dir: self.options.data_dir.clone(),
        });
        self.latest = Some(Latest {
            provider,
            started: self.now,
            lifetime: Duration::ZERO,
        });
        self.set_exit(exit::INTERRUPTED);
        let back = !(self.options.kiosk && self.providers.len() == 1);
        let mut screen = code::State::new(p.name.clone(), back);
        screen.set_device_name(self.options.device_name.clone());
        self.screen = Screen::Code(Box::new(screen));
    }

    fn latest_provider(&self) -> usize {
        self.latest.map_or(0, |l| l.provider)
    }

    fn provider_name(&self) -> String {
        self.providers
            .get(self.latest_provider())
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }

    /// Back: to the first screen, or (on it) quit when windowed.
    fn back(&mut self) -> Task<Message> {
        if self.is_first_screen() {
            if self.options.kiosk {
                // A kiosk must not be escapable.
                return Task::none();
            }
            return self.quit();
        }
        self.home(self.latest_provider());
        Task::none()
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Remote(command) => self.on_remote(command),
            Message::Tick(now) => {
                self.now = now;
                self.on_tick()
            }
            Message::Flow(id, progress) => {
                if self.attempt() == Some(id) {
                    self.on_progress(progress);
                }
                Task::none()
            }
            Message::Checked(id, checked) => {
                self.on_checked(id, checked);
                if self.continue_when_checked && self.check.is_none() {
                    self.continue_when_checked = false;
                    if self.exit_code() == exit::SIGNED_IN {
                        return self.quit();
                    }
                }
                Task::none()
            }
            Message::SignedOut(id, done) => {
                self.on_signed_out(id, done);
                Task::none()
            }
            Message::Restoring(m) => match &mut self.screen {
                Screen::Restoring(s) => {
                    let event = s.update(m);
                    self.on_restoring(event)
                }
                _ => Task::none(),
            },
            Message::SignOut(m) => match &mut self.screen {
                Screen::SignOut(s) => {
                    let event = s.update(m);
                    self.on_sign_out(event)
                }
                _ => Task::none(),
            },
            Message::Choose(m) => match &mut self.screen {
                Screen::Choose(s) => {
                    let event = s.update(m);
                    self.on_choose(event)
                }
                _ => Task::none(),
            },
            Message::Code(m) => match &mut self.screen {
                Screen::Code(s) => {
                    let event = s.update(m);
                    self.on_code(event)
                }
                _ => Task::none(),
            },
            Message::SignedIn(m) => match &mut self.screen {
                Screen::SignedIn(s) => {
                    let event = s.update(m);
                    self.on_signed_in(event)
                }
                _ => Task::none(),
            },
            Message::Declined(m) => match &mut self.screen {
                Screen::Declined(s) => {
                    let event = s.update(m);
                    self.on_declined(event)
                }
                _ => Task::none(),
            },
            Message::Expired(m) => match &mut self.screen {
                Screen::Expired(s) => {
                    let event = s.update(m);
                    self.on_expired(event)
                }
                _ => Task::none(),
            },
            Message::Problem(m) => match &mut self.screen {
                Screen::Problem(s) => {
                    let event = s.update(m);
                    self.on_problem(event)
                }
                _ => Task::none(),
            },
            Message::Monitor(id, Some(size)) if self.options.kiosk => {
                // Bare X11 without a window manager ignores full screen:
                // cover the monitor instead, and take the keyboard focus that
                // no window manager will give.
                Task::batch([
                    window::move_to(id, Point::ORIGIN),
                    window::resize(id, size),
                    window::gain_focus(id),
                ])
            }
            Message::Monitor(..) => Task::none(),
            Message::Signal(name, code) => {
                // Everything running is dropped with its subscription: no
                // request goes out after the signal, and nothing is handed over.
                tracing::info!(signal = name, "interrupted");
                self.flow = None;
                self.leave_session();
                self.set_exit(code);
                self.quit()
            }
            Message::Frame(_) => {
                if !self.first_signed_in_frame && matches!(self.screen, Screen::SignedIn(_)) {
                    self.first_signed_in_frame = true;
                    // The benchmark of a restored sign-in measures start to this line.
                    tracing::info!("first frame of the signed-in screen");
                }
                if !self.first_code_frame && self.shows_qr() {
                    self.first_code_frame = true;
                    // The benchmark measures process start to this line.
                    tracing::info!("first frame of the code screen");
                }
                Task::none()
            }
        }
    }

    fn on_remote(&mut self, command: Command) -> Task<Message> {
        let command = if self.options.lang.rtl() {
            command.mirrored()
        } else {
            command
        };
        if command == Command::Home && matches!(self.screen, Screen::SignOut(_)) {
            // Home on the question is "no": back to the sign-in as it was.
            return match &mut self.screen {
                Screen::SignOut(s) if !s.is_busy() => {
                    self.on_sign_out(Some(sign_out::Event::Cancel))
                }
                _ => Task::none(),
            };
        }
        if command == Command::Home {
            // Home leaves a sign-in in progress or an outcome, never a
            // success that is about to hand over, and never the first screen.
            // Nor a sign-out under way, which must get to delete the tokens.
            if !self.is_first_screen()
                && !matches!(self.screen, Screen::SignedIn(_))
                && self.signing_out.is_none()
            {
                self.home(self.latest_provider());
            }
            return Task::none();
        }
        match &mut self.screen {
            Screen::Choose(s) => {
                let event = s.remote(command);
                self.on_choose(event)
            }
            Screen::Code(s) => {
                let event = s.remote(command);
                self.on_code(event)
            }
            Screen::Restoring(s) => {
                let event = s.remote(command);
                self.on_restoring(event)
            }
            Screen::SignedIn(s) => {
                let event = s.remote(command);
                self.on_signed_in(event)
            }
            Screen::SignOut(s) => {
                let event = s.remote(command);
                self.on_sign_out(event)
            }
            Screen::Declined(s) => {
                let event = s.remote(command);
                self.on_declined(event)
            }
            Screen::Expired(s) => {
                let event = s.remote(command);
                self.on_expired(event)
            }
            Screen::Problem(s) => {
                let event = s.remote(command);
                self.on_problem(event)
            }
        }
    }

    fn on_choose(&mut self, event: Option<choose::Event>) -> Task<Message> {
        match event {
            Some(choose::Event::Picked(i)) => {
                self.open(i);
                Task::none()
            }
            Some(choose::Event::Back) => self.back(),
            None => Task::none(),
        }
    }

    fn on_code(&mut self, event: Option<code::Event>) -> Task<Message> {
        match event {
            Some(code::Event::NewCode) => {
                self.start(self.latest_provider());
                Task::none()
            }
            Some(code::Event::Back) => self.back(),
            None => Task::none(),
        }
    }

    fn on_signed_in(&mut self, event: Option<signed_in::Event>) -> Task<Message> {
        let provider = self.session.unwrap_or_else(|| self.latest_provider());
        match event {
            Some(signed_in::Event::Continue) => self.continue_on(),
            Some(signed_in::Event::SignOut) => {
                self.ask_sign_out(provider);
                Task::none()
            }
            Some(signed_in::Event::OtherAccount) => {
                self.home(provider);
                Task::none()
            }
            None => Task::none(),
        }
    }

    fn on_declined(&mut self, event: Option<declined::Event>) -> Task<Message> {
        match event {
            Some(declined::Event::TryAgain) => {
                self.start(self.latest_provider());
                Task::none()
            }
            Some(declined::Event::Back) => self.back(),
            None => Task::none(),
        }
    }

    fn on_expired(&mut self, event: Option<expired::Event>) -> Task<Message> {
        match event {
            Some(expired::Event::NewCode) => {
                self.start(self.latest_provider());
                Task::none()
            }
            Some(expired::Event::Back) => self.back(),
            None => Task::none(),
        }
    }

    fn on_problem(&mut self, event: Option<problem::Event>) -> Task<Message> {
        match event {
            Some(problem::Event::TryAgain) => {
                // A stored sign-in is checked again; otherwise a new code.
                self.open(self.latest_provider());
                Task::none()
            }
            Some(problem::Event::Back) => self.back(),
            None => Task::none(),
        }
    }

    fn on_tick(&mut self) -> Task<Message> {
        if let Some((provider, at)) = self.check_at
            && self.now >= at
            && self.check.is_none()
            && self.signing_out.is_none()
        {
            match &mut self.screen {
                Screen::Restoring(s) => s.set_checking(),
                Screen::SignedIn(s) => s.set_offline(None),
                _ => {}
            }
            self.begin_check(provider);
        }
        match &self.screen {
            Screen::SignedIn(s) if s.close_at().is_some_and(|at| self.now >= at) => {
                self.continue_on()
            }
            Screen::Expired(s) if s.renew_at().is_some_and(|at| self.now >= at) => {
                self.renew();
                Task::none()
            }
            Screen::Problem(s) if s.retry_at().is_some_and(|at| self.now >= at) => {
                self.auto_retries += 1;
                self.begin(self.latest_provider());
                Task::none()
            }
            _ => Task::none(),
        }
    }

    /// An automatic renewal after expiry; counts towards the cap.
    fn renew(&mut self) {
        self.renewals += 1;
        self.begin(self.latest_provider());
        if let Screen::Code(s) = &mut self.screen {
            s.mark_renewed();
        }
    }

    fn on_progress(&mut self, progress: SigninEvent) {
        let now = self.now;
        match progress {
            SigninEvent::Code(ref info) => {
                // Neither is a secret (RFC 8628 §5): they are on the screen.
                tracing::info!(
                    user_code = %info.user_code,
                    verification_uri_complete = %info.qr_uri(),
                    expires_in = info.expires_in.as_secs(),
                    "code issued"
                );
                if let Some(latest) = &mut self.latest {
                    latest.lifetime = info.expires_in;
                }
                self.auto_retries = 0;
                if let Screen::Code(s) = &mut self.screen {
                    s.on_progress(&progress, now);
                }
            }
            SigninEvent::Polling
            | SigninEvent::SlowDown { .. }
            | SigninEvent::Offline { .. }
            | SigninEvent::Approved(_) => {
                if let Screen::Code(s) = &mut self.screen {
                    s.on_progress(&progress, now);
                }
            }
            SigninEvent::SignedIn(identity) => {
                tracing::info!(who = identity.display_name().unwrap_or(""), "signed in");
                self.flow = None;
                let provider = self.latest_provider();
                if let Some(slot) = self.stored.get_mut(provider) {
                    *slot = Some(Summary::fresh(identity, 0));
                }
                self.show_signed_in(provider, signed_in::Event::Continue, true);
                // The first look at the stored tokens schedules the renewals.
                self.check_at = Some((provider, now + MIN_CHECK_SPACING));
            }
            SigninEvent::Ended(Outcome::Denied) => {
                self.flow = None;
                self.set_exit(Outcome::Denied.exit_code());
                self.screen = Screen::Declined(declined::State::new(self.provider_name()));
            }
            SigninEvent::Ended(Outcome::Expired) => {
                self.flow = None;
                self.set_exit(Outcome::Expired.exit_code());
                self.on_expiry();
            }
            SigninEvent::Ended(error) => {
                self.flow = None;
                self.fail(error);
            }
        }
    }

    /// Renew by itself up to the cap, at most once per code lifetime (so a
    /// server that expires codes at once cannot make a loop); then wait for OK.
    fn on_expiry(&mut self) {
        if self.renewals >= MAX_RENEWALS {
            self.screen = Screen::Expired(expired::State::new(None));
            return;
        }
        let at = self.latest.map_or(self.now, |l| {
            l.started + l.lifetime.max(Duration::from_secs(1))
        });
        if at <= self.now {
            self.renew();
        } else {
            self.screen = Screen::Expired(expired::State::new(Some(at)));
        }
    }

    fn fail(&mut self, error: Outcome) {
        self.set_exit(error.exit_code());
        let lang = self.options.lang;
        let (summary, detail) = match self.providers.get(self.latest_provider()) {
            Some(p) => (error.headline_in(p, lang), error.detail()),
            None => (error.to_string(), String::new()),
        };
        let next = lang.t(error.next_step_id());
        // Whatever server text is in there, no secret reaches the screen.
        let (summary, detail) = (
            crate::oauth::secret::redact(&summary),
            crate::oauth::secret::redact(&detail),
        );
        let retry_at =
            (error.retry_by_itself() && self.auto_retries < MAX_AUTO_RETRIES).then(|| {
                self.now
                    + crate::oauth::flow::transient_wait(
                        Duration::from_secs(5),
                        self.auto_retries + 1,
                    )
            });
        // A wrong configuration or store does not get better by trying again.
        let retry_helps = !matches!(error, Outcome::Config(_) | Outcome::Store(_));
        self.screen = Screen::Problem(problem::State::new(
            summary,
            next,
            detail,
            retry_at,
            retry_helps,
        ));
    }

    /// Whether a countdown is on screen (only then does the tick run).
    fn shows_qr(&self) -> bool {
        matches!(&self.screen, Screen::Code(s) if s.qr().is_some())
    }

    pub fn has_countdown(&self) -> bool {
        match &self.screen {
            Screen::Code(s) => s.has_countdown(),
            Screen::Restoring(s) => s.retry_at().is_some(),
            Screen::SignedIn(s) => s.close_at().is_some() || s.offline_until().is_some(),
            Screen::Expired(s) => s.renew_at().is_some(),
            Screen::Problem(s) => s.retry_at().is_some(),
            _ => false,
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let mut subscriptions = vec![
            keyboard::listen()
                .filter_map(remote::command)
                .map(Message::Remote),
            super::gamepad::subscription(self.options.gamepad_swap_ok_back).map(Message::Remote),
            Subscription::run(crate::signals::stream)
                .map(|(name, code)| Message::Signal(name, code)),
        ];
        if let Some(attempt) = &self.flow {
            subscriptions.push(
                flow::subscription(attempt.clone())
                    .map(|(id, progress)| Message::Flow(id, progress)),
            );
        }
        if let Some((_, job)) = &self.check {
            subscriptions
                .push(jobs::check(job.clone()).map(|(id, checked)| Message::Checked(id, checked)));
        }
        if let Some((_, job)) = &self.signing_out {
            subscriptions
                .push(jobs::sign_out(job.clone()).map(|(id, done)| Message::SignedOut(id, done)));
        }
        if let Some((_, at)) = self.check_at
            && self.check.is_none()
        {
            subscriptions.push(jobs::wake(at).map(Message::Tick));
        }
        if self.has_countdown() {
            subscriptions.push(iced::time::every(Duration::from_secs(1)).map(Message::Tick));
        }
        // From the start until the first frame of a code or of the signed-in
        // screen: the change to a static screen must be seen in its frame.
        if !self.first_code_frame && !self.first_signed_in_frame {
            subscriptions.push(window::frames().map(Message::Frame));
        }
        Subscription::batch(subscriptions)
    }

    /// The screen for the window's size. The cursor is hidden: a remote is
    /// the pointer here, though clicks and taps still work.
    /// The sizes, language and colours of a window of `size`.
    pub fn metrics(&self, size: Size) -> Metrics {
        Metrics::new(size)
            .with_lang(self.options.lang)
            .with_high_contrast(self.options.high_contrast)
    }

    /// The colours of the look in use.
    pub fn palette(&self) -> &'static super::theme::Palette {
        self.metrics(Metrics::BASE).ink
    }

    pub fn view(&self) -> Element<'_, Message> {
        let content = responsive(move |size| self.view_sized(self.metrics(size)));
        mouse_area(content)
            .interaction(mouse::Interaction::Hidden)
            .into()
    }

    /// The screen at a given size (the screenshot tests call this too).
    pub fn view_sized(&self, m: Metrics) -> Element<'_, Message> {
        let now = self.now;
        match &self.screen {
            Screen::Choose(s) => {
                let signed_in = (0..self.providers.len())
                    .map(|i| {
                        self.stored[i]
                            .as_ref()
                            .map(|_| self.who(i).unwrap_or_default())
                    })
                    .collect();
                choose::view(s, &self.providers, signed_in, m).map(Message::Choose)
            }
            Screen::Code(s) => code::view(s, now, m).map(Message::Code),
            Screen::Restoring(s) => restoring::view(s, now, m).map(Message::Restoring),
            Screen::SignedIn(s) => signed_in::view(s, now, m).map(Message::SignedIn),
            Screen::SignOut(s) => sign_out::view(s, m).map(Message::SignOut),
            Screen::Declined(s) => declined::view(s, m).map(Message::Declined),
            Screen::Expired(s) => expired::view(s, now, m).map(Message::Expired),
            Screen::Problem(s) => problem::view(s, now, m).map(Message::Problem),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::CodeInfo;
    use crate::oauth::wire::OAuthError;
    use crate::oauth::wire::{TransportError, TransportErrorKind};
    use crate::provider::{EndpointSource, Endpoints};
    use crate::signin::{Identity, Step};
    use crate::ui::remote::Direction::*;

    /// A network failure before a code arrived.
    fn transport(detail: &str) -> Outcome {
        Outcome::Transport {
            step: Step::DeviceAuthorization,
            error: TransportError::new(TransportErrorKind::Refused, detail),
        }
    }

    fn provider(id: &str) -> Provider {
        Provider {
            id: id.into(),
            name: id.to_uppercase(),
            client_id: "client".into(),
            client_secret: None,
            client_auth: Default::default(),
            scope: None,
            scope_param: "scope".into(),
            extra_params: vec![],
            endpoints: EndpointSource::Explicit(Endpoints {
                device_authorization_endpoint: format!("https://{id}.example.com/device"),
                token_endpoint: format!("https://{id}.example.com/token"),
                ..Endpoints::default()
            }),
            preset: None,
            demo: false,
            logo: None,
        }
    }

    fn app(count: usize, kiosk: bool) -> State {
        let providers = ["a", "b", "c", "d", "e", "f"][..count]
            .iter()
            .map(|id| provider(id))
            .collect();
        let options = Options {
            kiosk,
            ..Options::default()
        };
        State::new(providers, options, Instant::now())
    }

    fn code(now: Instant, user_code: &str) -> CodeInfo {
        CodeInfo {
            user_code: user_code.into(),
            verification_uri: "https://example.com/device".into(),
            verification_uri_complete: Some(format!("https://example.com/device?c={user_code}")),
            expires_in: Duration::from_secs(900),
            expires_at: now + Duration::from_secs(900),
            interval: Duration::from_secs(5),
            message: None,
        }
    }

    fn press(state: &mut State, command: Command) {
        let _ = state.update(Message::Remote(command));
    }

    /// Sends progress for the running attempt.
    fn progress(state: &mut State, progress: SigninEvent) {
        let id = state.attempt().expect("an attempt is running");
        let _ = state.update(Message::Flow(id, progress));
    }

    /// One provider, its code on screen.
    fn showing_code() -> State {
        let mut s = app(1, true);
        let now = s.now();
        progress(&mut s, SigninEvent::Code(code(now, "WDJB-MJHT")));
        s
    }

    fn choice_focus(state: &State) -> usize {
        match state.screen() {
            Screen::Choose(c) => c.focus().index(),
            other => panic!("not the choice: {other:?}"),
        }
    }

    #[test]
    fn one_provider_skips_the_choice_and_starts_an_attempt() {
        let s = app(1, true);
        assert!(matches!(s.screen(), Screen::Code(_)));
        assert!(s.attempt().is_some());
    }

    #[test]
    fn several_providers_start_on_the_choice_with_no_attempt() {
        let s = app(3, true);
        assert!(matches!(s.screen(), Screen::Choose(_)));
        assert_eq!(s.attempt(), None);
        assert!(!s.has_countdown(), "no tick without a countdown");
    }

    #[test]
    fn arrows_move_focus_between_tiles_and_never_wrap() {
        let mut s = app(3, true);
        press(&mut s, Command::Move(Left));
        assert_eq!(choice_focus(&s), 0, "left of the first stays");
        press(&mut s, Command::Move(Right));
        press(&mut s, Command::Move(Right));
        assert_eq!(choice_focus(&s), 2);
        press(&mut s, Command::Move(Right));
        assert_eq!(choice_focus(&s), 2, "right of the last stays");
        press(&mut s, Command::Move(Down));
        assert_eq!(choice_focus(&s), 2, "one row: down does nothing");
    }

    #[test]
    fn arrows_move_between_rows_of_tiles() {
        let mut s = app(6, true);
        press(&mut s, Command::Move(Down));
        assert_eq!(choice_focus(&s), 4);
        press(&mut s, Command::Move(Up));
        assert_eq!(choice_focus(&s), 0);
    }

    #[test]
    fn ok_on_a_tile_starts_an_attempt_with_that_provider() {
        let mut s = app(3, true);
        press(&mut s, Command::Move(Right));
        press(&mut s, Command::Activate);
        assert!(matches!(s.screen(), Screen::Code(_)));
        assert_eq!(s.flow.as_ref().map(|a| a.provider.id.as_str()), Some("b"));
    }

    #[test]
    fn focus_on_the_code_screen_rests_until_an_arrow_then_moves_between_new_code_and_back() {
        let mut s = app(2, true);
        press(&mut s, Command::Activate);
        let focus = |s: &State| match s.screen() {
            Screen::Code(c) => c.focused(),
            _ => None,
        };
        let attempt = s.attempt();
        assert_eq!(focus(&s), None, "nothing is focused at first");
        press(&mut s, Command::Activate);
        assert_eq!(s.attempt(), attempt, "an OK by habit keeps the code");
        assert!(matches!(s.screen(), Screen::Code(_)));
        press(&mut s, Command::Move(Right));
        assert_eq!(
            focus(&s),
            Some(code::Event::Back),
            "the first arrow shows the focus on the least destructive action"
        );
        press(&mut s, Command::Move(Left));
        assert_eq!(focus(&s), Some(code::Event::NewCode));
        press(&mut s, Command::Move(Right));
        assert_eq!(focus(&s), Some(code::Event::Back));
        press(&mut s, Command::Move(Right));
        assert_eq!(focus(&s), Some(code::Event::Back));
        press(&mut s, Command::Move(Up));
        assert_eq!(focus(&s), Some(code::Event::Back));
    }

    #[test]
    fn one_provider_in_kiosk_mode_shows_no_back_button_that_leads_nowhere() {
        let mut s = app(1, true);
        press(&mut s, Command::Move(Right));
        let Screen::Code(c) = s.screen() else {
            panic!("the code screen")
        };
        assert_eq!(
            c.focused(),
            Some(code::Event::NewCode),
            "nothing to move to"
        );
        let mut windowed = app(1, false);
        press(&mut windowed, Command::Move(Right));
        let Screen::Code(c) = windowed.screen() else {
            panic!("the code screen")
        };
        assert_eq!(c.focused(), Some(code::Event::Back), "Back quits a window");
    }

    #[test]
    fn home_returns_to_the_provider_choice_and_does_nothing_there() {
        let mut s = app(3, true);
        press(&mut s, Command::Home);
        assert!(matches!(s.screen(), Screen::Choose(_)));
        press(&mut s, Command::Move(Right));
        press(&mut s, Command::Activate);
        assert!(matches!(s.screen(), Screen::Code(_)));
        press(&mut s, Command::Home);
        assert!(matches!(s.screen(), Screen::Choose(_)));
        assert_eq!(s.attempt(), None, "the attempt is dropped");
    }

    #[test]
    fn back_on_the_first_screen_does_nothing_in_kiosk_mode() {
        let mut s = app(3, true);
        press(&mut s, Command::Back);
        assert!(matches!(s.screen(), Screen::Choose(_)));
        assert!(!s.is_quitting());

        let mut s = showing_code();
        let id = s.attempt();
        press(&mut s, Command::Back);
        assert!(matches!(s.screen(), Screen::Code(_)));
        assert_eq!(s.attempt(), id, "the attempt goes on");
        assert!(!s.is_quitting());
    }

    #[test]
    fn back_on_the_first_screen_quits_when_windowed() {
        let mut s = app(3, false);
        press(&mut s, Command::Back);
        assert!(s.is_quitting());
        assert_eq!(s.exit_code(), exit::INTERRUPTED);

        let mut s = app(1, false);
        press(&mut s, Command::Back);
        assert!(s.is_quitting());
    }

    #[test]
    fn back_on_the_code_screen_returns_to_the_choice_and_drops_the_attempt() {
        let mut s = app(3, true);
        press(&mut s, Command::Move(Right));
        press(&mut s, Command::Activate);
        assert!(s.attempt().is_some());
        press(&mut s, Command::Back);
        assert!(matches!(s.screen(), Screen::Choose(_)));
        assert_eq!(s.attempt(), None);
        assert_eq!(choice_focus(&s), 1, "focus returns to the provider used");
    }

    #[test]
    fn back_on_declined_expired_and_problem_returns_to_the_first_screen() {
        let outcomes = [
            SigninEvent::Ended(Outcome::Denied),
            SigninEvent::Ended(transport("connection refused: x")),
        ];
        for outcome in outcomes {
            let mut s = app(2, true);
            press(&mut s, Command::Activate);
            progress(&mut s, outcome.clone());
            assert!(!matches!(s.screen(), Screen::Code(_)), "{outcome:?}");
            press(&mut s, Command::Back);
            assert!(matches!(s.screen(), Screen::Choose(_)), "{outcome:?}");
            assert!(!s.is_quitting());
        }
        let mut s = app(2, true);
        press(&mut s, Command::Activate);
        s.renewals = MAX_RENEWALS;
        progress(&mut s, SigninEvent::Ended(Outcome::Expired));
        assert!(matches!(s.screen(), Screen::Expired(_)));
        press(&mut s, Command::Back);
        assert!(matches!(s.screen(), Screen::Choose(_)));
    }

    #[test]
    fn back_on_declined_with_one_provider_starts_over_with_a_new_code() {
        let mut s = showing_code();
        progress(&mut s, SigninEvent::Ended(Outcome::Denied));
        assert_eq!(s.attempt(), None);
        press(&mut s, Command::Back);
        assert!(matches!(s.screen(), Screen::Code(c) if c.user_code().is_none()));
        assert!(s.attempt().is_some());
    }

    #[test]
    fn ok_or_back_on_signed_in_exits_with_0() {
        for key in [Command::Activate, Command::Back] {
            let mut s = showing_code();
            progress(&mut s, SigninEvent::SignedIn(Identity::default()));
            assert!(matches!(s.screen(), Screen::SignedIn(_)));
            press(&mut s, key);
            assert!(s.is_quitting());
            assert_eq!(s.exit_code(), exit::SIGNED_IN);
        }
    }

    #[test]
    fn signed_in_exits_by_itself_after_three_seconds() {
        let mut s = showing_code();
        let t0 = s.now();
        progress(&mut s, SigninEvent::SignedIn(Identity::default()));
        let _ = s.update(Message::Tick(t0 + Duration::from_secs(2)));
        assert!(!s.is_quitting());
        // The first look at the stored tokens (2 s after the sign-in).
        checked(&mut s, fresh(Some(Duration::from_secs(3540))));
        let _ = s.update(Message::Tick(t0 + SIGNED_IN_SHOWN));
        assert!(s.is_quitting());
        assert_eq!(s.exit_code(), exit::SIGNED_IN);
    }

    #[test]
    fn stay_keeps_the_signed_in_screen() {
        let mut s = State::new(
            vec![provider("a")],
            Options {
                kiosk: true,
                stay: true,
                ..Options::default()
            },
            Instant::now(),
        );
        let t0 = s.now();
        progress(&mut s, SigninEvent::SignedIn(Identity::default()));
        assert!(!s.has_countdown());
        let _ = s.update(Message::Tick(t0 + Duration::from_secs(60)));
        assert!(matches!(s.screen(), Screen::SignedIn(_)));
        assert!(!s.is_quitting());
    }

    #[test]
    fn in_arabic_the_arrows_move_the_focus_the_way_they_point_on_the_mirrored_screen() {
        let mut s = State::new(
            ["a", "b", "c"].iter().map(|id| provider(id)).collect(),
            Options {
                kiosk: true,
                lang: Lang::Ar,
                ..Options::default()
            },
            Instant::now(),
        );
        let focused = |s: &State| match s.screen() {
            Screen::Choose(c) => c.focus().index(),
            _ => usize::MAX,
        };
        // Mirrored, the first tile is drawn rightmost: Left goes to the
        // second, which is drawn to its left.
        assert_eq!(focused(&s), 0);
        press(&mut s, Command::Move(Left));
        assert_eq!(focused(&s), 1);
        press(&mut s, Command::Move(Right));
        assert_eq!(focused(&s), 0);
        press(&mut s, Command::Move(Right));
        assert_eq!(focused(&s), 0, "the rightmost stays: no wrap");
        // Up and Down are not mirrored.
        assert_eq!(Command::Move(Up).mirrored(), Command::Move(Up));
    }

    /// New code on the code screen: an arrow shows the focus, Left reaches
    /// New code (the first button), OK presses it.
    fn press_new_code(s: &mut State) {
        press(s, Command::Move(Left));
        press(s, Command::Move(Left));
        assert!(matches!(s.screen(), Screen::Code(c) if c.focused() == Some(code::Event::NewCode)));
        press(s, Command::Activate);
    }

    #[test]
    fn new_code_starts_a_new_attempt_and_drops_the_old_one() {
        let mut s = showing_code();
        let old = s.attempt().unwrap();
        press_new_code(&mut s);
        let new = s.attempt().unwrap();
        assert_ne!(old, new);
        assert!(matches!(s.screen(), Screen::Code(c) if c.user_code().is_none()));
        // The subscription is keyed by the attempt: the old one is gone.
        assert_eq!(s.flow.as_ref().map(|a| a.id), Some(new));
    }

    #[test]
    fn a_late_event_from_a_dropped_attempt_changes_nothing() {
        let mut s = showing_code();
        let old = s.attempt().unwrap();
        press_new_code(&mut s);
        let now = s.now();
        for late in [
            SigninEvent::Code(code(now, "LATE-CODE")),
            SigninEvent::Ended(Outcome::Denied),
            SigninEvent::SignedIn(Identity::default()),
            SigninEvent::Ended(transport("late")),
        ] {
            let _ = s.update(Message::Flow(old, late));
            assert!(matches!(s.screen(), Screen::Code(c) if c.user_code().is_none()));
            assert_eq!(s.exit_code(), exit::INTERRUPTED);
        }
    }

    #[test]
    fn expiry_renews_three_times_then_waits_for_ok() {
        let mut s = showing_code();
        for n in 1..=MAX_RENEWALS {
            let before = s.attempt();
            let later = s.now() + Duration::from_secs(900);
            s.set_now(later);
            progress(&mut s, SigninEvent::Ended(Outcome::Expired));
            assert_eq!(s.renewals(), n);
            assert_ne!(s.attempt(), before, "renewal {n} is a new attempt");
            assert!(matches!(s.screen(), Screen::Code(c) if c.is_renewal()));
            let now = s.now();
            progress(&mut s, SigninEvent::Code(code(now, "NEXT-CODE")));
        }
        s.set_now(s.now() + Duration::from_secs(900));
        progress(&mut s, SigninEvent::Ended(Outcome::Expired));
        assert!(matches!(s.screen(), Screen::Expired(e) if e.renew_at().is_none()));
        assert_eq!(s.attempt(), None);
        assert_eq!(s.exit_code(), exit::EXPIRED);
        press(&mut s, Command::Activate);
        assert!(s.attempt().is_some(), "OK asks for a new code");
        assert_eq!(s.renewals(), 0, "a code asked for starts the count over");
    }

    #[test]
    fn renewals_are_spaced_by_the_code_lifetime() {
        let mut s = showing_code();
        let t0 = s.now();
        // The server ends the code after 10 s of its 900 s lifetime.
        s.set_now(t0 + Duration::from_secs(10));
        progress(&mut s, SigninEvent::Ended(Outcome::Expired));
        let Screen::Expired(e) = s.screen() else {
            panic!("waits on the expired screen");
        };
        assert_eq!(e.renew_at(), Some(t0 + Duration::from_secs(900)));
        assert_eq!(s.attempt(), None);
        assert!(s.has_countdown());
        let _ = s.update(Message::Tick(t0 + Duration::from_secs(899)));
        assert!(matches!(s.screen(), Screen::Expired(_)));
        let _ = s.update(Message::Tick(t0 + Duration::from_secs(900)));
        assert!(matches!(s.screen(), Screen::Code(_)));
        assert_eq!(s.renewals(), 1);
    }

    #[test]
    fn a_network_failure_retries_by_itself_with_growing_waits_then_waits_for_ok() {
        let mut s = app(1, true);
        let refused = || SigninEvent::Ended(transport("connection refused: x"));
        let mut waits = Vec::new();
        for _ in 0..MAX_AUTO_RETRIES {
            progress(&mut s, refused());
            let Screen::Problem(p) = s.screen() else {
                panic!("a problem screen")
            };
            let at = p.retry_at().expect("retries by itself");
            waits.push((at - s.now()).as_secs());
            assert!(s.has_countdown());
            let _ = s.update(Message::Tick(at - Duration::from_millis(1)));
            assert!(
                matches!(s.screen(), Screen::Problem(_)),
                "not before its time"
            );
            let _ = s.update(Message::Tick(at));
            assert!(matches!(s.screen(), Screen::Code(_)), "a new attempt");
        }
        assert_eq!(waits, [5, 10, 20, 40, 60, 60, 60, 60, 60, 60]);
        progress(&mut s, refused());
        let Screen::Problem(p) = s.screen() else {
            panic!("a problem screen")
        };
        assert_eq!(p.retry_at(), None, "after the cap it waits for OK");
        assert!(!s.has_countdown());
        press(&mut s, Command::Activate);
        progress(&mut s, refused());
        assert!(
            matches!(s.screen(), Screen::Problem(p) if p.retry_at().is_some()),
            "Try again starts the count over"
        );
    }

    #[test]
    fn a_server_refusal_is_not_retried_by_itself() {
        let mut s = app(1, true);
        progress(
            &mut s,
            SigninEvent::Ended(Outcome::Server(crate::oauth::wire::OAuthError {
                error: "invalid_client".into(),
                error_description: None,
                error_uri: None,
                interval: None,
            })),
        );
        assert!(matches!(s.screen(), Screen::Problem(p) if p.retry_at().is_none()));
        assert!(!s.has_countdown());
    }

    #[test]
    fn outcomes_set_the_same_exit_codes_as_the_terminal() {
        let cases = [
            (SigninEvent::Ended(Outcome::Denied), exit::DENIED),
            (SigninEvent::Ended(transport("timed out")), exit::FAILED),
            (
                SigninEvent::Ended(Outcome::Server(OAuthError {
                    error: "invalid_client".into(),
                    error_description: None,
                    error_uri: None,
                    interval: None,
                })),
                exit::FAILED,
            ),
            (
                SigninEvent::Ended(Outcome::Config("no endpoints".into())),
                exit::CONFIG,
            ),
        ];
        for (outcome, code) in cases {
            let mut s = showing_code();
            progress(&mut s, outcome.clone());
            assert_eq!(s.exit_code(), code, "{outcome:?}");
        }
    }

    #[test]
    fn the_qr_image_is_built_once_per_code() {
        let mut s = showing_code();
        let qr = |s: &State| match s.screen() {
            Screen::Code(c) => c.qr().map(|h| h.id()),
            _ => None,
        };
        let first = qr(&s).expect("a QR image");
        let _ = s.update(Message::Tick(s.now() + Duration::from_secs(1)));
        progress(&mut s, SigninEvent::Polling);
        let _ = s.view_sized(Metrics::new(Metrics::BASE));
        assert_eq!(
            qr(&s),
            Some(first),
            "ticks, polls and views keep the handle"
        );
    }

    #[test]
    fn the_countdown_tick_runs_only_while_a_countdown_is_on_screen() {
        let mut s = app(1, true);
        assert!(!s.has_countdown(), "no code yet");
        let now = s.now();
        progress(&mut s, SigninEvent::Code(code(now, "WDJB-MJHT")));
        assert!(s.has_countdown());
        progress(&mut s, SigninEvent::Ended(Outcome::Denied));
        assert!(!s.has_countdown());
    }

    // --- a stored sign-in: restore, keep fresh, sign out -------------------

    fn summary(name: &str, obtained_at: u64) -> Summary {
        Summary::fresh(
            Identity {
                name: Some(name.into()),
                ..Identity::default()
            },
            obtained_at,
        )
    }

    /// `count` providers, with stored sign-ins where `stored` says.
    fn restoring(count: usize, stored: Vec<Option<Summary>>, stay: bool) -> State {
        let providers = ["a", "b", "c"][..count]
            .iter()
            .map(|id| provider(id))
            .collect();
        let options = Options {
            kiosk: true,
            stay,
            ..Options::default()
        };
        State::with_stored(providers, stored, options, Instant::now())
    }

    fn checked(state: &mut State, checked: Checked) {
        let id = state.check().expect("a check is running");
        let _ = state.update(Message::Checked(id, checked));
    }

    fn fresh(refresh_in: Option<Duration>) -> Checked {
        Checked::Fresh {
            identity: Identity {
                name: Some("Ada".into()),
                ..Identity::default()
            },
            refresh_in,
        }
    }

    fn offline() -> Checked {
        Checked::Failed(transport("connection refused: a.example.com"))
    }

    fn signed_in_actions(state: &State) -> (Vec<signed_in::Event>, Option<signed_in::Event>) {
        match state.screen() {
            Screen::SignedIn(s) => (s.actions().to_vec(), s.focused()),
            other => panic!("not signed in: {other:?}"),
        }
    }

    fn notice(state: &State) -> Option<String> {
        match state.screen() {
            Screen::Code(c) => c.notice().map(str::to_owned),
            other => panic!("not the code screen: {other:?}"),
        }
    }

    #[test]
    fn restore_a_stored_sign_in_asks_for_no_code_and_continues_after_three_seconds() {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], false);
        assert!(matches!(s.screen(), Screen::Restoring(_)));
        assert_eq!(s.attempt(), None, "no code is requested");
        assert!(s.check().is_some());
        let t0 = s.now();
        checked(&mut s, fresh(Some(Duration::from_secs(3540))));
        let Screen::SignedIn(screen) = s.screen() else {
            panic!("signed in")
        };
        assert_eq!(screen.who(), Some("Ada"));
        assert_eq!(
            signed_in_actions(&s),
            (
                vec![signed_in::Event::Continue, signed_in::Event::SignOut],
                Some(signed_in::Event::Continue)
            )
        );
        assert_eq!(s.exit_code(), exit::SIGNED_IN);
        assert_eq!(s.signed_in_provider().as_deref(), Some("a"));
        let _ = s.update(Message::Tick(t0 + SIGNED_IN_SHOWN));
        assert!(s.is_quitting());
        assert_eq!(s.exit_code(), exit::SIGNED_IN);
    }

    #[test]
    fn restore_picks_the_most_recently_used_provider_and_offers_another_account() {
        let stored = vec![Some(summary("Old", 10)), None, Some(summary("New", 20))];
        let mut s = restoring(3, stored, false);
        checked(&mut s, fresh(None));
        assert_eq!(s.signed_in_provider().as_deref(), Some("c"));
        let (actions, _) = signed_in_actions(&s);
        assert_eq!(
            actions,
            [
                signed_in::Event::Continue,
                signed_in::Event::SignOut,
                signed_in::Event::OtherAccount
            ]
        );
        press(&mut s, Command::Move(Right));
        press(&mut s, Command::Move(Right));
        press(&mut s, Command::Activate);
        assert!(matches!(s.screen(), Screen::Choose(_)));
        assert_eq!(s.check(), None);
        assert_eq!(s.check_at(), None, "nothing is renewed off screen");
        assert_eq!(s.signed_in_provider(), None);
        // Picking a provider with a stored sign-in restores it.
        press(&mut s, Command::Move(Left));
        press(&mut s, Command::Move(Left));
        press(&mut s, Command::Activate);
        assert!(matches!(s.screen(), Screen::Restoring(r) if r.who() == Some("Old")));
        assert_eq!(s.attempt(), None);
    }

    #[test]
    fn moving_the_focus_stops_the_countdown_to_continue() {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], false);
        let t0 = s.now();
        checked(&mut s, fresh(None));
        press(&mut s, Command::Move(Right));
        let _ = s.update(Message::Tick(t0 + SIGNED_IN_SHOWN * 2));
        assert!(!s.is_quitting(), "someone is choosing");
        assert!(matches!(s.screen(), Screen::SignedIn(x) if x.close_at().is_none()));
    }

    #[test]
    fn a_refused_refresh_says_the_sign_in_ended_then_shows_a_new_code() {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], false);
        checked(
            &mut s,
            Checked::Ended("sign-in required: the provider refused the refresh token".into()),
        );
        assert_eq!(notice(&s).as_deref(), Some("Your sign-in with A has ended"));
        assert!(s.attempt().is_some(), "a new code is requested");
        assert_eq!(s.stored()[0], None);
        assert_eq!(s.signed_in_provider(), None);
    }

    #[test]
    fn a_network_failure_keeps_the_stored_sign_in_and_retries_with_growing_waits() {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], false);
        let mut waits = Vec::new();
        for _ in 0..6 {
            checked(&mut s, offline());
            let Screen::Restoring(r) = s.screen() else {
                panic!("still restoring")
            };
            let at = r.retry_at().expect("says when it retries");
            waits.push((at - s.now()).as_secs());
            assert!(s.stored()[0].is_some(), "never deleted for the network");
            assert_eq!(s.attempt(), None, "no new code for a network failure");
            assert!(s.has_countdown());
            let _ = s.update(Message::Tick(at - Duration::from_millis(1)));
            assert_eq!(s.check(), None, "not before its time");
            let _ = s.update(Message::Tick(at));
            assert!(s.check().is_some(), "tries again by itself");
        }
        assert_eq!(waits, [5, 10, 20, 40, 60, 60]);
        checked(&mut s, fresh(None));
        assert!(matches!(s.screen(), Screen::SignedIn(_)));
    }

    /// A server whose tokens live `lifetime`, refreshed by `check` when due:
    /// the instants at which renewals happened over `span`.
    fn renewals_over(lifetime: Duration, span: Duration) -> Vec<Duration> {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], true);
        let t0 = s.now();
        let lead = crate::session::refresh_lead(lifetime);
        // The stored token was just received.
        let mut expires = t0 + lifetime;
        let mut renewals = Vec::new();
        let mut now = t0;
        loop {
            // The check: renew when due (as session::fresh does), then say
            // when the next renewal is due.
            if now + lead >= expires {
                renewals.push(now - t0);
                expires = now + lifetime;
            }
            checked(
                &mut s,
                fresh(Some((expires - lead).saturating_duration_since(now))),
            );
            let at = s.check_at().expect("a next check");
            assert!(at > now, "never a check at once");
            if at - t0 > span {
                return renewals;
            }
            now = at;
            let _ = s.update(Message::Tick(now));
        }
    }

    #[test]
    fn with_stay_an_8_s_token_is_renewed_every_6_4_s() {
        let renewals = renewals_over(Duration::from_secs(8), Duration::from_secs(30));
        let ms: Vec<u128> = renewals.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [6400, 12800, 19200, 25600]);
    }

    #[test]
    fn with_stay_a_1_h_token_is_renewed_a_minute_before_expiry() {
        let renewals = renewals_over(Duration::from_secs(3600), Duration::from_secs(7200));
        let secs: Vec<u64> = renewals.iter().map(Duration::as_secs).collect();
        assert_eq!(secs, [3540, 7080]);
    }

    #[test]
    fn checks_are_never_closer_than_the_minimum_spacing_and_back_off_when_always_due() {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], true);
        // A server granting 0 s tokens: every check says "due now". The
        // refresh takes 3 s each time: the spacing counts from its end.
        let mut gaps = Vec::new();
        for _ in 0..8 {
            s.set_now(s.now() + Duration::from_secs(3));
            checked(&mut s, fresh(Some(Duration::ZERO)));
            let at = s.check_at().unwrap();
            gaps.push((at - s.now()).as_secs());
            let _ = s.update(Message::Tick(at));
        }
        assert_eq!(gaps, [2, 4, 8, 16, 32, 60, 60, 60]);
        // A token with a lifetime again: the schedule is back to normal.
        s.set_now(s.now() + Duration::from_millis(10));
        checked(&mut s, fresh(Some(Duration::from_secs(40))));
        assert_eq!(s.check_at(), Some(s.now() + Duration::from_secs(40)));
    }

    #[test]
    fn home_on_the_sign_out_question_is_cancel_and_a_retry_does_not_replace_it() {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], false);
        checked(&mut s, offline());
        let Screen::Restoring(r) = s.screen() else {
            panic!("offline")
        };
        let at = r.retry_at().unwrap();
        // Sign out (Right, OK) while offline; then the retry finds it fine.
        press(&mut s, Command::Move(Right));
        press(&mut s, Command::Activate);
        assert!(matches!(s.screen(), Screen::SignOut(_)));
        let _ = s.update(Message::Tick(at));
        checked(&mut s, fresh(Some(Duration::from_secs(600))));
        assert!(
            matches!(s.screen(), Screen::SignOut(_)),
            "the question stays"
        );
        assert_eq!(
            s.exit_code(),
            exit::INTERRUPTED,
            "nothing continues by itself"
        );
        press(&mut s, Command::Home);
        assert_eq!(
            signed_in_actions(&s).1,
            Some(signed_in::Event::SignOut),
            "Home is Cancel"
        );
        // Confirming drops the signed-in exit at once.
        press(&mut s, Command::Activate);
        press(&mut s, Command::Move(Left));
        press(&mut s, Command::Activate);
        assert!(s.signing_out().is_some());
        assert_eq!(s.exit_code(), exit::INTERRUPTED);
        assert_eq!(s.signed_in_provider(), None);
    }

    #[test]
    fn with_stay_a_refused_renewal_ends_the_sign_in_and_shows_a_new_code() {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], true);
        checked(&mut s, fresh(Some(Duration::from_secs(6))));
        assert_eq!(
            signed_in_actions(&s).0,
            [signed_in::Event::SignOut],
            "with --stay nothing to continue to"
        );
        let at = s.check_at().unwrap();
        let _ = s.update(Message::Tick(at));
        // Signed out elsewhere: the provider refuses the refresh token.
        checked(&mut s, Checked::Ended("refused".into()));
        assert_eq!(notice(&s).as_deref(), Some("Your sign-in with A has ended"));
        assert!(s.attempt().is_some());
    }

    #[test]
    fn with_stay_an_offline_renewal_stays_signed_in_and_says_so() {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], true);
        checked(&mut s, fresh(Some(Duration::from_secs(6))));
        let _ = s.update(Message::Tick(s.check_at().unwrap()));
        checked(&mut s, offline());
        let Screen::SignedIn(x) = s.screen() else {
            panic!("still signed in")
        };
        let at = x.offline_until().expect("says it is offline");
        assert_eq!(s.check_at(), Some(at));
        assert_eq!(s.exit_code(), exit::SIGNED_IN);
        let _ = s.update(Message::Tick(at));
        checked(&mut s, fresh(Some(Duration::from_secs(6))));
        assert!(matches!(s.screen(), Screen::SignedIn(x) if x.offline_until().is_none()));
    }

    fn signed_in_restored() -> State {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], false);
        checked(&mut s, fresh(Some(Duration::from_secs(3540))));
        s
    }

    #[test]
    fn sign_out_is_right_ok_left_ok_and_shows_a_new_code() {
        let mut s = signed_in_restored();
        press(&mut s, Command::Move(Right));
        press(&mut s, Command::Activate);
        let Screen::SignOut(q) = s.screen() else {
            panic!("the confirmation")
        };
        assert_eq!(q.focused(), Some(sign_out::Event::Cancel), "Cancel first");
        press(&mut s, Command::Move(Left));
        press(&mut s, Command::Activate);
        assert!(matches!(s.screen(), Screen::SignOut(q) if q.is_busy()));
        let job = s.signing_out().expect("signing out");
        assert_eq!(s.check(), None);
        assert_eq!(s.check_at(), None, "no renewal while signing out");
        press(&mut s, Command::Home);
        assert_eq!(s.signing_out(), Some(job), "Home cannot interrupt it");
        let _ = s.update(Message::SignedOut(
            job,
            Ok(SignedOut {
                was_signed_in: true,
                ..SignedOut::default()
            }),
        ));
        assert_eq!(notice(&s).as_deref(), Some("Ada was signed out of A"));
        assert!(s.attempt().is_some(), "a new code for the same provider");
        assert_eq!(s.stored()[0], None);
        assert_eq!(s.exit_code(), exit::INTERRUPTED);
        assert_eq!(s.signed_in_provider(), None);
    }

    #[test]
    fn cancel_keeps_the_sign_in() {
        for cancel in [Command::Activate, Command::Back] {
            let mut s = signed_in_restored();
            press(&mut s, Command::Move(Right));
            press(&mut s, Command::Activate);
            press(&mut s, cancel);
            assert_eq!(
                signed_in_actions(&s).1,
                Some(signed_in::Event::SignOut),
                "back where it was"
            );
            assert_eq!(s.signing_out(), None);
            assert!(s.stored()[0].is_some());
            assert_eq!(s.exit_code(), exit::SIGNED_IN);
        }
    }

    #[test]
    fn a_failed_revocation_still_signs_out_here_and_says_so() {
        let mut s = signed_in_restored();
        press(&mut s, Command::Move(Right));
        press(&mut s, Command::Activate);
        press(&mut s, Command::Move(Left));
        press(&mut s, Command::Activate);
        let job = s.signing_out().unwrap();
        let _ = s.update(Message::SignedOut(
            job,
            Ok(SignedOut {
                was_signed_in: true,
                problems: vec!["A refused to revoke the refresh token (HTTP 401)".into()],
                no_revocation: false,
                still_valid: Some("the tokens were deleted here".into()),
            }),
        ));
        let text = notice(&s).unwrap();
        assert!(
            text.starts_with(
                "Signed out on this TV, but A did not confirm it (A refused to revoke"
            ),
            "{text}"
        );
        assert!(text.contains("deleted here"), "{text}");
        assert_eq!(s.stored()[0], None);
    }

    #[test]
    fn a_late_answer_from_a_dropped_check_changes_nothing() {
        let mut s = restoring(2, vec![Some(summary("Ada", 10)), None], false);
        let old = s.check().unwrap();
        press(&mut s, Command::Back);
        assert!(matches!(s.screen(), Screen::Choose(_)));
        let _ = s.update(Message::Checked(old, fresh(None)));
        assert!(matches!(s.screen(), Screen::Choose(_)));
        assert_eq!(s.exit_code(), exit::INTERRUPTED);
    }

    #[test]
    fn a_fresh_sign_in_is_kept_fresh_too() {
        let mut s = showing_code();
        let t0 = s.now();
        progress(&mut s, SigninEvent::SignedIn(Identity::default()));
        assert_eq!(s.check_at(), Some(t0 + MIN_CHECK_SPACING));
        assert!(s.stored()[0].is_some());
        assert_eq!(s.signed_in_provider().as_deref(), Some("a"));
    }

    #[test]
    fn a_signal_drops_everything_running_and_quits_with_its_exit_code() {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], false);
        checked(&mut s, fresh(None));
        assert_eq!(s.signed_in_provider().as_deref(), Some("a"));
        let _ = s.update(Message::Signal("SIGTERM", 143));
        assert!(s.is_quitting());
        assert_eq!(s.exit_code(), 143);
        assert_eq!(s.signed_in_provider(), None, "nothing is handed over");
        assert_eq!(s.check(), None);
        let mut s = showing_code();
        let _ = s.update(Message::Signal("SIGHUP", 129));
        assert_eq!(s.attempt(), None, "the sign-in is dropped");
        assert_eq!(s.exit_code(), 129);
    }

    #[test]
    fn a_configuration_problem_focuses_back_not_try_again() {
        let mut s = app(2, true);
        press(&mut s, Command::Activate);
        progress(
            &mut s,
            SigninEvent::Ended(Outcome::Config("no endpoints".into())),
        );
        assert!(
            matches!(s.screen(), Screen::Problem(p) if p.focused() == Some(problem::Event::Back))
        );
        let mut s = app(2, true);
        press(&mut s, Command::Activate);
        progress(
            &mut s,
            SigninEvent::Ended(transport("connection refused: x")),
        );
        assert!(
            matches!(s.screen(), Screen::Problem(p) if p.focused() == Some(problem::Event::TryAgain))
        );
    }

    #[test]
    fn continue_waits_for_a_renewal_under_way_so_its_tokens_are_saved() {
        let mut s = restoring(1, vec![Some(summary("Ada", 10))], false);
        checked(&mut s, fresh(Some(Duration::from_secs(1))));
        // The renewal comes due while the signed-in screen counts down.
        let at = s.check_at().unwrap();
        let _ = s.update(Message::Tick(at));
        assert!(s.check().is_some(), "a renewal is under way");
        press(&mut s, Command::Activate);
        assert!(!s.is_quitting(), "not while the renewal runs");
        checked(&mut s, fresh(Some(Duration::from_secs(3540))));
        assert!(s.is_quitting(), "then it continues");
        assert_eq!(s.exit_code(), exit::SIGNED_IN);
    }
}
