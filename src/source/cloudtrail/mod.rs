//! AWS CloudTrail records of Secrets Manager and SSM Parameter Store.
//! See https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
//!
//! Value reads: Secrets Manager `GetSecretValue` and `BatchGetSecretValue`
//! (each listed secret; with `filters`, a possible read of any secret); SSM
//! `GetParameter`, `GetParameters`, `GetParameterHistory` and
//! `GetParametersByPath` (every parameter under the path), decrypted or not.

use std::collections::HashMap;

use super::prelude::*;

use crate::event::Event;
use names::{parameter_name, secret_name, short_arn};
use targets::{parameter_targets, secrets_manager_targets};

mod hints;
mod names;
mod targets;
mod trail;

#[derive(Deserialize)]
struct Record<'a> {
    #[serde(rename = "eventTime", borrow, default)]
    time: Str<'a>,
    /// Where a forwarder (Logstash) moved `eventTime`.
    #[serde(rename = "@timestamp", borrow, default)]
    forwarded_time: Str<'a>,
    #[serde(rename = "eventSource", borrow, default)]
    source: Str<'a>,
    #[serde(rename = "eventName", borrow, default)]
    name: Str<'a>,
    #[serde(rename = "eventID", borrow, default)]
    event_id: Str<'a>,
    #[serde(rename = "requestID", borrow, default)]
    request_id: Str<'a>,
    #[serde(rename = "sourceIPAddress", borrow, default)]
    source_ip: Str<'a>,
    #[serde(rename = "userAgent", borrow, default)]
    user_agent: Str<'a>,
    #[serde(rename = "userIdentity", borrow, default)]
    identity: Obj<UserIdentity<'a>>,
    #[serde(rename = "requestParameters", borrow, default)]
    params: Obj<Params<'a>>,
    #[serde(rename = "errorCode", borrow, default)]
    error_code: Str<'a>,
    #[serde(rename = "errorMessage", borrow, default)]
    error_message: Str<'a>,
    #[serde(borrow, default)]
    resources: Option<&'a RawValue>,
    #[serde(rename = "responseElements", borrow, default)]
    response: Obj<ResponseElements<'a>>,
}

impl Record<'_> {
    /// The service and the call every record names.
    fn service_call(&self) -> Result<(&str, &str), RecordError> {
        match (self.source.get(), self.name.get()) {
            (Some(source), Some(name)) => Ok((source, name)),
            _ => Err(RecordError::Invalid(
                Source::CloudTrail,
                "no eventSource or eventName".into(),
            )),
        }
    }

    /// When it happened (UTC; a flattened export drops the `Z`), where a
    /// forwarder may have moved it.
    fn time(&self) -> Result<crate::event::Timestamp, RecordError> {
        record_time_utc(self.time.get().or(self.forwarded_time.get()))
    }
}

#[derive(Deserialize, Default)]
struct ResponseElements<'a> {
    #[serde(borrow, default)]
    version: Option<&'a RawValue>,
    /// A trail's bucket, as `CreateTrail` answers (`coverage`).
    #[serde(rename = "s3BucketName", borrow, default)]
    trail_bucket: Str<'a>,
}

#[derive(Deserialize, Default)]
struct UserIdentity<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Str<'a>,
    #[serde(borrow, default)]
    arn: Str<'a>,
    #[serde(rename = "principalId", borrow, default)]
    principal_id: Str<'a>,
    #[serde(rename = "accountId", borrow, default)]
    account_id: Str<'a>,
    #[serde(rename = "accessKeyId", borrow, default)]
    access_key_id: Str<'a>,
    #[serde(rename = "userName", borrow, default)]
    user_name: Str<'a>,
    #[serde(rename = "invokedBy", borrow, default)]
    invoked_by: Str<'a>,
    #[serde(rename = "sessionContext", borrow, default)]
    session: Obj<SessionContext<'a>>,
}

#[derive(Deserialize, Default)]
struct SessionContext<'a> {
    #[serde(rename = "sessionIssuer", borrow, default)]
    issuer: Obj<Issuer<'a>>,
}

#[derive(Deserialize, Default)]
struct Issuer<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Str<'a>,
    #[serde(borrow, default)]
    arn: Str<'a>,
}

