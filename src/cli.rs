//! The command line, as clap sees it. Nothing here interprets values beyond
//! their type: `config/` turns a parsed [`Cli`] into a validated config per
//! command. Value enums are the domain's own (`Provider`, `Source`,
//! `Outcome`, `Action`, `output::Format`). Environment variables are read
//! here, by clap: `WHOSAW_LOGS` for the paths and `WHOSAW_CONFIG` for the
//! configuration file, an empty one counting as unset.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap::builder::{PathBufValueParser, TypedValueParser};
use clap::parser::ValueSource;
use clap::{Args, Parser, Subcommand};

use crate::event::{Action, Outcome, Provider};
use crate::output::Format;
use crate::source::Source;

#[derive(Debug, Parser)]
#[command(
    name = "whosaw",
    version,
    about = "Who saw that secret? Answers from secret-store audit logs.",
    long_about = "Who saw that secret, and what must be rotated? whosaw reads exported \
                  secret-store audit logs (HashiCorp Vault, AWS CloudTrail for Secrets Manager \
                  and SSM Parameter Store, Azure Key Vault, Google Cloud Secret Manager, \
                  Kubernetes; JSON Lines, JSON documents, gzip; detected by content) and \
                  answers in seconds.\n\n\
                  Exit status: 0 answered from all input; 1 answered, nothing found; \
                  2 fatal error; 3 answered, but some input was skipped (partial coverage).",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every identity that read a secret's value (or tried to), with counts,
    /// first/last time, source addresses and denied attempts.
    WhoRead(WhoReadArgs),
    /// The minimal rotation list: the secret, and the credentials of every
    /// identity that retrieved it, each with its evidence.
    BlastRadius(BlastRadiusArgs),
    /// An incident report as one self-contained HTML file for the ticket:
    /// the question, who read the secret, what to rotate and how, denied
    /// and unknown attempts, an hourly timeline, suspicious findings for
    /// those identities, the trail's coverage, what the logs leak, the
    /// inputs with their SHA-256, and the command that reproduces it.
    Report(ReportArgs),
    /// Every event of the secret stores (reads, lists, writes, deletes…) in
    /// time order, filtered; NDJSON for jq and SIEMs.
    Timeline(TimelineArgs),
    /// Findings worth a look: bursts of reads, repeated denials, new source
    /// networks, environment drift and mismatch, off-hours reads, first
    /// reads of a secret; ranked by severity, each with its evidence.
    /// Exit status 0 when something was found, 1 when nothing was.
    Suspicious(SuspiciousArgs),
    /// Learn what normal access looks like (per identity: secrets,
    /// environments, networks, hours, rates) and write it as JSON for
    /// `suspicious --baseline`; `baseline show FILE` prints one.
    #[command(args_conflicts_with_subcommands = true)]
    Baseline(BaselineArgs),
    /// Build or refresh the index of the logs, so later questions about
    /// them are answered without reading them again (`--cache`).
    Index(IndexArgs),
    /// Can the trail be trusted? Per store, the span covered and records
    /// per hour; changes to the trail itself (audit devices, trails, sinks,
    /// root tokens, rekeys); when it was certainly off; and possible gaps.
    /// Exit status 3 when the trail was off during the window.
    Coverage(CoverageArgs),
    /// What the logs themselves leak: every secret or credential whose
    /// value a record holds in clear, by name and kind, never by value.
    Exposures(ExposuresArgs),
    /// Who received one exact value (a leaked password, a database user
    /// name): every response that returned it and every request that sent
    /// it, found by the HMAC the audit device writes for it.
    TraceValue(TraceValueArgs),
    /// Write every event, record by record, for another engine (Spark,
    /// DuckDB, a security lake) or for whosaw to read back: the answers
    /// over an export equal the answers over the logs it came from.
    Export(ExportArgs),
    /// The configuration file (environments, trusted networks, role
    /// policies, rule thresholds).
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Print a shell completion script to standard output.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff) to standard output: `whosaw man | man
    /// -l -`; `whosaw man who-read` is the page of one subcommand
    /// (`whosaw-who-read.1`). The pages are in the repository's `man/`.
    Man {
        /// The subcommand whose page to print (default: whosaw's own).
        subcommand: Option<String>,
        /// List the pages' file names instead (`whosaw.1`,
        /// `whosaw-who-read.1`…), one per line.
        #[arg(long, conflicts_with = "subcommand")]
        list: bool,
    },
}

