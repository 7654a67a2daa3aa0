#!/usr/bin/env bash
# memory.sh: peak memory (RSS, as GNU time reports it) of whosaw on inputs
# built to exhaust it: a gzipped pretty-printed CloudTrail document, a
# gzipped document holding a gigabyte of newlines between its records, and
# one holding a 300 MiB string. A stream's memory must stay bounded by its
# largest record (README, *Memory*), whatever the document's length.
#
# Usage: benches/memory.sh [WHOSAW_BINARY]   (default: target/release/whosaw, built)
# Settings (environment):
#   WHOSAW_BENCH_DIR  where the inputs go   [target/bench]
# Needs: python3, gzip, GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DIR=${WHOSAW_BENCH_DIR:-target/bench}
if [[ $# == 1 ]]; then
    W=$1
else
    cargo build --release --quiet
    W=target/release/whosaw
fi
mkdir -p "$DIR"

RECORD=$(python3 -c "import json;print(json.dumps(json.loads(open('testdata/cloudtrail/secretsmanager.jsonl').readline()),indent=2))")
if [[ ! -s $DIR/mem-records.json.gz ]]; then
    python3 - "$DIR/mem-records.json.gz" "$RECORD" <<'PY'
import gzip, sys
with gzip.open(sys.argv[1], "wt", compresslevel=1) as f:
    n = 300_000
    f.write('{"Records": [\n')
    for i in range(n):
        f.write(sys.argv[2])
        f.write(",\n" if i < n - 1 else "\n")
    f.write("]}\n")
PY
fi
if [[ ! -s $DIR/mem-blanks.json.gz ]]; then
    { printf '{"Records": [\n'; head -c 1G /dev/zero | tr '\0' '\n'; printf '%s\n]}\n' "$RECORD"; } \
        | gzip -1 > "$DIR/mem-blanks.json.gz"
fi
if [[ ! -s $DIR/mem-long-value.json.gz ]]; then
    { printf '{"Records": [\n%s,\n{"eventVersion":"1.08",\n "x":"' "$RECORD"
      head -c 300M /dev/zero | tr '\0' 'a'
      printf '"},\n%s\n]}\n' "$RECORD"; } | gzip -1 > "$DIR/mem-long-value.json.gz"
fi

printf '%-24s %12s %10s %8s %s\n' input inflated_MB peak_MB seconds status
for f in mem-records mem-blanks mem-long-value; do
    path=$DIR/$f.json.gz
    inflated=$(( $(gzip -dc "$path" | wc -c) / 1000000 ))
    set +e
    /usr/bin/time -f '%M %e' -o "$DIR/$f.time" "$W" who-read --regex . "$path" --no-index \
        --format json > /dev/null 2> "$DIR/$f.err"
    status=$?
    set -e
    read -r kb secs < <(tail -1 "$DIR/$f.time")
    printf '%-24s %12s %10s %8s %s\n' "$f" "$inflated" $(( kb / 1024 )) "$secs" "$status"
done
