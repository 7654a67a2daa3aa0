//! Runs one subcommand: resolve the configuration, scan the input, build the
//! report, print it, and say what the run amounts to (the exit status).

use std::io::{self, BufWriter, Write};

use anyhow::Context;
use clap::CommandFactory;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{BlastRadiusArgs, Cli, Command, CommonArgs, QueryArgs, WhoReadArgs};
use crate::config::{Config, QueryConfig, Surroundings};
use crate::diag::Diagnostics;
use crate::event::Event;
use crate::event::{Provider, ReadKind, Scope};
use crate::exit::Exit;
use crate::index;
use crate::matcher::{Match, SecretQuery, SecretRef};
use crate::output;
use crate::pipeline::{self, ScanOptions, ScanResult};
use crate::query::access::pair;
use crate::query::coverage::{WindowCoverage, of_window};
use crate::query::exposures::{ExposureOut, of_secrets};
use crate::query::readers::{Reader, by_identity};
use crate::query::report::{QueryEcho, Stats};
use crate::query::{blast_radius, existence, who_read};
use crate::scan::{self, IdentityIds, Plan};

/// Inputs smaller than this finish before a progress bar is worth drawing.
const PROGRESS_MIN_BYTES: u64 = 16 << 20;

mod baseline;
mod coverage;
mod export;
mod exposures;
mod index_command;
mod report;
mod suspicious;
mod timeline;
mod trace;

pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::WhoRead(args) => who_read_command(&args),
        Command::BlastRadius(args) => blast_radius_command(&args),
        Command::Report(args) => report::command(&args),
        Command::Timeline(args) => timeline::command(&args),
        Command::Suspicious(args) => suspicious::command(&args),
        Command::Baseline(args) => baseline::command(&args),
        Command::Index(args) => index_command::command(&args),
        Command::Export(args) => export::command(&args),
        Command::TraceValue(args) => trace::command(&args),
        Command::Coverage(args) => coverage::command(&args),
        Command::Exposures(args) => exposures::command(&args),
        Command::Config { command } => baseline::config_command(&command),
        Command::Man { subcommand, list } => {
            let page = match list {
                true => crate::man::list().into_bytes(),
                false => crate::man::page(subcommand.as_deref())?,
            };
            let mut out = io::stdout().lock();
            match out.write_all(&page) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                    Err(e).context("cannot write the manual page")?
                }
                _ => {}
            }
            Ok(Exit::Found)
        }
        Command::Completions { shell } => {
            let mut out = io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "whosaw", &mut out);
            Ok(Exit::Found)
        }
    }
}

/// The first pass, shared by both questions: every access to the secret.
struct FirstPass {
    config: Config,
    secret: SecretQuery,
    scan: ScanResult,
    /// Reads of the secret's value (or attempts), excluded ones marked.
    accesses: Vec<Event>,
    /// The other events naming the secret (writes, metadata, deletes).
    context: Vec<Event>,
    /// Every value read of every secret, when the input cannot be read a
    /// second time and `--depth 2` needs it.
    every_read: Option<Vec<Event>>,
    /// What the log holds in clear of the secret.
    exposures: Vec<ExposureOut>,
    diags: Diagnostics,
}

/// The configuration of a question about the records' own bytes
/// (`coverage`, `exposures`, `trace-value`), resolved from its logs, window
/// and common flags, with the process set up for it.
fn configured(
    logs: &crate::cli::Logs,
    window: &crate::cli::WindowArgs,
    common: &CommonArgs,
) -> anyhow::Result<Config> {
    let config = Config::resolve(logs, window, common, &Surroundings::current())?;
    configure(&config)?;
    Ok(config)
}

/// Sets the process up as a resolved configuration asks: worker threads,
/// and the handler that turns a fault in a mapped file into a message.
fn configure(config: &Config) -> anyhow::Result<()> {
    if let Some(n) = config.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot start worker threads")?;
    }
    if config.allow_mmap {
        crate::sigbus::install();
    }
    Ok(())
}

