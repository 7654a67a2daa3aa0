#!/usr/bin/env bash
# compare.sh: how fast does whosaw answer "who read secret X?" next to the
# public tools people reach for otherwise (ripgrep, jq, DuckDB)?
#
# It builds whosaw and the log generator (examples/gen_vault/), generates a
# realistic Vault audit log once, checks that whosaw and jq give the same
# answer, times every tool with hyperfine, measures peak memory, and prints a
# markdown table (also written to $DIR/summary.md).
#
# Usage: benches/compare.sh
# Settings (environment):
#   WHOSAW_BENCH_SIZE  size of the generated log       [1GiB]
#   WHOSAW_BENCH_DIR   where logs and results go       [target/bench]
#   RUNS               hyperfine runs per command      [5]
#   JQ                 plain jq over the whole file (~15 s per GB):
#                      unset = 1 run, 1 = $RUNS runs, 0 = skip
#   SKIP_BUILD=1       use existing binaries; WHOSAW_BIN and GEN_VAULT_BIN
#                      override their paths
# Needs: hyperfine, ripgrep, jq; optional: GNU time (peak RSS), DuckDB.
set -euo pipefail
# Associative arrays below need bash 4 (macOS ships 3.2: brew install bash).
if ((BASH_VERSINFO[0] < 4)); then
    echo "compare.sh: needs bash 4 or newer" >&2
    exit 1
fi

# Everything below is relative to the repository root.
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SIZE=${WHOSAW_BENCH_SIZE:-1GiB}
DIR=${WHOSAW_BENCH_DIR:-target/bench}
RUNS=${RUNS:-5}
JQ=${JQ:-}
SKIP_BUILD=${SKIP_BUILD:-0}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
WHOSAW=${WHOSAW_BIN:-$TARGET_DIR/release/whosaw}
GEN=${GEN_VAULT_BIN:-$TARGET_DIR/release/examples/gen_vault}
# The generator plants this secret with a known set of readers.
SECRET=secret/data/production/payments/db-password
REGEX='^secret/data/production/payments/db-pass'

die() {
    echo "compare.sh: $*" >&2
    exit 1
}
step() { printf '\n== %s\n' "$*"; }

# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------
step "Checking tools"
missing=()
for tool in hyperfine rg jq; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
    echo "missing: ${missing[*]}" >&2
    echo "install: apt-get install hyperfine ripgrep jq   (or: brew install hyperfine ripgrep jq)" >&2
    exit 1
fi
if [[ $SKIP_BUILD != 1 ]] && ! command -v cargo >/dev/null; then
    die "cargo not found: install Rust from https://rustup.rs (or set SKIP_BUILD=1)"
fi
# GNU time reports peak RSS with %M; BSD/macOS time does not, so it is optional.
GNU_TIME=
if /usr/bin/time --version 2>&1 | grep -q GNU; then
    GNU_TIME=/usr/bin/time
else
    echo "note: no GNU time, peak RSS will not be measured (apt-get install time)"
fi
HAVE_DUCKDB=0
if command -v python3 >/dev/null && python3 -c 'import duckdb' 2>/dev/null; then
    HAVE_DUCKDB=1
else
    echo "note: DuckDB not available, skipping it (pip install duckdb)"
fi
echo "hyperfine $(hyperfine --version | awk '{print $2}'), $(rg --version | head -n1), $(jq --version)"

# ---------------------------------------------------------------------------
# Build and data
# ---------------------------------------------------------------------------
if [[ $SKIP_BUILD != 1 ]]; then
    step "Building (release)"
    cargo build --release --example gen_vault
    cargo build --release
fi
[[ -x $GEN ]] || die "no generator at $GEN"
[[ -x $WHOSAW ]] || die "no whosaw binary at $WHOSAW"