#[derive(Deserialize, Default)]
struct Params<'a> {
    #[serde(rename = "secretId", borrow, default)]
    secret_id: Str<'a>,
    #[serde(rename = "secretIdList", borrow, default)]
    secret_id_list: StrList<'a>,
    #[serde(borrow, default)]
    filters: Option<&'a RawValue>,
    #[serde(borrow, default)]
    name: Str<'a>,
    #[serde(borrow, default)]
    names: StrList<'a>,
    #[serde(borrow, default)]
    path: Str<'a>,
    #[serde(borrow, default)]
    recursive: Option<&'a RawValue>,
    #[serde(rename = "withDecryption", borrow, default)]
    with_decryption: Option<&'a RawValue>,
    #[serde(borrow, default)]
    overwrite: Option<&'a RawValue>,
    // What the trail's own calls name (`coverage`).
    #[serde(rename = "trailName", borrow, default)]
    trail_name: Str<'a>,
    #[serde(rename = "eventDataStore", borrow, default)]
    event_data_store: Str<'a>,
    #[serde(rename = "bucketName", borrow, default)]
    bucket: Str<'a>,
    #[serde(rename = "s3BucketName", borrow, default)]
    trail_bucket: Str<'a>,
}

#[derive(Deserialize)]
struct Resource<'a> {
    #[serde(rename = "ARN", borrow, default)]
    arn: Str<'a>,
}

/// `true`, or the string `"true"` some re-exporters write.
fn is_true(v: Option<&RawValue>) -> bool {
    v.is_some_and(|v| matches!(v.get(), "true" | "\"true\""))
}

/// A digest file's object (`CloudTrail-Digest/…`), which vouches for the
/// log files of an hour (see `coverage`) and holds no event: told by its
/// first key, as CloudTrail writes it, or by its own keys.
pub(crate) fn is_digest(text: &str) -> bool {
    let head = text.trim_start();
    head.starts_with("{\"awsAccountId\"") && head.contains("\"digestStartTime\"")
        || head.contains("\"digestStartTime\"") && head.contains("\"logFiles\"")
}

