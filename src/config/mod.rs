//! Turns the parsed command line into a validated configuration, once. This
//! is the only place that reads environment variables, the clock and the
//! terminal; nothing below it sees clap types. The configuration file is
//! `file.rs` ([`ConfigFile`]), with the rules' thresholds in `rules.rs`.

mod file;
mod rules;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::cli::{CommonArgs, WindowArgs};
use crate::diag::Diagnostics;
use crate::event::{Provider, Timestamp};
use crate::input::{DiscoverError, InputFile, discover};
use crate::matcher::SecretQuery;
use crate::output::{Format, Style};
use crate::source::Source;
use crate::time::{Window, parse_bound};

pub(crate) use file::{ConfigFile, EXAMPLE};

/// Everything a run needs, validated: inputs, window, output and scan
/// options. What a subcommand asks of them is its own (a `SecretQuery`…).
pub struct Config {
    pub window: Window,
    /// The inputs, folders expanded.
    pub files: Vec<InputFile>,
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
}

/// The environment a configuration is resolved against, gathered in one
/// place so tests can give their own.
pub struct Env {
    pub now: DateTime<Utc>,
    pub whosaw_logs: Option<OsString>,
    pub stdout_width: Option<u16>,
    pub stderr_is_terminal: bool,
}

impl Env {
    pub fn current() -> Env {
        Env {
            now: Utc::now(),
            whosaw_logs: std::env::var_os("WHOSAW_LOGS").filter(|v| !v.is_empty()),
            stdout_width: std::io::stdout()
                .is_terminal()
                .then(terminal_width)
                .flatten(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "no log files given: name files or folders, or set WHOSAW_LOGS \
         (e.g. WHOSAW_LOGS=/var/log/vault); '-' reads standard input"
    )]
    NoPaths,
    #[error("--{flag}: {message}")]
    BadTime { flag: &'static str, message: String },
    #[error("the window is empty: --since {since} is not before --until {until}")]
    EmptyWindow { since: Timestamp, until: Timestamp },
    // The regex error itself follows in the error chain.
    #[error("--regex")]
    BadRegex(#[from] regex::Error),
    #[error("the secret name is empty")]
    EmptySecret,
    #[error("the secret's store prefix is not among the stores --provider allows")]
    NoStore,
    #[error(transparent)]
    Input(#[from] DiscoverError),
}

/// The secret a query names, in the stores `--provider` allows.
pub fn secret_query(
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

impl Config {
    pub fn resolve(
        paths: &[PathBuf],
        window: &WindowArgs,
        common: &CommonArgs,
        env: &Env,
    ) -> Result<Config, ConfigError> {
        let bound = |flag: &'static str, text: &Option<String>| {
            text.as_deref()
                .map(|t| parse_bound(t, env.now))
                .transpose()
                .map_err(|message| ConfigError::BadTime { flag, message })
        };
        let window = Window {
            since: bound("since", &window.since)?,
            until: bound("until", &window.until)?,
        };
        if let (Some(since), Some(until)) = (window.since, window.until) {
            if since >= until {
                return Err(ConfigError::EmptyWindow { since, until });
            }
        }
        let paths: Vec<PathBuf> = if !paths.is_empty() {
            paths.to_vec()
        } else if let Some(list) = &env.whosaw_logs {
            std::env::split_paths(list).collect()
        } else {
            return Err(ConfigError::NoPaths);
        };
        let mut discover_diags = Diagnostics::default();
        let files = discover(&paths, &mut discover_diags)?;
        let format = if common.json {
            Format::Json
        } else {
            common.format
        };
        Ok(Config {
            window,
            files,
            discover_diags,
            style: Style {
                format,
                width: env.stdout_width,
            },
            quiet: common.quiet,
            progress: env.stderr_is_terminal && !common.quiet,
            strict: common.strict,
            allow_mmap: !common.no_mmap,
            exhaustive: common.exhaustive,
            forced_source: common.source,
            verbose: common.verbose && !common.quiet,
            threads: common.threads,
        })
    }
}

/// Columns of the terminal on standard output, if it has a size.
fn terminal_width() -> Option<u16> {
    // SAFETY: TIOCGWINSZ fills a winsize struct we own; a failure leaves it zeroed.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(size.ws_col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn env() -> Env {
        Env {
            now: DateTime::parse_from_rfc3339("2025-03-15T12:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            whosaw_logs: None,
            stdout_width: None,
            stderr_is_terminal: false,
        }
    }

    fn resolve(args: &[&str], env: &Env) -> Result<Config, ConfigError> {
        let cli = crate::cli::Cli::try_parse_from(args).unwrap();
        match &cli.command {
            crate::cli::Command::WhoRead(a) => {
                Config::resolve(&a.query.logs.paths, &a.query.window, &a.common, env)
            }
            _ => unreachable!(),
        }
    }

    #[test]
    fn paths_come_from_arguments_or_whosaw_logs() {
        let err = resolve(&["whosaw", "who-read", "secret/x"], &env())
            .err()
            .unwrap();
        assert!(matches!(err, ConfigError::NoPaths));
        let dir = tempfile::tempdir().unwrap();
        let mut e = env();
        e.whosaw_logs = Some(dir.path().as_os_str().to_owned());
        assert!(resolve(&["whosaw", "who-read", "secret/x"], &e).is_ok());
    }

    #[test]
    fn bad_times_and_empty_windows_are_refused() {
        let err = resolve(&["whosaw", "who-read", "x", "-", "--since", "soon"], &env())
            .err()
            .unwrap();
        assert!(err.to_string().starts_with("--since:"), "{err}");
        let err = resolve(
            &[
                "whosaw",
                "who-read",
                "x",
                "-",
                "--since",
                "2025-03-15",
                "--until",
                "2025-03-14",
            ],
            &env(),
        )
        .err()
        .unwrap();
        assert!(matches!(err, ConfigError::EmptyWindow { .. }));
    }

    #[test]
    fn json_flag_is_short_for_format_json() {
        let c = resolve(&["whosaw", "who-read", "x", "-", "--json"], &env())
            .ok()
            .unwrap();
        assert_eq!(c.style.format, Format::Json);
    }
}
