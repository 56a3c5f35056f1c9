//! The root of the app: `State`, `Message`, `update`, `view`, `subscription`.
//!
//! `update` and `view` never read the clock: the current instant is app
//! state (`now`), refreshed by the 1 s tick and by the runner before each
//! message, so tests and screenshots choose it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use iced::widget::{mouse_area, responsive};
use iced::{Element, Point, Size, Subscription, Task, keyboard, mouse, window};

use super::flow::{self, Attempt, AttemptId, Progress};
use super::remote::{self, Command};
use super::screen::{choose, code, declined, expired, problem, signed_in};
use super::theme::Metrics;
use crate::exit;
use crate::oauth::{FlowError, FlowEvent};
use crate::provider::Provider;

/// Automatic renewals after expiry before the app waits for OK.
pub const MAX_RENEWALS: u32 = 3;
/// How long the signed-in screen stays before the app exits.
pub const SIGNED_IN_SHOWN: Duration = Duration::from_secs(3);

/// How the app was started.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Full screen, and Back on the first screen does nothing.
    pub kiosk: bool,
    /// Stay on the signed-in screen instead of exiting.
    pub stay: bool,
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub enum Screen {
    Choose(choose::State),
    Code(code::State),
    SignedIn(signed_in::State),
    Declined(declined::State),
    Expired(expired::State),
    Problem(problem::State),
}

#[derive(Debug, Clone)]
pub enum Message {
    /// A remote-control (keyboard) command.
    Remote(Command),
    /// The countdown tick, with the current instant.
    Tick(Instant),
    /// Progress of the sign-in attempt with this id.
    Flow(AttemptId, Progress),
    /// Clicks and taps on each screen.
    Choose(choose::Message),
    Code(code::Message),
    SignedIn(signed_in::Message),
    Declined(declined::Message),
    Expired(expired::Message),
    Problem(problem::Message),
    /// The monitor's size, for the bare-X11 fallback to full screen.
    Monitor(window::Id, Option<Size>),
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
    /// The exit code the process ends with, shared with the runner.
    exit_code: Arc<AtomicU8>,
}