impl Cli {
    /// The command line, with what clap's derive cannot tell: whether
    /// `baseline` was given a format (its default output is the baseline's
    /// JSON, whatever the other commands' default).
    pub fn from_command_line() -> Cli {
        Cli::try_parse_args(std::env::args_os()).unwrap_or_else(|e| e.exit())
    }

    /// `args` parsed as [`Cli::from_command_line`] parses the command line.
    pub(crate) fn try_parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::{CommandFactory, FromArgMatches, parser::ValueSource};
        let matches = Cli::command().try_get_matches_from(args)?;
        let mut cli = Cli::from_arg_matches(&matches)?;
        if let Command::Baseline(args) = &mut cli.command
            && let Some(m) = matches.subcommand_matches("baseline")
        {
            let given = |id: &str| m.value_source(id) == Some(ValueSource::CommandLine);
            args.format_given = given("format") || given("json");
        }
        Ok(cli)
    }
}

#[derive(Debug, Args)]
pub struct WhoReadArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    /// Attach the evidence of every access: file, line, time, request id, outcome.
    #[arg(long)]
    pub evidence: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct BlastRadiusArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    /// 1: the secret and the credentials of its readers. 2: also every other
    /// secret those readers read successfully in the window.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub depth: u8,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub query: QueryArgs,
    /// 1: the secret and the credentials of its readers. 2: also every other
    /// secret those readers read successfully in the window.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub depth: u8,
    /// The HTML file to write (`-` for standard output). Never inside the
    /// logs given.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub logs: Logs,
    #[command(flatten)]
    pub events: EventArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Which events `timeline` shows and `export` writes.
#[derive(Debug, Args)]
pub struct EventArgs {
    /// Only events on this secret (named as for who-read; a wide read that
    /// covers it counts).
    #[arg(long, value_name = "SECRET")]
    pub secret: Option<String>,
    /// --secret is a regular expression matched against secret names.
    #[arg(long, requires = "secret")]
    pub regex: bool,
    /// Only events by this identity (its id or its label, exactly); repeat
    /// for several.
    #[arg(long, value_name = "ID")]
    pub identity: Vec<String>,
    /// Only events from these source addresses (CIDR, or one address).
    #[arg(long, value_name = "CIDR")]
    pub source_ip: Option<String>,
    /// Only events that ended this way (repeat or separate with commas).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "OUTCOME")]
    pub outcome: Vec<Outcome>,
    /// Only events of these actions (repeat or separate with commas).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "ACTION")]
    pub action: Vec<Action>,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub stores: Stores,
    /// Configuration file (environment patterns). Default: $WHOSAW_CONFIG.
    #[arg(long, value_name = "FILE", env = "WHOSAW_CONFIG", value_parser = CONFIG_PATH)]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub logs: Logs,
    #[command(flatten)]
    pub window: WindowArgs,
    /// A silence is a possible gap when it lasts this many times the
    /// store's median spacing between records (and at least --min-gap).
    #[arg(long, value_name = "N", default_value_t = 20.0, value_parser = positive_factor)]
    pub gap_factor: f64,
    /// The shortest silence reported as a possible gap (`90m`, `1h`, `2d`).
    #[arg(long, value_name = "SPAN", default_value = "1h", value_parser = span_seconds)]
    pub min_gap: u64,
    /// The public keys CloudTrail signs its digests with, as `aws
    /// cloudtrail list-public-keys` prints them: digest signatures are then
    /// checked.
    #[arg(long, value_name = "FILE")]
    pub cloudtrail_public_keys: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

fn positive_factor(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 => Ok(f),
        _ => Err(format!("{text:?} is not a positive number")),
    }
}

fn span_seconds(text: &str) -> Result<u64, String> {
    crate::time::parse_span(text.trim())
        .map(|span| span.num_seconds())
        .and_then(|s| u64::try_from(s).ok())
        .ok_or_else(|| format!("{text:?} is not a span: use 90s, 90m, 6h, 7d or 2w"))
}

