//! The sign-in code: QR code, URL, user code, countdown, status, actions.

use std::time::{Duration, Instant};

use iced::widget::{Space, column, container, image, row, text};
use iced::{Alignment, Color, ContentFit, Element, Length};

use crate::oauth::CodeInfo;
use crate::signin::SigninEvent as Progress;
use crate::ui::actions::{Action, Actions, Pressed};
use crate::ui::remote::Command;
use crate::ui::theme::{self, Metrics};
use crate::ui::widget;

/// "Checking now" stays on screen this long after a poll starts.
const CHECKING_SHOWN: Duration = Duration::from_secs(1);
/// The countdown grows prominent in the last minute.
const LAST_MINUTE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone)]
pub struct State {
    provider: String,
    code: Option<Shown>,
    status: Status,
    /// The interval the server asked for with slow_down, once it did.
    slowed: Option<Duration>,
    /// This code replaces one that expired (an automatic renewal).
    renewal: bool,
    /// Why a new sign-in is asked for, when the app knows (the stored one
    /// ended, or was signed out).
    notice: Option<String>,
    actions: Actions<Event>,
}

#[derive(Debug, Clone)]
struct Shown {
    info: CodeInfo,
    /// Built once per code (never in `view`, where a new handle would be a
    /// new texture every frame). `None` if the URI does not fit a QR code.
    qr: Option<Qr>,
}

/// A QR code at one pixel per module, quiet zone included. The view scales
/// it up by a whole number with nearest-neighbour filtering, so every module
/// is the same size and sharp, at a few kilobytes instead of megabytes.
#[derive(Debug, Clone)]
pub struct Qr {
    pub handle: image::Handle,
    /// Modules per side, quiet zone included.
    pub modules: u32,
}

#[derive(Debug, Clone, PartialEq)]
enum Status {
    GettingCode,
    Waiting,
    Checking { since: Instant },
    Offline { retry_at: Instant },
    Approved,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Action(Event),
}

/// The screen's actions, which are also what it tells the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    NewCode,
    Back,
}

impl Action for Event {
    fn label(self) -> &'static str {
        match self {
            Self::NewCode => "New code",
            Self::Back => "Back",
        }
    }
}

impl State {
    /// The code screen for `provider`. Without `back` (one provider in
    /// kiosk mode, where Back leads nowhere) there is no Back button.
    pub fn new(provider: impl Into<String>, back: bool) -> Self {
        let actions: &[Event] = if back {
            &[Event::NewCode, Event::Back]
        } else {
            &[Event::NewCode]
        };
        Self {
            provider: provider.into(),
            code: None,
            status: Status::GettingCode,
            slowed: None,
            renewal: false,
            notice: None,
            actions: Actions::new(actions, Event::NewCode),
        }
    }

    /// Says above the code why a new sign-in is asked for.
    pub fn set_notice(&mut self, notice: Option<String>) {
        self.notice = notice;
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The focused action.
    pub fn focused(&self) -> Option<Event> {
        self.actions.focused()
    }

    /// Says on screen that the previous code expired.
    pub fn mark_renewed(&mut self) {
        self.renewal = true;
    }

    pub fn is_renewal(&self) -> bool {
        self.renewal
    }

    pub fn user_code(&self) -> Option<&str> {
        self.code.as_ref().map(|c| c.info.user_code.as_str())
    }

    /// The QR image handle of the code on screen.
    pub fn qr(&self) -> Option<&image::Handle> {
        self.code
            .as_ref()
            .and_then(|c| c.qr.as_ref())
            .map(|q| &q.handle)
    }

    /// A countdown is on screen once a code is.
    pub fn has_countdown(&self) -> bool {
        self.code.is_some()
    }

    /// The non-terminal events of the attempt on screen.
    pub fn on_progress(&mut self, progress: &Progress, now: Instant) {
        match progress {
            Progress::Code(info) => {
                self.code = Some(Shown {
                    qr: qr_image(info.qr_uri()),
                    info: info.clone(),
                });
                self.status = Status::Waiting;
            }
            Progress::Polling => self.status = Status::Checking { since: now },
            Progress::SlowDown { interval } => {
                self.slowed = Some(*interval);
                self.status = Status::Waiting;
            }
            Progress::Offline { retry_in, .. } => {
                self.status = Status::Offline {
                    retry_at: now + *retry_in,
                }
            }
            Progress::Approved(_) => self.status = Status::Approved,
            _ => {}
        }
    }

    pub fn update(&mut self, Message::Action(a): Message) -> Option<Event> {
        Some(self.actions.click(a))
    }

    pub fn remote(&mut self, command: Command) -> Option<Event> {
        match self.actions.remote(command)? {
            Pressed::Action(a) => Some(a),
            Pressed::Back => Some(Event::Back),
        }
    }
}

/// The QR code as an RGBA image: black modules on white, with the 4-module
/// quiet zone, each module a square of whole pixels (drawn with `Nearest`).
pub fn qr_image(uri: &str) -> Option<Qr> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let width = code.width();
    let quiet = 4;
    let side = width + 2 * quiet;
    let mut rgba = vec![255u8; side * side * 4];
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            let at = (y * side + x) * 4;
            rgba[at..at + 3].fill(0);
        }
    }
    let modules = u32::try_from(side).ok()?;
    Some(Qr {
        handle: image::Handle::from_rgba(modules, modules, rgba),
        modules,
    })
}

