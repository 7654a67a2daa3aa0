//! Turns the parsed command line into one validated configuration per
//! command, once; nothing below it sees the `cli` types.
//!
//! - `common.rs`: [`Config`], what every command that reads logs shares
//!   (inputs, window, output style, scan options).
//! - `query.rs`: who-read and blast-radius: the secret asked about.
//! - `timeline.rs`: timeline: its filters and the configuration file.
//! - `learning.rs`: suspicious and baseline: the configuration file, the
//!   stores, and what to compare with or where to write.
//! - `file.rs`: the configuration file ([`ConfigFile`]), with the rules'
//!   thresholds in `rules.rs`.
//!
//! Environment variables (`WHOSAW_LOGS`, `WHOSAW_CONFIG`) are read by clap,
//! as `cli.rs` declares; the clock and the terminal only by
//! [`Surroundings::current`], once per run.

mod common;
mod file;
mod learning;
mod query;
mod rules;
mod timeline;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

pub(crate) use common::Config;
pub(crate) use file::{ConfigFile, EXAMPLE};
pub(crate) use learning::{BaselineConfig, CompareWith, SuspiciousConfig};
pub(crate) use query::{QueryConfig, secret_query};
pub(crate) use timeline::TimelineConfig;

use crate::event::Timestamp;
use crate::input::DiscoverError;
use crate::query::baseline::BaselineError;
use file::ConfigFileError;

/// What a run finds around it, read once and passed down: the clock (for
/// spans back from now such as `--since 7d`) and the terminal. Tests give
/// their own.
pub(crate) struct Surroundings {
    pub(crate) now: DateTime<Utc>,
    pub(crate) stdout_width: Option<u16>,
    pub(crate) stderr_is_terminal: bool,
    /// Tables may be coloured: standard output is a terminal and NO_COLOR
    /// is not set (see https://no-color.org).
    pub(crate) colour_by_default: bool,
    /// Where the index goes unless `--cache` says: `$XDG_CACHE_HOME/whosaw`,
    /// else `~/.cache/whosaw`.
    pub(crate) cache_home: Option<PathBuf>,
}

impl Surroundings {
    pub(crate) fn current() -> Surroundings {
        Surroundings {
            now: Utc::now(),
            stdout_width: std::io::stdout()
                .is_terminal()
                .then(terminal_width)
                .flatten(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            colour_by_default: std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            cache_home: default_cache(),
        }
    }
}

/// `$XDG_CACHE_HOME/whosaw`, else `~/.cache/whosaw` (an empty or relative
/// `XDG_CACHE_HOME` is ignored, as the XDG specification says).
fn default_cache() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let home = || {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .map(|h| h.join(".cache"))
    };
    xdg.or_else(home).map(|dir| dir.join("whosaw"))
}

/// The index's folder: `--cache` (or `$WHOSAW_CACHE`), else the default.
pub(crate) fn cache_dir(given: Option<&Path>, around: &Surroundings) -> Option<PathBuf> {
    match given.filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => Some(dir.to_path_buf()),
        None => around.cache_home.clone(),
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfigError {
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
    // The address error itself follows in the error chain.
    #[error("--source-ip {text:?}")]
    BadSourceIp {
        text: String,
        #[source]
        source: crate::net::CidrError,
    },
    #[error("no configuration file named, and WHOSAW_CONFIG is not set")]
    NoConfigFile,
    #[error(transparent)]
    ConfigFile(#[from] ConfigFileError),
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    #[error(transparent)]
    Input(#[from] DiscoverError),
}

/// The configuration file `--config` (or `$WHOSAW_CONFIG`) names, if any:
/// clap reads the variable, and an empty one counts as unset.
pub(crate) fn config_file_named(path: &Option<PathBuf>) -> Option<&Path> {
    path.as_deref().filter(|p| !p.as_os_str().is_empty())
}

/// `whosaw config check [FILE]`: the file named, else `$WHOSAW_CONFIG`.
pub(crate) fn config_file_to_check(file: &Option<PathBuf>) -> Result<&Path, ConfigError> {
    config_file_named(file).ok_or(ConfigError::NoConfigFile)
}

/// Columns of the terminal on standard output, if it has a size.
fn terminal_width() -> Option<u16> {
    // SAFETY: TIOCGWINSZ fills a winsize struct we own; a failure leaves it zeroed.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(size.ws_col)
}