#[derive(Debug, Args)]
pub struct ExposuresArgs {
    #[command(flatten)]
    pub logs: Logs,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
#[group(id = "value", required = true, multiple = false, args = ["hmac", "sha256", "value_stdin"])]
pub struct TraceValueArgs {
    /// The value's HMAC as Vault's audit device writes it (`hmac-sha256:…`):
    /// `vault write sys/audit-hash/<device> input=<value>` returns it.
    #[arg(long, value_name = "HMAC")]
    pub hmac: Option<String>,
    /// The SHA-256 of the value (hex), for logs that hold values in clear
    /// (a `log_raw` Vault device, Kubernetes bodies).
    #[arg(long, value_name = "HEX")]
    pub sha256: Option<String>,
    /// Read the value from standard input (not echoed on a terminal),
    /// hash it and forget it; never give a value on the command line.
    #[arg(long)]
    pub value_stdin: bool,
    #[command(flatten)]
    pub logs: Logs,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Attach the evidence of every response that returned it.
    #[arg(long)]
    pub evidence: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub logs: Logs,
    #[command(flatten)]
    pub events: EventArgs,
    /// Where to write: a file, `-` for standard output, or a folder (one
    /// that exists, or a path ending in `/`), which gets one file per store
    /// and day in Hive-style folders (`provider=vault/date=2025-03-01/`).
    /// Never inside the logs' own folders.
    #[arg(short, long, value_name = "FILE|DIR")]
    pub output: PathBuf,
    /// How the rows are written.
    #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
    pub format: ExportFormat,
    /// What the rows are: whosaw's own (one per record; whosaw reads it
    /// back), or one per request as OCSF API Activity or ECS.
    #[arg(long, value_enum, default_value_t = ExportSchema::Whosaw)]
    pub schema: ExportSchema,
    /// Replace files already at --output.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub scan: ScanArgs,
    /// No progress bar, no warnings (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub reading: ReadingArgs,
}

/// What `export`'s rows are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportSchema {
    /// `whosaw.event.v1`, one row per record: lossless, read back by whosaw.
    Whosaw,
    /// OCSF 1.1.0 API Activity (class 6003), one per request, for security lakes.
    Ocsf,
    /// Elastic Common Schema 8.17, one per request, for Elasticsearch and OpenSearch.
    Ecs,
}

/// How `export` writes its rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line (schema `whosaw.event.v1`).
    Ndjson,
    /// Parquet: the same fields as typed columns (Snappy).
    Parquet,
}

#[derive(Debug, Args)]
pub struct SuspiciousArgs {
    #[command(flatten)]
    pub logs: Logs,
    /// Configuration file. Default: $WHOSAW_CONFIG, else built-in defaults.
    #[arg(long, value_name = "FILE", env = "WHOSAW_CONFIG", value_parser = CONFIG_PATH)]
    pub config: Option<PathBuf>,
    /// Compare against this baseline (written by `whosaw baseline`).
    #[arg(long, value_name = "FILE", conflicts_with = "learn_until")]
    pub baseline: Option<PathBuf>,
    /// Learn the baseline from the events before T and judge the rest.
    #[arg(long, value_name = "T")]
    pub learn_until: Option<String>,
    #[command(flatten)]
    pub reads: EveryRead,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(subcommand)]
    pub show: Option<BaselineCommand>,
    #[command(flatten)]
    pub logs: Logs,
    /// Write the baseline here (`-`: standard output, the default).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// `--format` (or `--json`) was given: the baseline learned is printed
    /// in it; otherwise it is printed as the JSON a file of it holds.
    #[arg(skip)]
    pub format_given: bool,
    /// Configuration file (environment patterns). Default: $WHOSAW_CONFIG.
    #[arg(long, value_name = "FILE", env = "WHOSAW_CONFIG", value_parser = CONFIG_PATH)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub reads: EveryRead,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub logs: Logs,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Check each input's index against the input itself (every block's
    /// checksum, and the index built again in memory compared byte for
    /// byte) instead of building it.
    #[arg(long, conflicts_with = "prune")]
    pub verify: bool,
    /// Remove the indexes of inputs that no longer exist (all of the
    /// cache's when no path is given).
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub reading: ReadingArgs,
}

