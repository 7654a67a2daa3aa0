"""Exports that map a store's record to their own columns and drop the
original (imported by make_exports.py). Each writer maps a raw record
forward field by field as the exporting system does (Elastic's integration
pipelines for HashiCorp Vault and AWS CloudTrail, Log Analytics' tables and
`az` output, BigQuery's log sink and `bq`, Athena's CloudTrail table, as
their published documentation describes them), so that whosaw's way back
can be checked against the raw files.

MAPPED_SHAPES: (file name, store folder under testdata/incident/, writer);
a writer takes [(record text, source path)] of one store and returns the
file's text.
"""

import csv
import hashlib
import io
import ipaddress
import json
import re

WORKSPACE = "3f2e1d0c-9b8a-4f6e-8d7c-5b4a39281706"


def hashed(text, n):
    return hashlib.sha256(text.encode()).hexdigest()[:n]


def parsed(records):
    return [(json.loads(r), path) for r, path in records]


def pruned(value):
    """Without nulls and empty strings, as Elastic's pipelines leave it."""
    if isinstance(value, dict):
        out = {k: pruned(v) for k, v in value.items() if v is not None and v != ""}
        return {k: v for k, v in out.items() if v is not None}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value


def split_time(t):
    """(date, hh:mm:ss, fraction digits) of an ISO time."""
    date, _, rest = t.rstrip("Z").partition("T")
    clock, _, frac = rest.partition(".")
    return date, clock, frac


def elastic_time(t):
    # Elasticsearch's date keeps milliseconds.
    date, clock, frac = split_time(t)
    return "%sT%s.%sZ" % (date, clock, (frac + "000")[:3])


def is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def ndjson(docs):
    return "".join(json.dumps(d, separators=(",", ":")) + "\n" for d in docs)


def agent_fields(dataset, path, i):
    return {
        "agent": {"type": "filebeat", "version": "8.16.0", "name": "log-forwarder-1"},
        "data_stream": {"dataset": dataset, "namespace": "default", "type": "logs"},
        "ecs": {"version": "8.16.0"},
        "input": {"type": "log"},
        "log": {"file": {"path": path}, "offset": 512 * i},
    }


# --------------------------------------------------------------------------
# Elastic's HashiCorp Vault integration (hashicorp_vault.audit)


def vault_event_type(operation, error):
    types = {"delete": ["info", "end"], "update": ["info"]}.get(operation)
    if types is None and operation in ("read", "list", "create"):
        types = ["info", "start"]
    if error is not None and types is not None and "info" not in types:
        types.append("info")
    return types


def elastic_vault_doc(i, record, path):
    audit = json.loads(record)
    time = audit.pop("time")
    request = audit.get("request") or {}
    auth = audit.get("auth") or {}
    error = audit.get("error")
    doc = agent_fields("hashicorp_vault.audit", path, i)
    doc["@timestamp"] = elastic_time(time)
    event = {"category": ["authentication"], "dataset": "hashicorp_vault.audit", "kind": "event"}
    if "operation" in request:
        event["action"] = request["operation"]
    if "id" in request:
        event["id"] = request["id"]
    event["outcome"] = "success" if error is None else "failure"
    types = vault_event_type(request.get("operation"), error)
    if types:
        event["type"] = types
    doc["event"] = event
    doc["hashicorp_vault"] = {"audit": audit}
    if error is not None:
        doc["message"] = error
    address = request.get("remote_address")
    if address:
        doc["source"] = {"ip": address}
        if "remote_port" in request:
            doc["source"]["port"] = request["remote_port"]
        doc["related"] = {"ip": [address]}
    metadata = auth.get("metadata") or {}
    user = {}
    if "email" in metadata:
        user["email"] = metadata["email"]
    if "account_id" in metadata:
        user["id"] = metadata["account_id"]
    if user:
        doc["user"] = user
    doc["tags"] = ["hashicorp-vault-audit"]
    return doc


def elastic_vault(records):
    """Kibana's NDJSON of `_source` documents, without event.original."""
    return ndjson(elastic_vault_doc(i, r, p) for i, (r, p) in enumerate(records))