pub(crate) fn parse_record(
    text: &str,
    emit: &mut dyn FnMut(RawEvent<'_>),
) -> Result<(), RecordError> {
    if is_digest(text) {
        return Ok(());
    }
    let r: Record<'_> = from_json(text)?;
    let (source, name) = r.service_call()?;
    let (provider, action, targets) = match source {
        "secretsmanager.amazonaws.com" => {
            let action = secrets_manager_action(name);
            (Provider::Aws, action, secrets_manager_targets(&r, name))
        }
        "ssm.amazonaws.com" if name.contains("Parameter") => {
            let action = parameter_action(name);
            (Provider::Ssm, action, parameter_targets(&r, name, action))
        }
        // The rest of the account's activity is not about secrets.
        _ => return Ok(()),
    };
    // CloudTrail times are UTC; flattened exports drop the `Z`.
    let time = r.time()?;
    let error = match r.error_code.get() {
        None => ErrorKind::None,
        Some(code) if is_denial(code) => ErrorKind::Denied,
        Some(code) if is_not_found(code) => ErrorKind::NotFound,
        Some(_) => ErrorKind::Other,
    };
    let kind = match (action, provider) {
        (Action::Read, Provider::Ssm)
            if !is_true(r.params.0.as_ref().and_then(|p| p.with_decryption)) =>
        {
            Some(ReadKind::Undecrypted)
        }
        (Action::Read, _) => Some(ReadKind::Value),
        _ => None,
    };
    let request_id = r.event_id.0.clone().or(r.request_id.0.clone());
    let creates = creates(&r, name);
    for target in targets {
        emit(RawEvent {
            provider,
            action,
            kind: match target.possible {
                true => Some(ReadKind::Possible),
                false => kind,
            },
            scope: target.scope,
            operation: Cow::Borrowed(name),
            stage: Stage::Response,
            time,
            request_id: request_id.clone().unwrap_or_default(),
            error,
            reason: r.error_code.0.clone(),
            secret: target.secret,
            logical: None,
            alias: target.alias,
            caller: caller(r.identity.0.as_ref()),
            credential: r
                .identity
                .0
                .as_ref()
                .and_then(|i| i.access_key_id.0.clone())
                .filter(|k| !k.is_empty()),
            source_address: r.source_ip.0.clone().filter(|a| !a.is_empty()),
            user_agent: r.user_agent.0.clone().filter(|a| !a.is_empty()),
            raw_values: false,
            raw_tokens: false,
            creates,
            cited: None,
        });
    }
    Ok(())
}

/// Whether a call creates the secret it names: `CreateSecret`, or a
/// `PutParameter` that was no overwrite (without `overwrite: true` it fails
/// on an existing parameter) or whose answer is version 1.
fn creates(r: &Record<'_>, name: &str) -> bool {
    match name {
        "CreateSecret" => true,
        "PutParameter" => {
            let version_one = r
                .response
                .0
                .as_ref()
                .and_then(|e| super::raw_int(e.version))
                == Some(1);
            version_one || !is_true(r.params.0.as_ref().and_then(|p| p.overwrite))
        }
        _ => false,
    }
}

/// Secrets Manager's API calls by what they do.
fn secrets_manager_action(name: &str) -> Action {
    match name {
        "GetSecretValue" | "BatchGetSecretValue" => Action::Read,
        "DescribeSecret" | "GetResourcePolicy" | "ValidateResourcePolicy" => Action::Metadata,
        n if n.starts_with("List") => Action::List,
        n if n.starts_with("Delete") || n == "RemoveRegionsFromReplication" => Action::Delete,
        n if [
            "Create",
            "Put",
            "Update",
            "Rotate",
            "Cancel",
            "Restore",
            "Tag",
            "Untag",
            "Replicate",
            "StopReplication",
        ]
        .iter()
        .any(|verb| n.starts_with(verb)) =>
        {
            Action::Write
        }
        // `GetRandomPassword` and anything added later.
        _ => Action::Other,
    }
}

/// SSM's parameter API calls by what they do.
fn parameter_action(name: &str) -> Action {
    match name {
        "GetParameter" | "GetParameters" | "GetParameterHistory" | "GetParametersByPath" => {
            Action::Read
        }
        "DescribeParameters" => Action::List,
        n if n.starts_with("Delete") => Action::Delete,
        n if ["Put", "Label", "Unlabel"]
            .iter()
            .any(|verb| n.starts_with(verb)) =>
        {
            Action::Write
        }
        _ => Action::Other,
    }
}

/// `ResourceNotFoundException` (Secrets Manager), `ParameterNotFound`,
/// `ParameterVersionNotFound` (SSM): the secret does not exist.
fn is_not_found(code: &str) -> bool {
    code.ends_with("NotFoundException") || code.ends_with("NotFound")
}

fn is_denial(code: &str) -> bool {
    code.starts_with("AccessDenied")
        || code.contains("Unauthorized")
        || code.contains("NotAuthorized")
        || code == "ExpiredTokenException"
        || code == "InvalidClientTokenId"
}

/// The AWS CloudTrail plug-in (see [`Store`]): Secrets Manager's and SSM
/// Parameter Store's events.
pub(crate) struct CloudTrail;

/// The read operations' names (`GetParameter` also starts
/// `GetParameters`, `GetParametersByPath`, `GetParameterHistory`).
const READ_NEEDLES: [&str; 2] = ["GetSecretValue", "GetParameter"];

const ABOUT: About = About {
    title: "AWS CloudTrail",
    parse: parse_record,
    trail: trail::trail_record,
    trail_needles: &[TrailNeedle {
        word: "cloudtrail.amazonaws.com",
        after_segment: None,
    }],
    // Records name themselves, so a file's records need one parse; a
    // record that is no CloudTrail event is probed.
    claims: &[
        &[Mark::Key("eventSource"), Mark::Key("eventName")],
        // A digest file: no event, but what `coverage` checks log files
        // by. (One key: the dispatcher probes at most 16 in all.)
        &[Mark::Key("digestStartTime")],
    ],
    parse_first: Some(|e| matches!(e, RecordError::Invalid(..))),
    // `aws cloudtrail lookup-events` holds each event as JSON text.
    wrappers: &[Wrapper::Text("CloudTrailEvent")],
    providers: &[Provider::Aws, Provider::Ssm],
    // An S3 delivery's `Records`; `aws cloudtrail lookup-events`' `Events`,
    // whose page may start with its `NextToken`.
    container_keys: &["Records", "Events"],
    container_leads: &[ContainerLead {
        key: "NextToken",
        with: None,
    }],
    read_needles: &READ_NEEDLES,
    credential_kinds: &hints::KINDS,
    ..About::NONE
};

impl Store for CloudTrail {
    fn store_named_by(&self, query: &str) -> Option<Provider> {
        if !query.starts_with("arn:") {
            None
        } else if query.contains(":secretsmanager:") {
            Some(Provider::Aws)
        } else if query.contains(":ssm:") {
            Some(Provider::Ssm)
        } else {
            None
        }
    }

    fn query_name(&self, provider: Provider, name: &str) -> StoreName {
        match provider {
            Provider::Ssm => StoreName::plain(parameter_name(name)),
            _ => {
                let (name, alias) = secret_name(Cow::Borrowed(name));
                StoreName {
                    name: name.into_owned(),
                    alias: alias.map(Cow::into_owned),
                    backing: None,
                }
            }
        }
    }

    /// Also reads that name no secret (a batch by filter) or only a path,
    /// and denied calls, which may log no name at all.
    fn name_needles(&self, p: Provider, want: &StoreName, out: &mut NameNeedles) -> Option<()> {
        out.add_spellings(want)?;
        out.add_marker(match p {
            Provider::Ssm => "GetParametersByPath",
            _ => "BatchGetSecretValue",
        });
        out.add_marker("errorCode");
        // The same field in exports that rebuild the record from columns
        // (Elastic's `aws.cloudtrail.error_code`, Athena's `errorcode`).
        Some(())
    }

    fn after_pairing(&self, events: Vec<Event>) -> Vec<Event> {
        drop_batch_echoes(events)
    }

    fn credential(&self, who: &Identity, keys: &Credentials) -> (CredentialKind, String) {
        hints::credential(who, keys)
    }

    fn secret_hint(&self, provider: Provider, target: &str, _logical: Option<&str>) -> String {
        hints::secret_hint(provider, target)
    }

    fn about(&self) -> &'static About {
        &ABOUT
    }
}

