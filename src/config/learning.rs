//! suspicious and baseline, the commands that judge or learn behaviour:
//! the configuration file, the stores, what to compare with (suspicious)
//! or where to write (baseline), and the common part.

use std::path::{Path, PathBuf};

use super::{Config, ConfigError, ConfigFile, Surroundings, config_file_named};
use crate::cli::{BaselineArgs, SuspiciousArgs};
use crate::event::{Provider, Timestamp};
use crate::query::baseline::Baseline;
use crate::time::parse_bound;

/// `whosaw suspicious`, resolved.
pub(crate) struct SuspiciousConfig {
    pub(crate) common: Config,
    pub(crate) file: ConfigFile,
    /// Empty: every store.
    pub(crate) providers: Vec<Provider>,
    pub(crate) compare_with: CompareWith,
}

/// What the rules compare each identity's reads with.
pub(crate) enum CompareWith {
    /// Nothing: only the rules that need no baseline judge.
    Nothing,
    /// `--baseline FILE`: a baseline learned before, and its path as given.
    File {
        baseline: Box<Baseline>,
        path: PathBuf,
    },
    /// `--learn-until T`: the baseline of the reads before `T`; only the
    /// rest are judged.
    LearnedBefore(Timestamp),
}

impl SuspiciousConfig {
    /// Checked in this order: the configuration file, the baseline file,
    /// the common part, then `--learn-until` (against the same clock).
    pub(crate) fn resolve(
        args: &SuspiciousArgs,
        around: &Surroundings,
    ) -> Result<SuspiciousConfig, ConfigError> {
        let file = ConfigFile::named_or_default(config_file_named(&args.config))?;
        let baseline = args
            .baseline
            .as_ref()
            .map(|path| Baseline::load(path).map(|baseline| (baseline, path.clone())))
            .transpose()?;
        let common = Config::resolve(&args.logs, &args.reads.window, &args.reads.common, around)?;
        let learn_until = args
            .learn_until
            .as_deref()
            .map(|t| parse_bound(t, around.now))
            .transpose()
            .map_err(|message| ConfigError::BadTime {
                flag: "learn-until",
                message,
            })?;
        // clap lets only one of --baseline and --learn-until through.
        let compare_with = match (baseline, learn_until) {
            (Some((baseline, path)), _) => CompareWith::File {
                baseline: Box::new(baseline),
                path,
            },
            (None, Some(t)) => CompareWith::LearnedBefore(t),
            (None, None) => CompareWith::Nothing,
        };
        Ok(SuspiciousConfig {
            common,
            file,
            providers: args.reads.stores.provider.clone(),
            compare_with,
        })
    }
}

/// `whosaw baseline` (learning one), resolved.
pub(crate) struct BaselineConfig {
    pub(crate) common: Config,
    /// Names the environments the baseline counts reads in.
    pub(crate) file: ConfigFile,
    /// Empty: every store.
    pub(crate) providers: Vec<Provider>,
    /// Where to write the baseline; `None`: standard output (no `-o`, or
    /// `-o -`).
    pub(crate) write_to: Option<PathBuf>,
}

impl BaselineConfig {
    /// Checked in this order: the configuration file, then the common part.
    pub(crate) fn resolve(
        args: &BaselineArgs,
        around: &Surroundings,
    ) -> Result<BaselineConfig, ConfigError> {
        let file = ConfigFile::named_or_default(config_file_named(&args.config))?;
        let common = Config::resolve(&args.logs, &args.reads.window, &args.reads.common, around)?;
        Ok(BaselineConfig {
            common,
            file,
            providers: args.reads.stores.provider.clone(),
            write_to: args
                .output
                .clone()
                .filter(|p| p.as_path() != Path::new("-")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    #[test]
    fn learn_until_is_read_against_the_run_clock() {
        let around = crate::config::common::tests::around();
        let cli =
            Cli::try_parse_from(["whosaw", "suspicious", "-", "--learn-until", "1d"]).unwrap();
        let Command::Suspicious(args) = &cli.command else {
            unreachable!()
        };
        let resolved = SuspiciousConfig::resolve(args, &around).ok().unwrap();
        let CompareWith::LearnedBefore(t) = resolved.compare_with else {
            panic!("not learned")
        };
        assert_eq!(Some(t), parse_bound("1d", around.now).ok());
        assert_eq!(t.rfc3339(), "2025-03-14T12:00:00Z");
    }
}
