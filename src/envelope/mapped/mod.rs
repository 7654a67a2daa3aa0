//! Rows that hold a store's record mapped to the export's own columns,
//! without the original: the record is rebuilt in the store's own shape,
//! from what the columns hold, and parsed by the store's parser like any
//! other. What each column set lacks is said in README ("Exports from SIEMs
//! and data lakes").
//!
//! Unlike the rest of the envelope layer, these mappings name a store's
//! fields: rebuilding a record from columns cannot do otherwise.

mod bigquery;
mod elastic_cloudtrail;
mod elastic_vault;
mod fields;
mod lake;
mod log_analytics;
mod map_text;

use memchr::memmem;
use serde_json::Value;

use super::Export;
use fields::Row;

/// A store's record rebuilt from an export's row.
#[derive(Debug)]
pub(crate) struct Rebuilt {
    pub export: Export,
    /// The record, as JSON text in the store's own shape.
    pub record: String,
}

/// One column set: how to tell its rows, and how to rebuild their record.
struct Shape {
    export: Export,
    is: fn(&Row) -> bool,
    rebuild: fn(&Row) -> Result<Value, String>,
}

const SHAPES: [Shape; 5] = [
    Shape {
        export: Export::Elasticsearch,
        is: elastic_vault::is,
        rebuild: elastic_vault::rebuild,
    },
    Shape {
        export: Export::Elasticsearch,
        is: elastic_cloudtrail::is,
        rebuild: elastic_cloudtrail::rebuild,
    },
    Shape {
        export: Export::LogAnalytics,
        is: log_analytics::is,
        rebuild: log_analytics::rebuild,
    },
    Shape {
        export: Export::BigQuery,
        is: bigquery::is,
        rebuild: bigquery::rebuild,
    },
    Shape {
        export: Export::DataLake,
        is: lake::is,
        rebuild: lake::rebuild,
    },
];

/// Words the query's byte search must not skip in an export's rows although
/// they name no secret: a failed CloudTrail call, whose denied read may only
/// be named in its message, in the spellings these exports give the
/// `errorCode` the store marks in its own records. Searched only in
/// exports: a pass over every raw log for them would cost a fifth of a
/// query's time.
pub(crate) fn markers(export: Export) -> &'static [&'static str] {
    match export {
        Export::Elasticsearch => &["error_code"],
        Export::DataLake => &["errorcode"],
        Export::Splunk | Export::LogAnalytics | Export::BigQuery => &[],
    }
}

/// Text every row of some shape holds (a key, or part of one), so that a
/// store's own record is told apart without being parsed again. Only the
/// exports' spellings: a store writes `operationName`, `eventName`,
/// `protoPayload`.
const MARKS: [&str; 6] = [
    "hashicorp_vault",
    "cloudtrail",
    "OperationName",
    "protopayload_auditlog",
    "proto_payload",
    "\"eventname\"",
];

/// The record a row of mapped columns holds (`row` is a JSON object, its
/// values maybe all strings, as CSV and `az` write them; its keys nested or
/// dotted). `None`: the row is no such row. `Some(Err(why))`: it is one,
/// but lacks what every record of its store has.
pub(crate) fn rebuild(row: &str) -> Option<Result<Rebuilt, String>> {
    let bytes = row.as_bytes();
    if !MARKS
        .iter()
        .any(|m| memmem::find(bytes, m.as_bytes()).is_some())
    {
        return None;
    }
    let row = Row::of(row)?;
    let shape = SHAPES.iter().find(|shape| (shape.is)(&row))?;
    Some((shape.rebuild)(&row).map(|record| Rebuilt {
        export: shape.export,
        record: record.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::samples::{
        AZURE_GET, CLOUDTRAIL_GET, CLOUDTRAIL_OTHER, GCP_ACCESS, K8S_GET, VAULT_READ,
        cloudtrail_delivery,
    };

    #[test]
    fn a_store_record_is_no_mapped_row() {
        let delivery = cloudtrail_delivery(&[CLOUDTRAIL_GET]);
        for record in [
            VAULT_READ,
            CLOUDTRAIL_GET,
            CLOUDTRAIL_OTHER,
            AZURE_GET,
            GCP_ACCESS,
            K8S_GET,
            &delivery,
        ] {
            assert!(rebuild(record).is_none(), "{record}");
        }
        // A store's record that holds a mark is still none.
        let trail = CLOUDTRAIL_OTHER.replace("ec2.amazonaws.com", "cloudtrail.amazonaws.com");
        assert!(rebuild(&trail).is_none());
        assert!(rebuild("not json, cloudtrail").is_none());
    }

    #[test]
    fn a_dotted_elastic_vault_document_gives_the_vault_record() {
        let doc = r#"{"@timestamp":"2025-03-15T02:34:12.847Z","hashicorp_vault.audit.type":"response",
            "hashicorp_vault.audit.request.path":"secret/data/x","hashicorp_vault.audit.request.operation":"read"}"#;
        let rebuilt = rebuild(doc).unwrap().unwrap();
        assert_eq!(rebuilt.export, Export::Elasticsearch);
        let record: Value = serde_json::from_str(&rebuilt.record).unwrap();
        assert_eq!(record["time"], "2025-03-15T02:34:12.847Z");
        assert_eq!(record["type"], "response");
        assert_eq!(record["request"]["path"], "secret/data/x");
        assert_eq!(
            crate::source::detect(&rebuilt.record),
            Ok(crate::source::Source::Vault)
        );
        let untimed = r#"{"hashicorp_vault":{"audit":{"type":"request"}}}"#;
        assert!(
            rebuild(untimed)
                .unwrap()
                .unwrap_err()
                .contains("@timestamp")
        );
    }

    #[test]
    fn an_elastic_cloudtrail_document_with_only_the_java_text() {
        let doc = r#"{"@timestamp":"2025-03-15T02:31:07.000Z","event":{"action":"GetSecretValue",
            "provider":"secretsmanager.amazonaws.com","id":"e1"},"user":{"id":"P","name":"ci"},
            "cloud":{"account":{"id":"1"}},"aws":{"cloudtrail":{"request_parameters":"{secretId=prod/db-password}",
            "user_identity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/ci/s",
            "session_context":{"session_issuer":{"type":"Role","arn":"arn:aws:iam::1:role/ci"}}}}}}"#;
        let rebuilt = rebuild(doc).unwrap().unwrap();
        let r: Value = serde_json::from_str(&rebuilt.record).unwrap();
        assert_eq!(r["eventTime"], "2025-03-15T02:31:07Z");
        assert_eq!(r["eventID"], "e1");
        assert_eq!(r["requestParameters"]["secretId"], "prod/db-password");
        let u = &r["userIdentity"];
        assert_eq!(
            (&u["principalId"], &u["accountId"]),
            (&"P".into(), &"1".into())
        );
        assert_eq!(u["sessionContext"]["sessionIssuer"]["userName"], "ci");
        assert!(u.get("userName").is_none());
        let nameless = r#"{"@timestamp":"x","aws":{"cloudtrail":{}},"event":{"provider":"p"}}"#;
        assert!(
            rebuild(nameless)
                .unwrap()
                .unwrap_err()
                .contains("event.action")
        );
    }
}
