//! CSV exports (Splunk's, Kibana's, Log Analytics', Athena's): a header of
//! column names, then one row per record, quoted fields holding newlines,
//! quotes and commas. Each row is turned into the JSON object its columns
//! make (every value a string), which is what the JSON exports of the same
//! systems hold, so one set of rules opens both.

use serde_json::{Map, Value};

/// One row: the line it starts on (1-based, counting the header), and
/// the JSON object its columns make, or why it could not be read.
pub(crate) type Row = (u64, Result<String, String>);

/// The rows of a CSV document, in order. A UTF-8 byte-order mark before
/// the header is skipped; CRLF and LF line ends are both read.
pub(crate) fn rows(data: &[u8]) -> impl Iterator<Item = Row> + '_ {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(data);
    let mut records = reader.into_byte_records();
    let header: Option<Vec<String>> = match records.next() {
        Some(Ok(header)) => Some(
            header
                .iter()
                .map(|name| String::from_utf8_lossy(name).trim().to_string())
                .collect(),
        ),
        _ => None,
    };
    // Lines are counted from the rows' byte offsets (a row may span
    // lines). The reader puts a row's start before the line end that
    // precedes it (the `\n` of a CRLF, blank lines): skipped here.
    let mut line = 1;
    let mut counted_to = 0;
    let mut line_at = move |byte: u64| {
        let byte = usize::try_from(byte).unwrap_or(usize::MAX).min(data.len());
        let byte = byte
            + data[byte..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        line += memchr::memchr_iter(b'\n', &data[counted_to.min(byte)..byte]).count() as u64;
        counted_to = counted_to.max(byte);
        line
    };
    records.filter_map(move |record| {
        let header = header.as_ref()?;
        Some(match record {
            Ok(record) => {
                let line = line_at(record.position().map_or(0, csv::Position::byte));
                (line, row_object(header, &record))
            }
            Err(e) => {
                let line = line_at(e.position().map_or(0, csv::Position::byte));
                (line, Err(format!("not a CSV row ({e})")))
            }
        })
    })
}

fn row_object(header: &[String], record: &csv::ByteRecord) -> Result<String, String> {
    let mut row = Map::new();
    for (i, (name, value)) in header.iter().zip(record.iter()).enumerate() {
        let value = std::str::from_utf8(value).map_err(|e| {
            format!(
                "not UTF-8 (column {}, invalid byte at offset {})",
                i + 1,
                e.valid_up_to()
            )
        })?;
        if !row.contains_key(name) {
            row.insert(name.clone(), Value::String(value.to_string()));
        }
    }
    Ok(Value::Object(row).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_newlines_quotes_and_commas() {
        let data = "\u{feff}_time,_raw\r\n1,\"{\"\"a\"\": \"\"x,\r\ny\"\"}\"\r\n2,plain\r\n";
        let rows: Vec<Row> = rows(data.as_bytes()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        let first: Value = serde_json::from_str(rows[0].1.as_ref().unwrap()).unwrap();
        assert_eq!(first["_raw"], "{\"a\": \"x,\r\ny\"}");
        assert_eq!(first["_time"], "1");
        // The second row starts on line 4: the first took two.
        assert_eq!(rows[1].0, 4);
    }

    #[test]
    fn a_bad_byte_is_reported_with_its_row() {
        let data = b"\xef\xbb\xbfa,b\r\n2025,\xffx,\"{\"\"a\"\"\r\n:1}\"\r\n2,3\r\n";
        let rows: Vec<Row> = rows(data).collect();
        assert_eq!(rows[0].0, 2);
        assert!(rows[0].1.as_ref().unwrap_err().contains("UTF-8"));
        assert_eq!(rows[1].0, 4);
        assert!(rows[1].1.is_ok());
    }
}
