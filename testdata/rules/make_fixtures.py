#!/usr/bin/env python3
"""Rebuilds testdata/rules/: the shapes real logs carry and documentation
omits, each proving one rule of README "What counts" (a read counts only
when the log proves the value left the store). Byte for byte reproducible:
`python3 testdata/rules/make_fixtures.py`. Every value below is made up;
secret values are HMAC'd as Vault writes them (`hmac-sha256:…`)."""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def dump(records):
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records)


def write(name, text):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------------------
# Vault: responses that carry no value, other entry types, addresses with ports
# ---------------------------------------------------------------------------

def vault_auth(name, entity):
    return {
        "client_token": "hmac-sha256:" + entity[:8] * 8,
        "accessor": "hmac-sha256:" + entity[-8:] * 8,
        "display_name": name,
        "policies": ["default", "app"],
        "token_policies": ["default", "app"],
        "metadata": {"role_name": name},
        "entity_id": entity,
        "token_type": "service",
    }


def vault_pair(n, time, who, path, mount, response=None, error=None, address="10.0.4.20",
               operation="read"):
    """A request entry and its response entry. `response` is the response
    member as Vault writes it, or the string "absent" for none at all."""
    rid = "4a1c0000-0000-4000-8000-%012d" % n
    request = {
        "id": rid,
        "operation": operation,
        "mount_point": mount,
        "mount_type": "kv",
        "client_token": who["client_token"],
        "client_token_accessor": who["accessor"],
        "namespace": {"id": "root"},
        "path": path,
        "remote_address": address,
    }
    req = {"time": time.replace("Z", "1Z"), "type": "request", "auth": who, "request": request}
    resp = {"time": time.replace("Z", "9Z"), "type": "response", "auth": who, "request": request}
    if response != "absent":
        resp["response"] = response if response is not None else {}
    if error:
        resp["error"] = error
    return [req, resp]


