//! timeline: which events to show (secret, stores, identity, actions,
//! outcomes, source addresses), the configuration file that names
//! environments, and the common part.

use super::{Config, ConfigError, ConfigFile, Surroundings, config_file_named, secret_query};
use crate::cli::{CommonArgs, EventArgs, Logs, TimelineArgs};
use crate::event::{Action, Outcome, Provider};
use crate::matcher::SecretQuery;
use crate::net::Cidr;
use crate::query::timeline::AfterPairing;
use crate::scan::EventFilter;
use crate::time::Window;

/// A timeline, resolved.
pub(crate) struct TimelineConfig {
    pub(crate) common: Config,
    /// Names the environment of each event.
    pub(crate) file: ConfigFile,
    pub(crate) filters: TimelineFilters,
}

/// The events a timeline keeps. Empty lists keep everything; the texts as
/// given are echoed in the report.
pub(crate) struct TimelineFilters {
    /// `--secret`, as given.
    pub(crate) secret_text: Option<String>,
    pub(crate) secret: Option<SecretQuery>,
    pub(crate) regex: bool,
    /// Identities' ids or labels, exactly (empty: every identity).
    pub(crate) identities: Vec<String>,
    /// `--source-ip`, as given.
    pub(crate) source_ip_text: Option<String>,
    pub(crate) source_ip: Option<Cidr>,
    pub(crate) providers: Vec<Provider>,
    pub(crate) actions: Vec<Action>,
    pub(crate) outcomes: Vec<Outcome>,
}

impl TimelineFilters {
    /// The filters that judge each record as it is read.
    pub(crate) fn per_record(&self) -> EventFilter<'_> {
        EventFilter {
            secret: self.secret.as_ref(),
            providers: self.providers.clone(),
            identities: self.identities.iter().map(String::as_str).collect(),
            actions: self.actions.clone(),
        }
    }

    /// The filters that judge a request once its records are paired.
    pub(crate) fn per_request(&self, window: Window) -> AfterPairing {
        AfterPairing {
            window,
            outcomes: self.outcomes.clone(),
            source: self.source_ip,
        }
    }
}

impl TimelineConfig {
    /// Checked in this order: the secret, the source address, the
    /// configuration file, then the common part.
    pub(crate) fn resolve(
        args: &TimelineArgs,
        around: &Surroundings,
    ) -> Result<TimelineConfig, ConfigError> {
        TimelineConfig::of(&args.logs, &args.events, &args.common, around)
    }

    /// The events `args` select in `logs`, read as `common` says (what
    /// `timeline` and `export` share).
    pub(crate) fn of(
        logs: &Logs,
        args: &EventArgs,
        common: &CommonArgs,
        around: &Surroundings,
    ) -> Result<TimelineConfig, ConfigError> {
        let secret = args
            .secret
            .as_deref()
            .map(|s| secret_query(s, args.regex, &args.stores.provider))
            .transpose()?;
        let source_ip = args
            .source_ip
            .as_deref()
            .map(|text| {
                text.parse().map_err(|source| ConfigError::BadSourceIp {
                    text: text.to_string(),
                    source,
                })
            })
            .transpose()?;
        let file = ConfigFile::named_or_default(config_file_named(&args.config))?;
        let common = Config::resolve(logs, &args.window, common, around)?;
        Ok(TimelineConfig {
            common,
            file,
            filters: TimelineFilters {
                secret_text: args.secret.clone(),
                secret,
                regex: args.regex,
                identities: args.identity.clone(),
                source_ip_text: args.source_ip.clone(),
                source_ip,
                providers: args.stores.provider.clone(),
                actions: args.action.clone(),
                outcomes: args.outcome.clone(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    #[test]
    fn filters_are_the_domain_values() {
        let cli = Cli::try_parse_from([
            "whosaw",
            "timeline",
            "-",
            "--outcome",
            "not_found,success",
            "--action",
            "metadata",
            "--provider",
            "ssm,k8s",
            "--source-ip",
            "10.0.0.0/8",
        ])
        .unwrap();
        let Command::Timeline(args) = &cli.command else {
            unreachable!()
        };
        let around = crate::config::common::tests::around();
        let f = TimelineConfig::resolve(args, &around).ok().unwrap().filters;
        assert_eq!(f.outcomes, [Outcome::NotFound, Outcome::Success]);
        assert_eq!(f.actions, [Action::Metadata]);
        assert_eq!(f.providers, [Provider::Ssm, Provider::K8s]);
        assert_eq!(f.source_ip, "10.0.0.0/8".parse().ok());
        assert_eq!(f.source_ip_text.as_deref(), Some("10.0.0.0/8"));
        let cli = Cli::try_parse_from(["whosaw", "timeline", "-", "--source-ip", "10/8"]).unwrap();
        let Command::Timeline(args) = &cli.command else {
            unreachable!()
        };
        let err = TimelineConfig::resolve(args, &around).err().unwrap();
        assert!(matches!(err, ConfigError::BadSourceIp { .. }), "{err}");
    }
}
