#!/usr/bin/env python3
"""Writes the hand-designed fixtures of the non-Vault sources.

Folders written (and only these): cloudtrail/, azure/, gcp/, k8s/, incident/.
Every record is modelled field by field on the source's documented format
(see ../../shared/FORMATS.md sections 0 and 2-5); all ids, names and
addresses are made up (documentation ranges 192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24, private 10.x, AWS account 111122223333). Ids are derived from
fixed seeds, so the output is the same on every run; gzip members carry
mtime 0. The files are committed; this script documents how they were made
and rebuilds them byte for byte:

    python3 testdata/make_multi_fixtures.py           # write the files
    python3 testdata/make_multi_fixtures.py --facts   # also list what each record shows

What each file and record shows is described in testdata/README.md ("The other stores").
"""

import base64
import datetime
import gzip
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# Deterministic ids and shared helpers


def digest(seed):
    return hashlib.sha256(seed.encode()).digest()


def uuid(seed):
    h = digest(seed).hex()
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) % 4], h[17:20], h[20:32])


def hex32(seed):
    return digest(seed).hex()[:32]


def b32(seed, n):
    return base64.b32encode(digest(seed)).decode()[:n]


def aws_id(prefix, seed):
    """AKIA/ASIA keys are 20 characters, AIDA/AROA principal ids 21."""
    return prefix + b32(seed, 16 if prefix in ("AKIA", "ASIA") else 17)


def alnum(seed, n):
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[b % 36] for b in digest(seed)[:n])


