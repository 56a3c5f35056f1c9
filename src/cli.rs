//! Command-line parsing and dispatch to the front-ends.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::exit;

#[derive(Debug, Parser)]
#[command(
    name = "device-signin",
    version,
    about = "Full-screen OAuth 2.0 device sign-in (RFC 8628) for TVs and kiosks",
    long_about = "Without a command, opens the full-screen sign-in app. \
                  `login` runs the same flow in a terminal.",
    after_help = exit::TABLE
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub gui: GuiArgs,
}

/// Options every command that signs in shares.
#[derive(Debug, Clone, Default, Args)]
pub struct Common {
    /// The providers file (default: $XDG_CONFIG_HOME/device-signin/providers.toml).
    #[arg(long, value_name = "FILE", global = true, env = crate::handoff::CONFIG_VAR)]
    pub config: Option<PathBuf>,
    /// The provider to use, by id.
    #[arg(long, value_name = "ID", global = true, env = crate::handoff::PROVIDER_VAR)]
    pub provider: Option<String>,
    /// Where tokens are stored (default: $XDG_DATA_HOME/device-signin).
    #[arg(long, value_name = "DIR", global = true, env = crate::handoff::DATA_DIR_VAR)]
    pub data_dir: Option<PathBuf>,
    /// Use the embedded demo provider, even when a providers file exists.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Address the embedded demo server binds (default 127.0.0.1:0).
    #[arg(long, value_name = "ADDR", global = true)]
    pub demo_bind: Option<String>,
    /// The language of the screens and of `login`: en, de, fr, es, pt-BR,
    /// ja or ar (default: `language =` in the providers file, else LC_ALL,
    /// LC_MESSAGES, LANG, then LANGUAGE).
    #[arg(long, value_name = "LANG", global = true, value_parser = parse_lang)]
    pub lang: Option<crate::i18n::Lang>,
}

fn parse_lang(name: &str) -> Result<crate::i18n::Lang, String> {
    crate::i18n::Lang::parse(name).ok_or_else(|| {
        format!(
            "not a language this app speaks; use one of {}",
            crate::i18n::Lang::ALL.map(|l| l.tag()).join(", ")
        )
    })
}

impl From<&Common> for crate::config::Options {
    fn from(c: &Common) -> Self {
        Self {
            config: c.config.clone(),
            provider: c.provider.clone(),
            data_dir: c.data_dir.clone(),
            demo: c.demo,
            demo_bind: c.demo_bind.clone(),
            lang: c.lang,
        }
    }
}

#[derive(Debug, Clone, Default, Args)]
pub struct GuiArgs {
    #[command(flatten)]
    pub common: Common,
    /// Run in a window instead of full screen (development).
    #[arg(long)]
    pub windowed: bool,
    /// Stay on the signed-in screen instead of exiting.
    #[arg(long)]
    pub stay: bool,
    /// On a game controller, East (B) is OK and South (A) is Back (by
    /// default A is OK and B is Back).
    #[arg(long)]
    pub gamepad_swap_ok_back: bool,
    /// Black, white and bright colours, and larger secondary text, for
    /// viewers with low vision (also `high_contrast = true` in the
    /// providers file).
    #[arg(long)]
    pub high_contrast: bool,
    /// After a sign-in (fresh or restored), close the window and run
    /// PROGRAM in this process's place; everything after --exec is its
    /// command line. It inherits DEVICE_SIGNIN_CONFIG, DEVICE_SIGNIN_PROVIDER
    /// and DEVICE_SIGNIN_DATA_DIR, so it can run `device-signin token`.
    #[arg(long, value_name = "PROGRAM [ARGS]...")]
    pub exec: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in from the terminal: URL, code and QR code, one line per event.
    Login {
        /// One JSON object per line per event, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Print a valid access token, refreshing it first when it is about to expire.
    Token {
        /// Refresh when the token expires within this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 60)]
        min_valid: u64,
    },
    /// Revoke the stored tokens at the provider and delete them locally.
    Logout,
    /// Who is signed in at each provider, and until when (never a token).
    /// Exits 0 when the chosen provider is signed in, 4 when not.
    Status {
        /// One JSON object, for monitoring.
        #[arg(long)]
        json: bool,
    },
    /// Run the embedded demo authorization server alone.
    DemoServer {
        /// Address to bind (default 127.0.0.1:0, a free port).
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        /// Lifetime of each code, in seconds (to try expiry and renewal).
        #[arg(long, value_name = "SECONDS", default_value_t = 600,
              value_parser = clap::value_parser!(u64).range(1..=86_400))]
        expires_in: u64,
        /// Polling interval the server asks for and enforces, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 5,
              value_parser = clap::value_parser!(u64).range(1..=3_600))]
        interval: u64,
    },
}

pub fn main() -> ExitCode {
    let (args, exec) = match crate::handoff::split_exec(std::env::args_os().collect()) {
        Ok(split) => split,
        Err(why) => {
            eprintln!("device-signin: {why}");
            return ExitCode::from(exit::CONFIG);
        }
    };
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { exit::CONFIG } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if !exec.is_empty() {
        let conflict = if cli.command.is_some() {
            Some("--exec goes with the full-screen app, not with a command")
        } else if cli.gui.stay {
            Some("--exec and --stay exclude each other: --stay never hands over")
        } else {
            None
        };
        if let Some(why) = conflict {
            eprintln!("device-signin: {why}");
            return ExitCode::from(exit::CONFIG);
        }
    }
    crate::logging::init();
    let common = crate::config::Options::from(&cli.gui.common);
    let code = match cli.command {
        None => crate::ui::run(crate::ui::RunOptions {
            common,
            windowed: cli.gui.windowed,
            stay: cli.gui.stay,
            gamepad_swap_ok_back: cli.gui.gamepad_swap_ok_back,
            high_contrast: cli.gui.high_contrast,
            exec,
        }),
        Some(Command::Login { json }) => crate::terminal::login(&common, json),
        Some(Command::Token { min_valid }) => crate::commands::token(&common, min_valid),
        Some(Command::Logout) => crate::commands::logout(&common),
        Some(Command::Status { json }) => crate::commands::status(&common, json),
        Some(Command::DemoServer {
            bind,
            expires_in,
            interval,
        }) => crate::demo::serve_cli(
            bind.as_deref(),
            crate::demo::DemoConfig {
                expires_in: std::time::Duration::from_secs(expires_in),
                interval: std::time::Duration::from_secs(interval),
                ..Default::default()
            },
        ),
    };
    ExitCode::from(code)
}
