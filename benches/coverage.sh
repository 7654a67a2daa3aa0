#!/usr/bin/env bash
# coverage.sh: does `whosaw coverage` find the trail events the generator
# planted, does a question over the off period say it is partial, and what
# does coverage cost next to `who-read --regex .` (which also parses every
# read) and a plain who-read on the same file?
#
# It builds whosaw and the generator, writes a Vault audit log with
# `--plant-trail` (the audit device disabled for three hours halfway
# through, a root token generated at three quarters; see
# examples/gen_vault/trail.rs), checks coverage's findings and off period
# against what was planted, checks that who-read over the whole log exits 3
# and over a window after the gap exits 0, then times with hyperfine.
#
# Usage: benches/coverage.sh
# Settings (environment):
#   WHOSAW_BENCH_SIZE  size of the generated log   [1GiB]
#   WHOSAW_BENCH_DIR   where files go              [target/bench]
#   RUNS               hyperfine runs per command  [5]
#   SKIP_BUILD=1       use existing binaries
# Needs: hyperfine, python3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SIZE=${WHOSAW_BENCH_SIZE:-1GiB}
DIR=${WHOSAW_BENCH_DIR:-target/bench}
RUNS=${RUNS:-5}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
WHOSAW=$TARGET_DIR/release/whosaw
GEN=$TARGET_DIR/release/examples/gen_vault
LOG=$DIR/vault-trail-$SIZE.log
PLANTED=$DIR/vault-trail-$SIZE.planted
SECRET=secret/data/production/payments/db-password

for tool in hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "coverage.sh: needs $tool" >&2; exit 1; }
done
mkdir -p "$DIR"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    cargo build --release --quiet --bin whosaw --example gen_vault
fi
if [[ ! -s $LOG || ! -s $PLANTED ]]; then
    "$GEN" --size "$SIZE" --plant-trail "$LOG" 2>&1 | grep '^planted:' >"$PLANTED"
fi
cat "$PLANTED"

"$WHOSAW" coverage "$LOG" --json -q >"$DIR/coverage-$SIZE.json" || [[ $? == 3 ]]
python3 - "$PLANTED" "$DIR/coverage-$SIZE.json" <<'PY'
import json, sys
planted = dict(l.split(": ", 1)[1].rsplit(" at ", 1) for l in open(sys.argv[1]).read().splitlines())
report = json.load(open(sys.argv[2]))
off = report["off_periods"]
assert len(off) == 1, off
assert off[0]["from"] == planted["audit device disabled"], (off, planted)
assert off[0]["until"] == planted["audit device enabled again"], (off, planted)
kinds = [f["kind"] for f in report["findings"]]
root = [f for f in report["findings"] if f["kind"] == "root-token-generated"]
assert len(root) == 1 and root[0]["time"].startswith(planted["root token generated"][:19]), root
gaps = report["gaps"]
assert any(g["from"][:19] == planted["audit device disabled"][:19] for g in gaps), gaps
print(f"coverage: the off period and the root token found; {len(kinds)} findings, {len(gaps)} inferred gaps")
PY

set +e
"$WHOSAW" who-read "$SECRET" "$LOG" -q --json >/dev/null; whole=$?
AFTER=$(python3 -c 'import sys; print(sys.argv[1])' "$(grep 'enabled again' "$PLANTED" | sed 's/.* at //')")
"$WHOSAW" who-read "$SECRET" "$LOG" -q --json --since "$AFTER" >/dev/null; after=$?
set -e
[[ $whole == 3 && $after == 0 ]] || { echo "who-read exits $whole over the log, $after after the gap (want 3, 0)" >&2; exit 1; }
echo "who-read: exit 3 over the whole log, 0 after the device came back"

hyperfine --warmup 1 --runs "$RUNS" -i \
    -n coverage "$WHOSAW coverage $LOG -q --json" \
    -n "who-read --regex ." "$WHOSAW who-read '.' --regex $LOG -q --json" \
    -n who-read "$WHOSAW who-read $SECRET $LOG -q --json"
