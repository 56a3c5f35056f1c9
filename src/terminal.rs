//! The terminal front-end: `device-signin login`.
//!
//! A view of the one sign-in pipeline ([`signin::run`]), as is the GUI: it
//! prints one line per event, plain text for people or one JSON object per
//! line (`--json`) for kiosk scripts. Neither form ever contains a secret.
//! The exit code is the outcome's.

use std::io::Write as _;
use std::pin::pin;

use futures::StreamExt as _;
use serde_json::{Value, json};

use crate::config::Options;
use crate::oauth::CodeInfo;
use crate::provider::Provider;
use crate::signin::{self, Identity, Outcome, SigninEvent};
use crate::{config, exit};

pub fn login(common: &Options, json: bool) -> u8 {
    let mut out = Printer {
        json,
        lang: common.lang.unwrap_or_default(),
    };
    let mut selection = match config::select_providers(common) {
        Ok(s) => s,
        Err(e) => return out.config_error(&e.to_string()),
    };
    out.lang = selection.language(common);
    let device_name = selection.device_name();
    signin::name_the_device(&mut selection.providers, device_name.as_deref());
    signin::pass_the_language(&mut selection.providers, out.lang);
    let provider = match pick(&selection.providers) {
        Ok(p) => p.clone(),
        Err(msg) => return out.config_error(&msg),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return out.config_error(&format!("cannot start the async runtime: {e}")),
    };
    let data_dir = common.data_dir.clone();
    runtime.block_on(async {
        // SIGINT, SIGTERM (systemd, `kill`) and SIGHUP end the sign-in with an
        // `interrupted` event, so a `--json` reader sees an end.
        let mut signals = match crate::signals::Signals::new() {
            Ok(s) => s,
            Err(e) => return out.config_error(&format!("cannot handle signals: {e}")),
        };
        tokio::select! {
            code = run(provider, data_dir, &out) => code,
            // Dropping `run` drops the flow stream: nothing more is sent.
            (name, code) = signals.recv() => {
                tracing::info!(signal = name, "interrupted");
                out.interrupted();
                code
            }
        }
    })
}

