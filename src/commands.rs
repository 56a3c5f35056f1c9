//! `token` and `logout`: using and ending a stored sign-in.
//!
//! Exit codes follow [`crate::exit`]: 0 done, 2 configuration, 4 sign-in
//! required, 5 the server or the network failed.

use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::config::Options;
use crate::exit;
use crate::oauth::AccessToken;
use crate::provider::Provider;
use crate::session::{self, Due};
use crate::signin::{self, Outcome};
use crate::store::{self, StoreError};

/// A command's failure: its exit code comes from the outcome, as in `login`.
type Failure = Outcome;

/// A line on stderr after `device-signin: `: text from a server or a file
/// (a provider's name) made [`crate::terminal::plain`].
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("device-signin: {}", crate::terminal::plain(&format!($($arg)*)))
    };
}

fn run<T>(command: impl Future<Output = Result<T, Failure>>) -> Result<T, u8> {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            say!("cannot start the async runtime: {e}");
            return Err(exit::FAILED);
        }
    };
    let stopped = runtime.block_on(async {
        let mut signals = match crate::signals::Signals::new() {
            Ok(s) => s,
            Err(e) => return Err(Stop::Setup(format!("cannot handle signals: {e}"))),
        };
        tokio::select! {
            result = command => result.map_err(Stop::Failed),
            // Dropping the command drops its requests: nothing more is sent.
            (name, code) = signals.recv() => Err(Stop::Signal(name, code)),
        }
    });
    // A lock wait on a blocking thread must not hold the exit up.
    runtime.shutdown_background();
    stopped.map_err(|stop| match stop {
        Stop::Failed(failure) => {
            // Server text inside the message cannot act on the terminal.
            say!("{failure}");
            failure.exit_code()
        }
        Stop::Signal(name, code) => {
            say!("interrupted by {name}");
            code
        }
        Stop::Setup(why) => {
            say!("{why}");
            exit::FAILED
        }
    })
}

/// Why a command ended without its result.
enum Stop {
    Failed(Failure),
    Signal(&'static str, u8),
    Setup(String),
}

/// The providers, through the one function that knows where they come
/// from. Keep the selection alive while the command runs: for the demo
/// provider it holds the server.
fn load_providers(common: &Options) -> Result<crate::config::Selection, Failure> {
    crate::config::select_providers(common).map_err(|e| Outcome::Config(e.to_string()))
}

/// Which provider a command is about: `--provider`, else the only one with
/// stored tokens. `None`: no configured provider has stored tokens.
fn choose(
    common: &Options,
    providers: Vec<Provider>,
    dir: &Path,
) -> Result<Option<Provider>, Failure> {
    if common.provider.is_some() {
        // select_providers has filtered the list down to the one asked for.
        return Ok(providers.into_iter().next());
    }
    let stored = store::list(dir)?;
    let mut signed_in: Vec<Provider> = providers
        .into_iter()
        .filter(|p| stored.contains(&p.id))
        .collect();
    match signed_in.len() {
        0 => Ok(None),
        1 => Ok(Some(signed_in.remove(0))),
        _ => {
            let ids: Vec<&str> = signed_in.iter().map(|p| p.id.as_str()).collect();
            Err(Outcome::Config(format!(
                "tokens are stored for several providers ({}); choose one with --provider ID",
                ids.join(", ")
            )))
        }
    }
}

fn data_dir(common: &Options) -> Result<PathBuf, Failure> {
    Ok(store::resolve_dir(common.data_dir.as_deref())?)
}

fn print_token(token: &AccessToken) -> u8 {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{}", token.expose()).and_then(|()| out.flush()) {
        Ok(()) => exit::SIGNED_IN,
        Err(e) => {
            say!("cannot write the token: {e}");
            exit::FAILED
        }
    }
}

/// `device-signin token`: print a valid access token, refreshing it first
/// when it expires within `min_valid` seconds.
pub fn token(common: &Options, min_valid: u64) -> u8 {
    match run(token_command(common, min_valid)) {
        Ok(token) => print_token(&token),
        Err(code) => code,
    }
}

