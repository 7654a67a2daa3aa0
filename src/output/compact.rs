//! Tables that fit: the default layout of every table. Each cell is cut to
//! its column and to a few lines before comfy-table draws it, so a row
//! takes one to three lines and the table the terminal's width (100
//! columns when piped), however long the names, ids and lists in it.
//! `--wide` draws the full tables instead (`table::new_table`).

use comfy_table::{Cell, ColumnConstraint, Table, Width};
use unicode_width::UnicodeWidthStr;

/// Table width when standard output is not a terminal.
pub(crate) const PIPE_COLUMNS: u16 = 100;

/// Where tables are drawn: the terminal's width, and whether `--wide`
/// asked for the full tables.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fit {
    pub width: Option<u16>,
    pub wide: bool,
}

impl Fit {
    /// The columns a compact table may take.
    pub(crate) fn columns(self) -> usize {
        usize::from(self.width.unwrap_or(PIPE_COLUMNS))
    }
}

/// How a column's text is made to fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Each line kept as one line, cut in the middle (`arn:aws:iam::1…/alice`):
    /// ids, names and addresses, whose two ends tell them apart.
    Cut,
    /// Words wrapped to the column (sentences: reasons, hints).
    Wrap,
    /// Never narrowed (times).
    Whole,
}

/// One column: its header, how its text fits, and how narrow it may get.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Column {
    pub header: &'static str,
    pub shape: Shape,
    /// The fewest characters it is given when the table must shrink.
    pub min: usize,
    /// The most characters it is given, whatever its text (`usize::MAX`:
    /// as wide as its text).
    pub max: usize,
    /// The most lines a cell takes (`ROW_LINES`, or all for text that must
    /// be read whole: a rotation's instructions).
    pub lines: usize,
}

impl Column {
    pub(crate) const fn cut(header: &'static str, min: usize, max: usize) -> Column {
        Column {
            header,
            shape: Shape::Cut,
            min,
            max,
            lines: ROW_LINES,
        }
    }

    pub(crate) const fn wrap(header: &'static str, min: usize, max: usize) -> Column {
        Column {
            header,
            shape: Shape::Wrap,
            min,
            max,
            lines: ROW_LINES,
        }
    }

    /// Wrapped, and never cut short, however many lines it takes.
    pub(crate) const fn whole_text(header: &'static str, min: usize) -> Column {
        Column {
            header,
            shape: Shape::Wrap,
            min,
            max: usize::MAX,
            lines: usize::MAX,
        }
    }

    pub(crate) const fn whole(header: &'static str) -> Column {
        Column {
            header,
            shape: Shape::Whole,
            min: 0,
            max: usize::MAX,
            lines: ROW_LINES,
        }
    }
}

/// The most lines a row takes.
pub(crate) const ROW_LINES: usize = 3;

/// A compact table of `rows` (cells as text, already escaped), each cell
/// cut to its column and to `ROW_LINES` lines; `colours` paints cells.
pub(crate) fn table(fit: Fit, columns: &[Column], rows: Vec<Row>) -> Table {
    let widths = widths(fit.columns(), columns, &rows);
    let mut t = super::table::new_table(
        Some(u16::try_from(fit.columns()).unwrap_or(u16::MAX)),
        &columns.iter().map(|c| c.header).collect::<Vec<_>>(),
    );
    t.set_constraints(widths.iter().map(|&w| {
        // Widths count the padding, one space each side.
        let w = u16::try_from(w + 2).unwrap_or(u16::MAX);
        ColumnConstraint::Absolute(Width::Fixed(w))
    }));
    for row in rows {
        let cells = row.cells.into_iter().zip(columns.iter().zip(&widths)).map(
            |((text, colour), (column, &width))| {
                let cell = Cell::new(fitted(&text, column.shape, width, column.lines));
                match colour {
                    Some(c) => cell.fg(c),
                    None => cell,
                }
            },
        );
        t.add_row(cells.collect::<Vec<_>>());
    }
    t
}

