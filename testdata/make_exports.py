#!/usr/bin/env python3
"""Writes testdata/exports/: the raw logs of testdata/incident/ (all five
stores) as the exports a responder gets from a SIEM, so that the exports and
the raw files stay in step. Each shape is modelled on the exporting system's
documented output (see README.md, "Exports from SIEMs and data lakes").

    python3 testdata/make_exports.py               # rebuild testdata/exports/
    python3 testdata/make_exports.py --wrap SRC DST
        # every log file under SRC, wrapped in every shape that keeps the
        # original record, written under DST/<shape>/ (CI's corpus check;
        # never committed)

The output is the same on every run (ids come from hashes of the records).
"""

import csv
import gzip
import hashlib
import io
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CONTAINER_KEYS = ("Records", "records", "items", "Events")


# --------------------------------------------------------------------------
# Reading raw logs into records


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def elements(value):
    """The records a parsed JSON value holds: an array's elements, a
    container's records, or the value itself."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in CONTAINER_KEYS:
            if isinstance(value.get(key), list):
                return value[key]
    return [value]


def records_of(path):
    """Each record of a raw log as text: a JSON Lines record as written, a
    container's records re-serialized (as a forwarder splits them), and any
    other line as it is (a SIEM indexes it anyway)."""
    text = read_text(path)
    try:
        whole = json.loads(text)
    except ValueError:
        whole = None
    if whole is not None and (isinstance(whole, list) or "\n" in text.strip()):
        return [json.dumps(r, separators=(",", ":")) for r in elements(whole)]
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            value = json.loads(line)
        except ValueError:
            out.append(line)
            continue
        found = elements(value)
        if len(found) == 1 and found[0] is value:
            out.append(line)
        else:
            out.extend(json.dumps(r, separators=(",", ":")) for r in found)
    return out


def time_of(record):
    """The record's time as an ISO string, for the export's own time field."""
    try:
        value = json.loads(record)
    except ValueError:
        return "2025-03-15T00:00:00.000Z"
    if isinstance(value, dict):
        for key in ("time", "eventTime", "timestamp", "requestReceivedTimestamp", "TimeGenerated"):
            if isinstance(value.get(key), str):
                return value[key]
    return "2025-03-15T00:00:00.000Z"


def hashed(text, n):
    return hashlib.sha256(text.encode()).hexdigest()[:n]


# --------------------------------------------------------------------------
# Splunk: search results with the event's text in `_raw`


def splunk_time(t):
    # Splunk writes `_time` in the search head's zone with milliseconds;
    # exported as ISO 8601 with an offset.
    date, _, rest = t.replace("Z", "").partition("T")
    clock = (rest or "00:00:00").split("+")[0]
    whole, _, frac = clock.partition(".")
    return "%sT%s.%s+00:00" % (date, whole, (frac + "000")[:3])


def splunk_row(i, record, source):
    return {
        "_bkt": "audit~42~5D8C1F3A-7B2E-4C4D-9E1F-0A1B2C3D4E5F",
        "_cd": "42:%d" % (1000 + 17 * i),
        "_indextime": "1742006200",
        "_raw": record,
        "_serial": str(i),
        "_si": ["splunk-idx-1", "audit"],
        "_sourcetype": "_json",
        "_time": splunk_time(time_of(record)),
        "host": "log-forwarder-1",
        "index": "audit",
        "linecount": "1",
        "source": source,
        "sourcetype": "_json",
        "splunk_server": "splunk-idx-1",
    }


def splunk_export(records):
    """`/services/search/jobs/export?output_mode=json`: one result per line."""
    lines = []
    for i, (record, source) in enumerate(records):
        line = {"preview": False, "offset": i}
        if i == len(records) - 1:
            line["lastrow"] = True
        line["result"] = splunk_row(i, record, source)
        lines.append(json.dumps(line, separators=(",", ":")))
    return "\n".join(lines) + "\n"


def splunk_results(records):
    """`/services/search/jobs/<sid>/results?output_mode=json`, pretty."""
    rows = [splunk_row(i, r, s) for i, (r, s) in enumerate(records)]
    doc = {
        "preview": False,
        "init_offset": 0,
        "messages": [],
        "fields": [{"name": k} for k in rows[0]] if rows else [],
        "results": rows,
        "highlighted": {},
    }
    return json.dumps(doc, indent=2) + "\n"


def splunk_array(records):
    """Splunk Web's JSON export: one array of rows, on one line."""
    rows = [splunk_row(i, r, s) for i, (r, s) in enumerate(records)]
    return json.dumps(rows, separators=(",", ":")) + "\n"