def go_json(obj):
    """Go's encoding/json: compact, `<`, `>`, `&` escaped (HTML-safe default)."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def compact(obj):
    return json.dumps(obj, separators=(",", ":"))


def go_pretty(obj, indent=2):
    text = json.dumps(obj, indent=indent, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


WRITTEN = []
FACTS = []


def fact(path, where, text):
    FACTS.append((path, where, text))


def write(rel, text):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    WRITTEN.append(rel)


def write_gz(rel, text):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(gzip.compress(text.encode(), compresslevel=9, mtime=0))
    WRITTEN.append(rel)


def lines(records, dump):
    return "".join(dump(r) + "\n" for r in records)


# --------------------------------------------------------------------------
# AWS CloudTrail

ACCT = "111122223333"
REGION = "us-east-1"
SM_ARN = "arn:aws:secretsmanager:%s:%s:secret:" % (REGION, ACCT)
DB_ARN = SM_ARN + "prod/db-password-Ab12Cd"
DB_PARTIAL_ARN = SM_ARN + "prod/db-password"
APIKEY_ARN = SM_ARN + "prod/api-key-Xy12Zw-Qr34St"
CACHE_ARN = SM_ARN + "prod/cache-password-Mn56Op"
STRIPE_ARN = SM_ARN + "prod/stripe-api-key-Tu78Vw"
KMS_KEY = "arn:aws:kms:%s:%s:key/%s" % (REGION, ACCT, uuid("kms-secrets-key"))
GITHUB_OIDC = "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com" % ACCT
GITHUB_SUBJECT = "repo:acme/app:ref:refs/heads/main"

UA_CLI = "aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/arm64 prompt/off command/%s"
UA_GO = "aws-sdk-go-v2/1.25.3 os/linux lang/go#1.22.1 api/%s"
UA_JAVA = "aws-sdk-java/2.25.6 Linux/6.1.79-99.164.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10"
UA_BOTO = "Boto3/1.34.69 Python/3.12.2 Linux/5.10.213-201.855.amzn2.x86_64 Botocore/1.34.69"
UA_GHA = "aws-sdk-js/3.540.0 ua/2.0 os/linux#6.5.0-1016-azure lang/js md/nodejs#20.11.1 api/sts#3.540.0"


def iam_user(name):
    return {"type": "IAMUser", "principalId": aws_id("AIDA", "user-" + name),
            "arn": "arn:aws:iam::%s:user/%s" % (ACCT, name), "accountId": ACCT,
            "accessKeyId": aws_id("AKIA", "key-" + name), "userName": name}


def role_session(role, session, created, kind="plain", path=""):
    role_id = aws_id("AROA", "role-" + role)
    ctx = {"sessionIssuer": {"type": "Role", "principalId": role_id,
                             "arn": "arn:aws:iam::%s:role/%s%s" % (ACCT, path, role),
                             "accountId": ACCT, "userName": role}}
    if kind == "github":
        ctx["webIdFederationData"] = {"federatedProvider": GITHUB_OIDC, "attributes": {}}
    ctx["attributes"] = {"creationDate": created, "mfaAuthenticated": "false"}
    if kind == "ec2":
        ctx["ec2RoleDelivery"] = "2.0"
    return {"type": "AssumedRole", "principalId": "%s:%s" % (role_id, session),
            "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCT, role, session), "accountId": ACCT,
            "accessKeyId": aws_id("ASIA", "session-%s-%s" % (role, session)), "sessionContext": ctx}


def tls(service):
    return {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": "%s.%s.amazonaws.com" % (service, REGION)}


def ct(seed, time, who, service, name, params, ip, ua, response=None, error=None, resources=None,
       read_only=True, vpce=None, with_tls=True, version="1.09"):
    """One CloudTrail record, keys in the order CloudTrail writes them."""
    r = {"eventVersion": version, "userIdentity": who, "eventTime": time,
         "eventSource": service + ".amazonaws.com", "eventName": name, "awsRegion": REGION,
         "sourceIPAddress": ip, "userAgent": ua}
    if error:
        r["errorCode"], r["errorMessage"] = error
    r["requestParameters"] = params
    r["responseElements"] = response
    r["requestID"] = uuid("req-" + seed)
    r["eventID"] = uuid("evt-" + seed)
    r["readOnly"] = read_only
    if resources:
        r["resources"] = resources
    r["eventType"] = "AwsApiCall"
    r["managementEvent"] = True
    r["recipientAccountId"] = ACCT
    if vpce:
        r["vpcEndpointId"] = vpce
    r["eventCategory"] = "Management"
    if with_tls:
        r["tlsDetails"] = tls(service)
    return r


def get_secret(seed, time, who, secret_id, ip, ua, **kw):
    params = {"secretId": secret_id}
    params.update(kw.pop("extra", {}))
    return ct(seed, time, who, "secretsmanager", "GetSecretValue", params, ip, ua, **kw)


def kms_decrypt(seed, time, who, secret_arn):
    """The KMS Decrypt Secrets Manager makes for a value read (noise)."""
    who = dict(who, invokedBy="secretsmanager.amazonaws.com")
    params = {"encryptionContext": {"SecretARN": secret_arn, "SecretVersionId": uuid("ver-" + secret_arn)},
              "encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
    return ct(seed, time, who, "kms", "Decrypt", params, "secretsmanager.amazonaws.com",
              "secretsmanager.amazonaws.com",
              resources=[{"accountId": ACCT, "type": "AWS::KMS::Key", "ARN": KMS_KEY}], with_tls=False)


def assume_role_web_identity(seed, time, session, ip):
    who = {"type": "WebIdentityUser",
           "principalId": "%s:sts.amazonaws.com:%s" % (GITHUB_OIDC, GITHUB_SUBJECT),
           "userName": GITHUB_SUBJECT, "identityProvider": GITHUB_OIDC}
    role_arn = "arn:aws:iam::%s:role/ci-deploy" % ACCT
    expires = datetime.datetime.strptime(time, "%Y-%m-%dT%H:%M:%SZ") + datetime.timedelta(hours=1)
    response = {
        "credentials": {"accessKeyId": aws_id("ASIA", "session-ci-deploy-" + session),
                        "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE" + base64.b64encode(digest("tok-" + session)).decode(),
                        "expiration": expires.strftime("%b %-d, %Y, %-I:%M:%S %p")},
        "subjectFromWebIdentityToken": GITHUB_SUBJECT,
        "assumedRoleUser": {"assumedRoleId": "%s:%s" % (aws_id("AROA", "role-ci-deploy"), session),
                            "arn": "arn:aws:sts::%s:assumed-role/ci-deploy/%s" % (ACCT, session)},
        "provider": GITHUB_OIDC, "audience": "sts.amazonaws.com"}
    return ct(seed, time, who, "sts", "AssumeRoleWithWebIdentity",
              {"roleArn": role_arn, "roleSessionName": session, "durationSeconds": 3600}, ip, UA_GHA,
              response=response, resources=[{"accountId": ACCT, "type": "AWS::IAM::Role", "ARN": role_arn}])


ALICE = iam_user("alice")
BUILD_BOT = iam_user("build-bot")
CI_4411 = role_session("ci-deploy", "gh-run-4411", "2025-03-15T02:30:58Z", "github")
CI_4412 = role_session("ci-deploy", "gh-run-4412", "2025-03-15T02:33:30Z", "github")
CI_4415 = role_session("ci-deploy", "gh-run-4415", "2025-03-15T02:31:40Z", "github")
CI_4420 = role_session("ci-deploy", "gh-run-4420", "2025-03-15T02:30:58Z", "github")
PAYMENTS = role_session("payments-api", "i-0f1e2d3c4b5a69788", "2025-03-15T01:58:12Z", "ec2")
STAGING = role_session("staging-app", "i-0abc", "2025-03-15T02:12:09Z", "ec2")
BATCH = role_session("batch-reader", "nightly-export", "2025-03-15T02:44:51Z")
REPORT = role_session("report-generator", "report-generator", "2025-03-15T02:37:58Z")
SSO_ROLE = "AWSReservedSSO_AdministratorAccess_3f8e2a1b9c7d6e5f"
DAVE_SSO = role_session(SSO_ROLE, "dave@acme.example", "2025-03-15T02:41:17Z",
                        path="aws-reserved/sso.amazonaws.com/")
ECS = {"type": "AWSService", "invokedBy": "ecs-tasks.amazonaws.com"}
PAYMENTS_VPCE = "vpce-0a1b2c3d4e5f60718"


def denied_message(who_arn, action, resource=None):
    text = "User: %s is not authorized to perform: %s" % (who_arn, action)
    if resource:
        text += " on resource: %s" % resource
    return text + " because no identity-based policy allows the %s action" % action


def secretsmanager_jsonl():
    rel = "cloudtrail/secretsmanager.jsonl"
    recs = []

    def add(rec, text):
        recs.append(rec)
        fact(rel, "line %d" % len(recs), text)

    add(ct("sm-01", "2025-03-15T02:05:12Z", ALICE, "secretsmanager", "ListSecrets", {"maxResults": 100},
           "198.51.100.23", UA_CLI % "secretsmanager.list-secrets"),
        "ListSecrets by alice: not a value read")
    add(ct("sm-02", "2025-03-15T02:05:40Z", ALICE, "secretsmanager", "DescribeSecret",
           {"secretId": "prod/db-password"}, "198.51.100.23", UA_CLI % "secretsmanager.describe-secret"),
        "DescribeSecret prod/db-password by alice: not a value read")
    add(get_secret("sm-03", "2025-03-15T02:06:03Z", ALICE, "prod/db-password", "198.51.100.23",
                   UA_CLI % "secretsmanager.get-secret-value"),
        "GetSecretValue by NAME prod/db-password; arn:aws:iam::111122223333:user/alice (IAMUser, key %s); success"
        % ALICE["accessKeyId"])
    add(kms_decrypt("sm-04", "2025-03-15T02:06:03Z", ALICE, DB_ARN),
        "kms Decrypt invokedBy secretsmanager.amazonaws.com for alice's read (encryptionContext.SecretARN names "
        "prod/db-password): not a Secrets Manager read, must not count")
    add(get_secret("sm-05", "2025-03-15T02:06:31Z", ALICE, "prod/db-password", "198.51.100.23",
                   UA_CLI % "secretsmanager.get-secret-value", extra={"versionStage": "AWSPENDING"},
                   error=("ResourceNotFoundException",
                          "Secrets Manager can't find the specified secret value for staging label: AWSPENDING")),
        "GetSecretValue prod/db-password versionStage AWSPENDING by alice; ResourceNotFoundException: ERROR, not denied")
    add(get_secret("sm-06", "2025-03-15T02:31:07Z", CI_4411, DB_ARN, "203.0.113.41", UA_GO % "secretsmanager#1.28.2"),
        "GetSecretValue by FULL ARN ...:secret:prod/db-password-Ab12Cd; "
        "arn:aws:sts::111122223333:assumed-role/ci-deploy/gh-run-4411 (role arn:aws:iam::111122223333:role/ci-deploy, key %s); "
        "success; same eventID as lookup-events.json Events[0]" % CI_4411["accessKeyId"])
    add(get_secret("sm-07", "2025-03-15T02:31:08Z", CI_4411, "prod/api-key-Xy12Zw", "203.0.113.41",
                   UA_GO % "secretsmanager#1.28.2"),
        "GetSecretValue by NAME prod/api-key-Xy12Zw (the name itself ends like a suffix) by gh-run-4411; "
        "canonical prod/api-key-Xy12Zw, NOT prod/api-key; success")
    add(get_secret("sm-08", "2025-03-15T02:33:45Z", CI_4412, DB_PARTIAL_ARN, "203.0.113.58",
                   UA_GO % "secretsmanager#1.28.2"),
        "GetSecretValue by PARTIAL ARN ...:secret:prod/db-password (no suffix); "
        "arn:aws:sts::111122223333:assumed-role/ci-deploy/gh-run-4412 (same role, other session); success")
    dup = get_secret("sm-09", "2025-03-15T02:34:12Z", PAYMENTS, "prod/db-password", "10.0.2.17", UA_JAVA,
                     vpce=PAYMENTS_VPCE)
    add(dup, "GetSecretValue by NAME prod/db-password; "
        "arn:aws:sts::111122223333:assumed-role/payments-api/i-0f1e2d3c4b5a69788 via VPC endpoint, 10.0.2.17; "
        "success; DUPLICATE of the next line")
    add(dup, "identical copy of line 9 (same eventID %s): counts once" % dup["eventID"])
    add(get_secret("sm-11", "2025-03-15T02:34:13Z", PAYMENTS, "prod/api-key", "10.0.2.17", UA_JAVA,
                   vpce=PAYMENTS_VPCE),
        "GetSecretValue by NAME prod/api-key (a different secret from prod/api-key-Xy12Zw) by payments-api; success")
    add(get_secret("sm-12", "2025-03-15T02:36:51Z", STAGING, None, "10.20.3.14", UA_BOTO,
                   error=("AccessDeniedException",
                          denied_message(STAGING["arn"], "secretsmanager:GetSecretValue", DB_ARN))),
        "GetSecretValue DENIED (AccessDeniedException), requestParameters null; "
        "arn:aws:sts::111122223333:assumed-role/staging-app/i-0abc; the secret (prod/db-password) is known only "
        "from the ARN in errorMessage")
    recs[-1]["requestParameters"] = None
    add(get_secret("sm-13", "2025-03-15T02:37:20Z", BUILD_BOT, None, "192.0.2.140",
                   UA_CLI % "secretsmanager.get-secret-value",
                   error=("AccessDeniedException",
                          denied_message(BUILD_BOT["arn"], "secretsmanager:GetSecretValue"))),
        "GetSecretValue DENIED, requestParameters null and errorMessage naming no resource; "
        "arn:aws:iam::111122223333:user/build-bot; secret UNKNOWN (may be any)")
    recs[-1]["requestParameters"] = None
    add(get_secret("sm-14", "2025-03-15T02:40:10Z", ALICE, APIKEY_ARN, "198.51.100.23",
                   UA_CLI % "secretsmanager.get-secret-value"),
        "GetSecretValue by FULL ARN ...:secret:prod/api-key-Xy12Zw-Qr34St by alice; canonical prod/api-key-Xy12Zw "
        "(suffix Qr34St stripped once); success")
    add(ct("sm-15", "2025-03-15T02:45:00Z", BATCH, "secretsmanager", "BatchGetSecretValue",
           {"secretIdList": ["prod/db-password", "prod/cache-password"]}, "10.0.5.33", UA_BOTO),
        "BatchGetSecretValue secretIdList [prod/db-password, prod/cache-password]; "
        "arn:aws:sts::111122223333:assumed-role/batch-reader/nightly-export; success")
    add(get_secret("sm-16", "2025-03-15T02:45:00Z", BATCH, DB_ARN, "10.0.5.33", UA_BOTO),
        "the per-secret GetSecretValue AWS emits for line 15 (full ARN of prod/db-password, same identity, "
        "same second): batch-reader read prod/db-password ONCE, not twice")
    add(get_secret("sm-17", "2025-03-15T02:45:00Z", BATCH, CACHE_ARN, "10.0.5.33", UA_BOTO),
        "the per-secret GetSecretValue for line 15's prod/cache-password (full ARN ...prod/cache-password-Mn56Op)")
    add(ct("sm-18", "2025-03-15T02:47:30Z", DAVE_SSO, "secretsmanager", "BatchGetSecretValue",
           {"filters": [{"key": "tag-key", "values": ["env"]}]}, "192.0.2.77",
           UA_CLI % "secretsmanager.batch-get-secret-value"),
        "BatchGetSecretValue by FILTERS (tag-key env), no names; "
        "arn:aws:sts::111122223333:assumed-role/%s/dave@acme.example (AWS SSO, role path "
        "aws-reserved/sso.amazonaws.com/); a POSSIBLE read of any secret; no per-secret events follow" % SSO_ROLE)
    add(get_secret("sm-19", "2025-03-15T02:50:02Z", ECS, DB_ARN, "ecs-tasks.amazonaws.com",
                   "ecs-tasks.amazonaws.com", with_tls=False),
        "GetSecretValue by FULL ARN of prod/db-password by AWSService, invokedBy ecs-tasks.amazonaws.com "
        "(no arn, no accessKeyId, sourceIPAddress is the service name, no tlsDetails); success")
    add(get_secret("sm-20", "2025-03-15T02:52:19Z", ALICE, "prod/db-password", "198.51.100.23",
                   UA_CLI % "secretsmanager.get-secret-value", extra={"versionStage": "AWSPREVIOUS"}),
        "GetSecretValue prod/db-password versionStage AWSPREVIOUS by alice: a value read of the previous "
        "version; success")
    write(rel, lines(recs, compact))


def trail_s3():
    rel = "cloudtrail/trail-s3.json.gz"
    recs = []

    def add(rec, text):
        recs.append(rec)
        fact(rel, "Records[%d]" % (len(recs) - 1), text)

    read = get_secret("s3-03", "2025-03-15T02:31:58Z", CI_4415, DB_ARN, "203.0.113.41",
                      UA_GO % "secretsmanager#1.28.2")
    add(kms_decrypt("s3-01", "2025-03-15T02:31:58Z", CI_4415, DB_ARN),
        "kms Decrypt for the read in Records[2] (noise)")
    add(assume_role_web_identity("s3-02", "2025-03-15T02:31:40Z", "gh-run-4415", "203.0.113.41"),
        "sts AssumeRoleWithWebIdentity (GitHub OIDC, repo:acme/app:ref:refs/heads/main) issuing key %s to "
        "ci-deploy/gh-run-4415 (noise; joins the session to the workflow)" % CI_4415["accessKeyId"])
    add(read, "GetSecretValue FULL ARN of prod/db-password by "
        "arn:aws:sts::111122223333:assumed-role/ci-deploy/gh-run-4415; success")
    add(ct("s3-04", "2025-03-15T02:28:15Z", ALICE, "ec2", "DescribeInstances",
           {"instancesSet": {}, "filterSet": {}}, "198.51.100.23", UA_CLI % "ec2.describe-instances"),
        "ec2 DescribeInstances by alice (noise)")
    add(get_secret("s3-05", "2025-03-15T02:31:59Z", CI_4415, "prod/stripe-api-key", "203.0.113.41",
                   UA_GO % "secretsmanager#1.28.2"),
        "GetSecretValue by NAME prod/stripe-api-key by gh-run-4415 (another secret)")
    add(ct("s3-06", "2025-03-15T02:30:02Z", ALICE, "s3", "ListBuckets", {"Host": "s3.us-east-1.amazonaws.com"},
           "198.51.100.23", "[aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/macos#23.4.0 md/command#s3.ls]"),
        "s3 ListBuckets by alice (noise)")
    add(read, "identical copy of Records[2] (same eventID %s, CloudTrail delivers duplicates): counts once"
        % read["eventID"])
    login = ct("s3-08", "2025-03-15T02:27:41Z", dict(iam_user("alice"), accessKeyId=""), "signin",
               "ConsoleLogin", None, "198.51.100.23",
               "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:123.0) Gecko/20100101 Firefox/123.0",
               response={"ConsoleLogin": "Success"}, read_only=False, version="1.08")
    login["eventType"] = "AwsConsoleSignIn"
    login["additionalEventData"] = {"LoginTo": "https://console.aws.amazon.com/console/home",
                                    "MobileVersion": "No", "MFAUsed": "Yes"}
    login["tlsDetails"]["clientProvidedHostHeader"] = "signin.aws.amazon.com"
    add(login, "signin ConsoleLogin by alice (noise, eventType AwsConsoleSignIn)")
    write_gz(rel, compact({"Records": recs}))


def lookup_events():
    rel = "cloudtrail/lookup-events.json"
    read = get_secret("sm-06", "2025-03-15T02:31:07Z", CI_4411, DB_ARN, "203.0.113.41",
                      UA_GO % "secretsmanager#1.28.2")
    assume = assume_role_web_identity("lk-02", "2025-03-15T02:30:58Z", "gh-run-4411", "203.0.113.41")
    describe = ct("sm-02", "2025-03-15T02:05:40Z", ALICE, "secretsmanager", "DescribeSecret",
                  {"secretId": "prod/db-password"}, "198.51.100.23", UA_CLI % "secretsmanager.describe-secret")

    def local(t):
        # The CLI prints EventTime in the machine's zone (here UTC-08:00).
        utc = datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ")
        return (utc - datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S-08:00")

    def event(rec, username, resources):
        e = {"EventId": rec["eventID"], "EventName": rec["eventName"], "ReadOnly": str(rec["readOnly"]).lower()}
        key = rec["userIdentity"].get("accessKeyId")
        if key:
            e["AccessKeyId"] = key
        e.update({"EventTime": local(rec["eventTime"]), "EventSource": rec["eventSource"],
                  "Username": username, "Resources": resources, "CloudTrailEvent": compact(rec)})
        return e

    events = [
        event(read, "gh-run-4411", [{"ResourceType": "AWS::SecretsManager::Secret", "ResourceName": DB_ARN}]),
        event(assume, GITHUB_SUBJECT, [
            {"ResourceType": "AWS::IAM::Role", "ResourceName": "arn:aws:iam::%s:role/ci-deploy" % ACCT},
            {"ResourceType": "AWS::STS::AssumedRole", "ResourceName": "gh-run-4411"}]),
        event(describe, "alice", [{"ResourceType": "AWS::SecretsManager::Secret",
                                   "ResourceName": "prod/db-password"}]),
    ]
    fact(rel, "Events[0]", "GetSecretValue FULL ARN of prod/db-password by "
         "arn:aws:sts::111122223333:assumed-role/ci-deploy/gh-run-4411; success; EventTime 2025-03-14T18:31:07-08:00 "
         "= eventTime 2025-03-15T02:31:07Z; SAME event (eventID %s) as secretsmanager.jsonl line 6" % read["eventID"])
    fact(rel, "Events[1]", "sts AssumeRoleWithWebIdentity creating gh-run-4411 (noise; no AccessKeyId key)")
    fact(rel, "Events[2]", "DescribeSecret prod/db-password by alice (not a value read; same event as "
         "secretsmanager.jsonl line 2)")
    write(rel, json.dumps({"Events": events}, indent=4) + "\n")


def ssm_json():
    rel = "cloudtrail/ssm.json"
    recs = []
    ssm_ua = UA_CLI.replace("/%s", "/ssm.%s")

    def param_arn(name):
        return "arn:aws:ssm:%s:%s:parameter/%s" % (REGION, ACCT, name.lstrip("/"))

    def res(*names):
        return [{"ARN": param_arn(n), "accountId": ACCT} for n in names]

    def add(rec, text):
        recs.append(rec)
        fact(rel, "[%d]" % (len(recs) - 1), text)

    def ssm(seed, time, who, name, params, ip, ua, **kw):
        return ct(seed, time, who, "ssm", name, params, ip, ua, version="1.08", **kw)

    add(ssm("ssm-01", "2025-03-15T02:12:30Z", ALICE, "DescribeParameters",
            {"parameterFilters": [{"key": "Path", "option": "Recursive", "values": ["/prod"]}], "maxResults": 50},
            "198.51.100.23", ssm_ua % "describe-parameters"),
        "DescribeParameters by alice: never returns values, not a read")
    add(ssm("ssm-02", "2025-03-15T02:13:02Z", ALICE, "GetParameter", {"name": "/prod/db/password"},
            "198.51.100.23", ssm_ua % "get-parameter", resources=res("/prod/db/password")),
        "GetParameter /prod/db/password WITHOUT withDecryption by alice: UNDECRYPTED (a SecureString is "
        "returned encrypted); success")
    add(ssm("ssm-03", "2025-03-15T02:31:20Z", CI_4411, "GetParameter",
            {"name": "/prod/db/password", "withDecryption": True}, "203.0.113.41", UA_GO % "ssm#1.49.3",
            resources=res("/prod/db/password")),
        "GetParameter /prod/db/password withDecryption true by "
        "arn:aws:sts::111122223333:assumed-role/ci-deploy/gh-run-4411; decrypted value read; success")
    add(ssm("ssm-04", "2025-03-15T02:33:50Z", CI_4412, "GetParameter",
            {"name": "/prod/db/password:3", "withDecryption": True}, "203.0.113.58", UA_GO % "ssm#1.49.3",
            resources=res("/prod/db/password")),
        "GetParameter with a version SELECTOR /prod/db/password:3, withDecryption true, by gh-run-4412; "
        "canonical /prod/db/password; success")
    add(ssm("ssm-05", "2025-03-15T02:34:20Z", PAYMENTS, "GetParameters",
            {"names": ["/prod/db/password", "/prod/db/user"], "withDecryption": True}, "10.0.2.17", UA_JAVA,
            resources=res("/prod/db/password", "/prod/db/user"), vpce="vpce-0b1c2d3e4f5a60719"),
        "GetParameters names [/prod/db/password, /prod/db/user] withDecryption true by "
        "arn:aws:sts::111122223333:assumed-role/payments-api/i-0f1e2d3c4b5a69788; two decrypted reads; success")
    add(ssm("ssm-06", "2025-03-15T02:36:55Z", STAGING, "GetParameter",
            {"name": "/prod/db/password", "withDecryption": True}, "10.20.3.14", UA_BOTO,
            error=("AccessDeniedException",
                   denied_message(STAGING["arn"], "ssm:GetParameter", param_arn("/prod/db/password")))),
        "GetParameter /prod/db/password DENIED (AccessDeniedException) for "
        "arn:aws:sts::111122223333:assumed-role/staging-app/i-0abc")
    add(ssm("ssm-07", "2025-03-15T02:38:11Z", REPORT, "GetParameter",
            {"name": param_arn("/prod/db/password"), "withDecryption": True}, "10.0.7.21",
            "aws-sdk-nodejs/2.1583.0 linux/v18.19.1 exec-env/AWS_Lambda_nodejs18.x promise",
            resources=res("/prod/db/password")),
        "GetParameter by FULL ARN arn:aws:ssm:us-east-1:111122223333:parameter/prod/db/password (no '/' after "
        "'parameter'), withDecryption true, by arn:aws:sts::111122223333:assumed-role/report-generator/"
        "report-generator; canonical /prod/db/password; success")
    add(ssm("ssm-08", "2025-03-15T02:45:30Z", BATCH, "GetParametersByPath",
            {"path": "/prod/db", "recursive": True, "withDecryption": True}, "10.0.5.33", UA_BOTO),
        "GetParametersByPath path /prod/db recursive true withDecryption true by batch-reader/nightly-export: "
        "a WIDE read of every parameter under /prod/db (incl. /prod/db/password); success")
    add(ssm("ssm-09", "2025-03-15T02:52:40Z", ALICE, "GetParameterHistory",
            {"name": "/prod/db/password", "withDecryption": True}, "198.51.100.23",
            ssm_ua % "get-parameter-history", resources=res("/prod/db/password")),
        "GetParameterHistory /prod/db/password withDecryption true by alice: every past value; success")
    # Stratus detonation logs: 3-space indent, sorted keys, no final newline.
    write(rel, json.dumps(recs, indent=3, sort_keys=True))


def flattened_jsonl():
    """A security data lake's export of CloudTrail (Panther-style, as SIEM
    exports write it): one record per line, keys sorted, every time written
    `2024-10-17 21:48:45.000000000` (a space for `T`, nanoseconds, no zone:
    UTC), and the lake's own top-level `p_*` fields. The same event delivered
    three times comes back with different `p_*` fields and key orders."""
    rel = "cloudtrail/flattened.jsonl"
    recs = []

    def flat(t):
        return t.replace("T", " ").replace("Z", ".000000000")

    def flatten(value):
        """Every CloudTrail time in the lake's spelling (`creationDate` too)."""
        if isinstance(value, dict):
            return {k: flatten(v) for k, v in value.items()}
        if isinstance(value, str) and len(value) == 20 and value[10] == "T" and value.endswith("Z"):
            return flat(value)
        return value

    def lake(rec, seed, parsed, label="aws-org-trail"):
        """The record as the lake stores it: flattened times, `p_*` fields."""
        who = rec["userIdentity"]
        ips = [rec["sourceIPAddress"]] if rec["sourceIPAddress"][0].isdigit() else []
        arns = sorted({a for a in (who.get("arn"), who.get("sessionContext", {}).get("sessionIssuer", {}).get("arn"))
                       if a} | {r["ARN"] for r in rec.get("resources") or []})
        p = {"p_any_aws_account_ids": [ACCT], "p_any_aws_arns": arns, "p_any_ip_addresses": ips,
             "p_any_trace_ids": [who["accessKeyId"]] if who.get("accessKeyId") else [],
             "p_event_time": flat(rec["eventTime"]), "p_log_type": "AWS.CloudTrail",
             "p_parse_time": parsed, "p_row_id": hex32("row-" + seed), "p_schema_version": 0,
             "p_source_id": uuid("source-" + label), "p_source_label": label}
        if not ips:
            p["p_any_domain_names"] = [rec["sourceIPAddress"]]
        return flatten(rec), p

    def add(rec, text):
        recs.append(rec)
        fact(rel, "line %d" % len(recs), text)

    ci = role_session("ci-deploy", "gh-run-5120", "2024-10-17T21:47:58Z", "github")
    read = get_secret("fl-01", "2024-10-17T21:48:45Z", ci, DB_ARN, "203.0.113.41", UA_GO % "secretsmanager#1.34.3")
    body, p = lake(read, "fl-01a", "2024-10-17 21:55:02.118305712")
    add(dict(sorted({**body, **p}.items())),
        "GetSecretValue by FULL ARN of prod/db-password by arn:aws:sts::111122223333:assumed-role/ci-deploy/"
        "gh-run-5120; eventTime 2024-10-17 21:48:45.000000000 (UTC, no zone); keys sorted; success; eventID %s, "
        "delivered again on lines 3 and 4" % read["eventID"])
    get = ct("fl-02", "2024-10-17T21:49:02Z", PAYMENTS, "ssm", "GetParameter",
             {"name": "/prod/db/password", "withDecryption": True}, "10.0.2.17", UA_JAVA, version="1.08",
             resources=[{"ARN": "arn:aws:ssm:%s:%s:parameter/prod/db/password" % (REGION, ACCT),
                         "accountId": ACCT}])
    body, p = lake(get, "fl-02", "2024-10-17 21:55:02.120447093")
    add(dict(sorted({**body, **p}.items())),
        "SSM GetParameter /prod/db/password withDecryption true by "
        "arn:aws:sts::111122223333:assumed-role/payments-api/i-0f1e2d3c4b5a69788; eventTime "
        "2024-10-17 21:49:02.000000000; success")
    body, p = lake(read, "fl-01b", "2024-10-17 22:10:41.504221930", label="aws-org-trail-backfill")
    add({**body, **p},
        "line 1's event again (same eventID), as a backfill source ingested it: other p_row_id, p_parse_time, "
        "p_source_id and p_source_label; keys in CloudTrail's order, p_* last: counts once")
    body, p = lake(read, "fl-01c", "2024-10-18 03:00:12.000917466")
    p["p_any_ip_addresses"] = ["203.0.113.41", "203.0.113.41"]
    p["p_udm"] = {"source": {"ip": "203.0.113.41"}}
    add({**dict(reversed(list(p.items()))), **body},
        "line 1's event a third time (same eventID): other p_row_id and p_parse_time, an extra p_udm, "
        "p_any_ip_addresses doubled; p_* first, in reverse order: counts once")
    decrypt = kms_decrypt("fl-05", "2024-10-17T21:48:45Z", ci, DB_ARN)
    body, p = lake(decrypt, "fl-05", "2024-10-17 21:55:02.118309871")
    add(dict(sorted({**body, **p}.items())),
        "kms Decrypt invokedBy secretsmanager.amazonaws.com for line 1's read (noise, not a Secrets Manager read)")
    write(rel, lines(recs, compact))


