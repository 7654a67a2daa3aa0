//! Azure Key Vault `AuditEvent` resource logs (storage JSON Lines, Event Hub
//! `{"records":[…]}`). See
//! https://learn.microsoft.com/azure/key-vault/general/logging
//!
//! Secrets, keys and certificates are all secrets to whosaw, named
//! `vault/name`, `vault/keys/name` and `vault/certificates/name`. Value
//! reads: `SecretGet`, and the operations that hand out the object itself
//! or an exportable copy of it: `SecretBackup`, `KeyBackup`, `KeyRelease`,
//! `KeyExport`, `CertificateBackup`. `KeyGet` and `CertificateGet` return
//! public parts only; key crypto operations use a key without revealing it.
//! (A certificate's private key leaves through `SecretGet` of its backing
//! secret, of the same name: the matcher ties the two together.)
//!
//! The outcome comes from the HTTP status: `resultType` says "Success" even
//! on 403 and 404. The unauthenticated `Authentication` 401 probe an SDK
//! sends before every call is not a read attempt and is ignored.

use super::prelude::*;

use super::store::literal_tail;
use names::vault_of_url;
pub(crate) use names::{Collection, is_backing_read, object_name, object_of_url, parse_name};

mod hints;
mod names;
mod trail;

#[derive(Deserialize)]
struct Record<'a> {
    #[serde(borrow, default)]
    time: Str<'a>,
    #[serde(borrow, default)]
    category: Str<'a>,
    #[serde(rename = "operationName", borrow, default)]
    operation: Str<'a>,
    #[serde(rename = "resultSignature", borrow, default)]
    result_signature: Str<'a>,
    /// The Activity Log's `resourceId` and `resultType` (`coverage`).
    #[serde(rename = "resourceId", borrow, default)]
    resource: Str<'a>,
    #[serde(rename = "resultType", borrow, default)]
    result: Str<'a>,
    #[serde(rename = "resultDescription", borrow, default)]
    result_description: Str<'a>,
    #[serde(rename = "callerIpAddress", borrow, default)]
    caller_ip: Str<'a>,
    #[serde(rename = "correlationId", borrow, default)]
    correlation_id: Str<'a>,
    #[serde(borrow, default)]
    identity: Obj<Identity<'a>>,
    #[serde(borrow, default)]
    properties: Obj<Properties<'a>>,
}

#[derive(Deserialize, Default)]
struct Identity<'a> {
    #[serde(borrow, default)]
    claim: StrMap<'a>,
    /// The Activity Log's spelling.
    #[serde(borrow, default)]
    claims: StrMap<'a>,
}

#[derive(Deserialize, Default)]
struct Properties<'a> {
    #[serde(borrow, default)]
    id: Str<'a>,
    #[serde(rename = "requestUri", borrow, default)]
    request_uri: Str<'a>,
    #[serde(rename = "httpStatusCode", borrow, default)]
    status: Option<&'a RawValue>,
    #[serde(rename = "clientInfo", borrow, default)]
    client_info: Str<'a>,
}

const OBJECT_ID_URI: &str = "http://schemas.microsoft.com/identity/claims/objectidentifier";
const UPN_URI: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
const NAME_URI: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

