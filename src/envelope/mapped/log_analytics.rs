//! Azure Key Vault rows of Log Analytics (Microsoft Sentinel's workspace):
//! the resource-specific `AZKVAuditLogs` table, and the legacy
//! `AzureDiagnostics` one, whose `properties` became `<name>_<type>`
//! columns and whose identity claims became `identity_claim_<name>_<type>`
//! columns (a URI claim with its `:`, `/`, `.` runs turned to `_`).
//! See: https://learn.microsoft.com/azure/azure-monitor/reference/tables/azkvauditlogs
//! and https://learn.microsoft.com/azure/azure-monitor/reference/tables/azurediagnostics

use serde_json::{Map, Value};

use super::fields::{Row, bool_of, number_of, put, text_of};

/// Claims written as URIs, by their `AzureDiagnostics` column spelling
/// (un-mangling is not unique, so only the claims read are restored).
const URI_CLAIMS: [&str; 6] = [
    "http://schemas.microsoft.com/identity/claims/objectidentifier",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
    "http://schemas.microsoft.com/identity/claims/scope",
    "http://schemas.microsoft.com/claims/authnmethodsreferences",
    "http://schemas.microsoft.com/identity/claims/tenantid",
];

const CLAIM_COLUMN: &str = "identity_claim_";

/// A Key Vault row of either table: `OperationName` beside the table's
/// name, Key Vault's resource provider, or a Key Vault resource id.
pub(super) fn is(row: &Row) -> bool {
    if !row.has("OperationName") {
        return false;
    }
    let text = |key| row.text(key).unwrap_or_default().to_ascii_lowercase();
    text("Type") == "azkvauditlogs"
        || text("ResourceProvider") == "microsoft.keyvault"
        || ["_ResourceId", "ResourceId"]
            .iter()
            .any(|key| text(key).contains("/providers/microsoft.keyvault/"))
}

pub(super) fn rebuild(row: &Row) -> Result<Value, String> {
    let lacking = |what: &str| format!("a Log Analytics Key Vault row without {what}");
    let time = row
        .string("TimeGenerated")
        .ok_or_else(|| lacking("TimeGenerated"))?;
    let mut r = Map::new();
    r.insert("time".into(), time);
    put(
        &mut r,
        "resourceId",
        row.string("ResourceId")
            .or_else(|| row.string("_ResourceId")),
    );
    put(&mut r, "operationName", row.string("OperationName"));
    put(&mut r, "operationVersion", row.string("OperationVersion"));
    r.insert(
        "category".into(),
        row.string("Category")
            .unwrap_or_else(|| "AuditEvent".into()),
    );
    for (raw, column) in [
        ("resultType", "ResultType"),
        ("resultSignature", "ResultSignature"),
        ("resultDescription", "ResultDescription"),
        ("durationMs", "DurationMs"),
        ("correlationId", "CorrelationId"),
    ] {
        put(&mut r, raw, row.string(column));
    }
    let caller = row.text_of_any(&["CallerIpAddress", "CallerIPAddress"]);
    put(&mut r, "callerIpAddress", caller.map(Value::String));
    r.insert("identity".into(), identity(row));
    r.insert("properties".into(), Value::Object(properties(row)));
    Ok(Value::Object(r))
}

/// `properties`: the `Properties` column, with the columns drawn from it.
fn properties(row: &Row) -> Map<String, Value> {
    let mut p = match row.structured("Properties") {
        Some(Value::Object(p)) => p,
        _ => Map::new(),
    };
    let text = |columns: &[&str]| row.text_of_any(columns).map(Value::String);
    put(&mut p, "id", text(&["Id", "id_s"]));
    put(&mut p, "requestUri", text(&["RequestUri", "requestUri_s"]));
    put(&mut p, "clientInfo", text(&["ClientInfo", "clientInfo_s"]));
    put(&mut p, "tlsVersion", text(&["Tlsversion", "tlsVersion_s"]));
    let first = |columns: [&str; 2], read: fn(&Value) -> Option<Value>| {
        columns.iter().find_map(|c| row.get(c).and_then(read))
    };
    put(
        &mut p,
        "httpStatusCode",
        first(["HttpStatusCode", "httpStatusCode_d"], number_of),
    );
    put(
        &mut p,
        "isAccessPolicyMatch",
        first(["IsAccessPolicyMatch", "isAccessPolicyMatch_b"], bool_of),
    );
    p
}

