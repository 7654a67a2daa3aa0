//! Gzip streams that lose nothing before a fault. flate2's `read` decoders
//! drop the bytes inflated in the call that meets corruption (up to the
//! caller's buffer, megabytes with `read_to_end`); its `write` decoder keeps
//! them, so compressed bytes are pushed in and whatever came out before the
//! fault is still handed on, then the error. Multi-member files (`cat a.gz
//! b.gz`, log rotation) are read whole.

use std::io::{self, Read, Write};

use flate2::write::MultiGzDecoder;

/// Compressed bytes pushed per step.
const STEP: usize = 64 << 10;

pub(super) struct GzipStream<R> {
    compressed: R,
    decoder: MultiGzDecoder<Vec<u8>>,
    /// How much of the decoder's output has been handed on.
    taken: usize,
    input: Vec<u8>,
    /// Zero bytes read but not yet passed on (see `step`).
    held_zeros: usize,
    state: State,
}

enum State {
    Running,
    /// Every byte is out; the error comes next.
    Failed(Option<io::Error>),
    Done,
}

impl<R: Read> GzipStream<R> {
    pub(super) fn new(compressed: R) -> Self {
        GzipStream {
            compressed,
            decoder: MultiGzDecoder::new(Vec::with_capacity(STEP * 8)),
            taken: 0,
            input: vec![0; STEP],
            held_zeros: 0,
            state: State::Running,
        }
    }

    /// Pushes the next compressed bytes through the decoder. A run of zero
    /// bytes at the end of a read is held back until more data shows it
    /// belongs to the stream: at the end of the file it may be padding
    /// (a tape block, a preallocated file), which gzip itself ignores.
    fn step(&mut self) -> io::Result<()> {
        let n = match self.compressed.read(&mut self.input) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(()),
            Err(e) => return Err(e),
        };
        let result = if n == 0 {
            self.finish()
        } else {
            match self.input[..n].iter().rposition(|&b| b != 0) {
                Some(last) => {
                    let held = std::mem::replace(&mut self.held_zeros, n - last - 1);
                    self.write_zeros(held)
                        .and_then(|()| self.decoder.write_all(&self.input[..=last]))
                }
                None => {
                    self.held_zeros += n;
                    Ok(())
                }
            }
        };
        self.state = match result {
            Ok(()) if n == 0 => State::Done,
            Ok(()) => State::Running,
            Err(e) => {
                // Flushes the output inflated before the fault into our buffer.
                let _ = self.decoder.try_finish();
                State::Failed(Some(e))
            }
        };
        Ok(())
    }

    /// The end of the compressed bytes. Held-back zeros may end the last
    /// member's trailer; they go in one by one: if the decoder then rejects
    /// them as the header of a next member, the member was complete and the
    /// rest is padding.
    fn finish(&mut self) -> io::Result<()> {
        let held = std::mem::take(&mut self.held_zeros);
        for fed in 0..held {
            if let Err(e) = self.decoder.write_all(&[0]) {
                if e.to_string().contains("header") {
                    let _ = self.decoder.try_finish();
                    return Ok(());
                }
                return Err(e);
            }
            if fed >= PADDING_PROBE {
                // Still accepted: these zeros are data (or damage), not padding.
                self.write_zeros(held - fed - 1)?;
                break;
            }
        }
        self.decoder.try_finish()
    }

    fn write_zeros(&mut self, mut count: usize) -> io::Result<()> {
        const ZEROS: [u8; 4096] = [0; 4096];
        while count > 0 {
            let n = count.min(ZEROS.len());
            self.decoder.write_all(&ZEROS[..n])?;
            count -= n;
        }
        Ok(())
    }
}

/// Zero bytes fed one by one at the end: a member's trailer (8 bytes, which
/// may end in zeros) plus a next member's fixed header (10 bytes), which the
/// decoder reads whole before it rejects it.
const PADDING_PROBE: usize = 32;

impl<R: Read> Read for GzipStream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let out = self.decoder.get_mut();
            if self.taken < out.len() {
                let n = buf.len().min(out.len() - self.taken);
                buf[..n].copy_from_slice(&out[self.taken..self.taken + n]);
                self.taken += n;
                if self.taken == out.len() {
                    out.clear();
                    self.taken = 0;
                }
                return Ok(n);
            }
            match &mut self.state {
                State::Running => self.step()?,
                State::Done => return Ok(0),
                State::Failed(e) => {
                    return Err(e
                        .take()
                        .unwrap_or_else(|| io::Error::other("gzip stream already failed")));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};

    fn gz(text: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn reads_every_member() {
        let mut both = gz(b"one\n");
        both.extend(gz(b"two\n"));
        let mut out = String::new();
        GzipStream::new(&both[..]).read_to_string(&mut out).unwrap();
        assert_eq!(out, "one\ntwo\n");
    }

    #[test]
    fn zero_padding_after_the_last_member_is_ignored() {
        // The trailer of a short member ends in zero bytes (its size's high
        // bytes): those must still reach the decoder.
        let mut padded = gz(b"one\n");
        padded.extend([0u8; 512]);
        let mut out = String::new();
        GzipStream::new(&padded[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "one\n");
        let whole = gz(b"two\n");
        let mut out = String::new();
        GzipStream::new(&whole[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "two\n");
    }

    #[test]
    fn zeros_inside_a_member_are_still_damage() {
        let whole = gz(&b"x".repeat(100_000));
        let mut cut = whole[..whole.len() / 2].to_vec();
        cut.extend([0u8; 64]);
        let mut out = Vec::new();
        assert!(GzipStream::new(&cut[..]).read_to_end(&mut out).is_err());
    }

    #[test]
    fn a_cut_stream_gives_what_it_holds_then_an_error() {
        let text: Vec<u8> = (0..2000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let whole = gz(&text);
        let cut = &whole[..whole.len() - 12]; // trailer and some data gone
        let mut out = Vec::new();
        let err = GzipStream::new(cut).read_to_end(&mut out).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(!out.is_empty() && text.starts_with(&out));
    }
}
