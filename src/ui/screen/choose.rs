//! Choose a provider: large tiles, one per provider, in rows of up to four.

use std::sync::Arc;

use iced::widget::{button, column, container, svg, text};
use iced::{Alignment, Color, Element, Length};

use crate::provider::Provider;
use crate::ui::focus::Focus;
use crate::ui::remote::Command;
use crate::ui::theme::{self, Metrics};
use crate::ui::widget;

pub const COLUMNS: usize = 4;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    focus: Focus,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Pick(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Picked(usize),
    Back,
}

impl State {
    pub fn new(count: usize, focused: usize) -> Self {
        Self {
            focus: Focus::grid(count, count.min(COLUMNS)).at(focused),
        }
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        let Message::Pick(i) = message;
        Some(Event::Picked(i))
    }

    pub fn remote(&mut self, command: Command) -> Option<Event> {
        match command {
            Command::Move(d) => {
                self.focus.step(d);
                None
            }
            Command::Activate => Some(Event::Picked(self.focus.index())),
            Command::Back => Some(Event::Back),
            Command::Home => None,
        }
    }
}

/// The tiles; `signed_in[i]` names who is signed in at provider `i`
/// (`Some("")` when the account has no name to show).
pub fn view<'a>(
    state: &State,
    providers: &'a [Arc<Provider>],
    signed_in: Vec<Option<String>>,
    m: Metrics,
) -> Element<'a, Message> {
    let tiles: Vec<Element<'a, Message>> = providers
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let who = signed_in.get(i).cloned().flatten();
            tile(p, who, state.focus.is(i), m).map(move |()| Message::Pick(i))
        })
        .collect();
    let mut rows = column![].spacing(m.px(40.0)).align_x(Alignment::Center);
    let mut tiles = tiles.into_iter().peekable();
    while tiles.peek().is_some() {
        let chunk: Vec<_> = tiles.by_ref().take(COLUMNS).collect();
        rows = rows.push(widget::row_dir(chunk, m).spacing(m.px(40.0)));
    }
    widget::page(
        column![
            widget::centered_title(m.t("choose-title"), m),
            widget::centered_body(m.t("choose-prompt"), m),
            container(rows).padding([m.px(24.0), 0.0]),
            widget::centered_muted(m.t("choose-hint"), m),
        ]
        .spacing(m.gap())
        .align_x(Alignment::Center),
        m,
    )
}

/// The presets' marks (Simple Icons, CC0; see assets/logos/README.md)
/// and their brand colours.
const PRESET_LOGOS: &[(&str, &[u8], [u8; 3])] = &[
    (
        "github",
        include_bytes!("../../../assets/logos/github.svg"),
        [0x18, 0x17, 0x17],
    ),
    (
        "google",
        include_bytes!("../../../assets/logos/google.svg"),
        [0x42, 0x85, 0xf4],
    ),
    (
        "microsoft",
        include_bytes!("../../../assets/logos/microsoft.svg"),
        [0x5e, 0x5e, 0x5e],
    ),
    (
        "keycloak",
        include_bytes!("../../../assets/logos/keycloak.svg"),
        [0x4d, 0x4d, 0x4d],
    ),
    (
        "okta",
        include_bytes!("../../../assets/logos/okta.svg"),
        [0x00, 0x7d, 0xc1],
    ),
    (
        "auth0",
        include_bytes!("../../../assets/logos/auth0.svg"),
        [0xeb, 0x54, 0x24],
    ),
];

fn preset_logo(preset: &str) -> Option<(&'static [u8], Color)> {
    PRESET_LOGOS
        .iter()
        .find(|(id, ..)| *id == preset)
        .map(|(_, svg, [r, g, b])| (*svg, Color::from_rgb8(*r, *g, *b)))
}

