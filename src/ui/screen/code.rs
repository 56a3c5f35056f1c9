//! The sign-in code: QR code, URL, user code, countdown, status, actions.

use std::time::{Duration, Instant};

use iced::widget::{Space, column, container, image, text};
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
    /// This TV's name, so the viewer knows which screen the code is for.
    device_name: Option<String>,
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
            Self::NewCode => "action-new-code",
            Self::Back => "action-back",
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
            device_name: None,
            // Nothing is focused at first: an OK pressed by habit must not
            // throw away the code someone is typing on their phone. The
            // first arrow focuses Back where there is one.
            actions: Actions::resting(actions, if back { Event::Back } else { Event::NewCode }),
        }
    }

    /// Names this TV on the code screen.
    pub fn set_device_name(&mut self, name: Option<String>) {
        self.device_name = name;
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

pub fn view(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    let provider = || ("provider", state.provider.as_str().into());
    let mut heading = column![].spacing(m.px(10.0));
    if let Some(notice) = &state.notice {
        heading = heading.push(widget::line(
            notice,
            m.body(),
            m.ink.warning,
            theme::BOLD,
            m,
        ));
    }
    let mut title = vec![widget::title(m.tr("code-title", &[provider()]), m)];
    if let (Some(device), Some(_)) = (&state.device_name, &state.code) {
        title.push(
            text(m.tr("code-device", &[("device", device.as_str().into())]))
                .size(m.small())
                .color(m.ink.muted)
                .into(),
        );
    }
    heading = heading.push(
        widget::row_dir(title, m)
            .spacing(m.px(32.0))
            .align_y(Alignment::Center),
    );
    let main: Element<'_, Message> = match &state.code {
        None => container(widget::body(m.tr("code-getting", &[provider()]), m))
            .height(m.qr_side())
            .center_y(m.qr_side())
            .into(),
        Some(shown) => code_panel(state, shown, now, m),
    };
    let mut body = column![heading, main]
        .spacing(m.gap())
        .width(Length::Fill)
        .align_x(widget::start(m));
    // The line against phishing sits beside the buttons: it costs no height.
    let actions = state.actions.view(m, Message::Action);
    body = body.push(match &state.code {
        Some(_) => Element::from(
            widget::row_dir(
                vec![
                    actions,
                    widget::line(
                        crate::signin::phishing_warning(&state.provider, m.lang),
                        m.small(),
                        m.ink.muted,
                        theme::BODY,
                        m,
                    ),
                ],
                m,
            )
            .spacing(m.px(48.0))
            .align_y(Alignment::Center),
        ),
        None => actions,
    });
    widget::page(body, m)
}

