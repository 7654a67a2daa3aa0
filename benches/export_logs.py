#!/usr/bin/env python3
"""Writes a raw JSON Lines audit log as a Splunk export (one result per line)
and an Elasticsearch dump (one hit per line, the record in `message`), with
the row shapes of testdata/make_exports.py, streaming (the log may be GBs).

    python3 benches/export_logs.py RAW.log OUT_DIR
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata"))
import make_exports  # noqa: E402  (the fixtures' row shapes)

import json  # noqa: E402


def main():
    raw, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    stem = os.path.splitext(os.path.basename(raw))[0]
    splunk_path = os.path.join(out, stem + ".splunk.json")
    elastic_path = os.path.join(out, stem + ".elastic.ndjson")
    compact = {"separators": (",", ":")}
    with open(raw, encoding="utf-8", errors="replace") as src, open(splunk_path, "w") as splunk, open(
        elastic_path, "w"
    ) as elastic:
        for i, line in enumerate(src):
            record = line.rstrip("\n")
            if not record:
                continue
            row = make_exports.splunk_row(i, record, raw)
            splunk.write(json.dumps({"preview": False, "offset": i, "result": row}, **compact) + "\n")
            hit = make_exports.elastic_hit(i, record, "filebeat-vault", make_exports.filebeat_source(record, raw))
            elastic.write(json.dumps(hit, **compact) + "\n")


if __name__ == "__main__":
    main()