/// `https://example.com/device` → `example.com/device`.
pub fn display_url(uri: &str) -> &str {
    uri.strip_prefix("https://")
        .unwrap_or(uri)
        .trim_end_matches('/')
}

/// `m:ss`.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

pub fn view(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    let heading = widget::title(format!("Sign in with {}", state.provider), m);
    let heading: Element<'_, Message> = match &state.notice {
        Some(notice) => column![
            text(notice)
                .size(m.body())
                .font(theme::BOLD)
                .color(theme::WARNING),
            heading
        ]
        .spacing(m.px(12.0))
        .into(),
        None => heading,
    };
    let main: Element<'_, Message> = match &state.code {
        None => container(widget::body(
            format!("Getting a sign-in code from {}…", state.provider),
            m,
        ))
        .height(m.qr_side())
        .center_y(m.qr_side())
        .into(),
        Some(shown) => code_panel(shown, m),
    };
    let mut body = column![heading, main].spacing(m.gap()).width(Length::Fill);
    if let Some(shown) = &state.code {
        body = body.push(countdown(&shown.info, now, m));
    }
    body = body.push(status_line(state, now, m));
    // The line against phishing sits beside the buttons: it costs no height,
    // which the notice and the status lines need at 720p.
    let actions = state.actions.view(m, Message::Action);
    body = body.push(match &state.code {
        Some(_) => Element::from(
            row![
                actions,
                text(crate::signin::phishing_warning(&state.provider))
                    .size(m.small())
                    .color(theme::MUTED)
                    .width(Length::Fill)
            ]
            .spacing(m.px(48.0))
            .align_y(Alignment::Center),
        ),
        None => actions,
    });
    widget::page(body, m)
}

fn code_panel(shown: &Shown, m: Metrics) -> Element<'_, Message> {
    let side = m.qr_side();
    let qr: Element<'_, Message> = match &shown.qr {
        Some(Qr { handle, modules }) => {
            // A whole number of pixels per module keeps every module the same.
            let modules = *modules as f32;
            let drawn = (side / modules).floor().max(1.0) * modules;
            container(
                image(handle.clone())
                    .filter_method(image::FilterMethod::Nearest)
                    .content_fit(ContentFit::Fill)
                    .width(drawn)
                    .height(drawn),
            )
            .center(side)
            .style(theme::qr_card)
            .into()
        }
        None => Space::new().width(0).height(side).into(),
    };
    let info = &shown.info;
    let shown_url = display_url(&info.verification_uri);
    // Up to 40 characters fit on one line in the smaller size.
    let url_size = if shown_url.chars().count() > 30 {
        m.px(44.0)
    } else {
        m.url()
    };
    let url = text(shown_url)
        .size(url_size)
        .font(theme::BOLD)
        .color(theme::ACCENT);
    let user_code = text(&info.user_code)
        .size(m.user_code())
        .font(theme::CODE)
        .color(theme::TEXT);
    let mut words = column![
        widget::body("On your phone or computer, go to", m),
        url,
        Space::new().height(m.px(12.0)),
        widget::body("and enter this code", m),
        user_code,
    ]
    .spacing(m.px(14.0))
    .width(Length::Fill);
    if shown.qr.is_some() {
        words = words.push(widget::muted("or scan the QR code with your phone", m));
    }
    words = words.push(widget::muted("Leave this screen on until it confirms", m));
    row![qr, words]
        .spacing(m.px(64.0))
        .align_y(Alignment::Center)
        .into()
}

