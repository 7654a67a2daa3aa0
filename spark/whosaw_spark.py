#!/usr/bin/env python3
"""whosaw's answers from Spark, for logs that outgrow one machine.

Spark spreads the input files over its executors; each task runs
`whosaw export` on one file (the whosaw binary is shipped with the job), so
every record is parsed by whosaw and nothing else; the driver collects the
filtered rows and asks `whosaw` itself the question over them. The
semantics (what a read is, how halves pair, what to rotate) live in whosaw
only: the answer is the same JSON document `whosaw who-read --json` prints.

  python3 spark/whosaw_spark.py who-read SECRET INPUT... [--since T] [--until T] [--json]
  python3 spark/whosaw_spark.py blast-radius SECRET INPUT... [--depth 1|2] [--json]
  python3 spark/whosaw_spark.py export INPUT... --out DIR

Common options: --whosaw PATH (default: `whosaw` on PATH, else
target/release/whosaw beside this script), --master URL (default local[*]).
INPUT: files or folders (walked), `file://` URLs, or any URL Spark's Hadoop
file systems read (s3a://, gs://, hdfs://…; each file read whole by a task).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from urllib.parse import urlparse

# whosaw's exit statuses.
FOUND, NOTHING, FATAL, PARTIAL = 0, 1, 2, 3


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="whosaw_spark.py", description=__doc__.split("\n\n")[0]
    )
    sub = p.add_subparsers(dest="command", required=True)

    def common(q):
        q.add_argument("--whosaw", help="the whosaw binary to ship")
        q.add_argument("--master", default="local[*]", help="Spark master URL")

    for name in ("who-read", "blast-radius"):
        q = sub.add_parser(name)
        q.add_argument("secret")
        q.add_argument("inputs", nargs="+")
        q.add_argument("--since")
        q.add_argument("--until")
        q.add_argument("--json", action="store_true", help="print whosaw's JSON document")
        if name == "blast-radius":
            q.add_argument("--depth", type=int, choices=(1, 2), default=1)
        common(q)
    q = sub.add_parser("export")
    q.add_argument("inputs", nargs="+")
    q.add_argument("--out", required=True, help="a folder: Parquet, partitioned by store and day")
    common(q)
    return p.parse_args(argv)


def find_whosaw(given):
    if given:
        return os.path.abspath(given)
    on_path = shutil.which("whosaw")
    if on_path:
        return on_path
    beside = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "whosaw")
    if os.path.exists(beside):
        return os.path.abspath(beside)
    sys.exit("whosaw_spark: no whosaw binary: give --whosaw PATH (cargo build --release)")


def local_path(url):
    """The local path of a local input, else None."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return parsed.path
    if parsed.scheme == "" or (len(parsed.scheme) == 1 and os.name == "nt"):
        return url
    return None


def list_inputs(inputs):
    """Local files (folders walked, in name order, as whosaw walks them) and
    the other URLs, each in the order given."""
    local, remote = [], []
    for url in inputs:
        path = local_path(url)
        if path is None:
            remote.append(url)
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path, followlinks=True):
                dirs.sort()
                for name in sorted(files):
                    local.append(os.path.join(root, name))
        elif os.path.exists(path):
            local.append(path)
        else:
            sys.exit(f"whosaw_spark: {url}: no such file or folder")
    return local, remote


def export_task(whosaw_name, extra):
    """What one task runs: `whosaw export` on a local file (its rows on
    standard output), or on a remote file's bytes (its rows then cite the
    URL)."""

    def run(item):
        from pyspark import SparkFiles

        exe = SparkFiles.get(whosaw_name)
        index, url, content = item
        cmd = [exe, "export", url if content is None else "-", "-o", "-", "-q"] + extra
        done = subprocess.run(cmd, input=content, capture_output=True)
        rows = done.stdout
        if content is not None and rows:
            cited = []
            for line in rows.decode("utf-8").splitlines():
                row = json.loads(line)
                row["file"] = url
                cited.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
            rows = ("\n".join(cited) + "\n").encode("utf-8")
        return index, url, done.returncode, rows, done.stderr.decode("utf-8", "replace")

    return run


def export_rows(sc, whosaw, local, remote, extra):
    """Every input exported by a task of its own: [(url, status, rows, stderr)]
    in input order."""
    name = os.path.basename(whosaw)
    run = export_task(name, extra)
    results = []
    if local:
        items = [(i, path, None) for i, path in enumerate(local)]
        rdd = sc.parallelize(items, min(len(items), max(sc.defaultParallelism * 4, 1)))
        results += rdd.map(run).collect()
    if remote:
        base = len(local)
        # Each remote file read whole by a task (a .gz is one task, as
        # gzip cannot be split).
        files = sc.binaryFiles(",".join(remote)).sortByKey()
        indexed = files.zipWithIndex().map(lambda fi: (base + fi[1], fi[0][0], fi[0][1]))
        results += indexed.map(run).collect()
    results.sort(key=lambda r: r[0])
    return [(url, status, rows, err) for _, url, status, rows, err in results]