def vault():
    app = vault_auth("approle-app", "0b7a3c1e-aaaa-4bbb-8ccc-000000000001")
    probe = vault_auth("approle-probe", "0b7a3c1e-aaaa-4bbb-8ccc-000000000002")
    dyn = vault_auth("approle-batch", "0b7a3c1e-aaaa-4bbb-8ccc-000000000003")
    wrap = vault_auth("approle-wrap", "0b7a3c1e-aaaa-4bbb-8ccc-000000000004")
    value = {"mount_type": "kv", "data": {"data": {"password": "hmac-sha256:9f2c"},
                                          "metadata": {"version": 3}}}
    missing = {"mount_type": "kv", "data": {
        "http_content_type": "application/json",
        "http_raw_body": "hmac-sha256:5e1d",
        "http_status_code": 404,
    }}
    records = []
    # app reads the password: a value left Vault.
    records += vault_pair(1, "2025-04-02T09:00:00.00000Z", app, "secret/data/prod/api-key", "secret/", value)
    # probe asks for a secret that does not exist (KV v2 logs a 404 as data).
    records += vault_pair(2, "2025-04-02T09:01:00.00000Z", probe, "secret/data/prod/api-key-old", "secret/", missing)
    # probe reads the queried secret after it was deleted: 404 again.
    records += vault_pair(3, "2025-04-02T09:02:00.00000Z", probe, "secret/data/prod/api-key", "secret/", missing)
    # probe: an empty response object, a response without data, no response.
    records += vault_pair(4, "2025-04-02T09:03:00.00000Z", probe, "secret/data/prod/api-key", "secret/", {})
    records += vault_pair(5, "2025-04-02T09:04:00.00000Z", probe, "secret/data/prod/api-key", "secret/", {"mount_type": "kv"})
    records += vault_pair(6, "2025-04-02T09:05:00.00000Z", probe, "secret/data/prod/api-key", "secret/", "absent")
    # A server error logged as data.
    records += vault_pair(7, "2025-04-02T09:06:00.00000Z", probe, "secret/data/prod/api-key", "secret/",
                          {"mount_type": "kv", "data": {"http_raw_body": "hmac-sha256:77aa", "http_status_code": 503}})
    # Dynamic secrets: one lease issued, one read that returned nothing.
    records += vault_pair(8, "2025-04-02T09:07:00.00000Z", dyn, "database/creds/reporting", "database/",
                          {"mount_type": "database", "secret": {"lease_id": "database/creds/reporting/h1"},
                           "data": {"password": "hmac-sha256:11aa", "username": "hmac-sha256:22bb"}})
    records += vault_pair(9, "2025-04-02T09:08:00.00000Z", dyn, "database/creds/reporting", "database/",
                          {"mount_type": "database", "data": None})
    # A wrapped answer: the caller holds the token that unwraps the value.
    records += vault_pair(10, "2025-04-02T09:09:00.00000Z", wrap, "secret/data/prod/api-key", "secret/",
                          {"mount_type": "kv", "wrap_info": {"token": "hmac-sha256:33cc", "accessor": "hmac-sha256:44dd",
                                                             "ttl": 60, "creation_time": "2025-04-02T09:09:00Z",
                                                             "creation_path": "secret/data/prod/api-key"}})
    # A write whose response holds no data is an ordinary write.
    records += vault_pair(11, "2025-04-02T09:10:00.00000Z", app, "secret/data/prod/api-key", "secret/",
                          {"mount_type": "kv", "data": {"version": 4}}, operation="update")
    # KMIP entries: no auth, no request id, an address with a port.
    records.append({"time": "2025-04-02T09:11:00.123456Z", "type": "kmip-request",
                    "request": {"operation": "get", "mount_type": "kmip", "path": "kmip/scope/payments/role/hsm",
                                "remote_address": "10.0.7.5:5696"}})
    records.append({"time": "2025-04-02T09:11:00.223456Z", "type": "kmip-response",
                    "request": {"operation": "get", "mount_type": "kmip", "path": "kmip/scope/payments/role/hsm",
                                "remote_address": "[2001:db8::15]:5696"},
                    "response": {"data": {"kmip_operation": "hmac-sha256:55ee"}}})
    # An entry type whosaw does not know.
    records.append({"time": "2025-04-02T09:12:00Z", "type": "plugin-event", "auth": {"display_name": "plugin"},
                    "request": {"id": "4a1c0000-0000-4000-8000-999999999999", "remote_address": "10.0.7.6:41000"}})
    write("vault-no-value.log", dump(records))


# ---------------------------------------------------------------------------
# AWS: a BatchGetSecretValue by filter names no secret
# ---------------------------------------------------------------------------

def cloudtrail_event(n, time, name, params, identity, error=None, response=None):
    e = {
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": time,
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.77",
        "userAgent": "aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5",
        "requestParameters": params,
        "responseElements": response,
        "requestID": "b7c1d2e3-0000-4000-8000-%012d" % n,
        "eventID": "e7c1d2e3-0000-4000-8000-%012d" % n,
        "readOnly": True,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management",
    }
    if error:
        e["errorCode"], e["errorMessage"] = error
    return e


def cloudtrail():
    attacker = {"type": "IAMUser", "principalId": "AIDAEXAMPLEATTACKER01", "arn": "arn:aws:iam::111122223333:user/red-team",
                "accountId": "111122223333", "accessKeyId": "AKIAEXAMPLEREDTEAM01", "userName": "red-team"}
    reader = {"type": "IAMUser", "principalId": "AIDAEXAMPLEREADER001", "arn": "arn:aws:iam::111122223333:user/reader",
              "accountId": "111122223333", "accessKeyId": "AKIAEXAMPLEREADER001", "userName": "reader"}
    records = []
    for i in range(5):
        records.append(cloudtrail_event(
            i + 1, "2025-04-02T10:%02d:00Z" % (i * 2), "BatchGetSecretValue",
            {"filters": [{"key": "tag-key", "values": ["StratusRedTeam"]}]}, attacker))
    # A proven read of another secret by someone else.
    records.append(cloudtrail_event(6, "2025-04-02T10:05:00Z", "GetSecretValue", {"secretId": "prod/billing-key"}, reader))
    write("batch-filter.jsonl", dump(records))


