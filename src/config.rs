//! Which providers a run offers: the providers file, or the demo.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::demo::{self, DemoConfig, DemoServer};
use crate::provider::{self, ConfigError, Provider};

/// Where the providers and tokens are, for every front-end. Plain data: the
/// command line (`cli.rs`) fills it, and nothing here knows of clap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The providers file; `None`: the default path.
    pub config: Option<PathBuf>,
    /// The provider to use, by id.
    pub provider: Option<String>,
    /// Where tokens are stored; `None`: the default data directory.
    pub data_dir: Option<PathBuf>,
    /// Use the embedded demo provider, even when a providers file exists.
    pub demo: bool,
    /// The address the embedded demo server binds.
    pub demo_bind: Option<String>,
    /// `--lang`: the language, over the providers file and the environment.
    pub lang: Option<crate::i18n::Lang>,
}

/// The providers of this run. When they come from the embedded demo server,
/// `demo` holds it: keep the `Selection` (or the server) alive for as long
/// as the sign-in runs; dropping it stops the server.
#[derive(Debug)]
pub struct Selection {
    pub providers: Vec<Provider>,
    pub demo: Option<DemoServer>,
    /// The providers file's settings (none for the demo).
    pub settings: provider::Settings,
}

impl Selection {
    /// The language: `--lang`, else the file's `language =`, else the
    /// environment's (`LC_ALL`, `LC_MESSAGES`, `LANG`, then `LANGUAGE`).
    pub fn language(&self, common: &Options) -> crate::i18n::Lang {
        common
            .lang
            .or(self.settings.language)
            .unwrap_or_else(|| crate::i18n::Lang::from_env(|k| std::env::var(k).ok()))
    }

    /// This TV's name: the file's `device_name`, else the host name.
    pub fn device_name(&self) -> Option<String> {
        self.settings
            .device_name
            .clone()
            .or_else(provider::host_name)
    }
}

/// Why no providers could be selected.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(
        "--demo-bind `{0}`: expected an address such as 127.0.0.1:8080, 0.0.0.0 or a port number"
    )]
    DemoBind(String),
    #[error("cannot start the demo server on {addr}: {source}")]
    DemoStart {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("--provider `{0}`: with --demo the only provider is `demo`")]
    NotDemo(String),
}

/// The providers for this run, filtered by `--provider` when given.
///
/// The embedded demo server starts (and its approval link is printed to
/// stderr) when `--demo` is given, when no `--config` is given and the
/// default providers file does not exist, or when `--provider demo` names
/// a provider the file does not have.
pub fn select_providers(common: &Options) -> Result<Selection, SelectError> {
    let selection = select(common)?;
    for p in &selection.providers {
        if let Some(warning) = p.id_token_warning() {
            tracing::warn!("{warning}");
        }
    }
    Ok(selection)
}

fn select(common: &Options) -> Result<Selection, SelectError> {
    let wants = common.provider.as_deref();
    if common.demo {
        return match wants {
            None | Some(demo::PROVIDER_ID) => start_demo(common),
            Some(other) => Err(SelectError::NotDemo(other.to_owned())),
        };
    }
    let path = match &common.config {
        Some(path) => path.clone(),
        None => provider::default_path().unwrap_or_else(|| PathBuf::from("providers.toml")),
    };
    let no_file = common.config.is_none() && !path.exists();
    if no_file && matches!(wants, None | Some(demo::PROVIDER_ID)) {
        return start_demo(common);
    }
    let (providers, settings) = provider::load_with_settings(&path)?;
    if let Some(warning) = provider::secret_readable_warning(&path, &providers) {
        tracing::warn!("{warning}");
    }
    let Some(id) = wants else {
        return Ok(Selection {
            providers,
            demo: None,
            settings,
        });
    };
    if let Some(p) = providers.iter().find(|p| p.id == id) {
        return Ok(Selection {
            providers: vec![p.clone()],
            demo: None,
            settings,
        });
    }
    if id == demo::PROVIDER_ID {
        return start_demo(common);
    }
    let known: Vec<&str> = providers.iter().map(|p| p.id.as_str()).collect();
    Err(ConfigError::Invalid {
        path,
        line: 1,
        message: format!(
            "no provider with id `{id}`; the file has: {} (and `demo`)",
            known.join(", ")
        ),
    }
    .into())
}

fn start_demo(common: &Options) -> Result<Selection, SelectError> {
    let addr = match common.demo_bind.as_deref() {
        None => demo::DEFAULT_BIND,
        Some(text) => demo::parse_bind(text).ok_or_else(|| SelectError::DemoBind(text.into()))?,
    };
    let server = DemoServer::spawn_background(addr, DemoConfig::default())
        .map_err(|source| SelectError::DemoStart { addr, source })?;
    eprintln!("Demo mode: approve at {}", server.verification_uri());
    Ok(Selection {
        providers: vec![server.provider()],
        demo: Some(server),
        settings: provider::Settings::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_flag_serves_only_the_demo_provider_even_with_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("providers.toml");
        std::fs::write(
            &file,
            "[[provider]]\nid = \"x\"\nclient_id = \"c\"\nissuer = \"https://example.com\"\n",
        )
        .unwrap();
        let common = Options {
            config: Some(file),
            demo: true,
            ..Options::default()
        };
        let selection = select_providers(&common).unwrap();
        assert_eq!(selection.providers.len(), 1);
        assert!(selection.providers[0].demo);
        let server = selection.demo.unwrap();
        assert!(server.addr().ip().is_loopback());
        server.shutdown();
    }

    #[test]
    fn provider_demo_starts_the_demo_when_the_file_lacks_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("providers.toml");
        std::fs::write(
            &file,
            "[[provider]]\nid = \"x\"\nclient_id = \"c\"\nissuer = \"https://example.com\"\n",
        )
        .unwrap();
        let file_only = Options {
            config: Some(file.clone()),
            ..Options::default()
        };
        let selection = select_providers(&file_only).unwrap();
        assert!(selection.demo.is_none());
        assert_eq!(selection.providers[0].id, "x");
        let demo = Options {
            config: Some(file),
            provider: Some("demo".into()),
            ..Options::default()
        };
        let selection = select_providers(&demo).unwrap();
        assert!(selection.providers[0].demo);
        selection.demo.unwrap().shutdown();
    }

    #[test]
    fn a_missing_explicit_config_is_an_error_not_the_demo() {
        let common = Options {
            config: Some("/nonexistent/providers.toml".into()),
            ..Options::default()
        };
        assert!(matches!(
            select_providers(&common),
            Err(SelectError::Config(ConfigError::Io { .. }))
        ));
    }

    #[test]
    fn demo_with_another_provider_or_a_bad_bind_is_refused() {
        let other = Options {
            demo: true,
            provider: Some("github".into()),
            ..Options::default()
        };
        assert!(matches!(
            select_providers(&other),
            Err(SelectError::NotDemo(_))
        ));
        let bad_bind = Options {
            demo: true,
            demo_bind: Some("over there".into()),
            ..Options::default()
        };
        assert!(matches!(
            select_providers(&bad_bind),
            Err(SelectError::DemoBind(_))
        ));
    }
}
