//! `whosaw baseline` (learn, show) and `whosaw config` (example, check).

use std::io::{self, Write};
use std::path::Path;

use anyhow::Context;

use super::{all_reads, configure, finish, load_settings};
use crate::cli::{BaselineArgs, BaselineCommand, ConfigCommand, Format};
use crate::exit::Exit;
use crate::output;
use crate::query::baseline::{Baseline, learn};
use crate::settings::{EXAMPLE, Settings};

pub fn command(args: &BaselineArgs) -> anyhow::Result<Exit> {
    if let Some(BaselineCommand::Show { file, format }) = &args.show {
        return show(file, *format);
    }
    let settings = load_settings(args.config.as_deref())?;
    let config = configure(&args.paths, &args.window, &args.common)?;
    let reads = all_reads(config, &args.provider);
    let baseline = learn(
        &reads.accesses,
        &settings.environments,
        reads.config.window.since,
        reads.config.window.until,
    );
    let learned = baseline.reads > 0;
    match args.output.as_deref().filter(|p| *p != Path::new("-")) {
        // Written whole, then renamed: a reader never sees half a baseline.
        Some(path) => {
            let text = serde_json::to_string_pretty(&baseline)? + "\n";
            write_whole(path, text.as_bytes())?;
            finish(&reads.config, &reads.diags, learned, |out| {
                if reads.config.quiet {
                    return Ok(());
                }
                writeln!(
                    out,
                    "learned {} identities from {} successful reads; written to {}",
                    baseline.identities.len(),
                    baseline.reads,
                    output::sanitize::escape(&path.display().to_string())
                )
            })
        }
        None => finish(&reads.config, &reads.diags, learned, |out| {
            output::json::document(&baseline, out)
        }),
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over.
fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile_in(dir)?;
    tmp.1.write_all(bytes)?;
    tmp.1.sync_all()?;
    std::fs::rename(&tmp.0, path)
        .with_context(|| format!("cannot write the baseline to {}", path.display()))?;
    Ok(())
}

fn tempfile_in(dir: &Path) -> anyhow::Result<(std::path::PathBuf, std::fs::File)> {
    for n in 0..100u32 {
        let name = dir.join(format!(".whosaw-baseline.{}.{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&name)
        {
            Ok(f) => return Ok((name, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot write in {}", dir.display()));
            }
        }
    }
    anyhow::bail!("cannot create a temporary file in {}", dir.display())
}

fn show(file: &Path, format: Format) -> anyhow::Result<Exit> {
    let baseline = Baseline::load(file)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match format {
        Format::Table => output::findings::baseline(&baseline, &mut out),
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

pub fn config_command(command: &ConfigCommand) -> anyhow::Result<Exit> {
    match command {
        ConfigCommand::Example => {
            print!("{EXAMPLE}");
            Ok(Exit::Found)
        }
        ConfigCommand::Check { file } => {
            let from_env = std::env::var_os("WHOSAW_CONFIG").filter(|v| !v.is_empty());
            let Some(path) = file.clone().or(from_env.map(Into::into)) else {
                anyhow::bail!("no configuration file named, and WHOSAW_CONFIG is not set");
            };
            let settings = Settings::load(&path)?;
            println!(
                "{}: valid; {} environments, {} trusted networks, {} policies",
                output::sanitize::escape(&path.display().to_string()),
                settings.environments.len(),
                settings.trusted_networks.len(),
                settings.policies.len()
            );
            Ok(Exit::Found)
        }
    }
}
