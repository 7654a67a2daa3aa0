#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 30) on seeds made from
# testdata/, and prints one line per target: executions, and crashes found
# (their inputs land in fuzz/artifacts/TARGET/). Needs a nightly toolchain
# and cargo-fuzz (`cargo install cargo-fuzz`). Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(file stream gzip json time query)

# Seeds, made anew each run (never committed: testdata is the source).
logs=$(find ../testdata -type f ! -name '*.py' ! -name '*.md' ! -name '*.pem' | sort)
seed() { # target, then files
    local dir="corpus/$1" && shift
    mkdir -p "$dir"
    for f in "$@"; do
        local name
        name=seed-$(printf '%s' "$f" | cksum | cut -d' ' -f1)
        [ -e "$dir/$name" ] || head -c 65536 "$f" > "$dir/$name"
    done
}
for t in stream json; do seed "$t" $logs; done
mkdir -p corpus/file corpus/gzip
for f in $logs; do # a log file behind the selector byte 0 (no --source)
    name=corpus/file/seed-$(printf '%s' "$f" | cksum | cut -d' ' -f1)
    [ -e "$name" ] || { printf '\0'; head -c 65535 "$f"; } > "$name"
    gz=corpus/gzip/seed-$(printf '%s' "$f" | cksum | cut -d' ' -f1)
    [ -e "$gz" ] || head -c 65536 "$f" | gzip -c > "$gz"
done
mkdir -p corpus/time corpus/query
for t in 2026-03-01T03:00:00Z '2026-03-01T03:00:00.123456789+02:00' 2026-03-01 '2026-03-01 03:00:00' \
    1772330400 1772330400123 'Mar 1, 2026 @ 03:00:00.000' 24h 90m 2d now; do
    printf '%s' "$t" > "corpus/time/seed-$(printf '%s' "$t" | cksum | cut -d' ' -f1)"
done
for q in 'vault:secret/data/prod/db' 'aws:prod/db-password' '^prod/.*' 'k8s:default/db-creds' \
    $'who-read\0secret/prod/db\0--since\02026-03-01\0--format\0json' \
    $'blast-radius\0prod/db\0--depth\02\0-j\04' $'timeline\0--identity\0alice\0--until\0now'; do
    printf '%s' "$q" > "corpus/query/seed-$(printf '%s' "$q" | cksum | cut -d' ' -f1)"
done

cargo +nightly fuzz build -O >/dev/null 2>&1 || cargo +nightly fuzz build -O
status=0
for t in "${targets[@]}"; do
    mkdir -p "artifacts/$t"
    log="artifacts/$t.log"
    if cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" \
        -max_len="${FUZZ_MAX_LEN:-16384}" -rss_limit_mb=2048 -timeout=25 -print_final_stats=1 >"$log" 2>&1; then
        found=0
    else
        found=1 status=1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ $found = 0 ]; then
        echo "ok   fuzz $t: ${runs:-?} executions in ${seconds} s, no crash"
    else
        echo "FAIL fuzz $t: ${runs:-?} executions in ${seconds} s: a crash (see fuzz/$log and fuzz/artifacts/$t/)"
    fi
done
exit $status