/// `identity`: the `Identity` column, or the `identity_claim_*` columns.
fn identity(row: &Row) -> Value {
    if let Some(identity @ Value::Object(_)) = row.structured("Identity") {
        return identity;
    }
    let mut claims = Map::new();
    for (column, value) in row.columns() {
        let Some(name) = column.strip_prefix(CLAIM_COLUMN) else {
            continue;
        };
        let Some(value) = text_of(value) else {
            continue;
        };
        claims.insert(claim_name(name), Value::String(value));
    }
    match claims.is_empty() {
        true => Value::Object(Map::new()),
        false => serde_json::json!({ "claim": claims }),
    }
}

/// A claim's name from its column's: the type suffix dropped, a URI
/// claim's spelled back.
fn claim_name(column: &str) -> String {
    let name = ["_s", "_g", "_d", "_b", "_t"]
        .iter()
        .find_map(|suffix| column.strip_suffix(suffix))
        .unwrap_or(column);
    URI_CLAIMS
        .iter()
        .find(|uri| mangled(uri) == name)
        .map_or_else(|| name.to_string(), |uri| uri.to_string())
}

/// A name as `AzureDiagnostics` spells it in a column: each run of
/// characters other than letters and digits becomes one `_`.
fn mangled(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match c.is_ascii_alphanumeric() {
            true => out.push(c),
            false if !out.ends_with('_') => out.push('_'),
            false => {}
        }
    }
    out.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_claims_are_spelled_back() {
        assert_eq!(
            claim_name("http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s"),
            URI_CLAIMS[1]
        );
        assert_eq!(
            claim_name("http_schemas_microsoft_com_identity_claims_objectidentifier_g"),
            URI_CLAIMS[0]
        );
        assert_eq!(claim_name("oid_g"), "oid");
        assert_eq!(claim_name("xms_mirid_s"), "xms_mirid");
    }

    #[test]
    fn azure_diagnostics_columns_make_the_record() {
        let row = Row::of(
            r#"{"TimeGenerated":"2025-03-15T02:22:47.1893345Z","OperationName":"SecretGet",
                "ResourceProvider":"MICROSOFT.KEYVAULT","CallerIPAddress":"10.0.0.1",
                "httpStatusCode_d":"403.0","id_s":"https://kv.vault.azure.net/secrets/s",
                "identity_claim_oid_g":"o1","identity_claim_upn_s":"",
                "identity_claim_http_schemas_xmlsoap_org_ws_2005_05_identity_claims_upn_s":"a@b",
                "isAccessPolicyMatch_b":"None","TableName":"PrimaryResult"}"#,
        )
        .unwrap();
        assert!(is(&row));
        let r = rebuild(&row).unwrap();
        assert_eq!(r["category"], "AuditEvent");
        assert_eq!(r["callerIpAddress"], "10.0.0.1");
        assert_eq!(r["properties"]["httpStatusCode"], 403);
        assert!(r["properties"].get("isAccessPolicyMatch").is_none());
        assert_eq!(r["identity"]["claim"]["oid"], "o1");
        assert_eq!(r["identity"]["claim"][URI_CLAIMS[1]], "a@b");
        assert!(r["identity"]["claim"].get("upn").is_none());
    }

    #[test]
    fn azkvauditlogs_identity_is_an_object_or_its_text() {
        let row = Row::of(
            r#"{"Type":"AZKVAuditLogs","OperationName":"SecretGet","TimeGenerated":"t",
                "Identity":"{\"claim\":{\"appid\":\"a1\"}}","HttpStatusCode":"200"}"#,
        )
        .unwrap();
        let r = rebuild(&row).unwrap();
        assert_eq!(r["identity"]["claim"]["appid"], "a1");
        assert_eq!(r["properties"]["httpStatusCode"], 200);
        let no_time = Row::of(r#"{"Type":"AZKVAuditLogs","OperationName":"SecretGet"}"#).unwrap();
        assert!(rebuild(&no_time).unwrap_err().contains("TimeGenerated"));
        // Another table's rows are none of these.
        let other = Row::of(r#"{"Type":"AzureActivity","OperationName":"x"}"#).unwrap();
        assert!(!is(&other));
    }
}