pub(crate) fn parse_record(
    text: &str,
    emit: &mut dyn FnMut(RawEvent<'_>),
) -> Result<(), RecordError> {
    let r: Record<'_> = from_json(text)?;
    // The Activity Log reads no secret (see `trail`).
    if r.category.get() == Some("Administrative") {
        return Ok(());
    }
    let operation = r.operation.get().unwrap_or("");
    let action = action_of(operation);
    let props = r.properties.0.unwrap_or_default();
    let urls = [props.id.get(), props.request_uri.get()];
    let named = urls.iter().flatten().find_map(|u| {
        // `POST …/keys/restore` names no object (the restored one is in `id`).
        object_of_url(u).filter(|(_, _, name)| {
            !(operation.ends_with("Restore") && name.eq_ignore_ascii_case("restore"))
        })
    });
    let secret = match (named, action) {
        (Some((vault, collection, name)), _) => object_name(vault, collection, name),
        // A read must name its secret; one that does not is no read of ours.
        (None, Action::Read) => return Ok(()),
        // A list (or another call on a collection): every object in it.
        (None, _) => match (
            collection_of_operation(operation),
            urls.iter().flatten().find_map(|u| vault_of_url(u)),
        ) {
            (Some(collection), Some(vault)) => object_name(vault, collection, "*"),
            _ => String::new(),
        },
    };
    let time = record_time(r.time.get())?;
    let error = match raw_int(props.status) {
        Some(200..=299) => ErrorKind::None,
        Some(401 | 403) => ErrorKind::Denied,
        Some(404) => ErrorKind::NotFound,
        Some(_) => ErrorKind::Other,
        None => match r.result_signature.get() {
            Some("OK" | "Accepted" | "Created" | "NoContent") => ErrorKind::None,
            Some("Unauthorized" | "Forbidden" | "401" | "403") => ErrorKind::Denied,
            Some("Not Found" | "NotFound" | "404") => ErrorKind::NotFound,
            Some(code) if code.starts_with('2') && code.len() == 3 => ErrorKind::None,
            _ => ErrorKind::Other,
        },
    };
    let lower = secret.to_ascii_lowercase();
    let claims = r.identity.0.unwrap_or_default().claim.0;
    let claim = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| claims.get(*k))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let oid = claim(&["oid", OBJECT_ID_URI]);
    let appid = claim(&["appid", "azp"]);
    let upn = claim(&["upn", "unique_name", UPN_URI, NAME_URI]);
    let (id, id_source) = match (&oid, &appid) {
        (Some(o), _) => (o.clone(), IdSource::ObjectId),
        (None, Some(a)) => (a.clone(), IdSource::AppId),
        (None, None) => (Cow::Borrowed("unknown"), IdSource::Unknown),
    };
    let label = upn.clone().unwrap_or_else(|| match &appid {
        Some(a) => Cow::Owned(format!("app {a}")),
        None => id.clone(),
    });
    let mut metadata = Vec::new();
    for (key, value) in [
        ("upn", &upn),
        ("appid", &appid),
        ("idtyp", &claim(&["idtyp"])),
        ("managed_identity", &claim(&["xms_mirid"])),
    ] {
        if let Some(v) = value {
            metadata.push((Cow::Borrowed(key), v.clone()));
        }
    }
    // An application signs in with a credential of its own; a user's
    // sessions are revoked instead (see blast-radius hints).
    let credential = if upn.is_none() { appid.clone() } else { None };
    let reason = match error {
        ErrorKind::None => None,
        _ => r
            .result_description
            .0
            .clone()
            .filter(|d| !d.is_empty())
            .or(r.result_signature.0.clone()),
    };
    emit(RawEvent {
        provider: Provider::Azure,
        action,
        kind: (action == Action::Read).then_some(ReadKind::Value),
        scope: match secret.ends_with("/*") {
            true => Scope::Children,
            false => Scope::One,
        },
        operation: Cow::Borrowed(operation),
        stage: Stage::Response,
        time,
        request_id: match r.correlation_id.get() {
            Some(c) => Cow::Owned(format!("{c}@{}@{lower}", r.time.get().unwrap_or(""))),
            None => Cow::Borrowed(""),
        },
        error,
        reason,
        logical: (lower != secret).then_some(Cow::Owned(lower)),
        secret: Cow::Owned(secret),
        alias: None,
        caller: Caller {
            id,
            id_source: Some(id_source),
            label,
            metadata,
            policies: Vec::new(),
        },
        credential,
        source_address: r.caller_ip.0.clone().filter(|a| !a.is_empty()),
        user_agent: props.client_info.0.clone().filter(|a| !a.is_empty()),
        raw_values: false,
        raw_tokens: false,
        creates: false,
        cited: None,
    });
    Ok(())
}

/// The Azure Key Vault plug-in (see [`Store`]).
pub(crate) struct Azure;

/// `SecretGet`, and `Backup` ends `SecretBackup`, `KeyBackup` and
/// `CertificateBackup`.
const READ_NEEDLES: [&str; 4] = ["SecretGet", "Backup", "KeyRelease", "KeyExport"];

