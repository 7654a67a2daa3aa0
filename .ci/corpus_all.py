#!/usr/bin/env python3
"""Runs whosaw over every file of the shared corpus, one at a time, and fails
when a file is not recognised, or when a record of it is dropped without a
diagnostic: whosaw's event count must equal the records counted here, with no
malformed record and no skipped file. Records are counted independently of
whosaw: a JSON document's array (top level, Records, records, Events, items)
or the document itself; otherwise one per non-blank line (a line that is a
container counts its elements)."""
import calendar
import gzip
import json
import os
import re
import subprocess
import sys

BIN = sys.argv[1]
CORPUS = sys.argv[2]
# The source each folder's files must be detected as (whosaw -v titles).
EXPECTED = {
    "vault": "Vault audit log",
    "cloudtrail": "AWS CloudTrail",
    "azure-keyvault": "Azure Key Vault AuditEvent log",
    "gcp-secretmanager": "Google Cloud audit log",
    "k8s": "Kubernetes audit log",
}
CONTAINER_KEYS = ("Records", "records", "Events", "items")


def records_in(value):
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        for key in CONTAINER_KEYS:
            if isinstance(value.get(key), list):
                return len(value[key])
    return 1


def count_records(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8")
    try:
        return records_in(json.loads(text))
    except json.JSONDecodeError:
        return sum(records_in(json.loads(l)) for l in text.splitlines() if l.strip())


TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z")


def instant(text):
    """Nanoseconds since the epoch of a time whosaw printed (UTC, `Z`, 0-9
    fractional digits). Never compare the text: `…:12Z` sorts after
    `…:12.5Z` as a string."""
    m = TIME.fullmatch(text)
    if not m:
        raise ValueError(f"not a whosaw time: {text!r}")
    seconds = calendar.timegm(tuple(int(g) for g in m.groups()[:6]))
    return seconds * 1_000_000_000 + int((m.group(7) or "").ljust(9, "0"))


failures = 0
EVENT_FIELDS = ["time", "provider", "action", "operation", "outcome", "reason", "identity",
                "identity_id", "credential", "secret", "environment", "source_address",
                "user_agent", "request_id", "file", "line"]
checked = 0
for folder, title in sorted(EXPECTED.items()):
    base = os.path.join(CORPUS, folder)
    if not os.path.isdir(base):
        print(f"skip {folder}: not in the corpus")
        continue
    for name in sorted(os.listdir(base)):
        path = os.path.join(base, name)
        expected = count_records(path)
        p = subprocess.run(
            [BIN, "who-read", "--regex", ".", path, "--exhaustive", "--json", "-v"],
            capture_output=True, text=True)
        problems = []
        if p.returncode not in (0, 1):
            problems.append(f"exit {p.returncode}")
        if "panicked" in p.stderr:
            problems.append("panic")
        if f"{name}: {title}" not in p.stderr:
            problems.append(f"not detected as {title}")
        try:
            stats = json.loads(p.stdout)["stats"]
            if stats["events"] != expected:
                problems.append(f"{stats['events']} events, {expected} records in the file")
            if stats["malformed_lines"] or stats["skipped_files"]:
                problems.append(f"malformed {stats['malformed_lines']}, skipped {stats['skipped_files']}")
        except (ValueError, KeyError) as e:
            problems.append(f"no JSON answer ({e})")
        # timeline and suspicious over the same file: every event is a
        # whole whosaw.event.v1 object, in time order; no panic.
        t = subprocess.run([BIN, "timeline", path, "--exhaustive", "--format", "ndjson"],
                           capture_output=True, text=True)
        if t.returncode not in (0, 1) or "panicked" in t.stderr:
            problems.append(f"timeline exit {t.returncode}")
        try:
            events = [json.loads(line) for line in t.stdout.splitlines()]
            missing = [k for e in events for k in EVENT_FIELDS if k not in e]
            if missing:
                problems.append(f"timeline events lack {sorted(set(missing))}")
            times = [instant(e["time"]) for e in events]
            if any(later < earlier for earlier, later in zip(times, times[1:])):
                problems.append("timeline out of order")
        except (ValueError, KeyError) as e:
            problems.append(f"timeline output is not NDJSON ({e})")
        s = subprocess.run([BIN, "suspicious", path, "--format", "json"],
                           capture_output=True, text=True)
        if s.returncode not in (0, 1) or "panicked" in s.stderr:
            problems.append(f"suspicious exit {s.returncode}")
        checked += 1
        if problems:
            failures += 1
            print(f"FAIL {folder}/{name}: {'; '.join(problems)}")
            print(p.stderr[:2000])
        else:
            print(f"ok   {folder}/{name}: {expected} records, read as {title}")

print(f"corpus: {checked} files, {failures} failed")
sys.exit(1 if failures else 0)
