//! The only parallel code: files in parallel, and each mapped file split into
//! newline-aligned chunks scanned in parallel. Each chunk builds its own
//! results (no shared locks on the hot path); they are joined in input order,
//! so the output never depends on scheduling.

use indicatif::ProgressBar;
use rayon::prelude::*;
use std::io::Read;

use crate::diag::Diagnostics;
use crate::event::Entry;
use crate::input::{Fingerprint, InputFile, Opened, open};
use crate::scan::{BlockOut, Plan, scan_block};
use crate::source::vault;

/// Mapped files are cut into chunks of about this size (measured sweet spot:
/// big enough to amortise scheduling, small enough to balance two cores).
const CHUNK: usize = 8 << 20;
/// Streams are scanned in blocks of about this size.
const BLOCK: usize = 8 << 20;
/// How much of a file is looked at to decide whether it is a Vault log.
const SNIFF: usize = 1 << 20;
const SNIFF_LINES: usize = 20;

pub struct ScanOptions {
    pub allow_mmap: bool,
}

/// Everything one pass over the input produced.
pub struct ScanResult {
    pub entries: Vec<Entry>,
    /// File names, indexed by `Origin::file`.
    pub files: Vec<String>,
    pub events: u64,
    pub diags: Diagnostics,
    /// Each file as it was opened (`None`: not a regular file, or unreadable).
    pub fingerprints: Vec<Option<Fingerprint>>,
}

pub fn scan(
    files: &[InputFile],
    plan: &Plan<'_>,
    opts: &ScanOptions,
    progress: &ProgressBar,
) -> ScanResult {
    let per_file: Vec<FileOut> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            scan_file(
                u32::try_from(i).unwrap_or(u32::MAX),
                f,
                plan,
                opts,
                progress,
            )
        })
        .collect();
    let mut result = ScanResult {
        entries: Vec::new(),
        files: files.iter().map(|f| f.name.clone()).collect(),
        events: 0,
        diags: Diagnostics::default(),
        fingerprints: Vec::with_capacity(files.len()),
    };
    for mut file in per_file {
        result.events += file.out.events;
        result.entries.append(&mut file.out.entries);
        result.diags.append(file.diags);
        result.fingerprints.push(file.fingerprint);
    }
    result
}

/// What scanning one file gave.
struct FileOut {
    out: BlockOut,
    diags: Diagnostics,
    fingerprint: Option<Fingerprint>,
}

fn scan_file(
    index: u32,
    input: &InputFile,
    plan: &Plan<'_>,
    opts: &ScanOptions,
    progress: &ProgressBar,
) -> FileOut {
    let mut diags = Diagnostics::default();
    let name = input.name.as_str();
    let counted =
        |r: Box<dyn Read + Send>| -> Box<dyn Read + Send> { Box::new(progress.wrap_read(r)) };
    let (opened, fingerprint) = match open(input, opts.allow_mmap, &counted) {
        Ok(o) => o,
        Err(e) => {
            diags.skipped_file(name, &format!("cannot read: {e}"));
            return FileOut {
                out: BlockOut::default(),
                diags,
                fingerprint: None,
            };
        }
    };
    let out = match opened {
        Opened::Empty => {
            diags.note(name, "file is empty".into());
            BlockOut::default()
        }
        Opened::Mapped(map) => scan_mapped(&map, index, name, plan, progress, &mut diags),
        Opened::Stream { reader, compressed } => {
            scan_stream(reader, compressed, index, name, plan, &mut diags)
        }
    };
    for (line, message) in &out.malformed {
        diags.malformed(name, *line, message.clone());
    }
    if out.raw_values {
        diags.note(
            name,
            "holds raw tokens (the audit device logs with log_raw): treat this file as a secret; \
             whosaw never prints values"
                .into(),
        );
    }
    if let (Some(before), Some(path)) = (fingerprint, &input.path) {
        let after = std::fs::metadata(path).map(|m| Fingerprint::of(&m));
        if after.as_ref().ok() != Some(&before) {
            diags.partial(
                name,
                None,
                "the file changed while it was being read: the answer may not match the evidence; \
                 re-run on a stable copy"
                    .into(),
            );
        }
    }
    FileOut {
        out,
        diags,
        fingerprint,
    }
}

