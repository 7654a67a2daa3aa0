#!/usr/bin/env python3
"""Writes testdata/canary/: records that hold values where no audit log
should, each a unique marker (`CANARY-…`), for the test that runs every
subcommand in every format and looks for them: CloudTrail responseElements
and requestParameters holding a secret string or a decrypted parameter; a
Kubernetes Secret created and read at RequestResponse level, its data
base64-encoded (the test looks for both the encoded and the decoded
marker) and its stringData in clear. Vault's log_raw values are planted in
testdata/exposures/. Run from the repository's top."""
import base64
import json

OUT = "testdata/canary/"
B64 = "CANARY-k8s-b64-0104"


def ct(n, name, source, params, response):
    return {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDA0000000%d" % n,
                         "arn": "arn:aws:iam::111122223333:user/canary-app", "accountId": "111122223333",
                         "accessKeyId": "AKIA00000000000000%02d" % n, "userName": "canary-app"},
        "eventTime": "2025-03-15T02:3%d:00Z" % n,
        "eventSource": source,
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "10.0.8.%d" % n,
        "userAgent": "aws-cli/2.15.30",
        "requestParameters": params,
        "responseElements": response,
        "requestID": "req-canary-%d" % n,
        "eventID": "evt-canary-%d" % n,
        "readOnly": name.startswith("Get"),
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "111122223333",
    }


records = [
    ct(1, "GetSecretValue", "secretsmanager.amazonaws.com", {"secretId": "prod/db-password"},
       {"arn": "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-password-AbCdEf",
        "name": "prod/db-password", "versionId": "v1", "secretString": "CANARY-ct-secret-string-0101"}),
    ct(2, "PutSecretValue", "secretsmanager.amazonaws.com",
       {"secretId": "prod/db-password", "secretString": "CANARY-ct-put-0102"}, {"versionId": "v2"}),
    ct(3, "GetParameter", "ssm.amazonaws.com", {"name": "/prod/db/password", "withDecryption": True},
       {"parameter": {"name": "/prod/db/password", "type": "SecureString", "value": "CANARY-ssm-0103"}}),
]
with open(OUT + "cloudtrail.json", "w") as f:
    json.dump({"Records": records}, f, indent=2)
    f.write("\n")

secret = {"kind": "Secret", "apiVersion": "v1",
          "metadata": {"name": "db-password", "namespace": "prod"},
          "data": {"password": base64.b64encode(B64.encode()).decode()},
          "stringData": {"token": "CANARY-k8s-str-0105"}}


def event(n, verb, request=None, response=None):
    e = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "RequestResponse",
         "auditID": "c0ffee00-0000-4000-8000-00000000000%d" % n, "stage": "ResponseComplete",
         "requestURI": "/api/v1/namespaces/prod/secrets" + ("" if verb == "create" else "/db-password"),
         "verb": verb, "user": {"username": "system:serviceaccount:prod:canary", "groups": ["system:serviceaccounts"]},
         "sourceIPs": ["10.0.5.%d" % n], "userAgent": "kubectl/v1.29.2",
         "objectRef": {"resource": "secrets", "namespace": "prod", "name": "db-password", "apiVersion": "v1"},
         "responseStatus": {"metadata": {}, "code": 201 if verb == "create" else 200},
         "requestReceivedTimestamp": "2025-03-15T02:4%d:00.000001Z" % n,
         "stageTimestamp": "2025-03-15T02:4%d:00.000452Z" % n}
    if request is not None:
        e["requestObject"] = request
    if response is not None:
        e["responseObject"] = response
    return e


with open(OUT + "k8s-audit.log", "w") as f:
    for e in (event(1, "create", request=secret, response=dict(secret, stringData=None)),
              event(2, "get", response=secret)):
        f.write(json.dumps(e, separators=(",", ":")) + "\n")
