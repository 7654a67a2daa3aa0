//! Non-fatal problems with the input: counted per kind, the first few shown
//! with file and line, and folded into the exit status (partial coverage).
//! A corrupt file can hold millions of malformed lines: only the first
//! `KEPT_PER_FILE` of each file are kept with their reasons, and the rest
//! are counted, with their line numbers kept as runs of consecutive lines,
//! so that every count stays exact and a second pass over the same file
//! still knows which lines were already reported.

mod line_counts;

use std::collections::{HashMap, HashSet};
use std::io::Write;

use line_counts::LineCounts;

/// What kind of problem, which decides what it costs the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// A line that could not be used.
    Malformed,
    /// A file or folder that could not be read at all.
    SkippedFile,
    /// Input read but not trustworthy (changed during the run, cut short).
    Partial,
    /// Worth knowing, loses nothing (an empty file, a raw-value log).
    Note,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Diag {
    pub kind: Kind,
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
}

/// Problems gathered over a run, in input order.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    /// Every problem but the malformed lines of a file after its first
    /// `KEPT_PER_FILE`.
    items: Vec<Diag>,
    /// Problems counted but not kept in `items`.
    unkept: u64,
    /// Per file, every malformed line and how many of them `items` keeps.
    malformed_at: HashMap<String, FileMalformed>,
    pub malformed_lines: u64,
    pub skipped_files: u64,
    /// Files read only in part, or that changed while read.
    pub incomplete_files: u64,
}

/// How many problems are shown before the rest are only counted.
const SHOWN: usize = 10;

/// How many malformed lines of one file are kept with their reasons. At
/// least `SHOWN`, so every problem shown is kept.
const KEPT_PER_FILE: usize = 100;
const _: () = assert!(KEPT_PER_FILE >= SHOWN);

#[derive(Debug, Default)]
struct FileMalformed {
    lines: LineCounts,
    /// How many are in `Diagnostics::items`.
    kept: usize,
}

impl Diagnostics {
    /// Adds the malformed lines found in `file`.
    pub(crate) fn malformed_in(&mut self, file: &str, malformed: Malformed) {
        let reports = malformed.lines.reports();
        self.malformed_lines += reports;
        self.unkept += reports - malformed.kept.len() as u64;
        for (line, message) in malformed.kept {
            self.keep(Diag {
                kind: Kind::Malformed,
                file: file.to_string(),
                line: Some(line),
                message,
            });
        }
        self.file_malformed(file).lines.append(malformed.lines);
    }

    pub(crate) fn skipped_file(&mut self, file: &str, message: &str) {
        self.push(Kind::SkippedFile, file, None, message.to_string());
    }

    /// Input that was read but is not trustworthy (changed during the run,
    /// cut short): partial coverage without a skipped line to count.
    pub(crate) fn partial(&mut self, file: &str, line: Option<u64>, message: String) {
        self.push(Kind::Partial, file, line, message);
    }

    pub(crate) fn note(&mut self, file: &str, message: String) {
        self.push(Kind::Note, file, None, message);
    }

    /// One problem other than a malformed line.
    fn push(&mut self, kind: Kind, file: &str, line: Option<u64>, message: String) {
        let d = Diag {
            kind,
            file: file.to_string(),
            line,
            message,
        };
        self.count(d.kind, 1);
        self.keep(d);
    }

    fn count(&mut self, kind: Kind, n: u64) {
        match kind {
            Kind::Malformed => self.malformed_lines += n,
            Kind::SkippedFile => self.skipped_files += n,
            Kind::Partial => self.incomplete_files += n,
            Kind::Note => {}
        }
    }

    /// Keeps an already counted problem, unless it is a malformed line of
    /// a file that has its share kept already.
    fn keep(&mut self, d: Diag) {
        if d.kind == Kind::Malformed {
            let file = self.file_malformed(&d.file);
            if file.kept >= KEPT_PER_FILE {
                self.unkept += 1;
                return;
            }
            file.kept += 1;
        }
        self.items.push(d);
    }

    fn file_malformed(&mut self, file: &str) -> &mut FileMalformed {
        if !self.malformed_at.contains_key(file) {
            self.malformed_at
                .insert(file.to_string(), FileMalformed::default());
        }
        self.malformed_at.get_mut(file).expect("just inserted")
    }

    pub(crate) fn append(&mut self, other: Diagnostics) {
        self.malformed_lines += other.malformed_lines;
        self.skipped_files += other.skipped_files;
        self.incomplete_files += other.incomplete_files;
        self.unkept += other.unkept;
        for (file, theirs) in other.malformed_at {
            self.file_malformed(&file).lines.append(theirs.lines);
        }
        for d in other.items {
            self.keep(d);
        }
    }