fn countdown(info: &CodeInfo, now: Instant, m: Metrics) -> Element<'_, Message> {
    let left = info
        .expires_at
        .saturating_duration_since(now)
        .min(info.expires_in);
    let last_minute = left <= LAST_MINUTE;
    let (label, color, size, thickness) = if last_minute {
        (
            format!("Less than a minute left: {}", clock(left)),
            theme::WARNING,
            m.body() * 1.15,
            m.px(26.0),
        )
    } else {
        (
            format!("This code expires in {}", clock(left)),
            theme::MUTED,
            m.small(),
            m.px(10.0),
        )
    };
    let total = info.expires_in.as_secs_f32().max(1.0);
    let filled = ((left.as_secs_f32() / total) * 1000.0).round() as u16;
    let mut bar = row![].width(Length::Fill).height(thickness);
    if filled > 0 {
        bar = bar.push(
            container(Space::new())
                .width(Length::FillPortion(filled))
                .height(Length::Fill)
                .style(theme::bar_fill(color)),
        );
    }
    if filled < 1000 {
        bar = bar.push(Space::new().width(Length::FillPortion(1000 - filled)));
    }
    let label = text(label).size(size).color(color);
    let label = if last_minute {
        label.font(theme::BOLD)
    } else {
        label
    };
    let label = widget::changing(label, left.as_secs());
    column![label, container(bar).style(theme::bar_track)]
        .spacing(m.px(10.0))
        .into()
}

/// The status line names each state in words (kiosk-ux.md).
fn status_line(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    let (line, color): (String, Color) = match &state.status {
        Status::GettingCode => ("Asking for a code…".into(), theme::MUTED),
        Status::Checking { since } if now < *since + CHECKING_SHOWN => (
            "Checking now whether you have approved…".into(),
            theme::ACCENT,
        ),
        Status::Waiting | Status::Checking { .. } => {
            ("Waiting for you to approve…".into(), theme::TEXT)
        }
        Status::Offline { retry_at } => (
            format!(
                "No connection to the server: retrying in {} s",
                widget::secs_until(*retry_at, now)
            ),
            theme::DANGER,
        ),
        Status::Approved => ("Approved: finishing sign-in…".into(), theme::SUCCESS),
    };
    let mut lines = column![
        row![dot(color, m), text(line).size(m.body()).color(color)]
            .spacing(m.px(16.0))
            .align_y(Alignment::Center)
    ]
    .spacing(m.px(8.0));
    if state.renewal {
        lines = lines.push(
            text("The last code expired, so this is a new one")
                .size(m.small())
                .color(theme::MUTED),
        );
    }
    if let Some(interval) = state.slowed {
        lines = lines.push(
            text(format!(
                "The server asked us to slow down: now checking every {} s",
                interval.as_secs()
            ))
            .size(m.small())
            .color(theme::WARNING),
        );
    }
    lines.into()
}

/// The status dot: a quad, not a glyph (a glyph's antialiasing can spill
/// past its bounds and be left behind by tiny-skia's damage tracking).
fn dot<'a>(color: Color, m: Metrics) -> Element<'a, Message> {
    let side = m.px(22.0);
    container(Space::new())
        .width(side)
        .height(side)
        .style(move |_| container::Style {
            background: Some(color.into()),
            border: iced::Border {
                radius: (side / 2.0).into(),
                ..iced::Border::default()
            },
            ..container::Style::default()
        })
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_is_shown_without_https_and_trailing_slash() {
        assert_eq!(
            display_url("https://example.com/device/"),
            "example.com/device"
        );
        assert_eq!(
            display_url("http://localhost:8080/d"),
            "http://localhost:8080/d"
        );
    }

    #[test]
    fn clock_shows_minutes_and_padded_seconds() {
        assert_eq!(clock(Duration::from_secs(905)), "15:05");
        assert_eq!(clock(Duration::from_secs(42)), "0:42");
    }
}
