//! The bytes of one index file (a *segment*: one per input file), and
//! reading them back safely from a memory map.
//!
//! ```text
//! header   64 bytes  magic, format version, build id, block count, body
//!                    length, CRC-32 of the header and of the block sums
//! sums     4 × n     CRC-32 of each 4 KiB block of the body (small: a query
//!                    that reads a few scattered rows checks only their blocks)
//! body               sections, each found through the directory at its start
//! ```
//!
//! Every read goes through [`Segment::bytes`], which checks the CRC-32 of
//! each block it touches the first time it is touched: a query reads only
//! the blocks it needs, and never a byte that was not checked. A damaged,
//! truncated or foreign file is an error ([`Damaged`]), never a panic or a
//! wrong answer.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use memmap2::Mmap;

/// The first bytes of every segment.
pub(super) const MAGIC: &[u8; 8] = b"WHOSAWIX";
/// Raised whenever the layout changes.
pub(super) const FORMAT: u32 = 1;
/// The build that wrote a segment; another build rebuilds it (see build.rs).
pub(super) const BUILD_ID: &str = env!("WHOSAW_BUILD_ID");
pub(super) const HEADER: usize = 64;
pub(super) const BLOCK: usize = 4 << 10;

/// The sections of the body, in order.
#[derive(Clone, Copy, Debug)]
pub(super) enum Section {
    /// The file's facts, as JSON (`Meta`).
    Meta,
    /// Every string, one after the other.
    Strings,
    /// Where each string starts in `Strings`, and its end: `u64` × (n + 1).
    StringEnds,
    /// Each caller as `u32`s: id, id source, label, n, n × (key, value), n,
    /// n × policy.
    Callers,
    /// Where each caller starts in `Callers` (in `u32`s): `u64` × (n + 1).
    CallerEnds,
    /// Each secret as one `REF` record.
    Refs,
    /// The first row of each secret: `u64` × (n + 1).
    RefRows,
    /// The events, one `ROW` record each, grouped by secret in file order.
    Rows,
    /// Each identity (store, id) as one `IDENTITY` record.
    Identities,
    /// Where each identity's rows start in `IdentityRows`: `u64` × (n + 1).
    IdentityEnds,
    /// Row numbers (`u32`) of each identity's events, ascending.
    IdentityRows,
    /// Row numbers (`u32`) in file order.
    FileOrder,
}

pub(super) const SECTIONS: usize = 12;
/// The directory: one (offset, length) pair of `u64`s per section.
pub(super) const DIRECTORY: usize = SECTIONS * 16;
pub(super) const NONE: u32 = u32::MAX;
pub(super) const REF: usize = 16;
pub(super) const IDENTITY: usize = 8;
pub(super) const ROW: usize = 80;

/// Where each field of a row is.
pub(super) mod row {
    pub const SEQ: usize = 0;
    pub const CALLER: usize = 4;
    pub const OPERATION: usize = 8;
    pub const REASON: usize = 12;
    pub const CREDENTIAL: usize = 16;
    pub const ADDRESS: usize = 20;
    pub const USER_AGENT: usize = 24;
    pub const EXPORT_ID: usize = 28;
    pub const TIME: usize = 32;
    pub const LINE: usize = 40;
    pub const RECORD: usize = 48;
    pub const REQUEST_KIND: usize = 52;
    pub const PROVIDER: usize = 53;
    pub const ACTION: usize = 54;
    pub const KIND: usize = 55;
    pub const STAGE: usize = 56;
    pub const ERROR: usize = 57;
    pub const FLAGS: usize = 58;
    pub const DIGITS: usize = 59;
    pub const REF: usize = 60;
    pub const REQUEST: usize = 64;
}

/// Where each field of a secret's record (`Section::Refs`) is.
pub(super) mod secret {
    pub const NAME: usize = 0;
    pub const LOGICAL: usize = 4;
    pub const ALIAS: usize = 8;
    pub const PROVIDER: usize = 12;
    pub const SCOPE: usize = 13;
}

/// Where each field of an identity's record (`Section::Identities`) is.
pub(super) mod identity {
    pub const REALM: usize = 0;
    pub const ID: usize = 4;
}

/// Row flags.
pub(super) const CREATES: u8 = 1;
pub(super) const REQUEST_HALF: u8 = 2;
/// The record held values, or tokens, in clear (see `Event`).
pub(super) const VALUES_IN_CLEAR: u8 = 4;
pub(super) const TOKENS_IN_CLEAR: u8 = 8;

/// How a row's request id is kept.
pub(super) const REQUEST_NONE: u8 = 0;
pub(super) const REQUEST_UUID: u8 = 1;
pub(super) const REQUEST_TEXT: u8 = 2;