/// The two ways in, side by side: the QR code, or the numbered steps.
fn code_panel<'a>(
    state: &'a State,
    shown: &'a Shown,
    now: Instant,
    m: Metrics,
) -> Element<'a, Message> {
    let side = m.qr_side();
    let info = &shown.info;
    let mut qr_side: Vec<Element<'a, Message>> = Vec::new();
    if let Some(Qr { handle, modules }) = &shown.qr {
        let drawn = theme::qr_drawn(side, *modules as f32);
        qr_side.push(
            container(
                image(handle.clone())
                    .filter_method(image::FilterMethod::Nearest)
                    .content_fit(ContentFit::Fill)
                    .width(drawn)
                    .height(drawn),
            )
            // The image carries its white quiet zone: no card behind it
            // that could be drawn a few pixels off from it.
            .center(side)
            .into(),
        );
    }
    // The words' column: the safe width less the QR code and the gap.
    let safe = m.safe_area();
    let column_width = m.size.width
        - safe.left
        - safe.right
        - if shown.qr.is_some() {
            side + m.px(64.0)
        } else {
            0.0
        };
    let indent = m.px(70.0);
    let shown_url = display_url(&info.verification_uri);
    // URLs and codes read left to right in every language, on one line:
    // a long one is set smaller, never wrapped.
    let visit = m.t("code-step-visit");
    let url_at = |size: f32| widget::estimated_width(shown_url, size, 0.64);
    let inline_room =
        column_width - indent - widget::estimated_width(&visit, m.body(), 0.56) - m.px(24.0);
    let (url_size, url_inline) = if url_at(m.url()) <= inline_room {
        (m.url(), true)
    } else {
        let fit = m.url() * (column_width - indent) / url_at(m.url()).max(1.0);
        (fit.clamp(m.px(26.0), m.url()), false)
    };
    let url = text(shown_url)
        .size(url_size)
        .font(theme::BOLD)
        .color(m.ink.accent)
        .wrapping(text::Wrapping::None);
    // The code and its timer share a line: a long code is set smaller.
    let timer_room = m.px(330.0) + m.px(40.0);
    let code_at = |size: f32| widget::estimated_width(&info.user_code, size, 0.61);
    let code_size = (m.user_code() * (column_width - timer_room) / code_at(m.user_code()).max(1.0))
        .clamp(m.px(48.0), m.user_code());
    let user_code = text(&info.user_code)
        .size(code_size)
        .font(theme::CODE)
        .color(m.ink.text)
        .wrapping(text::Wrapping::None);
    let mut words = column![]
        .spacing(m.px(14.0))
        .width(Length::Fill)
        .align_x(widget::start(m));
    if shown.qr.is_some() {
        words = words
            .push(widget::line(
                m.t("code-scan"),
                m.body(),
                m.ink.text,
                theme::BOLD,
                m,
            ))
            .push(widget::muted(m.t("code-scan-hint"), m))
            .push(widget::line(
                m.t("code-or"),
                m.small(),
                m.ink.muted,
                theme::BOLD,
                m,
            ));
    }
    words = words
        .push(if url_inline {
            step(1, visit, Some(url.into()), m)
        } else {
            column![step(1, visit, None, m), indented(url.into(), indent, m)]
                .spacing(m.px(8.0))
                .align_x(widget::start(m))
                .into()
        })
        .push(step(2, m.t("code-step-enter"), None, m))
        .push(
            widget::row_dir(vec![user_code.into(), timer(info, now, m)], m)
                .spacing(m.px(40.0))
                .align_y(Alignment::Center),
        )
        .push(step(3, m.t("code-step-approve"), None, m))
        .push(status_line(state, now, m));
    widget::row_dir(
        vec![
            column(qr_side).into(),
            container(words).width(Length::Fill).into(),
        ],
        m,
    )
    .spacing(m.px(64.0))
    .align_y(Alignment::Center)
    .into()
}

/// A line set in from the start side (under a step's words).
fn indented<'a>(content: Element<'a, Message>, by: f32, m: Metrics) -> Element<'a, Message> {
    let padding = if m.rtl() {
        iced::Padding::ZERO.right(by)
    } else {
        iced::Padding::ZERO.left(by)
    };
    container(content).padding(padding).into()
}

/// A numbered step: its number in a ring, its words, and what to use.
fn step<'a>(
    number: u64,
    words: String,
    then: Option<Element<'a, Message>>,
    m: Metrics,
) -> Element<'a, Message> {
    let ring = m.px(50.0);
    let badge = container(
        text(m.lang.number(number))
            .size(m.px(30.0))
            .font(theme::BOLD)
            .color(m.ink.focus_text),
    )
    .center(ring)
    .style(move |_| container::Style {
        background: Some(m.ink.accent.into()),
        border: iced::Border {
            radius: (ring / 2.0).into(),
            ..iced::Border::default()
        },
        ..container::Style::default()
    });
    let mut parts: Vec<Element<'a, Message>> = vec![
        badge.into(),
        text(words).size(m.body()).color(m.ink.text).into(),
    ];
    if let Some(then) = then {
        parts.push(then);
    }
    widget::row_dir(parts, m)
        .spacing(m.px(20.0))
        .align_y(Alignment::Center)
        .into()
}

