//! Small view helpers the screens share.

use iced::widget::{button, column, container, text};
use iced::{Alignment, Color, Element, Length};

use super::focus::Focus;
use super::theme::{self, Metrics};

/// The whole window: the safe area around `content`, which is centred.
pub fn page<'a, M: 'a>(content: impl Into<Element<'a, M>>, m: Metrics) -> Element<'a, M> {
    container(content)
        .padding(m.safe_area())
        .width(Length::Fill)
        .height(Length::Fill)
        .center_x(Length::Fill)
        .center_y(Length::Fill)
        .into()
}

pub fn title<'a, M: 'a>(label: impl text::IntoFragment<'a>, m: Metrics) -> Element<'a, M> {
    line(label, m.title(), m.ink.text, theme::BOLD, m)
}

pub fn body<'a, M: 'a>(label: impl text::IntoFragment<'a>, m: Metrics) -> Element<'a, M> {
    line(label, m.body(), m.ink.text, theme::BODY, m)
}

pub fn muted<'a, M: 'a>(label: impl text::IntoFragment<'a>, m: Metrics) -> Element<'a, M> {
    line(label, m.small(), m.ink.muted, theme::BODY, m)
}

/// Text that starts where the language starts: on the left, or on the
/// right in a right-to-left language, in the whole width it is given.
///
/// The text itself shrinks to its lines and a container places it: with
/// iced 0.14 and cosmic-text, a right-to-left paragraph aligned inside a
/// wider text widget is drawn shifted out of its bounds.
pub fn line<'a, M: 'a>(
    label: impl text::IntoFragment<'a>,
    size: f32,
    color: Color,
    font: iced::Font,
    m: Metrics,
) -> Element<'a, M> {
    container(text(label).size(size).color(color).font(font))
        .width(Length::Fill)
        .align_x(start(m))
        .into()
}

/// How a centred paragraph's lines are aligned: centred, except in a
/// right-to-left language, where only `Default` keeps cosmic-text's
/// right-to-left lines inside their bounds (the block is still centred by
/// its container).
pub fn centre(m: Metrics) -> text::Alignment {
    if m.rtl() {
        text::Alignment::Default
    } else {
        text::Alignment::Center
    }
}

/// Where a line of text starts in this language.
pub fn start(m: Metrics) -> Alignment {
    if m.rtl() {
        Alignment::End
    } else {
        Alignment::Start
    }
}

/// A row in reading order: left to right, or mirrored for a right-to-left
/// language.
pub fn row_dir<'a, M: 'a>(
    mut children: Vec<Element<'a, M>>,
    m: Metrics,
) -> iced::widget::Row<'a, M> {
    if m.rtl() {
        children.reverse();
    }
    iced::widget::Row::with_children(children)
}

/// Lines on outcome screens: centred, wrapping inside the column.
pub fn centered_title<'a, M: 'a>(label: impl text::IntoFragment<'a>, m: Metrics) -> Element<'a, M> {
    centered(label, m.title(), m.ink.text, theme::BOLD, m)
}

pub fn centered_body<'a, M: 'a>(label: impl text::IntoFragment<'a>, m: Metrics) -> Element<'a, M> {
    centered(label, m.body(), m.ink.text, theme::BODY, m)
}

pub fn centered_muted<'a, M: 'a>(label: impl text::IntoFragment<'a>, m: Metrics) -> Element<'a, M> {
    centered(label, m.small(), m.ink.muted, theme::BODY, m)
}

/// A warning line (offline, a notice the person should read).
pub fn centered_warning<'a, M: 'a>(
    label: impl text::IntoFragment<'a>,
    m: Metrics,
) -> Element<'a, M> {
    centered(label, m.body(), m.ink.warning, theme::BODY, m)
}

fn centered<'a, M: 'a>(
    label: impl text::IntoFragment<'a>,
    size: f32,
    color: Color,
    font: iced::Font,
    m: Metrics,
) -> Element<'a, M> {
    container(
        text(label)
            .size(size)
            .color(color)
            .font(font)
            .align_x(centre(m)),
    )
    .width(Length::Fill)
    .center_x(Length::Fill)
    .into()
}

/// A big round mark (✓, ✕, …) in a colour, above an outcome's title.
pub fn mark<'a, M: 'a>(glyph: &'a str, color: Color, m: Metrics) -> Element<'a, M> {
    text(glyph)
        .size(m.px(150.0))
        .font(theme::BOLD)
        .color(color)
        .into()
}

/// A row of action buttons; exactly one is drawn focused.
pub fn actions<'a, M: Clone + 'a>(
    labels: &[String],
    focus: Option<Focus>,
    m: Metrics,
    on_press: impl Fn(usize) -> M,
) -> Element<'a, M> {
    let buttons = labels.iter().enumerate().map(|(i, label)| {
        button(
            container(
                text(label.clone())
                    .size(m.button_text())
                    .font(theme::BOLD)
                    .align_x(centre(m)),
            )
            .center_x(Length::Fill),
        )
        // Wide enough for its words on one line, and never narrower
        // than the others' 340 px.
        .width(
            m.px(340.0)
                .max(estimated_width(label, m.button_text(), 0.64) + 2.0 * m.px(28.0) + m.px(16.0)),
        )
        .padding([m.px(20.0), m.px(28.0)])
        .style(theme::action(focus.is_some_and(|f| f.is(i)), m))
        .on_press(on_press(i))
        .into()
    });
    row_dir(buttons.collect(), m).spacing(m.px(40.0)).into()
}

/// About how wide `text` is at `size`: `em` of the size per character
/// (about 0.56 for DejaVu Sans, 0.61 for its monospace), a whole em for
/// wide (CJK) characters. For choosing sizes, not for drawing.
pub fn estimated_width(text: &str, size: f32, em: f32) -> f32 {
    text.chars()
        .map(|c| if is_wide(c) { 1.0 } else { em })
        .sum::<f32>()
        * size
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115f | 0x2e80..=0xa4cf | 0xac00..=0xd7a3 | 0xf900..=0xfaff | 0xfe30..=0xfe4f | 0xff00..=0xff60 | 0xffe0..=0xffe6)
}

/// An outcome screen: mark, title, lines, actions, centred.
pub fn outcome<'a, M: 'a>(
    mark: Element<'a, M>,
    heading: Element<'a, M>,
    lines: Vec<Element<'a, M>>,
    actions: Element<'a, M>,
    m: Metrics,
) -> Element<'a, M> {
    let lines = column(lines).spacing(m.px(16.0)).align_x(Alignment::Center);
    page(
        column![mark, heading, lines, actions]
            .spacing(m.gap() * 1.2)
            .align_x(Alignment::Center)
            .max_width(m.size.width * 0.8),
        m,
    )
}

/// Whole seconds left until `at`, rounded up, so "in 0 s" never shows while
/// there is still time to wait.
pub fn secs_until(at: std::time::Instant, now: std::time::Instant) -> u64 {
    let left = at.saturating_duration_since(now);
    left.as_secs() + u64::from(left.subsec_nanos() > 0)
}

/// A text that changes (a countdown) while the rest of the screen stays.
///
/// tiny-skia redraws only what changed, and clears only a changed text's own
/// bounds, while a glyph's anti-aliased edge (the T of "This code
/// expires…") reaches a fraction of a pixel outside them: that pixel was
/// blended again at every tick and grew brighter, a column that stayed on
/// later screens. An invisible quad behind the text that changes with `key`
/// widens the redrawn area (quads are redrawn with a pixel to spare), so
/// the edge pixel is cleared before it is drawn again.
pub fn changing<'a, M: 'a>(content: impl Into<Element<'a, M>>, key: u64) -> Element<'a, M> {
    let alpha = if key % 2 == 0 { 0.0 } else { 0.001 };
    container(content)
        .style(move |_: &iced::Theme| container::Style {
            background: Some(
                Color {
                    a: alpha,
                    ..theme::BACKGROUND
                }
                .into(),
            ),
            ..container::Style::default()
        })
        .into()
}