# --------------------------------------------------------------------------
# Azure Key Vault

SUB = "6d4b2a90-1c3e-4f5a-8b7c-9d0e1f2a3b4c"
TENANT = "9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f"
AZ_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
AZ_PS = "1950a258-227b-4e31-a9cf-717495945fc2"


def vault_resource(rg, vault):
    return ("/SUBSCRIPTIONS/%s/RESOURCEGROUPS/%s/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/%s"
            % (SUB, rg, vault)).upper()


def az_user(upn, app, ip):
    return {"oid": uuid("oid-" + upn), "appid": app, "scp": "user_impersonation", "appidacr": "0",
            "xms_az_nwperimid": [], "upn": upn, "ipaddr": ip, "unique_name": upn, "amr": "pwd"}


def az_app(name, managed_rg=None):
    claims = {"oid": uuid("oid-" + name), "appid": uuid("appid-" + name), "appidacr": "2", "idtyp": "app"}
    if managed_rg:
        claims["xms_mirid"] = ("/subscriptions/%s/resourcegroups/%s/providers/Microsoft.ManagedIdentity/"
                               "userAssignedIdentities/%s" % (SUB, managed_rg, name))
    claims["xms_az_nwperimid"] = []
    return claims


def kv(time, rg, vault, op, status, signature, claims, ip, corr, props, api="7.4", duration="12",
       description=None):
    """One AuditEvent record, keys in the storage/Event Hub order."""
    r = {"time": time, "resourceId": vault_resource(rg, vault), "operationName": op, "operationVersion": api,
         "category": "AuditEvent", "resultType": "Success", "resultSignature": signature}
    if description:
        r["resultDescription"] = description
    r["durationMs"] = duration
    r["callerIpAddress"] = ip
    r["correlationId"] = corr
    r["identity"] = {"claim": claims} if claims is not None else {}
    p = {}
    p.update(props)
    p["httpStatusCode"] = status
    p.setdefault("tlsVersion", "TLS1_2")
    # httpStatusCode sits after clientInfo, as Key Vault writes it.
    order = ["id", "clientInfo", "httpStatusCode", "requestUri", "isAccessPolicyMatch", "isRbacAuthorized",
             "appliedAssignmentId", "secretProperties", "keyProperties", "properties", "tlsVersion"]
    r["properties"] = {k: p[k] for k in order if k in p}
    return r


def kv_url(vault, path, api="7.4"):
    return "https://%s.vault.azure.net/%s?api-version=%s" % (vault, path, api)


RBAC_DENIED = ("Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or "
               "role definitions were changed recently, please observe propagation time.\r\nCaller: appid=%s;oid=%s;"
               "iss=https://sts.windows.net/%s/\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\n"
               "Resource: '/subscriptions/%s/resourcegroups/rg-prod-secrets/providers/microsoft.keyvault/vaults/"
               "kv-prod/secrets/db-password'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\n"
               "DecisionReason: null \r\nVault: kv-prod;location=eastus\r\n")
NOT_FOUND = ("A secret with (name/id) %s was not found in this key vault. If you recently deleted this secret you may "
             "be able to recover it using the correct recovery command. For help resolving this issue, please see "
             "https://go.microsoft.com/fwlink/?linkid=2125182")
CLI_INFO = ("AZURECLI/2.58.0 (DEB) azsdk-python-keyvault-secrets/4.7.0 Python/3.11.8 "
            "(Linux-6.5.0-1016-azure-x86_64-with-glibc2.35)")
NET_INFO = "azsdk-net-Security.KeyVault.Secrets/4.6.0 (.NET 8.0.3; Ubuntu 22.04.4 LTS)"
PS_INFO = "PSVersion/v7.4.1 PSCore/v3.0.0 Az.KeyVault/5.2.0"


