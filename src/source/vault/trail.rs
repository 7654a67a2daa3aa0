//! A Vault entry as the trail sees it (`coverage`): its time, its request
//! half, the caller's token as this device hashed it, and the changes to
//! what guards the log: audit devices, root token generation, rekeying,
//! sealing, `sys/audit-hash`.

use super::RawLine;
use crate::source::prelude::*;
use crate::source::trail::{ChangeKind, TokenSeen, TrailChange, TrailRecord};
use crate::time::parse_log_time;

pub(crate) fn trail_record(
    line: &str,
    emit: &mut dyn FnMut(TrailRecord<'_>),
) -> Result<(), RecordError> {
    let json = match line.find('{') {
        Some(at) => &line[at..],
        None => return Err(RecordError::NotJson("no JSON object on the line".into())),
    };
    // The parser's own record, so both read the same fields.
    let e: RawLine<'_> = from_json(json)?;
    let Some(kind) = e.kind.get() else {
        return Err(RecordError::Unrecognised);
    };
    if e.request.0.is_none() && e.auth.0.is_none() {
        return Err(RecordError::Unrecognised);
    }
    let time_text = e.time.get().unwrap_or("");
    let time = parse_log_time(time_text).ok_or_else(|| RecordError::BadTime(time_text.into()))?;
    let stage = match kind.ends_with("response") {
        true => Stage::Response,
        false => Stage::Request,
    };
    let request = e.request.0.unwrap_or_default();
    let auth = e.auth.0.unwrap_or_default();
    let who = auth
        .entity_id
        .0
        .clone()
        .filter(|id| !id.is_empty())
        .or_else(|| auth.display_name.0.clone().filter(|n| !n.is_empty()));
    // Named as people know it: the display name, with the entity beside.
    let label = match (auth.display_name.get(), auth.entity_id.get()) {
        (Some(name), Some(id)) if !name.is_empty() && !id.is_empty() => {
            Some(Cow::Owned(format!("{name} ({id})")))
        }
        _ => who.clone(),
    };
    let token = match (&auth.client_token.0, &auth.token_issue_time.0, &who) {
        (Some(hmac), Some(at), Some(who)) if hmac.starts_with("hmac-") && !at.is_empty() => {
            Some(TokenSeen {
                hmac: hmac.clone(),
                issued_to: who.clone(),
                issued_at: at.clone(),
            })
        }
        _ => None,
    };
    let operation = request.operation.0.clone().unwrap_or_default();
    let path = request.path.get().unwrap_or("");
    let change = classify(&operation, path, e.response.map(RawValue::get)).map(|(kind, target)| {
        let error = match e.error.get() {
            None | Some("") => ErrorKind::None,
            Some(text) if text.contains("permission denied") => ErrorKind::Denied,
            Some(_) => ErrorKind::Other,
        };
        TrailChange {
            kind,
            target: Cow::Owned(target.to_string()),
            operation: operation.clone(),
            error,
            reason: e.error.0.clone().filter(|r| !r.is_empty()),
            identity: label
                .clone()
                .unwrap_or(Cow::Borrowed("(no identity logged)")),
            source_address: request.remote_address.0.clone().filter(|a| !a.is_empty()),
            trail_bucket: None,
        }
    });
    let half = request
        .id
        .0
        .clone()
        .filter(|id| !id.is_empty() && matches!(kind, "request" | "response"))
        .map(|id| (id, stage));
    emit(TrailRecord {
        half,
        change,
        token,
        ..TrailRecord::at(time)
    });
    Ok(())
}

/// What a request to `path` does to the trail, and to what.
fn classify<'p>(
    operation: &str,
    path: &'p str,
    response: Option<&str>,
) -> Option<(ChangeKind, &'p str)> {
    let path = path.trim_start_matches('/');
    let changes = matches!(operation, "create" | "update" | "delete");
    if let Some(device) = path.strip_prefix("sys/audit/") {
        return match operation {
            "delete" => Some((ChangeKind::AuditDeviceDisabled, device)),
            "create" | "update" => Some((ChangeKind::AuditDeviceEnabled, device)),
            _ => None,
        };
    }
    if let Some(device) = path.strip_prefix("sys/audit-hash/") {
        return Some((ChangeKind::AuditHash, device));
    }
    if let Some(header) = path.strip_prefix("sys/config/auditing/request-headers/") {
        return changes.then_some((ChangeKind::AuditHeadersChanged, header));
    }
    for kind in ["sys/generate-root/", "sys/generate-recovery-token/"] {
        if let Some(step) = path.strip_prefix(kind) {
            // Each key share is an `update`; the last one's answer holds
            // `"complete":true` (booleans are never HMAC'd).
            let done = step == "update"
                && response.is_some_and(|r| r.replace(' ', "").contains("\"complete\":true"));
            let target = &path[..kind.len() - 1];
            return match done {
                true => Some((ChangeKind::RootTokenGenerated, target)),
                false => changes.then_some((ChangeKind::RootGeneration, target)),
            };
        }
    }
    for kind in ["sys/rekey/", "sys/rekey-recovery-key/"] {
        if path.starts_with(kind) && changes {
            return Some((ChangeKind::Rekey, &path[..kind.len() - 1]));
        }
    }
    match path {
        "sys/seal" => Some((ChangeKind::Seal, path)),
        "sys/unseal" => Some((ChangeKind::Unseal, path)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: &str) -> (Option<(ChangeKind, String)>, Option<String>, bool) {
        let mut seen = None;
        trail_record(line, &mut |r| {
            seen = Some((
                r.change.map(|c| (c.kind, c.target.into_owned())),
                r.token
                    .map(|t| format!("{}@{}={}", t.issued_to, t.issued_at, t.hmac)),
                r.half.is_some(),
            ))
        })
        .unwrap();
        seen.unwrap()
    }

    #[test]
    fn audit_devices_root_generation_and_tokens_are_told() {
        let enable = r#"{"time":"2020-04-30T14:27:10.6656485Z","type":"response","auth":{"client_token":"hmac-sha256:bd","display_name":"root","token_issue_time":"2020-04-30T14:26:40Z"},"request":{"id":"97","operation":"update","path":"sys/audit/file","data":{"type":"hmac-sha256:b6"}},"response":{}}"#;
        let (change, token, half) = record(enable);
        assert_eq!(
            change,
            Some((ChangeKind::AuditDeviceEnabled, "file".into()))
        );
        assert_eq!(
            token.as_deref(),
            Some("root@2020-04-30T14:26:40Z=hmac-sha256:bd")
        );
        assert!(half);
        let disable = enable.replace("update", "delete");
        assert_eq!(
            record(&disable).0.unwrap().0,
            ChangeKind::AuditDeviceDisabled
        );
        let done = r#"{"time":"2020-04-30T14:27:10Z","type":"response","auth":{},"request":{"id":"1","operation":"update","path":"sys/generate-root/update"},"response":{"data":{"complete":true,"encoded_token":"hmac-sha256:x"}}}"#;
        assert_eq!(record(done).0.unwrap().0, ChangeKind::RootTokenGenerated);
        let share = done.replace("true", "false");
        assert_eq!(record(&share).0.unwrap().0, ChangeKind::RootGeneration);
        let read = r#"{"time":"2020-04-30T14:27:10Z","type":"request","auth":{"display_name":"x"},"request":{"id":"2","operation":"read","path":"secret/data/a"}}"#;
        assert_eq!(record(read), (None, None, true));
    }
}
