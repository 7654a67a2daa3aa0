//! The delivery: how many files, their names, folders and time windows,
//! and where the planted acts and the duplicate deliveries go.
//!
//! CloudTrail writes a file about every five minutes per region, named
//! `<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 random>.json.gz`
//! under `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`. Here each
//! file holds one five-minute window (plus a few late events) and 2,000 to
//! 5,000 records. Everything in a file is a pure function of the seed and
//! the file's number, so files can be written in any order, by any thread.

use std::path::PathBuf;

use crate::clock::{date_dir, file_stamp, time_string};
use crate::json::{ALNUM, chars};
use crate::rng::Rng;
use crate::scenario::Planted;
use crate::{ACCOUNT, REGION, START, WINDOW};

/// Records per file, and the mean record size they are sized with.
const RECORDS_LO: u64 = 2_000;
const RECORDS_HI: u64 = 5_000;
pub const MEAN_RECORD_BYTES: u64 = 1_650;

/// A planted act or a second delivery, placed at a fraction of a file.
#[derive(Clone, Copy)]
pub enum Item {
    /// Act `n` of the plan.
    Planted { n: usize },
    /// Random event `ordinal` of file `file`, delivered again.
    Echo { file: usize, ordinal: u64 },
}

pub struct FilePlan {
    /// Start of the five-minute window.
    pub window: i64,
    /// Uncompressed bytes of random traffic to write (whole events).
    pub target: u64,
    /// Relative to OUT-DIR.
    pub path: PathBuf,
    /// Sorted by position (fraction of `target`).
    pub items: Vec<(f64, Item)>,
}

/// A planted act with its time and file, and the file of its duplicate.
pub struct Placed {
    pub planted: Planted,
    pub time: i64,
    pub file: usize,
    pub dup_file: Option<usize>,
}

pub struct Layout {
    pub files: Vec<FilePlan>,
    pub placed: Vec<Placed>,
}

pub fn window_start(file: usize) -> i64 {
    START + file as i64 * WINDOW
}

pub fn plan(seed: u64, size: u64, planted: Vec<Planted>) -> Layout {
    let mut rng = Rng::keyed(&[seed, 0x4c41_594f_5554]); // "LAYOUT"
    let (lo, hi) = (
        RECORDS_LO * MEAN_RECORD_BYTES,
        RECORDS_HI * MEAN_RECORD_BYTES,
    );
    // File sizes: random in [lo, hi); the last takes what is left, and is
    // never smaller than lo/2 unless it is the only file.
    let mut targets = Vec::new();
    let mut left = size.max(1);
    while left > 0 {
        let t = rng.range(lo, hi);
        let t = if left < t + lo / 2 { left } else { t };
        targets.push(t);
        left -= t;
    }
    let n = targets.len();
    let mut files: Vec<FilePlan> = targets
        .into_iter()
        .enumerate()
        .map(|(i, target)| {
            let window = window_start(i);
            let delivered = window + WINDOW + rng.range(0, 60) as i64;
            let name = format!(
                "{ACCOUNT}_CloudTrail_{REGION}_{}_{}.json.gz",
                file_stamp(delivered),
                chars(&mut rng, ALNUM, 16)
            );
            let path = PathBuf::from(format!(
                "AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/{}",
                date_dir(delivered)
            ))
            .join(name);
            FilePlan {
                window,
                target,
                path,
                items: Vec::new(),
            }
        })
        .collect();

    let mut placed = Vec::with_capacity(planted.len());
    for (k, p) in planted.into_iter().enumerate() {
        let at = p.frac * n as f64;
        let file = (at as usize).min(n - 1);
        let time = window_start(file) + rng.below(WINDOW as usize) as i64;
        files[file]
            .items
            .push((at - file as f64, Item::Planted { n: k }));
        // CloudTrail's duplicates arrive in a later file.
        let dup_file = p.dup.then(|| (file + 1).min(n - 1));
        if let Some(d) = dup_file {
            files[d].items.push((rng.f64(), Item::Planted { n: k }));
        }
        placed.push(Placed {
            planted: p,
            time,
            file,
            dup_file,
        });
    }
    // A few random events are delivered twice, in the next file.
    for (f, file) in files.iter_mut().enumerate().skip(1) {
        if rng.chance(0.25) {
            for _ in 0..rng.range(1, 4) {
                let ordinal = rng.range(0, 500);
                file.items.push((
                    rng.f64(),
                    Item::Echo {
                        file: f - 1,
                        ordinal,
                    },
                ));
            }
        }
    }
    for file in &mut files {
        file.items.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    Layout { files, placed }
}

impl Layout {
    /// The time range covered, for the summary.
    pub fn span(&self) -> (String, String) {
        (
            time_string(START),
            time_string(window_start(self.files.len()) - 1),
        )
    }
}
