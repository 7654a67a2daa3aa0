//! The skeleton of one CloudTrail record, in the key order of S3-delivered
//! files: `eventVersion`, `userIdentity`, `eventTime`, `eventSource`,
//! `eventName`, `awsRegion`, `sourceIPAddress`, `userAgent`, `errorCode`,
//! `errorMessage`, `requestParameters`, `responseElements`,
//! `additionalEventData`, `requestID`, `eventID`, `readOnly`, `resources`,
//! `eventType`, `managementEvent`, `recipientAccountId`, `sharedEventID`,
//! `vpcEndpointId`, `eventCategory`, `tlsDetails`.
//!
//! A record is written in three calls around the parts only the operation
//! knows: `open` (up to `"requestParameters":`), the parameters, then
//! `response` (`"responseElements":`), the response, `ids`, optional
//! resources, and `close`. Every call appends to the file's buffer.

use crate::catalogue::{S3, Svc, TLS12_SUITES};
use crate::clock::put_time;
use crate::json::{put, put_s3_request_id, put_str, put_uuid};
use crate::principals::{Kind, Principal};
use crate::rng::Rng;
use crate::summary::Tally;
use crate::{ACCOUNT, REGION};

/// A denial or failure: `errorCode` and `errorMessage`.
pub struct Failure {
    pub code: &'static str,
    pub message: String,
}

pub struct Rec<'a> {
    pub who: &'a Principal,
    /// A service acting on the caller's behalf (`invokedBy`): it is then the
    /// source address and user agent, and no TLS session is logged.
    pub via: Option<&'static str>,
    pub time: i64,
    pub svc: &'static Svc,
    pub name: &'static str,
    /// The AWS CLI command of this call, for CLI user agents.
    pub cli: &'static str,
    /// Which of the caller's addresses.
    pub ip: usize,
    pub error: Option<Failure>,
    pub read_only: bool,
    /// A data event (S3 objects, Lambda Invoke) rather than a management one.
    pub data: bool,
}

impl<'a> Rec<'a> {
    pub fn new(
        who: &'a Principal,
        time: i64,
        svc: &'static Svc,
        name: &'static str,
        cli: &'static str,
        rng: &mut Rng,
    ) -> Rec<'a> {
        Rec {
            who,
            via: None,
            time,
            svc,
            name,
            cli,
            ip: rng.below(who.ips.len()),
            error: None,
            read_only: true,
            data: false,
        }
    }
}

/// Writes everything up to and including `"requestParameters":`.
pub fn open(b: &mut Vec<u8>, tally: &mut Tally, r: &Rec) {
    tally.record(r);
    // Records are separated by commas inside `{"Records":[...]}`.
    if b.last() != Some(&b'[') {
        b.push(b',');
    }
    put(b, "{\"eventVersion\":\"");
    put(b, r.svc.version);
    put(b, "\",\"userIdentity\":");
    put(b, &r.who.ident);
    if let Some(service) = r.via {
        put(b, ",\"invokedBy\":\"");
        put(b, service);
        b.push(b'"');
    }
    put(b, "},\"eventTime\":\"");
    put_time(b, r.time);
    put(b, "\",\"eventSource\":\"");
    put(b, r.svc.source);
    put(b, "\",\"eventName\":\"");
    put(b, r.name);
    put(b, "\",\"awsRegion\":\"");
    put(b, REGION);
    put(b, "\",\"sourceIPAddress\":");
    match r.via {
        Some(service) => put_str(b, service),
        None => put_str(b, &r.who.ips[r.ip]),
    }
    put(b, ",\"userAgent\":");
    match r.via {
        Some(service) => put_str(b, service),
        None => {
            b.push(b'"');
            r.who.put_user_agent(b, r.svc, r.cli);
            b.push(b'"');
        }
    }
    if let Some(f) = &r.error {
        put(b, ",\"errorCode\":\"");
        put(b, f.code);
        put(b, "\",\"errorMessage\":");
        put_str(b, &f.message);
    }
    put(b, ",\"requestParameters\":");
}

pub fn response(b: &mut Vec<u8>) {
    put(b, ",\"responseElements\":");
}

/// `"responseElements":null`, as for every read.
pub fn no_response(b: &mut Vec<u8>) {
    put(b, ",\"responseElements\":null");
}

/// `requestID`, `eventID` and `readOnly`.
pub fn ids(b: &mut Vec<u8>, rng: &mut Rng, r: &Rec) {
    put(b, ",\"requestID\":\"");
    if r.svc.id == S3.id {
        put_s3_request_id(b, rng);
    } else {
        put_uuid(b, rng);
    }
    put(b, "\",\"eventID\":\"");
    put_uuid(b, rng);
    put(
        b,
        if r.read_only {
            "\",\"readOnly\":true"
        } else {
            "\",\"readOnly\":false"
        },
    );
}

/// One `resources` entry: `{"accountId":…,"type":…,"ARN":…}`.
pub fn resource(b: &mut Vec<u8>, first: bool, kind: &str, arn: &str) {
    put(b, if first { ",\"resources\":[" } else { "," });
    put(b, "{\"accountId\":\"");
    put(b, ACCOUNT);
    put(b, "\",\"type\":\"");
    put(b, kind);
    put(b, "\",\"ARN\":");
    put_str(b, arn);
    b.push(b'}');
}

pub fn end_resources(b: &mut Vec<u8>) {
    b.push(b']');
}

/// The tail. `host`: the TLS host header when it is not the service's own
/// (S3 virtual-hosted buckets); `shared`: a `sharedEventID` (STS calls
/// made by a service on a role's behalf).
pub fn close(b: &mut Vec<u8>, rng: &mut Rng, r: &Rec, host: Option<&str>, shared: bool) {
    put(b, ",\"eventType\":\"AwsApiCall\",\"managementEvent\":");
    put(b, if r.data { "false" } else { "true" });
    put(b, ",\"recipientAccountId\":\"");
    put(b, ACCOUNT);
    b.push(b'"');
    if shared {
        put(b, ",\"sharedEventID\":\"");
        put_uuid(b, rng);
        b.push(b'"');
    }
    let direct = r.via.is_none() && r.who.kind != Kind::AwsService;
    if let (true, Some(vpce)) = (direct, &r.who.vpce) {
        put(b, ",\"vpcEndpointId\":\"");
        put(b, vpce);
        b.push(b'"');
    }
    put(
        b,
        if r.data {
            ",\"eventCategory\":\"Data\""
        } else {
            ",\"eventCategory\":\"Management\""
        },
    );
    if direct {
        if r.who.tls13 {
            put(
                b,
                ",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\"",
            );
        } else {
            put(
                b,
                ",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.2\",\"cipherSuite\":\"",
            );
            put(b, TLS12_SUITES[(r.time as usize) % TLS12_SUITES.len()]);
            b.push(b'"');
        }
        put(b, ",\"clientProvidedHostHeader\":\"");
        put(b, host.unwrap_or(r.svc.host));
        put(b, "\"}");
    }
    b.push(b'}');
}

/// IAM's wording of an identity-policy denial.
pub fn not_authorized(who: &Principal, action: &str, resource: Option<&str>) -> String {
    let mut m = format!("User: {} is not authorized to perform: {action}", who.arn);
    if let Some(res) = resource {
        m.push_str(" on resource: ");
        m.push_str(res);
    }
    m.push_str(" because no identity-based policy allows the ");
    m.push_str(action);
    m.push_str(" action");
    m
}
