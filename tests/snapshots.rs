//! Screenshot tests of every screen, one PNG baseline per state, rendered
//! headless with tiny-skia and the bundled fonts at a fixed "now".
//!
//! Run with `cargo test --test snapshots`. `.cargo/config.toml` sets
//! `ICED_TEST_BACKEND=tiny-skia`. A missing baseline is written (then look at
//! it before committing); under `CI` a missing baseline fails instead.
//! To renew one, delete its PNG and run the test again.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use std::cell::Cell;

use device_signin::i18n::Lang;
use device_signin::oauth::CodeInfo;
use device_signin::oauth::wire::{TransportError, TransportErrorKind};
use device_signin::provider::{EndpointSource, Endpoints, Provider};
use device_signin::signin::Identity;
use device_signin::signin::{Outcome, SigninEvent as Progress, Step};
use device_signin::ui::app::{Message, Options, State};
use device_signin::ui::remote::{Command, Direction};
use device_signin::ui::theme;
use iced::Size;
use iced_test::simulator::Simulator;

const HD: Size = Size::new(1920.0, 1080.0);
const SMALL: Size = Size::new(1280.0, 720.0);

thread_local! {
    /// The language and look of the screens this test thread builds.
    static LOOK: Cell<(Lang, bool)> = const { Cell::new((Lang::En, false)) };
}

fn look(lang: Lang, high_contrast: bool) {
    LOOK.with(|l| l.set((lang, high_contrast)));
}

fn lang() -> Lang {
    LOOK.with(|l| l.get().0)
}

/// Options in this thread's language and look.
fn options(kiosk: bool) -> Options {
    let (lang, high_contrast) = LOOK.with(|l| l.get());
    Options {
        kiosk,
        lang,
        high_contrast,
        device_name: Some("Living room TV".into()),
        ..Options::default()
    }
}

/// The arrow towards the next element in reading order: Right, or Left in
/// a right-to-left language (arrows move the way they point on screen).
fn next() -> Message {
    let d = if lang().rtl() {
        Direction::Left
    } else {
        Direction::Right
    };
    Message::Remote(Command::Move(d))
}

fn provider(id: &str, name: &str, host: &str) -> Provider {
    Provider {
        id: id.into(),
        name: name.into(),
        client_id: "client".into(),
        client_secret: None,
        client_auth: Default::default(),
        scope: None,
        scope_param: "scope".into(),
        extra_params: vec![],
        endpoints: EndpointSource::Explicit(Endpoints {
            device_authorization_endpoint: format!("https://{host}/device/code"),
            token_endpoint: format!("https://{host}/token"),
            ..Endpoints::default()
        }),
        // The presets' tiles show their logos.
        preset: device_signin::presets::KNOWN
            .contains(&id)
            .then(|| id.to_owned()),
        demo: false,
        logo: None,
    }
}

/// One provider, so the app opens on the code screen.
fn single() -> State {
    State::new(
        vec![provider("example", "Example", "login.example.com")],
        options(true),
        Instant::now(),
    )
}

fn code(t0: Instant, uri: &str, user_code: &str) -> CodeInfo {
    CodeInfo {
        user_code: user_code.into(),
        verification_uri: uri.into(),
        verification_uri_complete: Some(format!("{uri}?user_code={user_code}")),
        expires_in: Duration::from_secs(900),
        expires_at: t0 + Duration::from_secs(900),
        interval: Duration::from_secs(5),
        message: None,
    }
}

fn send(state: &mut State, progress: Progress) {
    let id = state.attempt().expect("an attempt is running");
    let _ = state.update(Message::Flow(id, progress));
}

/// The code screen with a code issued at `t0`, seen at `t0 + elapsed`.
fn showing(uri: &str, user_code: &str, elapsed: u64) -> State {
    let mut state = single();
    let t0 = state.now();
    send(&mut state, Progress::Code(code(t0, uri, user_code)));
    state.set_now(t0 + Duration::from_secs(elapsed));
    state
}

/// The baseline's name: the English one, or with the look's suffix.
fn suffixed(name: &str) -> String {
    let (lang, high_contrast) = LOOK.with(|l| l.get());
    let mut name = name.to_owned();
    if lang != Lang::En {
        name.push('_');
        name.push_str(&lang.tag().to_ascii_lowercase().replace('-', "_"));
    }
    if high_contrast {
        name.push_str("_hc");
    }
    name
}