/// How far apart a `BatchGetSecretValue` and the per-secret
/// `GetSecretValue` events AWS logs for it may be (CloudTrail times have
/// whole seconds).
const BATCH_ECHO: i64 = 5_000_000_000;

/// AWS logs a `GetSecretValue` for each secret a `BatchGetSecretValue`
/// returns: one access, logged twice. The per-secret event is kept (it
/// carries the outcome of that secret); the batch's own event for a secret
/// is dropped when such an event by the same identity lies within a few
/// seconds, and a filtered batch (secrets unnamed) when any does.
fn drop_batch_echoes(mut events: Vec<Event>) -> Vec<Event> {
    let is_batch =
        |e: &Event| e.provider == Provider::Aws && &*e.operation == "BatchGetSecretValue";
    if !events.iter().any(is_batch) {
        return events;
    }
    // Each identity's single reads in time order: a batch looks only at
    // its identity's, within its few seconds (a busy trail has hundreds of
    // thousands of both).
    let mut singles: HashMap<&str, Vec<(i64, &str)>> = HashMap::new();
    for e in events
        .iter()
        .filter(|e| e.provider == Provider::Aws && &*e.operation == "GetSecretValue")
    {
        (singles.entry(e.identity.id.as_str()).or_default()).push((e.time.nanos(), &*e.secret));
    }
    for list in singles.values_mut() {
        list.sort_unstable();
    }
    let echoed = |batch: &Event| {
        let Some(list) = singles.get(batch.identity.id.as_str()) else {
            return false;
        };
        let t = batch.time.nanos();
        let from = list.partition_point(|&(at, _)| at < t.saturating_sub(BATCH_ECHO));
        list[from..]
            .iter()
            .take_while(|&&(at, _)| at <= t.saturating_add(BATCH_ECHO))
            .any(|&(_, secret)| batch.kind == Some(ReadKind::Possible) || secret == &*batch.secret)
    };
    let keep: Vec<bool> = events.iter().map(|e| !(is_batch(e) && echoed(e))).collect();
    drop(singles);
    // In place: only the events after the first echo move.
    let mut keep = keep.into_iter();
    events.retain(|_| keep.next().unwrap_or(true));
    events
}