/// Scans for the secret's accesses; with `keep_every_read`, keeps every
/// value read instead and picks the secret's out of them afterwards.
fn first_pass(mut config: Config, secret: SecretQuery, keep_every_read: bool) -> FirstPass {
    let options = scan_options(&config);
    let plan = match keep_every_read {
        true => Plan::any_read(secret.providers(), options),
        false => Plan::for_secret(&secret, options),
    };
    // What the log holds in clear of the secret (`blast-radius`): told
    // by the records, before pairing keeps one per request.
    let window = config.window;
    let (scan, diags, paired, mut exposures) =
        scan_and_pair_with(&mut config, plan, |entries, files| {
            of_secrets(entries, &window, files)
        });
    // With every read kept (`--depth 2` over a pipe), only the secret's.
    exposures.retain(|x| {
        let named = |name: &str| {
            let seen = SecretRef {
                provider: x.provider,
                secret: name,
                logical: None,
                alias: None,
                scope: Scope::One,
            };
            secret.matches(&seen).is_some()
        };
        named(&x.secret) || x.path.as_deref().is_some_and(named)
    });
    let (accesses, every_read) = if keep_every_read {
        let mine = paired
            .iter()
            .filter_map(|a| {
                let found = secret.matches(&SecretRef {
                    provider: a.provider,
                    secret: &a.secret,
                    logical: a.logical.as_deref(),
                    alias: None,
                    scope: a.scope,
                })?;
                let mut a = a.clone();
                match found {
                    Match::Named => {}
                    // A batch by filter keeps its filter (see `scan`).
                    Match::Covered(_) if a.kind == Some(ReadKind::Possible) => {}
                    Match::Covered(name) => {
                        a.secret = name.into();
                        a.logical = None;
                    }
                    // Kept as `scan` keeps it: the backing secret read,
                    // grouped under its certificate.
                    Match::Backing(certificate) => {
                        a.secret = a.secret.to_ascii_lowercase().into();
                        a.logical = Some(certificate.into());
                    }
                }
                Some(a)
            })
            .collect();
        (mine, Some(paired))
    } else {
        (paired, None)
    };
    let (accesses, context) =
        existence::reads_and_context(accesses, !secret.is_regex(), &scan.files);
    FirstPass {
        config,
        secret,
        scan,
        accesses,
        context,
        every_read,
        exposures,
        diags,
    }
}

/// How every scan of this run reads: `--exhaustive`, `--source`, `-v`.
fn scan_options(config: &Config) -> scan::Options {
    scan::Options {
        exhaustive: config.exhaustive,
        forced: config.forced_source,
        count_types: config.verbose,
    }
}

/// A first scan of the input: what was found, every problem met (walking
/// folders included), and the entries paired into accesses.
fn scan_and_pair(config: &mut Config, plan: Plan<'_>) -> (ScanResult, Diagnostics, Vec<Event>) {
    let (scan, diags, paired, ()) = scan_and_pair_with(config, plan, |_, _| ());
    (scan, diags, paired)
}

/// `scan_and_pair`, with `before` told the entries as logged, record by
/// record, before pairing keeps one per request.
fn scan_and_pair_with<T>(
    config: &mut Config,
    plan: Plan<'_>,
    before: impl FnOnce(&[Event], &[String]) -> T,
) -> (ScanResult, Diagnostics, Vec<Event>, T) {
    let mut scan = run_scan(config, &plan, "reading");
    if config.verbose {
        report_detected(&scan);
    }
    drop(plan); // its interning tables are no longer needed
    let mut diags = std::mem::take(&mut config.discover_diags);
    diags.append(std::mem::take(&mut scan.diags));
    let told = before(&scan.entries, &scan.files);
    let paired = pair(std::mem::take(&mut scan.entries));
    (scan, diags, paired, told)
}

fn run_scan(config: &Config, plan: &Plan<'_>, what: &'static str) -> ScanResult {
    let prepared = config.index.get_or_init(|| prepare_index(config));
    let progress = progress_bar(config, what);
    let result = pipeline::scan(
        &config.files,
        plan,
        &ScanOptions {
            allow_mmap: config.allow_mmap,
            answers: prepared,
        },
        &progress,
    );
    progress.finish_and_clear();
    tell_index_warnings(config, prepared);
    result
}

