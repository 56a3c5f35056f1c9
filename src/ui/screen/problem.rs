//! A problem: a plain-language summary, a detail line, Try again / Back.
//! When the network failed, it also tries again by itself after a while.
//!
//! `describe` is the one place where errors become words for the person in
//! front of the screen.

use std::time::Instant;

use iced::Element;

use crate::oauth::FlowError;
use crate::provider::Provider;
use crate::ui::focus::{Focus, Press};
use crate::ui::remote::Command;
use crate::ui::theme::{self, Metrics};
use crate::ui::widget;

const ACTIONS: [&str; 2] = ["Try again", "Back"];

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    summary: String,
    detail: String,
    /// When the app tries again by itself (network failures only).
    retry_at: Option<Instant>,
    focus: Focus,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Action(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    TryAgain,
    Back,
}

/// A summary anyone can read, and the technical detail for whoever fixes it.
pub fn describe(error: &FlowError, provider: &Provider) -> (String, String) {
    let name = &provider.name;
    let host = provider.host();
    let summary = match error {
        FlowError::Request(detail) => {
            let lower = detail.to_ascii_lowercase();
            if lower.contains("tls") || lower.contains("certificate") {
                format!("Can't make a secure connection to {host}")
            } else if lower.contains("timed out") {
                format!("{host} is not answering")
            } else {
                format!("Can't reach {host}")
            }
        }
        FlowError::Server(e) => match e.error.as_str() {
            "unauthorized_client" | "device_flow_disabled" => {
                format!("This app isn't enabled for device sign-in at {name}")
            }
            "invalid_client" | "incorrect_client_credentials" => {
                format!("{name} doesn't recognise this app")
            }
            "invalid_scope" => format!("{name} refused the permissions this app asks for"),
            "server_error" | "temporarily_unavailable" => {
                format!("{name} is having trouble right now")
            }
            _ => format!("{name} refused the sign-in"),
        },
        FlowError::InvalidResponse(_) => format!("{name} sent an answer this app can't use"),
        FlowError::Config(_) => format!("The sign-in settings for {name} are not complete"),
    };
    let detail = match error {
        FlowError::Server(e) => e.to_string(),
        FlowError::Request(d) | FlowError::InvalidResponse(d) | FlowError::Config(d) => d.clone(),
    };
    (summary, detail)
}

impl State {
    pub fn new(summary: String, detail: String, retry_at: Option<Instant>) -> Self {
        Self {
            summary,
            detail,
            retry_at,
            focus: Focus::row(ACTIONS.len()),
        }
    }

    pub fn retry_at(&self) -> Option<Instant> {
        self.retry_at
    }

    pub fn summary(&self) -> &str {
        &self.summary
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn update(&mut self, Message::Action(i): Message) -> Option<Event> {
        Some(action(self.focus.click(i)))
    }

    pub fn remote(&mut self, command: Command) -> Option<Event> {
        match self.focus.press(command) {
            Press::Moved => None,
            Press::Activated(i) => Some(action(i)),
            Press::Back => Some(Event::Back),
        }
    }
}

/// The event of the button at `index` in `ACTIONS`.
fn action(index: usize) -> Event {
    match index {
        0 => Event::TryAgain,
        _ => Event::Back,
    }
}

pub fn view(state: &State, now: Instant, m: Metrics) -> Element<'_, Message> {
    let mut lines = vec![widget::centered_muted(&state.detail, m)];
    if let Some(at) = state.retry_at {
        let d = at.saturating_duration_since(now);
        let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
        lines.push(widget::centered_body(
            format!("Trying again by itself in {secs} s"),
            m,
        ));
    }
    widget::outcome(
        widget::mark("!", theme::WARNING, m),
        widget::centered_title(&state.summary, m),
        lines,
        widget::actions(&ACTIONS, state.focus, m, Message::Action),
        m,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::wire::OAuthError;
    use crate::provider::{EndpointSource, Endpoints};

    fn provider() -> Provider {
        Provider {
            id: "gh".into(),
            name: "GitHub".into(),
            client_id: "x".into(),
            client_secret: None,
            client_auth: Default::default(),
            scope: None,
            scope_param: "scope".into(),
            extra_params: vec![],
            endpoints: EndpointSource::Explicit(Endpoints {
                device_authorization_endpoint: "https://login.example.com/device".into(),
                token_endpoint: "https://login.example.com/token".into(),
                ..Endpoints::default()
            }),
            preset: None,
            demo: false,
        }
    }

    #[test]
    fn a_network_failure_names_the_host_it_cannot_reach() {
        let e = FlowError::Request("connection refused: login.example.com: refused".into());
        let (summary, detail) = describe(&e, &provider());
        assert_eq!(summary, "Can't reach login.example.com");
        assert!(detail.contains("connection refused"));
    }

    #[test]
    fn a_disabled_device_flow_says_the_app_is_not_enabled_at_the_provider() {
        let e = FlowError::Server(OAuthError {
            error: "device_flow_disabled".into(),
            error_description: None,
            error_uri: None,
            interval: None,
        });
        let (summary, _) = describe(&e, &provider());
        assert_eq!(
            summary,
            "This app isn't enabled for device sign-in at GitHub"
        );
    }
}