def splunk_csv(records):
    """Splunk's CSV export of `| table _time host source _raw`: a UTF-8 BOM,
    CRLF line ends, quoted fields; a container's records pretty-printed, so
    `_raw` holds newlines, quotes and commas."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["_time", "host", "source", "_raw", "_cd"])
    for i, (record, source) in enumerate(records):
        raw = record
        if record.startswith("{") and "\n" not in record and i % 2 == 1:
            raw = json.dumps(json.loads(record), indent=2)
        w.writerow([splunk_time(time_of(record)), "log-forwarder-1", source, raw, "42:%d" % (1000 + 17 * i)])
    return "\ufeff" + out.getvalue()


# --------------------------------------------------------------------------
# Elasticsearch: hits whose `_source` holds the original record


def elastic_hit(i, record, index, source):
    return {"_index": index, "_id": hashed(record + str(i), 20), "_score": 1.0, "_source": source}


def integration_source(record):
    # An Elastic integration with preserve_original_event: the record in
    # `event.original`, beside (some of) what the pipeline mapped.
    return {
        "@timestamp": time_of(record),
        "ecs": {"version": "8.11.0"},
        "event": {"kind": "event", "original": record, "dataset": "audit"},
        "tags": ["preserve_original_event"],
    }


def elastic_search(records):
    """A `_search` answer, pretty-printed as Kibana's Dev Tools shows it."""
    hits = [
        elastic_hit(i, r, ".ds-logs-audit-default-2025.03.15-000001", integration_source(r))
        for i, (r, _) in enumerate(records)
    ]
    doc = {
        "took": 12,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": len(hits), "relation": "eq"}, "max_score": 1.0, "hits": hits},
    }
    return json.dumps(doc, indent=2) + "\n"


def elastic_scroll(records):
    """A scroll answer on one line, as `curl` prints it: `_scroll_id` first."""
    hits = [
        elastic_hit(i, r, ".ds-logs-audit-default-2025.03.15-000001", integration_source(r))
        for i, (r, _) in enumerate(records)
    ]
    doc = {
        "_scroll_id": "FGluY2x1ZGVfY29udGV4dF91dWlkDXF1ZXJ5QW5kRmV0Y2gBFnNjcm9sbA==",
        "took": 3,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": len(hits), "relation": "eq"}, "max_score": None, "hits": hits},
    }
    return json.dumps(doc, separators=(",", ":")) + "\n"


def filebeat_source(record, path):
    # Filebeat's log input: the line in `message`, with its own `log` object.
    return {
        "@timestamp": time_of(record),
        "message": record,
        "log": {"file": {"path": path}, "offset": 0},
        "input": {"type": "filestream"},
        "agent": {"type": "filebeat", "version": "8.11.0"},
    }


def elastic_dump(records):
    """elasticdump's output: one hit per line, the record in `message`."""
    lines = []
    for i, (r, path) in enumerate(records):
        hit = elastic_hit(i, r, "filebeat-8.11.0-2025.03.15", filebeat_source(r, path))
        hit["_type"] = "_doc"
        lines.append(json.dumps(hit, separators=(",", ":")))
    return "\n".join(lines) + "\n"


def elastic_sources(records):
    """`_source` only (Kibana's NDJSON): a forwarder decoded the record into
    `json` (Filebeat's decode_json_fields); a text line stays in `message`."""
    lines = []
    for r, _ in records:
        try:
            decoded = json.loads(r)
        except ValueError:
            decoded = None
        source = {"@timestamp": time_of(r)}
        if isinstance(decoded, dict):
            source["json"] = decoded
        else:
            source["message"] = r
        lines.append(json.dumps(source, separators=(",", ":")))
    return "\n".join(lines) + "\n"