def azure_pt1h():
    rel = "azure/PT1H.json"
    rg, vault = "RG-PROD-SECRETS", "kv-prod"
    alice = az_user("alice@contoso.example", AZ_CLI, "198.51.100.23")
    bob = az_user("bob@contoso.example", AZ_PS, "198.51.100.61")
    carol = az_user("carol@contoso.example", AZ_CLI, "192.0.2.33")
    mi = az_app("mi-payments", "rg-prod-apps")
    tf = az_app("sp-terraform")
    recs = []

    def add(rec, text):
        recs.append(rec)
        fact(rel, "line %d" % len(recs), text)

    c1 = uuid("corr-alice-get")
    add(kv("2025-03-15T02:20:14.3318260Z", rg, vault, "Authentication", 401, "Unauthorized", None,
           "198.51.100.23", c1, {"id": "https://kv-prod.vault.azure.net/secrets/db-password", "clientInfo": CLI_INFO,
                                 "requestUri": kv_url(vault, "secrets/db-password/")}, duration="0"),
        "Authentication 401 Unauthorized, identity {}: the SDK's challenge probe before line 2; NOT a read "
        "attempt and NOT a denial")
    add(kv("2025-03-15T02:20:14.4129034Z", rg, vault, "SecretGet", 200, "OK", alice, "198.51.100.23", c1,
           {"id": "https://kv-prod.vault.azure.net/secrets/db-password/" + hex32("kv-prod-db-v7"),
            "clientInfo": CLI_INFO, "requestUri": kv_url(vault, "secrets/db-password/"), "isRbacAuthorized": True,
            "appliedAssignmentId": hex32("assign-alice")}, duration="31"),
        "SecretGet kv-prod/db-password (id with version) by user oid %s upn alice@contoso.example "
        "(appid Azure CLI); 200 success; same correlationId as line 1" % alice["oid"])
    add(kv("2025-03-15T02:22:05.9907712Z", rg, vault, "SecretList", 200, "OK", carol, "192.0.2.33",
           uuid("corr-carol-list"), {"clientInfo": CLI_INFO, "requestUri": kv_url(vault, "secrets", "7.4") +
                                     "&maxresults=25", "isRbacAuthorized": True,
                                     "appliedAssignmentId": hex32("assign-carol")}, duration="18"),
        "SecretList by carol@contoso.example: names only, not a read")
    add(kv("2025-03-15T02:24:31.0016384Z", rg, vault, "SecretGet", 200, "OK", mi, "10.1.4.20",
           uuid("corr-mi-get"), {"id": "https://kv-prod.vault.azure.net/secrets/DB-Password/" + hex32("kv-prod-db-v7"),
                                 "clientInfo": NET_INFO, "requestUri": kv_url(vault, "secrets/DB-Password/"),
                                 "isRbacAuthorized": True, "appliedAssignmentId": hex32("assign-mi")}, duration="9"),
        "SecretGet of DB-Password (other case: same secret kv-prod/db-password) by managed identity oid %s "
        "appid %s (idtyp app, xms_mirid .../userAssignedIdentities/mi-payments, no upn); 200 success"
        % (mi["oid"], mi["appid"]))
    add(kv("2025-03-15T02:24:31.2250015Z", rg, vault, "SecretGet", 200, "OK", mi, "10.1.4.20",
           uuid("corr-mi-redis"), {"id": "https://kv-prod.vault.azure.net/secrets/redis-password/" +
                                   hex32("kv-prod-redis-v2"), "clientInfo": NET_INFO,
                                   "requestUri": kv_url(vault, "secrets/redis-password/"), "isRbacAuthorized": True,
                                   "appliedAssignmentId": hex32("assign-mi")}, duration="8"),
        "SecretGet kv-prod/redis-password by the managed identity (another secret)")
    add(kv("2025-03-15T02:26:47.5531208Z", rg, vault, "SecretGet", 403, "Forbidden", bob, "198.51.100.61",
           uuid("corr-bob-get"), {"id": "https://kv-prod.vault.azure.net/secrets/db-password", "clientInfo": PS_INFO,
                                  "requestUri": kv_url(vault, "secrets/db-password/"), "isRbacAuthorized": False},
           duration="14", description=RBAC_DENIED % (AZ_PS, bob["oid"], TENANT, SUB)),
        "SecretGet kv-prod/db-password 403 Forbidden with resultType \"Success\" (RBAC text in resultDescription, "
        "isRbacAuthorized false) by user oid %s upn bob@contoso.example: DENIED" % bob["oid"])
    missing = "db-password/" + hex32("kv-prod-db-v3")
    add(kv("2025-03-15T02:27:02.1187340Z", rg, vault, "SecretGet", 404, "Not Found", alice, "198.51.100.23",
           uuid("corr-alice-404"), {"id": "https://kv-prod.vault.azure.net/secrets/" + missing,
                                    "clientInfo": CLI_INFO, "requestUri": kv_url(vault, "secrets/" + missing),
                                    "isRbacAuthorized": True, "appliedAssignmentId": hex32("assign-alice")},
           duration="11", description=NOT_FOUND % missing),
        "SecretGet of a purged version of kv-prod/db-password, 404 \"Not Found\" with resultType \"Success\", by "
        "alice: ERROR (not found), not a success")
    add(kv("2025-03-15T02:33:18.6402291Z", rg, vault, "SecretBackup", 200, "OK", carol, "192.0.2.33",
           uuid("corr-carol-backup"), {"id": "https://kv-prod.vault.azure.net/secrets/db-password",
                                       "clientInfo": CLI_INFO, "requestUri": kv_url(vault, "secrets/db-password/backup"),
                                       "isRbacAuthorized": True, "appliedAssignmentId": hex32("assign-carol")},
           duration="27"),
        "SecretBackup kv-prod/db-password by user oid %s upn carol@contoso.example: an exportable copy, counts as a "
        "value read; 200 success" % carol["oid"])
    add(kv("2025-03-15T02:35:40.2019877Z", rg, vault, "SecretSet", 200, "OK", tf, "203.0.113.90",
           uuid("corr-tf-set"), {"id": "https://kv-prod.vault.azure.net/secrets/db-password/" + hex32("kv-prod-db-v8"),
                                 "clientInfo": "azsdk-go-azsecrets/v1.1.0 (go1.22.1; linux) terraform-provider-azurerm",
                                 "requestUri": kv_url(vault, "secrets/db-password"), "isRbacAuthorized": True,
                                 "appliedAssignmentId": hex32("assign-tf"),
                                 "secretProperties": {"attributes": {"enabled": True}}}, duration="44"),
        "SecretSet kv-prod/db-password by service principal appid %s (a write, not a read)" % tf["appid"])
    add(kv("2025-03-15T02:36:12.7770045Z", rg, vault, "KeyGet", 200, "OK", mi, "10.1.4.20", uuid("corr-mi-key"),
           {"id": "https://kv-prod.vault.azure.net/keys/cmk-storage/" + hex32("kv-prod-cmk-v1"), "clientInfo": NET_INFO,
            "requestUri": kv_url(vault, "keys/cmk-storage/"), "isRbacAuthorized": True,
            "appliedAssignmentId": hex32("assign-mi")}, duration="7"),
        "KeyGet of key cmk-storage by the managed identity (public key part, not a secret read)")
    add(kv("2025-03-15T02:38:55.0311482Z", rg, vault, "VaultGet", 200, "OK", {
        "http://schemas.microsoft.com/identity/claims/objectidentifier": carol["oid"],
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "carol@contoso.example",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name": "carol@contoso.example",
        "appid": AZ_CLI}, "192.0.2.33", uuid("corr-carol-vaultget"), {
        "id": "https://kv-prod.vault.azure.net/", "clientInfo": CLI_INFO,
        "requestUri": "https://management.azure.com/subscriptions/%s/resourceGroups/rg-prod-secrets/providers/"
                      "Microsoft.KeyVault/vaults/kv-prod?api-version=2023-07-01" % SUB,
        "properties": {"sku": {"Family": "A", "Name": "Standard", "Capacity": None}, "tenantId": TENANT,
                       "enableRbacAuthorization": True}},
        api="2023-07-01", duration="21"),
        "VaultGet (management plane) by carol with URI-style claim keys (objectidentifier/upn/name): not a read")
    write(rel, lines(recs, json.dumps))


def azure_eventhub():
    rel = "azure/eventhub.json"
    rg, vault = "RG-PROD-SECRETS", "kv-prod"
    sp = az_app("sp-github-deploy")
    info = "azsdk-js-keyvault-secrets/4.8.0 core-rest-pipeline/1.15.1 Node/v20.11.1 OS/(x64-Linux-6.5.0-1016-azure)"
    corr = uuid("corr-sp-get")
    recs = [
        kv("2025-03-15T02:41:09.2204517Z", rg, vault, "Authentication", 401, "Unauthorized", None, "203.0.113.44", corr,
           {"id": "https://kv-prod.vault.azure.net/secrets/db-password", "clientInfo": info,
            "requestUri": kv_url(vault, "secrets/db-password/")}, duration="0"),
        kv("2025-03-15T02:41:09.2893311Z", rg, vault, "SecretGet", 200, "OK", sp, "203.0.113.44", corr,
           {"id": "https://kv-prod.vault.azure.net/secrets/db-password/" + hex32("kv-prod-db-v7"), "clientInfo": info,
            "requestUri": kv_url(vault, "secrets/db-password/"), "isRbacAuthorized": True,
            "appliedAssignmentId": hex32("assign-sp-gh")}, duration="15"),
        kv("2025-03-15T02:41:10.0420668Z", rg, vault, "SecretList", 200, "OK", sp, "203.0.113.44",
           uuid("corr-sp-list"), {"clientInfo": info, "requestUri": kv_url(vault, "secrets") + "&maxresults=25",
                                  "isRbacAuthorized": True, "appliedAssignmentId": hex32("assign-sp-gh")},
           duration="19"),
    ]
    fact(rel, "records[0]", "Authentication 401 probe (identity {}): not a read, not a denial")
    fact(rel, "records[1]", "SecretGet kv-prod/db-password by service principal oid %s appid %s (idtyp app, "
         "no upn, no xms_mirid); 200 success" % (sp["oid"], sp["appid"]))
    fact(rel, "records[2]", "SecretList by the same service principal: not a read")
    write(rel, json.dumps({"records": recs}, indent=4) + "\n")


KEYS_NET_INFO = "azsdk-net-Security.KeyVault.Keys/4.6.0 (.NET 8.0.3; Ubuntu 22.04.4 LTS)"
CERTS_CLI_INFO = ("AZURECLI/2.58.0 (DEB) azsdk-python-keyvault-certificates/4.8.0 Python/3.11.8 "
                  "(Linux-6.5.0-1016-azure-x86_64-with-glibc2.35)")
KEYS_CLI_INFO = ("AZURECLI/2.58.0 (DEB) azsdk-python-keyvault-keys/4.9.0 Python/3.11.8 "
                 "(Linux-6.5.0-1016-azure-x86_64-with-glibc2.35)")