def elastic_vault_search(records):
    """A `_search` answer whose hits hold those documents."""
    hits = []
    for i, (r, p) in enumerate(records):
        doc = elastic_vault_doc(i, r, p)
        hits.append(
            {
                "_index": ".ds-logs-hashicorp_vault.audit-default-2025.03.15-000001",
                "_id": hashed(r + str(i), 20),
                "_score": None,
                "_source": doc,
                "sort": [i],
            }
        )
    answer = {
        "took": 7,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": len(hits), "relation": "eq"}, "max_score": None, "hits": hits},
    }
    return json.dumps(answer, indent=2) + "\n"


# --------------------------------------------------------------------------
# Elastic's AWS integration (aws.cloudtrail)


def java_map(value):
    """Painless Map.toString(): `{k=v, k2=[a, b]}`, nothing quoted."""
    if isinstance(value, dict):
        return "{" + ", ".join("%s=%s" % (k, java_map(v)) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(java_map(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def renamed(source, pairs):
    """The members of `source` named in `pairs`, under their new names."""
    return {new: source[old] for old, new in pairs if old in source}


def elastic_cloudtrail_doc(i, record, path):
    r = pruned(json.loads(record))
    doc = agent_fields("aws.cloudtrail", path, i)
    doc["@timestamp"] = elastic_time(r["eventTime"])
    ct = renamed(
        r,
        (
            ("eventVersion", "event_version"),
            ("requestID", "request_id"),
            ("eventType", "event_type"),
            ("eventCategory", "event_category"),
            ("apiVersion", "api_version"),
            ("managementEvent", "management_event"),
            ("readOnly", "read_only"),
            ("recipientAccountId", "recipient_account_id"),
            ("errorCode", "error_code"),
            ("errorMessage", "error_message"),
            ("vpcEndpointId", "vpc_endpoint_id"),
        ),
    )
    identity = r.get("userIdentity", {})
    user_identity = renamed(
        identity,
        (("type", "type"), ("arn", "arn"), ("accessKeyId", "access_key_id"), ("invokedBy", "invoked_by")),
    )
    session = identity.get("sessionContext", {})
    context = {}
    attributes = session.get("attributes", {})
    if "mfaAuthenticated" in attributes:
        context["mfa_authenticated"] = attributes["mfaAuthenticated"]
    if "creationDate" in attributes:
        context["creation_date"] = attributes["creationDate"]
    issuer = session.get("sessionIssuer", {})
    if issuer:
        context["session_issuer"] = renamed(
            issuer,
            (("type", "type"), ("principalId", "principal_id"), ("arn", "arn"), ("accountId", "account_id")),
        )
    if context:
        user_identity["session_context"] = context
    if user_identity:
        ct["user_identity"] = user_identity
    flattened = {}
    for raw, text, flat in (
        ("requestParameters", "request_parameters", "request_parameters"),
        ("responseElements", "response_elements", "response_elements"),
        ("additionalEventData", "additional_eventdata", "additional_eventdata"),
    ):
        if raw in r:
            ct[text] = java_map(r[raw])
            flattened[flat] = r[raw]
    # Newer packages may keep only the text forms (`_conf.retain`): every
    # other document goes without `flattened`, for the Java-map way back.
    if flattened and i % 2 == 0:
        ct["flattened"] = flattened
    resources = []
    for res in r.get("resources", []):
        mapped = {k2: res[k] for k, k2 in (("ARN", "arn"), ("accountId", "account_id"), ("type", "type")) if k in res}
        if mapped not in resources:
            resources.append(mapped)
    if resources:
        ct["resources"] = resources
    doc["aws"] = {"cloudtrail": ct}
    cloud = {"provider": "aws"}
    if "awsRegion" in r:
        cloud["region"] = r["awsRegion"]
    account = identity.get("accountId") or r.get("recipientAccountId")
    if account:
        cloud["account"] = {"id": account}
    doc["cloud"] = cloud
    event = {"action": r["eventName"], "provider": r["eventSource"], "kind": "event", "type": ["info"]}
    if "eventID" in r:
        event["id"] = r["eventID"]
    event["outcome"] = "failure" if ("errorCode" in r or "errorMessage" in r) else "success"
    doc["event"] = event
    address = r.get("sourceIPAddress")
    if address:
        doc["source"] = {"address": address}
        if is_ip(address):
            doc["source"]["ip"] = address
    if "userAgent" in r:
        doc["user_agent"] = {"original": r["userAgent"]}
    user = {}
    if "principalId" in identity:
        user["id"] = identity["principalId"]
    name = identity.get("userName")
    if issuer.get("userName"):
        name = issuer["userName"]
    if name:
        user["name"] = name
        doc["related"] = {"user": [name]}
    if user:
        doc["user"] = user
    tls = r.get("tlsDetails", {})
    if tls:
        doc["tls"] = {"cipher": tls.get("cipherSuite"), "client": {"server_name": tls.get("clientProvidedHostHeader")}}
    # sharedEventID: the pipeline renames `sharedEventId`, which no record
    # spells so: it is lost.
    return doc


def elastic_cloudtrail(records):
    return ndjson(elastic_cloudtrail_doc(i, r, p) for i, (r, p) in enumerate(records))


# --------------------------------------------------------------------------
# Azure Log Analytics through `az monitor log-analytics query`


def az_value(value):
    """What `az` writes: Python's str() of the API's value."""
    if value is None:
        return "None"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def operation_columns(r, caller_column):
    """The columns both Key Vault tables give the operation, in their order;
    the caller's address column is spelled differently in each."""
    return {
        "OperationName": r.get("operationName"),
        "OperationVersion": r.get("operationVersion"),
        "ResultType": r.get("resultType"),
        "ResultSignature": r.get("resultSignature"),
        "ResultDescription": r.get("resultDescription", ""),
        "DurationMs": int(r["durationMs"]) if r.get("durationMs") else None,
        caller_column: r.get("callerIpAddress"),
        "CorrelationId": r.get("correlationId"),
    }


def azkv_row(r):
    props = dict(r.get("properties") or {})
    row = {
        "TimeGenerated": r.get("time"),
        **operation_columns(r, "CallerIpAddress"),
        "Identity": r.get("identity"),
        "Properties": props,
        "Id": props.pop("id", ""),
        "RequestUri": props.pop("requestUri", ""),
        "ClientInfo": props.pop("clientInfo", ""),
        "HttpStatusCode": props.pop("httpStatusCode", None),
        "IsAccessPolicyMatch": props.pop("isAccessPolicyMatch", None),
        "Tlsversion": props.pop("tlsVersion", ""),
        "_ResourceId": r.get("resourceId", "").lower(),
        "_SubscriptionId": r.get("resourceId", "").split("/")[2].lower(),
        "TenantId": WORKSPACE,
        "SourceSystem": "Azure",
        "Type": "AZKVAuditLogs",
    }
    return row


def azure_diagnostics_row(r):
    props = r.get("properties") or {}
    parts = r.get("resourceId", "").split("/")
    row = {
        "TenantId": WORKSPACE,
        "TimeGenerated": r.get("time"),
        "ResourceId": r.get("resourceId"),
        "_ResourceId": r.get("resourceId", "").lower(),
        "Category": r.get("category"),
        "SubscriptionId": parts[2],
        "ResourceGroup": parts[4],
        "ResourceProvider": "MICROSOFT.KEYVAULT",
        "Resource": parts[-1],
        "ResourceType": "VAULTS",
        **operation_columns(r, "CallerIPAddress"),
        "Type": "AzureDiagnostics",
    }
    for key, value in props.items():
        suffix = {bool: "_b", int: "_d", float: "_d"}.get(type(value), "_s")
        row[key + suffix] = float(value) if suffix == "_d" else value
    for claim, value in ((r.get("identity") or {}).get("claim") or {}).items():
        name = re.sub(r"[^A-Za-z0-9]+", "_", claim).strip("_")
        guid = isinstance(value, str) and re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", value)
        row["identity_claim_" + name + ("_g" if guid else "_s")] = value
    return row


def az_output(rows):
    """Every row has every column of the result: a column a row lacks is
    an empty string (strings, GUIDs) or None (numbers, booleans); keys
    sorted, as `az` prints them."""
    columns = sorted({k for row in rows for k in row} | {"TableName"})
    out = []
    for row in rows:
        text_row = {}
        for column in columns:
            if column == "TableName":
                text_row[column] = "PrimaryResult"
            elif column in row:
                text_row[column] = az_value(row[column])
            else:
                typed = column.endswith(("_d", "_b")) or column in ("DurationMs", "HttpStatusCode")
                text_row[column] = "None" if typed else ""
        out.append(text_row)
    return out


def azkvauditlogs(records):
    rows = az_output([azkv_row(r) for r, _ in parsed(records)])
    return json.dumps(rows, indent=2) + "\n"


def azurediagnostics(records):
    rows = az_output([azure_diagnostics_row(r) for r, _ in parsed(records)])
    return json.dumps(rows, indent=2) + "\n"


def azkvauditlogs_csv(records):
    """The portal's CSV: header of column names, dynamic columns as JSON."""
    rows = [azkv_row(r) for r, _ in parsed(records)]
    columns = list(rows[0]) if rows else []
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow(["" if row.get(c) is None else az_value(row.get(c)) for c in columns])
    return out.getvalue()


# --------------------------------------------------------------------------
# BigQuery (Cloud Logging's sink, legacy schema) through `bq --format=json`


def bq_time(t):
    # bq prints TIMESTAMP as "YYYY-MM-DD HH:MM:SS", fraction dropped.
    date, clock, _ = split_time(t)
    return "%s %s" % (date, clock)


def bq_scalars(value):
    """The REST API's strings for numbers and booleans."""
    if isinstance(value, dict):
        return {k: bq_scalars(v) for k, v in value.items()}
    if isinstance(value, list):
        return [bq_scalars(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def bigquery_row(e):
    p = e.get("protoPayload") or {}
    auth = p.get("authenticationInfo") or {}
    meta = p.get("requestMetadata") or {}
    status = p.get("status") or {}
    payload = {
        "serviceName": p.get("serviceName"),
        "methodName": p.get("methodName"),
        "resourceName": p.get("resourceName"),
        "resourceLocation": None,
        "numResponseItems": p.get("numResponseItems"),
        "status": {"code": status.get("code"), "message": status.get("message")},
        "authenticationInfo": {
            "principalEmail": auth.get("principalEmail"),
            "authoritySelector": auth.get("authoritySelector"),
            "serviceAccountKeyName": auth.get("serviceAccountKeyName"),
            "serviceAccountDelegationInfo": auth.get("serviceAccountDelegationInfo", []),
            "principalSubject": auth.get("principalSubject"),
        },
        "authorizationInfo": [
            {
                "resource": a.get("resource"),
                "permission": a.get("permission"),
                "granted": a.get("granted"),
                "resourceAttributes": a.get("resourceAttributes"),
            }
            for a in p.get("authorizationInfo", [])
        ],
        "requestMetadata": {
            "callerIp": meta.get("callerIp"),
            "callerSuppliedUserAgent": meta.get("callerSuppliedUserAgent"),
            "callerNetwork": meta.get("callerNetwork"),
            "requestAttributes": meta.get("requestAttributes"),
            "destinationAttributes": meta.get("destinationAttributes"),
        },
        "requestJson": json.dumps(p["request"]) if "request" in p else None,
        "responseJson": json.dumps(p["response"]) if "response" in p else None,
        "metadataJson": json.dumps(p["metadata"]) if "metadata" in p else None,
        "serviceDataJson": None,
    }
    row = {
        "logName": e.get("logName"),
        "resource": e.get("resource"),
        "protopayload_auditlog": payload,
        "textPayload": None,
        "timestamp": bq_time(e["timestamp"]),
        "receiveTimestamp": bq_time(e["receiveTimestamp"]) if "receiveTimestamp" in e else None,
        "severity": e.get("severity"),
        "insertId": e.get("insertId"),
        "httpRequest": None,
        "operation": e.get("operation"),
        "trace": None,
        "spanId": None,
        "traceSampled": None,
        "sourceLocation": None,
    }
    return bq_scalars(row)


def bigquery(records):
    return json.dumps([bigquery_row(e) for e, _ in parsed(records)], indent=2) + "\n"


# --------------------------------------------------------------------------
# CloudTrail through Athena (the AWS docs' table)


IDENTITY = ("type", "principalId", "arn", "accountId", "invokedBy", "accessKeyId", "userName")
ISSUER = ("type", "principalId", "arn", "accountId", "userName")


def athena_identity(u):
    if not u:
        return None
    out = {k.lower(): u.get(k) for k in IDENTITY}
    session = u.get("sessionContext")
    if session is None:
        out["sessioncontext"] = None
    else:
        attributes = session.get("attributes") or {}
        issuer = session.get("sessionIssuer")
        out["sessioncontext"] = {
            "attributes": {
                "mfaauthenticated": attributes.get("mfaAuthenticated"),
                "creationdate": attributes.get("creationDate"),
            },
            "sessionissuer": None if issuer is None else {k.lower(): issuer.get(k) for k in ISSUER},
        }
    return out


def json_text(value):
    return None if value is None else json.dumps(value, separators=(",", ":"))


def athena_row(r):
    resources = r.get("resources")
    readonly = r.get("readOnly")
    return {
        "eventversion": r.get("eventVersion"),
        "useridentity": athena_identity(r.get("userIdentity")),
        "eventtime": r.get("eventTime"),
        "eventsource": r.get("eventSource"),
        "eventname": r.get("eventName"),
        "awsregion": r.get("awsRegion"),
        "sourceipaddress": r.get("sourceIPAddress"),
        "useragent": r.get("userAgent"),
        "errorcode": r.get("errorCode"),
        "errormessage": r.get("errorMessage"),
        "requestparameters": json_text(r.get("requestParameters")),
        "responseelements": json_text(r.get("responseElements")),
        "additionaleventdata": json_text(r.get("additionalEventData")),
        "requestid": r.get("requestID"),
        "eventid": r.get("eventID"),
        "resources": None
        if resources is None
        else [{"arn": x.get("ARN"), "accountid": x.get("accountId"), "type": x.get("type")} for x in resources],
        "eventtype": r.get("eventType"),
        "apiversion": r.get("apiVersion"),
        "readonly": None if readonly is None else str(readonly).lower(),
        "recipientaccountid": r.get("recipientAccountId"),
        "serviceeventdetails": json_text(r.get("serviceEventDetails")),
        "sharedeventid": r.get("sharedEventID"),
        "vpcendpointid": r.get("vpcEndpointId"),
    }


def athena(records):
    return json.dumps([athena_row(r) for r, _ in parsed(records)], indent=2) + "\n"


def hive_text(value):
    """Presto's rendering of a ROW or ARRAY: `{k=v, …}`, `[…]`, `null`."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "{" + ", ".join("%s=%s" % (k, hive_text(v)) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(hive_text(v) for v in value) + "]"
    return str(value)


def athena_csv(records):
    rows = [athena_row(r) for r, _ in parsed(records)]
    columns = list(rows[0]) if rows else []
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writerow(columns)
    for row in rows:
        cells = []
        for c in columns:
            v = row[c]
            cells.append("" if v is None else hive_text(v) if isinstance(v, (dict, list)) else v)
        w.writerow(cells)
    return out.getvalue()


MAPPED_SHAPES = [
    ("elastic-vault.ndjson", "vault", elastic_vault),
    ("elastic-vault-search.json", "vault", elastic_vault_search),
    ("elastic-cloudtrail.ndjson", "cloudtrail", elastic_cloudtrail),
    ("azkvauditlogs.json", "azure", azkvauditlogs),
    ("azurediagnostics.json", "azure", azurediagnostics),
    ("azkvauditlogs.csv", "azure", azkvauditlogs_csv),
    ("bigquery.json", "gcp", bigquery),
    ("athena.json", "cloudtrail", athena),
    ("athena.csv", "cloudtrail", athena_csv),
]