const ABOUT: About = About {
    title: "Azure Key Vault AuditEvent log",
    parse: parse_record,
    trail: trail::trail_record,
    trail_needles: &[
        TrailNeedle {
            word: "DIAGNOSTICSETTINGS",
            after_segment: None,
        },
        TrailNeedle {
            word: "diagnosticSettings",
            after_segment: None,
        },
    ],
    // The vault's AuditEvent records; and the subscription's Activity Log
    // (`Administrative`), which holds no secret's read but says when a
    // vault's diagnostic setting changed (`coverage`).
    claims: &[
        &[
            Mark::Key("operationName"),
            Mark::TextIs("category", "AuditEvent"),
        ],
        &[
            Mark::Key("operationName"),
            Mark::TextIs("category", "Administrative"),
        ],
    ],
    providers: &[Provider::Azure],
    // A storage blob's or an Event Hub message's `records`.
    container_keys: &["records"],
    read_needles: &READ_NEEDLES,
    credential_kinds: &hints::KINDS,
    ..About::NONE
};

impl Store for Azure {
    fn store_named_by(&self, query: &str) -> Option<Provider> {
        query.contains(".vault.azure.").then_some(Provider::Azure)
    }

    /// `vault/name`, `vault/keys/name`, `vault/certificates/name`, from
    /// the object's URL or a name spelled with its collection.
    fn query_name(&self, _provider: Provider, name: &str) -> StoreName {
        let object = match name.contains("://") {
            true => object_of_url(name),
            false => parse_name(name),
        };
        match object {
            Some((vault, collection, object)) => StoreName {
                name: object_name(vault, collection, object),
                alias: None,
                backing: (collection == Collection::Certificates)
                    .then(|| object_name(vault, Collection::Secrets, object)),
            },
            None => StoreName::plain(name),
        }
    }

    /// Key Vault names are case-insensitive.
    fn names(&self, seen: &SecretRef<'_>, want: &StoreName) -> bool {
        seen.secret.eq_ignore_ascii_case(&want.name)
    }

    /// A certificate's private key leaves through `SecretGet` of its
    /// backing secret, of the same name.
    fn backs(&self, seen: &SecretRef<'_>, want: &StoreName) -> bool {
        want.backing
            .as_ref()
            .is_some_and(|b| seen.secret.eq_ignore_ascii_case(b))
    }

    fn is_backing_read(&self, secret: &str, key: &str) -> bool {
        is_backing_read(secret, key)
    }

    /// Found after its collection's segment in the object's URL; a
    /// certificate also after `secrets/` (its backing secret). A name that
    /// is no Key Vault object's spelling (one segment, say) matches no
    /// record.
    fn name_needles(&self, _p: Provider, want: &StoreName, out: &mut NameNeedles) -> Option<()> {
        for spelling in std::iter::once(&want.name).chain(&want.alias) {
            literal_tail(spelling.rsplit('/').next().unwrap_or(spelling))?;
            if let Some((_, collection, _)) = parse_name(spelling) {
                out.add_url_name(collection.word(), spelling)?;
                if want.backing.is_some() {
                    out.add_url_name(Collection::Secrets.word(), spelling)?;
                }
            }
        }
        Some(())
    }

    fn credential(
        &self,
        who: &crate::event::Identity,
        _: &Credentials,
    ) -> (CredentialKind, String) {
        hints::credential(who)
    }

    fn secret_hint(&self, _provider: Provider, target: &str, _logical: Option<&str>) -> String {
        hints::secret_hint(target)
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }
}

/// Which collection an operation works on, when its URL names no object
/// (`KeyList` lists `vault/keys/*`). Certificate issuers and contacts are
/// settings of the vault, not certificates.
fn collection_of_operation(operation: &str) -> Option<Collection> {
    if operation.starts_with("Secret") {
        Some(Collection::Secrets)
    } else if operation.starts_with("Key") {
        Some(Collection::Keys)
    } else if operation.starts_with("CertificateIssuer")
        || operation.starts_with("CertificateContacts")
    {
        None
    } else if operation.starts_with("Certificate") {
        Some(Collection::Certificates)
    } else {
        None
    }
}