def kibana_csv(records):
    """Kibana Discover's CSV export of `@timestamp` and `event.original`."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["@timestamp", "event.original", "event.dataset"])
    for r, _ in records:
        w.writerow([time_of(r), r, "audit"])
    return out.getvalue()


# Shapes that keep the original record: (file name, writer).
TEXT_SHAPES = [
    ("splunk-export.json", splunk_export),
    ("splunk-results.json", splunk_results),
    ("splunk-array.json", splunk_array),
    ("splunk.csv", splunk_csv),
    ("elastic-search.json", elastic_search),
    ("elastic-scroll.json", elastic_scroll),
    ("elastic-dump.ndjson", elastic_dump),
    ("elastic-source.ndjson", elastic_sources),
    ("kibana.csv", kibana_csv),
]


# --------------------------------------------------------------------------
# Broken exports


def bad_exports(records):
    out = {}
    # Splunk cuts events at 10,000 bytes by default (TRUNCATE in props.conf).
    long_record = json.loads(records[0][0])
    long_record["request"]["headers"] = {"x-padding": ["p" * 12000]}
    long_text = json.dumps(long_record, separators=(",", ":"))
    cut = [records[0], (long_text[:10000], records[0][1])] + records[1:3]
    out["splunk-truncated.json"] = splunk_export(cut)
    # A hit without `_source` (a search run with `"_source": false`).
    dump = elastic_dump(records[:3]).splitlines()
    bare = json.loads(dump[1])
    del bare["_source"]
    dump[1] = json.dumps(bare, separators=(",", ":"))
    out["elastic-no-source.ndjson"] = "\n".join(dump) + "\n"
    # A CSV with a byte that is not UTF-8 in one row's record, cut inside
    # its last quoted field (a copy taken while the export was written).
    csv_text = splunk_csv(records[:4]).encode()
    first_record = csv_text.index(b"{", csv_text.index(b"\r\n"))
    csv_bytes = csv_text[: first_record + 5] + b"\xff" + csv_text[first_record + 6 :]
    out["splunk-cut.csv"] = csv_bytes[: len(csv_bytes) - 40]
    # Lines cut short (a copy taken while the export was written): inside
    # `_raw`, inside `message`, and just before the row's closing brace.
    lines = splunk_export(records[:3]).splitlines()
    lines[0] = lines[0][: len(lines[0]) // 2]
    lines[2] = lines[2][:-1]
    out["splunk-cut-lines.json"] = "\n".join(lines) + "\n"
    lines = elastic_dump(records[:3]).splitlines()
    lines[1] = lines[1][: len(lines[1]) // 2]
    out["elastic-cut-lines.ndjson"] = "\n".join(lines) + "\n"
    # Kibana's CSV cut inside its last row's quoted event.original.
    kibana = kibana_csv(records[:3])
    out["kibana-cut.csv"] = kibana[: len(kibana) - len(records[2][0]) // 2]
    return out


def splunk_sourcetypes(records):
    """A Splunk export of `index=main`: the search's messages first, then
    rows of other sourcetypes (syslog text, another tool's JSON) before and
    between the audit records, and a closing `lastrow` line."""
    lines = [json.dumps({"preview": False, "messages": [{"type": "INFO", "text": "Your timerange was substituted"}]})]
    other = [
        "Mar 15 02:29:58 web-1 sshd[811]: Accepted publickey for deploy from 203.0.113.9 port 52211",
        json.dumps({"level": "info", "msg": "GET /healthz 200", "ts": "2025-03-15T02:29:59Z"}),
    ]
    rows = [(r, "/var/log/syslog") for r in other * 12] + records
    rows.insert(30, (other[0], "/var/log/syslog"))
    for i, (record, source) in enumerate(rows):
        lines.append(json.dumps({"preview": False, "offset": i, "result": splunk_row(i, record, source)}, separators=(",", ":")))
    lines.append(json.dumps({"preview": False, "lastrow": True}))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------


def log_files(root):
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.startswith(".") or name.endswith((".md", ".py")):
                continue
            yield os.path.join(folder, name)


def all_records(root):
    out = []
    for path in log_files(root):
        rel = os.path.relpath(path, root)
        out.extend((r, "/var/log/" + rel) for r in records_of(path))
    return out


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--wrap":
        src, dst = sys.argv[2], sys.argv[3]
        for path in log_files(src):
            records = [(r, path) for r in records_of(path)]
            if not records:
                continue
            rel = os.path.relpath(path, src).replace(os.sep, "__")
            for name, shape in TEXT_SHAPES:
                ext = os.path.splitext(name)[1]
                write(os.path.join(dst, name.replace(".", "-"), rel + ext), shape(records))
        return
    records = all_records(os.path.join(HERE, "incident"))
    out = os.path.join(HERE, "exports")
    for name, shape in TEXT_SHAPES:
        write(os.path.join(out, name), shape(records))
    vault = [r for r in records if "/vault/" in r[1]]
    for name, text in bad_exports(vault).items():
        write(os.path.join(out, "bad", name), text)
    write(os.path.join(out, "splunk-sourcetypes.json"), splunk_sourcetypes(vault))
    from exports_mapped import MAPPED_SHAPES

    for name, folder, shape in MAPPED_SHAPES:
        own = all_records(os.path.join(HERE, "incident", folder))
        write(os.path.join(out, "mapped", name), shape(own))


if __name__ == "__main__":
    main()