    /// Adds the problems of a second pass over the same input, leaving out
    /// those already reported, so nothing is counted twice. A line is the
    /// same problem whatever each pass called it (a pass that does not parse
    /// a line only sees that it is cut short).
    pub(crate) fn append_new(&mut self, other: Diagnostics) {
        let key = |d: &Diag| match d.line {
            Some(line) => (d.kind, d.file.clone(), Some(line), String::new()),
            None => (d.kind, d.file.clone(), None, d.message.clone()),
        };
        // Malformed lines are told by `malformed_at`; every other problem
        // is kept.
        let known: HashSet<_> = self
            .items
            .iter()
            .filter(|d| d.kind != Kind::Malformed)
            .map(key)
            .collect();
        let is_new = |d: &Diag| match (d.kind, d.line) {
            (Kind::Malformed, Some(line)) => !self
                .malformed_at
                .get(&d.file)
                .is_some_and(|f| f.lines.contains(line)),
            _ => !known.contains(&key(d)),
        };
        let new: Vec<Diag> = other.items.into_iter().filter(is_new).collect();
        // Malformed lines not reported before, kept or not.
        for (file, theirs) in other.malformed_at {
            let mine = self.file_malformed(&file);
            let reports = theirs.lines.reports() - mine.lines.reports_on(&theirs.lines);
            mine.lines.append(theirs.lines);
            self.malformed_lines += reports;
            let kept = new
                .iter()
                .filter(|d| d.kind == Kind::Malformed && d.file == file)
                .count() as u64;
            self.unkept += reports - kept;
        }
        for d in new {
            if d.kind != Kind::Malformed {
                self.count(d.kind, 1);
            }
            self.keep(d);
        }
    }

    /// Whether some input was skipped or unreliable.
    pub(crate) fn is_partial(&self) -> bool {
        self.malformed_lines + self.skipped_files + self.incomplete_files > 0
    }

    /// Writes the first few problems, then a count of the rest. File names
    /// and messages can hold attacker-chosen bytes: they are escaped.
    pub(crate) fn report(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for d in self.items.iter().take(SHOWN) {
            let place = match d.line {
                Some(line) => format!("{}:{line}", d.file),
                None => d.file.clone(),
            };
            let label = match d.kind {
                Kind::Note => "note",
                _ => "warning",
            };
            writeln!(
                out,
                "whosaw: {label}: {}: {}",
                crate::output::sanitize::escape(&place),
                crate::output::sanitize::escape(&d.message)
            )?;
        }
        let all = self.items.len() as u64 + self.unkept;
        if all > SHOWN as u64 {
            writeln!(
                out,
                "whosaw: … and {} more problems ({} malformed lines, {} skipped and {} incomplete \
                 files in all)",
                all - SHOWN as u64,
                self.malformed_lines,
                self.skipped_files,
                self.incomplete_files
            )?;
        }
        Ok(())
    }
}

/// The malformed lines of one block or file, as a scan finds them: the
/// first `KEPT_PER_FILE` with their reasons, and every line counted.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Malformed {
    /// (line, reason), in the order found.
    kept: Vec<(u64, String)>,
    lines: LineCounts,
}

impl Malformed {
    /// A malformed line; `reason` is only asked for if it is kept.
    pub(crate) fn push(&mut self, line: u64, reason: impl FnOnce() -> String) {
        if self.kept.len() < KEPT_PER_FILE {
            self.kept.push((line, reason()));
        }
        self.lines.push(line);
    }

    /// How many were found (a line can be reported more than once: one
    /// per bad record of a one-line container).
    #[cfg(test)]
    pub(crate) fn len(&self) -> u64 {
        self.lines.reports()
    }

    /// The first ones found, with their reasons.
    #[cfg(test)]
    pub(crate) fn kept(&self) -> &[(u64, String)] {
        &self.kept
    }

    /// Moves line numbers `base` lines further down.
    pub(crate) fn shift_lines(&mut self, base: u64) {
        for (line, _) in &mut self.kept {
            *line += base;
        }
        self.lines.shift(base);
    }

    /// Whether its counts agree with each other (read back from an index,
    /// they must, or arithmetic on them could go wrong).
    pub(crate) fn is_consistent(&self) -> bool {
        self.lines.is_consistent() && self.kept.iter().all(|(line, _)| self.lines.contains(*line))
    }

