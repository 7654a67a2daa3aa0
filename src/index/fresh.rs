//! Is a segment still true of its file? Judged by what the file system
//! says of it (device, inode, size, modification time) and by a hash of
//! sampled blocks of its content: the first and last 64 KiB and 14 blocks
//! of 4 KiB spread between. A file that only grew (a log appended to) has
//! the same samples where it used to be.
//!
//! The hash is XXH3-128: the samples tell a changed file from an unchanged
//! one, not a forged one (bytes between the samples are not looked at
//! anyway); `index --verify` compares everything.

use std::fs::{File, Metadata};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::input::Fingerprint;
use xxhash_rust::xxh3::Xxh3;

const EDGE: u64 = 64 << 10;
const INNER: u64 = 4 << 10;
const INNER_SAMPLES: u64 = 14;

/// What a file looked like when it was indexed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FileState {
    pub dev: u64,
    pub ino: u64,
    pub len: u64,
    pub mtime: i64,
    pub mtime_nsec: i64,
    /// XXH3-128 of the sampled blocks, in order, as hex.
    pub samples: String,
}

/// How a segment stands against its file now.
pub(super) enum Judged {
    Fresh,
    /// Only appended to since: the segment holds its first `len` bytes.
    Grown,
    Stale,
}

/// Where the samples of a file of `len` bytes are: (offset, length).
fn sample_spans(len: u64) -> Vec<(u64, u64)> {
    let mut spans = vec![(0, len.min(EDGE))];
    if len > 2 * EDGE {
        for k in 1..=INNER_SAMPLES {
            let at = len / (INNER_SAMPLES + 1) * k;
            spans.push((at, INNER.min(len - at)));
        }
    }
    if len > EDGE {
        spans.push((len - EDGE, EDGE));
    }
    spans
}

/// The hash of the samples of the file's first `len` bytes.
fn samples(file: &File, len: u64) -> std::io::Result<String> {
    thread_local! {
        // One buffer per thread: a query judges hundreds of files.
        static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0u8; EDGE as usize]);
    }
    let mut hash = Xxh3::new();
    BUF.with_borrow_mut(|buf| {
        for (at, n) in sample_spans(len) {
            let buf = &mut buf[..n as usize];
            file.read_exact_at(buf, at)?;
            hash.update(buf);
        }
        Ok::<_, std::io::Error>(())
    })?;
    Ok(format!("{:032x}", hash.digest128()))
}

impl FileState {
    /// The state of an open file (its metadata: `meta`).
    pub(super) fn of(file: &File, meta: &Metadata) -> std::io::Result<FileState> {
        Ok(FileState {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: meta.mtime(),
            mtime_nsec: meta.mtime_nsec(),
            samples: samples(file, meta.len())?,
        })
    }

    /// How this state (from when it was indexed) stands against the file at
    /// `path` now; `appendable`: the segment may be extended by what was
    /// added at the end.
    /// Also gives the file as it was judged, as a scan would have seen it
    /// opening it.
    pub(super) fn judge(
        &self,
        path: &Path,
        appendable: bool,
    ) -> std::io::Result<(Judged, Fingerprint)> {
        let file = crate::input::open_read_only(path)?;
        let meta = file.metadata()?;
        let seen = Fingerprint::of(&meta);
        let same_file = meta.dev() == self.dev && meta.ino() == self.ino;
        let unchanged = same_file
            && meta.len() == self.len
            && meta.mtime() == self.mtime
            && meta.mtime_nsec() == self.mtime_nsec;
        let grown = same_file && appendable && meta.len() > self.len;
        if !(unchanged || grown) || samples(&file, self.len)? != self.samples {
            return Ok((Judged::Stale, seen));
        }
        let judged = match unchanged {
            true => Judged::Fresh,
            false => Judged::Grown,
        };
        Ok((judged, seen))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_file_that_grew_is_told_from_one_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let mut f = File::create(&path).unwrap();
        let line = "{\"x\":1}\n".repeat(40_000);
        f.write_all(line.as_bytes()).unwrap();
        drop(f);
        let open = || File::open(&path).unwrap();
        let state = FileState::of(&open(), &open().metadata().unwrap()).unwrap();
        assert!(matches!(state.judge(&path, true).unwrap().0, Judged::Fresh));
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"{\"x\":2}\n").unwrap();
        drop(f);
        assert!(matches!(state.judge(&path, true).unwrap().0, Judged::Grown));
        assert!(matches!(
            state.judge(&path, false).unwrap().0,
            Judged::Stale
        ));
        // A byte changed in the middle, where a sample is.
        let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        let at = state.len / 15 * 7;
        f.write_at(b"9", at + 1).unwrap();
        assert!(matches!(state.judge(&path, true).unwrap().0, Judged::Stale));
    }
}