def azure_keys_certs():
    """Keys and certificates of kv-prod: which operations hand out a value."""
    rel = "azure/keys-certs.json"
    rg, vault = "RG-PROD-SECRETS", "kv-prod"
    base = "https://kv-prod.vault.azure.net/"
    alice = az_user("alice@contoso.example", AZ_CLI, "198.51.100.23")
    bob = az_user("bob@contoso.example", AZ_PS, "198.51.100.61")
    carol = az_user("carol@contoso.example", AZ_CLI, "192.0.2.33")
    dave = az_user("dave@contoso.example", AZ_CLI, "198.51.100.78")
    erin = az_user("erin@contoso.example", AZ_CLI, "192.0.2.57")
    mi = az_app("mi-payments", "rg-prod-apps")
    skr = az_app("mi-confidential-ledger", "rg-prod-apps")
    agw = az_app("mi-appgw-frontend", "rg-prod-edge")
    tf = az_app("sp-terraform")
    cmk_v = hex32("kv-prod-cmk-payments-v2")
    tls_v = hex32("kv-prod-web-tls-v3")
    recs = []

    def add(rec, text):
        recs.append(rec)
        fact(rel, "line %d" % len(recs), text)

    def rbac(props, who):
        props.update({"isRbacAuthorized": True, "appliedAssignmentId": hex32("assign-" + who)})
        return props

    c_dave = uuid("corr-dave-keybackup")
    add(kv("2025-03-15T03:02:11.1046263Z", rg, vault, "Authentication", 401, "Unauthorized", None,
           "198.51.100.78", c_dave, {"id": base + "keys/cmk-payments", "clientInfo": KEYS_CLI_INFO,
                                     "requestUri": kv_url(vault, "keys/cmk-payments/backup")}, duration="0"),
        "Authentication 401 probe before line 2 (identity {}): not an attempt")
    add(kv("2025-03-15T03:02:11.1832007Z", rg, vault, "KeyBackup", 200, "OK", dave, "198.51.100.78", c_dave,
           rbac({"id": base + "keys/cmk-payments", "clientInfo": KEYS_CLI_INFO,
                 "requestUri": kv_url(vault, "keys/cmk-payments/backup")}, "dave"), duration="38"),
        "KeyBackup of key kv-prod/keys/cmk-payments by user oid %s upn dave@contoso.example: the key "
        "material in an exportable blob, a VALUE READ; 200 success" % dave["oid"])
    add(kv("2025-03-15T03:04:40.5520981Z", rg, vault, "KeyGet", 200, "OK", mi, "10.1.4.20",
           uuid("corr-mi-keyget"),
           rbac({"id": base + "keys/cmk-payments/" + cmk_v, "clientInfo": KEYS_NET_INFO,
                 "requestUri": kv_url(vault, "keys/cmk-payments/"),
                 "keyProperties": {"type": "RSA", "attributes": {"hsmPlatform": "0"}}}, "mi"), duration="6"),
        "KeyGet of kv-prod/keys/cmk-payments by the managed identity mi-payments: the public key only, "
        "metadata, NOT a value read")
    add(kv("2025-03-15T03:04:40.6011375Z", rg, vault, "KeyUnwrap", 200, "OK", mi, "10.1.4.20",
           uuid("corr-mi-unwrap"),
           rbac({"id": base + "keys/cmk-payments/" + cmk_v, "clientInfo": KEYS_NET_INFO,
                 "requestUri": kv_url(vault, "keys/cmk-payments/%s/unwrapkey" % cmk_v)}, "mi"), duration="9"),
        "KeyUnwrap with kv-prod/keys/cmk-payments by mi-payments: a crypto operation that uses the key "
        "inside the vault without revealing it (action other), NOT a value read")
    add(kv("2025-03-15T03:06:02.7719830Z", rg, vault, "KeyRelease", 200, "OK", skr, "10.1.7.12",
           uuid("corr-skr-release"),
           rbac({"id": base + "keys/cmk-payments/" + cmk_v, "clientInfo": KEYS_NET_INFO,
                 "requestUri": kv_url(vault, "keys/cmk-payments/%s/release" % cmk_v)}, "skr"), duration="54"),
        "KeyRelease of kv-prod/keys/cmk-payments (exportable key, secure key release) by managed identity "
        "oid %s mi-confidential-ledger: the key leaves the vault, a VALUE READ; 200 success" % skr["oid"])
    add(kv("2025-03-15T03:08:15.3308129Z", rg, vault, "CertificateGet", 200, "OK", alice, "198.51.100.23",
           uuid("corr-alice-certget"),
           rbac({"id": base + "certificates/web-tls/" + tls_v, "clientInfo": CERTS_CLI_INFO,
                 "requestUri": kv_url(vault, "certificates/web-tls/")}, "alice"), duration="11"),
        "CertificateGet of kv-prod/certificates/web-tls by alice: the public certificate only, metadata, "
        "NOT a value read")
    add(kv("2025-03-15T03:09:27.9081146Z", rg, vault, "CertificateBackup", 200, "OK", erin, "192.0.2.57",
           uuid("corr-erin-certbackup"),
           rbac({"id": base + "certificates/Web-TLS", "clientInfo": CERTS_CLI_INFO,
                 "requestUri": kv_url(vault, "certificates/Web-TLS/backup")}, "erin"), duration="41"),
        "CertificateBackup of Web-TLS (other case: kv-prod/certificates/web-tls) by user oid %s upn "
        "erin@contoso.example: the certificate with its private key in an exportable blob, a VALUE READ; "
        "200 success" % erin["oid"])
    add(kv("2025-03-15T03:11:48.2003577Z", rg, vault, "SecretGet", 200, "OK", agw, "10.1.9.4",
           uuid("corr-agw-get"),
           rbac({"id": base + "secrets/web-tls/" + tls_v, "clientInfo": "FxVersion/4.8.9232.0 "
                 "OSName/Windows OSVersion/Microsoft.Windows.10.0.20348 Microsoft.Azure.KeyVault.KeyVaultClient/3.0.5",
                 "requestUri": kv_url(vault, "secrets/web-tls/" + tls_v, "7.0")}, "agw"), api="7.0", duration="13"),
        "SecretGet of kv-prod/web-tls, the secret BACKING certificate web-tls (its private key as PFX), by "
        "managed identity oid %s mi-appgw-frontend: a VALUE READ of the secret, which exposes the "
        "certificate's private key; 200 success" % agw["oid"])
    add(kv("2025-03-15T03:12:30.0456712Z", rg, vault, "SecretGet", 403, "Forbidden", bob, "198.51.100.61",
           uuid("corr-bob-tls"),
           {"id": base + "secrets/web-tls", "clientInfo": PS_INFO,
            "requestUri": kv_url(vault, "secrets/web-tls/"), "isRbacAuthorized": False}, duration="12",
           description=(RBAC_DENIED % (AZ_PS, bob["oid"], TENANT, SUB)).replace("secrets/db-password",
                                                                              "secrets/web-tls")),
        "SecretGet of the backing secret kv-prod/web-tls, 403 Forbidden with resultType \"Success\", by bob: "
        "DENIED (an attempt on the certificate's private key)")
    add(kv("2025-03-15T03:14:05.6187734Z", rg, vault, "KeyList", 200, "OK", carol, "192.0.2.33",
           uuid("corr-carol-keylist"),
           rbac({"clientInfo": KEYS_CLI_INFO, "requestUri": kv_url(vault, "keys") + "&maxresults=25"}, "carol"),
           duration="17"),
        "KeyList by carol: names only (kv-prod/keys/*), not a read")
    add(kv("2025-03-15T03:15:52.9930401Z", rg, vault, "CertificateImport", 200, "OK", tf, "203.0.113.90",
           uuid("corr-tf-import"),
           rbac({"id": base + "certificates/api-tls/" + hex32("kv-prod-api-tls-v1"),
                 "clientInfo": "azsdk-go-azcertificates/v1.1.0 (go1.22.1; linux) terraform-provider-azurerm",
                 "requestUri": kv_url(vault, "certificates/api-tls/import")}, "tf"), duration="96"),
        "CertificateImport of kv-prod/certificates/api-tls by sp-terraform: a write")
    add(kv("2025-03-15T03:17:20.1148862Z", rg, vault, "KeyPurge", 204, "NoContent", tf, "203.0.113.90",
           uuid("corr-tf-purge"),
           rbac({"id": base + "deletedkeys/cmk-old", "clientInfo": "azsdk-go-azkeys/v1.1.0 (go1.22.1; linux) "
                 "terraform-provider-azurerm", "requestUri": kv_url(vault, "deletedkeys/cmk-old")}, "tf"),
           duration="31"),
        "KeyPurge of deleted key cmk-old (kv-prod/keys/cmk-old) by sp-terraform: a delete; 204")
    write(rel, lines(recs, json.dumps))


# --------------------------------------------------------------------------
# Google Cloud audit logs (Secret Manager)

SM_METHOD = "google.cloud.secretmanager.v1.SecretManagerService."
GCLOUD_UA = "google-cloud-sdk gcloud/460.0.0,gzip(gfe)"
GO_UA = "google-api-go-client/0.5 secretmanager/1.11.5 gl-go/1.22.1 gccl/1.11.5,gzip(gfe)"
PERMS = {"AccessSecretVersion": ("secretmanager.versions.access", "DATA_READ", "SecretVersion"),
         "GetSecret": ("secretmanager.secrets.get", "ADMIN_READ", "Secret"),
         "GetSecretVersion": ("secretmanager.versions.get", "ADMIN_READ", "SecretVersion"),
         "ListSecrets": ("secretmanager.secrets.list", "ADMIN_READ", "Secret"),
         "AddSecretVersion": ("secretmanager.versions.add", "ADMIN_WRITE", "Secret")}


