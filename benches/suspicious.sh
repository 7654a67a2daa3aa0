#!/usr/bin/env bash
# suspicious.sh: does `whosaw suspicious` find the anomalies the generator
# planted (recall), how many of its findings are about them (precision), and
# how long does it take next to `who-read` on the same file?
#
# It builds whosaw and the generator, writes a Vault audit log with planted
# anomalies (examples/gen_vault/anomalies.rs) and their list as JSON, runs
# `suspicious --learn-until` (the first quarter of the log is the baseline),
# scores the findings, and times both commands with hyperfine.
#
# Usage: benches/suspicious.sh
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
LOG=$DIR/vault-anomalies-$SIZE.log
PLANTED=$DIR/anomalies-$SIZE.json
FINDINGS=$DIR/findings-$SIZE.ndjson
CONFIG=$DIR/trusted.toml

for tool in hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "suspicious.sh: needs $tool" >&2; exit 1; }
done
mkdir -p "$DIR"
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    cargo build --release --quiet --bin whosaw --example gen_vault
fi
if [[ ! -s $LOG || ! -s $PLANTED ]]; then
    "$GEN" --size "$SIZE" --anomalies "$PLANTED" "$LOG"
fi
# The generator's addresses are all in 10.0.0.0/8 (IPv6: 2001:db8::/32).
printf 'trusted_networks = ["10.0.0.0/8", "2001:db8::/32"]\n' >"$CONFIG"
LEARN_UNTIL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["learn_until"])' "$PLANTED")

"$WHOSAW" suspicious "$LOG" --learn-until "$LEARN_UNTIL" --config "$CONFIG" \
    --format ndjson >"$FINDINGS" || [[ $? == 1 ]]

python3 - "$PLANTED" "$FINDINGS" <<'PY'
import json, sys
planted = json.load(open(sys.argv[1]))["anomalies"]
findings = [json.loads(l) for l in open(sys.argv[2])]
anomalous = {a["identity"]["entity_id"] for a in planted}
# Recall: each planted anomaly found by its rule, for its identity.
found = [a for a in planted
         if any(f["rule"] == a["rule"] and f["variant"] == a["variant"]
                and f["identity_id"] == a["identity"]["entity_id"] for f in findings)]
# Precision: findings about a planted anomaly's identity.
true = [f for f in findings if f["identity_id"] in anomalous]
print("| rule / variant | planted | found |")
print("|---|---:|---:|")
for kind in dict.fromkeys((a["rule"], a["variant"]) for a in planted):
    n = sum((a["rule"], a["variant"]) == kind for a in planted)
    k = sum((a["rule"], a["variant"]) == kind for a in found)
    print(f"| {kind[0]} / {kind[1]} | {n} | {k} |")
print()
print(f"recall    {len(found)}/{len(planted)} = {len(found) / max(len(planted), 1):.0%}")
print(f"precision {len(true)}/{len(findings)} = {len(true) / max(len(findings), 1):.0%}")
for f in findings:
    if f["identity_id"] not in anomalous:
        print(f"  not planted: {f['rule']}/{f['variant']} {f['identity']} {f['identity_id']}: {f['explanation']}")
missed = [a for a in planted if a not in found]
for a in missed:
    print(f"  missed: {a['rule']}/{a['variant']} {a['identity']['role_name']} ({a['what']})")
PY

hyperfine --warmup 1 --runs "$RUNS" \
    -n who-read "$WHOSAW who-read secret/data/production/payments/db-password $LOG -q" \
    -n suspicious "$WHOSAW suspicious $LOG --learn-until $LEARN_UNTIL --config $CONFIG -q --format ndjson" \
    -i --export-markdown "$DIR/suspicious-timing.md"
