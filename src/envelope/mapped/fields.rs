//! Reading a row's columns: keys nested (`{"a":{"b":1}}`) or dotted
//! (`{"a.b":1}`, as CSV headers and flattened exports write them), values
//! typed or all strings (`"200"`, `"True"`, `"None"`, as `az` and CSV write
//! them).

use serde_json::{Map, Value};

use super::map_text;

/// A row whose dotted top-level keys are spread into nested objects, so
/// that both spellings are read by one path.
pub(super) struct Row(Value);

impl Row {
    /// The row `text` holds; `None` when it is no JSON object.
    pub(super) fn of(text: &str) -> Option<Row> {
        let Value::Object(members) = serde_json::from_str(text).ok()? else {
            return None;
        };
        let mut nested = Map::new();
        for (key, value) in members {
            let mut at = &mut nested;
            let mut parts = key.split('.').peekable();
            while let Some(part) = parts.next() {
                if parts.peek().is_none() {
                    merge(at, part, value);
                    break;
                }
                if at.get(part).is_some_and(|v| !v.is_object()) {
                    // A scalar where the path goes on: the dotted key keeps
                    // its own name rather than losing either value.
                    merge(at, &key, value);
                    break;
                }
                let next = at
                    .entry(part.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                // (An object: a scalar there was kept above.)
                let Some(next) = next.as_object_mut() else {
                    break;
                };
                at = next;
            }
        }
        Some(Row(Value::Object(nested)))
    }

    /// The value at a dotted path; `None` when absent or null.
    pub(super) fn get(&self, path: &str) -> Option<&Value> {
        at(&self.0, path)
    }

    /// The row's top-level columns.
    pub(super) fn columns(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.as_object().into_iter().flatten()
    }

    pub(super) fn has(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// The value at `path` as text (see [`text_of`]).
    pub(super) fn text(&self, path: &str) -> Option<String> {
        self.get(path).and_then(text_of)
    }

    /// The first of `paths` that holds text.
    pub(super) fn text_of_any(&self, paths: &[&str]) -> Option<String> {
        paths.iter().find_map(|p| self.text(p))
    }

    /// The value at `path` as text, as a JSON string value.
    pub(super) fn string(&self, path: &str) -> Option<Value> {
        self.text(path).map(Value::String)
    }

    /// The object or array at `path`, held as such or as its text.
    pub(super) fn structured(&self, path: &str) -> Option<Value> {
        self.get(path).and_then(structured)
    }
}

/// Inserts `value` under `key`, merging it into an object already there.
fn merge(map: &mut Map<String, Value>, key: &str, value: Value) {
    match (map.get_mut(key), value) {
        (Some(Value::Object(old)), Value::Object(new)) => {
            for (k, v) in new {
                merge(old, &k, v);
            }
        }
        (Some(_), _) => {}
        (None, value) => {
            map.insert(key.to_string(), value);
        }
    }
}

/// The value at a dotted path under `value`; `None` when absent or null.
pub(super) fn at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(value, |v, part| v.get(part))
        .filter(|v| !v.is_null())
}

/// A scalar as text: a string as it is, a number or a boolean written out.
/// Empty text and `az`'s `None` (Python's null) are no value.
pub(super) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if s.is_empty() || s == "None" => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number, or text that holds one (`"200"`, and `"200.0"` for a real
/// column that holds a whole number).
pub(super) fn number_of(value: &Value) -> Option<Value> {
    let text = match value {
        Value::Number(_) => return Some(value.clone()),
        other => text_of(other)?,
    };
    if let Ok(n) = text.parse::<i64>() {
        return Some(n.into());
    }
    let real = text.parse::<f64>().ok().filter(|r| r.is_finite())?;
    match real.fract() == 0.0 && real.abs() < 1e15 {
        true => Some((real as i64).into()),
        false => serde_json::Number::from_f64(real).map(Value::Number),
    }
}

/// A boolean, or text that holds one (`true`, `True`).
pub(super) fn bool_of(value: &Value) -> Option<Value> {
    match value {
        Value::Bool(_) => Some(value.clone()),
        other => match text_of(other)?.to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
    }
}

/// An object or array, held as such, as JSON text, or as Java's or Hive's
/// `{k=v, …}` text.
pub(super) fn structured(value: &Value) -> Option<Value> {
    match value {
        Value::Object(_) | Value::Array(_) => Some(value.clone()),
        other => {
            let text = text_of(other)?;
            let text = text.trim();
            if !text.starts_with(['{', '[']) {
                return None;
            }
            serde_json::from_str(text)
                .ok()
                .or_else(|| map_text::parse(text))
        }
    }
}

/// Without nulls, recursively (exports write a null for every column a
/// row lacks; the store writes nothing).
pub(super) fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Puts `value` under `key` when there is one.
pub(super) fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_string(), value);
    }
}

