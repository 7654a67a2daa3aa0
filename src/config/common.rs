//! What every command that reads logs shares, resolved from the common
//! flags: the inputs (folders expanded), the window, the output style and
//! the scan options.

use std::path::PathBuf;

use super::{ConfigError, Surroundings};
use crate::cli::{CommonArgs, Logs, WindowArgs};
use crate::diag::Diagnostics;
use crate::input::{InputFile, discover};
use crate::output::{Format, Style};
use crate::source::Source;
use crate::time::{Window, parse_bound};

/// Everything a run needs, validated: inputs, window, output and scan
/// options. What a command asks of them is its own part (`QueryConfig`,
/// `TimelineConfig`…).
pub(crate) struct Config {
    pub window: Window,
    /// The inputs, folders expanded.
    pub files: Vec<InputFile>,
    /// The paths given (files and folders), as given.
    pub roots: Vec<PathBuf>,
    /// Problems met while walking folders (unreadable subfolders…).
    pub discover_diags: Diagnostics,
    pub style: Style,
    /// No progress bar, no warnings.
    pub quiet: bool,
    /// Show a progress bar on standard error (a terminal, and not quiet).
    pub progress: bool,
    pub strict: bool,
    pub allow_mmap: bool,
    pub exhaustive: bool,
    pub threads: Option<usize>,
    /// `--source`: read every file as this source.
    pub forced_source: Option<Source>,
    /// `-v`: report what each file was detected as.
    pub verbose: bool,
    /// The index's folder; `None`: no index (`--no-index`, `--source`, or
    /// no home to put it in).
    pub cache: Option<PathBuf>,
    /// The inputs as the index stands for them, once looked up.
    pub index: std::sync::OnceLock<crate::index::Prepared>,
}

impl Config {
    pub(crate) fn resolve(
        logs: &Logs,
        window: &WindowArgs,
        common: &CommonArgs,
        around: &Surroundings,
    ) -> Result<Config, ConfigError> {
        let bound = |flag: &'static str, text: &Option<String>| {
            text.as_deref()
                .map(|t| parse_bound(t, around.now))
                .transpose()
                .map_err(|message| ConfigError::BadTime { flag, message })
        };
        let window = Window {
            since: bound("since", &window.since)?,
            until: bound("until", &window.until)?,
        };
        if let (Some(since), Some(until)) = (window.since, window.until)
            && since >= until
        {
            return Err(ConfigError::EmptyWindow { since, until });
        }
        // The arguments, else $WHOSAW_LOGS's list (clap reads it; empty, it
        // lists nothing).
        let paths: Vec<PathBuf> = logs
            .paths
            .iter()
            .flat_map(|p| p.0.iter().cloned())
            .collect();
        if paths.is_empty() {
            return Err(ConfigError::NoPaths);
        }
        let mut discover_diags = Diagnostics::default();
        let files = discover(&paths, &mut discover_diags)?;
        let format = if common.output.json {
            Format::Json
        } else {
            common.output.format
        };
        Ok(Config {
            window,
            files,
            roots: paths,
            discover_diags,
            style: Style {
                format,
                width: around.stdout_width,
                color: match common.output.color {
                    crate::cli::ColorChoice::Always => true,
                    crate::cli::ColorChoice::Never => false,
                    crate::cli::ColorChoice::Auto => around.colour_by_default,
                },
                wide: common.output.wide,
            },
            quiet: common.output.quiet,
            progress: around.stderr_is_terminal && !common.output.quiet,
            strict: common.scan.strict,
            allow_mmap: !common.reading.no_mmap,
            exhaustive: common.scan.exhaustive,
            forced_source: common.scan.source,
            verbose: common.scan.verbose && !common.output.quiet,
            threads: common.reading.threads,
            // An index holds what records say when read as their own
            // store's: `--source` reads them otherwise.
            cache: match common.no_index || common.scan.source.is_some() {
                true => None,
                false => super::cache_dir(common.cache.cache.as_deref(), around),
            },
            index: std::sync::OnceLock::new(),
        })
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::cli::LogPaths;
    use chrono::{DateTime, Utc};
    use clap::Parser;

    pub(in crate::config) fn around() -> Surroundings {
        Surroundings {
            now: DateTime::parse_from_rfc3339("2025-03-15T12:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            stdout_width: None,
            stderr_is_terminal: false,
            colour_by_default: false,
            cache_home: None,
        }
    }

    fn resolve(args: &[&str]) -> Result<Config, ConfigError> {
        let cli = crate::cli::Cli::try_parse_from(args).unwrap();
        match &cli.command {
            crate::cli::Command::WhoRead(a) => {
                Config::resolve(&a.query.logs, &a.query.window, &a.common, &around())
            }
            _ => unreachable!(),
        }
    }

    #[test]
    fn paths_come_from_arguments_or_whosaw_logs() {
        let cli = crate::cli::Cli::try_parse_from(["whosaw", "who-read", "x", "-"]).unwrap();
        let crate::cli::Command::WhoRead(a) = &cli.command else {
            unreachable!()
        };
        let with = |paths: Vec<LogPaths>| {
            Config::resolve(&Logs { paths }, &a.query.window, &a.common, &around())
        };
        // No argument, and $WHOSAW_LOGS unset or empty.
        assert!(matches!(with(vec![]), Err(ConfigError::NoPaths)));
        assert!(matches!(
            with(vec![LogPaths(vec![])]),
            Err(ConfigError::NoPaths)
        ));
        let dir = tempfile::tempdir().unwrap();
        let listed = LogPaths(vec![dir.path().to_owned(), dir.path().to_owned()]);
        assert!(with(vec![listed]).is_ok());
    }

    #[test]
    fn bad_times_and_empty_windows_are_refused() {
        let err = resolve(&["whosaw", "who-read", "x", "-", "--since", "soon"])
            .err()
            .unwrap();
        assert!(err.to_string().starts_with("--since:"), "{err}");
        let err = resolve(&[
            "whosaw",
            "who-read",
            "x",
            "-",
            "--since",
            "2025-03-15",
            "--until",
            "2025-03-14",
        ])
        .err()
        .unwrap();
        assert!(matches!(err, ConfigError::EmptyWindow { .. }));
    }

    #[test]
    fn json_flag_is_short_for_format_json() {
        let c = resolve(&["whosaw", "who-read", "x", "-", "--json"])
            .ok()
            .unwrap();
        assert_eq!(c.style.format, Format::Json);
    }
}
