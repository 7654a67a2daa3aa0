#!/usr/bin/env python3
"""The corpus as SIEM exports: every file of the shared corpus, wrapped in
every shape that keeps the original record (testdata/make_exports.py --wrap,
written to a temporary folder at test time, never committed), must give the
answers the raw files give: the same readers of every secret, the same
timeline of every event and the same count of records, apart from where the
evidence is. Prints one
"ok"/"FAIL" line per store folder and shape."""
import json
import os
import subprocess
import sys
import tempfile

BIN = sys.argv[1]
CORPUS = sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
MAKE = os.path.join(HERE, "..", "testdata", "make_exports.py")
LOCATION = {"file", "line", "record", "export_id", "stats", "files"}


def stripped(value):
    if isinstance(value, dict):
        return {k: stripped(v) for k, v in value.items() if k not in LOCATION}
    if isinstance(value, list):
        return [stripped(v) for v in value]
    return value


def answers(path):
    out = {}
    for name, args in [
        ("readers", ["who-read", "--regex", ".", path, "--exhaustive", "--evidence"]),
        ("timeline", ["timeline", path, "--exhaustive"]),
    ]:
        run = subprocess.run([BIN, *args, "--format", "json", "--quiet"], capture_output=True, text=True)
        if run.returncode not in (0, 1) or "panicked" in run.stderr:
            return None, f"{name}: exit {run.returncode}: {run.stderr[-500:]}"
        answer = json.loads(run.stdout)
        # Every record read, and none malformed: the count of events stays.
        out[name + " events"] = (answer["stats"]["events"], answer["stats"]["malformed_lines"])
        out[name] = stripped(answer)
    return out, None


def main():
    failures = 0
    with tempfile.TemporaryDirectory(prefix="whosaw-exports-") as tmp:
        for store in sorted(os.listdir(CORPUS)):
            src = os.path.join(CORPUS, store)
            if not os.path.isdir(src):
                continue
            dst = os.path.join(tmp, store)
            subprocess.run([sys.executable, MAKE, "--wrap", src, dst], check=True)
            expected, error = answers(src)
            if error or not expected["timeline events"][0]:
                print(f"FAIL {store} raw: {error or 'no record to compare'}")
                failures += 1
                continue
            for shape in sorted(os.listdir(dst)):
                got, error = answers(os.path.join(dst, shape))
                what = f"{store} as {shape} export gives the raw answers"
                if error or got != expected:
                    print(f"FAIL {what}: {error or 'answers differ'}")
                    failures += 1
                else:
                    print(f"ok   {what}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
