//! who-read and blast-radius: the secret asked about, in the stores
//! `--provider` allows, with the common part.

use super::{Config, ConfigError, Surroundings};
use crate::cli::{CommonArgs, QueryArgs};
use crate::event::Provider;
use crate::matcher::SecretQuery;

/// A who-read or blast-radius query, resolved.
pub(crate) struct QueryConfig {
    pub(crate) common: Config,
    pub(crate) secret: SecretQuery,
}

impl QueryConfig {
    /// The secret is checked before the inputs, so a bad name is reported
    /// first.
    pub(crate) fn resolve(
        query: &QueryArgs,
        common: &CommonArgs,
        around: &Surroundings,
    ) -> Result<QueryConfig, ConfigError> {
        let secret = secret_query(&query.secret, query.regex, &query.stores.provider)?;
        let common = Config::resolve(&query.logs, &query.window, common, around)?;
        Ok(QueryConfig { common, secret })
    }
}

/// The secret a query names, in the stores `--provider` allows.
pub(crate) fn secret_query(
    text: &str,
    regex: bool,
    providers: &[Provider],
) -> Result<SecretQuery, ConfigError> {
    let secret = if regex {
        SecretQuery::regex(text, providers)?
    } else {
        let name = text.trim();
        if name.trim_matches('/').is_empty() {
            return Err(ConfigError::EmptySecret);
        }
        SecretQuery::exact(name, providers)
    };
    if secret.providers().is_empty() {
        return Err(ConfigError::NoStore);
    }
    Ok(secret)
}
