//! `whosaw index`: build or refresh the index of the logs, check it
//! (`--verify`), or clear out what is no longer needed (`--prune`).

use std::io::{self, Write};

use anyhow::Context;
use serde::Serialize;

use super::{IndexBar, configure, finish, progress_bar, tell_index_warnings};
use crate::cli::{CacheArgs, CommonArgs, IndexArgs, ScanArgs, WindowArgs};
use crate::config::{Config, Surroundings, cache_dir};
use crate::exit::Exit;
use crate::index::{self, Cache, Mode, Pruned, Status, Verdict};
use crate::output::{Format, sanitize::escape};

const SCHEMA: &str = "whosaw.index.v1";

/// One input, as the index stands for it after the run.
#[derive(Serialize)]
struct Entry {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<Verdict>,
    input_bytes: u64,
    index_bytes: u64,
}

#[derive(Serialize)]
struct Summary {
    schema: &'static str,
    cache: String,
    files: Vec<Entry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pruned: Vec<Pruned>,
}

pub(super) fn command(args: &IndexArgs) -> anyhow::Result<Exit> {
    let around = Surroundings::current();
    let dir = cache_dir(args.cache.cache.as_deref(), &around).context(
        "no folder for the index: give --cache DIR (or set WHOSAW_CACHE, XDG_CACHE_HOME or HOME)",
    )?;
    let cache = Cache::at(&dir);
    let format = match args.output.json {
        true => Format::Json,
        false => args.output.format,
    };
    let mut summary = Summary {
        schema: SCHEMA,
        cache: cache.dir().display().to_string(),
        files: Vec::new(),
        pruned: Vec::new(),
    };
    let no_paths = args.logs.paths.iter().all(|p| p.0.is_empty());
    if args.prune && no_paths {
        summary.pruned = index::prune(&cache, None, &[]).context("cannot prune the index")?;
        print(&summary, format)?;
        return Ok(Exit::Found);
    }
    // The index reads its inputs as any question does.
    let common = CommonArgs {
        output: args.output.clone(),
        scan: ScanArgs {
            strict: false,
            exhaustive: false,
            source: None,
            verbose: false,
        },
        reading: args.reading.clone(),
        cache: CacheArgs {
            cache: Some(dir.clone()),
        },
        no_index: false,
    };
    let window = WindowArgs {
        since: None,
        until: None,
    };
    let mut config = Config::resolve(&args.logs, &window, &common, &around)?;
    configure(&config)?;
    let opts = index::Options {
        cache: cache.clone(),
        mode: Mode::Build,
        allow_mmap: config.allow_mmap,
    };
    let sizes = |i: usize| {
        config.files[i]
            .path
            .as_ref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len())
    };
    let mut problems = false;
    if args.prune {
        let roots: Vec<_> = config
            .files
            .iter()
            .filter_map(|f| f.path.as_ref())
            .filter_map(|p| std::path::absolute(p).ok())
            .collect();
        summary.pruned =
            index::prune(&cache, Some(&roots), &[]).context("cannot prune the index")?;
    } else if args.verify {
        let progress = progress_bar(&config, "verifying");
        let verdicts = index::verify(&config.files, &opts, &progress);
        progress.finish_and_clear();
        for (i, verdict) in verdicts.into_iter().enumerate() {
            problems |= verdict != Verdict::Verified;
            summary.files.push(Entry {
                file: config.files[i].name.clone(),
                status: None,
                verdict: Some(verdict),
                input_bytes: sizes(i),
                index_bytes: 0,
            });
        }
    } else {
        let progress = IndexBar::new(&config, "indexing");
        let prepared = index::prepare(&config.files, &config.roots, &opts, &progress);
        progress.bar.finish_and_clear();
        for (i, status) in prepared.status.iter().enumerate() {
            problems |= matches!(status, Status::Unindexed | Status::Vanished);
            summary.files.push(Entry {
                file: config.files[i].name.clone(),
                status: Some(*status),
                verdict: None,
                input_bytes: sizes(i),
                index_bytes: prepared.sizes[i],
            });
        }
        tell_index_warnings(&config, &prepared);
    }
    let diags = std::mem::take(&mut config.discover_diags);
    finish(&config, &diags, !problems, |out| {
        render(&summary, format, out)
    })
    .map(|exit| match (exit, problems) {
        (Exit::NothingFound, true) => Exit::Partial,
        (exit, _) => exit,
    })
}

fn print(summary: &Summary, format: Format) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    render(summary, format, &mut out).context("cannot write the answer")
}

fn render(summary: &Summary, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json | Format::Ndjson => crate::output::json::document(summary, out),
        Format::Table => {
            for f in &summary.files {
                let what = match (&f.status, &f.verdict) {
                    (Some(s), _) => s.as_str().to_string(),
                    (_, Some(Verdict::Verified)) => "verified".into(),
                    (_, Some(Verdict::Missing)) => "missing".into(),
                    (_, Some(Verdict::Stale)) => "stale".into(),
                    (_, Some(Verdict::Differs)) => "differs".into(),
                    (_, Some(Verdict::Damaged(why))) => format!("damaged: {why}"),
                    (_, Some(Verdict::Unindexable(why))) => format!("not indexable: {why}"),
                    (None, None) => String::new(),
                };
                let size = match f.index_bytes {
                    0 => String::new(),
                    n => format!(
                        " (index {}, {:.1} % of the input)",
                        human(n),
                        100.0 * n as f64 / f.input_bytes.max(1) as f64
                    ),
                };
                writeln!(out, "{}: {}{size}", escape(&f.file), escape(&what))?;
            }
            for p in &summary.pruned {
                let file = if p.file.is_empty() {
                    "(unknown input)"
                } else {
                    &p.file
                };
                writeln!(out, "removed the index of {}: {}", escape(file), p.why)?;
            }
            writeln!(out, "index: {}", escape(&summary.cache))
        }
    }
}

/// A size as people read it: KiB below a MiB, MiB above.
fn human(bytes: u64) -> String {
    match bytes {
        n if n < 1 << 20 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{:.1} MiB", n as f64 / 1048576.0),
    }
}