# ---------------------------------------------------------------------------
# Kubernetes: wide reads that ended before the secret existed
# ---------------------------------------------------------------------------

def k8s_event(audit, stage, verb, user, ns, name, received, at, code=None, level="Metadata",
              request_object=None, response_object=None, address="10.0.9.31"):
    obj = {"resource": "secrets", "apiVersion": "v1"}
    if ns:
        obj["namespace"] = ns
    if name:
        obj["name"] = name
    uri = "/api/v1" + ("/namespaces/%s" % ns if ns else "") + "/secrets" + ("/%s" % name if name else "")
    e = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": level, "auditID": audit, "stage": stage,
         "requestURI": uri, "verb": verb,
         "user": {"username": user, "groups": ["system:authenticated"]},
         "sourceIPs": [address], "userAgent": "kubectl/v1.29.3 (linux/amd64) kubernetes/6813625",
         "objectRef": obj}
    if code is not None:
        e["responseStatus"] = {"metadata": {}, "code": code}
    if request_object is not None:
        e["requestObject"] = request_object
    if response_object is not None:
        e["responseObject"] = response_object
    e["requestReceivedTimestamp"] = received
    e["stageTimestamp"] = at
    e["annotations"] = {"authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": ""}
    return e


def k8s():
    ctl = "system:serviceaccount:kube-system:backup-controller"
    ops = "ops@example.com"
    deployer = "system:serviceaccount:ci:deployer"
    watcher = "system:serviceaccount:monitoring:secret-watcher"
    late = "system:serviceaccount:prod:reporting"
    t = "2025-04-02T11:%s"
    records = [
        # A cluster-wide list and a namespace list, both over before the secret exists.
        k8s_event("a0000001-0000-4000-8000-000000000001", "RequestReceived", "list", ctl, None, None, t % "00:00.000100Z", t % "00:00.000100Z"),
        k8s_event("a0000001-0000-4000-8000-000000000001", "ResponseComplete", "list", ctl, None, None, t % "00:00.000100Z", t % "00:00.052000Z", 200),
        k8s_event("a0000001-0000-4000-8000-000000000002", "ResponseComplete", "list", ops, "prod", None, t % "01:00.000100Z", t % "01:00.031000Z", 200),
        # A get of the name before it exists: 404.
        k8s_event("a0000001-0000-4000-8000-000000000003", "ResponseComplete", "get", ops, "prod", "new-token", t % "01:30.000100Z", t % "01:30.004000Z", 404),
        # A watch that starts before the creation and ends after it: it saw it.
        k8s_event("a0000001-0000-4000-8000-000000000004", "RequestReceived", "watch", watcher, "prod", None, t % "01:40.000000Z", t % "01:40.000000Z"),
        k8s_event("a0000001-0000-4000-8000-000000000004", "ResponseStarted", "watch", watcher, "prod", None, t % "01:40.000000Z", t % "01:40.002000Z", 200),
        # The secret is created.
        k8s_event("a0000001-0000-4000-8000-000000000005", "RequestReceived", "create", deployer, "prod", "new-token", t % "02:00.000100Z", t % "02:00.000100Z"),
        k8s_event("a0000001-0000-4000-8000-000000000005", "ResponseComplete", "create", deployer, "prod", "new-token", t % "02:00.000100Z", t % "02:00.009000Z", 201),
        k8s_event("a0000001-0000-4000-8000-000000000004", "ResponseComplete", "watch", watcher, "prod", None, t % "01:40.000000Z", t % "07:40.000000Z", 200),
        # A namespace list after the creation: it returned the secret.
        k8s_event("a0000001-0000-4000-8000-000000000006", "ResponseComplete", "list", late, "prod", None, t % "03:00.000100Z", t % "03:00.027000Z", 200),
        # Another secret that was only ever created (its store is still known).
        k8s_event("a0000001-0000-4000-8000-000000000007", "ResponseComplete", "create", deployer, "staging", "only-created", t % "04:00.000100Z", t % "04:00.008000Z", 201),
        # A delete logged at RequestResponse: DeleteOptions and a Status, no secret data.
        k8s_event("a0000001-0000-4000-8000-000000000008", "ResponseComplete", "delete", ops, "staging", "old-token", t % "05:00.000100Z", t % "05:00.011000Z", 200,
                  level="RequestResponse",
                  request_object={"kind": "DeleteOptions", "apiVersion": "meta.k8s.io/__internal", "propagationPolicy": "Background"},
                  response_object={"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                                   "details": {"name": "old-token", "kind": "secrets", "uid": "f1e2d3c4-0000-4000-8000-000000000001"}}),
    ]
    write("k8s-created-later.log", dump(records))
    # The same cluster, logged at RequestResponse: a get whose response is
    # the Secret with its (base64) data. That file must be flagged.
    leak = [k8s_event("a0000001-0000-4000-8000-000000000009", "ResponseComplete", "get", ops, "prod", "new-token",
                      t % "06:00.000100Z", t % "06:00.004000Z", 200, level="RequestResponse",
                      response_object={"kind": "Secret", "apiVersion": "v1",
                                       "metadata": {"name": "new-token", "namespace": "prod"},
                                       "data": {"token": "c2VjcmV0LXZhbHVlLWRvLW5vdC1wcmludA=="}, "type": "Opaque"})]
    write("k8s-secret-body.log", dump(leak))


# ---------------------------------------------------------------------------
# SSM: GetParametersByPath before the parameter was created
# ---------------------------------------------------------------------------

def ssm():
    ops = {"type": "AssumedRole", "principalId": "AROAEXAMPLEOPS000001:ops-session",
           "arn": "arn:aws:sts::111122223333:assumed-role/ops/ops-session", "accountId": "111122223333",
           "accessKeyId": "ASIAEXAMPLEOPS000001",
           "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEOPS000001",
                                                "arn": "arn:aws:iam::111122223333:role/ops", "accountId": "111122223333",
                                                "userName": "ops"}}}
    app = {"type": "AssumedRole", "principalId": "AROAEXAMPLEAPP000001:i-0aa1",
           "arn": "arn:aws:sts::111122223333:assumed-role/app/i-0aa1", "accountId": "111122223333",
           "accessKeyId": "ASIAEXAMPLEAPP000001",
           "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEAPP000001",
                                                "arn": "arn:aws:iam::111122223333:role/app", "accountId": "111122223333",
                                                "userName": "app"}}}

    def event(n, time, name, params, who, response=None):
        return {"eventVersion": "1.08", "userIdentity": who, "eventTime": time, "eventSource": "ssm.amazonaws.com",
                "eventName": name, "awsRegion": "eu-west-1", "sourceIPAddress": "10.1.2.3",
                "userAgent": "aws-sdk-java/2.25.0", "requestParameters": params, "responseElements": response,
                "requestID": "c1d2e3f4-0000-4000-8000-%012d" % n, "eventID": "f1d2e3f4-0000-4000-8000-%012d" % n,
                "readOnly": name.startswith("Get"), "eventType": "AwsApiCall", "managementEvent": True,
                "recipientAccountId": "111122223333", "eventCategory": "Management"}

    records = [
        event(1, "2025-04-02T12:00:00Z", "GetParametersByPath", {"path": "/prod/payments", "recursive": True, "withDecryption": True}, app),
        event(2, "2025-04-02T12:10:00Z", "PutParameter", {"name": "/prod/payments/webhook-secret", "type": "SecureString",
                                                          "keyId": "alias/aws/ssm", "overwrite": False}, ops,
              {"version": 1, "tier": "Standard"}),
        event(3, "2025-04-02T12:20:00Z", "GetParametersByPath", {"path": "/prod/payments", "recursive": True, "withDecryption": True}, app),
    ]
    write("ssm-created-later.json", json.dumps(records, indent=2) + "\n")


if __name__ == "__main__":
    vault()
    cloudtrail()
    k8s()
    ssm()