/// Key Vault operations by what they do to the object (see README, "Azure
/// Key Vault"). Value reads: the secret itself, and every operation that
/// hands out the object or an exportable copy of it (a backup blob, a
/// released or exported key). `KeyGet` and `CertificateGet` return public
/// parts only (the public key, the public certificate); a certificate's
/// private key leaves through `SecretGet` of its backing secret. Key
/// crypto operations (`KeySign`, `KeyDecrypt`, `KeyUnwrap`…) use a key
/// without revealing it: `other`, as are the vault itself and event
/// notifications.
fn action_of(operation: &str) -> Action {
    use Collection::{Keys, Secrets};
    let Some((collection, verb)) = [
        ("Secret", Collection::Secrets),
        ("Key", Collection::Keys),
        ("Certificate", Collection::Certificates),
    ]
    .iter()
    .find_map(|(prefix, c)| operation.strip_prefix(prefix).map(|verb| (*c, verb))) else {
        return Action::Other;
    };
    match (collection, verb) {
        (Secrets, "Get") | (_, "Backup") | (Keys, "Release" | "Export") => Action::Read,
        (_, "Get" | "GetDeleted" | "PolicyGet" | "PendingGet" | "IssuerGet" | "ContactsGet")
        | (Keys, "RotationPolicyGet" | "GetRotationPolicy") => Action::Metadata,
        (_, "List" | "ListVersions" | "ListDeleted" | "IssuersList") => Action::List,
        (
            _,
            "Set" | "Create" | "Import" | "Update" | "Restore" | "Recover" | "PolicySet"
            | "PolicyUpdate" | "PendingMerge" | "PendingUpdate" | "Enroll" | "Renew" | "IssuerSet"
            | "IssuerUpdate" | "ContactsSet",
        )
        | (
            Keys,
            "Rotate"
            | "RotationPolicySet"
            | "RotationPolicyUpdate"
            | "SetRotationPolicy"
            | "UpdateRotationPolicy",
        ) => Action::Write,
        (_, "Delete" | "Purge" | "PendingDelete" | "IssuerDelete" | "ContactsDelete") => {
            Action::Delete
        }
        _ => Action::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_urls() {
        use Collection::*;
        let name = |url: &str| object_of_url(url).map(|(v, c, n)| object_name(v, c, n));
        for (url, want) in [
            (
                "https://kv-prod.vault.azure.net/secrets/db-password/0123abcd",
                Some("kv-prod/db-password"),
            ),
            (
                "https://kv-prod.vault.azure.net/secrets/db-password/?api-version=7.0",
                Some("kv-prod/db-password"),
            ),
            ("https://kv.vault.azure.net/secrets?api-version=7.0", None),
            ("https://kv.vault.azure.net/keys/cmk", Some("kv/keys/cmk")),
            (
                "https://kv.vault.azure.net/keys/cmk/0123abcd/release?api-version=7.4",
                Some("kv/keys/cmk"),
            ),
            (
                "https://kv.vault.azure.net/deletedkeys/cmk",
                Some("kv/keys/cmk"),
            ),
            ("https://kv.vault.azure.net/Keys/cmk/", Some("kv/keys/cmk")),
            (
                "https://kv.vault.azure.net/certificates/web-tls/backup?api-version=7.4",
                Some("kv/certificates/web-tls"),
            ),
            (
                "https://kv.vault.azure.net/deletedcertificates/web-tls",
                Some("kv/certificates/web-tls"),
            ),
            (
                "https://kv.vault.azure.net/certificates/issuers/digicert",
                None,
            ),
            ("https://kv.vault.azure.net/certificates/contacts", None),
            (
                "https://hsm1.managedhsm.azure.net/keys/k1",
                Some("hsm1/keys/k1"),
            ),
            ("https://kv.vault.azure.net/storage/acct", None),
            ("https://kv.vault.azure.net/", None),
        ] {
            assert_eq!(name(url).as_deref(), want, "{url}");
        }
        assert_eq!(parse_name("kv/secrets/db"), Some(("kv", Secrets, "db")));
        assert_eq!(parse_name("kv/db"), Some(("kv", Secrets, "db")));
        assert_eq!(parse_name("kv/Keys/k"), Some(("kv", Keys, "k")));
        assert_eq!(
            parse_name("kv/deletedcertificates/c"),
            Some(("kv", Certificates, "c"))
        );
        assert_eq!(parse_name("kv/other/c"), None);
        assert_eq!(parse_name("db"), None);
        assert_eq!(parse_name("kv/keys/k/v1"), None);
        assert!(is_backing_read("kv/web-tls", "kv/certificates/web-tls"));
        assert!(!is_backing_read(
            "kv/certificates/web-tls",
            "kv/certificates/web-tls"
        ));
        assert!(!is_backing_read("kv/DB", "kv/db"));
    }

    #[test]
    fn operations_by_what_they_expose() {
        use Action::*;
        for (op, want) in [
            // The value itself, or an exportable copy of the object.
            ("SecretGet", Read),
            ("SecretBackup", Read),
            ("KeyBackup", Read),
            ("KeyRelease", Read),
            ("KeyExport", Read),
            ("CertificateBackup", Read),
            // Public parts only.
            ("KeyGet", Metadata),
            ("CertificateGet", Metadata),
            ("SecretGetDeleted", Metadata),
            ("KeyGetDeleted", Metadata),
            ("CertificatePolicyGet", Metadata),
            ("CertificatePendingGet", Metadata),
            ("KeyRotationPolicyGet", Metadata),
            ("SecretList", List),
            ("KeyList", List),
            ("KeyListVersions", List),
            ("CertificateListDeleted", List),
            ("CertificateIssuersList", List),
            ("SecretSet", Write),
            ("KeyCreate", Write),
            ("KeyImport", Write),
            ("KeyRotate", Write),
            ("KeyRecover", Write),
            ("CertificateCreate", Write),
            ("CertificateImport", Write),
            ("CertificateRenew", Write),
            ("CertificatePendingMerge", Write),
            ("SecretPurge", Delete),
            ("KeyDelete", Delete),
            ("KeyPurge", Delete),
            ("CertificatePurge", Delete),
            // A key used, not revealed.
            ("KeySign", Other),
            ("KeyVerify", Other),
            ("KeyEncrypt", Other),
            ("KeyDecrypt", Other),
            ("KeyWrap", Other),
            ("KeyUnwrap", Other),
            ("KeyNearExpiryEventGridNotification", Other),
            ("CertificateExport", Other),
            ("VaultGet", Other),
            ("Authentication", Other),
        ] {
            assert_eq!(action_of(op), want, "{op}");
        }
    }

    fn outcome(status: &str, op: &str) -> Vec<ErrorKind> {
        let rec = format!(
            r#"{{"time":"2025-03-15T02:31:07.1234567Z","category":"AuditEvent","operationName":"{op}","resultType":"Success","resultSignature":"x","identity":{{"claim":{{"oid":"o1","upn":"a@b"}}}},"properties":{{"id":"https://kv-prod.vault.azure.net/secrets/DB-Password","httpStatusCode":{status}}}}}"#
        );
        let mut out = Vec::new();
        parse_record(&rec, &mut |r| {
            assert_eq!(r.secret, "kv-prod/DB-Password");
            assert_eq!(r.logical.as_deref(), Some("kv-prod/db-password"));
            if r.kind.is_some() {
                out.push(r.error)
            }
        })
        .unwrap();
        out
    }

    /// `(action, secret, logical, value read)` of one 200 record.
    fn event(op: &str, id: &str) -> (Action, String, Option<String>, bool) {
        let rec = format!(
            r#"{{"time":"2025-03-15T02:31:07.1234567Z","category":"AuditEvent","operationName":"{op}","resultType":"Success","resultSignature":"OK","identity":{{"claim":{{"oid":"o1","upn":"a@b"}}}},"properties":{{"id":"{id}","httpStatusCode":200}}}}"#
        );
        let mut out = None;
        parse_record(&rec, &mut |e| {
            out = Some((
                e.action,
                e.secret.to_string(),
                e.logical.as_deref().map(str::to_string),
                e.kind == Some(ReadKind::Value),
            ))
        })
        .unwrap();
        out.expect("an event")
    }

    #[test]
    fn keys_and_certificates_are_named_and_their_copies_are_reads() {
        let kv = "https://kv-pki.vault.azure.net";
        let got = event("KeyBackup", &format!("{kv}/keys/CMK-Storage"));
        assert_eq!(
            got,
            (
                Action::Read,
                "kv-pki/keys/CMK-Storage".into(),
                Some("kv-pki/keys/cmk-storage".into()),
                true
            )
        );
        let got = event("KeyRelease", &format!("{kv}/keys/cmk-storage/0123abcd"));
        assert_eq!(
            (got.0, got.1.as_str(), got.3),
            (Action::Read, "kv-pki/keys/cmk-storage", true)
        );
        let got = event("KeyGet", &format!("{kv}/keys/cmk-storage"));
        assert_eq!((got.0, got.3), (Action::Metadata, false));
        let got = event("KeyPurge", &format!("{kv}/deletedkeys/cmk-storage"));
        assert_eq!(
            (got.0, got.1.as_str()),
            (Action::Delete, "kv-pki/keys/cmk-storage")
        );
        let got = event("CertificateBackup", &format!("{kv}/certificates/web-tls"));
        assert_eq!(
            (got.0, got.1.as_str(), got.3),
            (Action::Read, "kv-pki/certificates/web-tls", true)
        );
        let got = event(
            "CertificateGet",
            &format!("{kv}/certificates/web-tls/0123abcd"),
        );
        assert_eq!((got.0, got.3), (Action::Metadata, false));
        // The backing secret is read as a secret, under its own name.
        let got = event("SecretGet", &format!("{kv}/secrets/web-tls/0123abcd"));
        assert_eq!(
            (got.0, got.1.as_str(), got.3),
            (Action::Read, "kv-pki/web-tls", true)
        );
    }

    #[test]
    fn the_status_code_decides_not_result_type() {
        assert_eq!(outcome("200", "SecretGet"), vec![ErrorKind::None]);
        assert_eq!(outcome("403", "SecretGet"), vec![ErrorKind::Denied]);
        assert_eq!(outcome("\"404\"", "SecretGet"), vec![ErrorKind::NotFound]);
        assert_eq!(outcome("409", "SecretGet"), vec![ErrorKind::Other]);
        assert_eq!(outcome("200", "SecretBackup"), vec![ErrorKind::None]);
        assert!(outcome("200", "SecretList").is_empty());
        assert!(outcome("401", "Authentication").is_empty());
    }

    #[test]
    fn every_operation_is_an_event() {
        let record = |op: &str, url: &str| {
            format!(
                r#"{{"time":"2025-03-15T02:31:07Z","category":"AuditEvent","operationName":"{op}","resultSignature":"Forbidden","resultDescription":"Caller is not authorized","properties":{{"id":"{url}","httpStatusCode":403,"clientInfo":"azsdk-python/4.7"}}}}"#
            )
        };
        let mut got = Vec::new();
        for (op, url) in [
            ("SecretList", "https://kv-prod.vault.azure.net/secrets"),
            ("SecretSet", "https://kv-prod.vault.azure.net/secrets/db"),
            (
                "SecretPurge",
                "https://kv-prod.vault.azure.net/deletedsecrets/db",
            ),
            ("KeySign", "https://kv-prod.vault.azure.net/keys/k"),
            ("KeyList", "https://kv-prod.vault.azure.net/keys"),
            (
                "KeyRestore",
                "https://kv-prod.vault.azure.net/keys/restore?api-version=7.4",
            ),
            (
                "CertificateIssuerGet",
                "https://kv-prod.vault.azure.net/certificates/issuers/digicert",
            ),
            ("VaultGet", "https://kv-prod.vault.azure.net/"),
        ] {
            parse_record(&record(op, url), &mut |e| {
                assert_eq!(e.kind, None);
                assert_eq!(e.reason.as_deref(), Some("Caller is not authorized"));
                assert_eq!(e.user_agent.as_deref(), Some("azsdk-python/4.7"));
                got.push((e.action, e.secret.to_string()));
            })
            .unwrap();
        }
        let want = [
            (Action::List, "kv-prod/*"),
            (Action::Write, "kv-prod/db"),
            (Action::Delete, "kv-prod/db"),
            (Action::Other, "kv-prod/keys/k"),
            (Action::List, "kv-prod/keys/*"),
            (Action::Write, "kv-prod/keys/*"),
            (Action::Metadata, ""),
            (Action::Other, ""),
        ];
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0, g.1.as_str()), w);
        }
    }
}
