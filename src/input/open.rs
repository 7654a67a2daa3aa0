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
        return Ok((open_stream(wrap(stdin))?, None));
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
        return Ok((open_stream(wrap(Box::new(file)))?, None));
    }
    if meta.len() == 0 {
        return Ok((Opened::Empty, Some(fingerprint)));
    }
    if is_gzip(&file)? {
        return Ok((
            Opened::Stream {
                reader: gunzip(wrap(Box::new(file))),
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

/// `compressed` inflated as a gzip file is (every member, nothing lost
/// before a fault).
pub(crate) fn gunzip<'a>(compressed: Box<dyn Read + Send + 'a>) -> Box<dyn Read + Send + 'a> {
    Box::new(GzipStream::new(compressed))
}

/// Whether a file is gzip, by its magic bytes (never its name).
pub(crate) fn is_gzip(file: &File) -> io::Result<bool> {
    let mut magic = [0u8; 2];
    Ok(file.read_at(&mut magic, 0)? == 2 && magic == GZIP_MAGIC)
}

/// Standard input and pipes may carry gzip too: look at the first bytes.
pub(crate) fn open_stream<'a>(mut reader: Box<dyn Read + Send + 'a>) -> io::Result<Opened<'a>> {
    let mut head = Vec::with_capacity(2);
    (&mut reader).take(2).read_to_end(&mut head)?;
    let compressed = head == GZIP_MAGIC;
    let whole: Box<dyn Read + Send + 'a> = Box::new(io::Cursor::new(head).chain(reader));
    Ok(Opened::Stream {
        reader: if compressed { gunzip(whole) } else { whole },
        compressed,
    })
}

/// Set when `O_NOATIME` was refused for some input: its access time may
/// change as it is read (said once, see `atime_may_change`).
static NOATIME_REFUSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether some input, not this user's own, was read without `O_NOATIME`.
pub(crate) fn atime_may_change() -> bool {
    NOATIME_REFUSED.load(std::sync::atomic::Ordering::Relaxed)
}

/// `O_NOATIME` keeps reading from changing the evidence's access time; the
/// kernel only allows it to the file's owner, so fall back without it (and
/// remember to say so).
pub(crate) fn open_read_only(path: &std::path::Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).custom_flags(libc::O_NOATIME);
    match options.open(path) {
        Ok(f) => Ok(f),
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => {
            NOATIME_REFUSED.store(true, std::sync::atomic::Ordering::Relaxed);
            File::open(path)
        }
        Err(e) => Err(e),
    }
}

/// The names in a folder, listed through a descriptor opened with
/// `O_NOATIME` where the kernel allows it, so walking a folder of evidence
/// does not change its access time (`std::fs::read_dir` cannot ask for it).
pub(crate) fn list_dir(dir: &std::path::Path) -> io::Result<Vec<std::ffi::OsString>> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| io::Error::other("a NUL byte in the path"))?;
    let flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;
    // SAFETY: a NUL-terminated path and plain flags.
    let mut fd = unsafe { libc::open(path.as_ptr(), flags | libc::O_NOATIME) };
    if fd < 0 && io::Error::last_os_error().raw_os_error() == Some(libc::EPERM) {
        NOATIME_REFUSED.store(true, std::sync::atomic::Ordering::Relaxed);
        // SAFETY: as above.
        fd = unsafe { libc::open(path.as_ptr(), flags) };
    }
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is an open folder; `fdopendir` owns it from here, and
    // `closedir` below closes both, on every path.
    let stream = unsafe { libc::fdopendir(fd) };
    if stream.is_null() {
        let e = io::Error::last_os_error();
        // SAFETY: not taken over by a directory stream.
        unsafe { libc::close(fd) };
        return Err(e);
    }
    let mut names = Vec::new();
    let result = loop {
        // SAFETY: errno is this thread's; reset so an end is told from a fault.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: a live directory stream, read by this thread only.
        let entry = unsafe { libc::readdir(stream) };
        if entry.is_null() {
            let e = io::Error::last_os_error();
            break match e.raw_os_error() {
                Some(0) | None => Ok(()),
                Some(_) => Err(e),
            };
        }
        // SAFETY: `d_name` is NUL-terminated, valid until the next readdir.
        let name = unsafe { std::ffi::CStr::from_ptr((*entry).d_name.as_ptr()) }.to_bytes();
        if name != b"." && name != b".." {
            names.push(std::ffi::OsString::from_vec(name.to_vec()));
        }
    };
    // SAFETY: closes the stream and its descriptor once.
    unsafe { libc::closedir(stream) };
    result.map(|()| names)
}
