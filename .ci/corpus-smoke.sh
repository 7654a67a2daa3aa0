#!/usr/bin/env bash
# Runs whosaw over the real samples in $WHOSAW_CORPUS: every file recognised
# with every record counted (corpus_all.py), no crash, no malformed line, and
# the answers a person reading the files finds.
set -euo pipefail
corpus="${WHOSAW_CORPUS:?set WHOSAW_CORPUS to the shared corpus folder}"
if [ ! -d "$corpus/vault" ]; then
    echo "corpus smoke test skipped: $corpus/vault not found"
    exit 0
fi
cargo build --quiet --release
bin=target/release/whosaw
failures=0

check() { # description, python expression over the parsed JSON `d`, command...
    local what=$1 expr=$2
    shift 2
    local out code=0
    out=$("$@" 2>/tmp/whosaw-smoke.err) || code=$?
    if [ "$code" -ne "${EXPECT_EXIT:-0}" ]; then
        echo "FAIL $what: exit $code"; cat /tmp/whosaw-smoke.err; failures=$((failures + 1)); return
    fi
    if grep -q panicked /tmp/whosaw-smoke.err; then
        echo "FAIL $what: panic"; failures=$((failures + 1)); return
    fi
    if printf '%s' "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($expr) else 1)"; then
        echo "ok   $what"
    else
        echo "FAIL $what: $expr"; printf '%s\n' "$out" | head -40; failures=$((failures + 1))
    fi
}

# learn-vault-monitoring: userpass-lab-user-7 read kv-v2/data/lab/lab-credential-1 three times.
check "KV v2 reads in the HashiCorp tutorial log" \
    "[(r['identity'], r['successful_reads']) for r in d['readers']] == [('userpass-lab-user-7', 3)] and d['stats']['malformed_lines'] == 0" \
    "$bin" who-read kv-v2/lab/lab-credential-1 "$corpus/vault" --json --quiet
check "every value read, every line parsed" \
    "d['stats']['events'] == 1401 and d['stats']['malformed_lines'] == 0 and d['stats']['skipped_files'] == 0 and sum(r['successful_reads'] for r in d['readers']) == 28" \
    "$bin" who-read --regex . "$corpus/vault" --json --quiet --exhaustive
check "blast radius at depth 2" \
    "d['rotate'][0]['target'] == 'kv-v2/data/lab/lab-credential-1' and [i['kind'] for i in d['rotate']] == ['secret', 'credential']" \
    "$bin" blast-radius kv-v2/lab/lab-credential-1 "$corpus/vault" --depth 2 --json --quiet
check "streamed and mapped reads agree" \
    "d['stats']['events'] == 1401" \
    "$bin" who-read --regex . "$corpus/vault" --json --quiet --no-mmap

# AWS: stratus-red-team read 20 secrets by full ARN (6-character suffix).
check "Secrets Manager reads by full ARN" \
    "[(r['identity'], r['successful_reads']) for r in d['readers']] == [('christophe', 1)]" \
    "$bin" who-read aws:stratus-red-team-retrieve-secret-18 "$corpus/cloudtrail" --json --quiet
# Azure: a SecretGet answered 404 is labelled resultType Success: not found, not a read.
check "Azure 404 labelled Success is not a read" \
    "sorted((r['successful_reads'], r['not_found_reads'], r['error_reads'], r['operations'][0]) for r in d['readers']) == [(0, 1, 0, 'SecretGet'), (1, 0, 0, 'SecretBackup')]" \
    "$bin" who-read --regex . "$corpus/azure-keyvault" --json --quiet
# Kubernetes: cluster-wide list and watch of secrets by the control plane.
check "Kubernetes cluster-wide lists cover every secret" \
    "sorted(r['identity_id'] for r in d['readers']) == ['system:apiserver', 'system:kube-controller-manager'] and all(r['wide_reads'] == r['successful_reads'] > 0 for r in d['readers'])" \
    "$bin" who-read k8s:kube-system/any-secret "$corpus/k8s" --json --quiet

# Issue 10's rules, where the real samples show them.
check "Azure keys are named; KeyGet hands out no value" \
    "[(e['action'], e['operation'], e['value']) for e in d['events']] == [('metadata', 'KeyGet', None)]" \
    "$bin" timeline "$corpus/azure-keyvault" --secret azure:testpermissionvault/keys/myfirstkey --format json --quiet
check "Azure times keep their 7 digits" \
    "d['events'][0]['time'] == '2024-03-30T22:29:57.2784858Z'" \
    "$bin" timeline "$corpus/azure-keyvault" --format json --quiet
check "a timeline value only for reads that succeeded" \
    "all(e['value'] is None or e['outcome'] == 'success' for e in d['events']) and any(e['action'] == 'read' and e['outcome'] != 'success' for e in d['events'])" \
    "$bin" timeline "$corpus/vault" "$corpus/azure-keyvault" --format json --quiet
# Nothing read it: exit 1, and the answer still names its store.
EXPECT_EXIT=1 check "a secret only ever created has its store" \
    "d['rotate'][0]['provider'] == 'k8s' and d['rotate'][0]['evidence']['successful_reads'] == 0" \
    "$bin" blast-radius default/example-secret "$corpus/k8s/falco-357da40f_create_secret.json" --json --quiet

# Every file of every source: recognised, every record counted.
if python3 .ci/corpus_all.py "$bin" "$corpus"; then :; else failures=$((failures + 1)); fi
# Every file wrapped in every SIEM export shape: the raw files' answers.
if python3 .ci/corpus_exports.py "$bin" "$corpus"; then :; else failures=$((failures + 1)); fi

if [ "$failures" -ne 0 ]; then
    echo "$failures corpus checks failed"
    exit 1
fi
echo "corpus smoke test: all checks passed"