/// The access token to print; on any failure, no token at all.
async fn token_command(common: &Options, min_valid: u64) -> Result<AccessToken, Failure> {
    let selection = load_providers(common)?;
    let dir = data_dir(common)?;
    let Some(provider) = choose(common, selection.providers.clone(), &dir)? else {
        return Err(Outcome::SignInRequired(format!(
            "sign-in required: no stored tokens in {}; run `device-signin login`",
            dir.display()
        )));
    };
    let not_signed_in = || {
        Outcome::SignInRequired(format!(
            "sign-in required: no stored tokens for {}; run `device-signin login --provider {}`",
            provider.name, provider.id
        ))
    };
    let due = Due::ValidFor(Duration::from_secs(min_valid));
    let record = session::fresh(&provider, &dir, due, signin::shared_http())
        .await?
        .ok_or_else(not_signed_in)?;
    Ok(record.access_token)
}

/// `device-signin logout`: revoke the refresh token, then the access token,
/// where the provider has a revocation endpoint; then delete the stored
/// tokens, whatever the revocation's outcome.
pub fn logout(common: &Options) -> u8 {
    run(logout_command(common)).unwrap_or_else(|code| code)
}

async fn logout_command(common: &Options) -> Result<u8, Failure> {
    let selection = load_providers(common)?;
    let dir = data_dir(common)?;
    let Some(provider) = choose(common, selection.providers.clone(), &dir)? else {
        say!("not signed in; nothing to do");
        return Ok(exit::SIGNED_IN);
    };
    let report = session::sign_out(&provider, &dir, signin::shared_http()).await?;
    if !report.was_signed_in {
        say!("not signed in to {}; nothing to do", provider.name);
        return Ok(exit::SIGNED_IN);
    }
    if report.no_revocation {
        say!(
            "{} has no revocation endpoint; the tokens are only deleted here",
            provider.name
        );
    }
    for problem in &report.problems {
        say!("{problem}");
    }
    match &report.still_valid {
        None => {
            say!("signed out of {}", provider.name);
            Ok(exit::SIGNED_IN)
        }
        Some(still_valid) => {
            say!("{still_valid}");
            Ok(exit::FAILED)
        }
    }
}

/// `device-signin status`: who is signed in at each provider, and until
/// when, never a token. Exits 0 when the chosen provider (`--provider`,
/// else the most recently used) is signed in, 4 when a sign-in is needed,
/// 2 when its record cannot be read.
pub fn status(common: &Options, json: bool) -> u8 {
    match run(status_command(common, json)) {
        Ok(code) => code,
        Err(code) => code,
    }
}

async fn status_command(common: &Options, json: bool) -> Result<u8, Failure> {
    let selection = load_providers(common)?;
    let dir = data_dir(common)?;
    let providers: Vec<Arc<Provider>> = selection.providers.iter().cloned().map(Arc::new).collect();
    let found = session::summaries(&providers, &dir);
    let known: Vec<Option<session::Summary>> = found
        .iter()
        .map(|r| r.as_ref().ok().cloned().flatten())
        .collect();
    let chosen = if common.provider.is_some() {
        Some(0)
    } else {
        session::most_recent(&known)
    };
    let now = store::unix_now();
    let code = match chosen.map(|i| &found[i]) {
        Some(Ok(Some(summary))) if summary.usable(now) => exit::SIGNED_IN,
        Some(Err(_)) => exit::CONFIG,
        _ => exit::EXPIRED,
    };
    let mut out = std::io::stdout().lock();
    let written = if json {
        let list: Vec<serde_json::Value> = providers
            .iter()
            .zip(&found)
            .map(|(p, r)| status_json(p, r, now))
            .collect();
        let doc = serde_json::json!({
            "chosen": chosen.map(|i| providers[i].id.as_str()),
            "signed_in": code == exit::SIGNED_IN,
            "exit_code": code,
            "providers": list,
        });
        writeln!(out, "{doc}")
    } else {
        let mut text = String::new();
        for (i, (p, r)) in providers.iter().zip(&found).enumerate() {
            let mark = if chosen == Some(i) { "* " } else { "  " };
            text.push_str(&status_text(mark, p, r, now));
        }
        if chosen.is_none() {
            text.push_str("no stored sign-in: run `device-signin` or `device-signin login`\n");
        }
        // Names come from a file and a server: nothing in them acts on the terminal.
        write!(out, "{}", crate::terminal::plain(&text))
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        say!("cannot write the status: {e}");
        return Ok(exit::FAILED);
    }
    Ok(code)
}

