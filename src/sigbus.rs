//! A mapped file that another process truncates raises SIGBUS when the lost
//! pages are touched. Recovering is not possible safely in Rust; saying what
//! happened, and to which file, is. Each mapped file is registered with its
//! address range (`Watched`); the handler finds the faulting address among
//! them, writes a message naming the file, and exits with status 2.

use std::ops::Deref;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use memmap2::Mmap;

const BEFORE: &[u8] = b"whosaw: error: ";
const UNKNOWN: &[u8] = b"a log file";
const AFTER: &[u8] = b" shrank while it was being read (SIGBUS on a memory-mapped file); \
no answer was produced. Re-run on a stable copy, or with --no-mmap.\n";

/// At most this many mapped files are named at once (one per worker, in
/// practice); beyond, the message says "a log file".
const SLOTS: usize = 256;

/// A mapped range and its file's name, readable from the handler: `start`
/// is set last and cleared first, so a slot seen with a start is whole.
struct Slot {
    start: AtomicUsize,
    end: AtomicUsize,
    name: AtomicPtr<u8>,
    len: AtomicUsize,
}

/// `start` while a slot is being filled or emptied.
const BUSY: usize = usize::MAX;

static TABLE: [Slot; SLOTS] = [const {
    Slot {
        start: AtomicUsize::new(0),
        end: AtomicUsize::new(0),
        name: AtomicPtr::new(std::ptr::null_mut()),
        len: AtomicUsize::new(0),
    }
}; SLOTS];

/// A mapped file, registered by name for as long as it is mapped.
pub(crate) struct Watched {
    map: Mmap,
    slot: Option<usize>,
    /// Kept alive while the slot points at it (escaped: names are printed).
    _name: Box<[u8]>,
}

impl Watched {
    pub(crate) fn new(map: Mmap, name: &str) -> Watched {
        let name: Box<[u8]> = crate::output::sanitize::escape(name)
            .as_bytes()
            .to_vec()
            .into_boxed_slice();
        let start = map.as_ptr() as usize;
        let slot = TABLE.iter().position(|s| {
            s.start
                .compare_exchange(0, BUSY, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        });
        if let Some(i) = slot {
            let s = &TABLE[i];
            s.end.store(start + map.len(), Ordering::Relaxed);
            s.name.store(name.as_ptr().cast_mut(), Ordering::Relaxed);
            s.len.store(name.len(), Ordering::Relaxed);
            s.start.store(start, Ordering::Release);
        }
        Watched {
            map,
            slot,
            _name: name,
        }
    }
}

impl Deref for Watched {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.map
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if let Some(i) = self.slot {
            let s = &TABLE[i];
            s.start.store(BUSY, Ordering::Release);
            s.name.store(std::ptr::null_mut(), Ordering::Relaxed);
            s.len.store(0, Ordering::Relaxed);
            s.end.store(0, Ordering::Relaxed);
            s.start.store(0, Ordering::Release);
        }
    }
}

/// The name of the mapped file holding `address`, if one is registered.
fn name_at(address: usize) -> Option<&'static [u8]> {
    TABLE.iter().find_map(|s| {
        let start = s.start.load(Ordering::Acquire);
        if start == 0
            || start == BUSY
            || address < start
            || address >= s.end.load(Ordering::Relaxed)
        {
            return None;
        }
        let (name, len) = (
            s.name.load(Ordering::Relaxed),
            s.len.load(Ordering::Relaxed),
        );
        // SAFETY: the name lives as long as its `Watched`, which is alive
        // while its map is being read (the only time this runs).
        (!name.is_null()).then(|| unsafe { std::slice::from_raw_parts(name.cast_const(), len) })
    })
}

extern "C" fn on_sigbus(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: write(2) and _exit(2) are async-signal-safe; the name is read
    // from atomics and memory its owner keeps alive; nothing allocates.
    unsafe {
        let address = if info.is_null() {
            0
        } else {
            (*info).si_addr() as usize
        };
        let name = name_at(address).unwrap_or(UNKNOWN);
        for part in [BEFORE, name, AFTER] {
            libc::write(2, part.as_ptr().cast(), part.len());
        }
        libc::_exit(2);
    }
}

/// Installs the handler for the rest of the process.
pub(crate) fn install() {
    // SAFETY: a zeroed sigaction with a handler taking siginfo and an empty
    // mask is a valid argument; the handler is async-signal-safe.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
        action.sa_flags = libc::SA_SIGINFO;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_inside_a_mapped_file_names_it_until_it_is_unmapped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        std::fs::write(&path, b"{\"time\":\"x\"}\n").unwrap();
        let file = std::fs::File::open(&path).unwrap();
        // SAFETY: a private read-only map of a file this test owns.
        let map = unsafe { Mmap::map(&file) }.unwrap();
        let inside = map.as_ptr() as usize + 3;
        let watched = Watched::new(map, "logs/\x1b[2Jaudit.log");
        assert_eq!(name_at(inside), Some(&b"logs/\\x1b[2Jaudit.log"[..]));
        assert_eq!(watched[0], b'{');
        drop(watched);
        assert_eq!(name_at(inside), None);
    }
}
