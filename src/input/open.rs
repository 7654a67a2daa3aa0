//! Opens one input without changing it: read-only, without updating its
//! access time where the system allows, and never writing beside it.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::time::SystemTime;

use memmap2::{Advice, Mmap};

use super::InputFile;
use super::gzip::GzipStream;

/// How the bytes of one input will be reached; `'a`: what the caller's
/// wrapper around a stream borrows.
pub(crate) enum Opened<'a> {
    /// A regular, non-empty, uncompressed file, mapped into memory (and
    /// named to the SIGBUS handler while it is).
    Mapped(crate::sigbus::Watched),
    /// Everything else, read front to back. `compressed` says whether gzip
    /// is being inflated (corruption is then reported as such).
    Stream {
        reader: Box<dyn Read + Send + 'a>,
        compressed: bool,
    },
    /// A regular file of zero bytes.
    Empty,
}

/// What a file looked like when it was opened; compared again after reading
/// to warn when the evidence changed under the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    pub len: u64,
    pub modified: Option<SystemTime>,
}

impl Fingerprint {
    pub(crate) fn of(meta: &std::fs::Metadata) -> Fingerprint {
        Fingerprint {
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Opens `input`. Gzip is recognised by its magic bytes, not its name.
/// `wrap` lets the caller count the raw bytes a stream consumes (progress).
pub(crate) fn open<'a>(
    input: &InputFile,
    allow_mmap: bool,
    wrap: &dyn Fn(Box<dyn Read + Send + 'a>) -> Box<dyn Read + Send + 'a>,
) -> io::Result<(Opened<'a>, Option<Fingerprint>)> {
    let Some(path) = &input.path else {
        let stdin: Box<dyn Read + Send> = Box::new(io::stdin());
        return Ok((sniff_stream(wrap(stdin))?, None));
    };
    let file = open_read_only(path)?;
    let meta = file.metadata()?;
    let fingerprint = Fingerprint::of(&meta);
    if !meta.is_file() {
        // `/dev/zero`, `/dev/urandom`, a terminal: endless, and no log.
        // Whoever means one gives it as standard input.
        if std::os::unix::fs::FileTypeExt::is_char_device(&meta.file_type()) {
            return Err(io::Error::other(
                "a character device, not a log file (to read one anyway, give it as \
                 standard input: `whosaw … - < DEVICE`)",
            ));
        }
        return Ok((sniff_stream(wrap(Box::new(file)))?, None));
    }
    if meta.len() == 0 {
        return Ok((Opened::Empty, Some(fingerprint)));
    }
    if is_gzip(&file)? {
        let reader = GzipStream::new(wrap(Box::new(file)));
        return Ok((
            Opened::Stream {
                reader: Box::new(reader),
                compressed: true,
            },
            Some(fingerprint),
        ));
    }
    if !allow_mmap {
        return Ok((
            Opened::Stream {
                reader: wrap(Box::new(file)),
                compressed: false,
            },
            Some(fingerprint),
        ));
    }
    // SAFETY: the map is read-only and private to this process. If another
    // process truncates the file while it is mapped, touching the lost pages
    // raises SIGBUS; `crate::sigbus` turns that into a clear message and exit
    // status 2, and `--no-mmap` avoids the map entirely (as ripgrep does).
    let map = unsafe { Mmap::map(&file)? };
    // Sequential read-ahead measured ~2× faster on cold files than the default.
    let _ = map.advise(Advice::Sequential);
    Ok((
        Opened::Mapped(crate::sigbus::Watched::new(map, &input.name)),
        Some(fingerprint),
    ))
}

/// Whether a file is gzip, by its magic bytes (never its name).
pub(crate) fn is_gzip(file: &File) -> io::Result<bool> {
    let mut magic = [0u8; 2];
    Ok(file.read_at(&mut magic, 0)? == 2 && magic == GZIP_MAGIC)
}

/// Standard input and pipes may carry gzip too: look at the first bytes.
fn sniff_stream<'a>(mut reader: Box<dyn Read + Send + 'a>) -> io::Result<Opened<'a>> {
    let mut head = Vec::with_capacity(2);
    (&mut reader).take(2).read_to_end(&mut head)?;
    let compressed = head == GZIP_MAGIC;
    let whole: Box<dyn Read + Send + 'a> = Box::new(io::Cursor::new(head).chain(reader));
    Ok(Opened::Stream {
        reader: if compressed {
            Box::new(GzipStream::new(whole))
        } else {
            whole
        },
        compressed,
    })
}

/// `O_NOATIME` keeps reading from changing the evidence's access time; the
/// kernel only allows it to the file's owner, so fall back without it.
pub(crate) fn open_read_only(path: &std::path::Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).custom_flags(libc::O_NOATIME);
    match options.open(path) {
        Ok(f) => Ok(f),
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => File::open(path),
        Err(e) => Err(e),
    }
}