def tell(results):
    """Forwards each task's warnings; whether any input was read only in part."""
    partial = False
    for url, status, _, err in results:
        for line in err.splitlines():
            print(f"whosaw_spark: {url}: {line}", file=sys.stderr)
        if status in (FATAL, PARTIAL):
            partial = True
    return partial


def write_rows(results, folder):
    """The rows of each input in a file of its own, named in input order."""
    for i, (_, _, rows, _) in enumerate(results):
        if rows:
            with open(os.path.join(folder, f"{i:06d}.ndjson"), "wb") as f:
                f.write(rows)


def answer(sc, whosaw, args):
    local, remote = list_inputs(args.inputs)
    window = []
    if args.since:
        window += ["--since", args.since]
    if args.until:
        window += ["--until", args.until]
    results = export_rows(sc, whosaw, local, remote, ["--secret", args.secret] + window)
    partial = tell(results)
    with tempfile.TemporaryDirectory(prefix="whosaw-spark-") as rows:
        write_rows(results, rows)
        if args.command == "blast-radius" and args.depth == 2:
            # The readers' other reads: a second round over every input,
            # for the identities the first one found.
            readers = subprocess.run(
                [whosaw, "who-read", args.secret, rows, "--no-index", "--format", "json", "-q"] + window,
                capture_output=True,
            )
            found = json.loads(readers.stdout or b"{}").get("readers", [])
            ids = sorted({r["identity_id"] for r in found if r.get("successful_reads", 0) > 0})
            if ids:
                follow = []
                for i in ids:
                    follow += ["--identity", i]
                more = export_rows(sc, whosaw, local, remote, follow)
                partial = tell(more) or partial
                merge(results, more, rows)
        question = [whosaw, args.command, args.secret, rows, "--no-index"] + window
        if args.command == "blast-radius":
            question += ["--depth", str(args.depth)]
        question += ["--format", "json"] if args.json else []
        done = subprocess.run(question)
    status = done.returncode
    if partial and status in (FOUND, NOTHING):
        print(
            "whosaw_spark: some input was read only in part (see above): partial coverage",
            file=sys.stderr,
        )
        status = PARTIAL
    return status


def merge(first, second, folder):
    """Adds to `folder` the second round's rows that the first did not
    have: a record exported twice would count twice where it has no
    request id to pair its copies by."""
    seen = set()
    for _, _, rows, _ in first:
        for line in rows.splitlines():
            seen.add(row_key(line))
    for i, (_, _, rows, _) in enumerate(second):
        extra = [line for line in rows.splitlines() if row_key(line) not in seen]
        if extra:
            with open(os.path.join(folder, f"more-{i:06d}.ndjson"), "wb") as f:
                f.write(b"\n".join(extra) + b"\n")


def row_key(line):
    """What makes a row the same record's event in both rounds (its
    outcome and `decides` depend on which rows its file export held)."""
    row = json.loads(line)
    return (
        row.get("file"),
        row.get("line"),
        row.get("record"),
        row.get("path") or row.get("secret"),
        row.get("stage"),
        row.get("request_id"),
        row.get("operation"),
    )


def export_parquet(sc, whosaw, args):
    """Each input exported to Parquet by a task, into one Hive-style folder
    (`provider=…/date=…/part-<input>-<n>.parquet`); the folder must be one
    every executor can write to (local mode, or a shared file system)."""
    local, remote = list_inputs(args.inputs)
    if remote:
        sys.exit("whosaw_spark: export reads local or shared files only; copy remote inputs first")
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    name = os.path.basename(whosaw)

    def run(item):
        from pyspark import SparkFiles

        index, path = item
        exe = SparkFiles.get(name)
        staging = os.path.join(out, f"_task-{index:06d}")
        done = subprocess.run(
            [exe, "export", path, "--format", "parquet", "-o", staging + "/", "-q", "--force"],
            capture_output=True,
        )
        moved = 0
        for root, _, files in os.walk(staging):
            for f in sorted(files):
                part = os.path.relpath(root, staging)
                target = os.path.join(out, part)
                os.makedirs(target, exist_ok=True)
                os.replace(os.path.join(root, f), os.path.join(target, f"part-{index:06d}-{f[len('part-'):]}"))
                moved += 1
        shutil.rmtree(staging, ignore_errors=True)
        return index, path, done.returncode, moved, done.stderr.decode("utf-8", "replace")

    items = list(enumerate(local))
    rdd = sc.parallelize(items, min(len(items), max(sc.defaultParallelism * 4, 1)))
    results = sorted(rdd.map(run).collect())
    partial = tell([(path, status, b"", err) for _, path, status, _, err in results])
    files = sum(r[3] for r in results)
    print(f"whosaw_spark: {len(local)} inputs exported to {files} Parquet files in {out}", file=sys.stderr)
    return PARTIAL if partial else (FOUND if files else NOTHING)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    whosaw = find_whosaw(args.whosaw)
    if args.master.startswith("local"):
        # One machine: no need to look for its network name.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(args.master)
        .appName(f"whosaw {args.command}")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    sc.addFile(whosaw)
    try:
        if args.command == "export":
            return export_parquet(sc, whosaw, args)
        return answer(sc, whosaw, args)
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())
