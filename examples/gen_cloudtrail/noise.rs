//! The noise around the secrets: EC2 describes, S3 object data events,
//! STS credentials, Lambda, CloudWatch Logs, ECR, DynamoDB and CloudWatch
//! calls, each with its parameters, response and resources as logged.

use crate::catalogue::{
    DDB_TABLES, DYNAMODB, EC2, EC2_DESCRIBE, ECR, KEY_EXTS, KEY_PREFIXES, KMS, LAMBDA, LAMBDA_MGMT,
    LOGS, MONITORING, S3, STS,
};
use crate::clock::put_expiration;
use crate::json::{AWS_ID, BASE64, put, put_chars, put_rand_hex, put_str, put_u64};
use crate::ops::Out;
use crate::render::{
    Failure, close, end_resources, ids, no_response, not_authorized, open, resource, response,
};
use crate::{ACCOUNT, REGION};

impl Out<'_> {
    pub fn ec2_describe(&mut self, who: usize, t: i64, denied: bool) {
        let (name, cli, params) = EC2_DESCRIBE[self.rng.below(EC2_DESCRIBE.len())];
        let mut r = self.rec(who, t, &EC2, name, cli);
        if denied {
            // EC2's query API has its own code and a longer message.
            r.error = Some(Failure {
                code: "Client.UnauthorizedOperation",
                message: format!(
                    "You are not authorized to perform this operation. {}",
                    not_authorized(r.who, &format!("ec2:{name}"), None)
                ),
            });
        }
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, params);
        no_response(b);
        ids(b, self.rng, &r);
        close(b, self.rng, &r, None, false);
    }

    /// An S3 object data event (`GetObject`, `HeadObject`, `PutObject`),
    /// with the SSE-KMS call it may cause.
    pub fn s3_object(&mut self, who: usize, t: i64, bucket: usize, name: &'static str) {
        let w = self.w;
        let bucket = &w.buckets[bucket];
        let cli = match name {
            "PutObject" => "s3api.put-object",
            "HeadObject" => "s3api.head-object",
            _ => "s3api.get-object",
        };
        let mut r = self.rec(who, t, &S3, name, cli);
        r.data = true;
        r.read_only = name != "PutObject";
        let mut key = Vec::with_capacity(64);
        put(&mut key, KEY_PREFIXES[self.rng.below(KEY_PREFIXES.len())]);
        put_rand_hex(&mut key, self.rng, 12);
        put(&mut key, KEY_EXTS[self.rng.below(KEY_EXTS.len())]);
        let key = String::from_utf8(key).expect("ASCII");
        let host = format!("{bucket}.s3.{REGION}.amazonaws.com");
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, "{\"bucketName\":");
        put_str(b, bucket);
        put(b, ",\"Host\":");
        put_str(b, &host);
        put(b, ",\"key\":");
        put_str(b, &key);
        b.push(b'}');
        if name == "PutObject" {
            response(b);
            put(
                b,
                "{\"x-amz-server-side-encryption\":\"aws:kms\",\"x-amz-server-side-encryption-bucket-key-enabled\":\"true\"}",
            );
        } else {
            no_response(b);
        }
        put(
            b,
            ",\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":",
        );
        let size = self.rng.range(200, 4_000_000);
        put_u64(b, if name == "PutObject" { size } else { 0 });
        put(
            b,
            ",\"SSEApplied\":\"SSE_KMS\",\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"",
        );
        put_chars(b, self.rng, BASE64, 75);
        put(b, "=\",\"bytesTransferredOut\":");
        put_u64(b, if name == "GetObject" { size } else { 0 });
        b.push(b'}');
        ids(b, self.rng, &r);
        put(
            b,
            ",\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::",
        );
        put(b, bucket);
        b.push(b'/');
        put(b, &key);
        put(b, "\"}");
        put(b, ",{\"accountId\":\"");
        put(b, ACCOUNT);
        put(b, "\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::");
        put(b, bucket);
        put(b, "\"}]");
        close(b, self.rng, &r, Some(&host), false);
        // Bucket keys make SSE-KMS calls rare: one object read in ten.
        if name != "HeadObject" && self.rng.chance(0.1) {
            let op = if name == "PutObject" {
                "GenerateDataKey"
            } else {
                "Decrypt"
            };
            let mut k = self.rec(who, t, &KMS, op, "kms.decrypt");
            k.via = Some("s3.amazonaws.com");
            let b = &mut *self.b;
            open(b, self.tally, &k);
            put(b, "{\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::");
            put(b, bucket);
            put(b, "\"},\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"");
            if op == "GenerateDataKey" {
                put(b, ",\"keySpec\":\"AES_256\"");
            }
            b.push(b'}');
            no_response(b);
            ids(b, self.rng, &k);
            resource(b, true, "AWS::KMS::Key", &w.kms_keys[1]);
            end_resources(b);
            close(b, self.rng, &k, None, false);
        }
    }

    /// STS credentials in a response: key id, session token, expiration.
    fn credentials(&mut self, t: i64) {
        let b = &mut *self.b;
        put(b, "{\"credentials\":{\"accessKeyId\":\"ASIA");
        put_chars(b, self.rng, AWS_ID, 16);
        put(b, "\",\"sessionToken\":\"IQoJb3JpZ2luX2VjE");
        put_chars(b, self.rng, BASE64, 620);
        put(b, "\",\"expiration\":\"");
        put_expiration(b, t + 3600);
        put(b, "\"}");
    }

    /// A service (`ec2`, `lambda`, `ecs-tasks`) assuming a workload's role to
    /// hand it credentials.
    pub fn assume_role_for(&mut self, service: usize, t: i64, session: usize) {
        let w = self.w;
        let (role_arn, session_name) = w.principals[session]
            .session
            .as_ref()
            .expect("a role session");
        let r = self.rec(service, t, &STS, "AssumeRole", "sts.assume-role");
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, "{\"roleArn\":");
        put_str(b, role_arn);
        put(b, ",\"roleSessionName\":");
        put_str(b, session_name);
        b.push(b'}');
        response(b);
        self.credentials(t);
        self.b.push(b'}');
        let b = &mut *self.b;
        ids(b, self.rng, &r);
        resource(b, true, "AWS::IAM::Role", role_arn);
        end_resources(b);
        close(b, self.rng, &r, None, true);
    }

    /// A person or a pipeline assuming a role (`aws sts assume-role`).
    pub fn assume_role(&mut self, who: usize, t: i64, target: usize) {
        let w = self.w;
        let (role_arn, _) = w.principals[target]
            .session
            .as_ref()
            .expect("a role session");
        let session_name = w.principals[who].label.replace(['/', '@'], "-");
        let r = self.rec(who, t, &STS, "AssumeRole", "sts.assume-role");
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, "{\"roleArn\":");
        put_str(b, role_arn);
        put(b, ",\"roleSessionName\":");
        put_str(b, &session_name);
        put(b, ",\"durationSeconds\":3600}");
        response(b);
        self.credentials(t);
        let b = &mut *self.b;
        put(b, ",\"assumedRoleUser\":{\"assumedRoleId\":\"AROA");
        put_chars(b, self.rng, AWS_ID, 17);
        b.push(b':');
        put(b, &session_name);
        put(b, "\",\"arn\":");
        let role_name = role_arn.rsplit('/').next().unwrap_or("");
        put_str(
            b,
            &format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role_name}/{session_name}"),
        );
        put(b, "}}");
        ids(b, self.rng, &r);
        resource(b, true, "AWS::IAM::Role", role_arn);
        end_resources(b);
        close(b, self.rng, &r, None, false);
    }

    pub fn get_caller_identity(&mut self, who: usize, t: i64) {
        let r = self.rec(who, t, &STS, "GetCallerIdentity", "sts.get-caller-identity");
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, "null");
        no_response(b);
        ids(b, self.rng, &r);
        close(b, self.rng, &r, None, false);
    }

    /// `Invoke`: a Lambda data event.
    pub fn lambda_invoke(&mut self, who: usize, t: i64, function: &str) {
        let mut r = self.rec(who, t, &LAMBDA, "Invoke", "lambda.invoke");
        r.data = true;
        r.read_only = false;
        let arn = format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function}");
        let b = &mut *self.b;
        open(b, self.tally, &r);
        put(b, "{\"functionName\":");
        put_str(b, &arn);
        put(b, ",\"invocationType\":\"RequestResponse\"}");
        no_response(b);
        put(b, ",\"additionalEventData\":{\"functionVersion\":");
        put_str(b, &format!("{arn}:$LATEST"));
        b.push(b'}');
        ids(b, self.rng, &r);
        resource(b, true, "AWS::Lambda::Function", &arn);
        end_resources(b);
        close(b, self.rng, &r, None, false);
    }

    pub fn lambda_mgmt(&mut self, who: usize, t: i64, function: &str) {
        let (name, cli) = LAMBDA_MGMT[self.rng.below(LAMBDA_MGMT.len())];
        let r = self.rec(who, t, &LAMBDA, name, cli);
        let b = &mut *self.b;
        open(b, self.tally, &r);
        if name.starts_with("List") && !name.contains("Versions") {
            put(b, "{\"maxItems\":50}");
        } else {
            put(b, "{\"functionName\":");
            put_str(b, function);
            b.push(b'}');
        }
        no_response(b);
        ids(b, self.rng, &r);
        close(b, self.rng, &r, None, false);
    }

    /// CloudWatch Logs, ECR, DynamoDB and CloudWatch calls of a workload.
    pub fn misc(&mut self, who: usize, t: i64, function: &str) {
        match self.rng.below(4) {
            0 => {
                let mut r = self.rec(who, t, &LOGS, "CreateLogStream", "logs.create-log-stream");
                r.read_only = false;
                let b = &mut *self.b;
                open(b, self.tally, &r);
                put(b, "{\"logGroupName\":\"/aws/lambda/");
                put(b, function);
                put(b, "\",\"logStreamName\":\"2025/03/15/[$LATEST]");
                put_rand_hex(b, self.rng, 32);
                put(b, "\"}");
                no_response(b);
                ids(b, self.rng, &r);
                close(b, self.rng, &r, None, false);
            }
            1 => {
                let r = self.rec(
                    who,
                    t,
                    &ECR,
                    "GetAuthorizationToken",
                    "ecr.get-authorization-token",
                );
                let b = &mut *self.b;
                open(b, self.tally, &r);
                put(b, "{\"registryIds\":[\"");
                put(b, ACCOUNT);
                put(b, "\"]}");
                no_response(b);
                ids(b, self.rng, &r);
                close(b, self.rng, &r, None, false);
            }
            2 => {
                let r = self.rec(
                    who,
                    t,
                    &DYNAMODB,
                    "DescribeTable",
                    "dynamodb.describe-table",
                );
                let table = DDB_TABLES[self.rng.below(DDB_TABLES.len())];
                let b = &mut *self.b;
                open(b, self.tally, &r);
                put(b, "{\"tableName\":\"");
                put(b, table);
                put(b, "\"}");
                no_response(b);
                ids(b, self.rng, &r);
                resource(
                    b,
                    true,
                    "AWS::DynamoDB::Table",
                    &format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}"),
                );
                end_resources(b);
                close(b, self.rng, &r, None, false);
            }
            _ => {
                let r = self.rec(
                    who,
                    t,
                    &MONITORING,
                    "DescribeAlarms",
                    "cloudwatch.describe-alarms",
                );
                let b = &mut *self.b;
                open(b, self.tally, &r);
                put(b, "{\"maxRecords\":100,\"stateValue\":\"ALARM\"}");
                no_response(b);
                ids(b, self.rng, &r);
                close(b, self.rng, &r, None, false);
            }
        }
    }
}
