//! An Azure record as the trail sees it (`coverage`): Key Vault's
//! AuditEvent records only count; Activity Log records (category
//! `Administrative`, when an export holds them beside the vault's) tell
//! when a diagnostic setting, which is what sends a vault's AuditEvent
//! log anywhere, was deleted (the trail stops) or written (it starts).

use super::Record;
use crate::source::prelude::*;
use crate::source::trail::{ChangeKind, TrailChange, TrailRecord};

const SETTINGS: &str = "microsoft.insights/diagnosticsettings/";
const UPN_URI: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

pub(crate) fn trail_record(
    text: &str,
    emit: &mut dyn FnMut(TrailRecord<'_>),
) -> Result<(), RecordError> {
    // The parser's own record, so both read the same fields.
    let r: Record<'_> = from_json(text)?;
    let time = record_time(r.time.get())?;
    let operation = r.operation.get().unwrap_or("");
    let verb = operation
        .get(..SETTINGS.len())
        .filter(|head| head.eq_ignore_ascii_case(SETTINGS))
        .map(|_| operation[SETTINGS.len()..].to_ascii_lowercase());
    // An operation is logged when it starts and when it ends: the end
    // tells its outcome.
    let ended = matches!(
        r.result.get(),
        Some("Success" | "Succeeded" | "Failure" | "Failed")
    );
    let administrative = r.category.get() == Some("Administrative");
    let change = match (verb.as_deref(), administrative && ended) {
        (Some("delete"), true) => Some(ChangeKind::DiagnosticSettingDeleted),
        (Some("write"), true) => Some(ChangeKind::DiagnosticSettingWritten),
        _ => None,
    }
    .map(|kind| {
        let failed = matches!(r.result.get(), Some("Failure" | "Failed"));
        let denied = r
            .result_signature
            .get()
            .is_some_and(|s| s.contains("Forbidden") || s.contains("Authorization"));
        let claims = r.identity.0.unwrap_or_default().claims.0;
        TrailChange {
            kind,
            target: r.resource.0.clone().unwrap_or_default(),
            operation: Cow::Owned(operation.to_string()),
            error: match (failed, denied) {
                (false, _) => ErrorKind::None,
                (true, true) => ErrorKind::Denied,
                (true, false) => ErrorKind::Other,
            },
            reason: failed.then(|| r.result_signature.0.clone()).flatten(),
            identity: ["upn", UPN_URI, "name", "appid"]
                .iter()
                .find_map(|k| claims.get(*k).filter(|v| !v.is_empty()).cloned())
                .unwrap_or(Cow::Borrowed("(no identity logged)")),
            source_address: r.caller_ip.0.clone().filter(|a| !a.is_empty()),
            trail_bucket: None,
        }
    });
    emit(TrailRecord {
        change,
        ..TrailRecord::at(time)
    });
    Ok(())
}