/// Where the index lives.
#[derive(Clone, Debug, Args)]
pub struct CacheArgs {
    /// The index's folder. Default: $WHOSAW_CACHE, else
    /// $XDG_CACHE_HOME/whosaw, else ~/.cache/whosaw. Never beside the logs.
    #[arg(long, value_name = "DIR", env = "WHOSAW_CACHE", value_parser = CONFIG_PATH)]
    pub cache: Option<PathBuf>,
}

/// What `suspicious` and `baseline` read: every read in a window, of some
/// stores.
#[derive(Debug, Args)]
pub struct EveryRead {
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub stores: Stores,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Print a baseline file as tables: per identity its hours, secrets,
    /// environments and networks.
    Show {
        /// The baseline file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The tables in full, as wide as they need (200 columns when
        /// piped); by default they fit the terminal (100 columns when piped).
        #[arg(long)]
        wide: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a commented example configuration (the built-in defaults).
    Example,
    /// Check a configuration file and say what it sets.
    Check {
        /// The file. Default: $WHOSAW_CONFIG.
        #[arg(env = "WHOSAW_CONFIG", value_parser = CONFIG_PATH)]
        file: Option<PathBuf>,
    },
}

/// --since and --until.
#[derive(Debug, Args)]
pub struct WindowArgs {
    /// Start of the window, inclusive: RFC 3339, a date (midnight UTC) or a
    /// span back from now (90m, 6h, 7d).
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// End of the window, exclusive; same forms as --since.
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The secret, in any store: a Vault path (secret/data/prod/db) or KV v2
    /// name (secret/prod/db), an AWS secret name or ARN, an SSM parameter
    /// (/prod/db/password), an Azure `vault/name`, a Google Cloud
    /// `projects/P/secrets/S`, a Kubernetes `namespace/name`. A prefix
    /// (vault:, aws:, ssm:, azure:, gcp:, k8s:) limits it to one store; with
    /// --regex, a regular expression over secret names.
    pub secret: String,
    #[command(flatten)]
    pub logs: Logs,
    #[command(flatten)]
    pub window: WindowArgs,
    /// SECRET is a regular expression matched against secret names.
    #[arg(long)]
    pub regex: bool,
    #[command(flatten)]
    pub stores: Stores,
}

/// The logs to read.
#[derive(Debug, Args)]
pub struct Logs {
    /// Log files or folders (walked recursively); `-` reads standard input.
    /// Default: $WHOSAW_LOGS.
    #[arg(env = "WHOSAW_LOGS", value_parser = LOG_PATHS, value_hint = clap::ValueHint::AnyPath)]
    pub paths: Vec<LogPaths>,
}

/// The paths one value names: one path on the command line, every path of
/// `$WHOSAW_LOGS` (a list, separated as `$PATH` is; empty, it names none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogPaths(pub Vec<PathBuf>);

/// Reads a path argument as clap reads any path (an empty one is an
/// error), and a value from the environment with `from_env`, which an empty
/// variable also reaches (clap would reject it; whosaw takes it for unset).
#[derive(Clone)]
struct PathParser<T> {
    from_path: fn(PathBuf) -> T,
    from_env: fn(&OsStr) -> T,
}

/// `$WHOSAW_LOGS` is a list; an empty one names nothing.
const LOG_PATHS: PathParser<LogPaths> = PathParser {
    from_path: |path| LogPaths(vec![path]),
    from_env: |value| match value.is_empty() {
        true => LogPaths(Vec::new()),
        false => LogPaths(std::env::split_paths(value).collect()),
    },
};

/// `$WHOSAW_CONFIG` is one path; an empty one is the empty path, which
/// `config/` takes for none given.
const CONFIG_PATH: PathParser<PathBuf> = PathParser {
    from_path: |path| path,
    from_env: |value| PathBuf::from(value),
};

impl<T: Clone + Send + Sync + 'static> TypedValueParser for PathParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        self.parse_ref_(cmd, arg, value, ValueSource::CommandLine)
    }

    fn parse_ref_(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
        source: ValueSource,
    ) -> Result<T, clap::Error> {
        match source {
            ValueSource::EnvVariable => Ok((self.from_env)(value)),
            _ => Ok((self.from_path)(
                PathBufValueParser::new().parse_ref(cmd, arg, value)?,
            )),
        }
    }
}

