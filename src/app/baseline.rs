//! `whosaw baseline` (learn, show) and `whosaw config` (example, check).
//! What a command was asked is resolved in `config/`.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Context;

use super::{all_reads, configure, finish};
use crate::cli::{BaselineArgs, BaselineCommand, ConfigCommand};
use crate::config::{BaselineConfig, ConfigFile, EXAMPLE, Surroundings, config_file_to_check};
use crate::exit::Exit;
use crate::output::{self, Format};
use crate::query::baseline::{Baseline, learn};

pub(super) fn command(args: &BaselineArgs) -> anyhow::Result<Exit> {
    if let Some(BaselineCommand::Show { file, format, wide }) = &args.show {
        return show(file, *format, *wide);
    }
    let BaselineConfig {
        common,
        file,
        providers,
        write_to,
    } = BaselineConfig::resolve(args, &Surroundings::current())?;
    configure(&common)?;
    let reads = all_reads(common, &providers);
    let baseline = learn(
        &reads.accesses,
        &file.environments,
        reads.config.window.since,
        reads.config.window.until,
    );
    let learned = baseline.reads > 0;
    match write_to.as_deref() {
        Some(path) => {
            let text = serde_json::to_string_pretty(&baseline)? + "\n";
            write_whole(path, text.as_bytes())?;
            finish(&reads.config, &reads.diags, learned, |out| {
                if reads.config.quiet {
                    return Ok(());
                }
                let n = baseline.identities.len();
                writeln!(
                    out,
                    "learned {n} {} from {} successful reads; written to {}",
                    if n == 1 { "identity" } else { "identities" },
                    baseline.reads,
                    output::sanitize::escape(&path.display().to_string())
                )
            })
        }
        None => finish(&reads.config, &reads.diags, learned, |out| {
            match (args.format_given, reads.config.style.format) {
                (true, Format::Table) => {
                    output::findings::baseline(&baseline, reads.config.style.fit(), out)
                }
                (true, Format::Ndjson) => output::json::lines(&baseline.identities, out),
                // The baseline as a file of it holds it: `> baseline.json`.
                _ => output::json::document(&baseline, out),
            }
        }),
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over,
/// so a reader never sees half a baseline. Anything but a regular file (a
/// device such as /dev/stdout, a pipe) is written to directly: renaming
/// over it would replace it.
pub(super) fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let context = || format!("cannot write the baseline to {}", path.display());
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(context)?;
            return f.write_all(bytes).with_context(context);
        }
        _ => {}
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Removed again if anything fails before it is renamed.
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(context)?;
    tmp.write_all(bytes).with_context(context)?;
    tmp.as_file().sync_all().with_context(context)?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(context)?;
    Ok(())
}

fn show(file: &Path, format: Format, wide: bool) -> anyhow::Result<Exit> {
    let baseline = Baseline::load(file)?;
    let fit = output::compact::Fit {
        width: Surroundings::current().stdout_width,
        wide,
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match format {
        Format::Table => output::findings::baseline(&baseline, fit, &mut out),
        Format::Json => output::json::document(&baseline, &mut out),
        Format::Ndjson => output::json::lines(&baseline.identities, &mut out),
    }
    .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the answer")?,
    }
    Ok(match baseline.identities.is_empty() {
        true => Exit::NothingFound,
        false => Exit::Found,
    })
}

pub(super) fn config_command(command: &ConfigCommand) -> anyhow::Result<Exit> {
    match command {
        ConfigCommand::Example => {
            print!("{EXAMPLE}");
            Ok(Exit::Found)
        }
        ConfigCommand::Check { file } => {
            let path = config_file_to_check(file)?;
            let checked = ConfigFile::load(path)?;
            println!(
                "{}: valid; {} environments, {} trusted networks, {} policies",
                output::sanitize::escape(&path.display().to_string()),
                checked.environments.len(),
                checked.trusted_networks.len(),
                checked.policies.len()
            );
            Ok(Exit::Found)
        }
    }
}