def later(ts, micros):
    """A receiveTimestamp some time after ts, nanosecond precision."""
    base = datetime.datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")
    frac = ts[20:-1] if len(ts) > 20 else ""
    nanos = int((frac + "000000000")[:9]) + micros * 1000 + int(digest(ts).hex()[:3], 16)
    base += datetime.timedelta(seconds=nanos // 10 ** 9)
    return base.strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % (nanos % 10 ** 9)


def gcp(project, ts, method, resource, auth, ip, ua, status="ok", granted=True, request=None, extra=None,
        log="data_access", severity=None, location=None):
    """One LogEntry with an AuditLog protoPayload. status: "ok" ({}), None (absent) or (code, message)."""
    perm, perm_type, kind = PERMS[method]
    p = {"@type": "type.googleapis.com/google.cloud.audit.AuditLog"}
    if status is not None:
        p["status"] = {} if status == "ok" else {"code": status[0], "message": status[1]}
    p["authenticationInfo"] = auth
    p["requestMetadata"] = {"callerIp": ip, "callerSuppliedUserAgent": ua,
                            "requestAttributes": {"time": ts, "auth": {}}, "destinationAttributes": {}}
    p["serviceName"] = "secretmanager.googleapis.com"
    p["methodName"] = SM_METHOD + method
    if granted is not False:
        info = {"resource": resource, "permission": perm}
        if granted:
            info["granted"] = True
        info["resourceAttributes"] = {"service": "secretmanager.googleapis.com", "name": resource,
                                      "type": "secretmanager.googleapis.com/" + kind}
        info["permissionType"] = perm_type
        p["authorizationInfo"] = [info]
    p["resourceName"] = resource
    p["request"] = dict({"@type": "type.googleapis.com/google.cloud.secretmanager.v1.%sRequest" % method},
                        **(request or {"name": resource}))
    if extra:
        p.update(extra)
    if location:
        p["resourceLocation"] = {"currentLocations": [location]}
    labels = {"method": SM_METHOD + method, "project_id": project, "service": "secretmanager.googleapis.com"}
    insert = alnum("insert-" + ts + resource, 12)
    return {"protoPayload": p, "insertId": insert,
            "resource": {"type": "audited_resource", "labels": labels}, "timestamp": ts,
            "severity": severity or ("INFO" if status in ("ok", None) else "ERROR"),
            "logName": "projects/%s/logs/cloudaudit.googleapis.com%%2F%s" % (project, log),
            "receiveTimestamp": later(ts, 412000)}


DEPLOYER = "deployer@acme-prod.iam.gserviceaccount.com"
WIF = ("principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/subject/"
       "repo:acme/app:ref:refs/heads/main")
DB_SECRET = "projects/acme-prod/secrets/db-password"


def gcp_gcloud_read():
    rel = "gcp/gcloud-read.json"
    entries = []
    deployer = {"principalEmail": DEPLOYER,
                "serviceAccountDelegationInfo": [{"firstPartyPrincipal": {"principalEmail": "carol@acme.example"}}],
                "principalSubject": "serviceAccount:" + DEPLOYER}
    bob = {"principalEmail": "bob@acme.example", "principalSubject": "user:bob@acme.example"}
    ci = {"principalEmail": "ci-runner@acme-ci.iam.gserviceaccount.com",
          "principalSubject": "serviceAccount:ci-runner@acme-ci.iam.gserviceaccount.com"}

    def add(entry, text):
        entries.append((entry, text))

    add(gcp("acme-prod", "2025-03-15T02:31:22.123456789Z", "AccessSecretVersion", DB_SECRET + "/versions/latest",
            deployer, "203.0.113.52", GCLOUD_UA),
        "AccessSecretVersion %s/versions/latest, status {}, by %s (serviceAccountDelegationInfo: carol@acme.example "
        "impersonated it): success" % (DB_SECRET, DEPLOYER))
    add(gcp("acme-prod", "2025-03-15T02:32:40.551203Z", "AccessSecretVersion", DB_SECRET + "/versions/3", bob,
            "198.51.100.88", GCLOUD_UA, status=None),
        "AccessSecretVersion %s/versions/3, status ABSENT, by bob@acme.example: success" % DB_SECRET)
    add(gcp("acme-prod", "2025-03-15T02:33:05.004117920Z", "AccessSecretVersion", DB_SECRET + "/versions/latest", ci,
            "203.0.113.61", GO_UA, granted=None,
            status=(7, "Permission 'secretmanager.versions.access' denied for resource "
                       "'projects/acme-prod/secrets/db-password/versions/latest' (or it may not exist).")),
        "AccessSecretVersion db-password DENIED (status code 7, authorizationInfo[0].granted MISSING) for "
        "ci-runner@acme-ci.iam.gserviceaccount.com")
    add(gcp("acme-prod", "2025-03-15T02:33:30.918274Z", "AccessSecretVersion", DB_SECRET + "/versions/latest", {},
            "192.0.2.201", "curl/8.4.0,gzip(gfe)", granted=False,
            status=(16, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                        "or other valid authentication credential. See https://developers.google.com/identity/"
                        "sign-in/web/devconsole-project.")),
        "AccessSecretVersion db-password UNAUTHENTICATED (code 16), authenticationInfo {} (identity unknown), "
        "no authorizationInfo: denied")
    add(gcp("acme-prod", "2025-03-15T02:35:12.300015482Z", "AccessSecretVersion", DB_SECRET + "/versions/2", bob,
            "198.51.100.88", GCLOUD_UA,
            status=(9, "Secret Version [projects/123456789012/secrets/db-password/versions/2] is in DESTROYED state.")),
        "AccessSecretVersion db-password/versions/2 FAILED_PRECONDITION (code 9, destroyed version) by "
        "bob@acme.example: ERROR, not denied")
    add(gcp("acme-prod", "2025-03-15T02:37:48.771204Z", "AccessSecretVersion",
            "projects/acme-prod/locations/us-east1/secrets/db-password/versions/1",
            {"principalEmail": DEPLOYER, "principalSubject": "serviceAccount:" + DEPLOYER}, "10.128.0.14", GO_UA,
            location="us-east1"),
        "AccessSecretVersion of the REGIONAL secret projects/acme-prod/locations/us-east1/secrets/db-password/"
        "versions/1 by %s (no delegation): success" % DEPLOYER)
    add(gcp("acme-prod", "2025-03-15T02:39:01.090807315Z", "AccessSecretVersion", DB_SECRET + "/versions/latest",
            {"principalSubject": WIF}, "203.0.113.45",
            "google-github-actions:get-secretmanager-secrets/2.1.0,gzip(gfe)"),
        "AccessSecretVersion db-password by a workload identity federation principal: principalSubject %s, "
        "NO principalEmail: success" % WIF)
    add(gcp("acme-prod", "2025-03-15T02:29:55.661020Z", "GetSecret", DB_SECRET, bob, "198.51.100.88", GCLOUD_UA),
        "GetSecret db-password by bob (ADMIN_READ, metadata only): not a value read")
    add(gcp("acme-prod", "2025-03-15T02:29:50.104388Z", "ListSecrets", "projects/acme-prod", bob, "198.51.100.88",
            GCLOUD_UA, request={"parent": "projects/acme-prod"}, extra={"numResponseItems": "7"}),
        "ListSecrets in acme-prod by bob (ADMIN_READ): not a value read")
    add(gcp("acme-prod", "2025-03-15T02:41:33.447120Z", "AccessSecretVersion",
            "projects/acme-prod/secrets/db-password-old/versions/1", bob, "198.51.100.88", GCLOUD_UA),
        "AccessSecretVersion projects/acme-prod/secrets/db-password-old/versions/1 by bob: ANOTHER secret whose "
        "name starts with db-password; must not match it")
    add(gcp("acme-prod", "2025-03-15T02:44:17.235711009Z", "AddSecretVersion", DB_SECRET,
            {"principalEmail": DEPLOYER, "principalSubject": "serviceAccount:" + DEPLOYER}, "203.0.113.52", GCLOUD_UA,
            request={"parent": DB_SECRET, "payload": {}}, log="activity", severity="NOTICE",
            extra={"response": {"@type": "type.googleapis.com/google.cloud.secretmanager.v1.SecretVersion",
                                "name": "projects/123456789012/secrets/db-password/versions/4",
                                "createTime": "2025-03-15T02:44:17.198302Z", "state": "ENABLED",
                                "replicationStatus": {"automatic": {}}, "etag": "\"1630a4f1e27b18\""}}),
        "AddSecretVersion db-password (Admin Activity log, a write, version 4 created) by %s: not a read" % DEPLOYER)
    # gcloud logging read lists the newest entry first.
    entries.sort(key=lambda e: e[0]["timestamp"], reverse=True)
    for n, (_, text) in enumerate(entries):
        fact(rel, "[%d]" % n, text)
    write(rel, json.dumps([e for e, _ in entries], indent=2, sort_keys=True) + "\n")


def gcp_sink():
    rel = "gcp/sink.jsonl"
    sa = {"principalEmail": "payments-api@acme-prod.iam.gserviceaccount.com",
          "principalSubject": "serviceAccount:payments-api@acme-prod.iam.gserviceaccount.com"}
    ua = "grpc-java-netty/1.62.2,gzip(gfe)"
    read = gcp("acme-prod", "2025-03-15T02:58:03.512998Z", "AccessSecretVersion", DB_SECRET + "/versions/latest", sa,
               "gce-internal-ip", ua)
    meta = gcp("acme-prod", "2025-03-15T02:58:02.990217Z", "GetSecretVersion", DB_SECRET + "/versions/latest", sa,
               "gce-internal-ip", ua)
    fact(rel, "line 1", "GetSecretVersion db-password/versions/latest by payments-api@acme-prod.iam.gserviceaccount"
         ".com (ADMIN_READ, metadata only): not a value read")
    fact(rel, "line 2", "AccessSecretVersion %s/versions/latest by payments-api@acme-prod.iam.gserviceaccount.com, "
         "callerIp gce-internal-ip: success; insertId %s" % (DB_SECRET, read["insertId"]))
    fact(rel, "line 3", "identical copy of line 2 (same insertId): counts once")
    write(rel, lines([meta, read, read], compact))


# --------------------------------------------------------------------------
# Kubernetes audit

K8S_UA = "kubectl/v1.29.3 (linux/amd64) kubernetes/6813625"


def sa_user(ns, name, pod, node):
    return {"username": "system:serviceaccount:%s:%s" % (ns, name), "uid": uuid("sa-%s-%s" % (ns, name)),
            "groups": ["system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"],
            "extra": {"authentication.kubernetes.io/credential-id": ["JTI=" + uuid("jti-%s-%s" % (ns, name))],
                      "authentication.kubernetes.io/node-name": [node],
                      "authentication.kubernetes.io/pod-name": [pod]}}


PAYMENTS_SA = sa_user("prod", "payments-api", "payments-api-6c9f7d8b5-q7x2m", "worker-2")
CI_SA = sa_user("ci", "runner", "runner-7f6d5c4b3-h8k2p", "worker-4")
WEB_SA = sa_user("staging", "web", "web-5d8c7b6a4-m3n4p", "worker-1")
KCM = {"username": "system:kube-controller-manager", "groups": ["system:authenticated"]}
ADMIN = {"username": "kubernetes-admin", "groups": ["kubeadm:cluster-admins", "system:authenticated"]}
ALICE_K8S = {"username": "alice@acme.example", "groups": ["platform-admins", "system:authenticated"]}
BOB_K8S = {"username": "bob", "groups": ["developers", "system:authenticated"]}
SECRET_B64 = "aHVudGVyMi1QUk9ELWRvLW5vdC1wcmludA=="  # base64 of hunter2-PROD-do-not-print


def reason_rb(binding, role, ns, sa, cluster=False):
    kind = "ClusterRoleBinding" if cluster else "RoleBinding"
    role_kind = "ClusterRole" if cluster else "Role"
    return 'RBAC: allowed by %s "%s" of %s "%s" to ServiceAccount "%s/%s"' % (kind, binding, role_kind, role, sa, ns)


def k8s_event(audit_id, stage, uri, verb, user, ips, ua, obj, t_recv, t_stage, status=None, decision=None,
              impersonated=None, level="Metadata", response_object=None):
    e = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": level, "auditID": audit_id, "stage": stage,
         "requestURI": uri, "verb": verb, "user": user}
    if impersonated:
        e["impersonatedUser"] = impersonated
    e["sourceIPs"] = ips
    e["userAgent"] = ua
    e["objectRef"] = obj
    if stage != "RequestReceived":
        e["responseStatus"] = status or {"metadata": {}, "code": 200}
        if response_object:
            e["responseObject"] = response_object
    e["requestReceivedTimestamp"] = t_recv
    e["stageTimestamp"] = t_recv if stage == "RequestReceived" else t_stage
    if stage != "RequestReceived":
        e["annotations"] = {"authorization.k8s.io/decision": decision[0], "authorization.k8s.io/reason": decision[1]}
    return e


def secret_ref(ns, name=None):
    o = {"resource": "secrets"}
    if ns:
        o["namespace"] = ns
    if name:
        o["name"] = name
    o["apiVersion"] = "v1"
    return o


def both(audit_id, *args, **kw):
    return [k8s_event(audit_id, "RequestReceived", *args, **kw), k8s_event(audit_id, "ResponseComplete", *args, **kw)]


def forbidden(user, ns, name):
    return {"metadata": {}, "status": "Failure",
            "message": 'secrets "%s" is forbidden: User "%s" cannot get resource "secrets" in API group "" in the '
                       'namespace "%s"' % (name, user["username"], ns),
            "reason": "Forbidden", "details": {"name": name, "kind": "secrets"}, "code": 403}


