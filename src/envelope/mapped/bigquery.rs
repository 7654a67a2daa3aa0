//! Cloud Audit Logs in BigQuery: the log sink's tables (`protopayload_auditlog`,
//! camelCase inside, free-form parts as `requestJson`… text) and Log
//! Analytics' linked datasets (`proto_payload.audit_log`, snake_case,
//! free-form parts as JSON). Read back into a `LogEntry` whose payload is
//! an AuditLog.
//! See: https://cloud.google.com/logging/docs/export/bigquery

use serde_json::{Map, Value};

use super::fields::{Row, iso_utc, number_of, put, structured, without_nulls};

const SINK: &str = "protopayload_auditlog";
const LINKED: &str = "proto_payload.audit_log";
const AUDIT_LOG: &str = "type.googleapis.com/google.cloud.audit.AuditLog";

/// The payload's free-form parts, which stay as the service wrote them.
const FREE_FORM: [&str; 4] = ["request", "response", "metadata", "serviceData"];

pub(super) fn is(row: &Row) -> bool {
    [SINK, LINKED]
        .iter()
        .any(|p| row.get(p).is_some_and(Value::is_object))
}

pub(super) fn rebuild(row: &Row) -> Result<Value, String> {
    let (linked, payload) = match row.get(SINK) {
        Some(payload) => (false, payload.clone()),
        None => (true, row.get(LINKED).cloned().unwrap_or_default()),
    };
    let column = |sink: &str, linked_name: &str| match linked {
        true => row.get(linked_name).cloned(),
        false => row.get(sink).cloned(),
    };
    let lacking = |what: &str| format!("a BigQuery row of Cloud Audit Logs without {what}");
    let time = row
        .text("timestamp")
        .and_then(|t| iso_utc(&t))
        .ok_or_else(|| lacking("timestamp"))?;
    let mut payload = match without_nulls(payload) {
        Value::Object(p) if linked => camel_keys(p),
        Value::Object(p) => parsed_json_parts(p),
        _ => Map::new(),
    };
    if !payload.contains_key("methodName") {
        let name = if linked { "method_name" } else { "methodName" };
        let prefix = if linked { LINKED } else { SINK };
        return Err(lacking(&format!("{prefix}.{name}")));
    }
    if let Some(Value::Object(status)) = payload.get_mut("status")
        && let Some(code) = status.get("code").and_then(number_of)
    {
        status.insert("code".into(), code);
    }
    payload.insert("@type".into(), Value::String(AUDIT_LOG.into()));
    let mut entry = Map::new();
    entry.insert("timestamp".into(), Value::String(time));
    put(&mut entry, "insertId", column("insertId", "insert_id"));
    put(&mut entry, "logName", column("logName", "log_name"));
    put(&mut entry, "severity", row.get("severity").cloned());
    put(
        &mut entry,
        "resource",
        row.get("resource").map(|r| without_nulls(r.clone())),
    );
    put(
        &mut entry,
        "labels",
        row.get("labels").and_then(structured).map(without_nulls),
    );
    entry.insert("protoPayload".into(), Value::Object(payload));
    Ok(Value::Object(entry))
}

/// The sink's `requestJson`, `responseJson`… as the objects they hold.
fn parsed_json_parts(mut payload: Map<String, Value>) -> Map<String, Value> {
    for part in FREE_FORM {
        let key = format!("{part}Json");
        if let Some(value) = payload.remove(&key).as_ref().and_then(structured) {
            payload.insert(part.into(), value);
        }
    }
    payload
}

/// Log Analytics' snake_case names in the AuditLog's camelCase; the
/// free-form parts (JSON columns, maybe as text) are left as they are.
fn camel_keys(payload: Map<String, Value>) -> Map<String, Value> {
    payload
        .into_iter()
        .map(|(key, value)| {
            let key = camel(&key);
            let value = match FREE_FORM.contains(&key.as_str()) {
                true => structured(&value).unwrap_or(value),
                false => camel_value(value),
            };
            (key, value)
        })
        .collect()
}

fn camel_value(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (camel(&k), camel_value(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel_value).collect()),
        other => other,
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        match (c, upper) {
            ('_', _) if !out.is_empty() => upper = true,
            (c, true) => {
                out.push(c.to_ascii_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sink_rows_nested_or_dotted_give_a_log_entry() {
        let nested = r#"{"timestamp":"2025-03-15 02:26:19.338120 UTC","insertId":"i1",
            "protopayload_auditlog":{"methodName":"m","status":{"code":"7","message":null},
            "authenticationInfo":{"principalEmail":"a@b"},"requestJson":"{\"name\":\"n\"}"}}"#;
        let dotted = r#"{"timestamp":"2025-03-15 02:26:19.338120 UTC","insertId":"i1",
            "protopayload_auditlog.methodName":"m","protopayload_auditlog.status.code":"7",
            "protopayload_auditlog.authenticationInfo.principalEmail":"a@b",
            "protopayload_auditlog.requestJson":"{\"name\":\"n\"}"}"#;
        for text in [nested, dotted] {
            let row = Row::of(text).unwrap();
            assert!(is(&row));
            let e = rebuild(&row).unwrap();
            assert_eq!(e["timestamp"], "2025-03-15T02:26:19.338120Z");
            assert_eq!(e["insertId"], "i1");
            let p = &e["protoPayload"];
            assert_eq!(p["@type"], AUDIT_LOG);
            assert_eq!(p["status"], json!({"code": 7}));
            assert_eq!(p["authenticationInfo"]["principalEmail"], "a@b");
            assert_eq!(p["request"], json!({"name": "n"}));
        }
    }

    #[test]
    fn linked_dataset_rows_are_snake_case() {
        let row = Row::of(
            r#"{"timestamp":"2025-03-15T02:26:19.338120Z","insert_id":"i2",
                "proto_payload":{"audit_log":{"method_name":"m",
                "authentication_info":{"principal_email":"a@b"},
                "request_metadata":{"caller_ip":"1.2.3.4"},
                "request":{"name":"projects/p/secrets/s/versions/1","x_y":1}}}}"#,
        )
        .unwrap();
        let e = rebuild(&row).unwrap();
        let p = &e["protoPayload"];
        assert_eq!(e["insertId"], "i2");
        assert_eq!(p["methodName"], "m");
        assert_eq!(p["authenticationInfo"]["principalEmail"], "a@b");
        assert_eq!(p["requestMetadata"]["callerIp"], "1.2.3.4");
        assert_eq!(p["request"]["x_y"], 1);
        let no_method =
            Row::of(r#"{"timestamp":"1742005579","protopayload_auditlog":{"serviceName":"s"}}"#);
        let why = rebuild(&no_method.unwrap()).unwrap_err();
        assert!(why.contains("protopayload_auditlog.methodName"), "{why}");
    }
}