/// The countdown, next to the code: the time left in large digits, a thick
/// bar, and in words. In the last minute it turns amber and bold.
fn timer(info: &CodeInfo, now: Instant, m: Metrics) -> Element<'_, Message> {
    let left = info
        .expires_at
        .saturating_duration_since(now)
        .min(info.expires_in);
    let last_minute = left <= LAST_MINUTE;
    let color = if last_minute {
        m.ink.warning
    } else {
        m.ink.text
    };
    let words = if last_minute {
        m.t("code-last-minute")
    } else {
        let minutes = left.as_secs().div_ceil(60);
        m.tr("code-expires-in", &[("minutes", minutes.into())])
    };
    let total = info.expires_in.as_secs_f32().max(1.0);
    let filled = ((left.as_secs_f32() / total) * 1000.0).round() as u16;
    let fill: Element<'_, Message> = container(Space::new())
        .width(Length::FillPortion(filled.max(1)))
        .height(Length::Fill)
        .style(theme::bar_fill(if last_minute {
            m.ink.warning
        } else {
            m.ink.accent
        }))
        .into();
    let rest: Element<'_, Message> = Space::new()
        .width(Length::FillPortion(1000u16.saturating_sub(filled).max(1)))
        .into();
    let parts = match (filled > 0, filled < 1000) {
        (true, true) => vec![fill, rest],
        (true, false) => vec![fill],
        (false, _) => vec![rest],
    };
    // Mirrored in a right-to-left language: the time left drains leftwards.
    let bar = widget::row_dir(parts, m)
        .width(Length::Fill)
        .height(m.px(18.0));
    let clock = text(m.lang.clock(left.as_secs()))
        .size(m.px(64.0))
        .font(theme::BOLD)
        .color(color);
    let words = text(words).size(m.small()).color(if last_minute {
        m.ink.warning
    } else {
        m.ink.muted
    });
    let words = if last_minute {
        words.font(theme::BOLD)
    } else {
        words
    };
    widget::changing(
        column![clock, container(bar).style(theme::bar_track(m)), words,]
            .spacing(m.px(8.0))
            .width(m.px(330.0))
            .align_x(widget::start(m)),
        left.as_secs(),
    )
}

/// The status line names each state in words (kiosk-ux.md), calmly: no
/// alarm colours, and nothing asks the viewer to act when there is nothing
/// to do. While waiting, three dots take turns, once a second (the tick the
/// countdown already draws, so it costs no extra frames).
fn status_line(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    let (line, color, live): (String, Color, bool) = match &state.status {
        // The view says this itself while there is no code yet.
        Status::GettingCode => (
            m.tr(
                "code-getting",
                &[("provider", state.provider.as_str().into())],
            ),
            m.ink.muted,
            false,
        ),
        Status::Checking { since } if now < *since + CHECKING_SHOWN => {
            (m.t("status-checking"), m.ink.text, true)
        }
        Status::Waiting | Status::Checking { .. } => (m.t("status-waiting"), m.ink.text, true),
        Status::Offline { retry_at } => (
            m.tr(
                "status-offline",
                &[("seconds", widget::secs_until(*retry_at, now).into())],
            ),
            m.ink.text,
            false,
        ),
        Status::Approved => (m.t("status-approved"), m.ink.success, false),
    };
    let marker = if live {
        waiting_dots(state, now, m)
    } else {
        dot(
            match state.status {
                Status::Offline { .. } => m.ink.warning,
                Status::Approved => m.ink.success,
                _ => m.ink.muted,
            },
            m,
        )
    };
    let mut lines = column![
        widget::row_dir(
            vec![marker, text(line).size(m.body()).color(color).into()],
            m
        )
        .spacing(m.px(20.0))
        .align_y(Alignment::Center)
    ]
    .spacing(m.px(8.0))
    .width(Length::Fill)
    .align_x(widget::start(m));
    if state.renewal {
        lines = lines.push(widget::muted(m.t("status-renewed"), m));
    }
    if let Some(interval) = state.slowed {
        lines = lines.push(widget::muted(
            m.tr(
                "status-slow-down",
                &[("seconds", interval.as_secs().into())],
            ),
            m,
        ));
    }
    lines.into()
}

/// Three dots, one lit, moving on once a second with the countdown.
fn waiting_dots<'a>(state: &State, now: Instant, m: Metrics) -> Element<'a, Message> {
    let phase = state
        .code
        .as_ref()
        .map(|c| c.info.expires_at.saturating_duration_since(now).as_secs())
        .unwrap_or(0);
    // Counting down, so the lit dot walks forward in reading order.
    let lit = 2 - (phase % 3) as usize;
    let dots = (0..3)
        .map(|i| {
            let color = if i == lit {
                m.ink.accent
            } else {
                Color {
                    a: 0.35,
                    ..m.ink.muted
                }
            };
            dot(color, m)
        })
        .collect();
    widget::row_dir(dots, m).spacing(m.px(8.0)).into()
}

/// A status dot: a quad, not a glyph (a glyph's antialiasing can spill
/// past its bounds and be left behind by tiny-skia's damage tracking).
fn dot<'a>(color: Color, m: Metrics) -> Element<'a, Message> {
    let side = m.px(18.0);
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
}
