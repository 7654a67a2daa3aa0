//! Elastic's HashiCorp Vault integration without `event.original`:
//! `hashicorp_vault.audit` holds the whole record but its `time`, which
//! went to `@timestamp`, cut to milliseconds.
//! See: https://github.com/elastic/integrations/tree/main/packages/hashicorp_vault

use serde_json::Value;

use super::fields::{Row, iso_utc};

const AUDIT: &str = "hashicorp_vault.audit";

pub(super) fn is(row: &Row) -> bool {
    row.get(AUDIT).is_some_and(Value::is_object)
}

pub(super) fn rebuild(row: &Row) -> Result<Value, String> {
    let Some(Value::Object(audit)) = row.get(AUDIT).cloned() else {
        return Err(format!(
            "an Elastic HashiCorp Vault document whose {AUDIT} is no object"
        ));
    };
    let time = row
        .text("@timestamp")
        .and_then(|t| iso_utc(&t))
        .ok_or("an Elastic HashiCorp Vault document without @timestamp (the record's time)")?;
    if !audit.contains_key("type") {
        return Err(format!(
            "an Elastic HashiCorp Vault document without {AUDIT}.type (request or response)"
        ));
    }
    let mut record = serde_json::Map::new();
    record.insert("time".into(), Value::String(time));
    record.extend(audit);
    Ok(Value::Object(record))
}
