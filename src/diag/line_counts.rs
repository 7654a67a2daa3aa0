//! Which lines were reported, and how often, in memory that grows with the
//! number of stretches of consecutive lines rather than of lines.

/// Line numbers, each with how many times it was reported, as ascending
/// runs of consecutive lines reported equally often: a corrupt stretch of
/// any length is one run.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct LineCounts {
    runs: Vec<Run>,
    /// The sum of every line's reports.
    reports: u64,
}

/// Lines `first..=last`, each reported `times` times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Run {
    first: u64,
    last: u64,
    times: u64,
}

impl LineCounts {
    /// Every line's reports, added up.
    pub(super) fn reports(&self) -> u64 {
        self.reports
    }

    /// How many runs hold them.
    #[cfg(test)]
    pub(super) fn runs(&self) -> usize {
        self.runs.len()
    }

    /// Whether the runs ascend, apart, and add up to `reports`.
    pub(super) fn is_consistent(&self) -> bool {
        let ascending = self.runs.iter().all(|r| r.first <= r.last && r.times > 0)
            && self.runs.windows(2).all(|w| w[0].last < w[1].first);
        if !ascending {
            return false;
        }
        let sum = self.runs.iter().try_fold(0u64, |sum, r| {
            (r.last - r.first + 1)
                .checked_mul(r.times)?
                .checked_add(sum)
        });
        sum == Some(self.reports)
    }

    /// One more report of `line`.
    pub(super) fn push(&mut self, line: u64) {
        self.reports += 1;
        let one = Run {
            first: line,
            last: line,
            times: 1,
        };
        match self.runs.last_mut() {
            None => self.runs.push(one),
            Some(run) if line > run.last => extend(&mut self.runs, one),
            // The same line again (another record of a one-line container).
            Some(run) if line == run.last && run.first == line => run.times += 1,
            Some(run) if line == run.last => {
                run.last -= 1;
                let times = run.times + 1;
                self.runs.push(Run { times, ..one });
            }
            // Out of order: never from a scan, which reports lines in order.
            Some(_) => self.runs = merged(&self.runs, &[one]),
        }
    }

    /// Moves every line `base` lines further down.
    pub(super) fn shift(&mut self, base: u64) {
        for run in &mut self.runs {
            run.first += base;
            run.last += base;
        }
    }

    /// Adds `other`'s reports.
    pub(super) fn append(&mut self, other: LineCounts) {
        self.reports += other.reports;
        match (self.runs.last(), other.runs.first()) {
            (Some(mine), Some(theirs)) if theirs.first <= mine.last => {
                self.runs = merged(&self.runs, &other.runs);
            }
            _ => {
                for run in other.runs {
                    extend(&mut self.runs, run);
                }
            }
        }
    }

    pub(super) fn contains(&self, line: u64) -> bool {
        let at = self.runs.partition_point(|r| r.last < line);
        self.runs.get(at).is_some_and(|r| r.first <= line)
    }

    /// How many of `theirs`' reports fall on lines these hold.
    pub(super) fn reports_on(&self, theirs: &LineCounts) -> u64 {
        let (mut i, mut j, mut n) = (0, 0, 0);
        while let (Some(a), Some(b)) = (self.runs.get(i), theirs.runs.get(j)) {
            let (first, last) = (a.first.max(b.first), a.last.min(b.last));
            if first <= last {
                n += (last - first + 1) * b.times;
            }
            if a.last < b.last {
                i += 1;
            } else {
                j += 1;
            }
        }
        n
    }
}

/// Adds `run`, which starts after every run of `runs`, joining the last one
/// when it continues it.
fn extend(runs: &mut Vec<Run>, run: Run) {
    match runs.last_mut() {
        Some(last) if last.last.checked_add(1) == Some(run.first) && last.times == run.times => {
            last.last = run.last;
        }
        _ => runs.push(run),
    }
}

/// The runs of both, reports added where they overlap.
fn merged(a: &[Run], b: &[Run]) -> Vec<Run> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.iter().copied(), b.iter().copied());
    let (mut x, mut y) = (a.next(), b.next());
    loop {
        match (x, y) {
            (None, None) => return out,
            (Some(r), None) => {
                extend(&mut out, r);
                x = a.next();
            }
            (None, Some(r)) => {
                extend(&mut out, r);
                y = b.next();
            }
            (Some(r), Some(s)) if r.last < s.first => {
                extend(&mut out, r);
                x = a.next();
            }
            (Some(r), Some(s)) if s.last < r.first => {
                extend(&mut out, s);
                y = b.next();
            }
            (Some(r), Some(s)) => {
                // They overlap: what comes before, then the overlap.
                let (first, last) = (r.first.max(s.first), r.last.min(s.last));
                let before = if r.first < first { r } else { s };
                if before.first < first {
                    extend(
                        &mut out,
                        Run {
                            last: first - 1,
                            ..before
                        },
                    );
                }
                let times = r.times + s.times;
                extend(&mut out, Run { first, last, times });
                let rest = |run: Run| {
                    (run.last > last).then_some(Run {
                        first: last + 1,
                        ..run
                    })
                };
                x = rest(r).or_else(|| a.next());
                y = rest(s).or_else(|| b.next());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line counts against a plain list of every report, in any order.
    #[test]
    fn line_counts_count_like_a_list_of_every_report() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let count = |list: &[u64], line: u64| list.iter().filter(|&&l| l == line).count() as u64;
        for _ in 0..200 {
            let (mut a, mut b) = (LineCounts::default(), LineCounts::default());
            let (mut la, mut lb) = (Vec::new(), Vec::new());
            for (counts, list) in [(&mut a, &mut la), (&mut b, &mut lb)] {
                let mut line = next(5);
                for _ in 0..next(40) {
                    // Mostly ascending, with repeats and the odd step back.
                    line = match next(10) {
                        0 => line.saturating_sub(next(6)),
                        1..=3 => line,
                        _ => line + 1 + next(3) * next(2),
                    };
                    counts.push(line);
                    list.push(line);
                }
            }
            let on: u64 = lb.iter().filter(|l| la.contains(l)).count() as u64;
            assert_eq!(a.reports_on(&b), on);
            a.append(b);
            la.extend(lb);
            assert_eq!(a.reports, la.len() as u64);
            for line in 0..100 {
                assert_eq!(a.contains(line), la.contains(&line));
                let runs_say: u64 = a
                    .runs
                    .iter()
                    .filter(|r| r.first <= line && line <= r.last)
                    .map(|r| r.times)
                    .sum();
                assert_eq!(runs_say, count(&la, line));
            }
            assert!(a.runs.windows(2).all(|w| w[0].last < w[1].first));
        }
    }
}