def k8s_audit_log():
    rel = "k8s/audit.log"
    out = []

    def add(events, text):
        first = len(out) + 1
        out.extend(events)
        where = "line %d" % first if len(events) == 1 else "lines %d-%d" % (first, len(out))
        fact(rel, where, text)

    pay_ua = "payments-api/v0.0.0 (linux/amd64) kubernetes/$Format"
    add([k8s_event(uuid("k8s-01"), "ResponseComplete", "/api/v1/namespaces/prod/configmaps/payments-config", "get",
                   PAYMENTS_SA, ["10.0.2.17"], pay_ua,
                   {"resource": "configmaps", "namespace": "prod", "name": "payments-config", "apiVersion": "v1"},
                   "2025-03-15T02:34:12.511874Z", "2025-03-15T02:34:12.514020Z",
                   decision=("allow", reason_rb("payments-api-config", "config-reader", "prod", "payments-api")))],
        "configmaps get prod/payments-config (noise)")
    add(both(uuid("k8s-02"), "/api/v1/namespaces/prod/secrets/db-password", "get", PAYMENTS_SA, ["10.0.2.17"], pay_ua,
             secret_ref("prod", "db-password"), "2025-03-15T02:34:12.846102Z", "2025-03-15T02:34:12.849377Z",
             decision=("allow", reason_rb("payments-api-secrets", "db-password-reader", "prod", "payments-api"))),
        "get prod/db-password by system:serviceaccount:prod:payments-api, RequestReceived + ResponseComplete with the "
        "same auditID: ONE success")
    add(both(uuid("k8s-03"), "/api/v1/namespaces/prod/secrets?limit=500", "list", CI_SA, ["10.0.9.250"],
             "kubectl/v1.29.3 (linux/amd64) kubernetes/6813625", secret_ref("prod"),
             "2025-03-15T02:35:01.220415Z", "2025-03-15T02:35:01.231987Z",
             decision=("allow", reason_rb("ci-runner-deployer", "deployer", "ci", "runner", cluster=True))),
        "list secrets in namespace prod (objectRef without name) by system:serviceaccount:ci:runner: a WIDE read "
        "of every secret in prod (prod/*), both stages: ONE success")
    add([k8s_event(uuid("k8s-04"), stage, "/api/v1/secrets?watch=true&resourceVersion=0", "watch", KCM,
                   ["10.0.0.5"], "kube-controller-manager/v1.29.3 (linux/amd64) kubernetes/6813625/shared-informers",
                   secret_ref(None), "2025-03-15T02:35:30.004411Z", "2025-03-15T02:35:30.006873Z",
                   decision=("allow", 'RBAC: allowed by ClusterRoleBinding "system:kube-controller-manager" of '
                                      'ClusterRole "system:kube-controller-manager" to User '
                                      '"system:kube-controller-manager"'))
         for stage in ("RequestReceived", "ResponseStarted")],
        "cluster-wide watch of secrets (/api/v1/secrets?watch=true&resourceVersion=0, & written \\u0026) by "
        "system:kube-controller-manager, RequestReceived + ResponseStarted only (no ResponseComplete: the watch "
        "was still open): a read of EVERY secret (*); success")
    add(both(uuid("k8s-05"), "/api/v1/namespaces/prod/secrets/db-password", "get", WEB_SA, ["10.0.6.12"],
             "web/v0.0.0 (linux/amd64) kubernetes/$Format", secret_ref("prod", "db-password"),
             "2025-03-15T02:36:02.117300Z", "2025-03-15T02:36:02.118021Z",
             status=forbidden(WEB_SA, "prod", "db-password"), decision=("forbid", "")),
        "get prod/db-password DENIED (403 Forbidden, decision forbid) for system:serviceaccount:staging:web")
    add(both(uuid("k8s-06"), "/api/v1/namespaces/prod/secrets/db-password", "get", ALICE_K8S,
             ["203.0.113.7", "10.0.0.12"], K8S_UA, secret_ref("prod", "db-password"),
             "2025-03-15T02:38:44.640091Z", "2025-03-15T02:38:44.643518Z",
             impersonated={"username": "system:serviceaccount:prod:payments-api",
                           "groups": ["system:serviceaccounts", "system:serviceaccounts:prod", "system:authenticated"]},
             decision=("allow", reason_rb("payments-api-secrets", "db-password-reader", "prod", "payments-api"))),
        "get prod/db-password by alice@acme.example IMPERSONATING system:serviceaccount:prod:payments-api "
        "(effective identity payments-api, actor alice); sourceIPs [203.0.113.7, 10.0.0.12]: the peer is 10.0.0.12; "
        "success")
    add([k8s_event(uuid("k8s-07"), "RequestReceived", "/api/v1/namespaces/prod/secrets/db-password", "get", BOB_K8S,
                   ["198.51.100.14"], K8S_UA, secret_ref("prod", "db-password"),
                   "2025-03-15T02:40:41.770263Z", None)],
        "get prod/db-password by bob seen ONLY at RequestReceived: outcome UNKNOWN (never a success)")
    admin_rr = both(uuid("k8s-08"), "/api/v1/namespaces/prod/secrets/db-password", "get", ADMIN, ["192.0.2.10"],
                    K8S_UA, secret_ref("prod", "db-password"), "2025-03-15T02:42:10.301557Z",
                    "2025-03-15T02:42:10.305112Z", level="RequestResponse",
                    decision=("allow", 'RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole '
                                       '"cluster-admin" to Group "kubeadm:cluster-admins"'),
                    response_object={
                        "kind": "Secret", "apiVersion": "v1",
                        "metadata": {"name": "db-password", "namespace": "prod", "uid": uuid("secret-prod-db"),
                                     "resourceVersion": "48213377", "creationTimestamp": "2024-11-02T09:14:51Z",
                                     "labels": {"app.kubernetes.io/part-of": "payments"}},
                        "data": {"password": SECRET_B64, "username": "cGF5bWVudHM="}, "type": "Opaque"})
    add(admin_rr, "get prod/db-password by kubernetes-admin at level RequestResponse: the ResponseComplete line's "
        "responseObject.data.password holds the value in base64 (%s = hunter2-PROD-do-not-print); neither may "
        "ever be printed; success" % SECRET_B64)
    add(both(uuid("k8s-09"), "/api/v1/namespaces/staging/secrets/db-password", "get", WEB_SA, ["10.0.6.12"],
             "web/v0.0.0 (linux/amd64) kubernetes/$Format", secret_ref("staging", "db-password"),
             "2025-03-15T02:43:30.880112Z", "2025-03-15T02:43:30.882540Z",
             decision=("allow", reason_rb("web-secrets", "web-secrets", "staging", "web"))),
        "get staging/db-password by system:serviceaccount:staging:web: ANOTHER secret (other namespace); success")
    add([k8s_event(uuid("k8s-10"), "ResponseComplete", "/api/v1/namespaces/prod/pods?limit=500", "list", ADMIN,
                   ["192.0.2.10"], K8S_UA, {"resource": "pods", "namespace": "prod", "apiVersion": "v1"},
                   "2025-03-15T02:44:02.015530Z", "2025-03-15T02:44:02.029871Z",
                   decision=("allow", 'RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole '
                                      '"cluster-admin" to Group "kubeadm:cluster-admins"'))],
        "pods list in prod by kubernetes-admin (noise)")
    write(rel, lines(out, go_json))


def k8s_eventlist():
    rel = "k8s/eventlist.json"
    bob_ua = K8S_UA
    items = [
        k8s_event(uuid("wh-01"), "ResponseComplete", "/api/v1/namespaces/prod/secrets/db-password", "get", PAYMENTS_SA,
                  ["10.0.2.18"], "payments-api/v0.0.0 (linux/amd64) kubernetes/$Format",
                  secret_ref("prod", "db-password"), "2025-03-15T02:47:05.118250Z", "2025-03-15T02:47:05.121093Z",
                  decision=("allow", reason_rb("payments-api-secrets", "db-password-reader", "prod", "payments-api"))),
        k8s_event(uuid("wh-02"), "ResponseComplete", "/api/v1/namespaces/prod/configmaps/payments-config", "get",
                  PAYMENTS_SA, ["10.0.2.18"], "payments-api/v0.0.0 (linux/amd64) kubernetes/$Format",
                  {"resource": "configmaps", "namespace": "prod", "name": "payments-config", "apiVersion": "v1"},
                  "2025-03-15T02:47:05.301774Z", "2025-03-15T02:47:05.303012Z",
                  decision=("allow", reason_rb("payments-api-config", "config-reader", "prod", "payments-api"))),
        k8s_event(uuid("wh-03"), "ResponseComplete", "/api/v1/namespaces/prod/pods?limit=500", "list", BOB_K8S,
                  ["198.51.100.14"], bob_ua, {"resource": "pods", "namespace": "prod", "apiVersion": "v1"},
                  "2025-03-15T02:47:30.552016Z", "2025-03-15T02:47:30.560427Z",
                  decision=("allow", 'RBAC: allowed by RoleBinding "developers-view/prod" of ClusterRole "view" to '
                                     'Group "developers"')),
    ]
    fact(rel, "items[0]", "get prod/db-password by system:serviceaccount:prod:payments-api (ResponseComplete 200): "
         "success")
    fact(rel, "items[1]", "configmaps get (noise)")
    fact(rel, "items[2]", "pods list by bob (noise)")
    write(rel, go_pretty({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "metadata": {}, "items": items}) +
          "\n")