/// The one provider to sign in with.
pub fn pick(providers: &[Provider]) -> Result<&Provider, String> {
    match providers {
        [one] => Ok(one),
        [] => Err("no providers are configured".into()),
        many => Err(format!(
            "several providers are configured; choose one with --provider: {}",
            many.iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

async fn run(provider: Provider, data_dir: Option<std::path::PathBuf>, out: &Printer) -> u8 {
    out.start(&provider);
    let provider = std::sync::Arc::new(provider);
    let events = signin::run(provider.clone(), data_dir, signin::shared_http());
    let mut events = pin!(events);
    while let Some(event) = events.next().await {
        match event {
            SigninEvent::SignedIn(identity) => return out.signed_in(&provider, &identity),
            SigninEvent::Ended(outcome) => return out.finish(&provider, &outcome),
            other => out.event(&provider, &other),
        }
    }
    out.finish(
        &provider,
        &Outcome::InvalidResponse("the sign-in ended without an outcome".into()),
    )
}

struct Printer {
    json: bool,
    /// The language of the text lines (JSON events are for scripts and
    /// stay as they are).
    lang: crate::i18n::Lang,
}

/// Text for a terminal: control characters (escape sequences that clear
/// the screen, set the title or move the cursor) and text-direction or
/// invisible characters become U+FFFD, so nothing a server sends
/// (`error_description`, `message`, a name) can act on the terminal or pass
/// for output of ours. Line breaks of our own stay.
///
/// Any secret this process holds is replaced by `[redacted]` first
/// (`secret::redact`), whatever quoted it.
pub fn plain(text: &str) -> String {
    crate::oauth::secret::redact(text)
        .chars()
        .map(|c| {
            if c != '\n' && crate::oauth::wire::is_spoofing_char(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

impl Printer {
    /// A line on stdout: JSON as it is (serde escapes what must be), text
    /// made [`plain`].
    fn line(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        if self.json {
            // serde has escaped what must be; secrets go all the same.
            let _ = writeln!(stdout, "{}", crate::oauth::secret::redact(text));
        } else {
            let _ = writeln!(stdout, "{}", plain(text));
        }
        let _ = stdout.flush();
    }

    /// A line on stderr, made [`plain`].
    fn error(&self, text: &str) {
        eprintln!("{}", plain(text));
    }

    fn emit(&self, value: Value) {
        self.line(&value.to_string());
    }

    /// A failure before the sign-in could start (the providers file, the
    /// runtime): printed as the pipeline's outcomes are.
    fn config_error(&self, message: &str) -> u8 {
        let outcome = Outcome::Config(message.to_owned());
        if self.json {
            self.emit(outcome_json(&outcome));
        }
        self.error(&format!("device-signin: {message}"));
        outcome.exit_code()
    }

    fn interrupted(&self) {
        if self.json {
            self.emit(json!({"event": "interrupted"}));
        } else {
            eprintln!("\n{}", self.lang.t("login-interrupted"));
        }
    }

    fn start(&self, provider: &Provider) {
        if self.json {
            self.emit(json!({"event": "started", "provider": provider.id, "name": provider.name}));
        } else {
            let id = if provider.demo {
                "login-start-demo"
            } else {
                "login-start"
            };
            self.line(
                &self
                    .lang
                    .tr(id, &[("provider", provider.name.as_str().into())]),
            );
        }
    }

    fn event(&self, provider: &Provider, event: &SigninEvent) {
        if self.json {
            self.emit(event_json(provider, event));
            return;
        }
        match event {
            SigninEvent::Code(code) => self.code(provider, code),
            SigninEvent::Polling => self.line(&format!("  {}", self.lang.t("login-checking"))),
            SigninEvent::SlowDown { interval } => self.line(&format!(
                "  {}",
                self.lang
                    .tr("login-slow-down", &[("seconds", interval.as_secs().into())])
            )),
            SigninEvent::Offline { reason, retry_in } => self.line(&format!(
                "  {}",
                self.lang.tr(
                    "login-offline",
                    &[
                        ("detail", reason.to_string().into()),
                        ("seconds", retry_in.as_secs().into())
                    ]
                )
            )),
            SigninEvent::Approved(_) => self.line(&format!("  {}", self.lang.t("login-approved"))),
            _ => {}
        }
    }

    fn code(&self, provider: &Provider, code: &CodeInfo) {
        let mut text = String::new();
        let lang = self.lang;
        text.push_str(&format!(
            "\n{}\n\n    {}\n\n{}\n\n    {}\n\n",
            lang.t("login-go-to"),
            code.verification_uri,
            lang.t("login-enter"),
            code.user_code
        ));
        if let Some(qr) = terminal_qr(code.qr_uri()) {
            text.push_str(&format!("{}\n\n", lang.t("login-scan")));
            text.push_str(&qr);
            text.push('\n');
        }
        if let Some(message) = &code.message {
            text.push_str(&format!("{message}\n"));
        }
        // Device-code phishing: a code someone else sent is an attack.
        text.push_str(&format!(
            "{}\n",
            crate::signin::phishing_warning(&provider.name, lang)
        ));
        text.push_str(&lang.tr(
            "login-expires-waiting",
            &[("minutes", code.expires_in.as_secs().div_ceil(60).into())],
        ));
        self.line(&text);
    }

    fn signed_in(&self, provider: &Provider, identity: &Identity) -> u8 {
        if self.json {
            self.emit(json!({
                "event": "signed_in",
                "provider": provider.id,
                "sub": identity.sub,
                "name": identity.name,
                "preferred_username": identity.preferred_username,
                "email": identity.email,
            }));
        } else {
            let unnamed = self.lang.t("login-unnamed");
            let who = identity.display_name().unwrap_or(&unnamed);
            self.line(&self.lang.tr(
                "login-signed-in",
                &[
                    ("name", who.into()),
                    ("provider", provider.name.as_str().into()),
                ],
            ));
        }
        exit::SIGNED_IN
    }

    /// Print how the sign-in ended and return its exit code.
    fn finish(&self, provider: &Provider, outcome: &Outcome) -> u8 {
        if self.json {
            self.emit(outcome_json(outcome));
            return outcome.exit_code();
        }
        match outcome {
            Outcome::Denied => eprintln!("{}", self.lang.t("login-declined")),
            Outcome::Expired => eprintln!("{}", self.lang.t("login-expired")),
            other => {
                // What the problem screen says, in the viewer's language,
                // then the technical line (English, for whoever fixes it).
                self.error(&other.headline_in(provider, self.lang));
                self.error(&self.lang.t(other.next_step_id()));
                self.error(&format!("device-signin: {other}"));
            }
        }
        outcome.exit_code()
    }
}

fn event_json(provider: &Provider, event: &SigninEvent) -> Value {
    match event {
        SigninEvent::Code(c) => json!({
            "event": "code_issued",
            "provider": provider.id,
            "user_code": c.user_code,
            "verification_uri": c.verification_uri,
            "verification_uri_complete": c.verification_uri_complete,
            "expires_in": c.expires_in.as_secs(),
            "interval": c.interval.as_secs(),
            "message": c.message,
        }),
        SigninEvent::Polling => json!({"event": "polling"}),
        SigninEvent::SlowDown { interval } => {
            json!({"event": "slow_down", "interval": interval.as_secs()})
        }
        SigninEvent::Offline { reason, retry_in } => {
            json!({"event": "offline", "reason": reason, "retry_in": retry_in.as_secs()})
        }
        SigninEvent::Approved(g) => json!({
            "event": "granted",
            "provider": provider.id,
            "token_type": g.token_type,
            "expires_in": g.expires_in,
            "scope": g.scope,
            "refresh_token": g.refresh_token,
            "id_token": g.id_token,
        }),
        SigninEvent::SignedIn(_) => json!({"event": "signed_in", "provider": provider.id}),
        SigninEvent::Ended(outcome) => outcome_json(outcome),
    }
}

/// The terminal event of a sign-in that did not succeed. `exit_code`,
/// `retryable` and `outcome` say what the GUI would do with it.
pub fn outcome_json(outcome: &Outcome) -> Value {
    let mut v = match outcome {
        Outcome::Denied => json!({"event": "denied"}),
        Outcome::Expired => json!({"event": "expired"}),
        other => json!({"event": "failed", "kind": other.kind(), "message": other.to_string()}),
    };
    v["outcome"] = json!(outcome.name());
    v["exit_code"] = json!(outcome.exit_code());
    v["retryable"] = json!(outcome.retry_by_itself());
    if let Outcome::Server(err) = outcome {
        v["error"] = json!(err.error);
        v["error_description"] = json!(err.error_description);
        v["error_uri"] = json!(err.error_uri);
    }
    if let Outcome::Http { status, .. } = outcome {
        v["status"] = json!(status);
    }
    v
}

/// A QR code in Unicode half blocks, dark on light, with its quiet zone.
pub fn terminal_qr(data: &str) -> Option<String> {
    let code = qrcode::QrCode::new(data.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_direction_overrides_from_a_server_cannot_reach_the_terminal() {
        let hostile = "bad\u{1b}[2J\u{1b}]0;pwned\u{7}\rSigned in as admin\u{202E}nimda";
        let shown = plain(hostile);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert!(!shown.contains('\u{202E}'));
        assert!(shown.starts_with("bad\u{FFFD}[2J"), "{shown:?}");
        assert_eq!(plain("two\nlines"), "two\nlines");
    }
}