/// A table drawn in full with `--wide` and fitted otherwise, from the same
/// cells: what each column shows is the same, only how much of it.
pub(crate) struct Grid {
    fit: Fit,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
}

impl Grid {
    pub(crate) fn new(fit: Fit, columns: &[Column]) -> Grid {
        Grid {
            fit,
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn add_row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    pub(crate) fn build(self) -> Table {
        if self.fit.wide {
            let headers: Vec<&str> = self.columns.iter().map(|c| c.header).collect();
            let mut t = super::table::new_table(self.fit.width, &headers);
            for row in self.rows {
                t.add_row(row);
            }
            return t;
        }
        let rows = self.rows.into_iter().map(|cells| Row {
            cells: cells.iter().map(|c| (c.content(), None)).collect(),
        });
        table(self.fit, &self.columns, rows.collect())
    }
}

/// One row: each cell's text, and its colour if any.
#[derive(Default)]
pub(crate) struct Row {
    cells: Vec<(String, Option<comfy_table::Color>)>,
}

impl Row {
    pub(crate) fn text(mut self, text: impl Into<String>) -> Row {
        self.cells.push((text.into(), None));
        self
    }

    pub(crate) fn painted(
        mut self,
        text: impl Into<String>,
        colour: Option<comfy_table::Color>,
    ) -> Row {
        self.cells.push((text.into(), colour));
        self
    }
}

/// Each column's width: as wide as its text (up to its `max`); then, while
/// the table is wider than `columns`, columns give up characters down to
/// their `min`, the last column first (the first, the row's subject, last).
fn widths(columns: usize, specs: &[Column], rows: &[Row]) -> Vec<usize> {
    let mut widths: Vec<usize> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let text = rows
                .iter()
                .filter_map(|r| r.cells.get(i))
                .flat_map(|(text, _)| text.lines())
                .map(UnicodeWidthStr::width)
                .max()
                .unwrap_or(0);
            text.max(spec.header.width()).min(spec.max).max(1)
        })
        .collect();
    // Borders: one between columns and one at each side; padding: two.
    let frame = specs.len() + 1 + 2 * specs.len();
    let room = columns.saturating_sub(frame);
    let mut over = widths.iter().sum::<usize>().saturating_sub(room);
    for (width, spec) in widths.iter_mut().zip(specs).rev() {
        if spec.shape == Shape::Whole {
            continue;
        }
        let give = over.min(width.saturating_sub(spec.min.max(1)));
        *width -= give;
        over -= give;
    }
    // Too narrow a terminal for even the minimum: the table overflows it.
    widths
}

/// `text` made to fit `width` characters and `max_lines` lines.
fn fitted(text: &str, shape: Shape, width: usize, max_lines: usize) -> String {
    let lines: Vec<String> = match shape {
        Shape::Whole => text.lines().map(str::to_string).collect(),
        Shape::Cut => text.lines().map(|l| middle_cut(l, width)).collect(),
        // Text read whole breaks a long word across lines rather than cut it.
        Shape::Wrap => text
            .lines()
            .flat_map(|l| wrapped(l, width, max_lines == usize::MAX))
            .collect(),
    };
    if lines.len() <= max_lines {
        return lines.join("\n");
    }
    let mut kept = lines[..max_lines].to_vec();
    let last = &mut kept[max_lines - 1];
    *last = end_cut(&format!("{last} …"), width);
    kept.join("\n")
}

/// `text` cut to `width` characters in its middle, with an ellipsis.
pub(crate) fn middle_cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width < 3 {
        return "…".into();
    }
    let half = (width - 1) / 2;
    let head = prefix(text, width - 1 - half);
    let tail = suffix(text, half);
    format!("{head}…{tail}")
}

/// `text` cut to `width` characters at its end, with an ellipsis.
fn end_cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    format!("{}…", prefix(text, width.saturating_sub(1)))
}