# Generated logs are big and reproducible: never put them in testdata/.
case "$DIR/" in
*testdata/*) die "WHOSAW_BENCH_DIR must not be inside testdata/: $DIR" ;;
esac
mkdir -p "$DIR"
# Reused across runs: delete it to regenerate (e.g. after changing gen_vault).
FILE=$DIR/vault-$SIZE.log
if [[ ! -s $FILE ]]; then
    step "Generating $FILE"
    # Write to a temporary name so an interrupted run leaves no truncated log
    # that a later run would take for a complete one.
    tmp=$FILE.partial.$$
    trap 'rm -f "$tmp"' EXIT
    "$GEN" --size "$SIZE" "$tmp" 2> >(tee "$FILE.gen.txt" >&2)
    mv "$tmp" "$FILE"
    trap - EXIT
fi
BYTES=$(wc -c <"$FILE")
LINES=$(wc -l <"$FILE")

step "Warming the page cache"
# Every tool then reads from memory, so we compare parsing, not the disk.
avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
if ((avail_kb > 0 && BYTES / 1024 > avail_kb * 8 / 10)); then
    echo "warning: the log ($((BYTES >> 20)) MiB) may not fit in the page cache; timings will include disk reads"
fi
cat "$FILE" >/dev/null
echo "$FILE: $BYTES bytes, $LINES lines"

# ---------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------
# Successful value reads of $s per identity, as "identity_id<TAB>count" lines.
# The identity is the entity if there is one, else the token accessor, else
# the display name (batch tokens have neither). A read succeeded when its
# response entry carries no error.
# shellcheck disable=SC2016 # $s, $e, $id are jq variables, not shell ones
JQ_READERS='reduce (inputs
    | select(.type == "response" and .request.operation == "read"
             and .request.path == $s and ((.error // "") == ""))
    | (.auth.entity_id // "") as $e
    | if $e != "" then $e
      elif (.auth.accessor // "") != "" then .auth.accessor
      else .auth.display_name end) as $id
  ({}; .[$id] += 1)
| to_entries[] | "\(.key)\t\(.value)"'

# The same question in SQL, with an explicit schema so DuckDB reads only the
# fields it needs instead of inferring a schema from the whole file.
DUCKDB_READERS=$(
    cat <<'PY'
import sys, duckdb
path, secret = sys.argv[1], sys.argv[2]
sql = f"""
SELECT coalesce(nullif(auth.entity_id, ''), nullif(auth.accessor, ''), auth.display_name),
       count(*)
FROM read_ndjson('{path.replace("'", "''")}', columns = {{
        type: 'VARCHAR', error: 'VARCHAR',
        auth: 'STRUCT(entity_id VARCHAR, accessor VARCHAR, display_name VARCHAR)',
        request: 'STRUCT(operation VARCHAR, path VARCHAR)'}})
WHERE type = 'response' AND request.operation = 'read' AND request.path = ?
  AND coalesce(error, '') = ''
GROUP BY 1
"""
for identity_id, n in duckdb.connect().execute(sql, [secret]).fetchall():
    print(f"{identity_id}\t{n}")
PY
)

# Commands are strings for hyperfine, so quote every argument.
q() { printf '%q' "$1"; }
F=$(q "$FILE")
S=$(q "$SECRET")
W=$(q "$WHOSAW")
NAMES=()
declare -A CMD=()
add() {
    NAMES+=("$1")
    CMD[$1]=$2
}
# The floor: find the lines, parse nothing.
add "rg -c (floor)" "rg -c -F $S $F"
# The usual shell answer: byte-filter with rg, then parse the survivors. jq
# runs the full per-identity count (not just `select | wc -l`), so every
# tool here computes the same answer as whosaw.
add "rg | jq" "rg -F $S $F | jq -rn --arg s $S $(q "$JQ_READERS")"
add "whosaw who-read" "$W who-read $S $F --format json --quiet"
# A regex cannot use whosaw's literal byte prefilter: every read line is parsed.
add "whosaw who-read --regex" "$W who-read --regex $(q "$REGEX") $F --format json --quiet"
add "whosaw blast-radius --depth 2" "$W blast-radius $S $F --depth 2 --format json --quiet"
# Every line parsed, every malformed line counted.
add "whosaw who-read --exhaustive" "$W who-read $S $F --exhaustive --format json --quiet"
# The worst case for memory: every value read of every secret is kept.
add "whosaw who-read --regex . (every read)" "$W who-read --regex . $F --format json --quiet"
if ((HAVE_DUCKDB)); then
    add "duckdb" "python3 -c $(q "$DUCKDB_READERS") $F $S"
fi
JQ_NAME="jq (whole file)"
JQ_CMD="jq -rn --arg s $S $(q "$JQ_READERS") $F"

# ---------------------------------------------------------------------------
# Correctness first: each whosaw command must succeed, and who-read must
# agree with jq. Peak RSS is measured on the same runs.
# ---------------------------------------------------------------------------
declare -A RSS=()
# run_once NAME COMMAND OUT: runs COMMAND with stdout to OUT, records peak
# RSS of NAME when GNU time is there, and returns the command's exit status.
run_once() {
    local rc=0
    if [[ -n $GNU_TIME ]]; then
        "$GNU_TIME" -f '%M' -o "$DIR/rss.txt" bash -c "$2" >"$3" || rc=$?
        # GNU time appends "Command exited with non-zero status N" first.
        RSS[$1]=$(awk 'END {printf "%.0f", $1 / 1024}' "$DIR/rss.txt")
    else
        bash -c "$2" >"$3" || rc=$?
    fi
    return "$rc"
}

# peak_heap NAME COMMAND: peak anonymous memory (RssAnon: heap and stacks,
# not the pages of a mapped log) of a single-process COMMAND, sampled from
# /proc every few milliseconds while it runs. Linux only.
declare -A HEAP=()
peak_heap() {
    [[ -r /proc/self/status ]] || return 0
    bash -c "exec $2" >/dev/null 2>&1 &
    local pid=$! peak=0 kb
    while kb=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [[ -n $kb ]]; do
        ((kb > peak)) && peak=$kb
        sleep 0.002
    done
    wait "$pid" || true
    HEAP[$1]=$(awk -v k="$peak" 'BEGIN {printf "%.0f", k / 1024}')
}

step "Checking exit codes and measuring peak RSS"
for name in "${NAMES[@]}"; do
    rc=0
    run_once "$name" "${CMD[$name]}" "$DIR/out.txt" || rc=$?
    if [[ $name == whosaw* && $rc != 0 ]]; then
        # whosaw: 0 = readers found, 1 = none, 3 = partial input.
        sed -n 1,20p "$DIR/out.txt" >&2
        die "'${CMD[$name]}' exited $rc, expected 0 (readers found)"
    fi
    ((rc == 0)) || die "'${CMD[$name]}' exited $rc"
    [[ $name == whosaw* ]] && peak_heap "$name" "${CMD[$name]}"
    [[ $name == "whosaw who-read" ]] && cp "$DIR/out.txt" "$DIR/whosaw-who-read.json"
    [[ $name == "duckdb" ]] && LC_ALL=C sort "$DIR/out.txt" >"$DIR/readers-duckdb.tsv"
    echo "ok: $name${RSS[$name]:+ (peak RSS ${RSS[$name]} MB)}${HEAP[$name]:+ (peak heap ${HEAP[$name]} MB)}"
done

step "Agreement: whosaw vs jq"
# Plain jq over the whole file (no byte prefilter), as the reference.
if [[ $JQ == 0 ]]; then
    jq -rn --arg s "$SECRET" "$JQ_READERS" "$FILE" >"$DIR/out.txt"
else
    run_once "$JQ_NAME" "$JQ_CMD" "$DIR/out.txt" || die "jq failed on $FILE"
fi
LC_ALL=C sort "$DIR/out.txt" >"$DIR/readers-jq.tsv"
# Identities that were only denied have successful_reads == 0: jq never
# lists them, so drop them before comparing.
jq -r '.readers[] | select(.successful_reads > 0) | "\(.identity_id)\t\(.successful_reads)"' \
    "$DIR/whosaw-who-read.json" | LC_ALL=C sort >"$DIR/readers-whosaw.tsv"
if ! diff -u "$DIR/readers-jq.tsv" "$DIR/readers-whosaw.tsv"; then
    die "whosaw and jq disagree on the readers of $SECRET (- jq, + whosaw)"
fi
readers=$(wc -l <"$DIR/readers-jq.tsv")
reads=$(awk -F'\t' '{n += $2} END {print n + 0}' "$DIR/readers-jq.tsv")
((readers > 0)) || die "jq found no readers of $SECRET: is $FILE a gen_vault log?"
echo "whosaw and jq agree: $readers readers, $reads successful reads"
if ((HAVE_DUCKDB)); then
    diff -u "$DIR/readers-jq.tsv" "$DIR/readers-duckdb.tsv" ||
        die "DuckDB and jq disagree on the readers of $SECRET (- jq, + duckdb)"
    echo "DuckDB agrees too"
fi

# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------
# -i: exit codes were checked above; a stray non-zero must not abort a run.
hyperfine_args=(--shell bash -i)
step "Timing ($RUNS runs each)"
args=("${hyperfine_args[@]}" --warmup 1 --runs "$RUNS"
    --export-markdown "$DIR/results-main.md" --export-json "$DIR/results-main.json")
for name in "${NAMES[@]}"; do
    args+=(-n "$name" "${CMD[$name]}")
done
hyperfine "${args[@]}"

results=("$DIR/results-main.json")
if [[ $JQ != 0 ]]; then
    # Plain jq is slow, so by default it gets a single run.
    jq_runs=(--runs 1)
    [[ $JQ == 1 ]] && jq_runs=(--warmup 1 --runs "$RUNS")
    step "Timing plain jq (${jq_runs[*]})"
    hyperfine "${hyperfine_args[@]}" "${jq_runs[@]}" \
        --export-markdown "$DIR/results-jq.md" --export-json "$DIR/results-jq.json" \
        -n "$JQ_NAME" "$JQ_CMD"
    results+=("$DIR/results-jq.json")
fi
# One results.json/results.md for both hyperfine runs, relative to the
# fastest command overall.
jq -s '{results: (map(.results) | add)}' "${results[@]}" >"$DIR/results.json"
{
    echo "| Command | Mean [s] | Min [s] | Max [s] | Relative |"
    echo "|:---|---:|---:|---:|---:|"
    jq -r '(.results | map(.mean) | min) as $best
        | .results[] | [.command, .mean, (.stddev // 0), .min, .max, .mean / $best] | @tsv' \
        "$DIR/results.json" |
        awk -F'\t' '{gsub(/\|/, "\\|", $1)
            printf "| `%s` | %.3f ± %.3f | %.3f | %.3f | %.2f |\n", $1, $2, $3, $4, $5, $6}'
} >"$DIR/results.md"

# ---------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------
{
    echo "## whosaw vs public tools: who read \`$SECRET\`?"
    echo
    echo "Log: \`$FILE\`, $BYTES bytes, $LINES lines; $readers readers, $reads successful reads."
    echo "Machine: $(getconf _NPROCESSORS_ONLN) CPUs, $(uname -sr); page cache warm; hyperfine $RUNS runs."
    echo
    echo "| command | mean s | MB/s | peak RSS MB | peak heap MB |"
    echo "|---|---:|---:|---:|---:|"
    jq -r '.results[] | [.command, .mean] | @tsv' "$DIR/results.json" |
        while IFS=$'\t' read -r name mean; do
            rss=${RSS[$name]:--}
            heap=${HEAP[$name]:--}
            # ENVIRON, not -v: awk would interpret backslashes in -v values.
            n=$name m=$mean b=$BYTES r=$rss h=$heap awk 'BEGIN {
                name = ENVIRON["n"]; gsub(/\|/, "\\|", name) # "|" would end the cell
                printf "| %s | %.3f | %.0f | %s | %s |\n", name, ENVIRON["m"], ENVIRON["b"] / 1e6 / ENVIRON["m"], ENVIRON["r"], ENVIRON["h"]
            }'
        done
    echo
    echo "MB/s is the log size (10^6 bytes) over the mean time. Peak RSS is GNU"
    echo "time's maximum resident set (the largest process of a pipeline); it"
    echo "includes pages of memory-mapped files, so a tool that mmaps the log"
    echo "shows up to the log size without having allocated it. Peak heap"
    echo "(whosaw only) is the largest RssAnon sampled from /proc while it ran:"
    echo "what whosaw allocated, without the mapped log."
} | tee "$DIR/summary.md"
echo
echo "Results: $DIR/summary.md, $DIR/results.md, $DIR/results.json"