/// What is wrong with a segment.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Damaged {
    #[error("not a whosaw index")]
    Foreign,
    #[error("written by another build of whosaw")]
    OtherBuild,
    #[error("truncated")]
    Truncated,
    #[error("corrupt (checksum mismatch in block {0})")]
    Checksum(usize),
    #[error("corrupt ({0})")]
    Inconsistent(&'static str),
    /// Found once, told again to each reader of the strings.
    #[error("{0}")]
    Strings(String),
}

/// One segment, memory-mapped, checked as it is read.
pub(crate) struct Segment {
    map: Mmap,
    body: usize,
    blocks: usize,
    /// One bit per block: its checksum was found right.
    checked: Vec<AtomicU64>,
    sections: [(usize, usize); SECTIONS],
    /// Whether the strings and their ends were checked whole (blocks and
    /// UTF-8): done once, on first use, then read without checks.
    strings: OnceLock<Result<(), String>>,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(a)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// The header of a body of `len` bytes with these block sums.
pub(super) fn header(len: usize, sums: &[u8]) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[..8].copy_from_slice(MAGIC);
    h[8..12].copy_from_slice(&FORMAT.to_le_bytes());
    h[12..44].copy_from_slice(BUILD_ID.as_bytes());
    h[44..48].copy_from_slice(&((sums.len() / 4) as u32).to_le_bytes());
    h[48..56].copy_from_slice(&(len as u64).to_le_bytes());
    let sum = crc32fast::hash(&h[..56]);
    h[56..60].copy_from_slice(&sum.to_le_bytes());
    h[60..64].copy_from_slice(&crc32fast::hash(sums).to_le_bytes());
    h
}

/// The CRC-32 of each block of `body`.
pub(super) fn block_sums(body: &[u8]) -> Vec<u8> {
    body.chunks(BLOCK)
        .flat_map(|b| crc32fast::hash(b).to_le_bytes())
        .collect()
}

