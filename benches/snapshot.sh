#!/usr/bin/env bash
# snapshot.sh: every answer whosaw gives, written to files, so that a
# refactor can prove it changed none (`diff -r before after`).
#
# It runs who-read, blast-radius, timeline, suspicious and baseline, as
# JSON, NDJSON and tables, with and without --evidence, over every fixture
# in testdata/, the public corpus (when WHOSAW_CORPUS names it) and the
# generated benchmark logs (when benches/compare.sh, cloudtrail.sh and
# suspicious.sh have written them). Each command's stdout, stderr and exit
# status go to OUT/<n>.{out,err,rc}; OUT/commands.txt lists them.
#
# Usage: benches/snapshot.sh WHOSAW_BINARY OUT_DIR
#   e.g. cargo build --release && cp target/release/whosaw /tmp/whosaw-before
#        benches/snapshot.sh /tmp/whosaw-before target/snap-before
#        (change the code, rebuild)
#        benches/snapshot.sh target/release/whosaw target/snap-after
#        diff -r target/snap-before target/snap-after
# Settings (environment):
#   WHOSAW_CORPUS     the public samples folder            [../shared/corpus]
#   WHOSAW_BENCH_DIR  where the generated logs are         [target/bench]
#   BIG=0             leave the generated logs out (they take minutes)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[[ $# == 2 ]] || { echo "usage: $0 WHOSAW_BINARY OUT_DIR" >&2; exit 2; }
W=$(realpath "$1")
OUT=$2
CORPUS=${WHOSAW_CORPUS:-../shared/corpus}
BENCH=${WHOSAW_BENCH_DIR:-target/bench}
BIG=${BIG:-1}
[[ -x $W ]] || { echo "snapshot.sh: no binary at $1" >&2; exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT"
n=0

# Runs one whosaw command; relative paths keep the outputs comparable.
run() {
    n=$((n + 1))
    printf '%04d whosaw %s\n' "$n" "$*" >>"$OUT/commands.txt"
    local rc=0
    # The clock is pinned for relative windows; no test here uses one.
    "$W" "$@" >"$OUT/$n.out" 2>"$OUT/$n.err" || rc=$?
    echo "$rc" >"$OUT/$n.rc"
}

# Every question over one input.
battery() {
    local input=$1 secret=$2
    for fmt in json ndjson table; do
        run who-read "$secret" "$input" --format "$fmt" -q
        run blast-radius "$secret" "$input" --format "$fmt" -q
    done
    run who-read "$secret" "$input" --format json --evidence -v
    run who-read "$secret" "$input" --format table --evidence
    run who-read "$secret" "$input" --format json --exhaustive -q
    run blast-radius "$secret" "$input" --depth 2 --format json -q
    run blast-radius "$secret" "$input" --depth 2 --format table -q
    run who-read --regex '.' "$input" --format json -q
    run timeline "$input" --format ndjson -q
    run timeline "$input" --secret "$secret" --format table -q
    run suspicious "$input" --format ndjson -q
    run suspicious "$input" --format table -q
    run baseline "$input" -q
}

battery testdata/incident prod/db-password
battery testdata/vault secret/data/production/db
battery testdata/cloudtrail prod/db-password
battery testdata/azure db-password
battery testdata/gcp db-password
battery testdata/k8s prod/db-password
battery testdata/rules prod/db-password
battery testdata/timeline prod/db-password
for f in testdata/suspicious/*.log; do
    run suspicious "$f" --config testdata/suspicious/whosaw.toml --format ndjson -q
    run suspicious "$f" --config testdata/suspicious/whosaw.toml --format table -q
done
# Windows, filters and forced sources.
run who-read prod/db-password testdata/incident --since 2025-01-01 --until 2030-01-01 --format json -q
run timeline testdata/incident --provider aws,k8s --action read,write --outcome denied,success --format ndjson -q
run who-read prod/db-password testdata/incident --source vault --format json
run who-read aws:prod/db-password testdata/incident --format json -q

if [[ -d $CORPUS ]]; then
    for dir in "$CORPUS"/*/; do
        run timeline "$dir" --format ndjson
        run who-read --regex . "$dir" --format json --evidence
        run suspicious "$dir" --format ndjson -q
    done
fi

if [[ $BIG == 1 ]]; then
    LOG=$BENCH/vault-1GiB.log
    SECRET=secret/data/production/payments/db-password
    if [[ -s $LOG ]]; then
        run who-read "$SECRET" "$LOG" --format json -q
        run who-read "$SECRET" "$LOG" --format json --evidence -q
        run who-read --regex '^secret/data/production/payments/db-pass' "$LOG" --format json -q
        run blast-radius "$SECRET" "$LOG" --depth 2 --format json -q
        run who-read "$SECRET" "$LOG" --exhaustive --format json -q
        run who-read --regex . "$LOG" --format json -q
        run timeline "$LOG" --secret "$SECRET" --format ndjson -q
    fi
    if [[ -d $BENCH/cloudtrail ]]; then
        run who-read prod/db-password "$BENCH/cloudtrail" --format json -q
        run who-read prod/db-password "$BENCH/cloudtrail" --format json --evidence -q
        run blast-radius prod/db-password "$BENCH/cloudtrail" --depth 2 --format json -q
    fi
    LOG=$BENCH/vault-anomalies-1GiB.log
    PLANTED=$BENCH/anomalies-1GiB.json
    if [[ -s $LOG && -s $PLANTED ]]; then
        LEARN_UNTIL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["learn_until"])' "$PLANTED")
        run suspicious "$LOG" --learn-until "$LEARN_UNTIL" --format ndjson -q
        run baseline "$LOG" --until "$LEARN_UNTIL" -q
    fi
fi
echo "snapshot.sh: $n commands, answers in $OUT"