fn assert_snapshot(state: &State, size: Size, name: &str) {
    let name = &suffixed(name);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let baseline = dir.join(format!("{name}-tiny-skia.png"));
    if !baseline.exists() && std::env::var_os("CI").is_some() {
        panic!("missing baseline {}", baseline.display());
    }
    let settings = iced::Settings {
        fonts: theme::fonts_for(lang()),
        default_font: theme::BODY,
        ..iced::Settings::default()
    };
    let mut ui = Simulator::with_size(settings, size, state.view());
    let snapshot = ui
        .snapshot(&theme::theme(state.palette()))
        .expect("a snapshot");
    let matches = snapshot
        .matches_image(dir.join(format!("{name}.png")))
        .expect("the baseline can be read");
    assert!(
        !dir.join(format!("{name}-wgpu.png")).exists(),
        "rendered with wgpu: set ICED_TEST_BACKEND=tiny-skia"
    );
    assert!(matches, "{name} differs from {}", baseline.display());
}

fn provider_choice_with_three_providers_focus_on_the_second() {
    let mut state = State::new(
        vec![
            provider("github", "GitHub", "github.com"),
            provider("google", "Google", "oauth2.googleapis.com"),
            provider("microsoft", "Microsoft", "login.microsoftonline.com"),
        ],
        options(true),
        Instant::now(),
    );
    let _ = state.update(next());
    assert_snapshot(&state, HD, "provider_choice");
}

fn code_screen_waiting() {
    let state = showing("https://example.com/device", "WDJB-MJHT", 28);
    assert_snapshot(&state, HD, "code_normal");
}

fn code_screen_getting_a_code() {
    assert_snapshot(&single(), HD, "code_getting");
}

fn code_screen_names_a_slow_down() {
    let mut state = showing("https://example.com/device", "WDJB-MJHT", 40);
    send(
        &mut state,
        Progress::SlowDown {
            interval: Duration::from_secs(10),
        },
    );
    assert_snapshot(&state, HD, "code_slow_down");
}

fn code_screen_names_no_connection_and_the_retry() {
    let mut state = showing("https://example.com/device", "WDJB-MJHT", 60);
    send(
        &mut state,
        Progress::Offline {
            reason: "connection refused: login.example.com".into(),
            retry_in: Duration::from_secs(20),
        },
    );
    let later = state.now() + Duration::from_secs(3);
    let _ = state.update(Message::Tick(later));
    assert_snapshot(&state, HD, "code_offline");
}

fn code_screen_in_the_last_minute() {
    let state = showing("https://example.com/device", "WDJB-MJHT", 900 - 42);
    assert_snapshot(&state, HD, "code_last_minute");
}

fn code_screen_with_a_40_character_url_and_a_15_character_code() {
    let url = "https://accounts.example-company.com/device/link";
    assert_eq!(url.trim_start_matches("https://").len(), 40);
    let user_code = "BX0O-1IL7-KDNQ3";
    assert_eq!(user_code.len(), 15);
    let state = showing(url, user_code, 28);
    assert_snapshot(&state, HD, "code_long_url");
}

fn code_screen_after_an_automatic_renewal() {
    let mut state = showing("https://example.com/device", "WDJB-MJHT", 900);
    send(&mut state, Progress::Ended(Outcome::Expired));
    let t = state.now();
    send(
        &mut state,
        Progress::Code(code(t, "https://example.com/device", "RKTV-QPWM")),
    );
    state.set_now(t + Duration::from_secs(5));
    assert_snapshot(&state, HD, "code_renewed");
}

fn code_screen_at_720p() {
    let state = showing("https://example.com/device", "WDJB-MJHT", 28);
    assert_snapshot(&state, SMALL, "code_720p");
}

fn signed_in_screen() {
    let mut state = showing("https://example.com/device", "WDJB-MJHT", 60);
    send(
        &mut state,
        Progress::SignedIn(Identity {
            name: Some("Ada Lovelace".into()),
            email: Some("ada@example.com".into()),
            ..Identity::default()
        }),
    );
    let later = state.now() + Duration::from_secs(1);
    let _ = state.update(Message::Tick(later));
    assert_snapshot(&state, HD, "signed_in");
}

fn declined_screen() {
    let mut state = showing("https://example.com/device", "WDJB-MJHT", 60);
    send(&mut state, Progress::Ended(Outcome::Denied));
    assert_snapshot(&state, HD, "declined");
}

