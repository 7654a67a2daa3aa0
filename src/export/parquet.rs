//! The export as Parquet: the row's fields as typed columns (a UTC
//! timestamp, dictionary-encoded strings, a map, a list, booleans), Snappy
//! pages, a row group per million rows; and read back as the NDJSON rows
//! the same export would have written, so one reader (`source::whosaw`)
//! serves both.
//!
//! `time` is microseconds (what Spark reads); `time_ns` and `time_digits`
//! keep the instant and the digits the log wrote, so nothing is rounded.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Int64Builder, ListBuilder, MapBuilder, StringBuilder,
    StringDictionaryBuilder, TimestampMicrosecondBuilder, UInt8Builder, UInt32Builder,
    UInt64Builder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, Int64Type, UInt8Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use super::{ROW_SCHEMA, Row};
use crate::event::Timestamp;

/// The file's own mark of a whosaw export (key-value metadata).
const SCHEMA_KEY: &str = "whosaw.schema";
/// Rows gathered before they are handed to the writer as one batch.
const BATCH: usize = 64 << 10;
/// Rows per row group.
const ROW_GROUP: usize = 1 << 20;

type Dict = StringDictionaryBuilder<Int32Type>;

/// Declares the columns once: their builders, and their names, in the
/// order the NDJSON row writes its fields.
macro_rules! columns {
    ($($name:ident: $builder:ty = $init:expr),* $(,)?) => {
        struct Columns {
            $($name: $builder,)*
            rows: usize,
        }

        impl Columns {
            fn new() -> Columns {
                Columns {
                    $($name: $init,)*
                    rows: 0,
                }
            }

            /// The gathered rows as arrays, named; the builders start over.
            fn finish(&mut self) -> Vec<(&'static str, ArrayRef)> {
                self.rows = 0;
                vec![$((stringify!($name), ArrayBuilder::finish(&mut self.$name)),)*]
            }
        }
    };
}

columns! {
    schema: Dict = Dict::new(),
    time: TimestampMicrosecondBuilder = TimestampMicrosecondBuilder::new().with_timezone("UTC"),
    time_ns: Int64Builder = Int64Builder::new(),
    time_digits: UInt8Builder = UInt8Builder::new(),
    provider: Dict = Dict::new(),
    action: Dict = Dict::new(),
    operation: Dict = Dict::new(),
    outcome: Dict = Dict::new(),
    reason: StringBuilder = StringBuilder::new(),
    identity: Dict = Dict::new(),
    identity_id: Dict = Dict::new(),
    credential: Dict = Dict::new(),
    secret: Dict = Dict::new(),
    path: Dict = Dict::new(),
    value: Dict = Dict::new(),
    environment: Dict = Dict::new(),
    source_address: Dict = Dict::new(),
    user_agent: Dict = Dict::new(),
    request_id: StringBuilder = StringBuilder::new(),
    file: Dict = Dict::new(),
    line: UInt64Builder = UInt64Builder::new(),
    record: UInt32Builder = UInt32Builder::new(),
    export_id: StringBuilder = StringBuilder::new(),
    stage: Dict = Dict::new(),
    logged_error: Dict = Dict::new(),
    kind: Dict = Dict::new(),
    scope: Dict = Dict::new(),
    alias: StringBuilder = StringBuilder::new(),
    id_source: Dict = Dict::new(),
    metadata: MapBuilder<StringBuilder, StringBuilder> = MapBuilder::new(None, StringBuilder::new(), StringBuilder::new()),
    policies: ListBuilder<StringBuilder> = ListBuilder::new(StringBuilder::new()),
    creates: BooleanBuilder = BooleanBuilder::new(),
    request_half: BooleanBuilder = BooleanBuilder::new(),
    values_in_clear: BooleanBuilder = BooleanBuilder::new(),
    tokens_in_clear: BooleanBuilder = BooleanBuilder::new(),
    complete: BooleanBuilder = BooleanBuilder::new(),
    decides: BooleanBuilder = BooleanBuilder::new(),
}