/// `--provider`.
#[derive(Debug, Args)]
pub struct Stores {
    /// Only these secret stores (repeat or separate with commas).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STORE")]
    pub provider: Vec<Provider>,
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub scan: ScanArgs,
    #[command(flatten)]
    pub reading: ReadingArgs,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Read the logs even where an index could answer, and touch no index.
    #[arg(long)]
    pub no_index: bool,
}

/// How an answer is printed, and what is said besides.
#[derive(Clone, Debug, Args)]
pub struct OutputArgs {
    /// Output format. A terminal changes only colour, width and escaping, never the format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Short for --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// No progress bar, no warnings (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
    /// Colour outcomes in tables (reads green, denials red, unknown
    /// yellow): `auto` when standard output is a terminal and NO_COLOR is
    /// not set. JSON is never coloured.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Tables in full: every column, whole ids and every address, as wide
    /// as they need (200 columns when piped). By default a table fits the
    /// terminal (100 columns when piped), a few lines per row.
    #[arg(long)]
    pub wide: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What a scan reads as, and what it tells of the input.
#[derive(Clone, Debug, Args)]
pub struct ScanArgs {
    /// Any malformed line or skipped file is a fatal error (exit 2).
    #[arg(long)]
    pub strict: bool,
    /// Parse every line instead of skipping lines that cannot mention the
    /// secret: slower, but every malformed line anywhere is found and counted.
    #[arg(long)]
    pub exhaustive: bool,
    /// Read every file as this kind of log instead of detecting it from its content.
    #[arg(long, value_enum, value_name = "KIND")]
    pub source: Option<Source>,
    /// Say what each file was detected as (on standard error).
    #[arg(short, long)]
    pub verbose: bool,
}

/// How the logs are read.
#[derive(Clone, Debug, Args)]
pub struct ReadingArgs {
    /// Read files instead of memory-mapping them. Use it when a log may be
    /// truncated by another process while whosaw runs: a mapped file that
    /// shrinks under it would crash the read.
    #[arg(long)]
    pub no_mmap: bool,
    /// Worker threads (default: one per core; 1 to 1024).
    #[arg(short = 'j', long, value_name = "N", value_parser = worker_threads)]
    pub threads: Option<usize>,
}

/// More threads than this only cost memory (each holds a block of input):
/// a typo such as `-j 100000` is refused rather than tried.
const MAX_THREADS: usize = 1024;

fn worker_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n @ 1..=MAX_THREADS) => Ok(n),
        Ok(_) | Err(_) => Err(format!(
            "{text:?} is not a number of worker threads: give 1 to {MAX_THREADS} \
             (the default is one per core)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(source: ValueSource, value: &str) -> Result<LogPaths, clap::Error> {
        LOG_PATHS.parse_ref_(&Cli::command(), None, OsStr::new(value), source)
    }

    #[test]
    fn whosaw_logs_is_a_list_and_a_path_argument_one_path() {
        let paths = |list: &[&str]| LogPaths(list.iter().map(PathBuf::from).collect());
        assert_eq!(
            parse(ValueSource::EnvVariable, "/a:/b c").unwrap(),
            paths(&["/a", "/b c"])
        );
        // Set but empty: no paths, as if unset.
        assert_eq!(parse(ValueSource::EnvVariable, "").unwrap(), paths(&[]));
        assert_eq!(
            parse(ValueSource::CommandLine, "/a:/b").unwrap(),
            paths(&["/a:/b"])
        );
        assert!(parse(ValueSource::CommandLine, "").is_err());
    }

    #[test]
    fn an_empty_whosaw_config_is_an_empty_path() {
        let cmd = Cli::command();
        let parse =
            |source, value: &str| CONFIG_PATH.parse_ref_(&cmd, None, OsStr::new(value), source);
        assert_eq!(parse(ValueSource::EnvVariable, "").unwrap(), PathBuf::new());
        assert_eq!(
            parse(ValueSource::EnvVariable, "w.toml").unwrap(),
            PathBuf::from("w.toml")
        );
        assert!(parse(ValueSource::CommandLine, "").is_err());
    }
}