def epoch_ms(ts):
    t = datetime.datetime.strptime(ts[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp() * 1000)


def k8s_eks():
    rel = "k8s/eks-cloudwatch.jsonl"
    eks_pay = sa_user("prod", "payments-api", "payments-api-6c9f7d8b5-q7x2m", "ip-10-0-2-17.ec2.internal")
    admin_role = role_session("eks-admin", "alice", "2025-03-15T02:20:03Z")
    eks_admin = {"username": "arn:aws:sts::%s:assumed-role/eks-admin/alice" % ACCT, "uid": "aws-iam-authenticator:%s:%s"
                 % (ACCT, aws_id("AROA", "role-eks-admin")), "groups": ["eks-admins", "system:authenticated"],
                 "extra": {"accessKeyId": [admin_role["accessKeyId"]], "arn": [admin_role["arn"]],
                           "canonicalArn": ["arn:aws:iam::%s:role/eks-admin" % ACCT],
                           "principalId": [aws_id("AROA", "role-eks-admin")], "sessionName": ["alice"],
                           "sigs.k8s.io/aws-iam-authenticator/principalId": [aws_id("AROA", "role-eks-admin")]}}
    events = [
        k8s_event(uuid("eks-01"), "ResponseComplete", "/api/v1/namespaces/prod/secrets/db-password", "get", eks_pay,
                  ["10.0.2.17"], "payments-api/v0.0.0 (linux/amd64) kubernetes/$Format",
                  secret_ref("prod", "db-password"), "2025-03-15T02:31:07.119870Z", "2025-03-15T02:31:07.123344Z",
                  decision=("allow", reason_rb("payments-api-secrets", "db-password-reader", "prod", "payments-api"))),
        k8s_event(uuid("eks-02"), "ResponseComplete", "/api/v1/namespaces/prod/pods?limit=500", "list", eks_admin,
                  ["198.51.100.23"], "kubectl/v1.29.3 (darwin/arm64) kubernetes/6813625",
                  {"resource": "pods", "namespace": "prod", "apiVersion": "v1"},
                  "2025-03-15T02:31:40.004211Z", "2025-03-15T02:31:40.019876Z",
                  decision=("allow", 'EKS Access Policy: allowed by ClusterRoleBinding "arn:aws:iam::%s:role/eks-admin'
                                     '+arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" of '
                                     'ClusterRole "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" '
                                     'to User "arn:aws:sts::%s:assumed-role/eks-admin/alice"' % (ACCT, ACCT))),
    ]
    stream = "kube-apiserver-audit-" + hex32("eks-stream")
    out = []
    for n, e in enumerate(events):
        ts = epoch_ms(e["stageTimestamp"])
        out.append({"timestamp": ts, "message": go_json(e), "ingestionTime": ts + 1873 + 211 * n,
                    "logStreamName": stream, "eventId": "".join(str(b % 10) for b in hashlib.sha512(b"eks-evt-%d" % n).digest())[:56]})
    fact(rel, "line 1", "get prod/db-password by system:serviceaccount:prod:payments-api inside the `message` "
         "string: success (stageTimestamp 2025-03-15T02:31:07.123344Z, timestamp %d)" % out[0]["timestamp"])
    fact(rel, "line 2", "pods list by the EKS IAM identity arn:aws:sts::111122223333:assumed-role/eks-admin/alice "
         "(noise)")
    write(rel, lines(out, compact))


def k8s_aks():
    rel = "k8s/aks-diagnostics.json"
    aks_pay = sa_user("prod", "payments-api", "payments-api-6c9f7d8b5-q7x2m", "aks-nodepool1-31718369-vmss000002")
    rid = ("/SUBSCRIPTIONS/%s/RESOURCEGROUPS/RG-PROD-AKS/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD"
           % SUB.upper())
    events = [
        k8s_event(uuid("aks-01"), "ResponseComplete", "/api/v1/namespaces/prod/secrets/db-password", "get", aks_pay,
                  ["10.244.1.17"], "payments-api/v0.0.0 (linux/amd64) kubernetes/$Format",
                  secret_ref("prod", "db-password"), "2025-03-15T02:32:18.402255Z", "2025-03-15T02:32:18.405910Z",
                  decision=("allow", reason_rb("payments-api-secrets", "db-password-reader", "prod", "payments-api"))),
        k8s_event(uuid("aks-02"), "ResponseComplete",
                  "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler", "update",
                  {"username": "aksService", "groups": ["system:masters", "system:authenticated"]}, ["10.224.0.4"],
                  "kube-scheduler/v1.29.2 (linux/amd64) kubernetes/4b8e819/leader-election",
                  {"resource": "leases", "namespace": "kube-system", "name": "kube-scheduler",
                   "apiGroup": "coordination.k8s.io", "apiVersion": "v1"},
                  "2025-03-15T02:32:19.001120Z", "2025-03-15T02:32:19.004387Z", decision=("allow", "")),
    ]
    records = []
    for n, e in enumerate(events):
        t = e["stageTimestamp"][:-1] + "%03dZ" % (117 + n * 40)
        records.append({"time": t, "resourceId": rid, "category": "kube-audit",
                        "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
                        "properties": {"log": go_json(e), "stream": "stdout",
                                       "pod": "kube-apiserver-7b9d6c5f4-x4k2p",
                                       "containerID": digest("aks-container").hex()}})
    fact(rel, "records[0]", "get prod/db-password by system:serviceaccount:prod:payments-api inside "
         "properties.log (a JSON string): success")
    fact(rel, "records[1]", "lease update by aksService (noise)")
    write(rel, json.dumps({"records": records}, indent=2) + "\n")


# --------------------------------------------------------------------------
# incident/: the 3 AM story across stores

def vault_hmac(text):
    return "hmac-sha256:" + hashlib.sha256(("incident-multi:" + text).encode()).hexdigest()


VAULT_IDS = {
    "gh-deploy": dict(display_name="jwt-repo:acme/app:ref:refs/heads/main",
                      entity_id=uuid("vault-entity-gh-deploy"), policies=["deploy", "default"],
                      metadata={"role": "gh-deploy"}, addr="203.0.113.41"),
    "payments-api": dict(display_name="kubernetes-prod-payments-api", entity_id=uuid("vault-entity-payments"),
                         policies=["payments-read", "default"],
                         metadata={"role": "payments-api", "service_account_name": "payments-api",
                                   "service_account_namespace": "prod",
                                   "service_account_secret_name": "",
                                   "service_account_uid": uuid("sa-prod-payments-api")}, addr="10.0.2.17"),
    "ci-runner": dict(display_name="kubernetes-ci-runner", entity_id=uuid("vault-entity-ci-runner"),
                      policies=["ci", "default"],
                      metadata={"role": "ci", "service_account_name": "runner", "service_account_namespace": "ci",
                                "service_account_secret_name": "", "service_account_uid": uuid("sa-ci-runner")},
                      addr="10.0.9.250"),
    "alice": dict(display_name="userpass-alice", entity_id=uuid("vault-entity-alice"), policies=["ops", "default"],
                  metadata={"username": "alice"}, addr="198.51.100.23"),
}


def vault_pair(out, t_req, t_resp, who, rid, path, denied=False, data=None):
    i = VAULT_IDS[who]
    token, accessor = vault_hmac("token-" + who), vault_hmac("accessor-" + who)
    auth = {"client_token": token, "accessor": accessor, "display_name": i["display_name"],
            "policies": i["policies"], "token_policies": i["policies"], "metadata": i["metadata"],
            "entity_id": i["entity_id"], "token_type": "service", "token_ttl": 3600,
            "token_issue_time": "2025-03-15T02:%02d:00Z" % (int(t_req[14:16]) - 1)}
    req = {"id": rid, "client_id": i["entity_id"], "operation": "read", "mount_point": "prod/", "mount_type": "kv",
           "mount_accessor": "kv_5a6b7c8d", "mount_running_version": "v0.20.0+builtin", "mount_class": "secret",
           "client_token": token, "client_token_accessor": accessor, "namespace": {"id": "root"}, "path": path,
           "remote_address": i["addr"], "remote_port": 40000 + int(digest(rid).hex()[:4], 16) % 20000}
    first = {"time": t_req, "type": "request", "auth": auth, "request": req}
    second = {"time": t_resp, "type": "response", "auth": auth, "request": req}
    if denied:
        first["error"] = "permission denied"
        second["response"] = {"data": {"error": vault_hmac("permission denied")}}
        second["error"] = "1 error occurred:\n\t* permission denied\n\n"
    else:
        second["response"] = {"mount_point": "prod/", "mount_type": "kv", "mount_running_plugin_version":
                              "v0.20.0+builtin", "data": data or {
                                  "data": {"password": vault_hmac("value-" + path)},
                                  "metadata": {"created_time": "2025-02-01T09:00:00.123456789Z",
                                               "custom_metadata": None, "deletion_time": "", "destroyed": False,
                                               "version": 12}}}
    out.append(go_json(first))
    out.append(go_json(second))


def incident():
    # AWS: one S3 trail file, delivered at 02:35.
    rel = "incident/cloudtrail/%s_CloudTrail_%s_20250315T0235Z_a1b2c3.json.gz" % (ACCT, REGION)
    recs = [
        (get_secret("inc-03", "2025-03-15T02:31:09Z", CI_4420, "prod/stripe-api-key", "203.0.113.41",
                    UA_GO % "secretsmanager#1.28.2"),
         "GetSecretValue by NAME prod/stripe-api-key by the same session: its other secret (blast-radius depth 2)"),
        (assume_role_web_identity("inc-01", "2025-03-15T02:30:58Z", "gh-run-4420", "203.0.113.41"),
         "sts AssumeRoleWithWebIdentity creating ci-deploy/gh-run-4420 from GitHub OIDC (noise)"),
        (get_secret("inc-02", "2025-03-15T02:31:07Z", CI_4420, DB_ARN, "203.0.113.41",
                    UA_GO % "secretsmanager#1.28.2"),
         "GetSecretValue FULL ARN of prod/db-password by arn:aws:sts::111122223333:assumed-role/ci-deploy/gh-run-4420 "
         "(role arn:aws:iam::111122223333:role/ci-deploy, key %s): success" % CI_4420["accessKeyId"]),
        (get_secret("inc-04", "2025-03-15T02:33:51Z", STAGING, None, "10.20.3.14", UA_BOTO,
                    error=("AccessDeniedException",
                           denied_message(STAGING["arn"], "secretsmanager:GetSecretValue", DB_ARN))),
         "GetSecretValue DENIED for arn:aws:sts::111122223333:assumed-role/staging-app/i-0abc, requestParameters "
         "null, prod/db-password named in errorMessage"),
        (kms_decrypt("inc-05", "2025-03-15T02:31:07Z", CI_4420, DB_ARN), "kms Decrypt (noise)"),
        (ct("inc-06", "2025-03-15T02:31:03Z", CI_4420, "secretsmanager", "ListSecrets", {"maxResults": 100},
            "203.0.113.41", UA_GO % "secretsmanager#1.28.2"), "ListSecrets (noise, not a read)"),
    ]
    recs[3][0]["requestParameters"] = None
    for n, (_, text) in enumerate(recs):
        fact(rel, "Records[%d]" % n, text)
    write_gz(rel, compact({"Records": [r for r, _ in recs]}))

    # Vault: the file audit device of the same night.
    rel = "incident/vault/audit.log"
    out = []
    db = "prod/data/db-password"
    vault_pair(out, "2025-03-15T02:30:10.220914Z", "2025-03-15T02:30:10.221803Z", "alice", uuid("vault-inc-1"),
               "prod/metadata/db-password",
               data={"current_version": 12, "max_versions": 0, "oldest_version": 0,
                     "versions": {"12": {"created_time": "2025-02-01T09:00:00.123456789Z", "deletion_time": "",
                                         "destroyed": False}}})
    fact(rel, "lines 1-2", "read of prod/metadata/db-password by userpass-alice: metadata, not a value read")
    vault_pair(out, "2025-03-15T02:31:30.118274Z", "2025-03-15T02:31:30.119902Z", "gh-deploy", uuid("vault-inc-2"), db)
    fact(rel, "lines 3-4", "read %s (mount prod/) by entity %s (jwt-repo:acme/app:ref:refs/heads/main, role "
         "gh-deploy): success" % (db, VAULT_IDS["gh-deploy"]["entity_id"]))
    vault_pair(out, "2025-03-15T02:33:00.402117Z", "2025-03-15T02:33:00.402901Z", "ci-runner", uuid("vault-inc-3"), db,
               denied=True)
    fact(rel, "lines 5-6", "read %s DENIED (permission denied on request and response) for entity %s "
         "(kubernetes-ci-runner): one denied attempt" % (db, VAULT_IDS["ci-runner"]["entity_id"]))
    vault_pair(out, "2025-03-15T02:34:12.846031Z", "2025-03-15T02:34:12.847112Z", "payments-api", uuid("vault-inc-4"),
               db)
    fact(rel, "lines 7-8", "read %s by entity %s (kubernetes-prod-payments-api): success"
         % (db, VAULT_IDS["payments-api"]["entity_id"]))
    write(rel, "".join(l + "\n" for l in out))

    # Kubernetes.
    rel = "incident/k8s/audit.log"
    ev = []
    ev += both(uuid("inc-k8s-1"), "/api/v1/namespaces/prod/secrets/db-password", "get", PAYMENTS_SA, ["10.0.2.17"],
               "payments-api/v0.0.0 (linux/amd64) kubernetes/$Format", secret_ref("prod", "db-password"),
               "2025-03-15T02:34:12.903310Z", "2025-03-15T02:34:12.906045Z",
               decision=("allow", reason_rb("payments-api-secrets", "db-password-reader", "prod", "payments-api")))
    fact(rel, "lines 1-2", "get prod/db-password by system:serviceaccount:prod:payments-api (both stages): one "
         "success")
    ev += both(uuid("inc-k8s-2"), "/api/v1/namespaces/prod/secrets?limit=500", "list", CI_SA, ["10.0.9.250"], K8S_UA,
               secret_ref("prod"), "2025-03-15T02:35:01.220415Z", "2025-03-15T02:35:01.231987Z",
               decision=("allow", reason_rb("ci-runner-deployer", "deployer", "ci", "runner", cluster=True)))
    fact(rel, "lines 3-4", "list secrets in prod by system:serviceaccount:ci:runner: a wide read of prod/* "
         "(includes prod/db-password); success")
    ev.append(k8s_event(uuid("inc-k8s-3"), "ResponseComplete", "/api/v1/namespaces/prod/configmaps/payments-config",
                        "get", PAYMENTS_SA, ["10.0.2.17"], "payments-api/v0.0.0 (linux/amd64) kubernetes/$Format",
                        {"resource": "configmaps", "namespace": "prod", "name": "payments-config", "apiVersion": "v1"},
                        "2025-03-15T02:35:40.118406Z", "2025-03-15T02:35:40.120931Z",
                        decision=("allow", reason_rb("payments-api-config", "config-reader", "prod", "payments-api"))))
    fact(rel, "line 5", "configmaps get (noise)")
    write(rel, lines(ev, go_json))

    # Azure: another vault, another secret only.
    rel = "incident/azure/PT1H.json"
    rg, vault = "RG-OPS", "kv-ops"
    mi = az_app("mi-mailer", "rg-ops")
    corr = uuid("corr-mailer")
    info = "azsdk-net-Security.KeyVault.Secrets/4.6.0 (.NET 8.0.3; Ubuntu 22.04.4 LTS)"
    az = [
        kv("2025-03-15T02:22:47.1010201Z", rg, vault, "Authentication", 401, "Unauthorized", None, "10.2.1.8", corr,
           {"id": "https://kv-ops.vault.azure.net/secrets/smtp-password", "clientInfo": info,
            "requestUri": kv_url(vault, "secrets/smtp-password/")}, duration="0"),
        kv("2025-03-15T02:22:47.1893345Z", rg, vault, "SecretGet", 200, "OK", mi, "10.2.1.8", corr,
           {"id": "https://kv-ops.vault.azure.net/secrets/smtp-password/" + hex32("kv-ops-smtp-v4"), "clientInfo": info,
            "requestUri": kv_url(vault, "secrets/smtp-password/"), "isAccessPolicyMatch": True}, duration="10"),
    ]
    fact(rel, "line 1", "Authentication 401 probe (noise)")
    fact(rel, "line 2", "SecretGet kv-ops/smtp-password by managed identity mi-mailer (oid %s): another secret, "
         "never prod/db-password" % mi["oid"])
    write(rel, lines(az, json.dumps))

    # Google Cloud: another project, another secret only.
    rel = "incident/gcp/data_access.jsonl"
    mailer = "mailer@acme-ops.iam.gserviceaccount.com"
    sa = {"principalEmail": mailer, "principalSubject": "serviceAccount:" + mailer}
    g = [gcp("acme-ops", "2025-03-15T02:26:19.338120Z", "AccessSecretVersion",
             "projects/acme-ops/secrets/smtp-password/versions/latest", sa, "gce-internal-ip", GO_UA)]
    fact(rel, "line 1", "AccessSecretVersion projects/acme-ops/secrets/smtp-password/versions/latest by %s: another "
         "secret" % mailer)
    write(rel, lines(g, compact))


# --------------------------------------------------------------------------

def check():
    """Every file written parses as JSON (whole, per line, or after gunzip)."""
    for rel in WRITTEN:
        path = os.path.join(HERE, rel)
        raw = open(path, "rb").read()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8")
        if rel.endswith((".jsonl", ".log")) or os.path.basename(rel) in ("PT1H.json", "keys-certs.json"):
            for n, line in enumerate(text.splitlines(), 1):
                json.loads(line)
        else:
            json.loads(text)


def main():
    secretsmanager_jsonl()
    trail_s3()
    lookup_events()
    ssm_json()
    flattened_jsonl()
    azure_pt1h()
    azure_eventhub()
    azure_keys_certs()
    gcp_gcloud_read()
    gcp_sink()
    k8s_audit_log()
    k8s_eventlist()
    k8s_eks()
    k8s_aks()
    incident()
    check()
    if "--facts" in sys.argv[1:]:
        for path, where, text in FACTS:
            print("%s\t%s\t%s" % (path, where, text))


if __name__ == "__main__":
    main()