impl Columns {
    fn push(&mut self, row: &Row<'_>) {
        let e = &row.event;
        let (nanos, digits) = e.time.raw_parts();
        self.schema.append_value(row.schema);
        self.time.append_value(nanos.div_euclid(1000));
        self.time_ns.append_value(nanos);
        self.time_digits.append_value(digits);
        self.provider.append_value(e.provider.as_str());
        self.action.append_value(e.action.as_str());
        self.operation.append_value(&e.operation);
        self.outcome.append_value(e.outcome.as_str());
        self.reason.append_option(e.reason.as_deref());
        self.identity.append_value(&e.identity);
        self.identity_id.append_value(&e.identity_id);
        self.credential.append_option(e.credential.as_deref());
        self.secret.append_option(e.secret.as_deref());
        self.path.append_option(e.path.as_deref());
        self.value.append_option(e.value.map(|k| k.as_str()));
        self.environment.append_option(e.environment.as_deref());
        self.source_address
            .append_option(e.source_address.as_deref());
        self.user_agent.append_option(e.user_agent.as_deref());
        self.request_id.append_option(e.request_id.as_deref());
        self.file.append_value(&e.place.file);
        self.line.append_value(e.place.line);
        self.record.append_option(e.place.record);
        self.export_id.append_option(e.place.export_id.as_deref());
        self.stage.append_value(row.stage.as_str());
        self.logged_error.append_value(row.logged_error.as_str());
        self.kind.append_option(row.kind.map(|k| k.as_str()));
        self.scope.append_value(row.scope.as_str());
        self.alias.append_option(row.alias);
        self.id_source.append_value(row.id_source.as_str());
        for (k, v) in row.metadata {
            self.metadata.keys().append_value(k);
            self.metadata.values().append_value(v);
        }
        self.metadata.append(true).expect("as many keys as values");
        for p in row.policies {
            self.policies.values().append_value(p);
        }
        self.policies.append(true);
        self.creates.append_value(row.creates);
        self.request_half.append_value(row.request_half);
        self.values_in_clear.append_value(row.values_in_clear);
        self.tokens_in_clear.append_value(row.tokens_in_clear);
        self.complete.append_value(row.complete);
        self.decides.append_value(row.decides);
        self.rows += 1;
    }

    /// The schema the builders' arrays have (read off empty ones).
    fn schema() -> SchemaRef {
        let fields: Vec<Field> = Columns::new()
            .finish()
            .into_iter()
            .map(|(name, array)| Field::new(name, array.data_type().clone(), true))
            .collect();
        Arc::new(Schema::new(fields))
    }

    fn batch(&mut self, schema: &SchemaRef) -> parquet::errors::Result<RecordBatch> {
        let arrays: Vec<ArrayRef> = self.finish().into_iter().map(|(_, a)| a).collect();
        Ok(RecordBatch::try_new(schema.clone(), arrays)?)
    }
}

/// Rows written as Parquet to `out`.
pub(crate) struct ParquetRows<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    columns: Columns,
}

impl<W: Write + Send> ParquetRows<W> {
    pub(crate) fn new(out: W) -> parquet::errors::Result<ParquetRows<W>> {
        let schema = Columns::schema();
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP))
            .set_created_by(format!("whosaw {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![KeyValue::new(
                SCHEMA_KEY.to_string(),
                ROW_SCHEMA.to_string(),
            )]))
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(properties))?;
        Ok(ParquetRows {
            writer,
            schema,
            columns: Columns::new(),
        })
    }

    pub(crate) fn write(&mut self, row: &Row<'_>) -> parquet::errors::Result<()> {
        self.columns.push(row);
        if self.columns.rows >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> parquet::errors::Result<()> {
        if self.columns.rows > 0 {
            let batch = self.columns.batch(&self.schema)?;
            self.writer.write(&batch)?;
        }
        Ok(())
    }

    pub(crate) fn close(mut self) -> parquet::errors::Result<()> {
        self.flush()?;
        self.writer.close()?;
        Ok(())
    }
}

/// Whether `data` is a Parquet file (its magic at both ends).
pub(crate) fn is_parquet(data: &[u8]) -> bool {
    data.len() >= 12 && data.starts_with(b"PAR1") && data.ends_with(b"PAR1")
}

/// Why a Parquet file cannot be read back.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Unreadable {
    #[error("a Parquet file, but not a whosaw export (no {SCHEMA_KEY} in its metadata)")]
    Foreign,
    #[error("a Parquet file that cannot be read: {0}")]
    Broken(String),
}