fn scan_mapped(
    data: &[u8],
    index: u32,
    name: &str,
    plan: &Plan<'_>,
    progress: &ProgressBar,
    diags: &mut Diagnostics,
) -> BlockOut {
    if let Err(why) = sniff(&data[..data.len().min(SNIFF)], data.len() > SNIFF) {
        diags.skipped_file(name, &why);
        progress.inc(data.len() as u64);
        return BlockOut::default();
    }
    let outs: Vec<BlockOut> = newline_chunks(data, CHUNK)
        .par_iter()
        .map(|chunk| {
            let out = scan_block(chunk, plan, index);
            progress.inc(chunk.len() as u64);
            out
        })
        .collect();
    let mut all = BlockOut::default();
    for out in outs {
        all.append(out);
    }
    all
}

/// Splits `data` into pieces of about `target` bytes, each ending just after
/// a newline (the last may end without one). A line longer than `target`
/// simply makes its chunk longer.
fn newline_chunks(data: &[u8], target: usize) -> Vec<&[u8]> {
    let mut chunks = Vec::with_capacity(data.len() / target + 1);
    let mut start = 0;
    while start < data.len() {
        let mut end = (start + target).min(data.len());
        if end < data.len() {
            end = memchr::memchr(b'\n', &data[end..]).map_or(data.len(), |p| end + p + 1);
        }
        chunks.push(&data[start..end]);
        start = end;
    }
    chunks
}

fn scan_stream(
    mut reader: Box<dyn Read + Send>,
    compressed: bool,
    index: u32,
    name: &str,
    plan: &Plan<'_>,
    diags: &mut Diagnostics,
) -> BlockOut {
    let mut stream = Stream {
        buf: Vec::with_capacity(BLOCK + (1 << 16)),
        searched: 0,
        skipping: false,
        sniffed: false,
        done: BlockOut::default(),
        index,
        name,
        plan,
    };
    loop {
        let want = (BLOCK.saturating_sub(stream.buf.len())).max(1 << 20) as u64;
        match (&mut reader).take(want).read_to_end(&mut stream.buf) {
            Ok(0) => {
                if !stream.skipping {
                    stream.flush(true, diags);
                }
                return stream.done;
            }
            Ok(_) => {
                if !stream.absorb(diags) {
                    return stream.done;
                }
            }
            Err(e) => {
                let what = if compressed {
                    "corrupt or truncated gzip"
                } else {
                    "read error"
                };
                // The partial last line before the fault is not evidence.
                let cut = memchr::memrchr(b'\n', &stream.buf).map_or(0, |p| p + 1);
                stream.buf.truncate(cut);
                if stream.skipping || stream.flush(true, diags) {
                    diags.partial(
                        name,
                        Some(stream.done.lines + 1),
                        format!("{what} ({e}); the rest of the file could not be read"),
                    );
                }
                return stream.done;
            }
        }
    }
}

/// A line longer than this is reported and skipped rather than buffered:
/// no audit entry is this long, and a hostile one must not exhaust memory.
const MAX_LINE: usize = 256 << 20;

/// A stream being scanned block by block.
struct Stream<'a, 'q> {
    /// Bytes read and not yet scanned.
    buf: Vec<u8>,
    /// How much of `buf` is known to hold no newline, so a long line is
    /// searched once, not again at every read.
    searched: usize,
    /// Inside a line longer than `MAX_LINE`: drop bytes up to its newline.
    skipping: bool,
    sniffed: bool,
    done: BlockOut,
    index: u32,
    name: &'a str,
    plan: &'a Plan<'q>,
}