/// A scan for questions about the records' own bytes (`trace-value`,
/// `exposures`): every input is read, none answered from an index, which
/// keeps no record's bytes. Returns the scan and every problem met.
fn scan_records(config: &mut Config, plan: &Plan<'_>) -> (ScanResult, Diagnostics) {
    config.cache = None;
    let mut scan = run_scan(config, plan, "reading");
    if config.verbose {
        report_detected(&scan);
    }
    let mut diags = std::mem::take(&mut config.discover_diags);
    diags.append(std::mem::take(&mut scan.diags));
    (scan, diags)
}

/// Looks the inputs up in the index (refreshing what changed), once per
/// run; `-v` says how each input stands.
fn prepare_index(config: &Config) -> index::Prepared {
    let Some(cache) = &config.cache else {
        return index::Prepared::none(config.files.len());
    };
    let progress = IndexBar::new(config, "indexing");
    let prepared = index::prepare(
        &config.files,
        &config.roots,
        &index::Options {
            cache: index::Cache::at(cache),
            mode: index::Mode::Query,
            allow_mmap: config.allow_mmap,
        },
        &progress,
    );
    progress.bar.finish_and_clear();
    if config.verbose {
        let mut err = io::stderr().lock();
        for (file, status) in config.files.iter().zip(&prepared.status) {
            let said = match status {
                index::Status::Unindexed => continue,
                index::Status::Fresh => "answered from the index",
                index::Status::Grown => {
                    "answered from the index (the lines appended since were indexed)"
                }
                index::Status::Rebuilt => {
                    "answered from the index (indexed again: the file changed)"
                }
                index::Status::Indexed => "answered from the index (indexed now)",
                index::Status::Vanished => "gone: its index was dropped",
            };
            let _ = writeln!(
                err,
                "whosaw: {}: {said}",
                crate::output::sanitize::escape(&file.name)
            );
        }
    }
    tell_index_warnings(config, &prepared);
    prepared
}

/// Problems with the index itself: the input was scanned instead, so the
/// answer and the exit status do not change.
fn tell_index_warnings(config: &Config, prepared: &index::Prepared) {
    let warnings = prepared.take_warnings();
    if config.quiet {
        return;
    }
    let mut err = io::stderr().lock();
    for w in warnings {
        let _ = writeln!(err, "whosaw: warning: index: {w}");
    }
}

/// `-v`: what each file was read as.
fn report_detected(scan: &ScanResult) {
    let mut err = io::stderr().lock();
    for ((name, detected), types) in scan.files.iter().zip(&scan.detected).zip(&scan.entry_types) {
        if let Some(d) = detected {
            let mut line = format!(
                "whosaw: {}: {}",
                crate::output::sanitize::escape(name),
                d.describe()
            );
            if !types.is_empty() {
                let counts: Vec<String> = types
                    .iter()
                    .map(|(kind, n)| format!("{n} {}", crate::output::sanitize::escape(kind)))
                    .collect();
                line.push_str(&format!("; entries by type: {}", counts.join(", ")));
            }
            let _ = writeln!(err, "{line}");
        }
    }
}

/// What the scan reports as it goes, drawn as a bar.
impl pipeline::Progress for ProgressBar {
    fn advance(&self, bytes: u64) {
        self.inc(bytes);
    }
}

/// The bar of indexing: bytes read, and records indexed so far.
struct IndexBar {
    bar: ProgressBar,
    what: &'static str,
    events: std::sync::atomic::AtomicU64,
}

impl IndexBar {
    fn new(config: &Config, what: &'static str) -> IndexBar {
        IndexBar {
            bar: progress_bar(config, what),
            what,
            events: Default::default(),
        }
    }
}