/// A time in ISO 8601 UTC (`2025-03-15T02:31:07.123Z`) from the forms
/// exports write: ISO already, `2025-03-15 02:31:07[.123456][ UTC]` (BigQuery,
/// CloudTrail Lake: UTC, zone left out or named), or epoch seconds (or
/// milliseconds, past the year 5138).
pub(super) fn iso_utc(text: &str) -> Option<String> {
    let text = text.trim();
    if let Ok(number) = text.parse::<f64>() {
        // Epoch seconds; past the year 5138, milliseconds (Elastic's
        // `epoch_millis`). Not a number or infinite: no time.
        if !number.is_finite() {
            return None;
        }
        if number.abs() >= 1e11 {
            let millis = chrono::DateTime::from_timestamp_millis(text.parse().ok()?)?;
            return Some(millis.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        }
        let seconds = number;
        let whole = seconds.floor();
        let nanos = ((seconds - whole) * 1e9).round() as u32;
        let t = chrono::DateTime::from_timestamp(whole as i64, nanos.min(999_999_999))?;
        let digits = text.split_once('.').map_or(0, |(_, f)| f.len().min(9));
        let format = match digits {
            0 => chrono::SecondsFormat::Secs,
            1..=3 => chrono::SecondsFormat::Millis,
            4..=6 => chrono::SecondsFormat::Micros,
            _ => chrono::SecondsFormat::Nanos,
        };
        return Some(t.to_rfc3339_opts(format, true));
    }
    let text = text.strip_suffix(" UTC").unwrap_or(text);
    let (date, clock) = text.split_once([' ', 'T'])?;
    let zoned = clock.ends_with('Z') || clock.contains('+') || clock.contains('-');
    Some(match zoned {
        true => format!("{date}T{clock}"),
        false => format!("{date}T{clock}Z"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dotted_and_nested_keys_are_one_path() {
        let dotted = Row::of(r#"{"a.b.c":"x","a.b.d":1,"e":{"f":"y"}}"#).unwrap();
        assert_eq!(dotted.text("a.b.c").as_deref(), Some("x"));
        assert_eq!(dotted.text("a.b.d").as_deref(), Some("1"));
        assert_eq!(dotted.text("e.f").as_deref(), Some("y"));
        // Both at once merge.
        let mixed = Row::of(r#"{"a":{"b":{"c":"x"}},"a.b.d":"2"}"#).unwrap();
        assert_eq!(mixed.text("a.b.c").as_deref(), Some("x"));
        assert_eq!(mixed.text("a.b.d").as_deref(), Some("2"));
        // A key that is no path beside a scalar keeps its name.
        let clash = Row::of(r#"{"a":"x","a.b":"y"}"#).unwrap();
        assert_eq!(clash.text("a").as_deref(), Some("x"));
        assert!(Row::of("[1]").is_none());
        assert!(Row::of("{").is_none());
    }

    #[test]
    fn strings_are_coerced_as_exports_write_them() {
        assert_eq!(number_of(&json!("200")), Some(json!(200)));
        assert_eq!(number_of(&json!("401.0")), Some(json!(401)));
        assert_eq!(number_of(&json!(403)), Some(json!(403)));
        assert_eq!(number_of(&json!("1.5")), Some(json!(1.5)));
        assert_eq!(number_of(&json!("None")), None);
        assert_eq!(number_of(&json!("abc")), None);
        assert_eq!(bool_of(&json!("True")), Some(json!(true)));
        assert_eq!(bool_of(&json!("false")), Some(json!(false)));
        assert_eq!(bool_of(&json!("None")), None);
        assert_eq!(text_of(&json!("None")), None);
        assert_eq!(text_of(&json!("")), None);
        assert_eq!(text_of(&json!(7)).as_deref(), Some("7"));
        assert_eq!(text_of(&json!(true)).as_deref(), Some("true"));
        assert_eq!(
            structured(&json!(r#"{"claim":{"oid":"o"}}"#)),
            Some(json!({"claim":{"oid":"o"}}))
        );
        assert_eq!(
            structured(&json!("{secretId=a/b}")),
            Some(json!({"secretId":"a/b"}))
        );
        assert_eq!(structured(&json!("plain")), None);
    }

    #[test]
    fn export_times_become_iso_utc() {
        for (given, want) in [
            (
                "2025-03-15 02:31:07.123456 UTC",
                "2025-03-15T02:31:07.123456Z",
            ),
            ("2025-03-15 02:31:07", "2025-03-15T02:31:07Z"),
            ("2025-03-15 02:31:07.000", "2025-03-15T02:31:07.000Z"),
            ("2025-03-15T02:31:07Z", "2025-03-15T02:31:07Z"),
            ("2025-03-15T02:31:07+01:00", "2025-03-15T02:31:07+01:00"),
            ("1742005867", "2025-03-15T02:31:07Z"),
            ("1742005867.25", "2025-03-15T02:31:07.250Z"),
            // Elastic's epoch_millis.
            ("1742005867123", "2025-03-15T02:31:07.123Z"),
        ] {
            assert_eq!(iso_utc(given).as_deref(), Some(want), "{given}");
        }
        assert_eq!(iso_utc("yesterday"), None);
        assert_eq!(iso_utc("NaN"), None);
        assert_eq!(iso_utc("inf"), None);
    }
}