fn caller<'a>(identity: Option<&UserIdentity<'a>>) -> Caller<'a> {
    let Some(u) = identity else {
        return Caller::default();
    };
    let mut metadata: Vec<(Cow<'a, str>, Cow<'a, str>)> = Vec::new();
    let mut meta = |key: &'static str, value: &Str<'a>| {
        if let Some(v) = value.0.clone().filter(|v| !v.is_empty()) {
            metadata.push((Cow::Borrowed(key), v));
        }
    };
    meta("type", &u.kind);
    meta("account", &u.account_id);
    meta("invoked_by", &u.invoked_by);
    if let Some(issuer) = u.session.0.as_ref().and_then(|s| s.issuer.0.as_ref()) {
        // The role whose sessions must be revoked, or the user who federated.
        let key = match issuer.kind.get() {
            Some("Role") | None => "role_arn",
            Some(_) => "issuer",
        };
        meta(key, &issuer.arn);
    }
    let (id, id_source) = if let Some(arn) = u.arn.0.clone().filter(|a| !a.is_empty()) {
        (arn, IdSource::Arn)
    } else if let Some(service) = u.invoked_by.0.clone().filter(|s| !s.is_empty()) {
        (service, IdSource::Service)
    } else if let Some(p) = u.principal_id.0.clone().filter(|p| !p.is_empty()) {
        (p, IdSource::PrincipalId)
    } else {
        (Cow::Borrowed("unknown"), IdSource::Unknown)
    };
    let label = match (u.kind.get(), u.user_name.get()) {
        (Some("IAMUser"), Some(user)) => Cow::Owned(user.to_string()),
        _ => Cow::Owned(short_arn(&id).to_string()),
    };
    metadata.sort();
    Caller {
        id,
        id_source: Some(id_source),
        label,
        metadata,
        policies: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::targets::UNKNOWN_SECRET;
    use super::*;
    use crate::event::Scope;

    #[test]
    fn secret_store_calls_have_actions() {
        for (name, action) in [
            ("GetSecretValue", Action::Read),
            ("ListSecrets", Action::List),
            ("DescribeSecret", Action::Metadata),
            ("PutSecretValue", Action::Write),
            ("RotateSecret", Action::Write),
            ("DeleteSecret", Action::Delete),
            ("GetRandomPassword", Action::Other),
        ] {
            assert_eq!(secrets_manager_action(name), action, "{name}");
        }
        for (name, action) in [
            ("GetParametersByPath", Action::Read),
            ("DescribeParameters", Action::List),
            ("PutParameter", Action::Write),
            ("DeleteParameters", Action::Delete),
        ] {
            assert_eq!(parameter_action(name), action, "{name}");
        }
        let put = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"secretsmanager.amazonaws.com","eventName":"PutSecretValue","userAgent":"aws-cli/2.15","errorCode":"AccessDenied","userIdentity":{"arn":"arn:aws:iam::1:user/a"},"requestParameters":{"secretId":"prod/db"}}"#;
        let list = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"secretsmanager.amazonaws.com","eventName":"ListSecrets","userIdentity":{"arn":"arn:aws:iam::1:user/a"},"requestParameters":null}"#;
        let other = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","userIdentity":{"arn":"arn:aws:iam::1:user/a"}}"#;
        let mut got = Vec::new();
        for record in [put, list, other] {
            parse_record(record, &mut |e| {
                got.push((
                    e.action,
                    e.kind,
                    e.secret.to_string(),
                    e.reason.map(|r| r.to_string()),
                    e.user_agent.map(|u| u.to_string()),
                ))
            })
            .unwrap();
        }
        assert_eq!(got.len(), 2, "only secret-store events");
        assert_eq!(got[0].0, Action::Write);
        assert_eq!(got[0].1, None);
        assert_eq!(got[0].2, "prod/db");
        assert_eq!(got[0].3.as_deref(), Some("AccessDenied"));
        assert_eq!(got[0].4.as_deref(), Some("aws-cli/2.15"));
        assert_eq!((got[1].0, got[1].2.as_str()), (Action::List, ""));
    }

    #[test]
    fn secret_references_strip_only_a_full_arn_suffix() {
        let full = "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-password-Ab12Cd";
        let (name, alias) = secret_name(Cow::Borrowed(full));
        assert_eq!(name, "prod/db-password");
        assert_eq!(alias.as_deref(), Some("prod/db-password-Ab12Cd"));
        let (name, alias) = secret_name(Cow::Borrowed("prod/api-key-Xy12Zw"));
        assert_eq!((name.as_ref(), alias), ("prod/api-key-Xy12Zw", None));
        let partial = "arn:aws:secretsmanager:us-east-1:1:secret:prod/db-password";
        assert_eq!(secret_name(Cow::Borrowed(partial)).0, "prod/db-password");
        let doubled =
            "arn:aws:secretsmanager:us-east-1:1:secret:DdApiKeySecret-aUFEgO4SmSGN-xqgqXR";
        assert_eq!(
            secret_name(Cow::Borrowed(doubled)).0,
            "DdApiKeySecret-aUFEgO4SmSGN"
        );
    }

    #[test]
    fn parameter_references() {
        assert_eq!(parameter_name("/prod/db/password"), "/prod/db/password");
        assert_eq!(parameter_name("/prod/db/password:3"), "/prod/db/password");
        assert_eq!(
            parameter_name("arn:aws:ssm:us-east-1:1:parameter/prod/db/password"),
            "/prod/db/password"
        );
        assert_eq!(
            parameter_name("arn:aws:ssm:us-east-1:1:parameter/flat-name"),
            "flat-name"
        );
    }

    fn reads(text: &str) -> Vec<(String, ReadKind, Scope, ErrorKind, String)> {
        let mut out = Vec::new();
        parse_record(text, &mut |r| {
            if let Some(kind) = r.kind {
                out.push((
                    r.secret.to_string(),
                    kind,
                    r.scope,
                    r.error,
                    r.caller.id.to_string(),
                ))
            }
        })
        .unwrap();
        out
    }

    #[test]
    fn denied_reads_with_null_parameters_recover_the_secret() {
        let rec = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","eventID":"e1","errorCode":"AccessDenied","errorMessage":"User: arn:aws:sts::1:assumed-role/staging-app/i-0abc is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:1:secret:prod/db-password-Ab12Cd because no identity-based policy allows it","requestParameters":null,"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/staging-app/i-0abc","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/staging-app"}}}}"#;
        let got = reads(rec);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "prod/db-password");
        assert_eq!(got[0].3, ErrorKind::Denied);
        let unknown = rec.replace(
            "on resource: arn:aws:secretsmanager:us-east-1:1:secret:prod/db-password-Ab12Cd ",
            "",
        );
        let got = reads(&unknown);
        assert_eq!((got[0].0.as_str(), got[0].2), (UNKNOWN_SECRET, Scope::All));
    }

    #[test]
    fn batches_and_parameters() {
        let batch = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"secretsmanager.amazonaws.com","eventName":"BatchGetSecretValue","requestParameters":{"secretIdList":["a","b"]},"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/x","userName":"x"}}"#;
        assert_eq!(reads(batch).len(), 2);
        let filtered = batch.replace(
            r#""secretIdList":["a","b"]"#,
            r#""filters":[{"key":"tag-key","values":["env"]}]"#,
        );
        let got = reads(&filtered);
        assert_eq!((got[0].1, got[0].2), (ReadKind::Possible, Scope::All));
        let by_path = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"ssm.amazonaws.com","eventName":"GetParametersByPath","requestParameters":{"path":"/prod/db","recursive":true,"withDecryption":true},"userIdentity":{"type":"AWSService","invokedBy":"ecs-tasks.amazonaws.com"}}"#;
        let got = reads(by_path);
        assert_eq!(got[0].0, "/prod/db/**");
        assert_eq!((got[0].1, got[0].2), (ReadKind::Value, Scope::Descendants));
        assert_eq!(got[0].4, "ecs-tasks.amazonaws.com");
        let plain = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"ssm.amazonaws.com","eventName":"GetParameters","requestParameters":{"names":["/a","/b"]}}"#;
        let got = reads(plain);
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|r| r.1 == ReadKind::Undecrypted));
        let other = r#"{"eventTime":"2025-03-15T02:31:07Z","eventSource":"secretsmanager.amazonaws.com","eventName":"DescribeSecret","requestParameters":{"secretId":"a"}}"#;
        assert!(reads(other).is_empty());
    }
}