/// The longest start of `text` at most `width` wide.
fn prefix(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used > width {
            return &text[..i];
        }
    }
    text
}

/// The longest end of `text` at most `width` wide.
fn suffix(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices().rev() {
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used > width {
            return &text[i + c.len_utf8()..];
        }
    }
    text
}

/// `text` wrapped at spaces to `width`, in at most `max_lines` lines (the
/// last cut with an ellipsis); with no limit, long words are carried over
/// lines rather than cut.
pub(crate) fn wrap_words(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    fitted(text, Shape::Wrap, width, max_lines)
        .lines()
        .map(str::to_string)
        .collect()
}

/// `line` wrapped at spaces to `width`; a word longer than that is cut, or
/// with `break_words` carried on over the next lines.
fn wrapped(line: &str, width: usize, break_words: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for word in line.split(' ') {
        let needed = current.width() + usize::from(!current.is_empty()) + word.width();
        if needed <= width {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        let mut word = word;
        while break_words && word.width() > width && width > 0 {
            let head = prefix(word, width);
            out.push(head.to_string());
            word = &word[head.len()..];
        }
        current = end_cut(word, width);
    }
    out.push(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_ids_are_cut_in_the_middle_and_keep_both_ends() {
        let arn = "arn:aws:sts::111122223333:assumed-role/payments-api/i-0f1e2d3c4b5a69788";
        let cut = middle_cut(arn, 30);
        assert_eq!(cut.width(), 30);
        assert!(cut.starts_with("arn:aws:sts::11"), "{cut}");
        assert!(cut.ends_with("e2d3c4b5a69788"), "{cut}");
        assert_eq!(middle_cut("short", 30), "short");
        // Wide characters count as two columns.
        assert!(middle_cut(&"名".repeat(40), 21).width() <= 21);
    }

    #[test]
    fn a_cell_takes_at_most_three_lines_and_says_when_it_was_cut() {
        let hint = "revoke the active sessions of role arn:aws:iam::111122223333:role/ci-deploy \
                    (IAM: Revoke active sessions), then find who could assume it";
        let fit = fitted(hint, Shape::Wrap, 30, ROW_LINES);
        assert_eq!(fit.lines().count(), ROW_LINES, "{fit}");
        assert!(fit.lines().all(|l| l.width() <= 30), "{fit}");
        assert!(fit.ends_with('…'), "{fit}");
        assert_eq!(fitted("a b", Shape::Wrap, 30, ROW_LINES), "a b");
        // Instructions are wrapped, never cut: a word too long for the
        // column goes on over the next line.
        let whole = fitted(hint, Shape::Wrap, 30, usize::MAX);
        assert!(whole.lines().all(|l| l.width() <= 30), "{whole}");
        assert!(!whole.contains('…'), "{whole}");
        let words: String = hint.split_whitespace().collect();
        assert_eq!(whole.replace(['\n', ' '], ""), words);
    }

    #[test]
    fn a_table_fits_its_width_by_narrowing_what_can_be_cut() {
        let columns = [
            Column::cut("identity", 12, usize::MAX),
            Column::whole("seen"),
            Column::cut("from", 8, 17),
        ];
        let rows = [Row::default()
            .text("x".repeat(200))
            .text("2026-03-01T03:00:00.123456789Z")
            .text("2001:db8:ffff:ffff:ffff:ffff:ffff:1\n+3 more")];
        for columns_given in [80, 100, 140] {
            let fit = Fit {
                width: Some(columns_given),
                wide: false,
            };
            let t = table(
                fit,
                &columns,
                rows.iter()
                    .map(|r| Row {
                        cells: r.cells.clone(),
                    })
                    .collect(),
            );
            let text = t.to_string();
            for line in text.lines() {
                assert!(
                    line.width() <= usize::from(columns_given),
                    "{columns_given}: {line}"
                );
            }
            assert!(text.contains("2026-03-01T03:00:00.123456789Z"), "{text}");
        }
    }
}
