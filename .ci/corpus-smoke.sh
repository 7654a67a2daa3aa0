#!/usr/bin/env bash
# Runs whosaw over the real Vault samples in $WHOSAW_CORPUS/vault: no crash,
# no malformed line, and the counts a person reading the files finds.
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
    if [ "$code" -ne 0 ]; then
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

if [ "$failures" -ne 0 ]; then
    echo "$failures corpus checks failed"
    exit 1
fi
echo "corpus smoke test: all checks passed"