/// A time as "Wed, 02 Dec 2026 03:00:00 GMT (in 5 min)".
fn when(at: u64, now: u64) -> String {
    let date = session::http_date(at);
    let span = |secs: u64| match secs {
        0..60 => format!("{secs} s"),
        60..7200 => format!("{} min", secs / 60),
        7200..172_800 => format!("{} h", secs / 3600),
        _ => format!("{} days", secs / 86_400),
    };
    if at >= now {
        format!("{date} (in {})", span(at - now))
    } else {
        format!("{date} ({} ago)", span(now - at))
    }
}

fn status_text(
    mark: &str,
    p: &Provider,
    found: &Result<Option<session::Summary>, StoreError>,
    now: u64,
) -> String {
    let head = format!("{mark}{} ({})", p.name, p.id);
    let s = match found {
        Err(e) => return format!("{head}: cannot read the stored sign-in: {e}\n"),
        Ok(None) => return format!("{head}: not signed in\n"),
        Ok(Some(s)) => s,
    };
    let who = s.identity.display_name().unwrap_or("an unnamed account");
    let state = if s.usable(now) {
        "signed in"
    } else {
        "sign-in ended"
    };
    let access = match s.access_expires_at {
        Some(at) if at > now => format!("valid until {}", when(at, now)),
        Some(at) => format!("expired {}", when(at, now)),
        None => "no expiry given".to_owned(),
    };
    let refresh = match (s.has_refresh_token, s.refresh_expires_at) {
        (false, _) => "none".to_owned(),
        (true, Some(at)) if at > now => format!("valid until {}", when(at, now)),
        (true, Some(at)) => format!("expired {}", when(at, now)),
        (true, None) => "kept (the provider gave no lifetime)".to_owned(),
    };
    format!("{head}: {state} as {who}\n    access token: {access}\n    refresh token: {refresh}\n")
}