impl Stream<'_, '_> {
    /// Takes in what the last read added. Returns false when the stream
    /// turned out not to be a Vault log and was skipped.
    fn absorb(&mut self, diags: &mut Diagnostics) -> bool {
        if self.skipping {
            match memchr::memchr(b'\n', &self.buf) {
                Some(p) => {
                    self.buf.drain(..=p);
                    self.skipping = false;
                    self.searched = 0;
                }
                None => {
                    self.buf.clear();
                    return true;
                }
            }
        }
        if self.buf.len() < BLOCK {
            return true;
        }
        if memchr::memrchr(b'\n', &self.buf[self.searched..]).is_some() {
            return self.flush(false, diags);
        }
        self.searched = self.buf.len();
        if self.buf.len() > MAX_LINE {
            self.done.lines += 1;
            self.done.events += 1;
            self.done.malformed.push((
                self.done.lines,
                format!("line longer than {} MiB: skipped", MAX_LINE >> 20),
            ));
            self.buf.clear();
            self.searched = 0;
            self.skipping = true;
            self.sniffed = true;
        }
        true
    }

    /// Scans the complete lines in the buffer (all of it at the end of the
    /// stream) and keeps the unfinished last line. Returns false when the
    /// stream turned out not to be a Vault log and was skipped.
    fn flush(&mut self, at_end: bool, diags: &mut Diagnostics) -> bool {
        let cut = if at_end {
            self.buf.len()
        } else {
            match memchr::memrchr(b'\n', &self.buf[self.searched..]) {
                Some(p) => self.searched + p + 1,
                None => return true,
            }
        };
        if !self.sniffed {
            self.sniffed = true;
            let window = cut.min(SNIFF);
            if let Err(why) = sniff(&self.buf[..window], window < cut) {
                diags.skipped_file(self.name, &why);
                return false;
            }
        }
        self.done
            .append(scan_block(&self.buf[..cut], self.plan, self.index));
        self.buf.drain(..cut);
        // What is left is the start of a line: it holds no newline.
        self.searched = self.buf.len();
        true
    }
}

/// Decides whether the start of a file is a Vault audit log: one of its
/// first non-blank lines must decode as a Vault entry. A file cut at its
/// start still passes on its second line; a CSV or a CloudTrail export does
/// not. `cut_short` says the window ends inside the file: its last line may
/// be incomplete and is not judged (a first line over the window's size
/// leaves nothing to judge, and the file is read).
fn sniff(head: &[u8], cut_short: bool) -> Result<(), String> {
    let complete = if cut_short {
        match memchr::memrchr(b'\n', head) {
            Some(p) => &head[..p],
            None => return Ok(()),
        }
    } else {
        head
    };
    let mut first_error = None;
    for line in complete
        .split(|&b| b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .take(SNIFF_LINES)
    {
        let verdict = std::str::from_utf8(line)
            .map_err(|_| "not UTF-8 text".to_string())
            .and_then(|text| {
                vault::parse_line(text)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            });
        match verdict {
            Ok(()) => return Ok(()),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        None => Ok(()),
        Some(e) => Err(format!("not a Vault audit log, skipped (first line: {e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_end_on_newlines_and_cover_everything() {
        let data = b"aaaa\nbb\ncccccccc\nd";
        let chunks = newline_chunks(data, 3);
        assert_eq!(chunks, vec![&b"aaaa\n"[..], b"bb\ncccccccc\n", b"d"]);
        assert_eq!(chunks.concat(), data);
    }

    #[test]
    fn sniff_accepts_vault_even_after_a_cut_first_line() {
        let good = r#"{"time":"2025-03-15T02:34:12Z","type":"request","request":{"operation":"list","path":"secret/"}}"#;
        assert!(sniff(format!("ount_point\":\"x\"}}\n{good}\n").as_bytes(), false).is_ok());
        assert!(sniff(b"", false).is_ok());
        let err = sniff(b"name,age\nbob,3\n", false).unwrap_err();
        assert!(err.contains("not a Vault audit log"), "{err}");
        // A window cut inside its only line judges nothing.
        assert!(sniff(b"{\"type\":\"response\",\"auth\":{\"x\":[1,2", true).is_ok());
        let err = sniff(br#"{"Records":[]}"#, false).unwrap_err();
        assert!(err.contains("not a Vault audit entry"), "{err}");
    }
}