/// The tile's mark: the provider's logo on a white disc (a custom `logo =`
/// in its own colours, a preset's in its brand colour, black in high
/// contrast), else its initial on an accent disc.
fn badge<'a>(provider: &'a Provider, m: Metrics) -> Element<'a, ()> {
    let side = m.px(150.0);
    let mark = m.px(88.0);
    let disc = move |fill: Color| {
        move |_: &iced::Theme| container::Style {
            background: Some(fill.into()),
            border: iced::Border {
                radius: (side / 2.0).into(),
                ..iced::Border::default()
            },
            ..container::Style::default()
        }
    };
    let logo: Option<Element<'a, ()>> = match (&provider.logo, provider.preset.as_deref()) {
        (Some(path), _) => Some(
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("png"))
            {
                iced::widget::image(iced::widget::image::Handle::from_path(path))
                    .width(mark)
                    .height(mark)
                    .into()
            } else {
                svg(svg::Handle::from_path(path))
                    .width(mark)
                    .height(mark)
                    .into()
            },
        ),
        (None, Some(preset)) => preset_logo(preset).map(|(bytes, brand)| {
            let ink = if m.high_contrast { Color::BLACK } else { brand };
            svg(svg::Handle::from_memory(bytes))
                .width(mark)
                .height(mark)
                .style(move |_, _| svg::Style { color: Some(ink) })
                .into()
        }),
        (None, None) => None,
    };
    match logo {
        Some(logo) => container(logo)
            .center(side)
            .style(disc(Color::WHITE))
            .into(),
        None => {
            let initial: String = provider
                .name
                .chars()
                .next()
                .map(|c| c.to_uppercase().collect())
                .unwrap_or_default();
            container(
                text(initial)
                    .size(m.px(84.0))
                    .font(theme::BOLD)
                    .color(m.ink.focus_text),
            )
            .center(side)
            .style(disc(m.ink.accent))
            .into()
        }
    }
}

fn tile(provider: &Provider, who: Option<String>, focused: bool, m: Metrics) -> Element<'_, ()> {
    let ink = if focused {
        m.ink.focus_text
    } else {
        m.ink.muted
    };
    let badge = badge(provider, m);
    let mut lines = column![
        badge,
        text(&provider.name)
            .size(m.px(40.0))
            .font(theme::BOLD)
            .align_x(Alignment::Center),
    ]
    .spacing(m.px(18.0))
    .align_x(Alignment::Center);
    // Green on the dark tile; the focused tile's own ink on its light face.
    let signed_in_ink = if focused { ink } else { m.ink.success };
    let (note, ink) = match who.as_deref() {
        Some("") => (m.t("tile-signed-in"), signed_in_ink),
        Some(who) => (
            m.tr("tile-signed-in-as", &[("name", who.into())]),
            signed_in_ink,
        ),
        None if provider.demo => (m.t("tile-demo"), ink),
        None => (provider.host(), ink),
    };
    lines = lines.push(
        container(
            text(note)
                .size(m.px(if m.high_contrast { 32.0 } else { 24.0 }))
                .color(ink)
                .align_x(widget::centre(m))
                .wrapping(iced::widget::text::Wrapping::WordOrGlyph),
        )
        .center_x(Length::Fill),
    );
    button(
        container(lines)
            .center_x(Length::Fill)
            .center_y(Length::Fill),
    )
    .width(m.px(400.0))
    .height(m.px(380.0))
    .padding(m.px(20.0))
    .style(theme::action(focused, m))
    .on_press(())
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_but_the_generic_oidc_one_has_a_logo_that_parses_as_svg() {
        for preset in crate::presets::KNOWN.iter().filter(|p| **p != "oidc") {
            let (bytes, _) = preset_logo(preset).unwrap_or_else(|| panic!("{preset}: no logo"));
            let text = std::str::from_utf8(bytes).unwrap();
            assert!(
                text.starts_with("<svg") && text.contains("<path d=\""),
                "{preset}"
            );
        }
        assert!(preset_logo("oidc").is_none());
    }
}
