//! JSON and NDJSON. serde_json escapes every control character, so these
//! outputs are safe to print whatever the log held.

use std::io::{self, Write};

use serde::Serialize;

/// One pretty-printed document and a newline.
pub(crate) fn document<T: Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// One compact object per line.
pub(crate) fn lines<T: Serialize>(items: &[T], out: &mut dyn Write) -> io::Result<()> {
    for item in items {
        serde_json::to_writer(&mut *out, item)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// An item with a `kind` field in front, for NDJSON streams that mix kinds.
#[derive(Serialize)]
pub(crate) struct Tagged<'a, T: Serialize> {
    pub kind: &'static str,
    #[serde(flatten)]
    pub item: &'a T,
}
