//! CSV exports (Splunk's, Kibana's, Log Analytics', Athena's): a header of
//! column names, then one row per record, quoted fields holding newlines,
//! quotes and commas. A row that may hold a match is turned into the JSON
//! object its columns make (every value a string), which is what the JSON
//! exports of the same systems hold, so one set of rules opens both.

use serde_json::{Map, Value};

/// A CSV document: its header, then its rows, read one at a time (a row
/// is told whole when the next one starts).
pub(crate) struct Csv<'a> {
    /// The document after any byte-order mark; rows' spans index it.
    pub body: &'a [u8],
    header: Vec<String>,
    records: csv::ByteRecordsIntoIter<&'a [u8]>,
    /// The row read ahead, its end not yet known.
    pending: Option<Row>,
    line: u64,
    counted_to: usize,
}

/// One row: the line it starts on (1-based, counting the header), its
/// bytes in the body, and its fields, or why it could not be read.
pub(crate) struct Row {
    pub line: u64,
    pub start: usize,
    pub end: usize,
    fields: Result<csv::ByteRecord, String>,
}

impl<'a> Csv<'a> {
    /// Starts reading a CSV document: its header. A UTF-8 byte-order mark
    /// before it is skipped; CRLF and LF line ends are both read.
    pub(crate) fn read(data: &'a [u8]) -> Csv<'a> {
        let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
        let reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(body);
        let mut records = reader.into_byte_records();
        let header: Vec<String> = match records.next() {
            Some(Ok(header)) => header
                .iter()
                .map(|name| String::from_utf8_lossy(name).trim().to_string())
                .collect(),
            _ => Vec::new(),
        };
        let mut csv = Csv {
            body,
            header,
            records,
            pending: None,
            line: 1,
            counted_to: 0,
        };
        csv.pending = csv.next_started();
        csv
    }

    /// The next row, its end not yet known.
    fn next_started(&mut self) -> Option<Row> {
        if self.header.is_empty() {
            return None;
        }
        let (position, fields) = match self.records.next()? {
            Ok(record) => (record.position().cloned(), Ok(record)),
            Err(e) => (e.position().cloned(), Err(format!("not a CSV row ({e})"))),
        };
        // Lines are counted from the rows' byte offsets (a row may span
        // lines). The reader puts a row's start before the line end that
        // precedes it (the `\n` of a CRLF, blank lines): skipped here.
        let body = self.body;
        let byte = position.as_ref().map_or(0, csv::Position::byte);
        let byte = usize::try_from(byte).unwrap_or(usize::MAX).min(body.len());
        let start = byte
            + body[byte..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        let counted = &body[self.counted_to.min(start)..start];
        self.line += memchr::memchr_iter(b'\n', counted).count() as u64;
        self.counted_to = self.counted_to.max(start);
        Some(Row {
            line: self.line,
            start,
            end: body.len(),
            fields,
        })
    }

    /// The export whose record-carrying column the header names (`_raw`:
    /// Splunk; `event.original`, `message`: Elasticsearch), for an export
    /// with no rows to tell it by.
    pub(crate) fn carrier_export(&self) -> Option<super::Export> {
        let has = |name: &str| self.header.iter().any(|c| c == name);
        if has("_raw") {
            Some(super::Export::Splunk)
        } else if has("event.original") || has("message") {
            Some(super::Export::Elasticsearch)
        } else {
            None
        }
    }

    /// The JSON object a row's columns make (every value a string).
    pub(crate) fn object(&self, row: &Row) -> Result<String, String> {
        let fields = row.fields.as_ref().map_err(Clone::clone)?;
        let mut object = Map::new();
        for (i, (name, value)) in self.header.iter().zip(fields.iter()).enumerate() {
            let value = std::str::from_utf8(value).map_err(|e| {
                format!(
                    "not UTF-8 (column {}, invalid byte at offset {})",
                    i + 1,
                    e.valid_up_to()
                )
            })?;
            if !object.contains_key(name) {
                object.insert(name.clone(), Value::String(value.to_string()));
            }
        }
        Ok(Value::Object(object).to_string())
    }

    /// A row's fields by column name, as bytes.
    pub(crate) fn fields<'r>(&'r self, row: &'r Row) -> impl Iterator<Item = (&'r str, &'r [u8])> {
        let fields = row.fields.as_ref().ok();
        self.header
            .iter()
            .map(String::as_str)
            .zip(fields.into_iter().flat_map(|f| f.iter()))
    }

    /// Whether the document ends inside a quoted field of `row`, its last
    /// (a copy taken while the export was written): the reader takes such
    /// a row as whole, so its quotes are counted.
    pub(crate) fn ends_inside_quotes(&self, row: &Row) -> bool {
        row.end == self.body.len()
            && memchr::memchr_iter(b'"', &self.body[row.start..row.end]).count() % 2 == 1
    }

    /// The next row, with its end; `None` after the last.
    pub(crate) fn next_row(&mut self) -> Option<Row> {
        let mut row = self.pending.take()?;
        self.pending = self.next_started();
        if let Some(next) = &self.pending {
            row.end = next.start;
        }
        Some(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(csv: &mut Csv<'_>) -> Vec<Row> {
        std::iter::from_fn(|| csv.next_row()).collect()
    }

    #[test]
    fn quoted_fields_keep_newlines_quotes_and_commas() {
        let data = "\u{feff}_time,_raw\r\n1,\"{\"\"a\"\": \"\"x,\r\ny\"\"}\"\r\n2,plain\r\n";
        let mut csv = Csv::read(data.as_bytes());
        let rows = rows(&mut csv);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        let first: Value = serde_json::from_str(&csv.object(&rows[0]).unwrap()).unwrap();
        assert_eq!(first["_raw"], "{\"a\": \"x,\r\ny\"}");
        assert_eq!(first["_time"], "1");
        // The second row starts on line 4: the first took two.
        assert_eq!(rows[1].line, 4);
        assert_eq!(&csv.body[rows[1].start..rows[1].end], b"2,plain\r\n");
        assert!(!csv.ends_inside_quotes(&rows[1]));
    }

    #[test]
    fn a_bad_byte_is_reported_with_its_row() {
        let data = b"\xef\xbb\xbfa,b\r\n2025,\xffx,\"{\"\"a\"\"\r\n:1}\"\r\n2,3\r\n";
        let mut csv = Csv::read(data);
        let rows = rows(&mut csv);
        assert_eq!(rows[0].line, 2);
        assert!(csv.object(&rows[0]).unwrap_err().contains("UTF-8"));
        assert_eq!(rows[1].line, 4);
        assert!(csv.object(&rows[1]).is_ok());
    }

    #[test]
    fn a_document_cut_inside_quotes_is_told() {
        let cut = b"_time,_raw\n1,\"{\"\"a\"\":1}\"\n2,\"{\"\"a\"\":";
        let mut csv = Csv::read(cut);
        let rows = rows(&mut csv);
        assert_eq!(rows.len(), 2);
        assert!(!csv.ends_inside_quotes(&rows[0]));
        assert!(csv.ends_inside_quotes(&rows[1]));
        // A header alone has no rows.
        assert!(Csv::read(b"_time,_raw\n").next_row().is_none());
    }
}
