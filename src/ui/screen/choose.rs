//! Choose a provider: large tiles, one per provider, in rows of up to four.

use std::sync::Arc;

use iced::widget::{button, column, container, text};
use iced::{Alignment, Element, Length};

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

fn tile(provider: &Provider, who: Option<String>, focused: bool, m: Metrics) -> Element<'_, ()> {
    let initial: String = provider
        .name
        .chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let (ink, badge) = if focused {
        (m.ink.focus_text, m.ink.accent)
    } else {
        (m.ink.muted, m.ink.accent)
    };
    let badge = container(
        text(initial)
            .size(m.px(84.0))
            .font(theme::BOLD)
            .color(m.ink.focus_text),
    )
    .width(m.px(150.0))
    .height(m.px(150.0))
    .center_x(m.px(150.0))
    .center_y(m.px(150.0))
    .style(move |_| container::Style {
        background: Some(badge.into()),
        border: iced::Border {
            radius: m.px(75.0).into(),
            ..iced::Border::default()
        },
        ..container::Style::default()
    });
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
        text(note)
            .size(m.px(24.0))
            .color(ink)
            .width(Length::Fill)
            .align_x(Alignment::Center)
            .wrapping(iced::widget::text::Wrapping::WordOrGlyph),
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