fn status_json(
    p: &Provider,
    found: &Result<Option<session::Summary>, StoreError>,
    now: u64,
) -> serde_json::Value {
    let mut doc = serde_json::json!({ "id": p.id, "name": p.name });
    match found {
        Err(e) => {
            doc["signed_in"] = false.into();
            doc["error"] = e.to_string().into();
        }
        Ok(None) => doc["signed_in"] = false.into(),
        Ok(Some(s)) => {
            doc["signed_in"] = s.usable(now).into();
            doc["who"] = s.identity.display_name().into();
            doc["sub"] = s.identity.sub.clone().into();
            doc["access_token_expires_at"] = s.access_expires_at.into();
            doc["refresh_token"] = s.has_refresh_token.into();
            doc["refresh_token_expires_at"] = s.refresh_expires_at.into();
            doc["obtained_at"] = s.obtained_at.into();
            doc["scope"] = s.scope.clone().into();
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;
    use crate::oauth::TokenResponse;
    use crate::store::StoredTokens;

    /// A providers file with explicit endpoints on a closed loopback port,
    /// and a data dir, in a temp dir.
    struct Setup {
        dir: tempfile::TempDir,
        common: Options,
    }

    fn closed_port() -> u16 {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    }

    fn setup(ids: &[&str]) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let port = closed_port();
        let mut text = String::new();
        for id in ids {
            text.push_str(&format!(
                "[[provider]]\nid = \"{id}\"\nclient_id = \"c\"\n\
                 device_authorization_endpoint = \"http://127.0.0.1:{port}/device\"\n\
                 token_endpoint = \"http://127.0.0.1:{port}/token\"\n"
            ));
        }
        let config = dir.path().join("providers.toml");
        std::fs::write(&config, text).unwrap();
        let common = Options {
            config: Some(config),
            data_dir: Some(dir.path().join("data")),
            ..Options::default()
        };
        Setup { dir, common }
    }

    impl Setup {
        fn data(&self) -> PathBuf {
            self.dir.path().join("data")
        }

        fn store(&self, id: &str, json: &str, now_offset: i64) {
            let resp: TokenResponse = serde_json::from_str(json).unwrap();
            let now = store::unix_now().saturating_add_signed(now_offset);
            store::save(&self.data(), &StoredTokens::from_response(id, &resp, now)).unwrap();
        }

        fn token(&self, min_valid: u64) -> Result<AccessToken, Failure> {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(token_command(&self.common, min_valid))
        }
    }

    const VALID: &str = r#"{"access_token":"at-1","refresh_token":"rt-1","expires_in":3600}"#;

    #[test]
    fn token_prints_a_stored_token_that_is_valid_long_enough() {
        let s = setup(&["kc"]);
        s.store("kc", VALID, 0);
        assert_eq!(s.token(60).unwrap().expose(), "at-1");
    }

    #[test]
    fn token_without_stored_tokens_is_sign_in_required_exit_4() {
        let s = setup(&["kc"]);
        let f = s.token(60).unwrap_err();
        assert_eq!(f.exit_code(), exit::EXPIRED);
        assert!(f.to_string().contains("sign-in required"), "{f}");
    }

    #[test]
    fn token_with_several_signed_in_providers_asks_for_one() {
        let s = setup(&["a", "b"]);
        s.store("a", VALID, 0);
        s.store("b", VALID, 0);
        let f = s.token(60).unwrap_err();
        assert_eq!(f.exit_code(), exit::CONFIG);
        assert!(f.to_string().contains("(a, b)"), "{f}");
        assert!(f.to_string().contains("--provider"), "{f}");
    }

    #[test]
    fn token_picks_the_only_signed_in_provider() {
        let s = setup(&["a", "b"]);
        s.store("b", VALID, 0);
        assert_eq!(s.token(60).unwrap().expose(), "at-1");
    }

    #[test]
    fn token_refresh_network_failure_is_exit_5_and_prints_nothing() {
        let s = setup(&["kc"]);
        // Expires in 30 s: inside the 60 s lead time, so a refresh is due.
        s.store(
            "kc",
            r#"{"access_token":"at-1","refresh_token":"rt-1","expires_in":30}"#,
            0,
        );
        let f = s.token(60).unwrap_err();
        assert_eq!(f.exit_code(), exit::FAILED, "{f}");
        assert!(
            f.to_string()
                .contains("the request to the token endpoint failed"),
            "{f}"
        );
        assert!(!f.to_string().contains("at-1") && !f.to_string().contains("rt-1"));
    }

    #[test]
    fn token_expired_without_refresh_token_is_sign_in_required() {
        let s = setup(&["kc"]);
        s.store("kc", r#"{"access_token":"at-1","expires_in":10}"#, -100);
        let f = s.token(0).unwrap_err();
        assert_eq!(f.exit_code(), exit::EXPIRED);
        assert!(f.to_string().contains("no refresh token"), "{f}");
    }

    #[test]
    fn token_store_readable_by_others_is_a_configuration_error() {
        let s = setup(&["kc"]);
        s.store("kc", VALID, 0);
        let path = store::path_for(&s.data(), "kc");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let f = s.token(60).unwrap_err();
        assert_eq!(f.exit_code(), exit::CONFIG);
        assert!(f.to_string().contains("chmod 600"), "{f}");
    }

    #[test]
    fn token_store_with_bad_json_is_moved_aside_and_sign_in_required() {
        let s = setup(&["kc"]);
        s.store("kc", VALID, 0);
        let path = store::path_for(&s.data(), "kc");
        std::fs::write(&path, "not json").unwrap();
        // As a script would call it, with --provider.
        let mut common = s.common.clone();
        common.provider = Some("kc".into());
        let f = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(token_command(&common, 60))
            .unwrap_err();
        assert_eq!(f.exit_code(), exit::EXPIRED);
        assert!(f.to_string().contains("moved to"), "{f}");
        assert!(!path.exists());
    }

    #[test]
    fn logout_revocation_failure_is_reported_and_the_tokens_still_deleted() {
        let s = setup(&["kc"]);
        let config = s.common.config.clone().unwrap();
        let text = std::fs::read_to_string(&config).unwrap();
        let port = closed_port();
        std::fs::write(
            &config,
            format!("{text}revocation_endpoint = \"http://127.0.0.1:{port}/revoke\"\n"),
        )
        .unwrap();
        s.store("kc", VALID, 0);
        let code = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(logout_command(&s.common))
            .unwrap();
        assert_eq!(code, exit::FAILED);
        assert!(!store::path_for(&s.data(), "kc").exists());
    }

    #[test]
    fn logout_without_revocation_endpoint_still_deletes_the_tokens() {
        let s = setup(&["kc"]);
        s.store("kc", VALID, 0);
        let code = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(logout_command(&s.common))
            .unwrap();
        assert_eq!(code, exit::SIGNED_IN);
        assert!(!store::path_for(&s.data(), "kc").exists());
    }
}
