//! Which providers a run offers: the providers file, or the demo.

use std::path::PathBuf;

use crate::cli::Common;
use crate::provider::{self, ConfigError, Provider};

/// The providers of one run.
#[derive(Debug)]
pub struct Selection {
    pub providers: Vec<Provider>,
}

/// The providers for this run, filtered by `--provider` when given.
pub fn select_providers(common: &Common) -> Result<Selection, ConfigError> {
    filter(common).map(|providers| Selection { providers })
}

fn filter(common: &Common) -> Result<Vec<Provider>, ConfigError> {
    let path = match &common.config {
        Some(path) => path.clone(),
        None => provider::default_path().unwrap_or_else(|| PathBuf::from("providers.toml")),
    };
    let providers = provider::load(&path)?;
    match &common.provider {
        None => Ok(providers),
        Some(id) => {
            let known: Vec<&str> = providers.iter().map(|p| p.id.as_str()).collect();
            match providers.iter().find(|p| &p.id == id) {
                Some(p) => Ok(vec![p.clone()]),
                None => Err(ConfigError::Invalid {
                    path,
                    line: 1,
                    message: format!(
                        "no provider with id `{id}`; the file has: {}",
                        known.join(", ")
                    ),
                }),
            }
        }
    }
}
