//! Where a value written exactly as given sits in a Vault record (see
//! `Store::sites`): returned in the response's data, login (`auth`) or
//! wrapping (`wrap_info`), or sent in the request's data. Only a record
//! that holds the value's text is decoded, and nothing is kept of it but
//! the names of the members that hold the value; the caller's own token
//! (the record's top-level `auth`) is never a site.

use serde_json::Value;

use crate::source::store::{Site, Wanted};

/// The parts of a record a value can be returned or sent in.
const RETURNED: [&str; 3] = ["data", "auth", "wrap_info"];
const SENT: [&str; 1] = ["data"];

pub(super) fn sites(record: &str, wanted: &Wanted) -> Vec<Site> {
    let Some(at) = record.find('{') else {
        return Vec::new();
    };
    let Ok(entry) = serde_json::from_str::<Value>(&record[at..]) else {
        return Vec::new();
    };
    let lease = entry
        .pointer("/response/secret/lease_id")
        .and_then(Value::as_str)
        .filter(|l| !l.is_empty())
        .map(str::to_string);
    // KV v2 answers with the version it read.
    let version = entry
        .pointer("/response/data/metadata/version")
        .and_then(Value::as_u64);
    let mut found = Vec::new();
    for (half, parts) in [("response", &RETURNED[..]), ("request", &SENT[..])] {
        for part in parts {
            let Some(inside) = entry.get(half).and_then(|h| h.get(part)) else {
                continue;
            };
            let mut path = format!("{half}.{part}");
            walk(inside, &mut path, wanted, &mut |member| {
                let returned = half == "response";
                found.push(Site {
                    half,
                    member,
                    lease: lease.clone().filter(|_| returned),
                    version: version.filter(|_| returned),
                });
            });
        }
    }
    found
}

/// Calls `found` with the dotted path of every string in `v` that is the
/// wanted value.
fn walk(v: &Value, path: &mut String, wanted: &Wanted, found: &mut dyn FnMut(String)) {
    match v {
        Value::String(s) if wanted.is(s) => found(path.clone()),
        Value::Object(members) => {
            for (key, inside) in members {
                let len = path.len();
                path.push('.');
                path.push_str(key);
                walk(inside, path, wanted, found);
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, inside) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(inside, path, wanted, found);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "hmac-sha256:5f1c";

    #[test]
    fn a_value_returned_sent_or_only_the_caller_s() {
        let read = format!(
            r#"{{"type":"response","auth":{{"client_token":"{H}"}},"request":{{"path":"database/creds/app"}},"response":{{"secret":{{"lease_id":"database/creds/app/x1"}},"data":{{"username":"{H}","password":"hmac-sha256:0000"}}}}}}"#
        );
        let got = sites(&read, &Wanted::Text(H.into()));
        assert_eq!(got.len(), 1, "the caller's own token is no site: {got:?}");
        assert_eq!(got[0].half, "response");
        assert_eq!(got[0].member, "response.data.username");
        assert_eq!(got[0].lease.as_deref(), Some("database/creds/app/x1"));
        let write = format!(
            r#"audit: {{"type":"request","request":{{"data":{{"data":{{"keys":["a","{H}"]}}}}}}}}"#
        );
        let got = sites(&write, &Wanted::Text(H.into()));
        assert_eq!(got[0].half, "request");
        assert_eq!(got[0].member, "request.data.data.keys[1]");
        assert_eq!(got[0].lease, None);
        assert!(sites("{\"x\":", &Wanted::Text(H.into())).is_empty());
    }
}
