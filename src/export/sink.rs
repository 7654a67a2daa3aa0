//! Where an export's rows go: standard output, one file (written beside
//! its final name, then renamed, so no reader sees half of it), or a folder
//! of Hive-style partitions (`provider=vault/date=2025-03-01/`) that Spark,
//! DuckDB and Athena read as columns. Never into the evidence.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::parquet::ParquetRows;
use super::{Row, ecs, ocsf};
use crate::cli::{ExportFormat, ExportSchema};
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

    pub(crate) fn open(
        &self,
        format: ExportFormat,
        schema: ExportSchema,
    ) -> anyhow::Result<Box<dyn Sink>> {
        if format == ExportFormat::Parquet && schema != ExportSchema::Whosaw {
            bail!("--format parquet writes whosaw's own rows only: write OCSF and ECS as NDJSON");
        }
        let whole = |out: Box<dyn Write + Send>, rename| -> anyhow::Result<Box<dyn Sink>> {
            Ok(Box::new(Whole {
                out: Some(RowWriter::new(out, format, schema)?),
                rename,
            }))
        };
        match self {
            Destination::Stdout => whole(Box::new(io::stdout()), None),
            Destination::File(path) => {
                // A device or a pipe (/dev/stdout) is written to as it is.
                if path.exists() && !path.is_file() {
                    let file = OpenOptions::new()
                        .write(true)
                        .open(path)
                        .with_context(|| format!("cannot write to {}", path.display()))?;
                    return whole(Box::new(file), None);
                }
                let partial = partial_path(path);
                let file = File::create(&partial)
                    .with_context(|| format!("cannot write to {}", partial.display()))?;
                whole(Box::new(file), Some((partial, path.clone())))
            }
            Destination::Folder(root) => {
                fs::create_dir_all(root)
                    .with_context(|| format!("cannot create {}", root.display()))?;
                Ok(Box::new(Partitions {
                    root: root.clone(),
                    format,
                    schema,
                    open: HashMap::new(),
                    parts: HashMap::new(),
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
pub(crate) fn inside_evidence<'i>(path: &Path, inputs: &'i [PathBuf]) -> Option<&'i PathBuf> {
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

/// Rows in one format, to one stream.
enum RowWriter {
    Lines(BufWriter<Box<dyn Write + Send>>, ExportSchema),
    Parquet(Box<ParquetRows<BufWriter<Box<dyn Write + Send>>>>),
}

impl RowWriter {
    fn new(
        out: Box<dyn Write + Send>,
        format: ExportFormat,
        schema: ExportSchema,
    ) -> io::Result<RowWriter> {
        let out = BufWriter::with_capacity(1 << 16, out);
        Ok(match format {
            ExportFormat::Ndjson => RowWriter::Lines(out, schema),
            ExportFormat::Parquet => {
                RowWriter::Parquet(Box::new(ParquetRows::new(out).map_err(io::Error::other)?))
            }
        })
    }

    fn write(&mut self, row: &Row<'_>) -> io::Result<()> {
        match self {
            RowWriter::Lines(out, schema) => {
                match schema {
                    ExportSchema::Whosaw => serde_json::to_writer(&mut *out, row)?,
                    ExportSchema::Ocsf => serde_json::to_writer(&mut *out, &ocsf::of(row))?,
                    ExportSchema::Ecs => serde_json::to_writer(&mut *out, &ecs::of(row))?,
                }
                out.write_all(b"\n")
            }
            RowWriter::Parquet(rows) => rows.write(row).map_err(io::Error::other),
        }
    }

    fn close(self) -> io::Result<()> {
        match self {
            RowWriter::Lines(mut out, _) => out.flush(),
            RowWriter::Parquet(rows) => rows.close().map_err(io::Error::other),
        }
    }
}

/// One stream of rows (a file, standard output).
struct Whole {
    out: Option<RowWriter>,
    /// The partial file and its final name.
    rename: Option<(PathBuf, PathBuf)>,
}

impl Sink for Whole {
    fn write(&mut self, row: &Row<'_>, _: &Event) -> io::Result<()> {
        match &mut self.out {
            Some(out) => out.write(row),
            None => Ok(()),
        }
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        if let Some(out) = self.out.take() {
            out.close()?;
        }
        if let Some((partial, path)) = self.rename.take() {
            fs::rename(partial, path)?;
        }
        Ok(())
    }
}

/// More files than this open at once are closed, and the next rows of
/// their partition go to a new part (a year of one store is 365
/// partitions; a Parquet file cannot be reopened to append).
const OPEN_AT_ONCE: usize = 64;

/// A folder of partitions by store and day (UTC).
struct Partitions {
    root: PathBuf,
    format: ExportFormat,
    schema: ExportSchema,
    open: HashMap<(Provider, String), RowWriter>,
    /// Parts begun in each partition.
    parts: HashMap<(Provider, String), usize>,
}

impl Sink for Partitions {
    fn write(&mut self, row: &Row<'_>, event: &Event) -> io::Result<()> {
        let day = event.time.to_datetime().format("%Y-%m-%d").to_string();
        let key = (event.provider, day);
        if !self.open.contains_key(&key) {
            if self.open.len() >= OPEN_AT_ONCE {
                for (_, out) in self.open.drain() {
                    out.close()?;
                }
            }
            let folder = self
                .root
                .join(format!("provider={}", key.0.as_str()))
                .join(format!("date={}", key.1));
            fs::create_dir_all(&folder)?;
            let part = self.parts.entry(key.clone()).or_default();
            let extension = match self.format {
                ExportFormat::Ndjson => "ndjson",
                ExportFormat::Parquet => "parquet",
            };
            let path = folder.join(format!("part-{part:05}.{extension}"));
            *part += 1;
            let file = File::create(&path)?;
            self.open.insert(
                key.clone(),
                RowWriter::new(Box::new(file), self.format, self.schema)?,
            );
        }
        self.open.get_mut(&key).expect("opened above").write(row)
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        let mut open: Vec<_> = self.open.drain().collect();
        open.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, out) in open {
            out.close()?;
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
