//! Where an export's rows go: standard output, one file (written beside
//! its final name, then renamed, so no reader sees half of it), or a folder
//! of Hive-style partitions (`provider=vault/date=2025-03-01/`) that Spark,
//! DuckDB and Athena read as columns. Never into the evidence.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::Row;
use crate::event::{Event, Provider};
use crate::output::sanitize::escape;

/// Takes an export's rows, in order.
pub(crate) trait Sink {
    fn write(&mut self, row: &Row<'_>, event: &Event) -> io::Result<()>;
    /// Everything written is where it belongs.
    fn finish(self: Box<Self>) -> io::Result<()>;
}

/// Where `-o` sends the rows.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Destination {
    Stdout,
    File(PathBuf),
    Folder(PathBuf),
}

impl Destination {
    /// What `-o PATH` names: `-`, a folder (one that exists, or a path
    /// ending in `/`), else a file. Refused: a place inside the inputs'
    /// folders or an input itself (the evidence is never written to), and
    /// what is already there unless `force`.
    pub(crate) fn of(path: &Path, force: bool, inputs: &[PathBuf]) -> anyhow::Result<Destination> {
        if path.as_os_str() == "-" {
            return Ok(Destination::Stdout);
        }
        let shown = || escape(&path.display().to_string()).into_owned();
        let is_folder = path.is_dir() || path.as_os_str().to_string_lossy().ends_with('/');
        if let Some(input) = inside_evidence(path, inputs) {
            bail!(
                "refusing to write the export to {}: it is inside the logs given ({}); \
                 write it elsewhere",
                shown(),
                escape(&input.display().to_string())
            );
        }
        if is_folder {
            let occupied = fs::read_dir(path).is_ok_and(|mut d| d.next().is_some());
            if occupied && !force {
                bail!(
                    "{} is not empty: --force writes the export into it anyway",
                    shown()
                );
            }
            return Ok(Destination::Folder(path.to_path_buf()));
        }
        if path.is_file() && !force {
            bail!("{} exists: --force replaces it", shown());
        }
        Ok(Destination::File(path.to_path_buf()))
    }

    pub(crate) fn open(&self) -> anyhow::Result<Box<dyn Sink>> {
        match self {
            Destination::Stdout => Ok(Box::new(Lines {
                out: BufWriter::with_capacity(1 << 16, Box::new(io::stdout())),
                rename: None,
            })),
            Destination::File(path) => {
                // A device or a pipe (/dev/stdout) is written to as it is.
                if path.exists() && !path.is_file() {
                    let file = OpenOptions::new()
                        .write(true)
                        .open(path)
                        .with_context(|| format!("cannot write to {}", path.display()))?;
                    return Ok(Box::new(Lines {
                        out: BufWriter::with_capacity(1 << 16, Box::new(file)),
                        rename: None,
                    }));
                }
                let partial = partial_path(path);
                let file = File::create(&partial)
                    .with_context(|| format!("cannot write to {}", partial.display()))?;
                Ok(Box::new(Lines {
                    out: BufWriter::with_capacity(1 << 16, Box::new(file)),
                    rename: Some((partial, path.clone())),
                }))
            }
            Destination::Folder(root) => {
                fs::create_dir_all(root)
                    .with_context(|| format!("cannot create {}", root.display()))?;
                Ok(Box::new(Partitions {
                    root: root.clone(),
                    open: HashMap::new(),
                    started: HashSet::new(),
                }))
            }
        }
    }

    /// For messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Destination::Stdout => "standard output".into(),
            Destination::File(p) | Destination::Folder(p) => {
                escape(&p.display().to_string()).into_owned()
            }
        }
    }
}

/// The input `path` would be written inside (or over), if any.
fn inside_evidence<'i>(path: &Path, inputs: &'i [PathBuf]) -> Option<&'i PathBuf> {
    let absolute = |p: &Path| {
        // The deepest part that exists, resolved (symbolic links, `..`),
        // with the rest as given.
        let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut resolved = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
        resolved.extend(rest.iter().rev());
        resolved
    };
    let target = absolute(path);
    inputs.iter().find(|input| {
        input.as_os_str() != "-" && {
            let input = absolute(input);
            target == input || (input.is_dir() && target.starts_with(&input))
        }
    })
}

/// Where a file is written before it is renamed to `path`.
fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

fn write_line(out: &mut impl Write, row: &Row<'_>) -> io::Result<()> {
    serde_json::to_writer(&mut *out, row)?;
    out.write_all(b"\n")
}

/// One stream of lines.
struct Lines {
    out: BufWriter<Box<dyn Write>>,
    /// The partial file and its final name.
    rename: Option<(PathBuf, PathBuf)>,
}

impl Sink for Lines {
    fn write(&mut self, row: &Row<'_>, _: &Event) -> io::Result<()> {
        write_line(&mut self.out, row)
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.out.flush()?;
        if let Some((partial, path)) = self.rename.take() {
            fs::rename(partial, path)?;
        }
        Ok(())
    }
}

/// More files than this open at once are closed and reopened to append
/// (a year of one store is 365 partitions).
const OPEN_AT_ONCE: usize = 64;

/// A folder of partitions by store and day (UTC).
struct Partitions {
    root: PathBuf,
    open: HashMap<(Provider, String), BufWriter<File>>,
    /// The files this export began: each is emptied once, then appended to.
    started: HashSet<PathBuf>,
}

impl Sink for Partitions {
    fn write(&mut self, row: &Row<'_>, event: &Event) -> io::Result<()> {
        let day = event.time.to_datetime().format("%Y-%m-%d").to_string();
        let key = (event.provider, day);
        if !self.open.contains_key(&key) {
            if self.open.len() >= OPEN_AT_ONCE {
                for (_, mut out) in self.open.drain() {
                    out.flush()?;
                }
            }
            let folder = self
                .root
                .join(format!("provider={}", key.0.as_str()))
                .join(format!("date={}", key.1));
            fs::create_dir_all(&folder)?;
            let path = folder.join("part-00000.ndjson");
            let first = self.started.insert(path.clone());
            let file = OpenOptions::new()
                .create(true)
                .write(true)
                .truncate(first)
                .append(!first)
                .open(&path)?;
            self.open
                .insert(key.clone(), BufWriter::with_capacity(1 << 16, file));
        }
        let out = self.open.get_mut(&key).expect("opened above");
        write_line(out, row)
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        for (_, mut out) in self.open.drain() {
            out.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_into_the_evidence() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        fs::create_dir(&logs).unwrap();
        fs::write(logs.join("a.log"), "{}\n").unwrap();
        let inputs = vec![logs.clone()];
        for inside in [
            logs.join("out.ndjson"),
            logs.join("sub/out/"),
            logs.join("a.log"),
        ] {
            let err = Destination::of(&inside, true, &inputs).unwrap_err();
            assert!(err.to_string().contains("inside the logs"), "{err}");
        }
        let beside = dir.path().join("out.ndjson");
        assert_eq!(
            Destination::of(&beside, false, &inputs).unwrap(),
            Destination::File(beside.clone())
        );
        fs::write(&beside, "x").unwrap();
        assert!(Destination::of(&beside, false, &inputs).is_err());
        assert!(Destination::of(&beside, true, &inputs).is_ok());
        let file_input = vec![logs.join("a.log")];
        assert!(Destination::of(&logs.join("a.log"), true, &file_input).is_err());
        assert_eq!(
            Destination::of(Path::new("-"), false, &inputs).unwrap(),
            Destination::Stdout
        );
    }
}