impl State {
    /// The first screen: the provider choice, or the code of the only provider.
    pub fn new(providers: Vec<Provider>, options: Options, now: Instant) -> Self {
        let mut state = Self {
            providers: providers.into_iter().map(Arc::new).collect(),
            options,
            now,
            screen: Screen::Choose(choose::State::new(0, 0)),
            next_attempt: 1,
            flow: None,
            latest: None,
            renewals: 0,
            exit_code: Arc::new(AtomicU8::new(exit::INTERRUPTED)),
        };
        state.home(0);
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

    fn is_first_screen(&self) -> bool {
        match self.screen {
            Screen::Choose(_) => true,
            Screen::Code(_) => self.providers.len() == 1,
            _ => false,
        }
    }

    /// The first screen. With several providers that is the choice (the
    /// running attempt is dropped); with one it is a new code.
    fn home(&mut self, focused: usize) {
        if self.providers.len() == 1 {
            self.start(0);
        } else {
            self.flow = None;
            self.set_exit(exit::INTERRUPTED);
            self.screen = Screen::Choose(choose::State::new(self.providers.len(), focused));
        }
    }

    /// A new attempt the person asked for: the renewal count starts over.
    fn start(&mut self, provider: usize) {
        self.renewals = 0;
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
        self.flow = Some(Attempt {
            id,
            provider: Arc::clone(p),
            data_dir: self.options.data_dir.clone(),
        });
        self.latest = Some(Latest {
            provider,
            started: self.now,
            lifetime: Duration::ZERO,
        });
        self.set_exit(exit::INTERRUPTED);
        self.screen = Screen::Code(code::State::new(p.name.clone()));
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
            return iced::exit();
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
                // cover the monitor instead.
                Task::batch([window::move_to(id, Point::ORIGIN), window::resize(id, size)])
            }
            Message::Monitor(..) => Task::none(),
        }
    }

    fn on_remote(&mut self, command: Command) -> Task<Message> {
        match &mut self.screen {
            Screen::Choose(s) => {
                let event = s.remote(command);
                self.on_choose(event)
            }
            Screen::Code(s) => {
                let event = s.remote(command);
                self.on_code(event)
            }
            Screen::SignedIn(s) => {
                let event = s.remote(command);
                self.on_signed_in(event)
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
                self.start(i);
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
        match event {
            Some(signed_in::Event::Done) if self.options.stay => {
                self.home(self.latest_provider());
                Task::none()
            }
            Some(signed_in::Event::Done) => iced::exit(),
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
                self.start(self.latest_provider());
                Task::none()
            }
            Some(problem::Event::Back) => self.back(),
            None => Task::none(),
        }
    }

    fn on_tick(&mut self) -> Task<Message> {
        match &self.screen {
            Screen::SignedIn(s) if s.close_at().is_some_and(|at| self.now >= at) => iced::exit(),
            Screen::Expired(s) if s.renew_at().is_some_and(|at| self.now >= at) => {
                self.renew();
                Task::none()
            }
            _ => Task::none(),
        }
    }

    /// An automatic renewal after expiry; counts towards the cap.
    fn renew(&mut self) {
        self.renewals += 1;
        self.begin(self.latest_provider());
    }

    fn on_progress(&mut self, progress: Progress) {
        let now = self.now;
        match progress {
            Progress::Code(ref info) => {
                if let Some(latest) = &mut self.latest {
                    latest.lifetime = info.expires_in;
                }
                if let Screen::Code(s) = &mut self.screen {
                    s.on_progress(&progress, now);
                }
            }
            Progress::Polling
            | Progress::SlowDown { .. }
            | Progress::Offline { .. }
            | Progress::Approved => {
                if let Screen::Code(s) = &mut self.screen {
                    s.on_progress(&progress, now);
                }
            }
            Progress::SignedIn(identity) => {
                self.flow = None;
                self.set_exit(exit::SIGNED_IN);
                let close_at = (!self.options.stay).then(|| now + SIGNED_IN_SHOWN);
                self.screen = Screen::SignedIn(signed_in::State::new(
                    identity.display_name().map(str::to_owned),
                    self.provider_name(),
                    close_at,
                ));
            }
            Progress::Denied => {
                self.flow = None;
                self.set_exit(exit::DENIED);
                self.screen = Screen::Declined(declined::State::new(self.provider_name()));
            }
            Progress::Expired => {
                self.flow = None;
                self.set_exit(exit::EXPIRED);
                self.on_expiry();
            }
            Progress::Failed(error) => {
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

    fn fail(&mut self, error: FlowError) {
        let code = exit::for_event(&FlowEvent::Failed(error.clone())).unwrap_or(exit::FAILED);
        self.set_exit(code);
        let (summary, detail) = match self.providers.get(self.latest_provider()) {
            Some(p) => problem::describe(&error, p),
            None => (error.to_string(), String::new()),
        };
        self.screen = Screen::Problem(problem::State::new(summary, detail));
    }

    /// Whether a countdown is on screen (only then does the tick run).
    pub fn has_countdown(&self) -> bool {
        match &self.screen {
            Screen::Code(s) => s.has_countdown(),
            Screen::SignedIn(s) => s.close_at().is_some(),
            Screen::Expired(s) => s.renew_at().is_some(),
            _ => false,
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let mut subscriptions = vec![
            keyboard::listen()
                .filter_map(remote::command)
                .map(Message::Remote),
        ];
        if let Some(attempt) = &self.flow {
            subscriptions.push(
                flow::subscription(attempt.clone())
                    .map(|(id, progress)| Message::Flow(id, progress)),
            );
        }
        if self.has_countdown() {
            subscriptions.push(iced::time::every(Duration::from_secs(1)).map(Message::Tick));
        }
        Subscription::batch(subscriptions)
    }

    /// The screen for the window's size. The cursor is hidden: a remote is
    /// the pointer here, though clicks and taps still work.
    pub fn view(&self) -> Element<'_, Message> {
        let content = responsive(move |size| self.view_sized(Metrics::new(size)));
        mouse_area(content)
            .interaction(mouse::Interaction::Hidden)
            .into()
    }

    /// The screen at a given size (the screenshot tests call this too).
    pub fn view_sized(&self, m: Metrics) -> Element<'_, Message> {
        let now = self.now;
        match &self.screen {
            Screen::Choose(s) => choose::view(s, &self.providers, m).map(Message::Choose),
            Screen::Code(s) => code::view(s, now, m).map(Message::Code),
            Screen::SignedIn(s) => signed_in::view(s, now, m).map(Message::SignedIn),
            Screen::Declined(s) => declined::view(s, m).map(Message::Declined),
            Screen::Expired(s) => expired::view(s, now, m).map(Message::Expired),
            Screen::Problem(s) => problem::view(s, m).map(Message::Problem),
        }
    }
}