/// Reads a whosaw Parquet export back as the NDJSON rows it holds, handed
/// to `each` a batch of lines at a time (in file order; line n is row n).
pub(crate) fn read_rows(data: bytes::Bytes, mut each: impl FnMut(&[u8])) -> Result<(), Unreadable> {
    let broken = |e: &dyn std::fmt::Display| Unreadable::Broken(e.to_string());
    let builder = ParquetRecordBatchReaderBuilder::try_new(data).map_err(|e| broken(&e))?;
    let ours = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .is_some_and(|kv| {
            kv.iter()
                .any(|k| k.key == SCHEMA_KEY && k.value.as_deref() == Some(ROW_SCHEMA))
        });
    if !ours {
        return Err(Unreadable::Foreign);
    }
    let reader = builder
        .with_batch_size(8 << 10)
        .build()
        .map_err(|e| broken(&e))?;
    let mut lines = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| broken(&e))?;
        lines.clear();
        batch_lines(&batch, &mut lines).map_err(|e| broken(&e))?;
        each(&lines);
    }
    Ok(())
}

/// One JSON object per row, its fields in column order (`schema` first,
/// as the row's reader finds whosaw's rows), `time` rebuilt from
/// `time_ns` and `time_digits`.
fn batch_lines(batch: &RecordBatch, out: &mut Vec<u8>) -> Result<(), String> {
    let schema = batch.schema();
    let column = |name: &str| {
        schema
            .index_of(name)
            .map(|i| batch.column(i).clone())
            .map_err(|_| format!("no column {name}"))
    };
    let nanos = column("time_ns")?;
    let nanos = nanos
        .as_primitive_opt::<Int64Type>()
        .ok_or("time_ns is not Int64")?;
    let digits = column("time_digits")?;
    let digits = digits
        .as_primitive_opt::<UInt8Type>()
        .ok_or("time_digits is not UInt8")?;
    for row in 0..batch.num_rows() {
        out.push(b'{');
        let mut first = true;
        for (field, array) in schema.fields().iter().zip(batch.columns()) {
            let name = field.name().as_str();
            if name == "time_ns" || name == "time_digits" {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            serde_json::to_writer(&mut *out, name).map_err(|e| e.to_string())?;
            out.push(b':');
            if name == "time" {
                let time = Timestamp::from_raw_parts(nanos.value(row), digits.value(row));
                serde_json::to_writer(&mut *out, &time).map_err(|e| e.to_string())?;
            } else {
                value(array, row, out)?;
            }
        }
        out.extend_from_slice(b"}\n");
    }
    Ok(())
}

/// Row `row` of `array` as JSON.
fn value(array: &ArrayRef, row: usize, out: &mut Vec<u8>) -> Result<(), String> {
    if array.is_null(row) {
        out.extend_from_slice(b"null");
        return Ok(());
    }
    match array.data_type() {
        DataType::Dictionary(_, _) => {
            let dict = array
                .as_dictionary_opt::<Int32Type>()
                .ok_or("a dictionary not keyed by Int32")?;
            let values = dict.values().as_string_opt::<i32>().ok_or("not text")?;
            let key = dict.keys().value(row);
            json(out, values.value(key as usize))
        }
        DataType::Utf8 => json(out, array.as_string::<i32>().value(row)),
        DataType::UInt64 => json(out, &array.as_primitive::<UInt64Type>().value(row)),
        DataType::UInt32 => json(out, &array.as_primitive::<UInt32Type>().value(row)),
        DataType::Int64 => json(out, &array.as_primitive::<Int64Type>().value(row)),
        DataType::Boolean => json(out, &array.as_boolean().value(row)),
        DataType::List(_) => {
            let items = array.as_list::<i32>().value(row);
            let items = items.as_string_opt::<i32>().ok_or("a list not of text")?;
            let list: Vec<&str> = items.iter().flatten().collect();
            json(out, &list)
        }
        DataType::Map(_, _) => {
            let entries = array.as_map().value(row);
            let keys = entries.column(0).as_string_opt::<i32>().ok_or("keys")?;
            let values = entries.column(1).as_string_opt::<i32>().ok_or("values")?;
            let map: std::collections::BTreeMap<&str, &str> = keys
                .iter()
                .zip(values.iter())
                .filter_map(|(k, v)| Some((k?, v?)))
                .collect();
            json(out, &map)
        }
        other => Err(format!("a column of type {other}")),
    }
}

fn json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) -> Result<(), String> {
    serde_json::to_writer(out, v).map_err(|e| e.to_string())
}
