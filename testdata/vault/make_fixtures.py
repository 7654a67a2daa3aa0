#!/usr/bin/env python3
"""Writes the hand-designed Vault audit fixtures in this folder.

Each line is modelled field by field on Vault's file audit device (Go
encoding/json: no spaces, `<>&` written as \\u003c \\u003e \\u0026, HMAC'd
strings). The files are committed; this script documents how they were made
and rebuilds them byte for byte: `python3 testdata/vault/make_fixtures.py`.
"""

import gzip
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def hmac(text):
    return "hmac-sha256:" + hashlib.sha256(text.encode()).hexdigest()


def go_json(obj):
    # Go's encoder escapes <, >, & and U+2028/9 (HTML-safe by default).
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


IDENTITIES = {
    "deploy-bot": dict(display_name="deploy-bot", entity_id="7d2e4c1a-0b5f-4e8a-9c3d-1f2a3b4c5d6e",
                       policies=["deploy", "default"], metadata={"role_name": "deploy-bot"},
                       token="deploy-token", addr="10.0.1.42"),
    "payments-api": dict(display_name="approle", entity_id="a1b2c3d4-1111-4222-8333-944455556666",
                         policies=["payments-read", "default"], metadata={"role_name": "payments-api"},
                         token="payments-token", addr="10.0.2.17"),
    "reporting": dict(display_name="approle", entity_id="b2c3d4e5-2222-4333-8444-a55566667777",
                      policies=["reporting", "default"], metadata={"role_name": "reporting"},
                      token="reporting-token", addr="10.0.3.9"),
    "ci-runner": dict(display_name="kubernetes-ci-runner", entity_id="c3d4e5f6-3333-4444-8555-b66677778888",
                      policies=["ci", "default"],
                      metadata={"role": "ci", "service_account_name": "runner",
                                "service_account_namespace": "ci",
                                "service_account_uid": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"},
                      token="ci-token", addr="10.0.9.250"),
    "alice": dict(display_name="userpass-alice", entity_id="d4e5f6a7-4444-4555-8666-c77788889999",
                  policies=["ops", "default"], metadata={"username": "alice"},
                  token="alice-token", addr="192.0.2.10"),
    # An orphan token: no entity, so it is known by its accessor.
    "ops-sre": dict(display_name="token-ops&sre-bot", entity_id="", policies=["ops"],
                    metadata={}, token="ops-token", addr="2001:db8::17"),
    # A crafted display name carrying terminal escape sequences.
    "evil": dict(display_name="evil\u001b[2J\u001b[31mroot", entity_id="e5f6a7b8-5555-4666-8777-d88899990000",
                 policies=["default"], metadata={}, token="evil-token", addr="203.0.113.66"),
}


def auth(who, raw=False):
    i = IDENTITIES[who]
    token = i["token"] if raw else hmac(i["token"])
    accessor = ("acc-" + who) if raw else hmac("accessor-" + who)
    a = {"client_token": token, "accessor": accessor, "display_name": i["display_name"],
         "policies": i["policies"], "token_policies": i["policies"]}
    if i["metadata"]:
        a["metadata"] = i["metadata"]
    if i["entity_id"]:
        a["entity_id"] = i["entity_id"]
    a["token_type"] = "service"
    return a


def request(who, rid, path, op="read", mount="secret/", raw=False, namespace=None):
    i = IDENTITIES[who]
    r = {"id": rid, "client_id": i["entity_id"] or None, "operation": op}
    if r["client_id"] is None:
        del r["client_id"]
    if mount:
        r.update({"mount_point": mount, "mount_type": "kv", "mount_accessor": "kv_3e2f1a0b",
                  "mount_running_version": "v0.20.0+builtin", "mount_class": "secret"})
    r["client_token"] = i["token"] if raw else hmac(i["token"])
    r["client_token_accessor"] = ("acc-" + who) if raw else hmac("accessor-" + who)
    r["namespace"] = namespace or {"id": "root"}
    r["path"] = path
    r["remote_address"] = i["addr"]
    r["remote_port"] = 50000 + int(hashlib.sha256(rid.encode()).hexdigest()[:4], 16) % 10000
    return r


DENIED_REQ = "permission denied"
DENIED_RESP = "1 error occurred:\n\t* permission denied\n\n"


def pair(lines, t_req, t_resp, who, rid, path, op="read", mount="secret/", error=None,
         data=None, raw=False, namespace=None, only=None):
    """Appends a request line and/or its response line."""
    req = {"time": t_req, "type": "request", "auth": auth(who, raw),
           "request": request(who, rid, path, op, mount, raw, namespace)}
    if error:
        req["error"] = DENIED_REQ if error == "denied" else error
    resp = {"time": t_resp, "type": "response", "auth": auth(who, raw),
            "request": request(who, rid, path, op, mount, raw, namespace)}
    if error:
        resp["response"] = {"data": {"error": hmac("permission denied")}}
        resp["error"] = DENIED_RESP if error == "denied" else error
    else:
        resp["response"] = {"mount_point": mount, "mount_type": "kv"} if mount else {}
        resp["response"]["data"] = data if data is not None else {
            "data": {"password": hmac("s3cr3t-" + path)},
            "metadata": {"created_time": "2025-01-02T03:04:05.123456789Z", "custom_metadata": None,
                         "deletion_time": "", "destroyed": False, "version": 7}}
    if only != "response":
        lines.append(go_json(req))
    if only != "request":
        lines.append(go_json(resp))


def uid(n):
    return "0000%04x-5e0f-4c1d-9a2b-%012x" % (n, n)


def write(name, lines, newline_at_end=True):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    text = "\n".join(lines) + ("\n" if newline_at_end else "")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return text


def write_gz(name, text):
    path = os.path.join(HERE, name)
    with open(path, "wb") as f:
        f.write(gzip.compress(text.encode(), mtime=0))


DB = "secret/data/production/db-password"


def incident():
    """The 3 AM story, in a rotated log folder: audit.log.1.gz is older."""
    old, new = [], []
    # 02:10 deploy-bot's first read, request and response both in the old file.
    pair(old, "2025-03-15T02:10:03.118274Z", "2025-03-15T02:10:03.119902Z", "deploy-bot", uid(1), DB)
    # Noise the Vault UI and CLI produce before every KV access: not a read.
    pair(old, "2025-03-15T02:11:40.5Z", "2025-03-15T02:11:40.501Z", "alice", uid(2),
         "sys/internal/ui/mounts/secret/production/db-password", mount="sys/")
    # Metadata and list: key names and versions, never the value.
    pair(old, "2025-03-15T02:11:41.2Z", "2025-03-15T02:11:41.21Z", "alice", uid(3),
         "secret/metadata/production/db-password",
         data={"versions": {"7": {"destroyed": False}}, "current_version": 7})
    pair(old, "2025-03-15T02:11:42Z", "2025-03-15T02:11:42.004Z", "alice", uid(4),
         "secret/metadata/production/", op="list", data={"keys": [hmac("db-password")]})
    # ci-runner is denied, twice.
    pair(old, "2025-03-15T02:20:00.000001Z", "2025-03-15T02:20:00.0003Z", "ci-runner", uid(5), DB, error="denied")
    # A request whose response lands after the rotation, in the new file.
    pair(old, "2025-03-15T02:29:59.999999Z", None, "payments-api", uid(6), DB, only="request")
    pair(new, None, "2025-03-15T02:30:00.000412Z", "payments-api", uid(6), DB, only="response")
    pair(new, "2025-03-15T02:31:10.4Z", "2025-03-15T02:31:10.401Z", "ci-runner", uid(7), DB, error="denied")
    # The 3 AM read.
    pair(new, "2025-03-15T02:34:12.846Z", "2025-03-15T02:34:12.847Z", "deploy-bot", uid(8), DB)
    # A longer name that merely starts with the same text: another secret.
    pair(new, "2025-03-15T02:34:13.1Z", "2025-03-15T02:34:13.102Z", "reporting", uid(9), DB + "-old")
    # deploy-bot goes on to other secrets (depth 2).
    pair(new, "2025-03-15T02:34:15.2Z", "2025-03-15T02:34:15.203Z", "deploy-bot", uid(10),
         "secret/data/production/stripe-api-key")
    pair(new, "2025-03-15T02:34:16.5Z", "2025-03-15T02:34:16.52Z", "deploy-bot", uid(11),
         "database/creds/payments-rw", mount="database/",
         data={"username": hmac("v-deploy-payments"), "password": hmac("A1a-dynamic")})
    # A write by deploy-bot: not a read, never on the rotation list.
    pair(new, "2025-03-15T02:35:00Z", "2025-03-15T02:35:00.01Z", "deploy-bot", uid(12),
         "secret/data/production/deploy-marker", op="update", data={})
    # alice reads it too, then a request that never got its response (Vault died).
    pair(new, "2025-03-15T02:40:41.77Z", "2025-03-15T02:40:41.771Z", "alice", uid(13), DB)
    pair(new, "2025-03-15T02:41:02.9Z", None, "alice", uid(14), DB, only="request")
    pair(new, "2025-03-15T02:41:05.3Z", None, "reporting", uid(15), DB, only="request")
    write_gz("incident/audit.log.1.gz", write("incident/audit.log.1", old))
    os.remove(os.path.join(HERE, "incident/audit.log.1"))
    write("incident/audit.log", new)


def names():
    """How a secret is named: KV v2 logical vs logged, KV v1, dynamic, namespaces, old Vault."""
    lines = []
    t = lambda s: "2025-03-16T10:00:%02d.5Z" % s
    pair(lines, t(1), t(1), "deploy-bot", uid(101), "secret/data/team/app")
    # KV v1 mount: the logged path is the name.
    pair(lines, t(2), t(2), "deploy-bot", uid(102), "kv/team/app", mount="kv/")
    # Vault 1.4 logged no mount_point: KV v2 is recognised by its data/ segment.
    pair(lines, t(3), t(3), "alice", uid(103), "kv-v2/data/lab/credential", mount=None)
    pair(lines, t(4), t(4), "alice", uid(104), "kv-v2/metadata/lab/credential", mount=None,
         data={"current_version": 1})
    # Enterprise namespace: the name carries the namespace path.
    pair(lines, t(5), t(5), "payments-api", uid(105), "secret/data/team/app",
         namespace={"id": "aBcD1", "path": "team-a/"})
    # auth/ and sys/ reads are not secret values.
    pair(lines, t(6), t(6), "alice", uid(106), "auth/token/lookup-self", mount="auth/token/",
         data={"id": hmac("x")})
    # A mount whose data/ is not right after the mount point is not KV v2.
    pair(lines, t(7), t(7), "reporting", uid(107), "apps/team/data/app", mount="apps/")
    write("names.log", lines)


def identities():
    """Who is who: shared display names, orphan tokens, escapes."""
    lines = []
    path = "secret/data/shared/config"
    t = lambda s: "2025-03-17T08:00:%02dZ" % s
    pair(lines, t(1), t(1), "payments-api", uid(201), path)
    pair(lines, t(2), t(2), "reporting", uid(202), path)
    pair(lines, t(3), t(3), "ops-sre", uid(203), path)
    pair(lines, t(4), t(4), "evil", uid(204), path)
    pair(lines, t(5), t(5), "ci-runner", uid(205), path)
    pair(lines, t(6), t(6), "alice", uid(206), path)
    write("identities.log", lines)


def window():
    """Reads on and around the window bounds 2025-03-18T00:00:00Z – 01:00:00Z."""
    lines = []
    path = "secret/data/prod/edge"
    times = ["2025-03-17T23:59:59.999999999Z", "2025-03-18T00:00:00Z", "2025-03-18T00:30:00.123456789Z",
             "2025-03-18T00:59:59.999999999Z", "2025-03-18T01:00:00Z"]
    for n, when in enumerate(times):
        pair(lines, when, when, "deploy-bot", uid(300 + n), path, only="response")
    write("window.log", lines)


def raw():
    """A device with log_raw=true: tokens and the secret value in plain text."""
    lines = []
    pair(lines, "2025-03-19T04:00:00.1Z", "2025-03-19T04:00:00.2Z", "deploy-bot", uid(401),
         "secret/data/production/db-password", raw=True,
         data={"data": {"password": "hunter2-PLAINTEXT"}, "metadata": {"version": 3}})
    write("raw.log", lines)


def devices():
    """Two audit devices logging the same requests (different HMAC salts)."""
    lines = []
    for device in ("a", "b"):
        req = []
        pair(req, "2025-03-20T12:00:00.1Z", "2025-03-20T12:00:00.2Z", "deploy-bot", uid(501),
             "secret/data/production/db-password")
        lines += [l.replace("hmac-sha256:", "hmac-sha256:" + device) for l in req]
    write("devices.log", lines)


if __name__ == "__main__":
    incident()
    names()
    identities()
    window()
    raw()
    devices()