fn expired_screen_after_the_renewal_cap() {
    let mut state = showing("https://example.com/device", "WDJB-MJHT", 900);
    for _ in 0..device_signin::ui::app::MAX_RENEWALS {
        send(&mut state, Progress::Ended(Outcome::Expired));
        let t = state.now();
        send(
            &mut state,
            Progress::Code(code(t, "https://example.com/device", "WDJB-MJHT")),
        );
        state.set_now(t + Duration::from_secs(900));
    }
    send(&mut state, Progress::Ended(Outcome::Expired));
    assert_snapshot(&state, HD, "expired");
}

fn problem_screen() {
    let mut state = showing("https://example.com/device", "WDJB-MJHT", 60);
    send(
        &mut state,
        Progress::Ended(Outcome::Transport {
            step: Step::DeviceAuthorization,
            error: TransportError::new(
                TransportErrorKind::Refused,
                "login.example.com: tcp connect error: Connection refused (os error 111)",
            ),
        }),
    );
    assert_snapshot(&state, HD, "problem");
}

#[test]
fn a_click_or_tap_on_a_button_activates_it() {
    let state = showing("https://example.com/device", "WDJB-MJHT", 28);
    let settings = iced::Settings {
        fonts: theme::fonts(),
        default_font: theme::BODY,
        ..iced::Settings::default()
    };
    let mut ui = Simulator::with_size(settings, HD, state.view());
    // The only provider's code screen in a kiosk: Back would lead nowhere,
    // so there is no such button.
    assert!(ui.find("Back").is_err(), "no Back button");
    ui.click("New code").expect("a New code button");
    let messages: Vec<Message> = ui.into_messages().collect();
    let mut state = state;
    let before = state.attempt();
    for message in messages {
        let _ = state.update(message);
    }
    assert!(!state.is_quitting());
    assert_ne!(
        state.attempt(),
        before,
        "a click on New code starts a new attempt"
    );
    let mut windowed = State::new(
        vec![provider("example", "Example", "login.example.com")],
        Options::default(),
        Instant::now(),
    );
    let mut ui = Simulator::with_size(
        iced::Settings {
            fonts: theme::fonts(),
            default_font: theme::BODY,
            ..iced::Settings::default()
        },
        HD,
        windowed.view(),
    );
    ui.click("Back").expect("a Back button");
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(!messages.is_empty(), "the click produced a message");
    for message in messages {
        let _ = windowed.update(message);
    }
    assert!(
        windowed.is_quitting(),
        "windowed: Back on the first screen quits"
    );
}

/// Two providers, the first with a stored sign-in of Ada's: the app opens
/// restoring it.
fn restoring() -> State {
    use device_signin::session::Summary;
    let ada = Summary::fresh(
        Identity {
            name: Some("Ada Lovelace".into()),
            ..Identity::default()
        },
        100,
    );
    State::with_stored(
        vec![
            provider("example", "Example", "login.example.com"),
            provider("other", "Other", "sso.other.example"),
        ],
        vec![Some(ada), None],
        options(true),
        Instant::now(),
    )
}

fn checked(state: &mut State, checked: device_signin::session::Checked) {
    let id = state.check().expect("a check is running");
    let _ = state.update(Message::Checked(id, checked));
}

fn restored() -> State {
    let mut state = restoring();
    checked(
        &mut state,
        device_signin::session::Checked::Fresh {
            identity: Identity {
                name: Some("Ada Lovelace".into()),
                ..Identity::default()
            },
            refresh_in: Some(Duration::from_secs(3540)),
        },
    );
    state
}

fn signed_in_screen_of_a_restored_sign_in() {
    let mut state = restored();
    let later = state.now() + Duration::from_secs(1);
    let _ = state.update(Message::Tick(later));
    assert_snapshot(&state, HD, "signed_in_restored");
}

fn sign_out_confirmation_with_cancel_focused() {
    let mut state = restored();
    let _ = state.update(next());
    let _ = state.update(Message::Remote(Command::Activate));
    assert_snapshot(&state, HD, "sign_out_confirm");
}

fn code_screen_after_the_stored_sign_in_ended() {
    let mut state = restoring();
    checked(
        &mut state,
        device_signin::session::Checked::Ended("refused".into()),
    );
    let t0 = state.now();
    send(
        &mut state,
        Progress::Code(code(t0, "https://example.com/device", "WDJB-MJHT")),
    );
    state.set_now(t0 + Duration::from_secs(28));
    assert_snapshot(&state, HD, "code_sign_in_ended");
}

