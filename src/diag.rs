//! Non-fatal problems with the input: counted per kind, the first few shown
//! with file and line, and folded into the exit status (partial coverage).

use std::io::Write;

/// What kind of problem, which decides what it costs the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
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
pub struct Diag {
    pub kind: Kind,
    pub file: String,
    pub line: Option<u64>,
    pub message: String,
}

/// Problems gathered over a run, in input order.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diag>,
    pub malformed_lines: u64,
    pub skipped_files: u64,
    /// Files read only in part, or that changed while read.
    pub incomplete_files: u64,
}

/// How many problems are shown before the rest are only counted.
const SHOWN: usize = 10;

impl Diagnostics {
    pub fn malformed(&mut self, file: &str, line: u64, message: String) {
        self.push(Kind::Malformed, file, Some(line), message);
    }

    pub fn skipped_file(&mut self, file: &str, message: &str) {
        self.push(Kind::SkippedFile, file, None, message.to_string());
    }

    /// Input that was read but is not trustworthy (changed during the run,
    /// cut short): partial coverage without a skipped line to count.
    pub fn partial(&mut self, file: &str, line: Option<u64>, message: String) {
        self.push(Kind::Partial, file, line, message);
    }

    pub fn note(&mut self, file: &str, message: String) {
        self.push(Kind::Note, file, None, message);
    }

    fn push(&mut self, kind: Kind, file: &str, line: Option<u64>, message: String) {
        self.add(Diag {
            kind,
            file: file.to_string(),
            line,
            message,
        });
    }

    fn add(&mut self, d: Diag) {
        match d.kind {
            Kind::Malformed => self.malformed_lines += 1,
            Kind::SkippedFile => self.skipped_files += 1,
            Kind::Partial => self.incomplete_files += 1,
            Kind::Note => {}
        }
        self.items.push(d);
    }

    pub fn append(&mut self, other: Diagnostics) {
        for d in other.items {
            self.add(d);
        }
    }

    /// Adds the problems of a second pass over the same input, leaving out
    /// those already reported, so nothing is counted twice. A line is the
    /// same problem whatever each pass called it (a pass that does not parse
    /// a line only sees that it is cut short).
    pub fn append_new(&mut self, other: Diagnostics) {
        let key = |d: &Diag| match d.line {
            Some(line) => (d.kind, d.file.clone(), Some(line), String::new()),
            None => (d.kind, d.file.clone(), None, d.message.clone()),
        };
        let known: std::collections::HashSet<_> = self.items.iter().map(key).collect();
        for d in other.items {
            if !known.contains(&key(&d)) {
                self.add(d);
            }
        }
    }

    /// Whether some input was skipped or unreliable.
    pub fn is_partial(&self) -> bool {
        self.items.iter().any(|d| d.kind != Kind::Note)
    }

    /// Writes the first few problems, then a count of the rest. File names
    /// and messages can hold attacker-chosen bytes: they are escaped.
    pub fn report(&self, out: &mut dyn Write) -> std::io::Result<()> {
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
        if self.items.len() > SHOWN {
            writeln!(
                out,
                "whosaw: … and {} more problems ({} malformed lines, {} skipped and {} incomplete \
                 files in all)",
                self.items.len() - SHOWN,
                self.malformed_lines,
                self.skipped_files,
                self.incomplete_files
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_do_not_make_coverage_partial() {
        let mut d = Diagnostics::default();
        d.note("a.log", "file is empty".into());
        assert!(!d.is_partial());
        d.malformed("a.log", 3, "truncated".into());
        assert!(d.is_partial());
        assert_eq!(d.malformed_lines, 1);
    }

    #[test]
    fn a_second_pass_adds_only_new_problems() {
        let mut first = Diagnostics::default();
        first.malformed("a.log", 3, "truncated".into());
        let mut second = Diagnostics::default();
        second.malformed("a.log", 3, "not valid JSON".into());
        second.malformed("a.log", 9, "truncated".into());
        first.append_new(second);
        assert_eq!(first.malformed_lines, 2);
    }

    #[test]
    fn report_shows_a_few_then_counts() {
        let mut d = Diagnostics::default();
        for line in 1..=25 {
            d.malformed("big.log", line, "truncated line".into());
        }
        let mut out = Vec::new();
        d.report(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), SHOWN + 1);
        assert!(text.contains("big.log:1: truncated line"));
        assert!(text.contains("15 more problems (25 malformed lines, 0 skipped"));
    }
}