impl Segment {
    /// Checks the header, the block sums and the directory.
    pub(crate) fn open(map: Mmap) -> Result<Segment, Damaged> {
        let h = map.get(..HEADER).ok_or(Damaged::Truncated)?;
        if &h[..8] != MAGIC {
            return Err(Damaged::Foreign);
        }
        if crc32fast::hash(&h[..56]) != u32_at(h, 56) {
            return Err(Damaged::Checksum(0));
        }
        if u32_at(h, 8) != FORMAT || &h[12..44] != BUILD_ID.as_bytes() {
            return Err(Damaged::OtherBuild);
        }
        let blocks = u32_at(h, 44) as usize;
        let len = usize::try_from(u64_at(h, 48)).map_err(|_| Damaged::Truncated)?;
        let body = HEADER + blocks * 4;
        if len.div_ceil(BLOCK) != blocks || map.len() != body + len {
            return Err(Damaged::Truncated);
        }
        if crc32fast::hash(&map[HEADER..body]) != u32_at(h, 60) {
            return Err(Damaged::Checksum(0));
        }
        let mut segment = Segment {
            body,
            blocks,
            checked: (0..blocks.div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect(),
            sections: [(0, 0); SECTIONS],
            strings: OnceLock::new(),
            map,
        };
        let directory = segment.bytes(0, DIRECTORY)?;
        let mut sections = [(0, 0); SECTIONS];
        for (i, s) in sections.iter_mut().enumerate() {
            let at = usize::try_from(u64_at(directory, i * 16));
            let n = usize::try_from(u64_at(directory, i * 16 + 8));
            let (Ok(at), Ok(n)) = (at, n) else {
                return Err(Damaged::Inconsistent("section out of range"));
            };
            if at.checked_add(n).is_none_or(|end| end > len) {
                return Err(Damaged::Inconsistent("section out of range"));
            }
            *s = (at, n);
        }
        segment.sections = sections;
        Ok(segment)
    }

    /// `n` bytes of the body from `at`, every block of them checked.
    pub(super) fn bytes(&self, at: usize, n: usize) -> Result<&[u8], Damaged> {
        let end = at.checked_add(n).ok_or(Damaged::Truncated)?;
        let body = &self.map[self.body..];
        if end > body.len() {
            return Err(Damaged::Inconsistent("read past the end"));
        }
        if n > 0 {
            for block in at / BLOCK..=(end - 1) / BLOCK {
                self.check(block)?;
            }
        }
        Ok(&body[at..end])
    }

    fn check(&self, block: usize) -> Result<(), Damaged> {
        let word = &self.checked[block / 64];
        let bit = 1u64 << (block % 64);
        if word.load(Ordering::Relaxed) & bit != 0 {
            return Ok(());
        }
        let body = &self.map[self.body..];
        let start = block * BLOCK;
        let data = &body[start..(start + BLOCK).min(body.len())];
        let sum = u32_at(&self.map, HEADER + block * 4);
        if crc32fast::hash(data) != sum {
            return Err(Damaged::Checksum(block + 1));
        }
        word.fetch_or(bit, Ordering::Relaxed);
        Ok(())
    }

    /// The segment's size in bytes.
    pub(crate) fn size(&self) -> u64 {
        self.map.len() as u64
    }

    /// Checks every block (`index --verify`).
    pub(crate) fn check_all(&self) -> Result<(), Damaged> {
        (0..self.blocks).try_for_each(|b| self.check(b))
    }

    pub(super) fn section(&self, s: Section) -> (usize, usize) {
        self.sections[s as usize]
    }

    /// The whole section.
    pub(super) fn section_bytes(&self, s: Section) -> Result<&[u8], Damaged> {
        let (at, n) = self.section(s);
        self.bytes(at, n)
    }

    /// Item `i` of a section of fixed-size items.
    pub(super) fn item(&self, s: Section, size: usize, i: usize) -> Result<&[u8], Damaged> {
        let (at, n) = self.section(s);
        let off = i.checked_mul(size).ok_or(Damaged::Truncated)?;
        if off + size > n {
            return Err(Damaged::Inconsistent("item out of range"));
        }
        self.bytes(at + off, size)
    }

    /// How many items of `size` bytes a section holds.
    pub(super) fn count(&self, s: Section, size: usize) -> usize {
        self.section(s).1 / size
    }

    pub(super) fn u32_item(&self, s: Section, i: usize) -> Result<u32, Damaged> {
        Ok(u32_at(self.item(s, 4, i)?, 0))
    }

    pub(super) fn u64_item(&self, s: Section, i: usize) -> Result<usize, Damaged> {
        usize::try_from(u64_at(self.item(s, 8, i)?, 0))
            .map_err(|_| Damaged::Inconsistent("offset out of range"))
    }

    /// Every string, as one text, and where each ends.
    fn strings(&self) -> Result<(&str, &[u8]), Damaged> {
        let checked = self.strings.get_or_init(|| {
            let blob = self
                .section_bytes(Section::Strings)
                .map_err(|e| e.to_string())?;
            self.section_bytes(Section::StringEnds)
                .map_err(|e| e.to_string())?;
            std::str::from_utf8(blob)
                .map(|_| ())
                .map_err(|_| "corrupt (strings not UTF-8)".into())
        });
        if let Err(why) = checked {
            return Err(Damaged::Strings(why.clone()));
        }
        let body = &self.map[self.body..];
        let (at, n) = self.section(Section::Strings);
        // SAFETY: these bytes were found to be UTF-8 above (and the
        // segment's map is read-only, and never rewritten in place).
        let blob = unsafe { std::str::from_utf8_unchecked(&body[at..at + n]) };
        let (at, n) = self.section(Section::StringEnds);
        Ok((blob, &body[at..at + n]))
    }

    /// String `id`.
    pub(super) fn string(&self, id: u32) -> Result<&str, Damaged> {
        let (blob, ends) = self.strings()?;
        let i = id as usize * 8;
        let (Some(start), Some(end)) = (ends.get(i..i + 8), ends.get(i + 8..i + 16)) else {
            return Err(Damaged::Inconsistent("string out of range"));
        };
        let (start, end) = (u64_at(start, 0) as usize, u64_at(end, 0) as usize);
        // `get` also refuses an end inside a character.
        blob.get(start..end)
            .ok_or(Damaged::Inconsistent("string out of range"))
    }

    /// String `id`, or `None` for [`NONE`].
    pub(super) fn string_opt(&self, id: u32) -> Result<Option<&str>, Damaged> {
        match id {
            NONE => Ok(None),
            id => self.string(id).map(Some),
        }
    }
}

/// Reading the fields of one fixed-size record.
pub(super) struct Fields<'a>(pub &'a [u8]);

impl Fields<'_> {
    pub(super) fn u8(&self, at: usize) -> u8 {
        self.0[at]
    }

    pub(super) fn u32(&self, at: usize) -> u32 {
        u32_at(self.0, at)
    }

    pub(super) fn i64(&self, at: usize) -> i64 {
        self.u64(at) as i64
    }

    pub(super) fn u64(&self, at: usize) -> u64 {
        u64_at(self.0, at)
    }

    pub(super) fn u128(&self, at: usize) -> u128 {
        let mut a = [0u8; 16];
        a.copy_from_slice(&self.0[at..at + 16]);
        u128::from_le_bytes(a)
    }
}