fn restoring_while_the_provider_cannot_be_reached() {
    let mut state = restoring();
    checked(
        &mut state,
        device_signin::session::Checked::Failed(Outcome::Transport {
            step: Step::Token,
            error: TransportError::new(
                TransportErrorKind::Refused,
                "login.example.com: tcp connect error: Connection refused (os error 111)",
            ),
        }),
    );
    assert_snapshot(&state, HD, "restoring_offline");
}

fn provider_choice_names_who_is_signed_in() {
    let mut state = restored();
    // Use another account.
    let _ = state.update(next());
    let _ = state.update(next());
    let _ = state.update(Message::Remote(Command::Activate));
    assert_snapshot(&state, HD, "provider_choice_signed_in");
}

/// Every screen in English, mirrored in Arabic, and in the pseudo-locale
/// (every string 40 % longer) without clipping or overlap.
macro_rules! every_look {
    ($($screen:ident),* $(,)?) => {$(
        mod $screen {
            use super::*;

            #[test]
            fn in_english() {
                look(Lang::En, false);
                super::$screen();
            }

            #[test]
            fn mirrored_in_arabic() {
                look(Lang::Ar, false);
                super::$screen();
            }

            #[test]
            fn in_the_pseudo_locale_40_percent_longer() {
                look(Lang::Pseudo, false);
                super::$screen();
            }
        }
    )*};
}

every_look!(
    provider_choice_with_three_providers_focus_on_the_second,
    code_screen_waiting,
    code_screen_getting_a_code,
    code_screen_names_a_slow_down,
    code_screen_names_no_connection_and_the_retry,
    code_screen_in_the_last_minute,
    code_screen_with_a_40_character_url_and_a_15_character_code,
    code_screen_after_an_automatic_renewal,
    code_screen_at_720p,
    signed_in_screen,
    declined_screen,
    expired_screen_after_the_renewal_cap,
    problem_screen,
    signed_in_screen_of_a_restored_sign_in,
    sign_out_confirmation_with_cancel_focused,
    code_screen_after_the_stored_sign_in_ended,
    restoring_while_the_provider_cannot_be_reached,
    provider_choice_names_who_is_signed_in,
);

/// The code screen in each of the other locales.
macro_rules! code_screen_in {
    ($($test:ident: $lang:expr),* $(,)?) => {$(
        #[test]
        fn $test() {
            look($lang, false);
            code_screen_waiting();
        }
    )*};
}

code_screen_in!(
    code_screen_in_german: Lang::De,
    code_screen_in_french: Lang::Fr,
    code_screen_in_spanish: Lang::Es,
    code_screen_in_brazilian_portuguese: Lang::PtBr,
    code_screen_in_japanese: Lang::Ja,
);

/// The high-contrast look: black, white, bright colours, larger hints.
macro_rules! in_high_contrast {
    ($($test:ident: $screen:ident),* $(,)?) => {$(
        #[test]
        fn $test() {
            look(Lang::En, true);
            $screen();
        }
    )*};
}

in_high_contrast!(
    high_contrast_code_screen: code_screen_waiting,
    high_contrast_code_screen_at_720p: code_screen_at_720p,
    high_contrast_code_screen_in_the_last_minute: code_screen_in_the_last_minute,
    high_contrast_provider_choice: provider_choice_with_three_providers_focus_on_the_second,
    high_contrast_problem_screen: problem_screen,
);

/// The QR code in every locale's code screen decodes to the complete
/// verification URI (the baselines are what the tests above rendered).
#[test]
fn the_qr_code_decodes_in_every_locales_baseline() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let expected = "https://example.com/device?user_code=WDJB-MJHT";
    let mut names: Vec<String> = Lang::ALL
        .iter()
        .map(|l| {
            look(*l, false);
            suffixed("code_normal")
        })
        .collect();
    look(Lang::Pseudo, false);
    names.push(suffixed("code_normal"));
    look(Lang::En, true);
    names.push(suffixed("code_normal"));
    for name in names {
        let png = dir.join(format!("{name}-tiny-skia.png"));
        assert!(png.exists(), "{} is missing", png.display());
        let out = match std::process::Command::new("zbarimg")
            .args(["--quiet", "--raw"])
            .arg(&png)
            .output()
        {
            Ok(out) => out,
            Err(e) => panic!("zbarimg cannot run ({e}): install zbar-tools (scripts/test does)"),
        };
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            text.trim(),
            expected,
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