    /// Adds those found after these (lines already shifted).
    pub(crate) fn append(&mut self, other: Malformed) {
        let room = KEPT_PER_FILE.saturating_sub(self.kept.len());
        self.kept.extend(other.kept.into_iter().take(room));
        self.lines.append(other.lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `lines` of `file` malformed, as one scan finds them.
    fn malformed(d: &mut Diagnostics, file: &str, lines: impl IntoIterator<Item = u64>) {
        let mut m = Malformed::default();
        for line in lines {
            m.push(line, || "truncated".into());
        }
        d.malformed_in(file, m);
    }

    fn report(d: &Diagnostics) -> String {
        let mut out = Vec::new();
        d.report(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn notes_do_not_make_coverage_partial() {
        let mut d = Diagnostics::default();
        d.note("a.log", "file is empty".into());
        assert!(!d.is_partial());
        malformed(&mut d, "a.log", [3]);
        assert!(d.is_partial());
        assert_eq!(d.malformed_lines, 1);
    }

    #[test]
    fn a_second_pass_adds_only_new_problems() {
        let mut first = Diagnostics::default();
        malformed(&mut first, "a.log", [3]);
        let mut second = Diagnostics::default();
        let mut m = Malformed::default();
        m.push(3, || "not valid JSON".into());
        m.push(9, || "truncated".into());
        second.malformed_in("a.log", m);
        first.append_new(second);
        assert_eq!(first.malformed_lines, 2);
    }

    #[test]
    fn report_shows_a_few_then_counts() {
        let mut d = Diagnostics::default();
        malformed(&mut d, "big.log", 1..=25);
        let text = report(&d);
        assert_eq!(text.lines().count(), SHOWN + 1);
        assert!(text.contains("big.log:1: truncated"));
        assert!(text.contains("15 more problems (25 malformed lines, 0 skipped"));
    }

    #[test]
    fn only_the_first_malformed_lines_of_a_file_are_kept_and_all_are_counted() {
        let mut d = Diagnostics::default();
        malformed(&mut d, "a.log", 1..=250);
        d.note("a.log", "holds secret material in clear".into());
        malformed(&mut d, "b.log", 1..=3);
        assert_eq!(d.malformed_lines, 253);
        assert_eq!(d.items.len(), KEPT_PER_FILE + 1 + 3);
        let text = report(&d);
        assert_eq!(text.lines().count(), SHOWN + 1);
        assert!(text.contains("a.log:10: truncated"), "{text}");
        assert!(
            text.contains("244 more problems (253 malformed lines"),
            "{text}"
        );
        // Files gathered one by one, as a scan does, keep the same.
        let mut all = Diagnostics::default();
        for (file, lines) in [("a.log", 1..=250), ("b.log", 1..=3)] {
            let mut one = Diagnostics::default();
            malformed(&mut one, file, lines);
            if file == "a.log" {
                one.note("a.log", "holds secret material in clear".into());
            }
            all.append(one);
        }
        assert_eq!(all.malformed_lines, 253);
        assert_eq!(report(&all), text);
        // A second pass over the same file knows every line reported, kept
        // or not, and counts each new report once.
        let mut second = Diagnostics::default();
        let mut m = Malformed::default();
        for line in (200..=260).chain([260, 260]) {
            m.push(line, || "not valid JSON".into());
        }
        second.malformed_in("a.log", m);
        d.append_new(second);
        assert_eq!(d.malformed_lines, 253 + 12);
        assert!(report(&d).contains("256 more problems (265 malformed lines"));
    }

    #[test]
    fn a_block_keeps_the_first_reasons_and_counts_the_rest() {
        let mut first = Malformed::default();
        for line in 1..=80 {
            first.push(line, || format!("bad {line}"));
        }
        let mut second = Malformed::default();
        for line in 1..=80 {
            second.push(line, || format!("bad {line}"));
        }
        second.push(80, || "again".into());
        second.shift_lines(80);
        first.append(second);
        assert_eq!(first.len(), 161);
        assert_eq!(first.kept().len(), KEPT_PER_FILE);
        assert_eq!(first.kept()[99], (100, "bad 20".to_string()));
        // 1..=159 once, then line 160 twice.
        assert_eq!(first.lines.runs(), 2);
        // Reasons are not even written once the block has enough.
        let mut asked = 0;
        for line in 1..=KEPT_PER_FILE as u64 + 5 {
            first.push(1000 + line, || {
                asked += 1;
                String::new()
            });
        }
        assert_eq!(asked, 0);
    }
}
