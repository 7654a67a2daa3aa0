#!/usr/bin/env bash
# spark.sh: beyond one machine, measured on one. The same who-read question
# over the generated set of benches/index.sh (nine 1 GiB Vault logs and the
# 1 GiB CloudTrail trail of benches/cloudtrail.sh) asked three ways: whosaw
# on one machine, the Spark job in local mode, and DuckDB over whosaw's
# Parquet export; plus the Parquet export's size and write speed. Checks
# that the Spark job's JSON equals whosaw's (minus `stats`).
#
# Usage: benches/spark.sh        (after benches/index.sh and cloudtrail.sh)
# Settings (environment):
#   FILES              how many Vault logs of the set     [9]
#   WHOSAW_BENCH_SIZE  size of each                       [1GiB]
#   WHOSAW_BENCH_DIR   where logs and results go          [target/bench]
#   SKIP_BUILD=1       use the existing binary
# Needs: python3 with pyspark and duckdb (pip install pyspark duckdb), Java 17+, jq.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

FILES=${FILES:-9}
SIZE=${WHOSAW_BENCH_SIZE:-1GiB}
DIR=${WHOSAW_BENCH_DIR:-target/bench}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
W=$TARGET_DIR/release/whosaw
SET=$DIR/indexset-$FILES-$SIZE
LAKE=$DIR/lake
SECRET=secret/data/production/payments/db-password
OUT=$DIR/spark.md

step() { printf '\n== %s\n' "$*" >&2; }
[[ -d $SET ]] || { echo "spark.sh: $SET is missing: run benches/index.sh first" >&2; exit 1; }
INPUTS=("$SET")
[[ -d $DIR/cloudtrail ]] && INPUTS+=("$DIR/cloudtrail")
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    step "Building (release)"
    cargo build --release
fi
BYTES=$(find "${INPUTS[@]}" -type f -print0 | xargs -0 -n1 sh -c \
    'case $0 in *.gz) gzip -dc "$0" | wc -c ;; *) wc -c <"$0" ;; esac' | awk '{s += $1} END {printf "%.0f", s}')
find "${INPUTS[@]}" -type f -exec cat {} + >/dev/null # warm

seconds() { # seconds COMMAND…: runs it, prints how long it took
    local s e
    s=$(date +%s.%N)
    "$@"
    e=$(date +%s.%N)
    echo "$e - $s" | bc
}

step "whosaw on one machine"
ONE=$(seconds sh -c "$W who-read $SECRET ${INPUTS[*]} --no-index --json -q >$DIR/spark-whosaw.json")

step "The Spark job, local mode"
SPARK=$(seconds sh -c "python3 spark/whosaw_spark.py who-read $SECRET ${INPUTS[*]} --whosaw $W --master 'local[*]' --json 2>$DIR/spark-job.err >$DIR/spark-job.json")
if diff <(jq -S 'del(.stats)' "$DIR/spark-whosaw.json") <(jq -S 'del(.stats)' "$DIR/spark-job.json") >/dev/null; then
    echo "same answer" >&2
else
    echo "spark.sh: the Spark job's answer differs from whosaw's" >&2
    exit 1
fi

step "Parquet export"
rm -rf "$LAKE"
EXPORT=$(seconds sh -c "$W export ${INPUTS[*]} --format parquet -o $LAKE/ 2>$DIR/spark-export.err")
LAKE_BYTES=$(du -cb "$LAKE" | tail -n1 | cut -f1)
ROWS=$(grep -o 'exported [0-9]* records' "$DIR/spark-export.err" | awk '{print $2}')

step "DuckDB over the Parquet export"
DUCK=$(seconds python3 - "$LAKE" <<'EOF'
import sys, duckdb
db = duckdb.connect()
db.execute(f"""select identity_id, count(*) from read_parquet('{sys.argv[1]}/**/*.parquet', hive_partitioning = true)
               where stage = 'response' and outcome = 'success' and kind = 'value'
                 and secret = 'secret/production/payments/db-password'
               group by identity_id""").fetchall()
EOF
)

{
    echo "| $((BYTES >> 20)) MiB of JSON ($FILES Vault logs of $SIZE$([[ -d $DIR/cloudtrail ]] && echo " + CloudTrail")) | seconds |"
    echo "|---|---:|"
    echo "| whosaw who-read, one machine | $ONE |"
    echo "| the Spark job (local mode), same question, same JSON | $SPARK |"
    echo "| whosaw export --format parquet ($ROWS rows, $((LAKE_BYTES >> 20)) MiB, $(echo "scale=1; 100 * $LAKE_BYTES / $BYTES" | bc) % of the JSON, $(echo "scale=2; $BYTES / $EXPORT / 1000000000" | bc) GB/s) | $EXPORT |"
    echo "| DuckDB over that export, the same count | $DUCK |"
} | tee "$OUT"
