//! `token` and `logout`: using and ending a stored sign-in.
//!
//! Exit codes follow [`crate::exit`]: 0 done, 2 configuration, 4 sign-in
//! required, 5 the server or the network failed.

use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::config::Options;
use crate::exit;
use crate::oauth::AccessToken;
use crate::oauth::http::HttpTransport;
use crate::oauth::token::{self, RevokeError, TokenKind};
use crate::provider::Provider;
use crate::signin::{self, Outcome};
use crate::store::{self, StoredTokens};

/// A command's failure: its exit code comes from the outcome, as in `login`.
type Failure = Outcome;

fn run<T>(command: impl Future<Output = Result<T, Failure>>) -> Result<T, u8> {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("device-signin: cannot start the async runtime: {e}");
            return Err(exit::FAILED);
        }
    };
    runtime.block_on(command).map_err(|f| {
        eprintln!("device-signin: {f}");
        f.exit_code()
    })
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

fn transport() -> Result<HttpTransport, Failure> {
    signin::shared_http().map_err(|e| Outcome::client(&e))
}

fn print_token(token: &AccessToken) -> u8 {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{}", token.expose()).and_then(|()| out.flush()) {
        Ok(()) => exit::SIGNED_IN,
        Err(e) => {
            eprintln!("device-signin: cannot write the token: {e}");
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
    let record = store::load(&dir, &provider.id)?.ok_or_else(not_signed_in)?;
    if record.valid_for(min_valid, store::unix_now()) {
        return Ok(record.access_token);
    }

    // Refresh under the lock, and look again once we hold it: another
    // process may have refreshed meanwhile (and rotated the refresh token).
    let _lock = store::lock(&dir, &provider.id)?;
    let record = store::load(&dir, &provider.id)?.ok_or_else(not_signed_in)?;
    if record.valid_for(min_valid, store::unix_now()) {
        return Ok(record.access_token);
    }
    let Some(refresh_token) = record.refresh_token.clone() else {
        return Err(Outcome::SignInRequired(format!(
            "sign-in required: the access token for {} expires within {min_valid} s and there is \
             no refresh token",
            provider.name
        )));
    };
    let transport = transport()?;
    let endpoints = signin::resolve_endpoints(&provider, &transport).await?;
    let cfg = provider.client_config(&endpoints);
    let fresh = token::refresh(&cfg, &refresh_token, &transport).await?;
    let mut next = record.refreshed(&fresh, store::unix_now());
    if let Some(id_token) = &fresh.id_token {
        signin::check_refreshed_id_token(
            &provider,
            &endpoints,
            &mut next,
            id_token.expose(),
            &transport,
        )
        .await?;
    }
    store::save(&dir, &next)?;
    Ok(next.access_token)
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
        eprintln!("device-signin: not signed in; nothing to do");
        return Ok(exit::SIGNED_IN);
    };
    let _lock = store::lock(&dir, &provider.id)?;
    let Some(record) = store::load(&dir, &provider.id)? else {
        eprintln!(
            "device-signin: not signed in to {}; nothing to do",
            provider.name
        );
        return Ok(exit::SIGNED_IN);
    };

    let revoked = revoke_all(&provider, &record).await;
    if let Err(problems) = &revoked {
        for p in problems {
            eprintln!("device-signin: {p}");
        }
    }
    store::delete(&dir, &provider.id)?;
    if revoked.is_ok() {
        eprintln!("device-signin: signed out of {}", provider.name);
        Ok(exit::SIGNED_IN)
    } else {
        eprintln!(
            "device-signin: the tokens for {} were deleted here, but may stay valid at the \
             provider until they expire",
            provider.name
        );
        Ok(exit::FAILED)
    }
}

/// Every revocation problem, in order; `Ok` if none.
async fn revoke_all(provider: &Provider, record: &StoredTokens) -> Result<(), Vec<String>> {
    let transport = transport().map_err(|f| vec![f.to_string()])?;
    let endpoints = signin::resolve_endpoints(provider, &transport)
        .await
        .map_err(|e| vec![format!("cannot revoke: {e}")])?;
    let Some(endpoint) = endpoints.revocation_endpoint.as_deref() else {
        eprintln!(
            "device-signin: {} has no revocation endpoint; the tokens are only deleted here",
            provider.name
        );
        return Ok(());
    };
    let cfg = provider.client_config(&endpoints);
    let mut tokens: Vec<(&str, TokenKind)> = Vec::new();
    if let Some(rt) = &record.refresh_token {
        tokens.push((rt.expose(), TokenKind::Refresh));
    }
    tokens.push((record.access_token.expose(), TokenKind::Access));
    let mut problems = Vec::new();
    for (value, kind) in tokens {
        match token::revoke(&cfg, endpoint, value, kind, &transport).await {
            Ok(()) => tracing::debug!(%kind, "revoked"),
            // RFC 7009 §2.2.1: the provider cannot revoke this kind; the
            // refresh token's revocation usually covers it.
            Err(RevokeError::Unsupported(kind)) => {
                tracing::info!(%kind, "the provider does not revoke this kind of token");
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;
    use crate::oauth::TokenResponse;

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
