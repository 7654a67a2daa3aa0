#!/usr/bin/env bash
# index.sh: what the persistent index costs (build speed, size, memory) and
# what it buys (query times from a warm index against a scan), on a set of
# generated Vault logs (log rotation: several files) plus the CloudTrail
# trail of benches/cloudtrail.sh when it is there. It also checks that
# every answer from the index equals a scan's (JSON, minus `stats`), and
# measures a cold page cache where the machine lets it be dropped.
#
# Usage: benches/index.sh
# Settings (environment):
#   FILES              how many Vault logs              [2]
#   WHOSAW_BENCH_SIZE  size of each                     [1GiB]
#   WHOSAW_BENCH_DIR   where logs and results go        [target/bench]
#   RUNS               hyperfine runs per command       [5]
#   SKIP_BUILD=1       use existing binaries
# Needs: hyperfine, jq; optional: GNU time (peak RSS), DuckDB (pip install duckdb).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

FILES=${FILES:-2}
SIZE=${WHOSAW_BENCH_SIZE:-1GiB}
DIR=${WHOSAW_BENCH_DIR:-target/bench}
RUNS=${RUNS:-5}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
W=$TARGET_DIR/release/whosaw
GEN=$TARGET_DIR/release/examples/gen_vault
SET=$DIR/indexset-$FILES-$SIZE
CACHE=$DIR/index-cache
SECRET=secret/data/production/payments/db-password
OUT=$DIR/index.md

step() { printf '\n== %s\n' "$*"; }
for tool in hyperfine jq; do
    command -v "$tool" >/dev/null || { echo "index.sh: needs $tool" >&2; exit 1; }
done
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    step "Building (release)"
    cargo build --release --example gen_vault
    cargo build --release
fi

mkdir -p "$SET"
for ((i = 1; i <= FILES; i++)); do
    f=$SET/vault-$i.log
    if [[ ! -s $f ]]; then
        step "Generating $f"
        "$GEN" --size "$SIZE" --seed "$i" "$f.partial" 2>/dev/null
        mv "$f.partial" "$f"
    fi
done
INPUTS=("$SET")
[[ -d $DIR/cloudtrail ]] && INPUTS+=("$DIR/cloudtrail")
# Raw JSON: gzipped files counted inflated.
BYTES=$(find "${INPUTS[@]}" -type f -print0 | xargs -0 -n1 sh -c \
    'case $0 in *.gz) gzip -dc "$0" | wc -c ;; *) wc -c <"$0" ;; esac' | awk '{s += $1} END {printf "%.0f", s}')
cat "${SET}"/*.log >/dev/null # warm

step "Building the index"
rm -rf "$CACHE"
TIME=()
/usr/bin/time --version 2>&1 | grep -q GNU && TIME=(/usr/bin/time -f '%e %M')
start=$(date +%s.%N)
"${TIME[@]}" "$W" index -q --cache "$CACHE" "${INPUTS[@]}" >/dev/null 2>"$DIR/index-build.txt" || true
end=$(date +%s.%N)
BUILD_S=$(echo "$end - $start" | bc)
PEAK_KB=$(tail -n1 "$DIR/index-build.txt" | awk '{print $2}')
INDEX_BYTES=$(du -cb "$CACHE" | tail -n1 | cut -f1)
echo "built in $BUILD_S s, peak ${PEAK_KB:-?} KB, index $INDEX_BYTES bytes for $BYTES bytes"

step "Answers from the index equal a scan's"
strip() { jq -S 'del(.stats)' 2>/dev/null || cat; }
for q in "who-read $SECRET --format json --evidence" "blast-radius $SECRET --depth 2 --format json" \
    "timeline --secret $SECRET --format json" "suspicious --format json" "baseline"; do
    # shellcheck disable=SC2086 # $q is a list of words
    a=$("$W" $q "${INPUTS[@]}" --cache "$CACHE" -q | strip | sha256sum)
    # shellcheck disable=SC2086
    b=$("$W" $q "${INPUTS[@]}" --no-index --exhaustive -q | strip | sha256sum)
    [[ $a == "$b" ]] && echo "same: $q" || { echo "DIFFERENT: $q" >&2; exit 1; }
done

step "Timing"
hyperfine -N -w 1 -r "$RUNS" --export-json "$DIR/index-times.json" \
    -n "who-read (index)" "$W who-read $SECRET ${INPUTS[*]} --cache $CACHE --format json" \
    -n "who-read (scan)" "$W who-read $SECRET ${INPUTS[*]} --no-index --format json" \
    -n "blast-radius --depth 2 (index)" "$W blast-radius $SECRET ${INPUTS[*]} --depth 2 --cache $CACHE --format json" \
    -n "timeline --secret (index)" "$W timeline --secret $SECRET ${INPUTS[*]} --cache $CACHE --format json" \
    -n "suspicious (index)" "$W suspicious ${INPUTS[*]} --cache $CACHE --format json" \
    -n "suspicious (scan)" "$W suspicious ${INPUTS[*]} --no-index --format json"

# DuckDB over the same Vault logs, the same question (as in compare.sh).
if python3 -c 'import duckdb' 2>/dev/null; then
    step "DuckDB"
    hyperfine -N -w 0 -r 1 --export-json "$DIR/index-duckdb.json" \
        -n "DuckDB read_ndjson (the Vault logs)" "python3 benches/duckdb_readers.py $SECRET $(echo "$SET"/*.log)"
fi

COLD=""
if [[ -w /proc/sys/vm/drop_caches ]]; then
    step "Cold page cache"
    cold() {
        sync
        echo 3 >/proc/sys/vm/drop_caches
        local s e
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        e=$(date +%s.%N)
        echo "$e - $s" | bc
    }
    SCAN_COLD=$(cold "$W" who-read "$SECRET" "${INPUTS[@]}" --no-index --format json)
    INDEX_COLD=$(cold "$W" who-read "$SECRET" "${INPUTS[@]}" --cache "$CACHE" --format json)
    COLD="| who-read, cold page cache | scan $SCAN_COLD s | index $INDEX_COLD s |"
    echo "$COLD"
else
    echo "note: cannot drop the page cache here (not root): no cold-cache figures"
fi

{
    echo "| input | index build | peak RSS | index size |"
    echo "|---|---|---|---|"
    echo "| $((BYTES >> 20)) MiB ($FILES Vault logs of $SIZE$([[ -d $DIR/cloudtrail ]] && echo " + CloudTrail")) | $BUILD_S s ($(echo "scale=2; $BYTES / $BUILD_S / 1000000000" | bc) GB/s) | $((${PEAK_KB:-0} >> 10)) MiB | $((INDEX_BYTES >> 20)) MiB ($(echo "scale=1; 100 * $INDEX_BYTES / $BYTES" | bc) %) |"
    echo
    echo "| command | mean |"
    echo "|---|---|"
    jq -r '.results[] | "| \(.command) | \(.mean * 1000 | floor) ms |"' "$DIR/index-times.json"
    [[ -f $DIR/index-duckdb.json ]] &&
        jq -r '.results[] | "| \(.command) | \(.mean * 1000 | floor) ms |"' "$DIR/index-duckdb.json"
    [[ -n $COLD ]] && { echo; echo "$COLD"; }
} | tee "$OUT"
