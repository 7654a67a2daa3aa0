#!/usr/bin/env bash
# exports.sh: how much slower is whosaw over a SIEM's export than over the
# raw log it holds? It writes the generated 1 GiB Vault log (benches/compare.sh
# makes it) as a Splunk export (one result per line, the record in `_raw`)
# and an Elasticsearch dump (one hit per line, the record in `message`),
# checks the three give the same answer, and times who-read over each with
# hyperfine, per record.
#
# Usage: benches/exports.sh
# Settings (environment):
#   WHOSAW_BENCH_DIR   where the logs are and results go   [target/bench]
#   RUNS               hyperfine runs per command          [5]
# Needs: python3, hyperfine, jq.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DIR=${WHOSAW_BENCH_DIR:-target/bench}
RUNS=${RUNS:-5}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
WHOSAW=${WHOSAW_BIN:-$TARGET_DIR/release/whosaw}
RAW=$DIR/vault-1GiB.log
SECRET=secret/data/production/payments/db-password

[[ -f $RAW ]] || { echo "exports.sh: $RAW is missing: run benches/compare.sh first" >&2; exit 1; }
cargo build --release --quiet
SPLUNK=$DIR/exports/vault-1GiB.splunk.json
ELASTIC=$DIR/exports/vault-1GiB.elastic.ndjson
if [[ ! -f $SPLUNK || ! -f $ELASTIC || $RAW -nt $SPLUNK ]]; then
    echo "writing the exports (a few minutes)…" >&2
    python3 benches/export_logs.py "$RAW" "$DIR/exports"
fi

# The same readers over all three (where the evidence is differs).
answer() { "$WHOSAW" who-read "$SECRET" "$1" --format json --quiet | jq -c '[.readers[] | del(.evidence)]'; }
expected=$(answer "$RAW")
for f in "$SPLUNK" "$ELASTIC"; do
    [[ $(answer "$f") == "$expected" ]] || { echo "exports.sh: $f gives another answer" >&2; exit 1; }
done

# Two queries: a name, whose byte search skips almost every row unopened,
# and a --regex, which opens and parses every read.
REGEX='^secret/data/production/payments/db-pass'
hyperfine --warmup 1 --runs "$RUNS" --export-json "$DIR/exports.json" \
    -n "name, raw" "$WHOSAW who-read $SECRET $RAW --quiet --format json" \
    -n "name, splunk" "$WHOSAW who-read $SECRET $SPLUNK --quiet --format json" \
    -n "name, elastic" "$WHOSAW who-read $SECRET $ELASTIC --quiet --format json" \
    -n "regex, raw" "$WHOSAW who-read --regex $REGEX $RAW --quiet --format json" \
    -n "regex, splunk" "$WHOSAW who-read --regex $REGEX $SPLUNK --quiet --format json" \
    -n "regex, elastic" "$WHOSAW who-read --regex $REGEX $ELASTIC --quiet --format json" >&2

# Per record: every file holds the same records, one per line.
records=$(wc -l <"$RAW")
jq -r --argjson n "$records" --arg raw "$(stat -c %s "$RAW")" \
    --arg splunk "$(stat -c %s "$SPLUNK")" --arg elastic "$(stat -c %s "$ELASTIC")" '
    def size: {raw: $raw, splunk: $splunk, elastic: $elastic}[split(", ")[1]] | tonumber;
    ([.results[] | select(.command | endswith("raw")) | {key: (.command | split(", ")[0]), value: .mean}]
      | from_entries) as $base
    | "| query, input | size | mean | per record | vs raw |",
      "|---|---|---|---|---|",
      (.results[] | "| \(.command) | \(.command | size / 1073741824 * 100 | round / 100) GiB | \(.mean * 100 | round / 100) s | \(.mean / $n * 1e9 | round) ns | \(.mean / $base[.command | split(", ")[0]] * 100 | round / 100)× |")
' "$DIR/exports.json" | tee "$DIR/exports.md"
