//! CloudTrail in a data lake: Athena's table over the S3 trail (columns
//! lower-cased, `useridentity` a ROW given as an object, as JSON or as
//! Presto's `{k=v, …}` text, `requestparameters` JSON text), read back
//! into a camelCase record.
//! See: https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-logs.html

use serde_json::{Map, Value};

use super::fields::{Row, bool_of, iso_utc, put, structured, without_nulls};

/// The record's top-level names, by their lower-cased column.
const COLUMNS: [&str; 21] = [
    "eventVersion",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestID",
    "eventID",
    "eventType",
    "apiVersion",
    "recipientAccountId",
    "sharedEventID",
    "vpcEndpointId",
    "eventCategory",
    "managementEvent",
    "readOnly",
    "requestParameters",
    "responseElements",
    "additionalEventData",
];

/// Names inside `useridentity` and `resources`, which Presto lower-cases.
const NESTED: [&str; 18] = [
    "type",
    "principalId",
    "arn",
    "accountId",
    "invokedBy",
    "accessKeyId",
    "userName",
    "sessionContext",
    "attributes",
    "mfaAuthenticated",
    "creationDate",
    "sessionIssuer",
    "webIdFederationData",
    "federatedProvider",
    "sourceIdentity",
    "identityProvider",
    "credentialId",
    "onBehalfOf",
];

pub(super) fn is(row: &Row) -> bool {
    row.has("eventname") && row.has("eventsource")
}

pub(super) fn rebuild(row: &Row) -> Result<Value, String> {
    let time = row
        .text("eventtime")
        .and_then(|t| cloudtrail_time(&t))
        .ok_or("a data-lake CloudTrail row without eventtime")?;
    let mut r = Map::new();
    r.insert("eventTime".into(), Value::String(time));
    for name in COLUMNS {
        let Some(value) = row.get(&name.to_ascii_lowercase()) else {
            continue;
        };
        let value = match name {
            "requestParameters" | "responseElements" | "additionalEventData" => {
                structured(value).map(without_nulls)
            }
            "readOnly" | "managementEvent" => bool_of(value),
            _ => super::fields::text_of(value).map(Value::String),
        };
        put(&mut r, name, value);
    }
    if let Some(identity) = row.structured("useridentity") {
        r.insert("userIdentity".into(), camel_case(without_nulls(identity)));
    }
    if let Some(Value::Array(resources)) = row.structured("resources") {
        let resources = resources.into_iter().map(|res| {
            let res = camel_case(without_nulls(res));
            match res {
                // The struct's `ARN` comes back as `arn`.
                Value::Object(mut m) => {
                    if let Some(arn) = m.remove("arn") {
                        m.insert("ARN".into(), arn);
                    }
                    Value::Object(m)
                }
                other => other,
            }
        });
        r.insert("resources".into(), Value::Array(resources.collect()));
    }
    Ok(Value::Object(r))
}

/// Keys in CloudTrail's camelCase, whatever their case.
fn camel_case(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let name = NESTED
                        .iter()
                        .find(|n| n.eq_ignore_ascii_case(&k))
                        .map_or(k, |n| n.to_string());
                    (name, camel_case(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel_case).collect()),
        other => other,
    }
}

/// An `eventTime` as CloudTrail writes it: ISO UTC, whole seconds (an
/// export's `.000` says nothing the record held).
pub(super) fn cloudtrail_time(text: &str) -> Option<String> {
    let iso = iso_utc(text)?;
    let zero_fraction = ["0", "00", "000", "000000"]
        .iter()
        .find_map(|zeros| iso.strip_suffix(&format!(".{zeros}Z")));
    Some(zero_fraction.map_or(iso.clone(), |whole| format!("{whole}Z")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn athena_rows_with_struct_text_give_a_camel_case_record() {
        let row = Row::of(
            r#"{"eventtime":"2025-03-15 02:31:07.000","eventsource":"secretsmanager.amazonaws.com",
                "eventname":"GetSecretValue","readonly":"true","errorcode":"",
                "requestparameters":"{\"secretId\":\"prod/db\"}",
                "useridentity":"{type=AssumedRole, principalid=P, arn=arn:aws:sts::1:assumed-role/r/s, accesskeyid=ASIA1, username=null, sessioncontext={attributes={mfaauthenticated=false, creationdate=2025-03-15T02:30:58Z}, sessionissuer={type=Role, arn=arn:aws:iam::1:role/r, username=r}}}",
                "resources":"[{arn=arn:aws:kms:1:key/k, accountid=1, type=AWS::KMS::Key}]"}"#,
        )
        .unwrap();
        assert!(is(&row));
        let r = rebuild(&row).unwrap();
        assert_eq!(r["eventTime"], "2025-03-15T02:31:07Z");
        assert_eq!(r["readOnly"], true);
        assert!(r.get("errorCode").is_none());
        assert_eq!(r["requestParameters"], json!({"secretId": "prod/db"}));
        let u = &r["userIdentity"];
        assert_eq!(u["accessKeyId"], "ASIA1");
        assert!(u.get("userName").is_none());
        assert_eq!(u["sessionContext"]["sessionIssuer"]["userName"], "r");
        assert_eq!(
            u["sessionContext"]["attributes"]["mfaAuthenticated"],
            "false"
        );
        assert_eq!(r["resources"][0]["ARN"], "arn:aws:kms:1:key/k");
        assert_eq!(r["resources"][0]["accountId"], "1");
        let no_time = Row::of(r#"{"eventsource":"s","eventname":"n"}"#).unwrap();
        assert!(rebuild(&no_time).unwrap_err().contains("eventtime"));
    }
}
