//! Writing files: one `{"Records":[...]}` line per file, random traffic
//! with the planted acts and second deliveries slotted in at their
//! positions, gzipped, by a few worker threads that take files in turn.

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::json::put;
use crate::layout::{Item, Layout, window_start};
use crate::ops::Out;
use crate::rng::Rng;
use crate::scenario;
use crate::summary::Tally;
use crate::traffic::random_event;
use crate::world::World;

/// Tags that keep the streams of random and planted events apart.
const RANDOM: u64 = 0x5241_4e44; // "RAND"
const PLANTED: u64 = 0x504c_414e; // "PLAN"

/// What one file holds.
#[derive(Default)]
pub struct FileStats {
    pub tally: Tally,
    /// Records delivered a second time (the copies only).
    pub dups: Tally,
    pub bytes: u64,
    pub gz_bytes: u64,
}

/// Writes every file of `layout` under `out`; stats in file order.
pub fn write_all(
    out: &Path,
    w: &World,
    layout: &Layout,
    seed: u64,
    threads: usize,
) -> io::Result<Vec<FileStats>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FileStats>>> =
        Mutex::new((0..layout.files.len()).map(|_| None).collect());
    let threads = threads.clamp(1, layout.files.len());
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> io::Result<()> {
                    // Reused across files: a file is a few MB before and after gzip.
                    let mut buf = Vec::with_capacity(8 << 20);
                    let mut gz = Vec::with_capacity(1 << 20);
                    loop {
                        let f = next.fetch_add(1, Ordering::Relaxed);
                        if f >= layout.files.len() {
                            return Ok(());
                        }
                        let stats = write_file(out, w, layout, seed, f, &mut buf, &mut gz)?;
                        results.lock().expect("no worker panics")[f] = Some(stats);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|h| h.join().expect("worker panicked"))
    })?;
    Ok(results
        .into_inner()
        .expect("no worker panics")
        .into_iter()
        .map(|s| s.expect("every file written"))
        .collect())
}

fn write_file(
    out: &Path,
    w: &World,
    layout: &Layout,
    seed: u64,
    f: usize,
    buf: &mut Vec<u8>,
    gz: &mut Vec<u8>,
) -> io::Result<FileStats> {
    let plan = &layout.files[f];
    let mut stats = FileStats::default();
    buf.clear();
    put(buf, "{\"Records\":[");
    let body = buf.len() as u64;
    let mut items = plan.items.iter().peekable();
    let mut rendered = Vec::new();
    let mut ordinal = 0u64;
    loop {
        let done = buf.len() as u64 - body;
        if done >= plan.target {
            break;
        }
        let at = done as f64 / plan.target as f64;
        while let Some(&(_, item)) = items.next_if(|(pos, _)| *pos <= at) {
            write_item(buf, w, layout, seed, f, item, &mut rendered, &mut stats);
        }
        let mut rng = Rng::keyed(&[seed, RANDOM, f as u64, ordinal]);
        let mut out = Out {
            b: buf,
            rng: &mut rng,
            tally: &mut stats.tally,
            w,
        };
        random_event(&mut out, plan.window);
        ordinal += 1;
    }
    for &(_, item) in items {
        write_item(buf, w, layout, seed, f, item, &mut rendered, &mut stats);
    }
    // One line, no trailing newline, as CloudTrail delivers it.
    put(buf, "]}");
    stats.bytes = buf.len() as u64;

    gz.clear();
    let mut enc = GzEncoder::new(std::mem::take(gz), Compression::new(6));
    enc.write_all(buf)?;
    *gz = enc.finish()?;
    stats.gz_bytes = gz.len() as u64;
    let path = out.join(&plan.path);
    fs::create_dir_all(path.parent().expect("files live in folders"))?;
    fs::write(&path, &*gz)?;
    Ok(stats)
}

/// A planted act, or a random event of the previous file delivered again.
/// Both are generated again from their own stream: the copy is the same
/// bytes, `eventID` included.
#[allow(clippy::too_many_arguments)]
fn write_item(
    buf: &mut Vec<u8>,
    w: &World,
    layout: &Layout,
    seed: u64,
    f: usize,
    item: Item,
    rendered: &mut Vec<usize>,
    stats: &mut FileStats,
) {
    match item {
        Item::Planted { n } => {
            let placed = &layout.placed[n];
            let dup = f != placed.file || rendered.contains(&n);
            rendered.push(n);
            let mut rng = Rng::keyed(&[seed, PLANTED, n as u64]);
            let mut out = Out {
                b: buf,
                rng: &mut rng,
                tally: if dup {
                    &mut stats.dups
                } else {
                    &mut stats.tally
                },
                w,
            };
            scenario::render(&mut out, &placed.planted.act, placed.time);
        }
        Item::Echo { file, ordinal } => {
            let mut rng = Rng::keyed(&[seed, RANDOM, file as u64, ordinal]);
            let mut out = Out {
                b: buf,
                rng: &mut rng,
                tally: &mut stats.dups,
                w,
            };
            random_event(&mut out, window_start(file));
        }
    }
}
