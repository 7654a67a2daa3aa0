//! How each store's names are matched and searched for, through the
//! matcher: the spellings and needles every plug-in supplies, tested on
//! records as each store writes them.

use crate::event::{Provider, Scope};
use crate::matcher::{Match, QueryPrefilter, SecretQuery, SecretRef};

fn store(provider: Provider, secret: &str, scope: Scope) -> SecretRef<'_> {
    SecretRef::bare(provider, secret, scope)
}

#[test]
fn store_spellings() {
    let q = SecretQuery::exact(
        "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-password-Ab12Cd",
        &[],
    );
    assert_eq!(q.providers(), &[Provider::Aws]);
    assert!(
        q.matches(&store(Provider::Aws, "prod/db-password", Scope::One))
            .is_some()
    );
    let q = SecretQuery::exact("azure:KV-prod/DB-password", &[]);
    assert!(
        q.matches(&store(Provider::Azure, "kv-prod/db-Password", Scope::One))
            .is_some()
    );
    let q = SecretQuery::exact("gcp:projects/p/secrets/db/versions/3", &[]);
    assert_eq!(q.name_in(Provider::Gcp), Some("projects/p/secrets/db"));
    let mut aws = store(Provider::Aws, "prod/api-key", Scope::One);
    aws.alias = Some("prod/api-key-Xy12Zw");
    let q = SecretQuery::exact("aws:prod/api-key-Xy12Zw", &[]);
    assert!(q.matches(&aws).is_some());
}

#[test]
fn needles_find_names_lists_and_nameless_reads() {
    let q = SecretQuery::exact("prod/db-password", &[]);
    let Some(QueryPrefilter::Needles(n)) = q.prefilter() else {
        panic!("expected needles");
    };
    let data = br#"{"id":"https://prod.vault.azure.net/secrets/DB-PASSWORD"} {"resource":"secrets"} {"eventSource":"secretsmanager.amazonaws.com"} {"eventName":"BatchGetSecretValue"}"#;
    let hits = n.hits(data);
    assert_eq!(hits.len(), 3, "{hits:?}");
    let named = |s: &str| !n.hits(s.as_bytes()).is_empty();
    assert!(named(
        r#"{"secretId":"arn:aws:secretsmanager:us-east-1:1:secret:prod/db-password-Ab12Cd"}"#
    ));
    assert!(named(r#"{"secretId":"prod/db-password"}"#));
    assert!(named(r#"{"path":"prod/data/db-password"}"#));
    assert!(named(
        r#"{"objectRef":{"namespace":"prod","name":"db-password"}}"#
    ));
    assert!(named(r#"{"log":"{\"name\":\"db-password\"}"}"#));
    assert!(named(r#"{"path":"prod\/db-password"}"#));
    // Another secret with the same last segment, or a longer name.
    assert!(!named(r#"{"secretId":"prod/svc-7/db-password"}"#));
    assert!(!named(r#"{"secretId":"prod/db-password-old"}"#));
    assert!(!named(r#"{"secretId":"staging/db-password"}"#));
    let q = SecretQuery::exact("gcp:projects/p/secrets/db", &[]);
    let Some(QueryPrefilter::Needles(n)) = q.prefilter() else {
        panic!("expected needles");
    };
    let data = br#"{"resourceName":"projects/p/locations/us-east1/secrets/db/versions/1"}"#;
    assert_eq!(n.hits(data).len(), 1);
}

#[test]
fn azure_keys_certificates_and_their_urls() {
    let name = |q: &str| {
        SecretQuery::exact(q, &[])
            .name_in(Provider::Azure)
            .map(str::to_string)
    };
    for (query, want) in [
        ("azure:kv/secrets/db", "kv/db"),
        ("azure:kv/db", "kv/db"),
        ("azure:kv/keys/cmk", "kv/keys/cmk"),
        ("azure:kv/deletedkeys/cmk", "kv/keys/cmk"),
        ("https://kv.vault.azure.net/keys/cmk", "kv/keys/cmk"),
        (
            "https://kv.vault.azure.net/keys/cmk/0123abcd/",
            "kv/keys/cmk",
        ),
        (
            "https://kv.vault.azure.net/certificates/web-tls/",
            "kv/certificates/web-tls",
        ),
        ("https://kv.vault.azure.net/secrets/db/0123abcd", "kv/db"),
        ("azure:https://kv.vault.azure.net/secrets/db/", "kv/db"),
    ] {
        assert_eq!(name(query).as_deref(), Some(want), "{query}");
    }
    let azure = |secret| store(Provider::Azure, secret, Scope::One);
    let cert = SecretQuery::exact("azure:kv/certificates/Web-TLS", &[]);
    assert_eq!(
        cert.matches(&azure("kv/certificates/web-tls")),
        Some(Match::Named)
    );
    // Its backing secret: the read is kept, grouped under the certificate.
    assert_eq!(
        cert.matches(&azure("kv/WEB-TLS")),
        Some(Match::Backing("kv/certificates/web-tls".into()))
    );
    assert_eq!(cert.matches(&azure("kv/keys/web-tls")), None);
    assert_eq!(cert.matches(&azure("other/web-tls")), None);
    // A secret's query does not pull in its certificate, nor a key.
    let secret = SecretQuery::exact("azure:kv/secrets/web-tls", &[]);
    assert_eq!(secret.matches(&azure("kv/web-tls")), Some(Match::Named));
    assert_eq!(secret.matches(&azure("kv/certificates/web-tls")), None);
    assert_eq!(
        SecretQuery::exact("azure:kv/keys/web-tls", &[]).matches(&azure("kv/web-tls")),
        None
    );
    // Lists cover no key: they are not reads.
    let key = SecretQuery::exact("azure:kv/keys/cmk", &[]);
    assert!(
        key.matches(&store(Provider::Azure, "kv/*", Scope::Children))
            .is_none()
    );
}

#[test]
fn azure_needles_follow_the_collection() {
    let hits = |query: &str, text: &str| {
        let Some(QueryPrefilter::Needles(n)) = SecretQuery::exact(query, &[]).prefilter() else {
            panic!("expected needles");
        };
        n.hits(text.as_bytes()).len()
    };
    let key = "azure:kv/keys/cmk";
    let cert = "https://kv.vault.azure.net/certificates/web-tls";
    let secret = "azure:kv/secrets/web-tls";
    let url = |rest: &str| format!(r#"{{"id":"https://kv.vault.azure.net/{rest}"}}"#);
    for (query, record, found) in [
        (key, url("keys/CMK/01ab"), 1),
        (key, url("deletedkeys/cmk"), 1),
        (
            key,
            r#"{"id":"https:\/\/kv.vault.azure.net\/keys\/cmk"}"#.into(),
            1,
        ),
        (key, url("secrets/cmk"), 0),
        (key, url("keys/cmk-old"), 0),
        (cert, url("certificates/web-tls/01ab"), 1),
        // The backing secret, however its `/` is written.
        (
            cert,
            r#"{"requestUri":"https://kv.vault.azure.net/secrets/Web-TLS/?a=1"}"#.into(),
            1,
        ),
        (cert, url("secrets/web-tls"), 1),
        (cert, url("keys/web-tls"), 0),
        // A secret is searched after `secrets/` only.
        (secret, url("secrets/web-tls"), 1),
        (secret, url("certificates/web-tls"), 0),
    ] {
        assert_eq!(hits(query, &record), found, "{query} in {record}");
    }
}
