//! Elastic's AWS integration (CloudTrail data stream) without
//! `event.original`: the record spread over ECS fields and
//! `aws.cloudtrail.*`, request parameters both as an object (`flattened`)
//! and as Java's `Map.toString()` text.
//! See: https://github.com/elastic/integrations/tree/main/packages/aws/data_stream/cloudtrail

use serde_json::{Map, Value};

use super::fields::{Row, bool_of, put};
use super::lake::cloudtrail_time;

const CT: &str = "aws.cloudtrail";

pub(super) fn is(row: &Row) -> bool {
    row.get(CT).is_some_and(Value::is_object)
}

pub(super) fn rebuild(row: &Row) -> Result<Value, String> {
    let lacking = |what: &str| format!("an Elastic CloudTrail document without {what}");
    let name = row
        .string("event.action")
        .ok_or_else(|| lacking("event.action (eventName)"))?;
    let source = row
        .string("event.provider")
        .ok_or_else(|| lacking("event.provider (eventSource)"))?;
    let time = row
        .text("@timestamp")
        .and_then(|t| cloudtrail_time(&t))
        .ok_or_else(|| lacking("@timestamp (eventTime)"))?;
    let ct = |field: &str| row.string(&format!("{CT}.{field}"));
    let mut r = Map::new();
    r.insert("eventTime".into(), Value::String(time));
    r.insert("eventSource".into(), source);
    r.insert("eventName".into(), name);
    put(&mut r, "eventID", row.string("event.id"));
    put(&mut r, "awsRegion", row.string("cloud.region"));
    put(
        &mut r,
        "sourceIPAddress",
        row.string("source.address")
            .or_else(|| row.string("source.ip")),
    );
    put(&mut r, "userAgent", row.string("user_agent.original"));
    for (raw, mapped) in [
        ("eventVersion", "event_version"),
        ("requestID", "request_id"),
        ("eventType", "event_type"),
        ("eventCategory", "event_category"),
        ("apiVersion", "api_version"),
        ("recipientAccountId", "recipient_account_id"),
        ("errorCode", "error_code"),
        ("errorMessage", "error_message"),
        ("vpcEndpointId", "vpc_endpoint_id"),
    ] {
        put(&mut r, raw, ct(mapped));
    }
    for (raw, mapped) in [
        ("readOnly", "read_only"),
        ("managementEvent", "management_event"),
    ] {
        put(
            &mut r,
            raw,
            row.get(&format!("{CT}.{mapped}")).and_then(bool_of),
        );
    }
    put(&mut r, "userIdentity", identity(row));
    for (raw, mapped) in [
        ("requestParameters", "request_parameters"),
        ("responseElements", "response_elements"),
        ("additionalEventData", "additional_eventdata"),
    ] {
        // The object when kept; else the Java text, read back.
        let value = row
            .structured(&format!("{CT}.flattened.{mapped}"))
            .or_else(|| row.structured(&format!("{CT}.{mapped}")));
        put(&mut r, raw, value);
    }
    if let Some(Value::Array(resources)) = row.structured(&format!("{CT}.resources")) {
        let renamed = resources.iter().map(|res| {
            let mut out = Map::new();
            for (raw, mapped) in [
                ("ARN", "arn"),
                ("accountId", "account_id"),
                ("type", "type"),
            ] {
                put(&mut out, raw, res.get(mapped).cloned());
            }
            Value::Object(out)
        });
        r.insert("resources".into(), Value::Array(renamed.collect()));
    }
    Ok(Value::Object(r))
}

/// `userIdentity`, from `aws.cloudtrail.user_identity`, `user.id`
/// (principalId) and `cloud.account.id` (accountId). `user.name` is the
/// session issuer's name when there is one, else the identity's own.
fn identity(row: &Row) -> Option<Value> {
    let ui = |field: &str| row.string(&format!("{CT}.user_identity.{field}"));
    let mut u = Map::new();
    put(&mut u, "type", ui("type"));
    put(&mut u, "arn", ui("arn"));
    put(&mut u, "accessKeyId", ui("access_key_id"));
    put(&mut u, "invokedBy", ui("invoked_by"));
    if u.is_empty() {
        return None;
    }
    put(&mut u, "principalId", row.string("user.id"));
    put(&mut u, "accountId", row.string("cloud.account.id"));
    let mut session = Map::new();
    let mut attributes = Map::new();
    put(
        &mut attributes,
        "mfaAuthenticated",
        ui("session_context.mfa_authenticated"),
    );
    put(
        &mut attributes,
        "creationDate",
        ui("session_context.creation_date"),
    );
    if !attributes.is_empty() {
        session.insert("attributes".into(), Value::Object(attributes));
    }
    let mut issuer = Map::new();
    for (raw, mapped) in [
        ("type", "type"),
        ("principalId", "principal_id"),
        ("arn", "arn"),
        ("accountId", "account_id"),
    ] {
        put(
            &mut issuer,
            raw,
            ui(&format!("session_context.session_issuer.{mapped}")),
        );
    }
    let name = row.string("user.name");
    if issuer.is_empty() {
        put(&mut u, "userName", name);
    } else {
        put(&mut issuer, "userName", name);
        session.insert("sessionIssuer".into(), Value::Object(issuer));
    }
    if !session.is_empty() {
        u.insert("sessionContext".into(), Value::Object(session));
    }
    Some(Value::Object(u))
}