impl pipeline::Progress for IndexBar {
    fn advance(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn events(&self, n: u64) {
        use std::sync::atomic::Ordering;
        let all = self.events.fetch_add(n, Ordering::Relaxed) + n;
        self.bar
            .set_message(format!("{}, {all} records", self.what));
    }
}

fn progress_bar(config: &Config, what: &'static str) -> ProgressBar {
    if !config.progress {
        return ProgressBar::hidden();
    }
    let known: u64 = config
        .files
        .iter()
        .filter_map(|f| f.path.as_ref())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let has_stdin = config.files.iter().any(|f| f.path.is_none());
    if known < PROGRESS_MIN_BYTES && !has_stdin {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(known), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{msg} {wide_bar} {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, {eta} left)",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what);
    bar
}

fn echo(pass: &FirstPass, depth: Option<u8>) -> QueryEcho {
    QueryEcho {
        secret: pass.secret.as_str().to_string(),
        regex: pass.secret.is_regex(),
        since: pass.config.window.since,
        until: pass.config.window.until,
        depth,
    }
}

/// The periods the trail of the stores asked about (`providers`; empty:
/// every store) was off in the run's window (see
/// `query::coverage::of_window`), each also said on standard error.
fn trail_coverage(
    config: &Config,
    scan: &mut ScanResult,
    providers: &[Provider],
) -> WindowCoverage {
    scan.trail.changes.retain(|c| {
        providers.is_empty()
            || c.source
                .store()
                .about()
                .providers
                .iter()
                .any(|p| providers.contains(p))
    });
    let coverage = of_window(&mut scan.trail, &config.window, &scan.files);
    if !config.quiet {
        let mut err = io::stderr().lock();
        for p in &coverage.off_periods {
            let _ = writeln!(
                err,
                "whosaw: warning: the trail was off during the window ({}): the answer is \
                 partial (exit 3)",
                crate::output::table::off_period(p)
            );
        }
    }
    coverage
}

fn stats(config: &Config, scan: &ScanResult, diags: &Diagnostics) -> Stats {
    Stats {
        files: config.files.len() as u64,
        events: scan.events,
        malformed_lines: diags.malformed_lines,
        skipped_files: diags.skipped_files,
        incomplete_files: diags.incomplete_files,
        exhaustive: config.exhaustive,
    }
}

/// Every read of a value in the input, paired, in the stores asked for:
/// what `suspicious` and `baseline` work from.
struct AllReads {
    config: Config,
    scan: ScanResult,
    diags: Diagnostics,
    accesses: Vec<Event>,
}

fn all_reads(mut config: Config, providers: &[Provider]) -> AllReads {
    let plan = Plan::answered_reads(providers, scan_options(&config));
    let (scan, diags, mut accesses) = scan_and_pair(&mut config, plan);
    accesses.retain(|a| {
        config.window.contains(a.time) && (providers.is_empty() || providers.contains(&a.provider))
    });
    AllReads {
        config,
        scan,
        diags,
        accesses,
    }
}

/// The secret and the configuration of a who-read or blast-radius query.
fn configure_query(
    query: &QueryArgs,
    common: &CommonArgs,
) -> anyhow::Result<(Config, SecretQuery)> {
    let QueryConfig { common, secret } =
        QueryConfig::resolve(query, common, &Surroundings::current())?;
    configure(&common)?;
    Ok((common, secret))
}

fn who_read_command(args: &WhoReadArgs) -> anyhow::Result<Exit> {
    let (config, secret) = configure_query(&args.query, &args.common)?;
    let mut pass = first_pass(config, secret, false);
    let coverage = trail_coverage(&pass.config, &mut pass.scan, pass.secret.providers());
    let readers = by_identity(&pass.accesses, &pass.config.window, args.evidence);
    let mut report = who_read::report(
        &readers,
        &pass.accesses,
        &pass.config.window,
        args.evidence,
        echo(&pass, None),
        stats(&pass.config, &pass.scan, &pass.diags),
        &pass.scan.files,
    );
    report.coverage = coverage;
    let exit = finish(&pass.config, &pass.diags, !readers.is_empty(), |out| {
        output::who_read(&report, pass.config.style, out)
    })?;
    Ok(exit.or_partial(report.coverage.partial))
}

fn blast_radius_command(args: &BlastRadiusArgs) -> anyhow::Result<Exit> {
    let (config, secret) = configure_query(&args.query, &args.common)?;
    // A pipe or standard input cannot be read a second time: keep every
    // read from the first pass instead.
    let keep_every_read = args.depth >= 2 && config.files.iter().any(|f| !f.rereadable);
    let mut pass = first_pass(config, secret, keep_every_read);
    let coverage = trail_coverage(&pass.config, &mut pass.scan, pass.secret.providers());
    let readers = by_identity(&pass.accesses, &pass.config.window, false);
    let further = if args.depth >= 2 {
        Some(follow_readers(&mut pass, &readers))
    } else {
        None
    };
    // A value in the log in clear is as found as a read of it.
    let found = pass
        .accesses
        .iter()
        .any(|a| pass.config.window.contains(a.time))
        || !pass.exposures.is_empty();
    let mut report = blast_report(&mut pass, &readers, further.as_deref(), args.depth);
    report.coverage = coverage;
    let exit = finish(&pass.config, &pass.diags, found, |out| {
        output::blast_radius(&report, pass.config.style, out)
    })?;
    Ok(exit.or_partial(report.coverage.partial))
}

/// blast-radius's answer from its passes (the exposures taken from `pass`).
fn blast_report(
    pass: &mut FirstPass,
    readers: &[Reader],
    further: Option<&[Event]>,
    depth: u8,
) -> crate::query::report::BlastRadiusReport {
    blast_radius::report(
        blast_radius::Inputs {
            exact_secret: (!pass.secret.is_regex()).then(|| pass.secret.as_str()),
            provider_of_query: match pass.secret.providers() {
                [one] => Some(*one),
                _ => None,
            },
            accesses: &pass.accesses,
            readers,
            further,
            provider_seen: existence::provider_seen(&pass.accesses, &pass.context),
            exposures: std::mem::take(&mut pass.exposures),
            window: pass.config.window,
        },
        echo(pass, Some(depth)),
        stats(&pass.config, &pass.scan, &pass.diags),
    )
}

/// Second pass for `--depth 2`: every value read, of any secret, by the
/// identities that retrieved the queried one. Lines are pre-filtered on the
/// fields that hold those identities' ids.
fn follow_readers(pass: &mut FirstPass, readers: &[Reader]) -> Vec<Event> {
    let mut ids = IdentityIds::default();
    for r in readers.iter().filter(|r| r.successful > 0) {
        ids.insert(&r.identity);
    }
    if ids.is_empty() {
        return Vec::new();
    }
    if let Some(every_read) = pass.every_read.take() {
        return every_read
            .into_iter()
            .filter(|a| ids.contains(a.identity.provider, &a.identity.id))
            .collect();
    }
    let plan = Plan::for_identities(&ids, scan_options(&pass.config));
    let mut scan = run_scan(&pass.config, &plan, "following readers");
    pass.diags.append_new(std::mem::take(&mut scan.diags));
    // The two passes must have read the same evidence.
    for ((name, first), second) in pass
        .scan
        .files
        .iter()
        .zip(&pass.scan.fingerprints)
        .zip(&scan.fingerprints)
    {
        if first != second {
            pass.diags.partial(
                name,
                None,
                "the file changed between the two passes of --depth 2: re-run on a stable copy"
                    .into(),
            );
        }
    }
    pair(scan.entries)
}

/// Reports problems, applies `--strict`, prints the answer and decides the
/// exit status. A closed pipe (`| head`) ends printing quietly.
fn finish(
    config: &Config,
    diags: &Diagnostics,
    found: bool,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<Exit> {
    let partial = diags.is_partial();
    if config.strict && partial {
        let _ = diags.report(&mut io::stderr().lock());
        eprintln!(
            "whosaw: error: --strict: {} malformed lines, {} unreadable and {} incomplete files; \
             no answer given",
            diags.malformed_lines, diags.skipped_files, diags.incomplete_files
        );
        return Ok(Exit::Fatal);
    }
    if !config.quiet {
        let _ = diags.report(&mut io::stderr().lock());
        if crate::input::atime_may_change() {
            eprintln!(
                "whosaw: note: some inputs are not this user's own, so the kernel refused to \
                 read them without updating their access times (O_NOATIME): those times may \
                 have changed (run as their owner, or work on a copy, to keep them)"
            );
        }
    }
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = render(&mut out).and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e).context("cannot write the answer"),
        Ok(()) => {}
    }
    Ok(Exit::answered(found, partial))
}
