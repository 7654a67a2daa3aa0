//! A mapped file that another process truncates raises SIGBUS when the lost
//! pages are touched. Recovering is not possible safely in Rust; saying what
//! happened is. The handler writes a fixed message and exits with status 2.

const MESSAGE: &[u8] = b"whosaw: error: a log file shrank while it was being read \
(SIGBUS on a memory-mapped file); no answer was produced. Re-run on a stable copy, \
or with --no-mmap.\n";

extern "C" fn on_sigbus(_: libc::c_int) {
    // SAFETY: write(2) and _exit(2) are async-signal-safe; MESSAGE is static.
    unsafe {
        libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
        libc::_exit(2);
    }
}

/// Installs the handler for the rest of the process.
pub(crate) fn install() {
    // SAFETY: a zeroed sigaction with a plain handler and an empty mask is a
    // valid argument; the handler only calls async-signal-safe functions.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}
